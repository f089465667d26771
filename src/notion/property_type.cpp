#include "notionsync/notion/property_type.hpp"

#include <array>
#include <utility>

namespace notionsync::notion {
namespace {

constexpr std::array<std::pair<PropertyType, std::string_view>, 21> names = {{
    {PropertyType::title, "title"},
    {PropertyType::rich_text, "rich_text"},
    {PropertyType::number, "number"},
    {PropertyType::url, "url"},
    {PropertyType::email, "email"},
    {PropertyType::phone_number, "phone_number"},
    {PropertyType::select, "select"},
    {PropertyType::multi_select, "multi_select"},
    {PropertyType::status, "status"},
    {PropertyType::date, "date"},
    {PropertyType::checkbox, "checkbox"},
    {PropertyType::relation, "relation"},
    {PropertyType::people, "people"},
    {PropertyType::files, "files"},
    {PropertyType::formula, "formula"},
    {PropertyType::rollup, "rollup"},
    {PropertyType::created_time, "created_time"},
    {PropertyType::last_edited_time, "last_edited_time"},
    {PropertyType::created_by, "created_by"},
    {PropertyType::last_edited_by, "last_edited_by"},
    {PropertyType::unique_id, "unique_id"},
}};

}  // namespace

std::string_view to_string(PropertyType type) {
  for (const auto& [t, name] : names) {
    if (t == type) return name;
  }
  return "unknown";
}

std::optional<PropertyType> parse_property_type(std::string_view name) {
  for (const auto& [t, n] : names) {
    if (n == name) return t;
  }
  return std::nullopt;
}

bool is_writable(PropertyType type) {
  switch (type) {
    case PropertyType::formula:
    case PropertyType::rollup:
    case PropertyType::created_time:
    case PropertyType::last_edited_time:
    case PropertyType::created_by:
    case PropertyType::last_edited_by:
    case PropertyType::unique_id:
      return false;
    default:
      return true;
  }
}

}  // namespace notionsync::notion
