// Between a row's payload (property name -> normalised Value) and a Notion page's properties.
//
// Relations by key need the related target's tracked page ids: RelationResolver looks them up in
// the state store, and the reverse (page id -> key) when reading pages back.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "file_uploader.hpp"
#include "notionsync/core/row.hpp"
#include "notionsync/core/state_store.hpp"
#include "notionsync/notion/database_schema.hpp"
#include "notionsync/notion/endpoints.hpp"

namespace notionsync::notion {

class RelationResolver {
 public:
  RelationResolver(StateStore& store, std::string app_name);

  // The page id tracked for the row of `target` whose key is `key_value` (the value the row gave
  // for the relation: one key part, or a list of parts for a composite key). nullopt when the
  // target has no synced row with that key.
  std::optional<std::string> page_id(const std::string& target, const Value& key_value);

  // The key value (as page_id() takes it) of the row of `target` tracked with `page_id`.
  std::optional<Value> key_value(const std::string& target, const std::string& page_id);

 private:
  struct TargetIndex {
    std::int64_t id = 0;
    bool loaded_reverse = false;
    std::unordered_map<std::string, std::string> page_to_key;  // page id -> encoded key
  };
  TargetIndex& index(const std::string& target);

  StateStore& store_;
  std::string app_name_;
  std::map<std::string, TargetIndex> targets_;
};

// Values of a relation by key, as a list of key values (a single value becomes a list of one).
Value::List relation_key_values(const Value& value);

// The names a row's payload gives the page icon and cover, when the schema binds them (they sort
// among the property names).
inline constexpr std::string_view page_icon_entry = "(page icon)";
inline constexpr std::string_view page_cover_entry = "(page cover)";

struct PageProperties {
  nlohmann::json properties = nlohmann::json::object();
  std::vector<std::string> unresolved;     // "Team: \"eng\"" for keys with no page yet
  endpoints::PageAppearance appearance;    // icon and cover, when the schema binds them
  std::vector<std::string> upload_tokens;  // the local files attached (local_files.hpp)
};

// The "properties", icon and cover of a create/update request for `payload` (see
// DatabaseTarget::encode); local files are attached by the upload id `uploads` gives them.
// Throws RowValueError naming the field when a value exceeds a Notion limit or a local file has
// no upload.
PageProperties page_properties(const DatabaseSchema& schema, const Row& payload,
                               RelationResolver& relations,
                               const std::map<std::string, UploadResult>& uploads = {});

// The local files' tokens a payload names (files values, icon, cover).
std::vector<std::string> upload_tokens(const DatabaseSchema& schema, const Row& payload);

// `remote` (a page read back) with each Notion-hosted file taken for the local file `declared`
// names at the same place, with the same name: Notion cannot tell a file's content, so a hosted
// file where notionsync attached one counts as that file (a drift check compares the rest).
// Returns whether any file was taken so.
bool take_declared_uploads(const DatabaseSchema& schema, Row& remote, const Row& declared);

// The payload a page holds, normalised like declared rows so that equal content gives equal
// fingerprints. Relation page ids are turned back into keys where the related row is tracked.
Row payload_of_page(const DatabaseSchema& schema, const nlohmann::json& page,
                    RelationResolver& relations);

// The key of a payload: the values of the key fields' properties, in key order. Throws
// RowValueError when a key value is empty.
std::vector<Value> key_parts(const DatabaseSchema& schema, const Row& payload);

// A query filter matching pages whose key properties equal `parts`.
nlohmann::json key_filter(const DatabaseSchema& schema, const std::vector<Value>& parts);

}  // namespace notionsync::notion
