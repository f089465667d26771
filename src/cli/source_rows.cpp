#include "source_rows.hpp"

#include <memory>

#include "notionsync/sources/csv_source.hpp"
#include "notionsync/sources/jsonl_source.hpp"
#include "notionsync/sources/postgres_query_source.hpp"
#include "notionsync/sources/sqlite_query_source.hpp"
#include "notionsync/sources/value_conversion.hpp"

namespace notionsync::cli {
namespace {

using notion::PropertyType;
using sources::ValueKind;

ValueKind kind_for(PropertyType type) {
  switch (type) {
    case PropertyType::number:
      return ValueKind::number;
    case PropertyType::checkbox:
      return ValueKind::boolean;
    case PropertyType::date:
      return ValueKind::date;
    case PropertyType::email:
      return ValueKind::email;
    case PropertyType::url:
      return ValueKind::url;
    case PropertyType::phone_number:
      return ValueKind::phone;
    case PropertyType::multi_select:
    case PropertyType::files:
    case PropertyType::people:
      return ValueKind::list;
    case PropertyType::relation:
      return ValueKind::id_list;
    default:
      return ValueKind::text;
  }
}

std::unique_ptr<sources::RowSource> open_source(const SourceConfig& source) {
  if (source.type == "csv") {
    sources::CsvOptions options;
    options.delimiter = source.delimiter;
    return sources::open_csv(source.path, options);
  }
  if (source.type == "jsonl") return sources::open_jsonl(source.path);
  if (source.type == "sqlite") return sources::open_sqlite_query(source.path, source.query);
  return sources::open_postgres_query(source.url, source.query);
}

}  // namespace

DeclareStats declare_source_rows(const TargetConfig& target, TargetHandle& handle) {
  auto source = open_source(target.source);
  // JSONL learns its columns while reading; every other source knows them up front.
  if (target.source.type != "jsonl") {
    try {
      target.schema().check_fields(source->columns());
    } catch (const Error& error) {
      throw ConfigError("target \"" + target.name + "\": " + error.what());
    }
  }
  DeclareStats stats;
  while (auto record = source->next()) {
    ++stats.read;
    std::vector<RowError> errors = std::move(record->errors);
    Row row;
    for (const auto& property : target.properties) {
      const Value* raw = record->row.find(property.column);
      if (raw == nullptr) {
        // A JSONL record may leave a field out: that is an empty value, as in a CSV cell.
        if (target.source.type == "jsonl") row.set(property.column, Value());
        continue;
      }
      sources::ConversionOptions options;
      if (!property.separator.empty()) options.separator = property.separator;
      auto converted = sources::try_convert_value(*raw, kind_for(property.type), options);
      if (!converted.ok()) {
        errors.push_back(RowError{record->origin, "", property.column, converted.error});
        continue;
      }
      row.set(property.column, std::move(converted.value));
    }
    if (!errors.empty()) {
      ++stats.rejected;
      for (auto& error : errors) {
        if (error.origin.empty()) error.origin = record->origin;
        handle.reject(std::move(error), row);
      }
      continue;
    }
    if (handle.declare(row, record->origin)) {
      ++stats.rejected;
    } else {
      ++stats.declared;
    }
  }
  return stats;
}

}  // namespace notionsync::cli
