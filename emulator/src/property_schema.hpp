// Data source property schemas: built from create requests, changed by update requests, rendered
// as Notion answers them.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "model.hpp"

namespace notion_emulator {

struct SchemaContext {
  std::mt19937_64& generator;
  // The data source a relation points at, given a data source or database id (dashed); or nullptr.
  std::function<const DataSource*(const std::string& id)> find_related;
};

// The schema of a new data source from a create request's `properties` (`path` names it in errors).
// Requires exactly one title property. Throws ApiError(validation_error).
std::vector<PropertyDefinition> build_schema(const nlohmann::json& properties,
                                             const std::string& path, SchemaContext& context);

// What an update did to existing properties, so stored page values can follow.
struct SchemaChange {
  std::vector<std::string> removed_ids;
  std::vector<std::pair<std::string, std::string>> retyped;  // property id, previous type
};

// Applies a data source update's `properties` map: null removes, {"name"} renames, a type config
// adds or changes a property; select/multi_select/status option lists are full replacements.
// Leaves `properties` untouched when it throws ApiError(validation_error).
SchemaChange update_schema(std::vector<PropertyDefinition>& properties,
                           const nlohmann::json& changes, const std::string& path,
                           SchemaContext& context);

// {"id","name","description","type","<type>": config}
nlohmann::json render_property_schema(const PropertyDefinition& property);

// A new select/multi_select/status option; validates the name (no commas, 1..100 characters).
nlohmann::json make_option(const std::string& name, const nlohmann::json& color,
                           const std::string& path, std::mt19937_64& generator);

}  // namespace notion_emulator
