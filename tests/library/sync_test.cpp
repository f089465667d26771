// Sync, the front door, against the emulator: rounds, both kinds of database, the lock, plans,
// and the options each kind of database takes.
#include "notionsync/sync.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "library/task.hpp"
#include "notionsync/core/sqlite_state_store.hpp"
#include "notionsync/notion/database_target.hpp"
#include "support/temp_dir.hpp"
#include "target/backend.hpp"

namespace notionsync::testing {
namespace {

class SyncTest : public ::testing::Test {
 protected:
  SyncSettings settings(const std::string& app = "tasks") {
    SyncSettings settings;
    settings.token = emulator.token();
    settings.state = dir.file("state/sync.db");
    settings.app = app;
    settings.notion.base_url = emulator.base_url();
    settings.notion.rate = {1000.0, 1000.0};  // the limiter is tested elsewhere
    return settings;
  }
  NewDatabase new_database(const std::string& title = "Tasks") {
    return NewDatabase{.parent_page = emulator.parent_page_id(), .title = title};
  }
  static std::string error_of(const std::function<void()>& call, ErrorKind kind) {
    try {
      call();
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), kind) << error.what();
      return error.what();
    }
    ADD_FAILURE() << "no error";
    return "";
  }

  EmulatorBackend emulator;
  TempDir dir;
};

TEST_F(SyncTest, OneSyncRunsRoundAfterRoundAndKnowsItsDataSource) {
  Sync sync(settings());
  auto tasks = sync.database(task_schema(), new_database());
  EXPECT_EQ(tasks.name(), "Tasks");
  EXPECT_EQ(tasks.data_source_id(), "");  // not created yet
  tasks.declare({"Write", 3});
  tasks.declare({"Test", 2});
  tasks.declare({"Ship", 1});
  const SyncReport first = sync.run();
  ASSERT_TRUE(first.ok()) << first.to_string();
  ASSERT_EQ(first.targets.size(), 1u);
  EXPECT_EQ(first.targets[0].created, 3u);
  const std::string data_source = tasks.data_source_id();
  ASSERT_FALSE(data_source.empty());
  EXPECT_EQ(emulator.live_pages(data_source).size(), 3u);
  EXPECT_TRUE(std::filesystem::exists(dir.file("state/sync.db")));

  // The next round starts empty: what it does not declare is removed.
  emulator.reset_counts();
  tasks.declare({"Write", 5});
  tasks.declare({"Test", 2});
  const SyncReport second = sync.run();
  ASSERT_TRUE(second.ok()) << second.to_string();
  EXPECT_EQ(second.targets[0].updated, 1u);
  EXPECT_EQ(second.targets[0].trashed, 1u);
  EXPECT_EQ(second.targets[0].unchanged, 1u);
  EXPECT_EQ(emulator.count("PATCH", "/v1/pages"), 2u);  // one update, one trash
  EXPECT_EQ(emulator.count("POST", "/v1/pages"), 0u);
  EXPECT_EQ(emulator.live_pages(data_source).size(), 2u);
}

TEST_F(SyncTest, AnExistingDataSourceIsNamedByItsIdAndItsSchemaLeftAlone) {
  std::string data_source;
  {
    Sync sync(settings("creator"));
    auto tasks = sync.database(task_schema(), new_database());
    tasks.declare({"Write", 3});
    ASSERT_TRUE(sync.run().ok());
    data_source = tasks.data_source_id();
  }
  Sync sync(settings("owner"));
  auto tasks = sync.database(task_schema(), ExistingDataSource{data_source});
  EXPECT_EQ(tasks.name(), data_source);
  EXPECT_EQ(tasks.data_source_id(), data_source);
  tasks.declare({"Write", 3});
  tasks.declare({"Review", 1});
  emulator.reset_counts();
  const SyncReport report = sync.run();
  ASSERT_TRUE(report.ok()) << report.to_string();
  EXPECT_EQ(report.targets[0].adopted + report.targets[0].unchanged, 1u);
  EXPECT_EQ(report.targets[0].created, 1u);
  EXPECT_EQ(emulator.count("PATCH", "/v1/data_sources"), 0u);  // a user's schema is not changed
  EXPECT_EQ(emulator.live_pages(data_source).size(), 2u);
}

TEST_F(SyncTest, RowsWithoutAStructGoThroughADatabaseSchema) {
  Sync sync(settings());
  DatabaseSchema schema;
  schema.add({.name = "Title", .type = notion::PropertyType::title});
  schema.add({.name = "Points", .type = notion::PropertyType::number});
  schema.key("Title");
  auto tasks = sync.database(schema, new_database("Rows"), {.name = "rows"});
  EXPECT_EQ(tasks.name(), "rows");
  EXPECT_FALSE(tasks.declare(Row{{"Title", Value("Write")}, {"Points", Value(3)}}).has_value());
  const auto refused = tasks.declare(Row{{"Title", Value("Test")}, {"Points", Value("many")}});
  ASSERT_TRUE(refused.has_value());
  const SyncReport report = sync.run();
  EXPECT_EQ(report.targets[0].created, 1u);
  EXPECT_EQ(report.targets[0].failed, 1u);
  EXPECT_EQ(emulator.live_pages(tasks.data_source_id()).size(), 1u);
}

