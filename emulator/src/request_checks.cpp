#include "request_checks.hpp"

#include <algorithm>

#include "file_types.hpp"
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

namespace {

// {"type"?: "file_upload", "file_upload": {"id"}}: the stored form of an uploaded icon or cover, or
// null when `visual` is not one. Only image uploads serve as icons and covers: the guide says
// "Page icons can't be PDFs" and nothing of other types, so any other type is refused (stricter).
json uploaded_visual(const json& visual, const std::string& path, const AttachUpload& attach,
                     const char* what) {
  if (!attach || !visual.is_object() || !visual.contains("file_upload")) return nullptr;
  if (visual.contains("type") && visual["type"] != "file_upload") {
    throw body_validation_error(path + ".type", "`file_upload`", visual["type"]);
  }
  const std::string id = id_field(visual["file_upload"], "id", path + ".file_upload");
  const std::string content_type = attach(id, path + ".file_upload.id").content_type;
  if (content_type == "application/pdf" && std::string_view(what) == "icon") {
    throw validation_error("Page icons can't be PDFs (" + path + ": file upload " + id + ").");
  }
  if (!is_image_type(content_type)) {
    throw validation_error(std::string("A page ") + what + " must be an image; file upload " + id +
                           " is " + content_type + " (" + path + ").");
  }
  return {{"type", "file_upload"}, {"file_upload", {{"id", id}}}};
}

}  // namespace

json icon_from(const json& icon, const std::string& path, const AttachUpload& attach) {
  if (icon.is_null()) return nullptr;
  if (json uploaded = uploaded_visual(icon, path, attach, "icon"); !uploaded.is_null()) {
    return uploaded;
  }
  if (icon.is_object() && icon.contains("emoji") && icon["emoji"].is_string()) {
    return {{"type", "emoji"}, {"emoji", icon["emoji"]}};
  }
  if (icon.is_object() && icon.contains("external") && icon["external"].is_object() &&
      icon["external"].contains("url") && icon["external"]["url"].is_string()) {
    return {{"type", "external"}, {"external", {{"url", icon["external"]["url"]}}}};
  }
  throw body_validation_error(path, "an emoji or external icon", icon);
}

json cover_from(const json& cover, const std::string& path, const AttachUpload& attach) {
  if (cover.is_null()) return nullptr;
  if (json uploaded = uploaded_visual(cover, path, attach, "cover"); !uploaded.is_null()) {
    return uploaded;
  }
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
