#include "notionsync/core/key.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "notionsync/core/error.hpp"

namespace notionsync {

namespace {

// Keys quoted in messages are cut to this many characters: a key of thousands would drown the
// message (and the terminal) it appears in.
constexpr std::size_t max_display_characters = 200;

std::size_t utf8_sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;  // not a lead byte: counted alone
}

// The code point at `text[at]` (of `length` bytes), or 0xFFFFFFFF when malformed.
std::uint32_t code_point_at(std::string_view text, std::size_t at, std::size_t length) {
  if (at + length > text.size()) return 0xFFFFFFFF;
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[at + i]); };
  switch (length) {
    case 1:
      return byte(0);
    case 2:
      return (byte(0) & 0x1FU) << 6 | (byte(1) & 0x3FU);
    case 3:
      return (byte(0) & 0x0FU) << 12 | (byte(1) & 0x3FU) << 6 | (byte(2) & 0x3FU);
    default:
      return (byte(0) & 0x07U) << 18 | (byte(1) & 0x3FU) << 12 | (byte(2) & 0x3FU) << 6 |
             (byte(3) & 0x3FU);
  }
}

bool is_blank_code_point(std::uint32_t c) {
  // Unicode's White_Space, and the zero-width characters that show as nothing either.
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000 || c == 0xFEFF;
}

// `text` cut after max_display_characters code points, with "…" and how long it was, before
// `closing` (a closing quote); `text` and `closing` as they are when it is not longer.
std::string shortened(std::string_view text, std::string_view closing = "") {
  std::size_t characters = 0;
  std::size_t cut = std::string_view::npos;
  for (std::size_t at = 0; at < text.size();
       at += utf8_sequence_length(static_cast<unsigned char>(text[at]))) {
    if (characters++ == max_display_characters) cut = at;
  }
  if (cut == std::string_view::npos) return std::string(text) + std::string(closing);
  return std::string(text.substr(0, cut)) + "…" + std::string(closing) + " (" +
         std::to_string(characters) + " characters)";
}

std::string display_part(const Value& part) {
  if (part.type() != Value::Type::string) return part.to_display();
  return "\"" + shortened(part.as_string(), "\"");
}

}  // namespace

std::optional<std::string> to_nfc(std::string_view text) {
  if (std::all_of(text.begin(), text.end(), [](char c) { return (c & 0x80) == 0; })) {
    return std::nullopt;  // ASCII is in every normalization form
  }
  // The length is passed, so a NUL byte does not end the text; invalid UTF-8 is left to the
  // encoding, which rejects it with its own message.
  utf8proc_uint8_t* normalized = nullptr;
  const auto length =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                   static_cast<utf8proc_ssize_t>(text.size()), &normalized,
                   static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (length < 0) return std::nullopt;
  std::string result(reinterpret_cast<const char*>(normalized), static_cast<std::size_t>(length));
  std::free(normalized);
  if (result == text) return std::nullopt;
  return result;
}

const Value& nfc_value(const Value& value, Value& storage) {
  if (value.type() == Value::Type::string) {
    if (auto normalized = to_nfc(value.as_string())) {
      storage = Value(std::move(*normalized));
      return storage;
    }
    return value;
  }
  if (value.type() != Value::Type::list) return value;
  Value::List items;
  bool changed = false;
  for (const auto& item : value.as_list()) {
    Value item_storage;
    const Value& normal = nfc_value(item, item_storage);
    changed = changed || &normal == &item_storage;
    items.push_back(normal);
  }
  if (!changed) return value;
  storage = Value(std::move(items));
  return storage;
}

bool is_blank(std::string_view text) {
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t length = utf8_sequence_length(static_cast<unsigned char>(text[at]));
    if (!is_blank_code_point(code_point_at(text, at, length))) return false;
    at += length;
  }
  return true;
}

std::string Key::encoded() const {
  if (parts_.empty())
    throw Error(ErrorKind::invalid_value, "a primary key needs at least one value");
  for (const auto& part : parts_) {
    if (part.is_null() || (part.type() == Value::Type::string && is_blank(part.as_string()))) {
      throw Error(ErrorKind::invalid_value, "a primary key value is empty");
    }
  }
  // Always the list form, so a one-part key holding a list never collides with a multi-part key.
  std::string out;
  append_canonical_list_header(out, parts_.size());
  for (const auto& part : parts_) {
    Value storage;  // the part in NFC, when it is not already
    append_canonical(out, nfc_value(part, storage));
  }
  return out;
}

Key Key::decode(std::string_view encoded) {
  const Value value = decode_canonical(encoded);
  if (value.type() != Value::Type::list) {
    throw Error(ErrorKind::invalid_value, "an encoded key must be a list of values");
  }
  return Key(value.as_list());
}

std::string Key::to_display() const {
  if (parts_.size() == 1) return display_part(parts_.front());
  std::string text = "(";
  for (std::size_t i = 0; i < parts_.size(); ++i) {
    if (i > 0) text += ", ";
    text += display_part(parts_[i]);
  }
  return text + ")";
}

std::string display_encoded_key(std::string_view encoded) {
  try {
    return Key::decode(encoded).to_display();
  } catch (const Error&) {
    return shortened(encoded);
  }
}

}  // namespace notionsync
