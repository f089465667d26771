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

struct Request {
  Method method = Method::get;
  std::string path;  // starts with "/v1/", path parameters already encoded as Notion expects
  // Query parameters, unencoded; repeated names are sent repeated (filter_properties).
  std::vector<std::pair<std::string, std::string>> query;
  std::optional<nlohmann::json> body;  // sent as JSON with Content-Type: application/json
  // False for calls that create something (POST /v1/pages, /v1/databases, /v1/data_sources): they
  // are never re-sent once they may have reached Notion (see retry_policy.hpp).
  bool idempotent = true;
};

}  // namespace notionsync::notion
