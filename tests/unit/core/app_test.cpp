// The App engine on the SQLite store. What the engine promises whatever the store (the
// create/update/trash lifecycle, lost responses, an abort mid-apply, the rows digest) is tested
// against each store in tests/state_store/engine_test.cpp.
#include "notionsync/core/app.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <set>
#include <tuple>

#include "core/app_internals.hpp"
#include "notionsync/core/key.hpp"
#include "notionsync/core/sqlite_state_store.hpp"
#include "support/recording_target.hpp"
#include "support/sync_run.hpp"
#include "support/temp_dir.hpp"

namespace notionsync {
namespace {

using testing::FakeRemote;
using testing::key;
using testing::Person;
using testing::RecordingTarget;
using testing::SyncRun;
using testing::TempDir;

class AppTest : public ::testing::Test {
 protected:
  TempDir dir;
  std::unique_ptr<SqliteStateStore> store = SqliteStateStore::open(dir.file("state.db"));
  FakeRemote remote;
  const std::vector<Person> ada_grace_alan = {{"1", "Ada"}, {"2", "Grace"}, {"3", "Alan"}};

  void expect_the_plans_of_a_plain_sync(const std::function<void(App&)>& read_ahead_rows);
};

TEST_F(AppTest, NoopResyncMakesZeroCalls) {
  SyncRun(*store, remote).declare(ada_grace_alan).sync();
  const auto writes = remote.writes;
  SyncRun run(*store, remote);
  const auto report = run.declare(ada_grace_alan).sync();
  EXPECT_TRUE(run.target->calls.empty());
  EXPECT_EQ(run.target->scans, 0u);
  EXPECT_EQ(remote.writes, writes);
  EXPECT_EQ(report.targets.at(0).unchanged, 3u);
}

TEST_F(AppTest, HardDeleteRemovesTheRemoteItem) {
  SyncRun(*store, remote, RemovalMode::erase).declare(ada_grace_alan).sync();
  SyncRun run(*store, remote, RemovalMode::erase);
  const auto report = run.declare({{"1", "Ada"}}).sync();
  EXPECT_EQ(report.targets.at(0).erased, 2u);
  EXPECT_EQ(remote.items.size(), 1u);
}

TEST_F(AppTest, ForgetLeavesTheRemoteItemAndStopsTracking) {
  SyncRun(*store, remote, RemovalMode::forget).declare(ada_grace_alan).sync();
  SyncRun run(*store, remote, RemovalMode::forget);
  const auto report = run.declare({{"1", "Ada"}}).sync();
  EXPECT_TRUE(run.target->calls.empty());
  EXPECT_EQ(report.targets.at(0).forgotten, 2u);
  EXPECT_EQ(remote.live_count(), 3u);
  EXPECT_EQ(store->count_rows(store->targets("people-app").at(0).id), 1);
}

TEST_F(AppTest, ARowReAddedAfterRemovalIsWrittenAgain) {
  SyncRun(*store, remote).declare(ada_grace_alan).sync();
  SyncRun(*store, remote).declare({{"1", "Ada"}}).sync();
  SyncRun run(*store, remote);
  run.declare(ada_grace_alan).sync();
  EXPECT_EQ(run.target->calls.size(), 2u);
  EXPECT_EQ(remote.live_count(), 3u);
}

TEST_F(AppTest, AFailedCreateLeavesNothingTrackedAndIsRetriedNextRun) {
  {
    SyncRun run(*store, remote);
    run.target->fail_keys.insert(key("2"));
    const auto report = run.declare(ada_grace_alan).sync();
    EXPECT_FALSE(report.ok());
    EXPECT_EQ(report.targets.at(0).failed, 1u);
    ASSERT_EQ(report.targets.at(0).errors.size(), 1u);
    EXPECT_EQ(report.targets.at(0).errors[0].origin, "row 2");
    EXPECT_EQ(report.targets.at(0).errors[0].column, "name");
  }
  const auto target_id = store->targets("people-app").at(0).id;
  EXPECT_FALSE(store->find_row(target_id, key("2")));
  SyncRun run(*store, remote);
  run.declare(ada_grace_alan).sync();
  ASSERT_EQ(run.target->calls.size(), 1u);
  EXPECT_EQ(run.target->calls[0].kind, ActionKind::create);
  EXPECT_EQ(remote.live_count(), 3u);
}

TEST_F(AppTest, AFailedUpdateKeepsTheOldFingerprintSoTheNextRunRetries) {
  SyncRun(*store, remote).declare(ada_grace_alan).sync();
  {
    SyncRun run(*store, remote);
    run.target->fail_keys.insert(key("1"));
    run.declare({{"1", "Ada L"}, {"2", "Grace"}, {"3", "Alan"}}).sync();
  }
  SyncRun run(*store, remote);
  run.declare({{"1", "Ada L"}, {"2", "Grace"}, {"3", "Alan"}}).sync();
  ASSERT_EQ(run.target->calls.size(), 1u);
  EXPECT_EQ(run.target->calls[0].kind, ActionKind::update);
}

TEST_F(AppTest, FirstRunAdoptsExistingItemsAndWritesOnlyDifferingOnes) {
  // What a run would have written, seeded as if someone created the pages before.
  for (const auto& person : {Person{"1", "Ada"}, Person{"2", "Old Grace"}}) {
    remote.insert(key(person.id),
                  canonical_encoding(Row{{"id", person.id}, {"name", person.name}}));
  }
  SyncRun run(*store, remote);
  const auto report = run.declare(ada_grace_alan).sync();
  EXPECT_EQ(run.target->scans, 1u);
  EXPECT_EQ(report.targets.at(0).adopted, 1u);
  EXPECT_EQ(report.targets.at(0).updated, 1u);
  EXPECT_EQ(report.targets.at(0).created, 1u);
  EXPECT_EQ(run.target->calls.size(), 2u);
  EXPECT_EQ(remote.live_count(), 3u);
}

TEST_F(AppTest, DuplicateKeysAreAnErrorNamingBothRows) {
  SyncRun run(*store, remote);
  run.handle->declare(Row{{"id", "1"}, {"name", "Ada"}}, "people.csv:2");
  // Found when the rows are planned, not as they are declared.
  EXPECT_FALSE(run.handle->declare(Row{{"id", "1"}, {"name", "Ada 2"}}, "people.csv:7"));
  run.handle->declare(Row{{"id", "2"}, {"name", "Grace"}}, "people.csv:3");
  const auto report = run.sync();
  EXPECT_EQ(report.targets.at(0).created, 1u);
  EXPECT_FALSE(report.ok());
  // Both rows are reported, each at its own line and naming the other; neither is written.
  ASSERT_EQ(report.targets.at(0).errors.size(), 2u);
  EXPECT_EQ(report.targets.at(0).failed, 2u);
  const auto& first = report.targets.at(0).errors[0];
  const auto& second = report.targets.at(0).errors[1];
  EXPECT_EQ(first.origin, "people.csv:2");
  EXPECT_NE(first.message.find("also declared by people.csv:7"), std::string::npos);
  EXPECT_EQ(second.origin, "people.csv:7");
  EXPECT_NE(second.message.find("also declared by people.csv:2"), std::string::npos);
  EXPECT_NE(second.message.find("no row with this key is written"), std::string::npos);
}

TEST_F(AppTest, ARowThatCannotBeEncodedIsNamedAndTheOthersSync) {
  SyncRun run(*store, remote);
  run.handle->declare(Row{{"id", "1"}, {"name", "Ada"}});
  const auto error =
      run.handle->declare(Row{{"id", "2"}, {"score", std::nan("")}}, "scores.jsonl:2");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->origin, "scores.jsonl:2");
  EXPECT_EQ(error->column, "score");
  EXPECT_EQ(error->key, "\"2\"");
  const auto missing_key = run.handle->declare(Row{{"name", "Nobody"}});
  ASSERT_TRUE(missing_key);
  EXPECT_EQ(missing_key->column, "id");
  const auto report = run.sync();
  EXPECT_EQ(report.targets.at(0).created, 1u);
  EXPECT_EQ(report.targets.at(0).errors.size(), 2u);
}

TEST_F(AppTest, ABadRowNeverRemovesItsPage) {
  SyncRun(*store, remote).declare(ada_grace_alan).sync();
  SyncRun run(*store, remote);
  run.declare({{"1", "Ada"}, {"2", "Grace"}});
  run.handle->declare(Row{{"id", "3"}, {"name", std::nan("")}});
  const auto report = run.sync();
  EXPECT_TRUE(run.target->calls.empty());
  EXPECT_EQ(report.targets.at(0).held, 1u);
  EXPECT_EQ(remote.live_count(), 3u);
}

TEST_F(AppTest, ARejectedRowKeepsItsPageAndAKeylessOneHoldsEveryRemoval) {
  SyncRun(*store, remote).declare(ada_grace_alan).sync();
  {
    SyncRun run(*store, remote);
    run.declare({{"1", "Ada"}});
    run.handle->reject(RowError{"people.csv:3", "", "age", "not a number"}, Row{{"id", "2"}});
    const auto report = run.declare({}).sync();
    ASSERT_EQ(run.target->calls.size(), 1u);  // Alan trashed; Grace's page held
    EXPECT_EQ(run.target->calls[0].key, key("3"));
    EXPECT_EQ(report.targets.at(0).errors.at(0).key, "\"2\"");
  }
  SyncRun run(*store, remote);
  run.declare({{"1", "Ada"}});
  run.handle->reject(RowError{"people.csv:4", "", "", "malformed line"});
  const auto report = run.sync();
  EXPECT_TRUE(run.target->calls.empty());
  EXPECT_EQ(report.targets.at(0).held, 1u);
  EXPECT_EQ(remote.live_count(), 2u);
}

TEST_F(AppTest, ProgressIsReportedForEveryAction) {
  SyncRun run(*store, remote);
  run.declare(ada_grace_alan);
  std::vector<std::pair<std::size_t, std::size_t>> updates;
  SyncOptions options;
  options.on_progress = [&](const SyncProgress& progress) {
    EXPECT_EQ(progress.target, "people");
    updates.emplace_back(progress.done, progress.total);
  };
  run.app.sync(options);
  EXPECT_EQ(updates,
            (std::vector<std::pair<std::size_t, std::size_t>>{{0, 3}, {1, 3}, {2, 3}, {3, 3}}));
}

TEST_F(AppTest, ChangingTheSchemaVersionRewritesEveryRowOnce) {
  SyncRun(*store, remote).declare(ada_grace_alan).sync();
  SyncRun run(*store, remote, RemovalMode::trash, "v2");
  run.declare(ada_grace_alan).sync();
  EXPECT_EQ(run.target->calls.size(), 3u);
  SyncRun again(*store, remote, RemovalMode::trash, "v2");
  again.declare(ada_grace_alan).sync();
  EXPECT_TRUE(again.target->calls.empty());
}

TEST_F(AppTest, PlanWritesNothing) {
  SyncRun run(*store, remote);
  const auto plans = run.declare(ada_grace_alan).app.plan();
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_EQ(plans[0].counts.create, 3u);
  EXPECT_TRUE(store->targets("people-app").empty());
  EXPECT_EQ(remote.writes, 0u);
  EXPECT_TRUE(run.target->calls.empty());
}

TEST_F(AppTest, ATargetRemovedFromTheAppIsReportedAndLeftAloneUnlessPruned) {
  SyncRun(*store, remote).declare(ada_grace_alan).sync();
  App app("people-app", *store);
  auto report = app.sync();
  EXPECT_EQ(report.orphaned_targets, std::vector<std::string>{"people"});
  EXPECT_EQ(store->targets("people-app").size(), 1u);
  EXPECT_EQ(remote.live_count(), 3u);
  SyncOptions prune;
  prune.prune_orphaned_targets = true;
  report = app.sync(prune);
  EXPECT_TRUE(store->targets("people-app").empty());
  EXPECT_EQ(remote.live_count(), 3u);
}

TEST_F(AppTest, EveryRunIsRecordedWithItsCounts) {
  SyncRun(*store, remote).declare(ada_grace_alan).sync();
  const auto run = store->last_run("people-app");
  ASSERT_TRUE(run);
  EXPECT_EQ(run->outcome, "ok");
  EXPECT_NE(run->summary_json.find("\"created\":3"), std::string::npos) << run->summary_json;
}

TEST_F(AppTest, TargetNamesAreUniqueWithinAnApp) {
  App app("a", *store);
  app.add_target("t", std::make_unique<RecordingTarget>(remote, testing::test_settings()));
  EXPECT_THROW(
      app.add_target("t", std::make_unique<RecordingTarget>(remote, testing::test_settings())),
      Error);
}

TEST_F(AppTest, SeveralTargetsInOneAppStayIndependent) {
  FakeRemote other_remote;
  {
    App app("multi", *store);
    auto& a =
        app.add_target("a", std::make_unique<RecordingTarget>(remote, testing::test_settings()));
    auto& b = app.add_target(
        "b", std::make_unique<RecordingTarget>(other_remote, testing::test_settings()));
    a.declare(Row{{"id", "1"}});
    a.declare(Row{{"id", "2"}});
    b.declare(Row{{"id", "1"}});
    app.sync();
  }
  App app("multi", *store);
  auto& a =
      app.add_target("a", std::make_unique<RecordingTarget>(remote, testing::test_settings()));
  auto& b = app.add_target(
      "b", std::make_unique<RecordingTarget>(other_remote, testing::test_settings()));
  a.declare(Row{{"id", "2"}});
  b.declare(Row{{"id", "1"}});
  app.sync();
  EXPECT_EQ(remote.live_count(), 1u);
  EXPECT_EQ(other_remote.live_count(), 1u);
}

std::vector<Person> numbered(int count) {
  std::vector<Person> people;
  for (int i = 0; i < count; ++i) people.push_back({std::to_string(i), "P" + std::to_string(i)});
  return people;
}

TEST_F(AppTest, ASyncThatWouldRemoveMostTrackedRowsIsRefusedAndWritesNothing) {
  SyncRun(*store, remote).declare(numbered(20)).sync();
  const auto writes = remote.writes;
  {
    SyncRun run(*store, remote);
    run.declare(numbered(9));  // 11 of the 20 rows are gone: more than half, and more than 10
    const auto plan = run.app.plan();
    EXPECT_TRUE(plan.at(0).removal_check.stops_sync());
    const auto report = run.sync();
    EXPECT_TRUE(report.refused());
    EXPECT_FALSE(report.ok());
    EXPECT_TRUE(run.target->calls.empty());
    const RemovalCheck& check = report.targets.at(0).removal_check;
    EXPECT_EQ(check.removals, 11u);
    EXPECT_EQ(check.tracked, 20u);
    EXPECT_TRUE(check.stops_sync());
    EXPECT_NE(report.to_string().find("refused: target 'people' would remove 11 of its 20 tracked "
                                      "rows; its removal limit refuses more than 50%"),
              std::string::npos)
        << report.to_string();
  }
  EXPECT_EQ(remote.writes, writes);
  EXPECT_EQ(store->count_rows(store->targets("people-app").at(0).id), 20);
  EXPECT_EQ(store->last_run("people-app")->outcome, "refused");

  // Allowed for one run, the same rows sync: eleven removals.
  SyncRun run(*store, remote);
  SyncOptions options;
  options.allow_removals = true;
  run.declare(numbered(9));
  EXPECT_FALSE(run.app.plan(options).at(0).removal_check.stops_sync());
  const auto report = run.app.sync(options);
  EXPECT_TRUE(report.ok()) << report.to_string();
  EXPECT_EQ(report.targets.at(0).trashed, 11u);
  EXPECT_TRUE(report.targets.at(0).removal_check.over_limit);
  EXPECT_TRUE(report.targets.at(0).removal_check.allowed);
  EXPECT_EQ(remote.live_count(), 9u);
}

TEST_F(AppTest, ATargetThatDeclaresNoRowRemovesNothingUnlessAllowed) {
  SyncRun(*store, remote).declare(ada_grace_alan).sync();
  {
    SyncRun run(*store, remote);
    const auto report = run.sync();  // the source came back empty
    EXPECT_TRUE(report.refused());
    EXPECT_TRUE(run.target->calls.empty());
    EXPECT_EQ(report.targets.at(0).removal_check.removals, 3u);
  }
  EXPECT_EQ(remote.live_count(), 3u);
  // One row declared: removing two of three is ordinary editing.
  SyncRun run(*store, remote);
  const auto report = run.declare({{"1", "Ada"}}).sync();
  EXPECT_TRUE(report.ok()) << report.to_string();
  EXPECT_EQ(report.targets.at(0).trashed, 2u);
}

// The guard looks at every target before any is written: a target with rows to create is not
// written either when another would remove too much.
TEST_F(AppTest, ARefusalStopsEveryTargetOfTheSync) {
  FakeRemote teams_remote;
  {
    App app("two", *store);
    app.add_target("people", std::make_unique<RecordingTarget>(remote, testing::test_settings()))
        .declare(Row{{"id", "1"}});
    auto& teams = app.add_target(
        "teams", std::make_unique<RecordingTarget>(teams_remote, testing::test_settings()));
    teams.declare(Row{{"id", "t1"}});
    teams.declare(Row{{"id", "t2"}});
    ASSERT_TRUE(app.sync().ok());
  }
  App app("two", *store);
  auto people = std::make_unique<RecordingTarget>(remote, testing::test_settings());
  auto teams = std::make_unique<RecordingTarget>(teams_remote, testing::test_settings());
  const RecordingTarget& people_driver = *people;
  const RecordingTarget& teams_driver = *teams;
  auto& people_handle = app.add_target("people", std::move(people));
  people_handle.declare(Row{{"id", "1"}});
  people_handle.declare(Row{{"id", "2"}});    // a create the refusal holds back too
  app.add_target("teams", std::move(teams));  // no team declared
  const auto report = app.sync();
  EXPECT_TRUE(report.refused());
  EXPECT_FALSE(report.targets.at(0).removal_check.stops_sync());
  EXPECT_TRUE(report.targets.at(1).removal_check.stops_sync());
  EXPECT_EQ(report.targets.at(0).planned.create, 1u);
  EXPECT_EQ(report.targets.at(0).created, 0u);
  EXPECT_TRUE(people_driver.calls.empty());
  EXPECT_TRUE(teams_driver.calls.empty());
  EXPECT_EQ(remote.live_count(), 1u);
  EXPECT_EQ(teams_remote.live_count(), 2u);
}

TEST_F(AppTest, ATargetsOwnRemovalLimitReplacesTheStandardOne) {
  const auto sync_with = [&](RemovalLimit limit, const std::vector<Person>& people) {
    App app("limits", *store);
    auto settings = testing::test_settings();
    settings.removal_limit = limit;
    auto& target = app.add_target("people", std::make_unique<RecordingTarget>(remote, settings));
    for (const auto& person : people) {
      target.declare(Row{{"id", person.id}, {"name", person.name}});
    }
    return app.sync();
  };
  ASSERT_TRUE(sync_with(RemovalLimit::standard(), numbered(10)).ok());
  EXPECT_TRUE(sync_with(RemovalLimit::percent(20), numbered(7)).refused());  // 30%
  EXPECT_TRUE(sync_with(RemovalLimit::at_most(2), numbered(7)).refused());
  EXPECT_FALSE(sync_with(RemovalLimit::percent(30), numbered(7)).refused());
  EXPECT_EQ(remote.live_count(), 7u);
  EXPECT_FALSE(sync_with(RemovalLimit::unlimited(), {}).refused());
  EXPECT_EQ(remote.live_count(), 0u);
}

// Creates are recorded pending_create a batch at a time, just before the batch is applied: a run
// cut short leaves pending only the batch it was sending, not every create it planned.
TEST_F(AppTest, ARunCutShortLeavesPendingOnlyTheBatchItWasSending) {
  {
    SyncRun run(*store, remote);
    run.target->abort_after = 130;
    run.declare(numbered(200));
    SyncOptions options;
    options.create_batch_size = 50;
    EXPECT_THROW(run.app.sync(options), Error);
  }
  std::size_t pending = 0;
  std::size_t synced = 0;
  store->for_each_row(store->targets("people-app").at(0).id, [&](TrackedRow&& row) {
    (row.status == RowStatus::pending_create ? pending : synced) += 1;
  });
  EXPECT_EQ(synced, 130u);
  EXPECT_EQ(pending, 20u);  // rows 130..149 of the third batch; 150..199 were never recorded
}

// With a driver that lists 100 rows a call, many creates of unknown outcome are settled by one
// listing: found and equal, adopted with no call; a few are looked up one by one.
TEST_F(AppTest, ManyCreatesOfUnknownOutcomeAreSettledByOneListing) {
  const auto sync_listing = [&](const std::vector<Person>& people,
                                const std::set<std::string>& lose) {
    App app("people-app", *store);
    auto settings = testing::test_settings();
    settings.remote_rows_per_scan_call = 100;
    auto driver = std::make_unique<RecordingTarget>(remote, settings);
    RecordingTarget& recording = *driver;
    recording.lose_response_keys = lose;
    auto& target = app.add_target("people", std::move(driver));
    for (const auto& person : people) {
      target.declare(Row{{"id", person.id}, {"name", person.name}});
    }
    const auto report = app.sync();
    return std::tuple{report, recording.calls, recording.scan_purposes};
  };
  std::set<std::string> lost;
  for (int i = 0; i < 10; ++i) lost.insert(key(std::to_string(i)));
  sync_listing(numbered(40), lost);
  const auto [report, calls, scans] = sync_listing(numbered(40), {});
  EXPECT_TRUE(report.ok()) << report.to_string();
  EXPECT_EQ(report.targets.at(0).adopted, 10u);
  EXPECT_TRUE(calls.empty());
  ASSERT_EQ(scans.size(), 1u);
  EXPECT_EQ(scans[0], TargetContext::ScanPurpose::verify);
  EXPECT_EQ(remote.live_count(), 40u);

  // Three unknown outcomes: a look-up each beats listing.
  sync_listing(numbered(43), {key("40"), key("41"), key("42")});
  const auto [few_report, few_calls, few_scans] = sync_listing(numbered(43), {});
  EXPECT_TRUE(few_scans.empty());
  ASSERT_EQ(few_calls.size(), 3u);
  EXPECT_TRUE(few_calls[0].verify_remote);
  EXPECT_EQ(remote.live_count(), 43u);
}

// A row whose create had an unknown outcome and is no longer declared: the listing shows whether
// the create happened. Found, its item is removed; not found, it is only forgotten.
TEST_F(AppTest, AListingSettlesUnknownCreatesOfRowsNoLongerDeclared) {
  FakeRemote empty_remote;
  App app("people-app", *store);
  auto settings = testing::test_settings();
  settings.remote_rows_per_scan_call = 100;
  app.add_target("people", std::make_unique<RecordingTarget>(empty_remote, settings));
  const auto target = store->ensure_target("people-app", "people", "test");
  std::vector<RowChange> pending;
  for (int i = 0; i < 8; ++i) {
    pending.push_back(RowChange::upsert(
        TrackedRow{key(std::to_string(i)), {}, "", RowStatus::pending_create, 0}));
  }
  store->commit(target.id, pending);
  SyncOptions options;
  options.allow_removals = true;  // nothing is declared
  const auto report = app.sync(options);
  EXPECT_EQ(report.targets.at(0).forgotten, 8u);
  EXPECT_EQ(report.targets.at(0).trashed, 0u);
  EXPECT_EQ(store->count_rows(target.id), 0);
}

TEST_F(AppTest, TargetsRunAfterTheTargetsTheyDependOn) {
  FakeRemote teams_remote;
  std::vector<std::string> log;
  App app("deps", *store);
  auto people_settings = testing::test_settings();
  people_settings.depends_on = {"teams"};
  auto people = std::make_unique<RecordingTarget>(remote, people_settings);
  auto teams = std::make_unique<RecordingTarget>(teams_remote, testing::test_settings());
  people->apply_log = &log;
  teams->apply_log = &log;
  app.add_target("people", std::move(people)).declare(Row{{"id", "1"}});
  app.add_target("teams", std::move(teams)).declare(Row{{"id", "t"}});
  app.sync();
  EXPECT_EQ(log, (std::vector<std::string>{"teams", "people"}));
  ASSERT_EQ(app.plan().size(), 2u);
  EXPECT_EQ(app.plan()[0].target_name, "teams");
}

TEST_F(AppTest, ADependencyOnAnUnknownTargetIsAnError) {
  App app("deps", *store);
  auto settings = testing::test_settings();
  settings.depends_on = {"nowhere"};
  app.add_target("people", std::make_unique<RecordingTarget>(remote, settings));
  try {
    app.sync();
    FAIL();
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("refers to target 'nowhere'"), std::string::npos);
  }
}

