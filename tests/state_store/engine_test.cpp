// The App engine's lifecycle against every store: what the engine promises must not depend on
// which store tracks the rows.
#include <gtest/gtest.h>

#include "core/app_internals.hpp"
#include "notionsync/core/app.hpp"
#include "notionsync/core/error.hpp"
#include "notionsync/core/key.hpp"
#include "state_store/store_fixture.hpp"
#include "support/process_run.hpp"
#include "support/recording_target.hpp"
#include "support/row_reading_store.hpp"
#include "support/sync_run.hpp"

namespace notionsync::testing {
namespace {

class StoreEngineTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (backend) store = backend->open();
  }

  std::unique_ptr<StateStore> store;
  FakeRemote remote;
  const std::vector<Person> ada_grace_alan = {{"1", "Ada"}, {"2", "Grace"}, {"3", "Alan"}};
};

TEST_P(StoreEngineTest, CreateUpdateTrashAndNoopLifecycle) {
  {
    SyncRun run(*store, remote);
    const auto report = run.declare(ada_grace_alan).sync();
    EXPECT_EQ(report.targets.at(0).created, 3u);
    EXPECT_TRUE(report.ok()) << report.to_string();
  }
  EXPECT_EQ(remote.live_count(), 3u);
  {
    SyncRun run(*store, remote);
    const auto report = run.declare({{"1", "Ada Lovelace"}, {"2", "Grace"}, {"3", "Alan"}}).sync();
    ASSERT_EQ(run.target->calls.size(), 1u);  // one changed row costs one write
    EXPECT_EQ(run.target->calls[0].kind, ActionKind::update);
    EXPECT_EQ(report.targets.at(0).unchanged, 2u);
  }
  {
    SyncRun run(*store, remote);
    run.declare({{"1", "Ada Lovelace"}, {"2", "Grace"}}).sync();
    ASSERT_EQ(run.target->calls.size(), 1u);
    EXPECT_EQ(run.target->calls[0].kind, ActionKind::trash);
  }
  EXPECT_EQ(remote.live_count(), 2u);
  EXPECT_EQ(remote.items.size(), 3u);  // trashed, not deleted
  const auto writes = remote.writes;
  {
    SyncRun run(*store, remote);
    const auto report = run.declare({{"1", "Ada Lovelace"}, {"2", "Grace"}}).sync();
    EXPECT_TRUE(run.target->calls.empty());
    EXPECT_EQ(run.target->scans, 0u);
    EXPECT_EQ(report.targets.at(0).unchanged, 2u);
  }
  EXPECT_EQ(remote.writes, writes);
  const auto target = store->targets("people-app").at(0);
  EXPECT_EQ(target.row_count, 2);
  EXPECT_TRUE(target.last_synced_at_ms);
  EXPECT_EQ(store->last_run("people-app")->outcome, "ok");
}

TEST_P(StoreEngineTest, HardDeleteAndForgetRemoveTracking) {
  SyncRun(*store, remote, RemovalMode::erase).declare(ada_grace_alan).sync();
  {
    SyncRun run(*store, remote, RemovalMode::erase);
    EXPECT_EQ(run.declare({{"1", "Ada"}, {"2", "Grace"}}).sync().targets.at(0).erased, 1u);
  }
  EXPECT_EQ(remote.items.size(), 2u);
  SyncRun run(*store, remote, RemovalMode::forget);
  const auto report = run.declare({{"1", "Ada"}}).sync();
  EXPECT_TRUE(run.target->calls.empty());
  EXPECT_EQ(report.targets.at(0).forgotten, 1u);
  EXPECT_EQ(remote.live_count(), 2u);
  EXPECT_EQ(store->count_rows(store->targets("people-app").at(0).id), 1);
}

