#include "notionsync/core/target.hpp"

namespace notionsync {

EncodedRow TargetDriver::encode(const Row& row) const {
  const TargetSettings target_settings = settings();
  std::vector<Value> key_parts;
  for (const auto& column : target_settings.key_columns) {
    const Value* value = row.find(column);
    if (value == nullptr || value->is_null()) {
      throw RowValueError(column, "the key column '" + column + "' is empty");
    }
    key_parts.push_back(*value);
  }
  for (const auto& field : row.fields()) {
    try {
      canonical_encoding(field.value);
    } catch (const Error& error) {
      throw RowValueError(field.name, error.what());
    }
  }
  return EncodedRow{Key(std::move(key_parts)), canonical_encoding(row)};
}

}  // namespace notionsync