TEST_F(AppTest, IncompleteWritesArePatchedInASecondPassOfTheSameRun) {
  {
    SyncRun run(*store, remote);
    run.target->incomplete_once_keys.insert(key("2"));
    const auto report = run.declare(ada_grace_alan).sync();
    ASSERT_EQ(run.target->calls.size(), 4u);  // three creates, then one patch
    EXPECT_EQ(run.target->calls[3].kind, ActionKind::update);
    EXPECT_EQ(run.target->calls[3].key, key("2"));
    EXPECT_EQ(report.targets.at(0).created, 3u);
    EXPECT_TRUE(report.ok());
  }
  SyncRun run(*store, remote);
  run.declare(ada_grace_alan).sync();
  EXPECT_TRUE(run.target->calls.empty());
  EXPECT_EQ(remote.live_count(), 3u);
}

// Three runs (first sync, an update and a removal, then nothing to do), each reading its tracked
// rows ahead through `read_ahead_rows` before declaring: the plans must be those of a plain sync.
void AppTest::expect_the_plans_of_a_plain_sync(const std::function<void(App&)>& read_ahead_rows) {
  const auto run_reading_ahead = [&](const std::vector<Person>& people) {
    auto run = std::make_unique<SyncRun>(*store, remote);
    read_ahead_rows(run->app);
    run->declare(people);
    return run;
  };
  {
    auto run = run_reading_ahead(ada_grace_alan);
    EXPECT_EQ(run->sync().targets.at(0).created, 3u);
  }
  {
    auto run = run_reading_ahead({{"1", "Ada Lovelace"}, {"2", "Grace"}});
    const auto report = run->sync();
    ASSERT_EQ(run->target->calls.size(), 2u);
    EXPECT_EQ(run->target->calls[0].kind, ActionKind::update);
    EXPECT_EQ(run->target->calls[0].key, key("1"));
    EXPECT_EQ(run->target->calls[1].kind, ActionKind::trash);
    EXPECT_EQ(run->target->calls[1].key, key("3"));
    EXPECT_EQ(report.targets.at(0).unchanged, 1u);
  }
  {
    auto run = run_reading_ahead({{"1", "Ada Lovelace"}, {"2", "Grace"}});
    const auto report = run->sync();
    EXPECT_TRUE(report.ok());
    EXPECT_TRUE(run->target->calls.empty());
    EXPECT_EQ(run->target->scans, 0u);
    EXPECT_EQ(report.targets.at(0).unchanged, 2u);
  }
  EXPECT_EQ(remote.live_count(), 2u);
}

