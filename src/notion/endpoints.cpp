#include "notionsync/notion/endpoints.hpp"

#include <cctype>

#include "notionsync/core/error.hpp"
#include "notion/notion_id.hpp"
#include "notionsync/notion/rich_text.hpp"

namespace notionsync::notion::endpoints {
namespace {

using nlohmann::json;

// A path segment as Notion expects it: dashed ids as given, property ids already percent-encoded.
// Characters a URL cannot carry raw are encoded; '%' is kept so encoded ids stay as they are.
std::string path_segment(std::string_view segment, std::string_view what) {
  if (segment.empty() || segment == "." || segment == "..") {
    throw Error(ErrorKind::invalid_argument, std::string(what) + " is empty or not an id");
  }
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : segment) {
    const bool safe =
        std::isalnum(c) ||
        std::string_view("-._~%!$&'()*+,;=:@").find(static_cast<char>(c)) != std::string_view::npos;
    if (safe) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(digits[c >> 4]);
      out.push_back(digits[c & 15]);
    }
  }
  return out;
}

// Object ids go out dashed, as Notion answers, so request logs compare equal to responses.
std::string id_segment(std::string_view id, std::string_view what) {
  if (auto normal = normalize_notion_id(id)) return *normal;
  return path_segment(id, what);
}

Request make(Method method, std::string path, std::optional<json> body = std::nullopt,
             bool idempotent = true) {
  Request request;
  request.method = method;
  request.path = std::move(path);
  request.body = std::move(body);
  request.idempotent = idempotent;
  return request;
}

void add_cursor(json& body, const std::optional<std::string>& cursor) {
  // Notion rejects "start_cursor": null (makenotion/notion-sdk-js#723): omit it instead.
  if (cursor && !cursor->empty()) body["start_cursor"] = *cursor;
}

void add_cursor(Request& request, const std::optional<std::string>& cursor) {
  if (cursor && !cursor->empty()) request.query.emplace_back("start_cursor", *cursor);
}

json title_text(std::string_view title) {
  return encode_rich_text(title, "the title");
}

}  // namespace

Request users_me() {
  return make(Method::get, "/v1/users/me");
}

Request list_users(const std::optional<std::string>& cursor) {
  Request request = make(Method::get, "/v1/users");
  request.query.emplace_back("page_size", std::to_string(max_page_size));
  add_cursor(request, cursor);
  return request;
}

Request create_file_upload(std::string_view filename, std::string_view content_type,
                           int number_of_parts) {
  json body = {{"mode", number_of_parts > 0 ? "multi_part" : "single_part"},
               {"filename", filename},
               {"content_type", content_type}};
  if (number_of_parts > 0) body["number_of_parts"] = number_of_parts;
  return make(Method::post, "/v1/file_uploads", std::move(body));
}

Request send_file_upload(std::string_view file_upload_id, std::string_view filename,
                         std::string_view content_type, std::string bytes, int part_number) {
  Request request = make(
      Method::post, "/v1/file_uploads/" + id_segment(file_upload_id, "file upload id") + "/send");
  request.form.push_back(
      {"file", std::move(bytes), std::string(filename), std::string(content_type)});
  if (part_number > 0) request.form.push_back({"part_number", std::to_string(part_number), "", ""});
  return request;
}

Request complete_file_upload(std::string_view file_upload_id) {
  return make(Method::post,
              "/v1/file_uploads/" + id_segment(file_upload_id, "file upload id") + "/complete");
}

Request retrieve_file_upload(std::string_view file_upload_id) {
  return make(Method::get, "/v1/file_uploads/" + id_segment(file_upload_id, "file upload id"));
}

Request search(std::string_view query, std::string_view object_type,
               const std::optional<std::string>& cursor) {
  json body = {{"page_size", max_page_size}};
  if (!query.empty()) body["query"] = query;
  if (!object_type.empty()) body["filter"] = {{"property", "object"}, {"value", object_type}};
  add_cursor(body, cursor);
  return make(Method::post, "/v1/search", std::move(body));
}

Request retrieve_database(std::string_view database_id) {
  return make(Method::get, "/v1/databases/" + id_segment(database_id, "database id"));
}

Request create_database(std::string_view parent_page_id, std::string_view title,
                        const json& initial_properties, bool is_inline) {
  const auto parent = normalize_notion_id(parent_page_id);
  if (!parent) {
    throw Error(ErrorKind::invalid_argument,
                "\"" + std::string(parent_page_id) + "\" is not a Notion page id");
  }
  json body = {{"parent", {{"type", "page_id"}, {"page_id", *parent}}},
               {"title", title_text(title)},
               {"is_inline", is_inline},
               {"initial_data_source", {{"properties", initial_properties}}}};
  return make(Method::post, "/v1/databases", std::move(body), false);
}

Request update_database(std::string_view database_id, json changes) {
  return make(Method::patch, "/v1/databases/" + id_segment(database_id, "database id"),
              std::move(changes));
}

Request retrieve_data_source(std::string_view data_source_id) {
  return make(Method::get, "/v1/data_sources/" + id_segment(data_source_id, "data source id"));
}

