#include "query_filter.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "api_error.hpp"
#include "ids.hpp"
#include "page_value_reading.hpp"
#include "request_checks.hpp"
#include "timestamps.hpp"

namespace notion_emulator {
namespace {

using nlohmann::json;

struct Interval {
  std::int64_t start;
  std::int64_t end;  // exclusive
};

// The one condition of a condition object, e.g. {"equals": 3} -> ("equals", 3).
std::pair<std::string, json> single_condition(const json& condition, const std::string& path) {
  if (!condition.is_object() || condition.size() != 1) {
    throw validation_error("body failed validation: " + path +
                           " should have exactly one filter condition, instead was `" +
                           condition.dump() + "`.");
  }
  return {condition.begin().key(), condition.begin().value()};
}

ApiError unknown_condition(const std::string& path, const std::string& name) {
  return validation_error("body failed validation: " + path + "." + name +
                          " should be not present, it is not a condition of this filter type.");
}

void require_true(const json& value, const std::string& path) {
  if (value != true) throw body_validation_error(path, "`true`", value);
}

std::function<bool(const std::string&)> text_condition(const json& condition,
                                                       const std::string& path) {
  auto [name, operand] = single_condition(condition, path);
  if (name == "is_empty" || name == "is_not_empty") {
    require_true(operand, path + "." + name);
    const bool want_empty = name == "is_empty";
    return [want_empty](const std::string& value) { return value.empty() == want_empty; };
  }
  if (!operand.is_string()) throw body_validation_error(path + "." + name, "a string", operand);
  const std::string exact = operand.get<std::string>();
  const std::string folded = ascii_lower(exact);
  if (name == "equals") return [exact](const std::string& v) { return v == exact; };
  if (name == "does_not_equal") return [exact](const std::string& v) { return v != exact; };
  if (name == "contains") {
    return
        [folded](const std::string& v) { return ascii_lower(v).find(folded) != std::string::npos; };
  }
  if (name == "does_not_contain") {
    return
        [folded](const std::string& v) { return ascii_lower(v).find(folded) == std::string::npos; };
  }
  if (name == "starts_with") {
    return [folded](const std::string& v) { return ascii_lower(v).rfind(folded, 0) == 0; };
  }
  if (name == "ends_with") {
    return [folded](const std::string& v) {
      const std::string l = ascii_lower(v);
      return l.size() >= folded.size() &&
             l.compare(l.size() - folded.size(), folded.size(), folded) == 0;
    };
  }
  throw unknown_condition(path, name);
}

std::function<bool(std::optional<double>)> number_condition(const json& condition,
                                                            const std::string& path) {
  auto [name, operand] = single_condition(condition, path);
  if (name == "is_empty" || name == "is_not_empty") {
    require_true(operand, path + "." + name);
    const bool want_empty = name == "is_empty";
    return [want_empty](std::optional<double> v) { return !v.has_value() == want_empty; };
  }
  if (!operand.is_number()) throw body_validation_error(path + "." + name, "a number", operand);
  const double x = operand.get<double>();
  if (name == "equals") return [x](std::optional<double> v) { return v && *v == x; };
  if (name == "does_not_equal") return [x](std::optional<double> v) { return !v || *v != x; };
  if (name == "greater_than") return [x](std::optional<double> v) { return v && *v > x; };
  if (name == "less_than") return [x](std::optional<double> v) { return v && *v < x; };
  if (name == "greater_than_or_equal_to") {
    return [x](std::optional<double> v) { return v && *v >= x; };
  }
  if (name == "less_than_or_equal_to") {
    return [x](std::optional<double> v) { return v && *v <= x; };
  }
  throw unknown_condition(path, name);
}

Interval operand_interval(const json& operand, const std::string& path, std::int64_t now) {
  if (!operand.is_string()) throw body_validation_error(path, "a date string", operand);
  const std::string text = operand.get<std::string>();
  if (const auto relative = resolve_relative_date(text, now))
    return {*relative, *relative + kDayMs};
  const auto instant = parse_instant(text);
  if (!instant) throw body_validation_error(path, "a valid ISO 8601 date string", operand);
  // A bare date names the whole day; a date-time names one instant.
  return is_date_only(text) ? Interval{*instant, *instant + kDayMs}
                            : Interval{*instant, *instant + 1};
}

std::function<bool(std::optional<std::int64_t>)> date_condition(const json& condition,
                                                                const std::string& path,
                                                                std::int64_t now) {
  using Instant = std::optional<std::int64_t>;
  auto [name, operand] = single_condition(condition, path);
  const std::string operand_path = path + "." + name;
  if (name == "is_empty" || name == "is_not_empty") {
    require_true(operand, operand_path);
    const bool want_empty = name == "is_empty";
    return [want_empty](Instant v) { return !v.has_value() == want_empty; };
  }
  const std::int64_t today = now - ((now % kDayMs) + kDayMs) % kDayMs;
  const auto window = [](std::int64_t from, std::int64_t to) {
    return [from, to](Instant v) { return v && *v >= from && *v < to; };
  };
  if (name == "past_week") return window(today - 7 * kDayMs, now + 1);
  if (name == "past_month") return window(today - 30 * kDayMs, now + 1);
  if (name == "past_year") return window(today - 365 * kDayMs, now + 1);
  if (name == "next_week") return window(now, today + 8 * kDayMs);
  if (name == "next_month") return window(now, today + 31 * kDayMs);
  if (name == "next_year") return window(now, today + 366 * kDayMs);
  if (name == "this_week") {
    // 1970-01-01 was a Thursday; weeks start on Monday.
    const std::int64_t weekday = ((today / kDayMs) + 3) % 7;
    return window(today - weekday * kDayMs, today + (7 - weekday) * kDayMs);
  }
  const Interval range = operand_interval(operand, operand_path, now);
  if (name == "equals")
    return [range](Instant v) { return v && *v >= range.start && *v < range.end; };
  if (name == "before") return [range](Instant v) { return v && *v < range.start; };
  if (name == "after") return [range](Instant v) { return v && *v >= range.end; };
  if (name == "on_or_before") return [range](Instant v) { return v && *v < range.end; };
  if (name == "on_or_after") return [range](Instant v) { return v && *v >= range.start; };
  throw unknown_condition(path, name);
}

// contains / does_not_contain / is_empty / is_not_empty over a list of ids or names.
std::function<bool(const std::vector<std::string>&)> list_condition(const json& condition,
                                                                    const std::string& path,
                                                                    const std::string& me_id,
                                                                    bool ids) {
  using List = std::vector<std::string>;
  auto [name, operand] = single_condition(condition, path);
  if (name == "is_empty" || name == "is_not_empty") {
    require_true(operand, path + "." + name);
    const bool want_empty = name == "is_empty";
    return [want_empty](const List& v) { return v.empty() == want_empty; };
  }
  if (name != "contains" && name != "does_not_contain") throw unknown_condition(path, name);
  if (!operand.is_string()) throw body_validation_error(path + "." + name, "a string", operand);
  std::string wanted = operand.get<std::string>();
  if (ids) {
    if (wanted == "me" && !me_id.empty()) {
      wanted = me_id;
    } else if (const auto id = normalize_id(wanted)) {
      wanted = *id;
    } else {
      throw body_validation_error(path + "." + name, "a valid uuid", operand);
    }
  }
  const bool want_present = name == "contains";
  return [wanted, want_present](const List& v) {
    return (std::find(v.begin(), v.end(), wanted) != v.end()) == want_present;
  };
}

std::function<bool(const std::optional<std::string>&)> select_condition(const json& condition,
                                                                        const std::string& path) {
  using Name = std::optional<std::string>;
  auto [name, operand] = single_condition(condition, path);
  if (name == "is_empty" || name == "is_not_empty") {
    require_true(operand, path + "." + name);
    const bool want_empty = name == "is_empty";
    return [want_empty](const Name& v) { return !v.has_value() == want_empty; };
  }
  if (!operand.is_string()) throw body_validation_error(path + "." + name, "a string", operand);
  const std::string wanted = operand.get<std::string>();
  if (name == "equals") return [wanted](const Name& v) { return v && *v == wanted; };
  if (name == "does_not_equal") return [wanted](const Name& v) { return !v || *v != wanted; };
  throw unknown_condition(path, name);
}

std::function<bool(bool)> checkbox_condition(const json& condition, const std::string& path) {
  auto [name, operand] = single_condition(condition, path);
  if (!operand.is_boolean()) throw body_validation_error(path + "." + name, "a boolean", operand);
  const bool wanted = operand.get<bool>();
  if (name == "equals") return [wanted](bool v) { return v == wanted; };
  if (name == "does_not_equal") return [wanted](bool v) { return v != wanted; };
  throw unknown_condition(path, name);
}

PagePredicate property_filter(const json& filter, const PropertyDefinition& property,
                              const std::string& path, const std::string& bot_id,
                              std::int64_t now) {
  std::string condition_key;
  for (const auto& [key, value] : filter.items()) {
    if (key != "property" && key != "type") condition_key = key;
  }
  if (condition_key.empty()) {
    throw validation_error("body failed validation: " + path + "." + property.type +
                           " should be defined, instead was `undefined`.");
  }
  const std::string& type = property.type;
  const bool fits =
      condition_key == type || (is_text_type(type) && is_text_type(condition_key)) ||
      ((type == "created_time" || type == "last_edited_time") && condition_key == "date") ||
      ((type == "created_by" || type == "last_edited_by") && condition_key == "people");
  if (!fits) {
    throw validation_error("body failed validation: " + path + "." + condition_key +
                           " does not match the type of property " + property.name + " (" + type +
                           ").");
  }
  const json& condition = filter[condition_key];
  const std::string condition_path = path + "." + condition_key;
  const PropertyDefinition p = property;
  if (is_text_type(type)) {
    auto test = text_condition(condition, condition_path);
    return [test, p](const Page& page) { return test(text_of(page, p)); };
  }
  if (type == "number" || type == "unique_id") {
    auto test = number_condition(condition, condition_path);
    return [test, p](const Page& page) {
      const json* value = stored_value(page, p.id);
      return test(value ? std::optional<double>(value->get<double>()) : std::nullopt);
    };
  }
  if (type == "checkbox") {
    auto test = checkbox_condition(condition, condition_path);
    return [test, p](const Page& page) {
      const json* value = stored_value(page, p.id);
      return test(value != nullptr && value->get<bool>());
    };
  }
  if (type == "select" || type == "status") {
    auto test = select_condition(condition, condition_path);
    return [test, p](const Page& page) {
      const json* value = stored_value(page, p.id);
      return test(value ? option_name(p, *value) : std::nullopt);
    };
  }
  if (type == "multi_select") {
    auto test = list_condition(condition, condition_path, "", false);
    return [test, p](const Page& page) { return test(multi_select_names(page, p)); };
  }
  if (type == "date" || type == "created_time" || type == "last_edited_time") {
    auto test = date_condition(condition, condition_path, now);
    return [test, p](const Page& page) { return test(date_start(page, p)); };
  }
  if (type == "people" || type == "relation") {
    auto test = list_condition(condition, condition_path, bot_id, true);
    return [test, p](const Page& page) { return test(ids_of(page, p)); };
  }
  if (type == "created_by" || type == "last_edited_by") {
    auto test = list_condition(condition, condition_path, bot_id, true);
    const bool created = type == "created_by";
    return [test, created](const Page& page) {
      const std::string& author = created ? page.created_by : page.last_edited_by;
      return test({author.empty() ? kBotId : author});
    };
  }
  if (type == "files") {
    auto [name, operand] = single_condition(condition, condition_path);
    if (name != "is_empty" && name != "is_not_empty") throw unknown_condition(condition_path, name);
    require_true(operand, condition_path + "." + name);
    const bool want_empty = name == "is_empty";
    return [want_empty, p](const Page& page) {
      const json* value = stored_value(page, p.id);
      return (value == nullptr || value->empty()) == want_empty;
    };
  }
  if (type == "formula" || type == "rollup") {
    // Formula and rollup values are not computed: they read as empty.
    auto [kind, sub] = single_condition(condition, condition_path);
    const std::string sub_path = condition_path + "." + kind;
    if (kind == "string") {
      auto test = text_condition(sub, sub_path);
      return [test](const Page&) { return test(""); };
    }
    if (kind == "number") {
      auto test = number_condition(sub, sub_path);
      return [test](const Page&) { return test(std::nullopt); };
    }
    if (kind == "checkbox") {
      auto test = checkbox_condition(sub, sub_path);
      return [test](const Page&) { return test(false); };
    }
    if (kind == "date") {
      auto test = date_condition(sub, sub_path, now);
      return [test](const Page&) { return test(std::nullopt); };
    }
    if (kind == "any") return [](const Page&) { return false; };
    if (kind == "every" || kind == "none") return [](const Page&) { return true; };
    throw unknown_condition(condition_path, kind);
  }
  throw validation_error("Filtering on " + type + " properties is not supported.");
}

PagePredicate compile(const json& filter, const DataSource& data_source, const std::string& path,
                      int depth, const std::string& bot_id, std::int64_t now) {
  if (!filter.is_object()) throw body_validation_error(path, "an object", filter);
  if (filter.empty()) return [](const Page&) { return true; };
  for (const char* compound : {"and", "or"}) {
    if (!filter.contains(compound)) continue;
    if (depth >= 2) {
      throw validation_error("body failed validation: " + path + "." + compound +
                             " should be not present: filters nest at most two levels deep.");
    }
    const json& parts = filter[compound];
    if (!parts.is_array()) throw body_validation_error(path + "." + compound, "an array", parts);
    if (parts.size() > 100) throw length_error(path + "." + compound, 100, parts.size());
    std::vector<PagePredicate> predicates;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      predicates.push_back(compile(parts[i], data_source,
                                   path + "." + compound + "[" + std::to_string(i) + "]", depth + 1,
                                   bot_id, now));
    }
    const bool all = std::string(compound) == "and";
    return [predicates, all](const Page& page) {
      for (const auto& predicate : predicates) {
        if (predicate(page) != all) return !all;
      }
      return all;
    };
  }
  if (filter.contains("timestamp")) {
    if (filter.contains("property")) {
      throw validation_error("body failed validation: " + path +
                             ".property should be not present in a timestamp filter.");
    }
    const json& timestamp = filter["timestamp"];
    if (timestamp != "created_time" && timestamp != "last_edited_time") {
      throw body_validation_error(path + ".timestamp", "`created_time` or `last_edited_time`",
                                  timestamp);
    }
    const std::string kind = timestamp.get<std::string>();
    if (!filter.contains(kind)) throw missing_field_error(path + "." + kind);
    auto test = date_condition(filter[kind], path + "." + kind, now);
    const bool created = kind == "created_time";
    return [test, created](const Page& page) {
      return test(minute_of(created ? page.created_ms : page.last_edited_ms));
    };
  }
  if (!filter.contains("property") || !filter["property"].is_string()) {
    throw missing_field_error(path + ".property");
  }
  const std::string key = filter["property"].get<std::string>();
  const PropertyDefinition* property = find_property(data_source.properties, key);
  if (property == nullptr) {
    throw validation_error("Could not find property with name or id: " + key);
  }
  return property_filter(filter, *property, path, bot_id, now);
}

}  // namespace

PagePredicate compile_filter(const json& filter, const DataSource& data_source,
                             const std::string& bot_id, std::int64_t now) {
  if (filter.is_null()) return [](const Page&) { return true; };
  return compile(filter, data_source, "body.filter", 0, bot_id, now);
}

}  // namespace notion_emulator
