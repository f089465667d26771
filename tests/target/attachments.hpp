// The rows the files tests declare: Name (title, the key), Attachments (files), Note (text).
#pragma once

#include <string>
#include <vector>

#include "notionsync/core/row.hpp"
#include "notionsync/notion/database_schema.hpp"

namespace notionsync::testing {

inline notion::DatabaseSchema attachments_schema() {
  using notion::PropertyType;
  notion::DatabaseSchema schema;
  schema.add({.name = "Name", .type = PropertyType::title, .field = "name"})
      .add({.name = "Attachments", .type = PropertyType::files, .field = "files"})
      .add({.name = "Note", .type = PropertyType::rich_text, .field = "note"})
      .key("name");
  return schema;
}

inline Row attachment_row(const std::string& name, const std::vector<std::string>& files,
                          const std::string& note = "") {
  Value::List items;
  for (const auto& file : files) items.emplace_back(file);
  return Row{{"name", name}, {"files", Value(std::move(items))}, {"note", note}};
}

}  // namespace notionsync::testing
