#include "notionsync/notion/rich_text.hpp"

#include "notionsync/core/error.hpp"
#include "notionsync/core/value.hpp"

namespace notionsync::notion {
namespace {

// Bytes in the UTF-8 sequence starting with `lead`.
std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

}  // namespace

std::size_t utf16_length(std::string_view text) {
  std::size_t units = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t bytes = sequence_length(static_cast<unsigned char>(text[i]));
    units += bytes == 4 ? 2 : 1;  // code points past U+FFFF take a surrogate pair
    i += bytes;
  }
  return units;
}

std::vector<std::string> split_text(std::string_view text, std::size_t max_units) {
  std::vector<std::string> pieces;
  std::size_t piece_start = 0;
  std::size_t piece_units = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t bytes = sequence_length(static_cast<unsigned char>(text[i]));
    const std::size_t units = bytes == 4 ? 2 : 1;
    if (piece_units + units > max_units) {
      pieces.emplace_back(text.substr(piece_start, i - piece_start));
      piece_start = i;
      piece_units = 0;
    }
    piece_units += units;
    i += bytes;
  }
  if (piece_start < text.size()) pieces.emplace_back(text.substr(piece_start));
  return pieces;
}

nlohmann::json encode_rich_text(std::string_view text, std::string_view what) {
  if (!is_valid_utf8(text)) {
    throw Error(ErrorKind::invalid_value, std::string(what) + " is not valid UTF-8");
  }
  const std::vector<std::string> pieces = split_text(text);
  if (pieces.size() > max_array_items) {
    throw Error(ErrorKind::invalid_value,
                std::string(what) + " is " + std::to_string(utf16_length(text)) +
                    " characters long; Notion accepts at most 100 text items of 2000 characters "
                    "(200000 characters)");
  }
  nlohmann::json items = nlohmann::json::array();
  for (const std::string& piece : pieces) {
    items.push_back({{"type", "text"}, {"text", {{"content", piece}}}});
  }
  return items;
}

std::string plain_text(const nlohmann::json& rich_text_items) {
  std::string text;
  if (!rich_text_items.is_array()) return text;
  for (const auto& item : rich_text_items) {
    if (!item.is_object()) continue;
    if (auto it = item.find("plain_text"); it != item.end() && it->is_string()) {
      text += it->get_ref<const std::string&>();
    } else if (auto t = item.find("text"); t != item.end() && t->is_object()) {
      if (auto c = t->find("content"); c != t->end() && c->is_string()) {
        text += c->get_ref<const std::string&>();
      }
    }
  }
  return text;
}

}  // namespace notionsync::notion
