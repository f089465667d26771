#include "config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/suggest.hpp"

namespace notionsync::cli {
namespace {

namespace fs = std::filesystem;

// Reads one table of the file, reporting problems with the file, line and dotted key.
class Reader {
 public:
  Reader(const toml::table& table, std::string path, std::string prefix, const fs::path& base)
      : table_(table), path_(std::move(path)), prefix_(std::move(prefix)), base_(base) {}

  // "notionsync.toml:31": the file, and the line `node` (else this table) starts on.
  std::string where(const toml::node* node) const {
    std::string where = path_;
    const auto* located = node != nullptr ? node : static_cast<const toml::node*>(&table_);
    if (located->source().begin.line > 0)
      where += ":" + std::to_string(located->source().begin.line);
    return where;
  }

  [[noreturn]] void fail(const toml::node* node, std::string_view key,
                         const std::string& problem) const {
    const std::string where = this->where(node);
    std::string dotted = prefix_;
    if (!key.empty()) dotted += (dotted.empty() ? "" : ".") + std::string(key);
    throw ConfigError(where + ": " + (dotted.empty() ? "" : dotted + ": ") + problem);
  }

  // Rejects keys this table does not know, suggesting the closest known one.
  void only(std::initializer_list<std::string_view> known) const {
    for (const auto& [key, node] : table_) {
      const std::string_view name = key.str();
      if (std::find(known.begin(), known.end(), name) != known.end()) continue;
      std::string problem = "unknown key";
      const std::vector<std::string> names(known.begin(), known.end());
      if (const auto closest = closest_match(name, names)) {
        problem += " (did you mean '" + *closest + "'?)";
      }
      fail(&node, name, problem);
    }
  }

  std::optional<std::string> text(std::string_view key) const {
    const toml::node* node = table_.get(key);
    if (node == nullptr) return std::nullopt;
    const auto value = node->value<std::string>();
    if (!value) fail(node, key, "expected a string");
    return interpolate(*value, node, key);
  }

  std::string required_text(std::string_view key) const {
    auto value = text(key);
    if (!value || value->empty()) fail(nullptr, key, "is required");
    return *value;
  }

  std::optional<bool> boolean(std::string_view key) const {
    const toml::node* node = table_.get(key);
    if (node == nullptr) return std::nullopt;
    const auto value = node->value<bool>();
    if (!value) fail(node, key, "expected true or false");
    return value;
  }

  std::optional<double> number(std::string_view key) const {
    const toml::node* node = table_.get(key);
    if (node == nullptr) return std::nullopt;
    const auto value = node->value<double>();
    if (!value) fail(node, key, "expected a number");
    return value;
  }

  std::vector<std::string> texts(std::string_view key) const {
    const toml::node* node = table_.get(key);
    if (node == nullptr) return {};
    if (const auto* single = node->as_string()) return {interpolate(single->get(), node, key)};
    const auto* array = node->as_array();
    if (array == nullptr) fail(node, key, "expected a list of strings");
    std::vector<std::string> values;
    for (const auto& item : *array) {
      const auto value = item.value<std::string>();
      if (!value) fail(&item, key, "expected a list of strings");
      values.push_back(interpolate(*value, &item, key));
    }
    return values;
  }

  const toml::table* table(std::string_view key) const {
    const toml::node* node = table_.get(key);
    if (node == nullptr) return nullptr;
    if (!node->is_table()) fail(node, key, "expected a table");
    return node->as_table();
  }

  Reader child(const toml::table& table, std::string_view key) const {
    return Reader(table, path_,
                  prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key), base_);
  }

  // `value` resolved against the config file's folder.
  std::string path(const std::string& value) const {
    if (value.empty()) return value;
    const fs::path given(value);
    return (given.is_absolute() ? given : base_ / given).lexically_normal().string();
  }

  const toml::table& raw() const { return table_; }

