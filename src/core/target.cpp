#include "notionsync/core/target.hpp"

namespace notionsync {

EncodedRow TargetDriver::encode(const Row& row, const TargetSettings& settings) const {
  std::vector<Value> key_parts;
  key_parts.reserve(settings.key_columns.size());
  for (const auto& column : settings.key_columns) {
    const Value* value = row.find(column);
    if (value == nullptr || value->is_null() ||
        (value->type() == Value::Type::string && is_blank(value->as_string()))) {
      throw RowValueError(column, "the key column '" + column + "' is empty");
    }
    key_parts.push_back(*value);
  }
  return EncodedRow{Key(std::move(key_parts)), canonical_encoding(row), {}};
}

}  // namespace notionsync
