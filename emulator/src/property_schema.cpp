#include "property_schema.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "api_error.hpp"
#include "ids.hpp"
#include "rich_text.hpp"

namespace notion_emulator {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 21> kSchemaTypes = {"title",
                                                           "rich_text",
                                                           "number",
                                                           "url",
                                                           "email",
                                                           "phone_number",
                                                           "date",
                                                           "checkbox",
                                                           "select",
                                                           "multi_select",
                                                           "status",
                                                           "people",
                                                           "files",
                                                           "relation",
                                                           "rollup",
                                                           "formula",
                                                           "created_time",
                                                           "created_by",
                                                           "last_edited_time",
                                                           "last_edited_by",
                                                           "unique_id"};

constexpr std::array<std::string_view, 10> kColors = {
    "default", "gray", "brown", "orange", "yellow", "green", "blue", "purple", "pink", "red"};

bool is_select_like(std::string_view type) {
  return type == "select" || type == "multi_select" || type == "status";
}

bool is_schema_type(std::string_view key) {
  return std::find(kSchemaTypes.begin(), kSchemaTypes.end(), key) != kSchemaTypes.end();
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// The type a request configuration names: its one type key (and "type", if given, must agree).
// Returns "" when the object carries no type key (a rename or description-only change).
std::string requested_type(const json& request, const std::string& path) {
  std::string found;
  for (const auto& [key, value] : request.items()) {
    if (key == "type" || key == "name" || key == "description" || key == "id") continue;
    if (!is_schema_type(key)) {
      throw validation_error("body failed validation: " + path + "." + key +
                             " should be not present, instead was `" + value.dump() + "`.");
    }
    if (!found.empty()) {
      throw validation_error("body failed validation: " + path +
                             " should have exactly one property type, instead had `" + found +
                             "` and `" + key + "`.");
    }
    found = key;
  }
  if (request.contains("type")) {
    const json& type = request["type"];
    if (!type.is_string() || !is_schema_type(type.get<std::string>())) {
      throw body_validation_error(path + ".type", "a property type", type);
    }
    if (!found.empty() && type != found) {
      throw validation_error("body failed validation: " + path + ".type `" +
                             type.get<std::string>() + "` does not match `" + found + "`.");
    }
    if (found.empty()) found = type.get<std::string>();
  }
  return found;
}

json options_config(const json& request, const std::string& path, std::mt19937_64& generator,
                    const json& existing_options) {
  json options = json::array();
  if (!request.is_object()) throw body_validation_error(path, "an object", request);
  if (!request.contains("options")) return existing_options;
  const json& given = request["options"];
  if (!given.is_array()) throw body_validation_error(path + ".options", "an array", given);
  if (given.size() > 100) throw length_error(path + ".options", 100, given.size());
  for (std::size_t i = 0; i < given.size(); ++i) {
    const json& item = given[i];
    const std::string item_path = path + ".options[" + std::to_string(i) + "]";
    if (!item.is_object()) throw body_validation_error(item_path, "an object", item);
    const json* previous = nullptr;
    if (item.contains("id")) {
      for (const json& option : existing_options) {
        if (option["id"] == item["id"]) previous = &option;
      }
      if (previous == nullptr && !item.contains("name")) {
        throw validation_error("Invalid select option id: " + item["id"].dump() + ".");
      }
    }
    if (previous == nullptr && item.contains("name") && item["name"].is_string()) {
      for (const json& option : existing_options) {
        if (option["name"] == item["name"]) previous = &option;
      }
    }
    json option;
    if (previous != nullptr) {
      option = *previous;
      if (item.contains("name") && item["name"].is_string()) {
        option["name"] =
            make_option(item["name"].get<std::string>(), nullptr, item_path, generator)["name"];
      }
      if (item.contains("color")) option["color"] = item["color"];
    } else {
      if (!item.contains("name")) throw missing_field_error(item_path + ".name");
      if (!item["name"].is_string()) {
        throw body_validation_error(item_path + ".name", "a string", item["name"]);
      }
      option = make_option(item["name"].get<std::string>(), item.value("color", json(nullptr)),
                           item_path, generator);
    }
    if (item.contains("description")) option["description"] = item["description"];
    for (const json& other : options) {
      if (lower(other["name"].get<std::string>()) == lower(option["name"].get<std::string>())) {
        throw validation_error("Duplicate select option names are not allowed: " +
                               option["name"].get<std::string>());
      }
    }
    options.push_back(std::move(option));
  }
  return options;
}

json status_config(const json& request, const std::string& path, std::mt19937_64& generator,
                   const json& existing) {
  const json existing_options =
      existing.is_object() ? existing.value("options", json::array()) : json::array();
  json options = options_config(request, path, generator, existing_options);
  if (options.empty()) {
    // Notion's defaults for a status property created without options.
    options = json::array({make_option("Not started", "default", path, generator),
                           make_option("In progress", "blue", path, generator),
                           make_option("Done", "green", path, generator)});
  }
  json todo = json::array(), doing = json::array(), done = json::array();
  for (const json& option : options) {
    const std::string name = option["name"];
    (name == "Done" ? done : name == "In progress" ? doing : todo).push_back(option["id"]);
  }
  const auto group = [&](const char* name, const char* color, json ids) {
    return json{{"id", new_uuid(generator)},
                {"name", name},
                {"color", color},
                {"option_ids", std::move(ids)}};
  };
  return {{"options", options},
          {"groups", json::array({group("To-do", "gray", todo), group("In progress", "blue", doing),
                                  group("Complete", "green", done)})}};
}

json relation_config(const json& request, const std::string& path, SchemaContext& context) {
  if (!request.is_object()) throw body_validation_error(path, "an object", request);
  std::string target_key;
  if (request.contains("data_source_id")) {
    target_key = "data_source_id";
  } else if (request.contains("database_id")) {
    target_key = "database_id";
  } else {
    throw missing_field_error(path + ".data_source_id");
  }
  const json& raw = request[target_key];
  const auto id = raw.is_string() ? normalize_id(raw.get<std::string>()) : std::nullopt;
  if (!id) throw body_validation_error(path + "." + target_key, "a valid uuid", raw);
  const DataSource* target = context.find_related(*id);
  if (target == nullptr) {
    throw ApiError(404, "object_not_found",
                   "Could not find data_source with ID: " + *id +
                       ". Make sure the relevant pages and databases are shared with your "
                       "integration.");
  }
  json config = {{"database_id", target->database_id}, {"data_source_id", target->id}};
  if (request.contains("dual_property")) {
    const json& dual = request["dual_property"];
    // An empty name is filled in with Notion's default when the synced property is created.
    std::string synced_name = dual.is_object() && dual.contains("synced_property_name") &&
                                      dual["synced_property_name"].is_string()
                                  ? dual["synced_property_name"].get<std::string>()
                                  : "";
    config["type"] = "dual_property";
    config["dual_property"] = {{"synced_property_id", new_property_id(context.generator)},
                               {"synced_property_name", synced_name}};
  } else {
    config["type"] = "single_property";
    config["single_property"] = json::object();
  }
  return config;
}

// A rollup names each property it uses by id or by name.
std::string reference_key(const json& request, const char* id_key, const char* name_key,
                          const std::string& path) {
  const char* key = request.contains(id_key) ? id_key : name_key;
  if (!request.contains(key)) throw missing_field_error(path + "." + name_key);
  if (!request[key].is_string())
    throw body_validation_error(path + "." + key, "a string", request[key]);
  return request[key].get<std::string>();
}

json rollup_config(const json& request, const std::string& path,
                   const std::vector<PropertyDefinition>& all, SchemaContext& context) {
  if (!request.is_object()) throw body_validation_error(path, "an object", request);
  if (!request.contains("function") || !request["function"].is_string()) {
    throw missing_field_error(path + ".function");
  }
  const std::string relation_key =
      reference_key(request, "relation_property_id", "relation_property_name", path);
  const PropertyDefinition* relation = find_property(all, relation_key);
  if (relation == nullptr || relation->type != "relation") {
    throw validation_error("Relation property `" + relation_key + "` of rollup " + path +
                           " does not exist.");
  }
  const DataSource* target =
      context.find_related(relation->config["data_source_id"].get<std::string>());
  const std::string rollup_key =
      reference_key(request, "rollup_property_id", "rollup_property_name", path);
  const PropertyDefinition* rolled =
      target == nullptr ? nullptr : find_property(target->properties, rollup_key);
  if (rolled == nullptr) {
    throw validation_error("Rollup property `" + rollup_key + "` of rollup " + path +
                           " does not exist.");
  }
  return {{"function", request["function"]},
          {"relation_property_name", relation->name},
          {"relation_property_id", relation->id},
          {"rollup_property_name", rolled->name},
          {"rollup_property_id", rolled->id}};
}

// The response config of `type` from its request config; `previous` is the config being replaced.
// The keys a configuration of each type may carry, as the SDK's request types list them.
std::vector<std::string_view> config_keys(const std::string& type) {
  if (type == "number") return {"format"};
  if (type == "select" || type == "multi_select" || type == "status") return {"options"};
  if (type == "relation") {
    return {"data_source_id", "database_id", "type", "single_property", "dual_property"};
  }
  if (type == "rollup") {
    return {"function", "relation_property_name", "relation_property_id", "rollup_property_name",
            "rollup_property_id"};
  }
  if (type == "formula") return {"expression"};
  if (type == "unique_id") return {"prefix"};
  return {};
}

json make_config(const std::string& type, const json& request, const std::string& path,
                 SchemaContext& context, std::vector<PropertyDefinition>& all,
                 const json& previous) {
  if (request.is_object()) {
    const std::vector<std::string_view> allowed = config_keys(type);
    for (const auto& [key, value] : request.items()) {
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        throw validation_error("body failed validation: " + path + "." + key +
                               " should be not present, instead was `" + value.dump() + "`.");
      }
    }
  }
  if (type == "number") {
    if (!request.is_object()) throw body_validation_error(path, "an object", request);
    const json format = request.value("format", json("number"));
    if (!format.is_string()) throw body_validation_error(path + ".format", "a string", format);
    return {{"format", format}};
  }
  if (type == "select" || type == "multi_select") {
    const json existing =
        previous.is_object() ? previous.value("options", json::array()) : json::array();
    return {{"options", options_config(request, path, context.generator, existing)}};
  }
  if (type == "status") return status_config(request, path, context.generator, previous);
  if (type == "relation") return relation_config(request, path, context);
  if (type == "rollup") return rollup_config(request, path, all, context);
  if (type == "formula") {
    if (!request.is_object() || !request.contains("expression") ||
        !request["expression"].is_string()) {
      throw missing_field_error(path + ".expression");
    }
    return {{"expression", request["expression"]}};
  }
  if (type == "unique_id") {
    if (!request.is_object()) throw body_validation_error(path, "an object", request);
    const json prefix = request.value("prefix", json(nullptr));
    if (!prefix.is_null() && !prefix.is_string()) {
      throw body_validation_error(path + ".prefix", "a string or `null`", prefix);
    }
    return {{"prefix", prefix}};
  }
  if (!request.is_object()) throw body_validation_error(path, "an object", request);
  return json::object();
}

std::string unique_property_id(const std::vector<PropertyDefinition>& all,
                               std::mt19937_64& generator) {
  for (;;) {
    std::string id = new_property_id(generator);
    const bool taken = std::any_of(all.begin(), all.end(), [&](const PropertyDefinition& p) {
      return percent_decode(p.id) == percent_decode(id);
    });
    if (!taken && id != "title") return id;
  }
}

void check_name(const std::vector<PropertyDefinition>& all, const std::string& name,
                const PropertyDefinition* self, const std::string& path) {
  if (name.empty()) throw length_error(path + ".name", 1, 0, false);
  if (utf16_length(name) > 100) throw length_error(path + ".name", 100, utf16_length(name));
  for (const PropertyDefinition& other : all) {
    if (&other != self && lower(other.name) == lower(name)) {
      throw validation_error("Property name `" + name + "` is used by more than one property.");
    }
  }
}

json description_of(const json& request, const std::string& path) {
  if (!request.contains("description")) return nullptr;
  const json& description = request["description"];
  if (!description.is_null() && !description.is_string()) {
    throw body_validation_error(path + ".description", "a string or `null`", description);
  }
  return description;
}

// Rollups refer to other properties, so they are configured after the rest of the request.
void add_property(std::vector<PropertyDefinition>& all, const std::string& key, const json& request,
                  const std::string& path, SchemaContext& context, bool rollups_only) {
  const std::string type = requested_type(request, path);
  if (type.empty()) {
    throw validation_error("body failed validation: " + path +
                           " should define a property type, instead was `" + request.dump() + "`.");
  }
  if ((type == "rollup") != rollups_only) return;
  const std::string name = request.contains("name") && request["name"].is_string()
                               ? request["name"].get<std::string>()
                               : key;
  check_name(all, name, nullptr, path);
  PropertyDefinition property;
  property.type = type;
  property.name = name;
  property.description = description_of(request, path);
  if (type == "title") {
    if (std::any_of(all.begin(), all.end(),
                    [](const PropertyDefinition& p) { return p.type == "title"; })) {
      throw validation_error(
          "Multiple title properties provided: a data source has exactly one title property.");
    }
    property.id = "title";
  } else {
    property.id = unique_property_id(all, context.generator);
  }
  property.config = make_config(type, request.contains(type) ? request[type] : json::object(),
                                path + "." + type, context, all, nullptr);
  all.push_back(std::move(property));
}

}  // namespace

