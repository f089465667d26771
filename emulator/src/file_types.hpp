// The file types Notion's File Upload API accepts: extensions and their content types (guide
// "Working with files and media", section "Supported file types").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace notion_emulator {

// The lowercase extension of `filename` without its dot ("report.PDF" -> "pdf"); empty when none.
std::string extension_of(std::string_view filename);

// Whether Notion accepts files with this extension (lowercase, no dot).
bool is_supported_extension(std::string_view extension);

// Whether `content_type` (parameters such as "; charset=utf-8" ignored) is one Notion accepts for
// `extension`.
bool content_type_matches(std::string_view extension, std::string_view content_type);

// The first extension Notion lists for `content_type`; nullopt for a type it does not accept.
std::optional<std::string> extension_for(std::string_view content_type);

// The content type a file with this extension is stored with (the first Notion lists).
std::string content_type_for(std::string_view extension);

// Whether two content types are the same, parameters and case aside.
bool same_content_type(std::string_view a, std::string_view b);

// Whether `content_type` is an image type (page icons and covers).
bool is_image_type(std::string_view content_type);

}  // namespace notion_emulator