// hold_lock() before declaring: the tracked rows are read in the background.
TEST_F(AppTest, HoldingTheLockWhileDeclaringPlansTheSameActions) {
  expect_the_plans_of_a_plain_sync([](App& app) { AppInternals::hold_lock(app); });
}

// read_ahead() of one target (a worker, which holds that target's lock rather than the app's); the
// first run's target is not tracked yet (nothing to read), and a second call changes nothing.
TEST_F(AppTest, ReadingOneTargetAheadPlansTheSameActions) {
  expect_the_plans_of_a_plain_sync([](App& app) {
    AppInternals::read_ahead(app, "people");
    AppInternals::read_ahead(app, "people");
  });
}

TEST_F(AppTest, AHeldLockKeepsOtherSyncsOfTheAppOutUntilTheAppIsGone) {
  SyncRun(*store, remote).declare(ada_grace_alan).sync();
  auto other_store = SqliteStateStore::open(dir.file("state.db"));
  {
    SyncRun holder(*store, remote);
    AppInternals::hold_lock(holder.app);
    AppInternals::hold_lock(holder.app);  // a second call keeps the same lock
    SyncRun other(*other_store, remote);
    other.declare(ada_grace_alan);
    try {
      other.sync();
      FAIL() << "synced an app whose lock another App holds";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::state_store_locked);
    }
    // The holder's own sync does not try to take the lock a second time.
    EXPECT_TRUE(holder.declare(ada_grace_alan).sync().ok());
  }
  SyncRun after(*other_store, remote);
  EXPECT_TRUE(after.declare(ada_grace_alan).sync().ok());
}

