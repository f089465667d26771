// Shared set-up of the Notion database target tests: a backend (emulator or live Notion), a client,
// a SQLite state store in a temporary folder, and helpers to run one sync as a fresh process would,
// through the front door (notionsync::Sync).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "backend.hpp"
#include "notionsync/core/sqlite_state_store.hpp"
#include "notionsync/notion/database_target.hpp"
#include "notionsync/notion/endpoints.hpp"
#include "notionsync/notion/property_value_codec.hpp"
#include "notionsync/sync.hpp"
#include "people.hpp"
#include "support/temp_dir.hpp"

namespace notionsync::testing {

enum class Where { emulator, live };

inline std::string where_name(const ::testing::TestParamInfo<Where>& info) {
  return info.param == Where::emulator ? "Emulator" : "LiveNotion";
}

class TargetTest : public ::testing::TestWithParam<Where> {
 protected:
  // Every sync after a target's first asks Notion once which pages people changed (drift; the
  // default on_drift = restore): one data source query.
  static constexpr std::size_t kDriftQuery = 1;

  void SetUp() override {
    if (GetParam() == Where::live) {
      if (!LiveBackend::available()) {
        GTEST_SKIP() << "set NOTION_TEST_TOKEN and NOTION_TEST_PARENT_PAGE to run against Notion";
      }
      backend = std::make_unique<LiveBackend>();
    } else {
      backend = std::make_unique<EmulatorBackend>(
          [this](notion_emulator::Options& options) { configure_emulator(options); });
    }
    notion::ClientOptions options;
    options.token = backend->token();
    options.base_url = backend->base_url();
    if (backend->counts_calls()) options.rate = {1000.0, 1000.0};
    client = std::make_unique<notion::Client>(options);
    open_state_store("state.db");
    std::random_device random;
    title = "notionsync-test-" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" +
            std::to_string(random() % 1000000);
  }

  void TearDown() override {
    if (client == nullptr) return;
    for (const auto& database_id : databases_to_trash_) {
      try {
        client->call(notion::endpoints::update_database(database_id, {{"in_trash", true}}));
      } catch (const Error&) {
        // Best effort: a failed clean-up must not hide the test's own result.
      }
    }
  }

  // Makes `file` (in the test's folder) the state store of the next syncs, and `store` its reader.
  void open_state_store(const std::string& file) {
    state_path = dir.file(file);
    store = SqliteStateStore::open(state_path);
  }

  // Adjusts the emulator's options before it starts (its users, its upload limit).
  virtual void configure_emulator(notion_emulator::Options& /*options*/) {}
  notion_emulator::Server& server() { return static_cast<EmulatorBackend&>(*backend).server(); }

  bool counts_calls() const { return backend->counts_calls(); }
  std::size_t count(std::string_view method, std::string_view path) const {
    return backend->count(method, path);
  }
  // Page creates, updates, trashes and deletes.
  std::size_t page_writes() const {
    return count("POST", "/v1/pages") + count("PATCH", "/v1/pages") + count("DELETE", "/v1/blocks");
  }
  // Page writes plus data source queries: every call a row can cost.
  std::size_t page_calls() const { return page_writes() + count("POST", "/v1/data_sources/"); }

  notion::DatabaseTargetOptions system_options(notion::DatabaseSchema schema = people_schema()) {
    notion::DatabaseTargetOptions options;
    options.client = client.get();
    options.schema = std::move(schema);
    options.managed_by = notion::ManagedBy::system;
    options.parent_page_id = backend->parent_page_id();
    options.title = title;
    return options;
  }

  notion::DatabaseTargetOptions user_options(const std::string& data_source_id,
                                             notion::DatabaseSchema schema = people_schema()) {
    notion::DatabaseTargetOptions options;
    options.client = client.get();
    options.schema = std::move(schema);
    options.managed_by = notion::ManagedBy::user;
    options.data_source_id = data_source_id;
    return options;
  }

  // Creates a database the way a user would, outside notionsync; returns its data source id.
  std::string create_database(const nlohmann::json& properties, const std::string& suffix = "") {
    const auto database = client->call(
        notion::endpoints::create_database(backend->parent_page_id(), title + suffix, properties));
    databases_to_trash_.push_back(database.at("id"));
    backend->reset_counts();
    return database.at("data_sources").at(0).at("id");
  }

  std::string create_people_database() {
    return create_database(people_schema().to_notion_properties());
  }

