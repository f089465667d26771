// Checks shared by the workspace operations: allowed body keys, ids inside bodies, icons, covers,
// and Notion's "not shared with your integration" 404.
#pragma once

#include <functional>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "api_error.hpp"
#include "file_uploads.hpp"

namespace notion_emulator {

// Notion rejects keys an endpoint does not know ("body.X should be not present").
void check_body_keys(const nlohmann::json& body, std::initializer_list<std::string_view> allowed);

// A dashed id from `object[key]`; throws validation_error naming `path` when absent or malformed.
std::string id_field(const nlohmann::json& object, const char* key, const std::string& path);

// An optional boolean body field.
bool bool_field(const nlohmann::json& body, const char* key, bool fallback);

// Checks that the file upload `upload_id` (named at `path` in a request) can be attached, records
// it to be marked attached once the request is applied, and returns it. Throws validation_error
// otherwise.
using AttachUpload =
    std::function<const FileUpload&(const std::string& upload_id, const std::string& path)>;

// Icons ({emoji} or {external:{url}}) and covers ({external:{url}}) in their response form. With
// `attach` (pages), an uploaded image ({file_upload:{id}}) too, stored in its request form; a PDF
// is refused as an icon ("Page icons can't be PDFs", guide "Working with files and media").
nlohmann::json icon_from(const nlohmann::json& icon, const std::string& path,
                         const AttachUpload& attach = {});
nlohmann::json cover_from(const nlohmann::json& cover, const std::string& path,
                          const AttachUpload& attach = {});

// 404 object_not_found with Notion's message about sharing and, as Notion adds it,
// additional_data.integration_id.
ApiError not_found(std::string_view kind, const std::string& id);

// The integration the emulator's token belongs to: its bot user's name and id.
inline const std::string kBotName = "notionsync emulator";
inline const std::string kBotId = "5f0b9ad7-3e2c-4c55-9f6c-0d6b1c3e0b07";
// The workspace's id (users/me's bot.workspace_id; formula references name it too).
inline const std::string kWorkspaceId = "0e1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b";

}  // namespace notion_emulator
