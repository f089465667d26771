// Rich text: Notion's text arrays, and the 2000-character limit per text item.
//
// Notion limits each rich-text item's text.content to 2000 characters and each array to 100 items
// (developers.notion.com, request limits). It counts characters as JavaScript does, in UTF-16 code
// units, so an emoji counts 2. Longer text is split into several items, on code point boundaries:
//
//   nlohmann::json items = encode_rich_text(long_text);   // [{"type":"text","text":{...}}, ...]
//   std::string text = plain_text(page["properties"]["Notes"]["rich_text"]);
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace notionsync::notion {

inline constexpr std::size_t max_text_units = 2000;  // per rich-text item
inline constexpr std::size_t max_array_items = 100;  // any array in a request

// Length of UTF-8 `text` in UTF-16 code units. REQUIRES: valid UTF-8.
std::size_t utf16_length(std::string_view text);

// Splits UTF-8 `text` into pieces of at most `max_units` UTF-16 code units, never inside a code
// point. Empty text gives no pieces. REQUIRES: valid UTF-8 and max_units >= 2.
std::vector<std::string> split_text(std::string_view text, std::size_t max_units = max_text_units);

// The request JSON for plain `text`: one {"type":"text","text":{"content":…}} item per piece; []
// for empty text. Throws Error(invalid_value) for invalid UTF-8 or text needing over 100 items.
// `what` names the value in messages ("property \"Notes\"").
nlohmann::json encode_rich_text(std::string_view text, std::string_view what = "text");

// The text of a rich-text array: each item's plain_text (or text.content) concatenated.
std::string plain_text(const nlohmann::json& rich_text_items);

}  // namespace notionsync::notion