TEST_P(StoreEngineTest, ALostCreateResponseIsVerifiedNextRunWithoutDuplicating) {
  {
    SyncRun run(*store, remote);
    run.target->lose_response_keys.insert(key("1"));
    const auto report = run.declare(ada_grace_alan).sync();
    EXPECT_EQ(report.targets.at(0).unknown, 1u);
  }
  const auto target_id = store->targets("people-app").at(0).id;
  EXPECT_EQ(store->find_row(target_id, key("1"))->status, RowStatus::pending_create);
  SyncRun run(*store, remote);
  const auto report = run.declare(ada_grace_alan).sync();
  ASSERT_EQ(run.target->calls.size(), 1u);
  EXPECT_TRUE(run.target->calls[0].verify_remote);
  EXPECT_EQ(remote.live_ids_with_key(key("1")).size(), 1u);
  EXPECT_EQ(store->find_row(target_id, key("1"))->status, RowStatus::synced);
  EXPECT_TRUE(report.ok());
}

TEST_P(StoreEngineTest, AnAbortMidApplyKeepsWhatWasDoneAndTheRerunConverges) {
  std::vector<Person> people;
  for (int i = 0; i < 200; ++i) people.push_back({std::to_string(i), std::to_string(i) + " P"});
  {
    SyncRun run(*store, remote);
    run.target->abort_after = 130;
    EXPECT_THROW(run.declare(people).sync(), Error);
  }
  EXPECT_EQ(remote.live_count(), 130u);
  EXPECT_EQ(store->last_run("people-app")->outcome, "aborted");
  SyncRun run(*store, remote);
  const auto report = run.declare(people).sync();
  EXPECT_EQ(run.target->calls.size(), 70u);
  EXPECT_EQ(remote.live_count(), 200u);
  for (const auto& person : people) EXPECT_EQ(remote.live_ids_with_key(key(person.id)).size(), 1u);
  EXPECT_TRUE(report.ok());
}

TEST_P(StoreEngineTest, ASyncOfAnAppHeldByAnotherProcessIsRefused) {
  ForkedChild holder([&](int to_parent, int from_parent) {
    auto child_store = backend->open();
    auto lock = child_store->lock_app("people-app");
    signal_parent(to_parent, 'L');
    wait_for_parent(from_parent);
  });
  ASSERT_EQ(holder.wait_for_signal(), 'L');
  SyncRun run(*store, remote);
  try {
    run.declare(ada_grace_alan).sync();
    FAIL() << "synced an app held by another process";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::state_store_locked) << error.what();
  }
  EXPECT_TRUE(run.target->calls.empty());
  EXPECT_EQ(remote.live_count(), 0u);
}

// With the lock held first, the tracked rows are read on another thread (PostgreSQL: a stream
// connection of its own) while rows are declared; the plans must be those of a plain sync.
TEST_P(StoreEngineTest, RowsReadWhileDeclaringUnderAHeldLockPlanTheSame) {
  SyncRun(*store, remote).declare(ada_grace_alan).sync();
  {
    SyncRun run(*store, remote);
    AppInternals::hold_lock(run.app);
    const auto report = run.declare({{"1", "Ada Lovelace"}, {"2", "Grace"}}).sync();
    ASSERT_EQ(run.target->calls.size(), 2u);
    EXPECT_EQ(run.target->calls[0].kind, ActionKind::update);
    EXPECT_EQ(run.target->calls[1].kind, ActionKind::trash);
    EXPECT_EQ(report.targets.at(0).unchanged, 1u);
  }
  SyncRun run(*store, remote);
  AppInternals::hold_lock(run.app);
  const auto report = run.declare({{"1", "Ada Lovelace"}, {"2", "Grace"}}).sync();
  EXPECT_TRUE(run.target->calls.empty());
  EXPECT_EQ(run.target->scans, 0u);
  EXPECT_EQ(report.targets.at(0).unchanged, 2u);
}

