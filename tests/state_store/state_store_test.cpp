// The StateStore contract, checked against every store (SQLite and PostgreSQL).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>

#include "core/make_plan.hpp"
#include "notionsync/core/error.hpp"
#include "notionsync/core/key.hpp"
#include "state_store/store_fixture.hpp"
#include "support/process_run.hpp"

namespace notionsync::testing {
namespace {

TrackedRow row(const std::string& key, const std::string& payload,
               RowStatus status = RowStatus::synced) {
  return TrackedRow{Key{key}.encoded(), fingerprint_of(payload, "v1"), "page-" + key, status, 0};
}

std::vector<TrackedRow> all_rows(StateStore& store, std::int64_t target_id) {
  std::vector<TrackedRow> rows;
  store.for_each_row(target_id, [&](TrackedRow&& tracked) { rows.push_back(std::move(tracked)); });
  return rows;
}

std::string message_of(const std::function<void()>& action, ErrorKind expected_kind) {
  try {
    action();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), expected_kind) << error.what();
    return error.what();
  }
  ADD_FAILURE() << "no error thrown";
  return {};
}

using StateStoreTest = StoreTest;

TEST_P(StateStoreTest, CreatesAnEmptyStoreAtTheLatestVersion) {
  auto store = backend->open();
  EXPECT_EQ(backend->schema_version(*store), backend->latest_schema_version());
  EXPECT_EQ(backend->latest_schema_version(), 5);
  EXPECT_TRUE(store->apps().empty());
  EXPECT_TRUE(store->targets("app").empty());
  EXPECT_FALSE(store->last_run("app"));
  // Opening again finds the same store and migrates nothing.
  auto reopened = backend->open();
  EXPECT_EQ(backend->schema_version(*reopened), 5);
}

TEST_P(StateStoreTest, TargetsKeepTheirRemoteIdAndKind) {
  auto store = backend->open();
  auto target = store->ensure_target("app", "t", "test");
  EXPECT_EQ(store->ensure_target("app", "t", "test").id, target.id);
  EXPECT_EQ(target.app_name, "app");
  EXPECT_EQ(target.kind, "test");
  EXPECT_FALSE(target.schema_fingerprint);
  EXPECT_FALSE(target.last_synced_at_ms);
  EXPECT_FALSE(target.drift_checked_at_ms);
  target.remote_id = "ds-9";
  target.schema_fingerprint = fingerprint_of("", "v3");
  target.last_synced_at_ms = 42;
  target.drift_checked_at_ms = 40;
  store->update_target(target);
  const auto reread = store->targets("app").at(0);
  EXPECT_EQ(reread.remote_id, "ds-9");
  EXPECT_EQ(reread.schema_fingerprint, fingerprint_of("", "v3"));
  EXPECT_EQ(reread.last_synced_at_ms, 42);
  EXPECT_EQ(reread.drift_checked_at_ms, 40);
  // Clearing is an update too.
  target.schema_fingerprint.reset();
  target.last_synced_at_ms.reset();
  target.drift_checked_at_ms.reset();
  store->update_target(target);
  EXPECT_FALSE(store->targets("app").at(0).schema_fingerprint);
  EXPECT_FALSE(store->targets("app").at(0).last_synced_at_ms);
  EXPECT_FALSE(store->targets("app").at(0).drift_checked_at_ms);
  store->drop_target(target.id);
  EXPECT_TRUE(store->targets("app").empty());
}

TEST_P(StateStoreTest, AKindMismatchNamesBothKinds) {
  auto store = backend->open();
  store->ensure_target("app", "people", "notion_database");
  const auto message =
      message_of([&] { store->ensure_target("app", "people", "csv"); }, ErrorKind::state_store);
  EXPECT_NE(message.find("'people' of app 'app' was tracked as a 'notion_database' target, not "
                         "'csv'"),
            std::string::npos)
      << message;
}

