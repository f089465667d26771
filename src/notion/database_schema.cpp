#include "notionsync/notion/database_schema.hpp"

#include <algorithm>
#include <array>
#include <set>

#include "notionsync/core/error.hpp"
#include "core/suggest.hpp"

namespace notionsync::notion {
namespace {

std::string in_quotes(std::string_view text) {
  return "'" + std::string(text) + "'";
}

// The parts of a page besides its properties that a row field may hold.
struct PagePart {
  const std::string* field;
  const char* part;
};
std::array<PagePart, 3> page_parts(const DatabaseSchema& schema) {
  return {{{&schema.body_field(), "page body"},
           {&schema.icon_field(), "page icon"},
           {&schema.cover_field(), "page cover"}}};
}

}  // namespace

bool can_be_key(PropertyType type) {
  switch (type) {
    case PropertyType::title:
    case PropertyType::rich_text:
    case PropertyType::number:
    case PropertyType::url:
    case PropertyType::email:
    case PropertyType::phone_number:
    case PropertyType::select:
    case PropertyType::status:
    case PropertyType::date:
    case PropertyType::checkbox:
      return true;
    default:
      return false;
  }
}

std::string SchemaDiff::to_string() const {
  std::string text;
  if (title_renamed) text += "title property is named " + in_quotes(live_title) + " in Notion\n";
  for (const auto& name : missing) text += "missing property " + in_quotes(name) + "\n";
  for (const auto& change : type_changes) {
    text += "property " + in_quotes(change.name) + " is declared " +
            std::string(notion::to_string(change.declared)) + " but Notion has " + change.live +
            "\n";
  }
  for (const auto& name : extra) text += "property " + in_quotes(name) + " is not declared\n";
  return text;
}

DatabaseSchema& DatabaseSchema::add(PropertyBinding binding) {
  properties_.push_back(std::move(binding));
  return *this;
}

DatabaseSchema& DatabaseSchema::key(std::string field) {
  key_fields_.push_back(std::move(field));
  return *this;
}

DatabaseSchema& DatabaseSchema::body(std::string field) {
  body_field_ = std::move(field);
  return *this;
}

DatabaseSchema& DatabaseSchema::icon(std::string field) {
  icon_field_ = std::move(field);
  return *this;
}

DatabaseSchema& DatabaseSchema::cover(std::string field) {
  cover_field_ = std::move(field);
  return *this;
}

const PropertyBinding* DatabaseSchema::find_by_name(std::string_view name) const {
  for (const auto& binding : properties_) {
    if (binding.name == name) return &binding;
  }
  return nullptr;
}

const PropertyBinding* DatabaseSchema::find_by_field(std::string_view field) const {
  for (const auto& binding : properties_) {
    if (binding.field_name() == field) return &binding;
  }
  return nullptr;
}

const PropertyBinding* DatabaseSchema::title() const {
  for (const auto& binding : properties_) {
    if (binding.type == PropertyType::title) return &binding;
  }
  return nullptr;
}

void DatabaseSchema::validate(bool creating) const {
  std::vector<std::string> problems;
  if (properties_.empty()) problems.push_back("the schema binds no property");
  std::set<std::string> names;
  std::set<std::string> fields;
  std::size_t titles = 0;
  for (const auto& binding : properties_) {
    if (binding.name.empty()) problems.push_back("a property has no name");
    if (!names.insert(binding.name).second) {
      problems.push_back("two fields are bound to the same Notion property " +
                         in_quotes(binding.name));
    }
    if (!fields.insert(binding.field_name()).second) {
      problems.push_back("field " + in_quotes(binding.field_name()) + " is bound twice");
    }
    if (binding.type == PropertyType::title) ++titles;
    if (!is_writable(binding.type)) {
      problems.push_back("property " + in_quotes(binding.name) + " has the read-only type " +
                         std::string(to_string(binding.type)) + "; Notion computes it");
    }
    if (binding.type == PropertyType::relation &&
        binding.relation_target.empty() == binding.relation_data_source_id.empty()) {
      problems.push_back("relation " + in_quotes(binding.name) +
                         " needs exactly one of a target (values are keys of its rows) or a "
                         "data source id (values are page ids)");
    }
  }
  if (titles > 1)
    problems.push_back("only one title property is allowed, found " + std::to_string(titles));
  // The body, icon and cover each take a field of their own.
  for (const auto& [field, part] : page_parts(*this)) {
    if (field->empty()) continue;
    if (!fields.insert(*field).second) {
      problems.push_back("field " + in_quotes(*field) + " is bound both to the " + part +
                         " and to something else");
    }
    if (std::string name = std::string("(") + part + ")"; names.contains(name)) {
      problems.push_back("property name " + in_quotes(name) + " is reserved for the " + part);
    }
  }
  if (creating && titles == 0) {
    problems.push_back(
        "a database notionsync creates needs a title property (Notion requires one)");
  }
  if (key_fields_.empty()) problems.push_back("no primary key: mark at least one field as key");
  for (const auto& field : key_fields_) {
    const PropertyBinding* binding = find_by_field(field);
    if (binding == nullptr) {
      problems.push_back("key field " + in_quotes(field) + " is not bound to a property");
    } else if (!can_be_key(binding->type)) {
      problems.push_back("key field " + in_quotes(field) + " is a " +
                         std::string(to_string(binding->type)) +
                         " property, which cannot identify a row");
    }
  }
  if (problems.empty()) return;
  std::string message = "invalid database schema:";
  for (const auto& problem : problems) message += "\n  - " + problem;
  throw Error(ErrorKind::invalid_argument, message);
}

std::vector<DatabaseSchema::UnknownField> DatabaseSchema::unknown_fields(
    std::span<const std::string> available_fields) const {
  std::vector<UnknownField> unknown;
  for (const auto& binding : properties_) {
    const auto& field = binding.field_name();
    if (std::find(available_fields.begin(), available_fields.end(), field) !=
        available_fields.end()) {
      continue;
    }
    std::string problem =
        "property " + in_quotes(binding.name) + " is bound to unknown field " + in_quotes(field);
    if (const auto closest = closest_match(field, available_fields)) {
      problem += " (did you mean " + in_quotes(*closest) + "?)";
    }
    unknown.push_back({&binding, std::move(problem)});
  }
  for (const auto& [field, part] : page_parts(*this)) {
    if (field->empty() || std::find(available_fields.begin(), available_fields.end(), *field) !=
                              available_fields.end()) {
      continue;
    }
    std::string problem =
        std::string("the ") + part + " is bound to unknown field " + in_quotes(*field);
    if (const auto closest = closest_match(*field, available_fields)) {
      problem += " (did you mean " + in_quotes(*closest) + "?)";
    }
    unknown.push_back({nullptr, std::move(problem)});
  }
  return unknown;
}

void DatabaseSchema::check_fields(std::span<const std::string> available_fields) const {
  const auto unknown = unknown_fields(available_fields);
  if (unknown.empty()) return;
  std::string message = "the schema does not match the row fields:";
  for (const auto& field : unknown) message += "\n  - " + field.problem;
  throw Error(ErrorKind::invalid_argument, message);
}

SchemaDiff DatabaseSchema::diff_against(const nlohmann::json& live_properties) const {
  SchemaDiff diff;
  std::map<std::string, std::string> live_types;
  for (const auto& [name, property] : live_properties.items()) {
    const std::string type = property.value("type", "");
    live_types[name] = type;
    if (type == "title") diff.live_title = name;
  }
  const PropertyBinding* declared_title = title();
  for (const auto& binding : properties_) {
    const auto live = live_types.find(binding.name);
    if (binding.type == PropertyType::title && live == live_types.end() &&
        !diff.live_title.empty()) {
      diff.title_renamed = true;  // every data source has one title: this one is renamed
      continue;
    }
    if (live == live_types.end()) {
      diff.missing.push_back(binding.name);
    } else if (live->second != to_string(binding.type)) {
      diff.type_changes.push_back({binding.name, binding.type, live->second});
    }
  }
  for (const auto& [name, type] : live_types) {
    if (find_by_name(name) != nullptr) continue;
    if (type == "title" && declared_title != nullptr) continue;  // renamed, not extra
    diff.extra.push_back(name);
  }
  return diff;
}

std::string DatabaseSchema::version() const {
  std::string text = "notion-database-v1";
  for (const auto& binding : properties_) {
    text += "|" + binding.name + ":" + std::string(to_string(binding.type)) + ":" +
            binding.field_name();
    if (!binding.relation_target.empty()) text += ":target=" + binding.relation_target;
    if (!binding.relation_data_source_id.empty()) {
      text += ":data_source=" + binding.relation_data_source_id;
    }
  }
  // Only when bound, so a schema without them keeps its version (and its rows their
  // fingerprints).
  if (!icon_field_.empty()) text += "|(page icon):" + icon_field_;
  if (!cover_field_.empty()) text += "|(page cover):" + cover_field_;
  return text;
}

nlohmann::json DatabaseSchema::to_notion_property(
    const PropertyBinding& binding,
    const std::map<std::string, std::string>& relation_data_source_ids) const {
  PropertySchema schema;
  schema.type = binding.type;
  schema.options = binding.options;
  if (binding.type == PropertyType::relation) {
    schema.relation_data_source_id = binding.relation_data_source_id;
    if (!binding.relation_target.empty()) {
      const auto found = relation_data_source_ids.find(binding.relation_target);
      if (found == relation_data_source_ids.end() || found->second.empty()) {
        throw Error(ErrorKind::invalid_argument, "relation " + in_quotes(binding.name) +
                                                     " refers to target " +
                                                     in_quotes(binding.relation_target) +
                                                     ", whose data source is not known yet");
      }
      schema.relation_data_source_id = found->second;
    }
  }
  return encode_property_schema(schema, binding.name);
}

nlohmann::json DatabaseSchema::to_notion_properties(
    const std::map<std::string, std::string>& relation_data_source_ids) const {
  nlohmann::json properties = nlohmann::json::object();
  for (const auto& binding : properties_) {
    properties[binding.name] = to_notion_property(binding, relation_data_source_ids);
  }
  return properties;
}

std::vector<std::string> DatabaseSchema::relation_targets() const {
  std::vector<std::string> targets;
  for (const auto& binding : properties_) {
    if (!binding.relation_target.empty() &&
        std::find(targets.begin(), targets.end(), binding.relation_target) == targets.end()) {
      targets.push_back(binding.relation_target);
    }
  }
  return targets;
}

}  // namespace notionsync::notion
