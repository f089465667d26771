// Maps one API request (method, path, query, body) to the workspace operation that answers it.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "file_uploads.hpp"
#include "workspace.hpp"

namespace notion_emulator {

struct ApiRequest {
  std::string method;
  std::string path;  // percent-decoded
  std::multimap<std::string, std::string> params;
  nlohmann::json body = nlohmann::json::object();
  bool multipart = false;        // the body was multipart/form-data...
  std::vector<FormPart> form{};  // ...with these parts
};

// Runs `request` against `workspace` and returns the response body.
// Throws ApiError: invalid_request_url for unknown routes, validation_error for malformed ids,
// and whatever the operation throws.
nlohmann::json route(Workspace& workspace, const ApiRequest& request);

}  // namespace notion_emulator
