#include "request_checks.hpp"

#include <algorithm>

#include "ids.hpp"

namespace notion_emulator {

using nlohmann::json;

void check_body_keys(const json& body, std::initializer_list<std::string_view> allowed) {
  if (!body.is_object()) throw body_validation_error("body", "an object", body);
  for (const auto& [key, value] : body.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      throw validation_error("body failed validation: body." + key +
                             " should be not present, instead was `" + value.dump() + "`.");
    }
  }
}

std::string id_field(const json& object, const char* key, const std::string& path) {
  if (!object.is_object() || !object.contains(key)) {
    throw missing_field_error(path + "." + key);
  }
  const json& value = object[key];
  const auto id = value.is_string() ? normalize_id(value.get<std::string>()) : std::nullopt;
  if (!id) throw body_validation_error(path + "." + key, "a valid uuid", value);
  return *id;
}

bool bool_field(const json& body, const char* key, bool fallback) {
  if (!body.contains(key)) return fallback;
  const json& value = body[key];
  if (!value.is_boolean())
    throw body_validation_error(std::string("body.") + key, "a boolean", value);
  return value.get<bool>();
}

json icon_from(const json& icon, const std::string& path) {
  if (icon.is_null()) return nullptr;
  if (icon.is_object() && icon.contains("emoji") && icon["emoji"].is_string()) {
    return {{"type", "emoji"}, {"emoji", icon["emoji"]}};
  }
  if (icon.is_object() && icon.contains("external") && icon["external"].is_object() &&
      icon["external"].contains("url") && icon["external"]["url"].is_string()) {
    return {{"type", "external"}, {"external", {{"url", icon["external"]["url"]}}}};
  }
  throw body_validation_error(path, "an emoji or external icon", icon);
}

json cover_from(const json& cover, const std::string& path) {
  if (cover.is_null()) return nullptr;
  if (cover.is_object() && cover.contains("external") && cover["external"].is_object() &&
      cover["external"].contains("url") && cover["external"]["url"].is_string()) {
    return {{"type", "external"}, {"external", {{"url", cover["external"]["url"]}}}};
  }
  throw body_validation_error(path, "an external cover", cover);
}

ApiError not_found(std::string_view kind, const std::string& id) {
  return ApiError(404, "object_not_found",
                  "Could not find " + std::string(kind) + " with ID: " + id +
                      ". Make sure the relevant pages and databases are shared with your "
                      "integration \"" +
                      kBotName + "\".",
                  {{"integration_id", kBotId}});
}

}  // namespace notion_emulator
