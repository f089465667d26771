// The stored workspace objects: databases, their data sources with property schemas, and pages.
// Values are kept in the form Notion answers with, so rendering is mostly copying.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "page_body.hpp"

namespace notion_emulator {

struct PropertyDefinition {
  std::string id;  // percent-encoded as Notion answers it; "title" for the title property
  std::string name;
  std::string type;
  nlohmann::json config = nlohmann::json::object();  // the object under the type key
  nlohmann::json description = nullptr;
};

struct DataSource {
  std::string id;
  std::string database_id;
  nlohmann::json title = nlohmann::json::array();  // response rich text
  nlohmann::json description = nlohmann::json::array();
  nlohmann::json icon = nullptr;
  std::vector<PropertyDefinition> properties;  // in creation order
  std::int64_t created_ms = 0;
  std::int64_t last_edited_ms = 0;
  bool in_trash = false;
  std::uint64_t sequence = 0;
  std::map<std::string, std::int64_t> unique_id_counters;  // property id -> last number given
};

struct Database {
  std::string id;
  nlohmann::json parent;  // {"type":"page_id","page_id":...}
  nlohmann::json title = nlohmann::json::array();
  nlohmann::json description = nlohmann::json::array();
  bool is_inline = false;
  bool in_trash = false;
  bool is_locked = false;
  nlohmann::json icon = nullptr;
  nlohmann::json cover = nullptr;
  std::int64_t created_ms = 0;
  std::int64_t last_edited_ms = 0;
  std::uint64_t sequence = 0;
  std::vector<std::string> data_source_ids;
};

struct Page {
  std::string id;
  std::string data_source_id;  // empty for pages under a page or the workspace
  nlohmann::json parent;       // for pages outside data sources: page_id or workspace parent
  // Property id -> stored value. Select/status store option ids, multi_select an array of them;
  // pages outside data sources keep their title under "title".
  nlohmann::json values = nlohmann::json::object();
  std::int64_t created_ms = 0;
  std::int64_t last_edited_ms = 0;
  std::uint64_t sequence = 0;
  bool in_trash = false;
  bool is_locked = false;
  nlohmann::json icon = nullptr;
  nlohmann::json cover = nullptr;
  std::string created_by;  // user ids; empty in state files older than users (the bot)
  std::string last_edited_by;
  // The page's content: Markdown blocks and its child pages and databases, in order.
  std::vector<BodyBlock> body;
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(PropertyDefinition, id, name, type, config, description)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(DataSource, id, database_id, title, description, icon,
                                   properties, created_ms, last_edited_ms, in_trash, sequence,
                                   unique_id_counters)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Database, id, parent, title, description, is_inline, in_trash,
                                   is_locked, icon, cover, created_ms, last_edited_ms, sequence,
                                   data_source_ids)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Page, id, data_source_id, parent, values,
                                                created_ms, last_edited_ms, sequence, in_trash,
                                                is_locked, icon, cover, created_by, last_edited_by,
                                                body)

// Finds a property by name or by id; ids match after percent-decoding both sides, because clients
// send them encoded, decoded, or as the SDK re-encodes them. Returns nullptr when absent.
const PropertyDefinition* find_property(const std::vector<PropertyDefinition>& properties,
                                        const std::string& key);
PropertyDefinition* find_property(std::vector<PropertyDefinition>& properties,
                                  const std::string& key);

// Property types whose values only Notion computes.
bool is_read_only_type(const std::string& type);

}  // namespace notion_emulator
