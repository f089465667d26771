// Row: one declared record, a list of named Values (columns or struct fields).
//
//   Row row{{"name", "Ada"}, {"email", "ada@example.com"}, {"age", 36}};
//   const Value* email = row.find("email");
//
// Field order does not matter to the canonical encoding: fields are encoded sorted by name.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "notionsync/core/value.hpp"

namespace notionsync {

struct Field {
  std::string name;
  Value value;
  friend bool operator==(const Field&, const Field&) = default;
};

class Row {
 public:
  Row() = default;
  Row(std::initializer_list<Field> fields);

  // Sets `name` to `value`, replacing an existing field of that name.
  Row& set(std::string name, Value value);
  // The field's value, or nullptr when the row has no such field.
  const Value* find(std::string_view name) const;
  Value* find(std::string_view name);
  void reserve(std::size_t fields) { fields_.reserve(fields); }
  // Removes the field of that name, if there is one.
  void erase(std::string_view name);
  const std::vector<Field>& fields() const { return fields_; }
  bool empty() const { return fields_.empty(); }

  friend bool operator==(const Row&, const Row&) = default;

 private:
  std::vector<Field> fields_;
};

// Canonical encoding of a row (fields sorted by name). Throws RowValueError naming the field whose
// value cannot be encoded.
std::string canonical_encoding(const Row& row);

// Inverse of canonical_encoding(const Row&); fields come back sorted by name.
Row decode_canonical_row(std::string_view encoded);

}  // namespace notionsync
