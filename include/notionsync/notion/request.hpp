// Request: one Notion API call as a plain value, built by the functions in endpoints.hpp and sent
// by Client (client.hpp).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace notionsync::notion {

enum class Method { get, post, patch, del };

std::string_view to_string(Method method);  // "GET", "POST", "PATCH", "DELETE"

// One field of a multipart/form-data body.
struct FormField {
  std::string name;
  std::string value;         // the text, or a file's bytes
  std::string filename;      // a file's name; empty for a text field
  std::string content_type;  // a file's type; empty for a text field
};

struct Request {
  Method method = Method::get;
  std::string path;  // starts with "/v1/", path parameters already encoded as Notion expects
  // Query parameters, unencoded; repeated names are sent repeated (filter_properties).
  std::vector<std::pair<std::string, std::string>> query;
  std::optional<nlohmann::json> body;  // sent as JSON with Content-Type: application/json
  // False for calls that create something (POST /v1/pages, /v1/databases, /v1/data_sources): they
  // are never re-sent once they may have reached Notion (see retry_policy.hpp).
  bool idempotent = true;
  // When not empty: the body, sent as multipart/form-data instead of `body` (the File Upload
  // API's send).
  std::vector<FormField> form{};
};

}  // namespace notionsync::notion
