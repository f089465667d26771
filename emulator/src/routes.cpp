#include "routes.hpp"

#include <vector>

#include "api_error.hpp"
#include "ids.hpp"

namespace notion_emulator {
namespace {

std::vector<std::string> segments_of(const std::string& path) {
  std::vector<std::string> segments;
  std::size_t start = 1;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::size_t end = slash == std::string::npos ? path.size() : slash;
    segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

std::string path_id(const std::string& text, const char* name) {
  const auto id = normalize_id(text);
  if (!id) {
    throw validation_error(std::string("path failed validation: path.") + name +
                           " should be a valid uuid, instead was `\"" + text + "\"`.");
  }
  return *id;
}

// filter_properties arrives repeated (?filter_properties=a&filter_properties=b, as the JS SDK
// sends it) or in bracket form (filter_properties[]=a); values are already percent-decoded.
std::vector<std::string> filter_properties(const ApiRequest& request) {
  std::vector<std::string> values;
  for (const char* key : {"filter_properties", "filter_properties[]"}) {
    const auto [begin, end] = request.params.equal_range(key);
    for (auto it = begin; it != end; ++it) values.push_back(it->second);
  }
  return values;
}

Paging paging(const ApiRequest& request) {
  Paging result;
  if (const auto found = request.params.find("start_cursor"); found != request.params.end()) {
    result.start_cursor = found->second;
  }
  if (const auto found = request.params.find("page_size"); found != request.params.end()) {
    result.page_size = found->second;
  }
  return result;
}

[[noreturn]] void invalid_url() {
  throw ApiError(400, "invalid_request_url", "Invalid request URL.");
}

}  // namespace

nlohmann::json route(Workspace& workspace, const ApiRequest& request) {
  const std::vector<std::string> s = segments_of(request.path);
  const std::string& method = request.method;
  if (s.size() < 2 || s[0] != "v1") invalid_url();
  const std::string& area = s[1];
  const std::size_t n = s.size();
  if (area == "users" && method == "GET") {
    if (n == 2) return workspace.list_users(paging(request));
    if (n == 3 && s[2] == "me") return workspace.me();
    if (n == 3) return workspace.retrieve_user(path_id(s[2], "user_id"));
  }
  if (area == "search" && n == 2 && method == "POST") return workspace.search(request.body);
  if (area == "file_uploads") {
    if (n == 2 && method == "POST") return workspace.create_file_upload(request.body);
    if (n == 2 && method == "GET") {
      const auto status = request.params.find("status");
      return workspace.list_file_uploads(
          status == request.params.end() ? std::nullopt : std::optional(status->second),
          paging(request));
    }
    if (n == 3 && method == "GET") {
      return workspace.retrieve_file_upload(path_id(s[2], "file_upload_id"));
    }
    if (n == 4 && s[3] == "send" && method == "POST") {
      return workspace.send_file_upload(path_id(s[2], "file_upload_id"), request.form,
                                        request.multipart);
    }
    if (n == 4 && s[3] == "complete" && method == "POST") {
      return workspace.complete_file_upload(path_id(s[2], "file_upload_id"));
    }
  }
  if (area == "databases") {
    if (n == 2 && method == "POST") return workspace.create_database(request.body);
    if (n == 3 && method == "GET") return workspace.retrieve_database(path_id(s[2], "database_id"));
    if (n == 3 && method == "PATCH") {
      return workspace.update_database(path_id(s[2], "database_id"), request.body);
    }
  }
  if (area == "data_sources") {
    if (n == 2 && method == "POST") return workspace.create_data_source(request.body);
    if (n == 3 && method == "GET") {
      return workspace.retrieve_data_source(path_id(s[2], "data_source_id"));
    }
    if (n == 3 && method == "PATCH") {
      return workspace.update_data_source(path_id(s[2], "data_source_id"), request.body);
    }
    if (n == 4 && s[3] == "query" && method == "POST") {
      return workspace.query_data_source(path_id(s[2], "data_source_id"), request.body,
                                         filter_properties(request));
    }
  }
  if (area == "pages") {
    if (n == 2 && method == "POST") {
      return workspace.create_page(request.body, filter_properties(request));
    }
    if (n == 3 && method == "GET") {
      return workspace.retrieve_page(path_id(s[2], "page_id"), filter_properties(request));
    }
    if (n == 3 && method == "PATCH") {
      return workspace.update_page(path_id(s[2], "page_id"), request.body,
                                   filter_properties(request));
    }
    if (n == 4 && s[3] == "markdown" && method == "GET") {
      return workspace.retrieve_page_markdown(path_id(s[2], "page_id"));
    }
    if (n == 4 && s[3] == "markdown" && method == "PATCH") {
      return workspace.update_page_markdown(path_id(s[2], "page_id"), request.body);
    }
    if (n >= 5 && s[3] == "properties" && method == "GET") {
      std::string property_id = s[4];
      for (std::size_t i = 5; i < n; ++i) property_id += "/" + s[i];
      return workspace.retrieve_page_property(path_id(s[2], "page_id"), property_id,
                                              paging(request));
    }
  }
  if (area == "blocks") {
    if (n == 3 && method == "GET") return workspace.retrieve_block(path_id(s[2], "block_id"));
    if (n == 3 && method == "DELETE") return workspace.delete_block(path_id(s[2], "block_id"));
    if (n == 4 && s[3] == "children" && method == "GET") {
      return workspace.list_block_children(path_id(s[2], "block_id"), paging(request));
    }
  }
  invalid_url();
}

}  // namespace notion_emulator
