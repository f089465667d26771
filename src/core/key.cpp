#include "notionsync/core/key.hpp"

#include "notionsync/core/error.hpp"

namespace notionsync {

std::string Key::encoded() const {
  if (parts_.empty())
    throw Error(ErrorKind::invalid_value, "a primary key needs at least one value");
  for (const auto& part : parts_) {
    if (part.is_null()) throw Error(ErrorKind::invalid_value, "a primary key value is empty");
  }
  // Always the list form, so a one-part key holding a list never collides with a multi-part key.
  std::string out;
  append_canonical_list_header(out, parts_.size());
  for (const auto& part : parts_) append_canonical(out, part);
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
  if (parts_.size() == 1) return parts_.front().to_display();
  std::string text = "(";
  for (std::size_t i = 0; i < parts_.size(); ++i) {
    if (i > 0) text += ", ";
    text += parts_[i].to_display();
  }
  return text + ")";
}

std::string display_encoded_key(std::string_view encoded) {
  try {
    return Key::decode(encoded).to_display();
  } catch (const Error&) {
    return std::string(encoded);
  }
}

}  // namespace notionsync