json make_option(const std::string& name, const json& color, const std::string& path,
                 std::mt19937_64& generator) {
  if (name.find(',') != std::string::npos) {
    throw validation_error("Invalid select option, commas not allowed: " + name);
  }
  if (name.empty()) throw length_error(path + ".name", 1, 0, false);
  if (utf16_length(name) > 100) throw length_error(path + ".name", 100, utf16_length(name));
  std::string color_name = "default";
  if (!color.is_null()) {
    if (!color.is_string() ||
        std::find(kColors.begin(), kColors.end(), color.get<std::string>()) == kColors.end()) {
      throw body_validation_error(path + ".color", "a select color", color);
    }
    color_name = color.get<std::string>();
  }
  return {
      {"id", new_uuid(generator)}, {"name", name}, {"color", color_name}, {"description", nullptr}};
}

std::vector<PropertyDefinition> build_schema(const json& properties, const std::string& path,
                                             SchemaContext& context) {
  if (!properties.is_object()) throw body_validation_error(path, "an object", properties);
  std::vector<PropertyDefinition> all;
  for (const bool rollups : {false, true}) {
    for (const auto& [key, request] : properties.items()) {
      const std::string item_path = path + "." + key;
      if (!request.is_object()) throw body_validation_error(item_path, "an object", request);
      add_property(all, key, request, item_path, context, rollups);
    }
  }
  if (std::none_of(all.begin(), all.end(),
                   [](const PropertyDefinition& p) { return p.type == "title"; })) {
    throw validation_error("body failed validation: " + path +
                           " should have exactly one title property, instead had none.");
  }
  return all;
}