TEST_P(StateStoreTest, AppsAndTargetsAreSortedByteWise) {
  auto store = backend->open();
  for (const std::string app : {"b", "B", "a", "\xc3\xa9t\xc3\xa9", "A"}) {
    store->ensure_target(app, "t", "test");
  }
  EXPECT_EQ(store->apps(), (std::vector<std::string>{"A", "B", "a", "b", "\xc3\xa9t\xc3\xa9"}));
  for (const std::string target : {"zeta", "Zeta", "alpha", "_x"}) {
    store->ensure_target("app", target, "test");
  }
  std::vector<std::string> names;
  for (const auto& record : store->targets("app")) {
    EXPECT_EQ(record.app_name, "app");
    names.push_back(record.name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Zeta", "_x", "alpha", "zeta"}));
  EXPECT_TRUE(store->targets("unknown").empty());
}

TEST_P(StateStoreTest, DroppingATargetForgetsItsRowsOnly) {
  auto store = backend->open();
  const auto kept = store->ensure_target("app", "kept", "test");
  const auto dropped = store->ensure_target("app", "dropped", "test");
  const std::vector<RowChange> changes = {RowChange::upsert(row("a", "1")),
                                          RowChange::upsert(row("b", "1"))};
  store->commit(kept.id, changes);
  store->commit(dropped.id, changes);
  store->drop_target(dropped.id);
  EXPECT_EQ(store->count_rows(dropped.id), 0);
  EXPECT_FALSE(store->find_row(dropped.id, Key{"a"}.encoded()));
  EXPECT_EQ(store->count_rows(kept.id), 2);
  // A target added again starts empty (SQLite may hand it the dropped target's id again).
  const auto recreated = store->ensure_target("app", "dropped", "test");
  EXPECT_EQ(recreated.row_count, 0);
  EXPECT_EQ(store->count_rows(recreated.id), 0);
  EXPECT_EQ(store->targets("app").size(), 2u);
}

TEST_P(StateStoreTest, CommitsUpsertsAndErasesTogether) {
  auto store = backend->open();
  const auto target = store->ensure_target("app", "t", "test");
  const std::vector<RowChange> first = {RowChange::upsert(row("a", "1")),
                                        RowChange::upsert(row("b", "1"))};
  store->commit(target.id, first);
  const std::vector<RowChange> second = {
      RowChange::upsert(row("a", "2", RowStatus::pending_delete)),
      RowChange::erase(Key{"b"}.encoded()),
      RowChange::upsert(row("c", "1", RowStatus::pending_create))};
  store->commit(target.id, second);
  const auto rows = all_rows(*store, target.id);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].key, Key{"a"}.encoded());
  EXPECT_EQ(rows[0].status, RowStatus::pending_delete);
  EXPECT_EQ(rows[0].fingerprint, fingerprint_of("2", "v1"));
  EXPECT_EQ(rows[1].status, RowStatus::pending_create);
  EXPECT_EQ(store->count_rows(target.id), 2);
  EXPECT_EQ(store->targets("app").at(0).row_count, 2);
  EXPECT_EQ(store->targets("app", RowCounts::skipped).at(0).row_count, 0);  // not counted
  EXPECT_GT(rows[0].updated_at_ms, 0);
  store->commit(target.id, {});  // nothing to do
  EXPECT_EQ(store->count_rows(target.id), 2);
}

TEST_P(StateStoreTest, ACommitToATargetThatDoesNotExistFailsAndAppliesNothing) {
  auto store = backend->open();
  const auto target = store->ensure_target("app", "t", "test");
  store->drop_target(target.id);
  EXPECT_THROW(store->commit(target.id, std::vector<RowChange>{RowChange::upsert(row("a", "1"))}),
               Error);
  EXPECT_EQ(store->count_rows(target.id), 0);
}

TEST_P(StateStoreTest, ChangesToOneKeyInOneCommitApplyInOrder) {
  auto store = backend->open();
  const auto target = store->ensure_target("app", "t", "test");
  const std::vector<RowChange> changes = {
      RowChange::upsert(row("a", "1")),
      RowChange::erase(Key{"a"}.encoded()),
      RowChange::upsert(row("a", "2")),
      RowChange::upsert(row("b", "1")),
      RowChange::erase(Key{"b"}.encoded()),
      RowChange::upsert(row("c", "1")),
      RowChange::upsert(row("c", "2")),
      RowChange::erase(Key{"missing"}.encoded()),
      RowChange::upsert(row("c", "3", RowStatus::pending_delete))};
  store->commit(target.id, changes);
  const auto rows = all_rows(*store, target.id);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fingerprint, fingerprint_of("2", "v1"));
  EXPECT_EQ(rows[1].key, Key{"c"}.encoded());
  EXPECT_EQ(rows[1].fingerprint, fingerprint_of("3", "v1"));
  EXPECT_EQ(rows[1].status, RowStatus::pending_delete);
}

