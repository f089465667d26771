#include "notionsync/core/row.hpp"

#include <algorithm>
#include <utility>

#include "notionsync/core/error.hpp"

namespace notionsync {

Row::Row(std::initializer_list<Field> fields) {
  for (const auto& field : fields) set(field.name, field.value);
}

Row& Row::set(std::string name, Value value) {
  for (auto& field : fields_) {
    if (field.name == name) {
      field.value = std::move(value);
      return *this;
    }
  }
  fields_.push_back(Field{std::move(name), std::move(value)});
  return *this;
}

const Value* Row::find(std::string_view name) const {
  for (const auto& field : fields_) {
    if (field.name == name) return &field.value;
  }
  return nullptr;
}

void Row::erase(std::string_view name) {
  std::erase_if(fields_, [&](const Field& field) { return field.name == name; });
}

Value* Row::find(std::string_view name) {
  return const_cast<Value*>(std::as_const(*this).find(name));
}

std::string canonical_encoding(const Row& row) {
  std::vector<const Field*> sorted;
  sorted.reserve(row.fields().size());
  for (const auto& field : row.fields()) sorted.push_back(&field);
  const auto by_name = [](const Field* a, const Field* b) { return a->name < b->name; };
  // Encoders that build rows in name order (the Notion target) skip the sort.
  if (!std::is_sorted(sorted.begin(), sorted.end(), by_name)) {
    std::sort(sorted.begin(), sorted.end(), by_name);
  }
  // A list alternating name and value: decodable with the value decoder, and names cannot collide
  // with values because every element is length-prefixed or tagged.
  std::string out;
  append_canonical_list_header(out, sorted.size() * 2);
  for (const Field* field : sorted) {
    append_canonical_string(out, field->name);
    try {
      append_canonical(out, field->value);
    } catch (const Error& error) {
      throw RowValueError(field->name, "column '" + field->name + "': " + error.what());
    }
  }
  return out;
}

Row decode_canonical_row(std::string_view encoded) {
  const Value value = decode_canonical(encoded);
  if (value.type() != Value::Type::list || value.as_list().size() % 2 != 0) {
    throw Error(ErrorKind::invalid_value, "an encoded row must be a list of name/value pairs");
  }
  Row row;
  const auto& items = value.as_list();
  for (std::size_t i = 0; i < items.size(); i += 2) row.set(items[i].as_string(), items[i + 1]);
  return row;
}

}  // namespace notionsync
