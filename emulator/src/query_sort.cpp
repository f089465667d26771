// Data source query sorts (declared in query_filter.hpp).
#include <vector>

#include "api_error.hpp"
#include "page_value_reading.hpp"
#include "query_filter.hpp"

namespace notion_emulator {

using nlohmann::json;

namespace {

json sort_key(const Page& page, const PropertyDefinition& property) {
  const std::string& type = property.type;
  if (is_text_type(type)) {
    const std::string text = text_of(page, property);
    return text.empty() ? json(nullptr) : json(ascii_lower(text));
  }
  if (type == "date" || type == "created_time" || type == "last_edited_time") {
    const auto start = date_start(page, property);
    return start ? json(*start) : json(nullptr);
  }
  const json* value = stored_value(page, property.id);
  // A checkbox is never empty: an unset one is unchecked.
  if (type == "checkbox") return value != nullptr && value->get<bool>();
  if (value == nullptr) return nullptr;
  if (type == "select" || type == "status" || type == "multi_select") {
    // Notion orders options as the schema lists them, not alphabetically.
    const json id =
        type == "multi_select" ? (value->empty() ? json(nullptr) : (*value)[0]) : *value;
    const json options = property.config.value("options", json::array());
    for (std::size_t i = 0; i < options.size(); ++i) {
      if (options[i]["id"] == id) return i;
    }
    return nullptr;
  }
  if (value->is_array()) return value->empty() ? json(nullptr) : json(value->size());
  return *value;
}

}  // namespace

PageOrder compile_sorts(const json& sorts, const DataSource& data_source) {
  struct SortKey {
    std::function<json(const Page&)> key;
    bool descending;
  };
  std::vector<SortKey> keys;
  if (!sorts.is_null()) {
    if (!sorts.is_array()) throw body_validation_error("body.sorts", "an array", sorts);
    if (sorts.size() > 100) throw length_error("body.sorts", 100, sorts.size());
    for (std::size_t i = 0; i < sorts.size(); ++i) {
      const json& sort = sorts[i];
      const std::string path = "body.sorts[" + std::to_string(i) + "]";
      if (!sort.is_object()) throw body_validation_error(path, "an object", sort);
      const json direction = sort.value("direction", json("ascending"));
      if (direction != "ascending" && direction != "descending") {
        throw body_validation_error(path + ".direction", "`ascending` or `descending`", direction);
      }
      const bool descending = direction == "descending";
      if (sort.contains("timestamp")) {
        const json& timestamp = sort["timestamp"];
        if (timestamp != "created_time" && timestamp != "last_edited_time") {
          throw body_validation_error(path + ".timestamp", "`created_time` or `last_edited_time`",
                                      timestamp);
        }
        const bool created = timestamp == "created_time";
        // Notion answers timestamps rounded to the minute but orders by the real instant; the
        // sequence orders pages written within one millisecond.
        keys.push_back(
            {[created](const Page& page) {
               return json::array({created ? page.created_ms : page.last_edited_ms, page.sequence});
             },
             descending});
        continue;
      }
      if (!sort.contains("property") || !sort["property"].is_string()) {
        throw missing_field_error(path + ".property");
      }
      const PropertyDefinition* property =
          find_property(data_source.properties, sort["property"].get<std::string>());
      if (property == nullptr) {
        throw validation_error("Could not find sort property with name or id: " +
                               sort["property"].get<std::string>());
      }
      const PropertyDefinition copy = *property;
      keys.push_back({[copy](const Page& page) { return sort_key(page, copy); }, descending});
    }
  }
  return [keys](const Page& a, const Page& b) {
    for (const SortKey& sort : keys) {
      const json ka = sort.key(a);
      const json kb = sort.key(b);
      if (ka == kb) continue;
      if (ka.is_null()) return false;  // empty values last, in either direction
      if (kb.is_null()) return true;
      return sort.descending ? kb < ka : ka < kb;
    }
    // Notion lists the newest page first when no sort decides: all 66 queries without sorts in the
    // recordings behind ../shared/reference/notion-shapes-*.json answer in reverse creation order.
    return a.sequence > b.sequence;
  };
}
}  // namespace notion_emulator