TEST_P(StateStoreTest, ACommitInterruptedHalfwayAppliesNothing) {
  bool interrupt = false;
  auto store = backend->open([&](std::size_t rows_written) {
    if (interrupt && rows_written == 150) throw std::runtime_error("interrupted");
  });
  const auto target = store->ensure_target("app", "t", "test");
  std::vector<RowChange> initial;
  for (int i = 0; i < 100; ++i) initial.push_back(RowChange::upsert(row(std::to_string(i), "A")));
  store->commit(target.id, initial);
  std::vector<RowChange> batch;
  for (int i = 0; i < 200; ++i) batch.push_back(RowChange::upsert(row(std::to_string(i), "B")));
  batch.push_back(RowChange::erase(Key{"0"}.encoded()));
  interrupt = true;
  EXPECT_ANY_THROW(store->commit(target.id, batch));
  interrupt = false;
  const auto rows = all_rows(*store, target.id);
  ASSERT_EQ(rows.size(), 100u);
  for (const auto& tracked : rows) EXPECT_EQ(tracked.fingerprint, fingerprint_of("A", "v1"));
  // The store stays usable after the failed transaction.
  store->commit(target.id, batch);
  EXPECT_EQ(store->count_rows(target.id), 199);
}

// A digest the store gives back must describe the rows it holds: every commit that changes rows
// forgets it in the same transaction, one that fails keeps it, and only record_rows_digest sets it.
TEST_P(StateStoreTest, ARowsDigestLastsUntilACommitChangesTheRows) {
  bool interrupt = false;
  auto store = backend->open([&](std::size_t) {
    if (interrupt) throw std::runtime_error("interrupted");
  });
  const auto target = store->ensure_target("app", "t", "test");
  const auto other = store->ensure_target("app", "u", "test");
  EXPECT_FALSE(target.rows_digest);
  store->commit(target.id, std::vector<RowChange>{RowChange::upsert(row("a", "1"))});
  RowsDigest digest;
  digest.add(Key{"a"}.encoded(), fingerprint_of("1", "v1"));
  const auto digest_of = [&](const std::string& name) {
    for (const auto& record : store->targets("app", RowCounts::skipped)) {
      if (record.name == name) return record.rows_digest;
    }
    return std::optional<RowsDigest>();
  };

  store->record_rows_digest(target.id, digest);
  store->record_rows_digest(other.id, RowsDigest{});
  EXPECT_EQ(digest_of("t"), digest);
  EXPECT_EQ(store->ensure_target("app", "t", "test").rows_digest, digest);
  // Neither an empty commit nor updating the target's record touches it.
  store->commit(target.id, {});
  auto record = store->ensure_target("app", "t", "test");
  record.last_synced_at_ms = 5;
  record.rows_digest.reset();
  store->update_target(record);
  EXPECT_EQ(digest_of("t"), digest);
  // A commit that fails changes no row, so the digest stays.
  interrupt = true;
  EXPECT_ANY_THROW(
      store->commit(target.id, std::vector<RowChange>{RowChange::upsert(row("b", "1"))}));
  interrupt = false;
  EXPECT_EQ(digest_of("t"), digest);
  // Any change forgets it: an upsert, and an erase after a new digest.
  store->commit(target.id, std::vector<RowChange>{RowChange::upsert(row("b", "1"))});
  EXPECT_FALSE(digest_of("t"));
  store->record_rows_digest(target.id, digest);
  store->commit(target.id, std::vector<RowChange>{RowChange::erase(Key{"b"}.encoded())});
  EXPECT_FALSE(digest_of("t"));
  // Another target's digest is its own.
  EXPECT_EQ(digest_of("u"), RowsDigest{});
}