Request create_data_source(std::string_view database_id, std::string_view title,
                           const json& properties) {
  const auto parent = normalize_notion_id(database_id);
  if (!parent) {
    throw Error(ErrorKind::invalid_argument,
                "\"" + std::string(database_id) + "\" is not a Notion database id");
  }
  json body = {{"parent", {{"type", "database_id"}, {"database_id", *parent}}},
               {"title", title_text(title)},
               {"properties", properties}};
  return make(Method::post, "/v1/data_sources", std::move(body), false);
}

Request update_data_source(std::string_view data_source_id, json changes) {
  return make(Method::patch, "/v1/data_sources/" + id_segment(data_source_id, "data source id"),
              std::move(changes));
}

Request query_data_source(const DataSourceQuery& query, const std::optional<std::string>& cursor) {
  if (query.page_size < 1 || query.page_size > max_page_size) {
    throw Error(ErrorKind::invalid_argument, "page_size must be between 1 and 100");
  }
  json body = {{"page_size", query.page_size}};
  if (!query.filter.is_null() && !query.filter.empty()) body["filter"] = query.filter;
  if (query.sorts.is_array() && !query.sorts.empty()) body["sorts"] = query.sorts;
  if (query.in_trash) body["in_trash"] = true;
  add_cursor(body, cursor);
  Request request =
      make(Method::post,
           "/v1/data_sources/" + id_segment(query.data_source_id, "data source id") + "/query",
           std::move(body));
  // filter_properties is a query parameter, repeated; in the body Notion rejects it
  // (notion-dotnet/notion-sdk-net#541).
  for (const std::string& property : query.filter_properties) {
    request.query.emplace_back("filter_properties", property);
  }
  return request;
}

Request create_page(std::string_view data_source_id, const json& properties,
                    const std::optional<std::string>& markdown) {
  const auto parent = normalize_notion_id(data_source_id);
  if (!parent) {
    throw Error(ErrorKind::invalid_argument,
                "\"" + std::string(data_source_id) + "\" is not a Notion data source id");
  }
  json body = {{"parent", {{"type", "data_source_id"}, {"data_source_id", *parent}}},
               {"properties", properties}};
  if (markdown) body["markdown"] = *markdown;
  return make(Method::post, "/v1/pages", std::move(body), false);
}

Request create_page(std::string_view data_source_id, const json& properties,
                    const std::optional<std::string>& markdown, const PageAppearance& appearance) {
  Request request = create_page(data_source_id, properties, markdown);
  if (appearance.icon) (*request.body)["icon"] = *appearance.icon;
  if (appearance.cover) (*request.body)["cover"] = *appearance.cover;
  return request;
}

Request retrieve_page_markdown(std::string_view page_id) {
  return make(Method::get, "/v1/pages/" + id_segment(page_id, "page id") + "/markdown");
}

Request replace_page_markdown(std::string_view page_id, std::string_view markdown,
                              bool allow_deleting_content) {
  json command = {{"new_str", markdown}};
  if (allow_deleting_content) command["allow_deleting_content"] = true;
  return make(Method::patch, "/v1/pages/" + id_segment(page_id, "page id") + "/markdown",
              json{{"type", "replace_content"}, {"replace_content", std::move(command)}});
}

Request retrieve_page(std::string_view page_id, const std::vector<std::string>& filter_properties) {
  Request request = make(Method::get, "/v1/pages/" + id_segment(page_id, "page id"));
  for (const std::string& property : filter_properties) {
    request.query.emplace_back("filter_properties", property);
  }
  return request;
}

Request update_page(std::string_view page_id, const json& properties) {
  return make(Method::patch, "/v1/pages/" + id_segment(page_id, "page id"),
              json{{"properties", properties}});
}

Request update_page(std::string_view page_id, const json& properties,
                    const PageAppearance& appearance) {
  Request request = update_page(page_id, properties);
  if (appearance.icon) (*request.body)["icon"] = *appearance.icon;
  if (appearance.cover) (*request.body)["cover"] = *appearance.cover;
  return request;
}

Request trash_page(std::string_view page_id, bool in_trash) {
  return make(Method::patch, "/v1/pages/" + id_segment(page_id, "page id"),
              json{{"in_trash", in_trash}});
}

Request retrieve_property_item(std::string_view page_id, std::string_view property_id,
                               const std::optional<std::string>& cursor) {
  Request request =
      make(Method::get, "/v1/pages/" + id_segment(page_id, "page id") + "/properties/" +
                            path_segment(property_id, "property id"));
  request.query.emplace_back("page_size", std::to_string(max_page_size));
  add_cursor(request, cursor);
  return request;
}

Request list_block_children(std::string_view block_id, const std::optional<std::string>& cursor) {
  Request request =
      make(Method::get, "/v1/blocks/" + id_segment(block_id, "block id") + "/children");
  request.query.emplace_back("page_size", std::to_string(max_page_size));
  add_cursor(request, cursor);
  return request;
}

Request delete_block(std::string_view block_id) {
  return make(Method::del, "/v1/blocks/" + id_segment(block_id, "block id"));
}

}  // namespace notionsync::notion::endpoints
