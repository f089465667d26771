// Two-way (dual_property) relations: Notion adds a synced relation property to the related data
// source and keeps it pointing back at every page that relates to a page there.
#include <algorithm>

#include "request_checks.hpp"
#include "rich_text.hpp"
#include "workspace.hpp"

namespace notion_emulator {

using nlohmann::json;

namespace {

bool is_dual(const PropertyDefinition& property) {
  return property.type == "relation" && property.config.value("type", json()) == "dual_property";
}

std::vector<PropertyDefinition>::iterator find_by_id(std::vector<PropertyDefinition>& properties,
                                                     const std::string& id) {
  return std::find_if(properties.begin(), properties.end(),
                      [&](const PropertyDefinition& property) { return property.id == id; });
}

std::vector<std::string> related_ids(const json& value) {
  std::vector<std::string> ids;
  if (value.is_array()) {
    for (const json& item : value) ids.push_back(item["id"].get<std::string>());
  }
  return ids;
}

bool contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

void Workspace::link_dual_relations(const std::string& data_source_id) {
  DataSource& source = data_source(data_source_id);
  // Indexes, not references: a self-relation adds its synced property to this very vector.
  for (std::size_t i = 0; i < source.properties.size(); ++i) {
    if (!is_dual(source.properties[i])) continue;
    const std::string property_id = source.properties[i].id;
    const std::string property_name = source.properties[i].name;
    const json dual = source.properties[i].config["dual_property"];
    DataSource& target =
        data_source(source.properties[i].config["data_source_id"].get<std::string>());
    const std::string synced_id = dual["synced_property_id"];
    std::string synced_name;
    if (const auto synced = find_by_id(target.properties, synced_id);
        synced != target.properties.end()) {
      synced->config["dual_property"]["synced_property_name"] = property_name;
      synced_name = synced->name;
    } else {
      synced_name = dual["synced_property_name"];
      if (synced_name.empty()) {
        synced_name = "Related to " + plain_text(source.title) + " (" + property_name + ")";
      }
      // A taken name gets a number, so adding the relation never fails half-way.
      const std::string base = synced_name;
      for (int n = 2; find_property(target.properties, synced_name) != nullptr; ++n) {
        synced_name = base + " " + std::to_string(n);
      }
      PropertyDefinition created;
      created.id = synced_id;
      created.name = synced_name;
      created.type = "relation";
      created.config = {
          {"database_id", source.database_id},
          {"data_source_id", source.id},
          {"type", "dual_property"},
          {"dual_property",
           {{"synced_property_id", property_id}, {"synced_property_name", property_name}}}};
      target.properties.push_back(std::move(created));
    }
    data_source(data_source_id).properties[i].config["dual_property"]["synced_property_name"] =
        synced_name;
  }
}

void Workspace::unlink_dual_relation(const PropertyDefinition& removed) {
  if (!is_dual(removed)) return;
  const auto target = data_sources_.find(removed.config["data_source_id"].get<std::string>());
  if (target == data_sources_.end()) return;
  const std::string synced_id = removed.config["dual_property"]["synced_property_id"];
  auto& properties = target->second.properties;
  const auto synced = find_by_id(properties, synced_id);
  if (synced == properties.end()) return;
  properties.erase(synced);
  for (auto& [page_id, p] : pages_) {
    if (p.data_source_id == target->first) p.values.erase(synced_id);
  }
}

void Workspace::update_back_links(const std::string& page_id, const PropertyDefinition& property,
                                  const json& before, const json& after) {
  if (!is_dual(property)) return;
  const std::string target_id = property.config["data_source_id"];
  const std::string synced_id = property.config["dual_property"]["synced_property_id"];
  const std::vector<std::string> old_ids = related_ids(before);
  const std::vector<std::string> new_ids = related_ids(after);
  const json link = {{"id", page_id}};
  for (const std::string& id : new_ids) {
    const auto related = pages_.find(id);
    if (contains(old_ids, id) || related == pages_.end() ||
        related->second.data_source_id != target_id) {
      continue;
    }
    json& links = related->second.values[synced_id];
    if (!links.is_array()) links = json::array();
    if (std::find(links.begin(), links.end(), link) == links.end()) links.push_back(link);
  }
  for (const std::string& id : old_ids) {
    const auto related = pages_.find(id);
    if (contains(new_ids, id) || related == pages_.end()) continue;
    const auto links = related->second.values.find(synced_id);
    if (links == related->second.values.end()) continue;
    links->erase(std::remove(links->begin(), links->end(), link), links->end());
  }
}

}  // namespace notion_emulator
