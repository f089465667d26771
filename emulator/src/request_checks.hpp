// Checks shared by the workspace operations: allowed body keys, ids inside bodies, icons, covers,
// and Notion's "not shared with your integration" 404.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "api_error.hpp"

namespace notion_emulator {

// Notion rejects keys an endpoint does not know ("body.X should be not present").
void check_body_keys(const nlohmann::json& body, std::initializer_list<std::string_view> allowed);

// A dashed id from `object[key]`; throws validation_error naming `path` when absent or malformed.
std::string id_field(const nlohmann::json& object, const char* key, const std::string& path);

// An optional boolean body field.
bool bool_field(const nlohmann::json& body, const char* key, bool fallback);

// Icons ({emoji} or {external:{url}}) and covers ({external:{url}}) in their response form.
nlohmann::json icon_from(const nlohmann::json& icon, const std::string& path);
nlohmann::json cover_from(const nlohmann::json& cover, const std::string& path);

// 404 object_not_found with Notion's message about sharing.
ApiError not_found(std::string_view kind, const std::string& id);

inline const std::string kBotName = "notionsync emulator";

}  // namespace notion_emulator
