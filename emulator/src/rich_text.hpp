// Rich text arrays: request items checked against Notion's limits and turned into response items.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace notion_emulator {

// Length as Notion counts it for its 2000-character limit: UTF-16 code units (JavaScript length).
std::size_t utf16_length(std::string_view utf8);

// Validates a request rich text array (<= 100 items; text.content <= 2000, link url <= 2000,
// equation <= 1000) and returns the response form with annotations, plain_text and href.
// `path` names the array in error messages ("body.properties.Notes.rich_text").
// Throws ApiError(validation_error).
nlohmann::json normalize_rich_text(const nlohmann::json& items, const std::string& path);

// One plain text response item, as Notion answers for a title written as a string.
nlohmann::json text_item(const std::string& content);

// The concatenated plain_text of a response rich text array.
std::string plain_text(const nlohmann::json& response_items);

}  // namespace notion_emulator