SchemaChange update_schema(std::vector<PropertyDefinition>& properties, const json& changes,
                           const std::string& path, SchemaContext& context) {
  if (!changes.is_object()) throw body_validation_error(path, "an object", changes);
  std::vector<PropertyDefinition> all = properties;  // applied only when every change is valid
  SchemaChange change;
  for (const bool rollups : {false, true}) {
    for (const auto& [key, request] : changes.items()) {
      const std::string item_path = path + "." + key;
      PropertyDefinition* existing = find_property(all, key);
      const bool is_rollup = request.is_object() && requested_type(request, item_path) == "rollup";
      if (is_rollup != rollups) continue;
      if (request.is_null()) {
        if (existing == nullptr) throw validation_error(key + " is not a property that exists.");
        if (existing->type == "title") {
          throw validation_error("Cannot delete the title property " + key + ".");
        }
        change.removed_ids.push_back(existing->id);
        all.erase(all.begin() + (existing - all.data()));
        continue;
      }
      if (!request.is_object()) throw body_validation_error(item_path, "an object", request);
      if (existing == nullptr) {
        add_property(all, key, request, item_path, context, rollups);
        continue;
      }
      if (request.contains("name")) {
        if (!request["name"].is_string()) {
          throw body_validation_error(item_path + ".name", "a string", request["name"]);
        }
        check_name(all, request["name"].get<std::string>(), existing, item_path);
        existing->name = request["name"].get<std::string>();
      }
      if (request.contains("description")) {
        existing->description = description_of(request, item_path);
      }
      const std::string type = requested_type(request, item_path);
      if (type.empty()) continue;
      if (existing->type == "title" && type != "title") {
        throw validation_error("Cannot change the type of the title property " + key + ".");
      }
      if (type == "title" && existing->type != "title") {
        throw validation_error(
            "Multiple title properties provided: a data source has exactly one title property.");
      }
      // Options survive a change between select, multi_select and status, as in Notion.
      const bool keeps_options = is_select_like(existing->type) && is_select_like(type);
      const json previous =
          existing->type == type ? existing->config
          : keeps_options ? json{{"options", existing->config.value("options", json::array())}}
                          : json(nullptr);
      const std::string existing_id = existing->id;
      json config = make_config(type, request.contains(type) ? request[type] : json::object(),
                                item_path + "." + type, context, all, previous);
      existing = find_property(all, existing_id);
      if (existing->type != type) change.retyped.emplace_back(existing->id, existing->type);
      existing->type = type;
      existing->config = std::move(config);
    }
  }
  properties = std::move(all);
  return change;
}

json render_property_schema(const PropertyDefinition& property) {
  return {{"id", property.id},
          {"name", property.name},
          {"description", property.description},
          {"type", property.type},
          {property.type, property.config}};
}

}  // namespace notion_emulator
