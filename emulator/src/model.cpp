#include "model.hpp"

#include <array>
#include <string_view>

#include "ids.hpp"

namespace notion_emulator {
namespace {

template <typename Properties>
auto* find_in(Properties& properties, const std::string& key) {
  for (auto& property : properties) {
    if (property.name == key) return &property;
  }
  const std::string decoded = percent_decode(key);
  for (auto& property : properties) {
    if (property.id == key || percent_decode(property.id) == decoded) return &property;
  }
  return static_cast<decltype(&properties[0])>(nullptr);
}

}  // namespace

const PropertyDefinition* find_property(const std::vector<PropertyDefinition>& properties,
                                        const std::string& key) {
  return find_in(properties, key);
}

PropertyDefinition* find_property(std::vector<PropertyDefinition>& properties,
                                  const std::string& key) {
  return find_in(properties, key);
}

bool is_read_only_type(const std::string& type) {
  static constexpr std::array<std::string_view, 7> read_only = {
      "formula",    "rollup",         "created_time", "last_edited_time",
      "created_by", "last_edited_by", "unique_id"};
  for (const auto name : read_only) {
    if (type == name) return true;
  }
  return false;
}

}  // namespace notion_emulator
