// Property schemas: the columns of a data source, for create, update and comparison.
//
//   PropertySchema tags{.type = PropertyType::multi_select};
//   tags.options = {{.name = "urgent", .color = "red"}, {.name = "later"}};
//   nlohmann::json properties = {{"Name", encode_property_schema(title_schema())},
//                                {"Tags", encode_property_schema(tags)}};
//   client.call(endpoints::create_database(parent_page_id, "Tasks", properties));
//
//   auto live = decode_property_schemas(data_source["properties"]);   // name -> PropertySchema
//
// Encoding checks what Notion would reject (option names with commas or duplicates, over 100
// options, a relation without a data source) and throws Error(ErrorKind::invalid_value).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "notionsync/notion/property_type.hpp"

namespace notionsync::notion {

struct SelectOption {
  std::string name;
  std::string color;  // default, gray, brown, orange, yellow, green, blue, purple, pink, red;
                      // empty lets Notion choose
  std::string id;     // set when decoded; on update, an option may be named by id alone
};

enum class RelationKind { single_property, dual_property };

struct PropertySchema {
  PropertyType type = PropertyType::rich_text;
  std::string id;                       // set when decoded from a data source
  std::string description;              // empty = none
  std::string number_format;            // number: "number", "dollar", ...; empty = Notion's default
  std::vector<SelectOption> options;    // select, multi_select, status
  std::string relation_data_source_id;  // relation: the related data source (required)
  RelationKind relation_kind = RelationKind::single_property;
  std::string synced_property_name;  // dual relation: the name of the property on the other side
  std::string formula_expression;    // formula
  std::string unique_id_prefix;      // unique_id; empty = no prefix
  std::string rollup_relation_property;  // rollup: relation property name
  std::string rollup_property;           // rollup: property of the related data source
  std::string rollup_function;           // rollup: "sum", "count", ...
};

// The schema object for data source create/update, e.g. {"select":{"options":[{"name":"A"}]}}.
// `property_name` is for messages. Throws Error(invalid_value) as described above.
nlohmann::json encode_property_schema(const PropertySchema& schema,
                                      std::string_view property_name = "");

// One entry of a data source's "properties" ({"id","name","type","<type>":config}). Throws
// Error(invalid_value) for a type notionsync does not handle.
PropertySchema decode_property_schema(const nlohmann::json& property);

// Every property of a data source's "properties" object, by name; unsupported types are skipped.
std::map<std::string, PropertySchema> decode_property_schemas(const nlohmann::json& properties);

}  // namespace notionsync::notion