TEST_P(StateStoreTest, ThreadsMayShareOneStore) {
  auto store = backend->open();
  std::vector<std::int64_t> target_ids;
  for (int t = 0; t < 4; ++t) {
    target_ids.push_back(store->ensure_target("app", "t" + std::to_string(t), "test").id);
  }
  std::vector<std::thread> threads;
  for (const auto target_id : target_ids) {
    threads.emplace_back([&store, target_id] {
      for (int batch = 0; batch < 20; ++batch) {
        std::vector<RowChange> changes;
        for (int i = 0; i < 10; ++i) {
          changes.push_back(RowChange::upsert(row(std::to_string(batch * 10 + i), "A")));
        }
        store->commit(target_id, changes);
        store->find_row(target_id, Key{std::to_string(batch * 10)}.encoded());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto target_id : target_ids) EXPECT_EQ(store->count_rows(target_id), 200);
}

TEST_P(StateStoreTest, FindRowReturnsWhatWasCommitted) {
  auto store = backend->open();
  const auto target = store->ensure_target("app", "t", "test");
  const auto other = store->ensure_target("app", "other", "test");
  // Keys and ids with characters that need quoting or escaping somewhere.
  const std::vector<std::string> odd = {
      "quote\"d", "back\\slash", "{braces,comma}", "NULL", "\xe6\x97\xa5\xe6\x9c\xac",
      "%_",       "new\nline",   "'single'"};
  std::vector<RowChange> changes;
  for (const auto& text : odd) {
    changes.push_back(RowChange::upsert(TrackedRow{Key{text}.encoded(), fingerprint_of(text, "v2"),
                                                   "id " + text, RowStatus::pending_create, 1234}));
  }
  changes.push_back(RowChange::upsert(
      TrackedRow{"raw key \"\\{}", fingerprint_of("x", "v1"), "", RowStatus::synced, 5}));
  store->commit(target.id, changes);
  for (const auto& text : odd) {
    const auto found = store->find_row(target.id, Key{text}.encoded());
    ASSERT_TRUE(found) << text;
    EXPECT_EQ(found->key, Key{text}.encoded());
    EXPECT_EQ(found->fingerprint, fingerprint_of(text, "v2"));
    EXPECT_EQ(found->remote_id, "id " + text);
    EXPECT_EQ(found->status, RowStatus::pending_create);
    EXPECT_EQ(found->updated_at_ms, 1234);
    EXPECT_FALSE(store->find_row(other.id, Key{text}.encoded()));
  }
  const auto raw = store->find_row(target.id, "raw key \"\\{}");
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->remote_id, "");
  EXPECT_EQ(raw->updated_at_ms, 5);
  EXPECT_FALSE(store->find_row(target.id, Key{"absent"}.encoded()));
  EXPECT_EQ(store->count_rows(target.id), static_cast<std::int64_t>(odd.size() + 1));
  EXPECT_EQ(store->count_rows(other.id), 0);
}

TEST_P(StateStoreTest, StreamsRowsInByteOrderAcrossManyPages) {
  auto store = backend->open();
  const auto target = store->ensure_target("app", "t", "test");
  std::vector<std::string> keys;
  std::vector<RowChange> changes;
  // Mixed case, digits, punctuation and multi-byte UTF-8: byte order differs from most locales.
  const std::vector<std::string> stems = {"a", "B", "b", "_", "\xc3\xa9", "Z", "10", "9", " x"};
  for (int i = 0; i < 25000; ++i) {
    const std::string key =
        stems[static_cast<std::size_t>(i) % stems.size()] + std::to_string(i * 7919 % 25000);
    keys.push_back(key);
    changes.push_back(
        RowChange::upsert(TrackedRow{key, fingerprint_of(key, "v1"), "p", RowStatus::synced, 1}));
  }
  store->commit(target.id, changes);
  std::sort(keys.begin(), keys.end());
  std::size_t visited = 0;
  bool in_order = true;
  store->for_each_row(target.id, [&](TrackedRow&& tracked) {
    if (visited < keys.size() && tracked.key != keys[visited]) in_order = false;
    if (tracked.fingerprint != fingerprint_of(tracked.key, "v1")) in_order = false;
    ++visited;
  });
  EXPECT_EQ(visited, keys.size());
  EXPECT_TRUE(in_order);
  EXPECT_EQ(store->count_rows(target.id), 25000);
}

// A visitor may move the row's strings out or copy them and leave the row be (a store may hand the
// same row object back for the next row): either way every row arrives whole, long or short.
TEST_P(StateStoreTest, AVisitorMayMoveFromEachRowOrCopyIt) {
  auto store = backend->open();
  const auto target = store->ensure_target("app", "t", "test");
  std::vector<RowChange> changes;
  for (int i = 0; i < 300; ++i) {
    // Lengths that go up and down, so a reused string must shrink as well as grow.
    const std::string key =
        std::string(static_cast<std::size_t>(i * 37 % 90), 'k') + std::to_string(1000 + i);
    const std::string id = "page-" + std::string(static_cast<std::size_t>(i * 53 % 70), 'p');
    const auto status = i % 3 == 0 ? RowStatus::pending_create : RowStatus::synced;
    changes.push_back(RowChange::upsert(TrackedRow{key, fingerprint_of(key, "v1"), id, status, i}));
  }
  store->commit(target.id, changes);
  std::sort(changes.begin(), changes.end(),
            [](const RowChange& a, const RowChange& b) { return a.row.key < b.row.key; });
  std::vector<TrackedRow> moved;
  store->for_each_row(target.id,
                      [&](TrackedRow&& tracked) { moved.push_back(std::move(tracked)); });
  std::vector<TrackedRow> copied;
  store->for_each_row(target.id, [&](TrackedRow&& tracked) { copied.push_back(tracked); });
  TrackedRowTable table;
  store->for_each_row(target.id, [&](TrackedRow&& tracked) { table.add(tracked); });
  ASSERT_EQ(moved.size(), changes.size());
  ASSERT_EQ(copied.size(), changes.size());
  ASSERT_EQ(table.size(), changes.size());
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const TrackedRow& expected = changes[i].row;
    for (const TrackedRow* got : {&moved[i], &copied[i]}) {
      EXPECT_EQ(got->key, expected.key) << i;
      EXPECT_EQ(got->remote_id, expected.remote_id) << i;
      EXPECT_EQ(got->fingerprint, expected.fingerprint) << i;
      EXPECT_EQ(got->status, expected.status) << i;
      EXPECT_GT(got->updated_at_ms, 0) << i;  // the store sets it when it commits
    }
    EXPECT_EQ(table[i].key, expected.key) << i;
    EXPECT_EQ(table[i].remote_id, expected.remote_id) << i;
    EXPECT_EQ(table[i].fingerprint, expected.fingerprint) << i;
    EXPECT_EQ(table[i].status, expected.status) << i;
  }
}

TEST_P(StateStoreTest, AVisitorMayUseTheStoreWhileRowsStream) {
  auto store = backend->open();
  const auto target = store->ensure_target("app", "t", "test");
  std::vector<RowChange> changes;
  for (int i = 0; i < 50; ++i) changes.push_back(RowChange::upsert(row(std::to_string(i), "A")));
  store->commit(target.id, changes);
  const auto other = store->ensure_target("app", "other", "test");
  store->commit(other.id, std::vector<RowChange>{RowChange::upsert(row("x", "1"))});
  std::size_t found = 0;
  std::size_t nested = 0;
  store->for_each_row(target.id, [&](TrackedRow&& tracked) {
    if (store->find_row(target.id, tracked.key)) ++found;
    EXPECT_EQ(store->count_rows(target.id), 50);
    store->for_each_row(other.id, [&](TrackedRow&&) { ++nested; });
  });
  EXPECT_EQ(found, 50u);
  EXPECT_EQ(nested, 50u);
}

TEST_P(StateStoreTest, AVisitorThatThrowsStopsTheStreamAndLeavesTheStoreUsable) {
  auto store = backend->open();
  const auto target = store->ensure_target("app", "t", "test");
  std::vector<RowChange> changes;
  for (int i = 0; i < 50; ++i) changes.push_back(RowChange::upsert(row(std::to_string(i), "A")));
  store->commit(target.id, changes);
  int visited = 0;
  EXPECT_THROW(store->for_each_row(target.id,
                                   [&](TrackedRow&&) {
                                     if (++visited == 3) throw std::runtime_error("stop");
                                   }),
               std::runtime_error);
  EXPECT_EQ(visited, 3);
  EXPECT_EQ(all_rows(*store, target.id).size(), 50u);
  store->commit(target.id, std::vector<RowChange>{RowChange::erase(Key{"1"}.encoded())});
  EXPECT_EQ(store->count_rows(target.id), 49);
}

TEST_P(StateStoreTest, RecordsRunsAndReturnsTheLatestPerApp) {
  auto store = backend->open();
  store->record_run(RunRecord{"people", 10, 20, "ok", "{\"targets\":[]}"});
  store->record_run(RunRecord{"people", 30, 40, "rows_failed", "{\"failed\":1}"});
  store->record_run(RunRecord{"people", 25, 26, "aborted", "{}"});
  store->record_run(RunRecord{"other", 50, 60, "ok", "{}"});
  const auto last = store->last_run("people");
  ASSERT_TRUE(last);
  EXPECT_EQ(last->app_name, "people");
  EXPECT_EQ(last->started_at_ms, 30);
  EXPECT_EQ(last->finished_at_ms, 40);
  EXPECT_EQ(last->outcome, "rows_failed");
  EXPECT_EQ(last->summary_json, "{\"failed\":1}");
  EXPECT_EQ(store->last_run("other")->started_at_ms, 50);
  EXPECT_FALSE(store->last_run("nobody"));
  EXPECT_EQ(store->apps(), (std::vector<std::string>{"other", "people"}));
}

TEST_P(StateStoreTest, MigratesAVersionOneStoreKeepingItsRows) {
  backend->migrate_to(1);
  const auto fingerprint = fingerprint_of("1", "v1");
  backend->execute(
      "INSERT INTO apps (id, name, created_at) VALUES (1, 'people', 0);"
      "INSERT INTO targets (id, app_id, name, kind, remote_id, created_at) "
      "VALUES (7, 1, 'team', 'test', 'ds-1', 0);"
      "INSERT INTO rows (target_id, key, fingerprint, remote_id, status, updated_at) "
      "VALUES (7, 'l1:s3:Ada', " +
      backend->fingerprint_literal(fingerprint) + ", 'page-1', 'synced', 5);");
  auto store = backend->open();
  EXPECT_EQ(backend->schema_version(*store), 5);
  const auto targets = store->targets("people");
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].id, 7);
  EXPECT_EQ(targets[0].remote_id, "ds-1");
  EXPECT_EQ(targets[0].row_count, 1);
  EXPECT_FALSE(targets[0].last_synced_at_ms);
  const auto tracked = store->find_row(7, "l1:s3:Ada");
  ASSERT_TRUE(tracked);
  EXPECT_EQ(tracked->fingerprint, fingerprint);
  EXPECT_EQ(tracked->remote_id, "page-1");
  EXPECT_EQ(tracked->updated_at_ms, 5);
  // The version 2 tables and columns work on the migrated store.
  store->record_run(RunRecord{"people", 1, 2, "ok", "{}"});
  EXPECT_EQ(store->last_run("people")->outcome, "ok");
  auto target = targets[0];
  target.last_synced_at_ms = 99;
  store->update_target(target);
  EXPECT_EQ(store->targets("people").at(0).last_synced_at_ms, 99);
  // So does version 3's rows digest: unknown after the migration, then recorded.
  EXPECT_FALSE(targets[0].rows_digest);
  RowsDigest digest;
  digest.add("l1:s3:Ada", fingerprint);
  store->record_rows_digest(7, digest);
  EXPECT_EQ(store->targets("people").at(0).rows_digest, digest);
  // And version 4's drift mark: unknown after the migration, then stored.
  EXPECT_FALSE(targets[0].drift_checked_at_ms);
  target.drift_checked_at_ms = 1234;
  store->update_target(target);
  EXPECT_EQ(store->targets("people").at(0).drift_checked_at_ms, 1234);
  // And version 5's cached values.
  store->write_cached("people", "scope", "key", CachedValue{"kept", std::nullopt, 10});
  EXPECT_EQ(store->read_cached("people", "scope", "key", 20)->value, "kept");
}