// After a sync the store knows what the target's rows add up to: a run that declares the same
// rows plans from that digest alone and reads none of them, even with the lock held (nothing is
// read ahead). Any other run plans from the rows, and leaves the digest of what it wrote.
TEST_P(StoreEngineTest, ARunDeclaringTheStoredRowsPlansFromTheirDigestAlone) {
  RowReadingStore counted(*store);
  const auto stored_digest = [&] { return store->targets("people-app").at(0).rows_digest; };
  const auto unchanged_run = [&](const std::vector<Person>& people) {
    const int reads_before = counted.row_reads();
    SyncRun run(counted, remote);
    AppInternals::hold_lock(run.app);
    run.declare(people);
    const auto plans = run.app.plan();
    EXPECT_TRUE(plans.at(0).unchanged_by_digest);
    EXPECT_EQ(plans.at(0).counts.unchanged, people.size());
    const auto report = run.sync();
    EXPECT_TRUE(report.ok()) << report.to_string();
    EXPECT_TRUE(run.target->calls.empty());
    EXPECT_EQ(run.target->scans, 0u);
    EXPECT_EQ(report.targets.at(0).unchanged, people.size());
    EXPECT_EQ(counted.row_reads(), reads_before);
  };

  SyncRun(counted, remote).declare(ada_grace_alan).sync();
  ASSERT_TRUE(stored_digest());
  EXPECT_EQ(stored_digest()->count, 3);
  unchanged_run(ada_grace_alan);
  unchanged_run(ada_grace_alan);

  // One changed row: planned from the rows, one write, and the new rows' digest is stored.
  const std::vector<Person> renamed = {{"1", "Ada Lovelace"}, {"2", "Grace"}, {"3", "Alan"}};
  {
    const int reads_before = counted.row_reads();
    SyncRun run(counted, remote);
    const auto report = run.declare(renamed).sync();
    ASSERT_EQ(run.target->calls.size(), 1u);
    EXPECT_EQ(run.target->calls[0].kind, ActionKind::update);
    EXPECT_EQ(report.targets.at(0).unchanged, 2u);
    EXPECT_GT(counted.row_reads(), reads_before);
  }
  unchanged_run(renamed);

  // A row no longer declared is trashed: the same row count with one row fewer is not a match.
  const std::vector<Person> two = {{"1", "Ada Lovelace"}, {"2", "Grace"}};
  {
    SyncRun run(counted, remote);
    run.declare(two).sync();
    ASSERT_EQ(run.target->calls.size(), 1u);
    EXPECT_EQ(run.target->calls[0].kind, ActionKind::trash);
  }
  EXPECT_EQ(stored_digest()->count, 2);
  unchanged_run(two);

  // Two rows trade names: the same keys and the same number of rows, with other fingerprints.
  {
    SyncRun run(counted, remote);
    const auto report = run.declare({{"1", "Grace"}, {"2", "Ada Lovelace"}}).sync();
    EXPECT_EQ(run.target->calls.size(), 2u);
    EXPECT_EQ(report.targets.at(0).updated, 2u);
  }

  // A run with a row in error plans from the rows, which holds the row's page.
  {
    const int reads_before = counted.row_reads();
    SyncRun run(counted, remote);
    run.declare({{"1", "Grace"}, {"2", "Ada Lovelace"}, {"2", "Ada"}});
    EXPECT_FALSE(run.app.plan().at(0).unchanged_by_digest);
    const auto report = run.sync();
    EXPECT_TRUE(run.target->calls.empty());
    EXPECT_EQ(report.targets.at(0).unchanged, 1u);
    EXPECT_EQ(report.targets.at(0).held, 1u);
    EXPECT_EQ(report.targets.at(0).errors.size(), 2u);  // both rows of key "2"
    EXPECT_GT(counted.row_reads(), reads_before);
  }
  EXPECT_EQ(remote.live_count(), 2u);

  // As many rows as the store holds, one of them twice: not the stored rows (the digests differ),
  // so the plan finds the duplicate and holds its key; the row no longer declared is trashed.
  {
    SyncRun run(counted, remote);
    run.declare({{"1", "Grace"}, {"1", "Grace"}});
    EXPECT_FALSE(run.app.plan().at(0).unchanged_by_digest);
    const auto report = run.sync();
    ASSERT_EQ(run.target->calls.size(), 1u);
    EXPECT_EQ(run.target->calls[0].kind, ActionKind::trash);
    EXPECT_EQ(report.targets.at(0).held, 1u);
    ASSERT_EQ(report.targets.at(0).errors.size(), 2u);  // both rows
    EXPECT_EQ(report.targets.at(0).failed, 2u);
    EXPECT_NE(report.targets.at(0).errors[0].message.find("duplicate key"), std::string::npos);
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreEngineTest, ::testing::ValuesIn(store_backends()),
                         backend_test_name);

}  // namespace
}  // namespace notionsync::testing
