// The notionsync.toml configuration: what to sync, from where, into which Notion databases.
//
// load_config() reads and checks the whole file and throws ConfigError naming the key and line of
// the first problem. `${VAR}` in any string is replaced by the environment variable VAR. Relative
// paths (state, sources, and local files named in files values, icons and covers) are relative to
// the config file's folder.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "notionsync/core/error.hpp"
#include "notionsync/core/removal_limit.hpp"
#include "notionsync/notion/database_schema.hpp"
#include "notionsync/notion/database_target.hpp"
#include "notionsync/sync.hpp"

namespace notionsync::cli {

class ConfigError : public Error {
 public:
  explicit ConfigError(const std::string& message) : Error(ErrorKind::invalid_argument, message) {}
};

// Why a postgresql:// state, a postgres source or the worker command is refused by a notionsync
// built with NOTIONSYNC_WITH_POSTGRES=OFF.
inline constexpr const char* kBuiltWithoutPostgres = "this notionsync was built without PostgreSQL";

struct SourceConfig {
  std::string type;      // csv | jsonl | sqlite | postgres
  std::string path;      // csv, jsonl, sqlite: absolute after loading
  std::string url;       // postgres
  std::string query;     // sqlite, postgres
  char delimiter = ',';  // csv
};

struct PropertyConfig {
  std::string where;   // "notionsync.toml:31", where the property is set, for messages
  std::string name;    // the Notion property name
  std::string column;  // the source column (defaults to the name)
  notion::PropertyType type = notion::PropertyType::rich_text;
  std::string separator;             // list types: splits a text value (default ",")
  std::vector<std::string> options;  // select, multi_select, status options to create
  std::string target;                // relation: another target's name (values are its keys)
  std::string data_source_id;        // relation: values are page ids of this data source
};

struct TargetConfig {
  std::string name;
  notion::ManagedBy managed_by = notion::ManagedBy::system;
  std::string data_source_id;
  std::string parent_page_id;
  std::string parent_database_id;
  std::string title;
  RemovalMode on_delete = RemovalMode::trash;
  bool allow_destructive = false;
  bool trash_duplicate_pages = false;
  RemovalLimit max_removals;  // max_removals = 100 (pages) or "20%" (of the tracked pages)
  SourceConfig source;
  std::vector<std::string> key;  // source columns
  std::vector<PropertyConfig> properties;
  std::string body_column;   // body = { column = "notes" }: the page body (Markdown); empty: none
  std::string icon_column;   // icon = { column = "icon" }: an emoji, a URL or a local image
  std::string cover_column;  // cover = { column = "cover" }: a URL or a local image
  std::string body_where;    // "notionsync.toml:31": where body = { column } is written
  bool body_allow_deleting_content = false;
  DriftPolicy on_drift = DriftPolicy::restore;
  // Where relative paths of local files (files values, icon, cover) are taken from: the config
  // file's folder.
  std::string files_folder;
  std::chrono::seconds users_cache_ttl{3600};  // [notion] users_cache_ttl

  notion::DatabaseSchema schema() const;
  // Where its rows go and how, for Sync::database(). Settings of the other mode (a parent page
  // given with managed_by = "user") have no place in it: target_options() keeps them for
  // notion::validate_options().
  DatabaseLocation location() const;
  DatabaseOptions database_options() const;
  // The options to mount this target on an App with `client` (doctor's scratch app, and to validate every setting).
  notion::DatabaseTargetOptions target_options(notion::Client& client) const;
};

struct Config {
  std::string path;  // the file read
  std::string app_name;
  std::string state;  // "sqlite:PATH" (absolute after loading) or "postgresql://..."
  std::string token_env = "NOTION_TOKEN";
  std::string token_file;                               // read instead of the environment when set
  std::string base_url;                                 // empty: NOTION_API_BASE_URL, else Notion
  std::string api_version{notion::notion_api_version};  // [notion] api_version
  bool allow_insecure_http = false;  // http:// to another machine than this one (a trusted proxy)
  double rate = 3.0;
  double burst = 3.0;
  // How long the workspace's users (people values by email or name) are kept, in seconds.
  std::chrono::seconds users_cache_ttl{3600};
  std::vector<TargetConfig> targets;

  // The Notion client options these settings give, with `token` (see read_token).
  notion::ClientOptions client_options(notion::Token token) const;
};

// How much of the file a command needs.
enum class ConfigParts {
  all,
  // [app] only (the app's name and state store): what `status` reads. [notion] and [[target]]
  // are left unread, so the environment variables they name need not be set.
  app_only,
};

// Reads and checks `path`. Throws ConfigError ("notionsync.toml:12: target[0].on_delete: ...").
Config load_config(const std::string& path, ConfigParts parts = ConfigParts::all);
// The same from text (for tests); `path` is used in messages and to resolve relative paths.
Config parse_config(const std::string& text, const std::string& path,
                    ConfigParts parts = ConfigParts::all);

// The Notion token: from token_file, else the environment variable token_env, else the file its
// _FILE variable names (NOTION_TOKEN_FILE). Throws ConfigError with the fix when it is missing.
notion::Token read_token(const Config& config);

}  // namespace notionsync::cli
