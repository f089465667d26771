#include "notionsync/notion/property_schema.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "notionsync/core/error.hpp"
#include "notionsync/core/value.hpp"
#include "notion/notion_id.hpp"
#include "notionsync/notion/rich_text.hpp"

namespace notionsync::notion {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 10> option_colors = {
    "default", "gray", "brown", "orange", "yellow", "green", "blue", "purple", "pink", "red"};

[[noreturn]] void fail(std::string_view property_name, const PropertySchema& schema,
                       const std::string& problem) {
  std::string what = "property";
  if (!property_name.empty()) what += " \"" + std::string(property_name) + "\"";
  throw Error(ErrorKind::invalid_value,
              what + " (" + std::string(to_string(schema.type)) + " schema): " + problem);
}

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

json encode_options(const PropertySchema& schema, std::string_view property_name) {
  if (schema.options.size() > max_array_items) {
    fail(
        property_name, schema,
        std::to_string(schema.options.size()) + " options; Notion accepts at most 100 per request");
  }
  json options = json::array();
  std::set<std::string> seen;
  for (const SelectOption& option : schema.options) {
    if (option.name.empty() && option.id.empty())
      fail(property_name, schema, "an option needs a name");
    if (!option.name.empty()) {
      if (!is_valid_utf8(option.name)) fail(property_name, schema, "an option name is not UTF-8");
      // Notion: option names have no commas and are unique regardless of case (page properties).
      if (option.name.find(',') != std::string::npos) {
        fail(property_name, schema, "option \"" + option.name + "\" contains a comma");
      }
      if (utf16_length(option.name) > max_text_units) {
        fail(property_name, schema, "option \"" + option.name + "\" is over 2000 characters");
      }
      if (!seen.insert(lowercase(option.name)).second) {
        fail(property_name, schema, "option \"" + option.name + "\" is listed twice");
      }
    }
    if (!option.color.empty() && std::find(option_colors.begin(), option_colors.end(),
                                           option.color) == option_colors.end()) {
      fail(property_name, schema, "option color \"" + option.color + "\" is not a Notion color");
    }
    json encoded = json::object();
    if (!option.id.empty()) encoded["id"] = option.id;
    if (!option.name.empty()) encoded["name"] = option.name;
    if (!option.color.empty()) encoded["color"] = option.color;
    options.push_back(std::move(encoded));
  }
  return options;
}

std::string string_field(const json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

json encode_property_schema(const PropertySchema& schema, std::string_view property_name) {
  json config = json::object();
  switch (schema.type) {
    case PropertyType::number:
      if (!schema.number_format.empty()) config["format"] = schema.number_format;
      break;
    case PropertyType::select:
    case PropertyType::multi_select:
    case PropertyType::status:
      if (!schema.options.empty() || schema.type != PropertyType::status) {
        config["options"] = encode_options(schema, property_name);
      }
      break;
    case PropertyType::relation: {
      const auto id = normalize_notion_id(schema.relation_data_source_id);
      if (!id) fail(property_name, schema, "a relation needs the related data source id");
      config["data_source_id"] = *id;
      if (schema.relation_kind == RelationKind::dual_property) {
        json dual = json::object();
        if (!schema.synced_property_name.empty()) {
          dual["synced_property_name"] = schema.synced_property_name;
        }
        config["dual_property"] = dual;
      } else {
        config["single_property"] = json::object();
      }
      break;
    }
    case PropertyType::formula:
      if (schema.formula_expression.empty())
        fail(property_name, schema, "a formula needs an expression");
      config["expression"] = schema.formula_expression;
      break;
    case PropertyType::unique_id:
      config["prefix"] =
          schema.unique_id_prefix.empty() ? json(nullptr) : json(schema.unique_id_prefix);
      break;
    case PropertyType::rollup:
      if (schema.rollup_relation_property.empty() || schema.rollup_property.empty() ||
          schema.rollup_function.empty()) {
        fail(property_name, schema,
             "a rollup needs a relation property, a property and a function");
      }
      config["relation_property_name"] = schema.rollup_relation_property;
      config["rollup_property_name"] = schema.rollup_property;
      config["function"] = schema.rollup_function;
      break;
    default:
      break;
  }
  json encoded = {{std::string(to_string(schema.type)), std::move(config)}};
  if (!schema.description.empty()) encoded["description"] = schema.description;
  return encoded;
}

PropertySchema decode_property_schema(const json& property) {
  const std::string type_name = string_field(property, "type");
  const std::optional<PropertyType> type = parse_property_type(type_name);
  if (!type) {
    throw Error(ErrorKind::invalid_value, "property \"" + string_field(property, "name") +
                                              "\" has type \"" + type_name +
                                              "\", which notionsync does not handle");
  }
  PropertySchema schema;
  schema.type = *type;
  schema.id = string_field(property, "id");
  schema.description = string_field(property, "description");
  const json config = property.contains(type_name) ? property[type_name] : json::object();
  switch (*type) {
    case PropertyType::number:
      schema.number_format = string_field(config, "format");
      break;
    case PropertyType::select:
    case PropertyType::multi_select:
    case PropertyType::status:
      if (config.contains("options") && config["options"].is_array()) {
        for (const json& option : config["options"]) {
          schema.options.push_back({string_field(option, "name"), string_field(option, "color"),
                                    string_field(option, "id")});
        }
      }
      break;
    case PropertyType::relation:
      schema.relation_data_source_id = string_field(config, "data_source_id");
      if (string_field(config, "type") == "dual_property") {
        schema.relation_kind = RelationKind::dual_property;
        if (config.contains("dual_property")) {
          schema.synced_property_name =
              string_field(config["dual_property"], "synced_property_name");
        }
      }
      break;
    case PropertyType::formula:
      schema.formula_expression = string_field(config, "expression");
      break;
    case PropertyType::unique_id:
      schema.unique_id_prefix = string_field(config, "prefix");
      break;
    case PropertyType::rollup:
      schema.rollup_relation_property = string_field(config, "relation_property_name");
      schema.rollup_property = string_field(config, "rollup_property_name");
      schema.rollup_function = string_field(config, "function");
      break;
    default:
      break;
  }
  return schema;
}

std::map<std::string, PropertySchema> decode_property_schemas(const json& properties) {
  std::map<std::string, PropertySchema> schemas;
  if (!properties.is_object()) return schemas;
  for (const auto& [name, property] : properties.items()) {
    if (!parse_property_type(string_field(property, "type"))) continue;
    schemas.emplace(name, decode_property_schema(property));
  }
  return schemas;
}

}  // namespace notionsync::notion