 private:
  std::string interpolate(const std::string& value, const toml::node* node,
                          std::string_view key) const {
    std::string out;
    std::size_t pos = 0;
    while (true) {
      const auto start = value.find("${", pos);
      if (start == std::string::npos) break;
      const auto end = value.find('}', start);
      if (end == std::string::npos) fail(node, key, "unterminated ${ in \"" + value + "\"");
      const std::string name = value.substr(start + 2, end - start - 2);
      const char* env = std::getenv(name.c_str());
      if (env == nullptr) fail(node, key, "environment variable " + name + " is not set");
      out += value.substr(pos, start - pos);
      out += env;
      pos = end + 1;
    }
    return out + value.substr(pos);
  }

  const toml::table& table_;
  std::string path_;
  std::string prefix_;
  fs::path base_;
};

notion::ManagedBy parse_managed_by(const Reader& reader, const std::string& value) {
  if (value == "system") return notion::ManagedBy::system;
  if (value == "user") return notion::ManagedBy::user;
  reader.fail(reader.raw().get("managed_by"), "managed_by",
              "expected \"system\" or \"user\", got \"" + value + "\"");
}

// The reference connector's names (archive, hard, ignore) are read as the same modes.
RemovalMode parse_on_delete(const Reader& reader, const std::string& value) {
  if (value == "trash" || value == "archive") return RemovalMode::trash;
  if (value == "erase" || value == "hard") return RemovalMode::erase;
  if (value == "forget" || value == "ignore") return RemovalMode::forget;
  reader.fail(reader.raw().get("on_delete"), "on_delete",
              "expected \"trash\", \"erase\" or \"forget\", got \"" + value + "\"");
}

DriftPolicy parse_on_drift(const Reader& reader, const std::string& value) {
  for (const DriftPolicy policy :
       {DriftPolicy::restore, DriftPolicy::report, DriftPolicy::ignore}) {
    if (value == to_string(policy)) return policy;
  }
  reader.fail(reader.raw().get("on_drift"), "on_drift",
              "expected \"restore\", \"report\" or \"ignore\", got \"" + value + "\"");
}

SourceConfig read_source(const Reader& target) {
  const toml::table* table = target.table("source");
  if (table == nullptr)
    target.fail(nullptr, "source", "is required (e.g. { type = \"csv\", path = \"people.csv\" })");
  const Reader reader = target.child(*table, "source");
  reader.only({"type", "path", "url", "query", "delimiter"});
  SourceConfig source;
  source.type = reader.required_text("type");
  if (source.type == "csv" || source.type == "jsonl") {
    source.path = reader.path(reader.required_text("path"));
  } else if (source.type == "sqlite") {
    source.path = reader.path(reader.required_text("path"));
    source.query = reader.required_text("query");
  } else if (source.type == "postgres" || source.type == "postgresql") {
    if (!NOTIONSYNC_WITH_POSTGRES) reader.fail(table->get("type"), "type", kBuiltWithoutPostgres);
    source.type = "postgres";
    source.url = reader.required_text("url");
    source.query = reader.required_text("query");
  } else {
    reader.fail(
        table->get("type"), "type",
        "expected \"csv\", \"jsonl\", \"sqlite\" or \"postgres\", got \"" + source.type + "\"");
  }
  if (const auto delimiter = reader.text("delimiter")) {
    if (delimiter->size() != 1 && *delimiter != "\\t") {
      reader.fail(table->get("delimiter"), "delimiter", "expected one character");
    }
    source.delimiter = *delimiter == "\\t" ? '\t' : delimiter->front();
  }
  return source;
}

PropertyConfig read_property(const Reader& properties, std::string_view name,
                             const toml::node& node) {
  if (!node.is_table()) {
    properties.fail(&node, name, "expected a table like { column = \"name\", type = \"title\" }");
  }
  const Reader reader = properties.child(*node.as_table(), name);
  reader.only({"column", "type", "separator", "options", "target", "data_source_id"});
  PropertyConfig property;
  property.where = properties.where(&node);
  property.name = std::string(name);
  property.column = reader.text("column").value_or(property.name);
  const std::string type = reader.required_text("type");
  const auto parsed = notion::parse_property_type(type);
  if (!parsed || !notion::is_writable(*parsed)) {
    reader.fail(node.as_table()->get("type"), "type",
                "\"" + type +
                    "\" is not a writable Notion property type (title, rich_text, number, "
                    "url, email, phone_number, select, multi_select, status, date, checkbox, "
                    "relation, people, files)");
  }
  property.type = *parsed;
  property.separator = reader.text("separator").value_or("");
  property.options = reader.texts("options");
  property.target = reader.text("target").value_or("");
  property.data_source_id = reader.text("data_source_id").value_or("");
  if (property.type == notion::PropertyType::relation &&
      property.target.empty() == property.data_source_id.empty()) {
    reader.fail(nullptr, "",
                "a relation needs exactly one of target (another target's name) "
                "or data_source_id (values are page ids)");
  }
  return property;
}

// max_removals = 100 (pages) or "20%" (of the tracked pages).
RemovalLimit read_max_removals(const Reader& reader) {
  const toml::node* node = reader.raw().get("max_removals");
  if (node == nullptr) return RemovalLimit::standard();
  const std::string expected =
      "expected a number of pages (max_removals = 100) or a share of the tracked pages "
      "(max_removals = \"20%\")";
  if (const auto count = node->as_integer()) {
    if (count->get() < 0) reader.fail(node, "max_removals", expected);
    return RemovalLimit::at_most(static_cast<std::size_t>(count->get()));
  }
  const auto* text = node->as_string();
  if (text == nullptr || !text->get().ends_with('%')) reader.fail(node, "max_removals", expected);
  const std::string number = text->get().substr(0, text->get().size() - 1);
  std::size_t parsed = 0;
  double percent = -1;
  try {
    percent = std::stod(number, &parsed);
  } catch (const std::exception&) {
    parsed = 0;
  }
  if (number.empty() || parsed != number.size() || !(percent >= 0 && percent <= 100)) {
    reader.fail(node, "max_removals", expected + ", from 0% to 100%");
  }
  return RemovalLimit::percent(percent);
}

TargetConfig read_target(const Reader& reader) {
  reader.only({"name", "managed_by", "data_source_id", "parent_page_id", "parent_database_id",
               "title", "on_delete", "allow_destructive", "trash_duplicate_pages", "max_removals",
               "source", "key", "properties", "body", "body_allow_deleting_content", "on_drift",
               "icon", "cover"});
  TargetConfig target;
  target.name = reader.required_text("name");
  target.managed_by = parse_managed_by(reader, reader.text("managed_by").value_or("system"));
  target.data_source_id = reader.text("data_source_id").value_or("");
  target.parent_page_id = reader.text("parent_page_id").value_or("");
  target.parent_database_id = reader.text("parent_database_id").value_or("");
  target.title = reader.text("title").value_or("");
  target.on_delete = parse_on_delete(reader, reader.text("on_delete").value_or("trash"));
  target.allow_destructive = reader.boolean("allow_destructive").value_or(false);
  target.trash_duplicate_pages = reader.boolean("trash_duplicate_pages").value_or(false);
  target.on_drift = parse_on_drift(reader, reader.text("on_drift").value_or("restore"));
  target.max_removals = read_max_removals(reader);
  target.source = read_source(reader);
  target.key = reader.texts("key");
  if (target.key.empty())
    reader.fail(nullptr, "key", "is required: the source columns that identify a row");
  const toml::table* properties = reader.table("properties");
  if (properties == nullptr || properties->empty()) {
    reader.fail(nullptr, "properties", "is required: one entry per Notion property");
  }
  const Reader properties_reader = reader.child(*properties, "properties");
  for (const auto& [name, node] : *properties) {
    target.properties.push_back(read_property(properties_reader, name.str(), node));
  }
  // body, icon, cover = { column = "..." }: a page part from one source column; `where` is set to
  // where the column is written.
  const auto page_part_column = [&](std::string_view key, std::string* where) -> std::string {
    const toml::table* table = reader.table(key);
    if (table == nullptr) return "";
    const Reader part_reader = reader.child(*table, key);
    part_reader.only({"column"});
    if (where != nullptr) *where = part_reader.where(table->get("column"));
    return part_reader.required_text("column");
  };
  target.body_column = page_part_column("body", &target.body_where);
  target.icon_column = page_part_column("icon", nullptr);
  target.cover_column = page_part_column("cover", nullptr);
  target.body_allow_deleting_content =
      reader.boolean("body_allow_deleting_content").value_or(false);
  return target;
}

}  // namespace

