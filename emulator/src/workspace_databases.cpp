// Workspace operations on databases and data sources (schemas included).
#include <algorithm>

#include "computed_values.hpp"
#include "ids.hpp"
#include "property_schema.hpp"
#include "request_checks.hpp"
#include "rich_text.hpp"
#include "workspace.hpp"

namespace notion_emulator {

using nlohmann::json;

namespace {

json rich_text_field(const json& body, const char* key, json fallback) {
  if (!body.contains(key)) return fallback;
  return normalize_rich_text(body[key], std::string("body.") + key);
}

}  // namespace

json Workspace::retrieve_database(const std::string& id) const {
  return database_object(database(id));
}

json Workspace::create_database(const json& body) {
  check_body_keys(body, {"parent", "title", "description", "is_inline", "initial_data_source",
                         "icon", "cover"});
  if (!body.contains("parent")) throw missing_field_error("body.parent");
  const json& parent = body["parent"];
  if (parent.is_object() && parent.contains("workspace")) {
    throw validation_error(
        "Internal integrations cannot create databases at workspace level: "
        "give a page_id parent.");
  }
  // Unlike pages.create, the SDK's type for databases.create requires parent.type.
  if (!parent.is_object() || !parent.contains("type"))
    throw missing_field_error("body.parent.type");
  if (parent["type"] != "page_id") {
    throw body_validation_error("body.parent.type", "`page_id`", parent["type"]);
  }
  const std::string parent_id = id_field(parent, "page_id", "body.parent");
  const Page& parent_page = page(parent_id);
  if (parent_page.in_trash) {
    throw validation_error(
        "Can't edit block that is archived. You must unarchive the block before editing.");
  }
  Database db;
  db.id = new_uuid(generator_);
  db.parent = {{"type", "page_id"}, {"page_id", parent_id}};
  // A database created without a title is named "New database" (recorded: get_database).
  db.title = rich_text_field(body, "title", json::array({text_item("New database")}));
  db.description = rich_text_field(body, "description", json::array());
  db.is_inline = bool_field(body, "is_inline", false);
  db.icon = icon_from(body.value("icon", json(nullptr)), "body.icon");
  db.cover = cover_from(body.value("cover", json(nullptr)), "body.cover");
  db.created_ms = db.last_edited_ms = next_time();
  db.sequence = ++sequence_;

  json properties = {{"Name", {{"title", json::object()}}}};
  if (body.contains("initial_data_source")) {
    const json& initial = body["initial_data_source"];
    if (!initial.is_object())
      throw body_validation_error("body.initial_data_source", "an object", initial);
    for (const auto& [key, value] : initial.items()) {
      if (key != "properties") {
        throw validation_error("body failed validation: body.initial_data_source." + key +
                               " should be not present, instead was `" + value.dump() + "`.");
      }
    }
    if (initial.contains("properties")) properties = initial["properties"];
  }
  SchemaContext context{
      generator_, [this](const std::string& id) -> const DataSource* {
        if (const auto found = data_sources_.find(id); found != data_sources_.end())
          return &found->second;
        if (const auto found = databases_.find(id);
            found != databases_.end() && found->second.data_source_ids.size() == 1) {
          return &data_sources_.at(found->second.data_source_ids.front());
        }
        return nullptr;
      }};
  DataSource source;
  source.id = new_uuid(generator_);
  source.database_id = db.id;
  source.title = db.title;
  source.description = db.description;
  source.properties = build_schema(properties, "body.initial_data_source.properties", context);
  rewrite_formulas(source);
  source.created_ms = source.last_edited_ms = db.created_ms;
  source.sequence = ++sequence_;
  db.data_source_ids.push_back(source.id);
  const std::string id = db.id;
  const std::string source_id = source.id;
  databases_[id] = std::move(db);
  data_sources_[source_id] = std::move(source);
  append_child(parent_id, id);
  link_dual_relations(source_id);
  return database_object(databases_.at(id));
}

json Workspace::update_database(const std::string& id, const json& body) {
  check_body_keys(body, {"parent", "title", "description", "is_inline", "icon", "cover", "in_trash",
                         "is_locked"});
  Database& db = database(id);
  Database updated = db;
  if (body.contains("parent")) {
    const std::string parent_id = id_field(body["parent"], "page_id", "body.parent");
    page(parent_id);
    updated.parent = {{"type", "page_id"}, {"page_id", parent_id}};
  }
  if (body.contains("title")) updated.title = rich_text_field(body, "title", json::array());
  if (body.contains("description"))
    updated.description = rich_text_field(body, "description", json::array());
  updated.is_inline = bool_field(body, "is_inline", db.is_inline);
  if (body.contains("icon")) updated.icon = icon_from(body["icon"], "body.icon");
  if (body.contains("cover")) {
    // Notion: covers are not supported on inline databases.
    if (updated.is_inline && !body["cover"].is_null()) {
      throw validation_error("Cover is not supported for inline databases.");
    }
    updated.cover = cover_from(body["cover"], "body.cover");
  }
  updated.in_trash = bool_field(body, "in_trash", db.in_trash);
  updated.is_locked = bool_field(body, "is_locked", db.is_locked);
  updated.last_edited_ms = next_time();
  // A database's description is its data sources' too (recorded: patch_db_A_description, then
  // get_ds_A).
  if (body.contains("description")) {
    for (const std::string& source_id : updated.data_source_ids) {
      data_source(source_id).description = updated.description;
    }
  }
  db = std::move(updated);
  return database_object(db);
}

json Workspace::retrieve_data_source(const std::string& id) const {
  return data_source_object(data_source(id));
}

json Workspace::create_data_source(const json& body) {
  check_body_keys(body, {"parent", "properties", "title", "icon"});
  if (!body.contains("parent")) throw missing_field_error("body.parent");
  if (!body.contains("properties")) throw missing_field_error("body.properties");
  const std::string database_id = id_field(body["parent"], "database_id", "body.parent");
  Database& db = database(database_id);
  SchemaContext context{generator_, [this](const std::string& related) -> const DataSource* {
                          const auto found = data_sources_.find(related);
                          return found == data_sources_.end() ? nullptr : &found->second;
                        }};
  DataSource source;
  source.id = new_uuid(generator_);
  source.database_id = database_id;
  source.title = rich_text_field(body, "title", json::array());
  source.icon = icon_from(body.value("icon", json(nullptr)), "body.icon");
  source.properties = build_schema(body["properties"], "body.properties", context);
  rewrite_formulas(source);
  source.created_ms = source.last_edited_ms = next_time();
  source.sequence = ++sequence_;
  db.data_source_ids.push_back(source.id);
  const std::string id = source.id;
  data_sources_[id] = std::move(source);
  link_dual_relations(id);
  return data_source_object(data_sources_.at(id));
}

json Workspace::update_data_source(const std::string& id, const json& body) {
  check_body_keys(body, {"archived", "title", "icon", "properties", "in_trash", "parent"});
  DataSource& source = data_source(id);
  DataSource updated = source;
  if (body.contains("title")) {
    const json& title = body["title"];
    updated.title = normalize_rich_text(title, "body.title");
  }
  if (body.contains("icon")) updated.icon = icon_from(body["icon"], "body.icon");
  if (body.contains("in_trash") && body.contains("archived") &&
      body["in_trash"] != body["archived"]) {
    throw validation_error("body failed validation: body.in_trash and body.archived disagree.");
  }
  updated.in_trash = bool_field(body, "archived", updated.in_trash);
  updated.in_trash = bool_field(body, "in_trash", updated.in_trash);
  std::string move_to;
  if (body.contains("parent")) {
    move_to = id_field(body["parent"], "database_id", "body.parent");
    database(move_to);
  }
  const std::vector<PropertyDefinition> before = source.properties;
  SchemaChange change;
  if (body.contains("properties")) {
    SchemaContext context{generator_,
                          [this, &updated](const std::string& related) -> const DataSource* {
                            if (related == updated.id) return &updated;
                            const auto found = data_sources_.find(related);
                            return found == data_sources_.end() ? nullptr : &found->second;
                          }};
    change = update_schema(updated.properties, body["properties"], "body.properties", context);
    rewrite_formulas(updated);
  }
  updated.last_edited_ms = next_time();
  if (!move_to.empty() && move_to != source.database_id) {
    auto& old_ids = database(source.database_id).data_source_ids;
    old_ids.erase(std::remove(old_ids.begin(), old_ids.end(), id), old_ids.end());
    database(move_to).data_source_ids.push_back(id);
    updated.database_id = move_to;
  }
  source = std::move(updated);
  // Stored page values follow the schema: removed properties lose their values, retyped ones are
  // converted where Notion keeps the text, and new unique_id properties number existing pages.
  for (auto& [page_id, p] : pages_) {
    if (p.data_source_id != id) continue;
    for (const std::string& removed : change.removed_ids) p.values.erase(removed);
    for (const auto& [property_id, old_type] : change.retyped) {
      const auto found = p.values.find(property_id);
      if (found == p.values.end()) continue;
      const PropertyDefinition* property = find_property(source.properties, property_id);
      json converted = property ? convert_value(*found, old_type, property->type) : json(nullptr);
      if (converted.is_null()) {
        p.values.erase(property_id);
      } else {
        p.values[property_id] = std::move(converted);
      }
    }
  }
  for (const PropertyDefinition& property : source.properties) {
    if (property.type == "unique_id" && !source.unique_id_counters.contains(property.id)) {
      backfill_unique_ids(source, property.id);
    }
  }
  // Removing one side of a two-way relation removes its synced side too.
  for (const std::string& removed : change.removed_ids) {
    for (const PropertyDefinition& property : before) {
      if (property.id == removed) unlink_dual_relation(property);
    }
  }
  link_dual_relations(id);
  return data_source_object(data_source(id));
}

void Workspace::rewrite_formulas(DataSource& source) const {
  for (PropertyDefinition& property : source.properties) {
    if (property.type != "formula") continue;
    property.config["expression"] = rewrite_formula_references(
        property.config.value("expression", ""), source.properties, source.id, property.name);
  }
}

void Workspace::backfill_unique_ids(DataSource& source, const std::string& property_id) {
  std::vector<Page*> members;
  for (auto& [page_id, p] : pages_) {
    if (p.data_source_id == source.id) members.push_back(&p);
  }
  std::sort(members.begin(), members.end(),
            [](const Page* a, const Page* b) { return a->sequence < b->sequence; });
  std::int64_t& counter = source.unique_id_counters[property_id];
  for (Page* p : members) p->values[property_id] = ++counter;
}

}  // namespace notion_emulator