  // One sync of `rows` through a fresh Sync, as a new process would run it: a database named
  // "people" of app `app_name`, in the state store of `store`. The options say where and how, as
  // mount_database_target() takes them; their client is the Sync's own.
  // Call counts start from zero at each sync, so a test reads what that sync cost.
  SyncReport sync(const notion::DatabaseTargetOptions& options, const std::vector<Row>& rows,
                  const std::string& app_name = "people-app") {
    backend->reset_counts();
    Sync front_door(sync_settings(app_name));
    auto people = add_database(front_door, "people", options);
    for (const auto& row : rows) people.declare(row);
    const SyncReport report = front_door.run();
    remember_created_database();
    return report;
  }

  // The settings of a Sync of app `app_name` over this test's backend and state store.
  SyncSettings sync_settings(const std::string& app_name) const {
    SyncSettings settings;
    settings.token = backend->token();
    settings.state = state_path;
    settings.app = app_name;
    settings.notion.base_url = backend->base_url();
    if (backend->counts_calls()) settings.notion.rate = {1000.0, 1000.0};
    return settings;
  }

  // Adds database `name` to `sync`, with the options as mount_database_target() takes them (their
  // client and schema aside: the Sync's own, and `schema` when given).
  static Database<Row> add_database(Sync& sync, const std::string& name,
                                    const notion::DatabaseTargetOptions& options) {
    return sync.database(options.schema, location_of(options), database_options_of(name, options));
  }
  template <typename T>
  static Database<T> add_database(Sync& sync, const std::string& name, Schema<T> schema,
                                  const notion::DatabaseTargetOptions& options) {
    return sync.database(std::move(schema), location_of(options),
                         database_options_of(name, options));
  }

  static DatabaseOptions database_options_of(const std::string& name,
                                             const notion::DatabaseTargetOptions& options) {
    return DatabaseOptions{.name = name,
                           .on_delete = options.on_delete,
                           .max_removals = options.max_removals,
                           .on_drift = options.on_drift,
                           .trash_duplicate_pages = options.trash_duplicate_pages,
                           .body_allow_deleting_content = options.body_allow_deleting_content,
                           .users_cache_ttl = options.users_cache_ttl};
  }

  static DatabaseLocation location_of(const notion::DatabaseTargetOptions& options) {
    if (options.managed_by == notion::ManagedBy::user) {
      return ExistingDataSource{options.data_source_id};
    }
    return NewDatabase{.parent_page = options.parent_page_id,
                       .parent_database = options.parent_database_id,
                       .title = options.title,
                       .allow_destructive = options.allow_destructive};
  }

  SyncReport sync_people(const notion::DatabaseTargetOptions& options,
                         const std::vector<Person>& people,
                         const std::string& app_name = "people-app") {
    std::vector<Row> rows;
    for (const auto& person : people) rows.push_back(person_row(person));
    return sync(options, rows, app_name);
  }

  // The data source the "people" target of `app_name` tracks.
  std::string tracked_data_source(const std::string& app_name = "people-app") {
    for (const auto& record : store->targets(app_name)) {
      if (record.name == "people") return record.remote_id;
    }
    return "";
  }

  // Plain values of one property across live pages, sorted.
  std::vector<std::string> live_values(const std::string& data_source_id,
                                       const std::string& property) {
    std::vector<std::string> values;
    for (const auto& page : backend->live_pages(data_source_id)) {
      values.push_back(notion::decode_property_value(page["properties"][property]).to_display());
    }
    std::sort(values.begin(), values.end());
    return values;
  }

  // Live Notion only: note databases the syncs created so TearDown trashes them. (Each emulator
  // test has a workspace of its own.)
  void remember_created_database() {
    if (backend->counts_calls()) return;
    for (const auto& app : store->apps()) {
      for (const auto& record : store->targets(app)) {
        if (record.remote_id.empty() || !created_data_sources_.insert(record.remote_id).second) {
          continue;
        }
        try {
          const auto data_source =
              client->call(notion::endpoints::retrieve_data_source(record.remote_id));
          const std::string database_id = data_source["parent"].value("database_id", "");
          if (!database_id.empty() &&
              std::find(databases_to_trash_.begin(), databases_to_trash_.end(), database_id) ==
                  databases_to_trash_.end()) {
            databases_to_trash_.push_back(database_id);
          }
        } catch (const Error&) {
          // Clean-up bookkeeping only.
        }
      }
    }
  }

  TempDir dir;
  std::unique_ptr<Backend> backend;
  std::unique_ptr<notion::Client> client;
  std::unique_ptr<SqliteStateStore> store;
  std::string state_path;
  std::string title;

 private:
  std::vector<std::string> databases_to_trash_;
  std::set<std::string> created_data_sources_;
};

}  // namespace notionsync::testing
