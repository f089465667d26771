// Decoding property values from Notion's page JSON into Values in normal form.
#include <string>

#include "notionsync/core/error.hpp"
#include "notion/notion_id.hpp"
#include "notionsync/notion/property_value_codec.hpp"
#include "notionsync/notion/rich_text.hpp"

namespace notionsync::notion {
namespace {

using nlohmann::json;

[[noreturn]] void malformed(std::string_view type, const std::string& problem) {
  throw Error(ErrorKind::invalid_value,
              "Notion returned a malformed " + std::string(type) + " value: " + problem);
}

Value decode_date_point(std::string_view type, const std::string& text) {
  // Notion answers "2026-06-01" for dates and "2026-06-01T10:00:00.000+02:00" for date-times.
  if (text.size() == 10) {
    if (auto date = Date::parse(text)) return Value(*date);
  } else if (auto date_time = DateTime::parse(text)) {
    return Value(*date_time);
  }
  malformed(type, "\"" + text + "\" is not an ISO 8601 date");
}

Value decode_date(std::string_view type, const json& date) {
  if (date.is_null()) return Value();
  if (!date.is_object() || !date.contains("start") || !date["start"].is_string()) {
    malformed(type, "a date needs a start");
  }
  Value start = decode_date_point(type, date["start"].get<std::string>());
  Value end;
  if (auto it = date.find("end"); it != date.end() && it->is_string()) {
    end = decode_date_point(type, it->get<std::string>());
  }
  if (auto it = date.find("time_zone"); it != date.end() && it->is_string()) {
    return Value(Value::List{std::move(start), std::move(end), Value(it->get<std::string>())});
  }
  if (end.is_null()) return start;
  return Value(Value::List{std::move(start), std::move(end)});
}

std::string id_of(std::string_view type, const json& object) {
  if (!object.is_object() || !object.contains("id") || !object["id"].is_string()) {
    malformed(type, "an item has no id");
  }
  const std::string raw = object["id"].get<std::string>();
  return normalize_notion_id(raw).value_or(raw);
}

Value decode_ids(std::string_view type, const json& items) {
  if (items.is_null()) return Value(Value::List{});
  if (!items.is_array()) malformed(type, "expected an array");
  Value::List ids;
  for (const json& item : items) ids.emplace_back(id_of(type, item));
  return Value(std::move(ids));
}

Value decode_text(const json& items) {
  std::string text = plain_text(items);
  if (text.empty()) return Value();
  return Value(std::move(text));
}

Value decode_string_or_null(const json& value) {
  if (!value.is_string() || value.get_ref<const std::string&>().empty()) return Value();
  return Value(value.get<std::string>());
}

Value decode_number(const json& value) {
  if (value.is_number_integer()) return Value(value.get<std::int64_t>());
  if (value.is_number()) return Value(value.get<double>());
  return Value();
}

Value decode_option(const json& option) {
  if (!option.is_object()) return Value();
  if (auto it = option.find("name"); it != option.end() && it->is_string()) {
    return Value(it->get<std::string>());
  }
  return Value();
}

Value decode_files(const json& files) {
  Value::List urls;
  if (!files.is_array()) return Value(std::move(urls));
  for (const json& file : files) {
    for (const char* kind : {"external", "file"}) {
      if (auto it = file.find(kind); it != file.end() && it->is_object() && it->contains("url")) {
        if (!(*it)["url"].is_string()) {
          throw Error(ErrorKind::invalid_value, "a Notion file's url is not text");
        }
        urls.emplace_back((*it)["url"].get<std::string>());
        break;
      }
    }
  }
  return Value(std::move(urls));
}

Value decode_formula(const json& formula) {
  if (!formula.is_object() || !formula.contains("type")) return Value();
  if (!formula["type"].is_string()) {
    throw Error(ErrorKind::invalid_value, "a Notion formula value's type is not text");
  }
  const std::string kind = formula["type"].get<std::string>();
  const json& result = formula.contains(kind) ? formula[kind] : json();
  if (kind == "string") return decode_string_or_null(result);
  if (kind == "number") return decode_number(result);
  if (kind == "boolean") return result.is_boolean() ? Value(result.get<bool>()) : Value();
  if (kind == "date") return decode_date("formula", result);
  return Value();
}

Value decode_rollup(const json& rollup) {
  if (!rollup.is_object() || !rollup.contains("type")) return Value();
  if (!rollup["type"].is_string()) {
    throw Error(ErrorKind::invalid_value, "a Notion rollup value's type is not text");
  }
  const std::string kind = rollup["type"].get<std::string>();
  const json& result = rollup.contains(kind) ? rollup[kind] : json();
  if (kind == "number") return decode_number(result);
  if (kind == "date") return decode_date("rollup", result);
  if (kind == "array" && result.is_array()) {
    // Each element is a property value of the rolled-up property's type.
    Value::List items;
    for (const json& item : result) items.push_back(decode_property_value(item));
    return Value(std::move(items));
  }
  return Value();  // "unsupported" and "incomplete" carry no value
}

Value decode_unique_id(const json& unique_id) {
  if (!unique_id.is_object() || !unique_id.contains("number") || !unique_id["number"].is_number()) {
    return Value();
  }
  const auto number = unique_id["number"].get<std::int64_t>();
  if (auto it = unique_id.find("prefix"); it != unique_id.end() && it->is_string()) {
    return Value(it->get<std::string>() + "-" + std::to_string(number));
  }
  return Value(number);
}

Value decode_timestamp(const json& value) {
  if (!value.is_string()) return Value();
  return decode_date_point("timestamp", value.get<std::string>());
}

Value decode_checked_property_value(const json& property_value) {
  if (!property_value.is_object() || !property_value.contains("type") ||
      !property_value["type"].is_string()) {
    throw Error(ErrorKind::invalid_value, "a Notion property value needs a \"type\"");
  }
  const std::string type_name = property_value["type"].get<std::string>();
  const std::optional<PropertyType> type = parse_property_type(type_name);
  if (!type) return Value();
  const json& value = property_value.contains(type_name) ? property_value[type_name] : json();
  switch (*type) {
    case PropertyType::title:
    case PropertyType::rich_text:
      return decode_text(value);
    case PropertyType::number:
      return decode_number(value);
    case PropertyType::checkbox:
      return Value(value.is_boolean() && value.get<bool>());
    case PropertyType::url:
    case PropertyType::email:
    case PropertyType::phone_number:
      return decode_string_or_null(value);
    case PropertyType::select:
    case PropertyType::status:
      return decode_option(value);
    case PropertyType::multi_select: {
      Value::List names;
      if (value.is_array()) {
        for (const json& option : value) names.push_back(decode_option(option));
      }
      return Value(std::move(names));
    }
    case PropertyType::date:
      return decode_date(type_name, value);
    case PropertyType::relation:
    case PropertyType::people:
      return decode_ids(type_name, value);
    case PropertyType::created_by:
    case PropertyType::last_edited_by:
      return Value(id_of(type_name, value));
    case PropertyType::files:
      return decode_files(value);
    case PropertyType::formula:
      return decode_formula(value);
    case PropertyType::rollup:
      return decode_rollup(value);
    case PropertyType::created_time:
    case PropertyType::last_edited_time:
      return decode_timestamp(value);
    case PropertyType::unique_id:
      return decode_unique_id(value);
  }
  return Value();
}

}  // namespace

Value decode_property_value(const json& property_value) {
  // Every shape problem must surface as the documented Error, never as a JSON library exception
  // escaping to the caller (found by fuzzing: fuzz/regressions/property_decode).
  try {
    return decode_checked_property_value(property_value);
  } catch (const json::exception& error) {
    throw Error(ErrorKind::invalid_value,
                std::string("a Notion property value is malformed: ") + error.what());
  }
}

bool property_value_may_be_truncated(const json& property_value) {
  if (!property_value.is_object() || !property_value.contains("type")) return false;
  const json& type = property_value["type"];
  if (type == "relation") {
    auto it = property_value.find("has_more");
    return it != property_value.end() && it->is_boolean() && it->get<bool>();
  }
  if (type == "people") {
    auto it = property_value.find("people");
    return it != property_value.end() && it->is_array() && it->size() == 25;
  }
  return false;
}

}  // namespace notionsync::notion