notion::DatabaseSchema TargetConfig::schema() const {
  notion::DatabaseSchema schema;
  for (const auto& property : properties) {
    notion::PropertyBinding binding;
    binding.name = property.name;
    binding.type = property.type;
    binding.field = property.column;
    for (const auto& option : property.options) {
      notion::SelectOption select_option;
      select_option.name = option;
      binding.options.push_back(std::move(select_option));
    }
    binding.relation_target = property.target;
    binding.relation_data_source_id = property.data_source_id;
    schema.add(std::move(binding));
  }
  for (const auto& column : key) schema.key(column);
  if (!body_column.empty()) schema.body(body_column);
  if (!icon_column.empty()) schema.icon(icon_column);
  if (!cover_column.empty()) schema.cover(cover_column);
  return schema;
}

DatabaseLocation TargetConfig::location() const {
  if (managed_by == notion::ManagedBy::user) return ExistingDataSource{data_source_id};
  return NewDatabase{.parent_page = parent_page_id,
                     .parent_database = parent_database_id,
                     .title = title,
                     .allow_destructive = allow_destructive};
}

DatabaseOptions TargetConfig::database_options() const {
  return DatabaseOptions{.name = name,
                         .on_delete = on_delete,
                         .max_removals = max_removals,
                         .on_drift = on_drift,
                         .trash_duplicate_pages = trash_duplicate_pages,
                         .body_allow_deleting_content = body_allow_deleting_content,
                         .users_cache_ttl = users_cache_ttl};
}

