// Key: the primary key of a declared row, made of one or several Values.
//
// A key is compared and stored through its canonical encoding, so keys of any value type work the
// same way (strings, integers, floats, dates, date-times, tuples): Key({"Ada", 1}).encoded() is the
// same bytes on every run and platform, and Key({1.0}) equals Key({1}). Text is compared in
// Unicode normalization form C: "é" typed as one code point or as "e" and a combining accent is
// one key.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "notionsync/core/value.hpp"

namespace notionsync {

class Key {
 public:
  Key() = default;
  explicit Key(std::vector<Value> parts) : parts_(std::move(parts)) {}
  Key(std::initializer_list<Value> parts) : parts_(parts) {}

  const std::vector<Value>& parts() const { return parts_; }

  // Canonical encoding, of text in NFC. Throws Error(ErrorKind::invalid_value) when the key has
  // no parts, a part is empty (null, or text of only whitespace: see is_blank) or cannot be
  // encoded (NaN, invalid UTF-8).
  std::string encoded() const;

  // Inverse of encoded(). Throws Error(ErrorKind::invalid_value) on malformed input.
  static Key decode(std::string_view encoded);

  // "Ada" for one part, ("Ada", 1) for several; for messages. A text over 200 characters is cut
  // there and says how long it was: "aaaa…" (5000 characters).
  std::string to_display() const;

  friend bool operator==(const Key&, const Key&) = default;

 private:
  std::vector<Value> parts_;
};

// Display form of an encoded key (as Key::to_display), falling back to the raw bytes (shortened
// the same way) if they do not decode.
std::string display_encoded_key(std::string_view encoded);

// `text` in Unicode normalization form C (canonical composition), or nullopt when it already is
// (ASCII text always is) or is not valid UTF-8.
std::optional<std::string> to_nfc(std::string_view text);
// `value` with its text in NFC, lists item by item: `value` itself when nothing changes, else
// `storage`, which holds the normalised copy.
const Value& nfc_value(const Value& value, Value& storage);

// True when `text` is empty or holds only whitespace (Unicode White_Space, and the zero-width
// space and no-break space that show as nothing): as a key value, such text is empty.
bool is_blank(std::string_view text);

}  // namespace notionsync
