#include "source_rows.hpp"

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "notionsync/notion/file_values.hpp"
#include "notionsync/sources/csv_source.hpp"
#include "notionsync/sources/jsonl_source.hpp"
#include "notionsync/sources/prefetch_source.hpp"
#include "notionsync/sources/sqlite_query_source.hpp"
#include "notionsync/sources/value_conversion.hpp"
#if NOTIONSYNC_WITH_POSTGRES
#include "notionsync/postgres/query_source.hpp"
#endif

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
#if NOTIONSYNC_WITH_POSTGRES
  return sources::open_postgres_query(source.url, source.query);
#else
  throw ConfigError(kBuiltWithoutPostgres);
#endif
}

}  // namespace

template <typename Rows>
DeclareStats declare_source_rows(const TargetConfig& target, Rows& handle) {
  auto opened = open_source(target.source);
  // JSONL learns its columns while reading; every other source knows them up front. Each
  // property bound to a column the source does not have is named with its line in the config.
  if (target.source.type != "jsonl") {
    const auto schema = target.schema();
    const auto unknown = schema.unknown_fields(opened->columns());
    if (!unknown.empty()) {
      std::string message =
          "target \"" + target.name + "\": the source has no column for some properties:";
      for (const auto& field : unknown) {
        if (field.binding == nullptr) {
          message += "\n  - " + target.body_where + ": " + field.problem;
          continue;
        }
        const auto property =
            std::find_if(target.properties.begin(), target.properties.end(),
                         [&](const PropertyConfig& p) { return p.name == field.binding->name; });
        message += "\n  - " + property->where + ": " + field.problem;
      }
      throw ConfigError(message);
    }
  }
  // What each property needs from a record, worked out once rather than per row.
  enum class Files { none, items, icon, cover };  // values that may name local files
  struct Conversion {
    const std::string* column;
    ValueKind kind;
    sources::ConversionOptions options;
    Files files = Files::none;
  };
  std::vector<Conversion> conversions;
  for (const auto& property : target.properties) {
    Conversion conversion{&property.column, kind_for(property.type), {}};
    if (!property.separator.empty()) conversion.options.separator = property.separator;
    if (property.type == PropertyType::files) conversion.files = Files::items;
    conversions.push_back(std::move(conversion));
  }
  if (!target.body_column.empty())
    conversions.push_back({&target.body_column, ValueKind::text, {}});
  if (!target.icon_column.empty()) {
    conversions.push_back({&target.icon_column, ValueKind::text, {}, Files::icon});
  }
  if (!target.cover_column.empty()) {
    conversions.push_back({&target.cover_column, ValueKind::text, {}, Files::cover});
  }
  // Local files are named relative to the config file's folder.
  const auto rebased = [folder = target.files_folder](Value value, bool icon) {
    if (value.type() != Value::Type::string) return value;
    return Value(notion::rebase_local_path(value.as_string(), folder, icon));
  };
  const bool fields_may_be_missing = target.source.type == "jsonl";
  // Turns a record's raw values into the typed row its properties declare; a value that does not
  // convert becomes an error of the record, naming its column. The target's schema binds a column
  // to one property at most (it refuses a column bound twice), so each value is converted where
  // it is. Columns no property reads stay in the row; nothing looks them up.
  const auto convert = [&conversions, fields_may_be_missing,
                        &rebased](sources::SourceRecord& record) {
    for (const auto& conversion : conversions) {
      const std::string& column = *conversion.column;
      Value* raw = record.row.find(column);
      if (raw == nullptr) {
        // A JSONL record may leave a field out: that is an empty value, as in a CSV cell.
        if (fields_may_be_missing) record.row.set(column, Value());
        continue;
      }
      auto converted =
          sources::try_convert_value(std::move(*raw), conversion.kind, conversion.options);
      if (!converted.ok()) {
        record.errors.push_back(RowError{record.origin, "", column, converted.error});
        record.row.erase(column);  // a value that did not convert is no value
        continue;
      }
      *raw = std::move(converted.value);
      if (conversion.files == Files::items && raw->type() == Value::Type::list) {
        Value::List items;
        for (const Value& item : raw->as_list()) items.push_back(rebased(item, false));
        *raw = Value(std::move(items));
      } else if (conversion.files != Files::none) {
        *raw = rebased(std::move(*raw), conversion.files == Files::icon);
      }
    }
  };
  // Reading and parsing the source's records (on the reading thread) overlaps with encoding and
  // fingerprinting them (here). Converting goes to whichever side has time (see prefetch).
  sources::PrefetchOptions read_ahead;
  read_ahead.prepare = convert;
  const auto source = sources::prefetch(std::move(opened), read_ahead);
  DeclareStats stats;
  while (auto record = source->next()) {
    ++stats.read;
    std::vector<RowError> errors = std::move(record->errors);
    const Row& row = record->row;
    if (!errors.empty()) {
      for (auto& error : errors) {
        if (error.origin.empty()) error.origin = record->origin;
        handle.reject(std::move(error), row);
      }
      continue;
    }
    handle.declare(row, record->origin);  // its error, if any, is among the target's errors
  }
  return stats;
}

template DeclareStats declare_source_rows(const TargetConfig& target, TargetHandle& handle);
template DeclareStats declare_source_rows(const TargetConfig& target, Database<Row>& handle);

}  // namespace notionsync::cli