TEST_P(StateStoreTest, CachedValuesAreKeptPerAppScopeAndKeyUntilTheyExpire) {
  auto store = backend->open();
  EXPECT_FALSE(store->read_cached("people", "users", "all", 0));
  store->write_cached("people", "users", "all", CachedValue{"[1,2]", 1000, 100});
  store->write_cached("people", "uploads", "a.png", CachedValue{"{\"id\":1}", std::nullopt, 100});
  store->write_cached("other", "users", "all", CachedValue{"[3]", std::nullopt, 100});

  const auto users = store->read_cached("people", "users", "all", 1000);
  ASSERT_TRUE(users);
  EXPECT_EQ(users->value, "[1,2]");
  EXPECT_EQ(users->expires_at_ms, 1000);
  EXPECT_EQ(users->updated_at_ms, 100);
  EXPECT_FALSE(store->read_cached("people", "users", "all", 1001)) << "expired";
  EXPECT_FALSE(store->read_cached("people", "users", "none", 0));
  EXPECT_EQ(store->read_cached("other", "users", "all", 5000)->value, "[3]");
  const auto upload = store->read_cached("people", "uploads", "a.png", 1'000'000'000);
  ASSERT_TRUE(upload) << "a value without expiry is kept";
  EXPECT_FALSE(upload->expires_at_ms);

  // Writing replaces; a later write forgets the scope's expired values.
  store->write_cached("people", "uploads", "a.png", CachedValue{"{\"id\":2}", 5000, 200});
  EXPECT_EQ(store->read_cached("people", "uploads", "a.png", 300)->value, "{\"id\":2}");
  store->write_cached("people", "users", "fresh", CachedValue{"[]", std::nullopt, 2000});
  EXPECT_FALSE(store->read_cached("people", "users", "all", 0))
      << "expired at 1000, pruned at 2000";
  EXPECT_TRUE(store->read_cached("people", "uploads", "a.png", 300)) << "other scopes stay";

  store->erase_cached("people", "uploads", "a.png");
  EXPECT_FALSE(store->read_cached("people", "uploads", "a.png", 0));
  store->erase_cached("nobody", "uploads", "a.png");  // nothing to forget: no error
  // Reopening keeps them.
  auto reopened = backend->open();
  EXPECT_EQ(reopened->read_cached("people", "users", "fresh", 0)->value, "[]");
}

TEST_P(StateStoreTest, RefusesAStoreWrittenByANewerVersion) {
  backend->open();
  backend->execute("INSERT INTO schema_migrations (version, applied_at) VALUES (99, 0)");
  const auto message = message_of([&] { backend->open(); }, ErrorKind::state_store);
  EXPECT_NE(message.find("schema version 99 was written by a newer notionsync"), std::string::npos)
      << message;
}

TEST_P(StateStoreTest, ProcessesOpeningAnEmptyStoreTogetherMigrateItOnce) {
  std::vector<std::unique_ptr<ForkedChild>> children;
  int go[2];
  ASSERT_EQ(::pipe(go), 0);
  for (int i = 0; i < 4; ++i) {
    children.push_back(std::make_unique<ForkedChild>([&](int to_parent, int) {
      ::close(go[1]);
      signal_parent(to_parent, 'R');
      wait_for_parent(go[0]);  // all start at once when the test closes the pipe
      auto store = backend->open();
      if (backend->schema_version(*store) != 5) throw std::runtime_error("not migrated");
      store->ensure_target("app", "t", "test");
    }));
  }
  ::close(go[0]);
  for (auto& child : children) ASSERT_EQ(child->wait_for_signal(), 'R');
  ::close(go[1]);
  for (auto& child : children) EXPECT_EQ(child->wait_for_exit(), 0);
  auto store = backend->open();
  EXPECT_EQ(backend->schema_version(*store), 5);
  EXPECT_EQ(store->targets("app").size(), 1u);
}

TEST_P(StateStoreTest, ASecondHolderOfAnAppGetsAClearLockedErrorUntilTheHolderIsKilled) {
  backend->open();
  ForkedChild holder([&](int to_parent, int from_parent) {
    auto store = backend->open();
    auto lock = store->lock_app("people");
    signal_parent(to_parent, 'L');
    wait_for_parent(from_parent);
  });
  ASSERT_EQ(holder.wait_for_signal(), 'L');
  auto store = backend->open();
  const auto message =
      message_of([&] { store->lock_app("people"); }, ErrorKind::state_store_locked);
  EXPECT_EQ(message.find("app 'people' is being synced by process " + std::to_string(holder.pid())),
            0u)
      << message;
  EXPECT_NE(message.find("; wait for it to finish or stop it"), std::string::npos) << message;
  EXPECT_NE(store->lock_app("other app/with odd name"), nullptr);
  holder.kill_now();
  backend->wait_for_dead_holder("people");
  EXPECT_NE(store->lock_app("people"), nullptr);
}

TEST_P(StateStoreTest, TwoLocksInOneProcessConflictToo) {
  auto first = backend->open();
  auto second = backend->open();
  auto lock = first->lock_app("people");
  EXPECT_THROW(second->lock_app("people"), Error);
  EXPECT_THROW(first->lock_app("people"), Error);
  lock.reset();
  EXPECT_NE(second->lock_app("people"), nullptr);
}

TEST_P(StateStoreTest, AProcessKilledInTheMiddleOfABatchCommitLeavesAConsistentStore) {
  std::int64_t target_id = 0;
  {
    auto store = backend->open();
    target_id = store->ensure_target("app", "t", "test").id;
    std::vector<RowChange> initial;
    for (int i = 0; i < 100; ++i) initial.push_back(RowChange::upsert(row(std::to_string(i), "A")));
    store->commit(target_id, initial);
  }
  std::vector<RowChange> batch;
  for (int i = 0; i < 1000; ++i) batch.push_back(RowChange::upsert(row(std::to_string(i), "B")));

  ForkedChild writer([&](int to_parent, int from_parent) {
    auto store = backend->open([&](std::size_t rows_written) {
      if (rows_written == 500) {  // half of the batch is written, nothing committed
        signal_parent(to_parent, 'M');
        wait_for_parent(from_parent);
      }
    });
    store->commit(target_id, batch);
    signal_parent(to_parent, 'C');
  });
  ASSERT_EQ(writer.wait_for_signal(), 'M');
  writer.kill_now();

  if (const auto integrity = backend->file_integrity()) {
    EXPECT_EQ(*integrity, "ok");
  }
  auto store = backend->open();
  const auto rows = all_rows(*store, target_id);
  ASSERT_EQ(rows.size(), 100u);  // none of the killed batch is visible
  for (const auto& tracked : rows) EXPECT_EQ(tracked.fingerprint, fingerprint_of("A", "v1"));

  // Reconciling against the surviving state plans exactly the work the batch would have done.
  DeclaredRows declared;
  for (int i = 0; i < 1000; ++i) {
    const auto key = Key{std::to_string(i)}.encoded();
    declared.add(DeclaredRow{key, "B", fingerprint_of("B", "v1"), "row"});
  }
  PlanInput plan_input;
  plan_input.target_name = "t";
  plan_input.declared = &declared;
  plan_input.store = store.get();
  plan_input.target_id = target_id;
  const Plan plan = make_plan(plan_input);
  EXPECT_EQ(plan.counts.update, 100u);
  EXPECT_EQ(plan.counts.create, 900u);
  store->commit(target_id, batch);
  EXPECT_EQ(store->count_rows(target_id), 1000);
}

INSTANTIATE_TEST_SUITE_P(Stores, StateStoreTest, ::testing::ValuesIn(store_backends()),
                         backend_test_name);

}  // namespace
}  // namespace notionsync::testing
