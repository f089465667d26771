#include "page_value_reading.hpp"

#include <cctype>

#include "rich_text.hpp"
#include "timestamps.hpp"

namespace notion_emulator {

using nlohmann::json;

const json* stored_value(const Page& page, const std::string& id) {
  const auto found = page.values.find(id);
  return found == page.values.end() || found->is_null() ? nullptr : &*found;
}

std::string text_of(const Page& page, const PropertyDefinition& property) {
  const json* value = stored_value(page, property.id);
  if (value == nullptr) return {};
  return value->is_string() ? value->get<std::string>() : plain_text(*value);
}

std::optional<std::string> option_name(const PropertyDefinition& property, const json& id) {
  for (const json& option : property.config.value("options", json::array())) {
    if (option["id"] == id) return option["name"].get<std::string>();
  }
  return std::nullopt;
}

std::vector<std::string> multi_select_names(const Page& page, const PropertyDefinition& property) {
  std::vector<std::string> names;
  if (const json* ids = stored_value(page, property.id)) {
    for (const json& id : *ids) {
      if (auto name = option_name(property, id)) names.push_back(*name);
    }
  }
  return names;
}

std::vector<std::string> ids_of(const Page& page, const PropertyDefinition& property) {
  std::vector<std::string> ids;
  if (const json* items = stored_value(page, property.id)) {
    for (const json& item : *items) ids.push_back(item["id"].get<std::string>());
  }
  return ids;
}

std::int64_t minute_of(std::int64_t ms) {
  return ms - ((ms % 60000) + 60000) % 60000;
}

std::optional<std::int64_t> date_start(const Page& page, const PropertyDefinition& property) {
  if (property.type == "created_time") return minute_of(page.created_ms);
  if (property.type == "last_edited_time") return minute_of(page.last_edited_ms);
  const json* value = stored_value(page, property.id);
  if (value == nullptr) return std::nullopt;
  return parse_instant((*value)["start"].get<std::string>());
}

bool is_text_type(const std::string& type) {
  return type == "title" || type == "rich_text" || type == "url" || type == "email" ||
         type == "phone_number";
}

std::string ascii_lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace notion_emulator
