// DatabaseSchema: how declared rows map onto a Notion data source's properties.
//
// Each property binding names a Notion property, its type, and the row field that holds its value.
// Some fields form the primary key: notionsync finds a row's page by them, so they must be bound.
//
//   DatabaseSchema schema;
//   schema.add({.name = "Name", .type = PropertyType::title, .field = "name"})
//         .add({.name = "Email", .type = PropertyType::email, .field = "email"})
//         .add({.name = "Team", .type = PropertyType::relation, .field = "team",
//               .relation_target = "teams"})
//         .key("email");
//   schema.validate(/*creating=*/true);   // throws Error(invalid_argument) with every problem
//
// A page may also have a body: its content as Notion-flavored Markdown, taken from one row field
// (`schema.body("notes")`), written with the page and compared apart from its properties; and an
// icon and a cover, each from a row field (`schema.icon("icon")`, `schema.cover("cover")`),
// written with the page and counted in its properties' fingerprint.
//
// Values from disk: a files value may name local files besides URLs, and an icon or a cover a
// local image; they are uploaded once (File Upload API) and fingerprinted by their content. A
// people value may name users by id, email or exact name.
//
// For C++ structs, typed_schema.hpp builds the same from member pointers.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "notionsync/notion/property_schema.hpp"
#include "notionsync/notion/property_type.hpp"

namespace notionsync::notion {

struct PropertyBinding {
  std::string name{};  // the Notion property name, exactly as in Notion
  PropertyType type = PropertyType::rich_text;
  std::string field{};  // the row field holding the value; empty = the same as `name`
  // select, multi_select, status: options to create with the property (Notion adds unknown select
  // and multi_select options on write; status options must exist).
  std::vector<SelectOption> options{};
  // relation: values are the keys of rows of another target of the app...
  std::string relation_target{};
  // ...or Notion page ids of this related data source.
  std::string relation_data_source_id{};

  const std::string& field_name() const { return field.empty() ? name : field; }
};

// Differences between the declared schema and a live data source.
struct SchemaDiff {
  struct TypeChange {
    std::string name;
    PropertyType declared;
    std::string live;  // Notion's type name (may be a type notionsync does not handle)
  };
  std::vector<std::string> missing;      // declared, absent in Notion: additive
  std::vector<TypeChange> type_changes;  // same name, other type: destructive
  std::vector<std::string> extra;        // in Notion, not declared: left alone unless pruned
  std::string live_title;                // the live title property's name
  bool title_renamed = false;            // the declared title has another name than live_title

  bool has_destructive_changes() const { return !type_changes.empty(); }
  std::string to_string() const;  // one line per difference
};

class DatabaseSchema {
 public:
  // Adds a property. Problems are reported by validate(), all at once.
  DatabaseSchema& add(PropertyBinding binding);
  // Marks `field` as part of the primary key (in the order keys are added).
  DatabaseSchema& key(std::string field);
  // Binds the page body (Notion-flavored Markdown) to the row field `field`.
  DatabaseSchema& body(std::string field);
  // Binds the page icon to the row field `field`: an emoji ("🚀"), a URL, or the path of a local
  // image (uploaded once); empty for no icon.
  DatabaseSchema& icon(std::string field);
  // Binds the page cover to the row field `field`: a URL or the path of a local image.
  DatabaseSchema& cover(std::string field);

  const std::vector<PropertyBinding>& properties() const { return properties_; }
  const std::vector<std::string>& key_fields() const { return key_fields_; }
  const PropertyBinding* find_by_name(std::string_view name) const;
  const PropertyBinding* find_by_field(std::string_view field) const;
  const PropertyBinding* title() const;
  // The field holding the page body; empty when pages have no declared body.
  const std::string& body_field() const { return body_field_; }
  // The fields holding the page icon and cover; empty when not bound.
  const std::string& icon_field() const { return icon_field_; }
  const std::string& cover_field() const { return cover_field_; }

  // Throws Error(invalid_argument) listing every problem: no properties, two properties with one
  // name or one field, more than one title (none when `creating`: Notion needs exactly one), no
  // key, a key field that is not bound or whose type cannot identify a row (multi_select, people,
  // files, relation, read-only types), a relation with neither or both of its targets, a
  // read-only type bound for writing, a body, icon or cover field also bound to something else.
  void validate(bool creating) const;

  // A property (or the page body) bound to a field the rows do not have, and the problem in words,
  // with the closest available name as a suggestion ("property 'Age' is bound to unknown field
  // 'nmu' (did you mean 'num'?)").
  struct UnknownField {
    const PropertyBinding* binding = nullptr;  // null: the page body's field
    std::string problem;
  };
  // Every bound field that is not in `available_fields` (a CSV header, a struct's fields).
  std::vector<UnknownField> unknown_fields(std::span<const std::string> available_fields) const;
  // Throws Error(invalid_argument) naming each of unknown_fields(available_fields), if any.
  void check_fields(std::span<const std::string> available_fields) const;

  // Compares with a live data source's "properties" object (as GET /v1/data_sources returns it;
  // types notionsync does not handle still count, so a name is never reported missing wrongly).
  SchemaDiff diff_against(const nlohmann::json& live_properties) const;

  // What is hashed into every row's properties fingerprint: property names, types, fields and
  // relation targets, in order, and the icon and cover fields. Changing it rewrites every row's
  // properties once; options, the order of keys and the body binding do not (a body is
  // fingerprinted apart: adding one writes each page's body, not its properties).
  std::string version() const;

  // The schema objects to create the properties, by name. `relation_data_source_ids` maps
  // relation targets (target names) to their data source ids.
  nlohmann::json to_notion_properties(
      const std::map<std::string, std::string>& relation_data_source_ids = {}) const;
  nlohmann::json to_notion_property(
      const PropertyBinding& binding,
      const std::map<std::string, std::string>& relation_data_source_ids = {}) const;

  // The targets this schema's relations refer to by key.
  std::vector<std::string> relation_targets() const;

 private:
  std::vector<PropertyBinding> properties_;
  std::vector<std::string> key_fields_;
  std::string body_field_;
  std::string icon_field_;
  std::string cover_field_;
};

// Whether values of `type` can identify a row (be part of a key): they must be a single value
// Notion can filter on with "equals".
bool can_be_key(PropertyType type);

}  // namespace notionsync::notion