notion::DatabaseTargetOptions TargetConfig::target_options(notion::Client& client) const {
  notion::DatabaseTargetOptions options;
  options.client = &client;
  options.schema = schema();
  options.managed_by = managed_by;
  options.data_source_id = data_source_id;
  options.parent_page_id = parent_page_id;
  options.parent_database_id = parent_database_id;
  options.title = title;
  options.on_delete = on_delete;
  options.allow_destructive = allow_destructive;
  options.trash_duplicate_pages = trash_duplicate_pages;
  options.body_allow_deleting_content = body_allow_deleting_content;
  options.on_drift = on_drift;
  options.users_cache_ttl = users_cache_ttl;
  options.max_removals = max_removals;
  return options;
}

Config parse_config(const std::string& text, const std::string& path, ConfigParts parts) {
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& error) {
    throw ConfigError(path + ":" + std::to_string(error.source().begin.line) + ": " +
                      std::string(error.description()));
  }
  const fs::path base = fs::absolute(fs::path(path)).parent_path();
  const Reader reader(root, path, "", base);
  reader.only({"app", "notion", "target"});

  Config config;
  config.path = path;
  const toml::table* app = reader.table("app");
  if (app == nullptr) reader.fail(nullptr, "app", "is required ([app] with name and state)");
  const Reader app_reader = reader.child(*app, "app");
  app_reader.only({"name", "state"});
  config.app_name = app_reader.required_text("name");
  config.state = app_reader.text("state").value_or("sqlite:.notionsync/state.db");
  if (config.state.starts_with("sqlite:")) {
    config.state = "sqlite:" + app_reader.path(config.state.substr(7));
  } else if (!config.state.starts_with("postgresql://") &&
             !config.state.starts_with("postgres://")) {
    app_reader.fail(app->get("state"), "state", "expected \"sqlite:PATH\" or \"postgresql://...\"");
  } else if (!NOTIONSYNC_WITH_POSTGRES) {
    app_reader.fail(app->get("state"), "state", kBuiltWithoutPostgres);
  }
  if (parts == ConfigParts::app_only) return config;

  if (const toml::table* notion_table = reader.table("notion")) {
    const Reader notion_reader = reader.child(*notion_table, "notion");
    notion_reader.only({"token_env", "token_file", "base_url", "api_version", "allow_insecure_http",
                        "rate", "burst", "users_cache_ttl", "token"});
    if (notion_table->contains("token")) {
      notion_reader.fail(notion_table->get("token"), "token",
                         "the token never goes in the file: set token_env (default NOTION_TOKEN) "
                         "or token_file");
    }
    config.token_env = notion_reader.text("token_env").value_or(config.token_env);
    config.token_file = notion_reader.path(notion_reader.text("token_file").value_or(""));
    config.base_url = notion_reader.text("base_url").value_or("");
    config.api_version = notion_reader.text("api_version").value_or(config.api_version);
    const auto& versions = notion::supported_notion_api_versions;
    if (std::find(std::begin(versions), std::end(versions), config.api_version) ==
        std::end(versions)) {
      std::string accepted;
      for (const std::string_view version : versions) {
        accepted += (accepted.empty() ? "\"" : " or \"") + std::string(version) + "\"";
      }
      notion_reader.fail(
          notion_table->get("api_version"), "api_version",
          "Notion API version \"" + config.api_version + "\" is not supported: use " + accepted);
    }
    config.allow_insecure_http = notion_reader.boolean("allow_insecure_http").value_or(false);
    config.rate = notion_reader.number("rate").value_or(config.rate);
    config.burst = notion_reader.number("burst").value_or(config.burst);
    if (config.rate <= 0) notion_reader.fail(notion_table->get("rate"), "rate", "must be above 0");
    if (config.burst < 1)
      notion_reader.fail(notion_table->get("burst"), "burst", "must be at least 1");
    const double ttl = notion_reader.number("users_cache_ttl").value_or(3600);
    if (ttl < 0) {
      notion_reader.fail(notion_table->get("users_cache_ttl"), "users_cache_ttl",
                         "must be 0 or more seconds");
    }
    config.users_cache_ttl = std::chrono::seconds(static_cast<std::int64_t>(ttl));
  }

  const toml::node* targets = root.get("target");
  if (targets == nullptr || !targets->is_array_of_tables() || targets->as_array()->empty()) {
    reader.fail(targets, "target", "at least one [[target]] is required");
  }
  std::set<std::string> names;
  std::size_t index = 0;
  for (const auto& node : *targets->as_array()) {
    const Reader target_reader =
        reader.child(*node.as_table(), "target[" + std::to_string(index++) + "]");
    TargetConfig target = read_target(target_reader);
    target.files_folder = base.string();
    if (!names.insert(target.name).second) {
      target_reader.fail(node.as_table()->get("name"), "name",
                         "two targets are named \"" + target.name + "\"");
    }
    config.targets.push_back(std::move(target));
  }
  for (auto& target : config.targets) target.users_cache_ttl = config.users_cache_ttl;
  for (const auto& target : config.targets) {
    for (const auto& property : target.properties) {
      if (!property.target.empty() && !names.contains(property.target)) {
        throw ConfigError(path + ": target \"" + target.name + "\": property \"" + property.name +
                          "\" relates to target \"" + property.target + "\", which is not defined");
      }
    }
  }
  return config;
}

Config load_config(const std::string& path, ConfigParts parts) {
  std::ifstream file(path);
  if (!file) {
    throw ConfigError("cannot read " + path +
                      " (run `notionsync init` to write one, or pass -c PATH)");
  }
  std::stringstream text;
  text << file.rdbuf();
  return parse_config(text.str(), path, parts);
}

notion::ClientOptions Config::client_options(notion::Token token) const {
  notion::ClientOptions options;
  options.token = std::move(token);
  options.base_url = base_url;
  options.api_version = api_version;
  options.allow_insecure_http = allow_insecure_http;
  options.rate = {rate, burst};
  return options;
}

notion::Token read_token(const Config& config) {
  try {
    if (!config.token_file.empty()) return notion::Token::from_file(config.token_file);
    return notion::Token::from_env(config.token_env);
  } catch (const Error& error) {
    throw ConfigError(std::string(error.what()) +
                      (config.token_file.empty() ? " (or token_file in [notion])" : ""));
  }
}

}  // namespace notionsync::cli
