// PropertyType: the Notion property types notionsync reads and writes.
#pragma once

#include <optional>
#include <string_view>

namespace notionsync::notion {

enum class PropertyType {
  // Writable.
  title,
  rich_text,
  number,
  url,
  email,
  phone_number,
  select,
  multi_select,
  status,
  date,
  checkbox,
  relation,
  people,
  files,
  // Read-only: computed by Notion, decoded but never written.
  formula,
  rollup,
  created_time,
  last_edited_time,
  created_by,
  last_edited_by,
  unique_id,
};

// Notion's name for the type ("rich_text").
std::string_view to_string(PropertyType type);

// The type named `name`; nullopt for types notionsync does not handle (button, place, ...).
std::optional<PropertyType> parse_property_type(std::string_view name);

// False for the read-only types.
bool is_writable(PropertyType type);

}  // namespace notionsync::notion