TEST_F(AppTest, RowsReadAheadServeOnlyTheFirstPlanOfATarget) {
  SyncRun(*store, remote).declare(ada_grace_alan).sync();
  {
    // plan() takes the rows read ahead; the sync after it reads the store again.
    SyncRun run(*store, remote);
    AppInternals::hold_lock(run.app);
    run.declare({{"1", "Ada"}, {"2", "Grace Hopper"}, {"3", "Alan"}});
    EXPECT_EQ(run.app.plan().at(0).counts.update, 1u);
    const auto report = run.sync();
    EXPECT_EQ(report.targets.at(0).updated, 1u);
    EXPECT_EQ(report.targets.at(0).unchanged, 2u);
  }
  {
    // A second pass plans from the store, which the first pass changed.
    SyncRun run(*store, remote);
    AppInternals::hold_lock(run.app);
    run.target->incomplete_once_keys.insert(key("2"));
    const auto report = run.declare({{"1", "Ada"}, {"2", "Grace"}, {"3", "Alan"}}).sync();
    ASSERT_EQ(run.target->calls.size(), 2u);  // the update, then its patch
    EXPECT_EQ(run.target->calls[1].kind, ActionKind::update);
    EXPECT_TRUE(report.ok());
  }
  SyncRun run(*store, remote);
  run.declare({{"1", "Ada"}, {"2", "Grace"}, {"3", "Alan"}}).sync();
  EXPECT_TRUE(run.target->calls.empty());
}

}  // namespace
}  // namespace notionsync