TEST_F(SyncTest, PlanWritesNothingAndKeepsTheDeclarationsForTheRun) {
  Sync sync(settings());
  auto tasks = sync.database(task_schema(), new_database());
  tasks.declare({"Write", 3});
  tasks.declare({"Test", 2});
  const auto plans = sync.plan();
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_EQ(plans[0].counts.create, 2u);
  EXPECT_EQ(emulator.count("POST", "/v1/pages"), 0u);
  const SyncReport report = sync.run();
  EXPECT_EQ(report.targets[0].created, 2u);
}

TEST_F(SyncTest, ASecondProgramOnTheSameAppIsRefusedWhileTheFirstDeclares) {
  Sync first(settings());
  auto tasks = first.database(task_schema(), new_database());
  tasks.declare({"Write", 3});
  Sync second(settings());
  error_of([&] { second.database(task_schema(), new_database()); }, ErrorKind::state_store_locked);
  ASSERT_TRUE(first.run().ok());
  // The lock goes with the round: now the second program may sync.
  auto again = second.database(task_schema(), new_database());
  again.declare({"Write", 3});
  EXPECT_TRUE(second.run().ok());
}

TEST_F(SyncTest, EachKindOfDatabaseTakesOnlyWhatItNeeds) {
  Sync sync(settings());
  const std::string both_parents = error_of(
      [&] {
        sync.database(task_schema(), NewDatabase{.parent_page = emulator.parent_page_id(),
                                                 .parent_database = emulator.parent_page_id(),
                                                 .title = "Tasks"});
      },
      ErrorKind::invalid_argument);
  EXPECT_NE(both_parents.find("parent"), std::string::npos) << both_parents;
  error_of(  // no title
      [&] { sync.database(task_schema(), NewDatabase{.parent_page = emulator.parent_page_id()}); },
      ErrorKind::invalid_argument);
  error_of([&] { sync.database(task_schema(), ExistingDataSource{"not an id"}); },
           ErrorKind::invalid_argument);
  sync.database(task_schema(), new_database());
  const std::string twice =
      error_of([&] { sync.database(task_schema(), new_database()); }, ErrorKind::invalid_argument);
  EXPECT_NE(twice.find("DatabaseOptions::name"), std::string::npos) << twice;
  EXPECT_EQ(emulator.total_requests(), 0u);
}

TEST_F(SyncTest, SettingsAreCheckedBeforeAnythingIsOpened) {
  SyncSettings no_token = settings();
  no_token.token = Token();
  error_of([&] { Sync sync(no_token); }, ErrorKind::invalid_argument);
  SyncSettings two_tokens = settings();
  two_tokens.notion.token = emulator.token();
  error_of([&] { Sync sync(two_tokens); }, ErrorKind::invalid_argument);
  SyncSettings in_clear = settings();
  in_clear.notion.base_url = "http://notion.example.com";
  error_of([&] { Sync sync(in_clear); }, ErrorKind::invalid_argument);
  EXPECT_FALSE(std::filesystem::exists(dir.file("state")));
}

TEST_F(SyncTest, AStoreNotToCreateIsNotCreatedByAPlan) {
  SyncSettings read_only = settings();
  read_only.create_state = false;
  Sync sync(read_only);
  auto tasks = sync.database(task_schema(), new_database());
  tasks.declare({"Write", 3});
  EXPECT_EQ(sync.plan().at(0).counts.create, 1u);
  EXPECT_FALSE(std::filesystem::exists(dir.file("state/sync.db")));
}

TEST_F(SyncTest, TheTypedMountRefusesASecondSchemaRatherThanDropIt) {
  auto store = SqliteStateStore::open(":memory:");
  App app("typed", *store);
  notion::Client client({.token = emulator.token(), .base_url = emulator.base_url()});
  notion::DatabaseTargetOptions options;
  options.client = &client;
  options.parent_page_id = emulator.parent_page_id();
  options.title = "Tasks";
  options.schema.add({.name = "Other", .type = notion::PropertyType::title}).key("Other");
  const std::string message =
      error_of([&] { notion::mount_database_target(app, "tasks", task_schema(), options); },
               ErrorKind::invalid_argument);
  EXPECT_NE(message.find("options.schema"), std::string::npos) << message;
  options.schema = task_schema().schema();  // the same schema twice is no contradiction
  notion::mount_database_target(app, "tasks", task_schema(), options);
  EXPECT_EQ(emulator.total_requests(), 0u);
}

}  // namespace
}  // namespace notionsync::testing
