#include "notionsync/core/plan.hpp"

#include <gtest/gtest.h>

#include "core/make_plan.hpp"
#include "notionsync/core/key.hpp"
#include "notionsync/core/sqlite_state_store.hpp"

namespace notionsync {
namespace {

struct TrackedSpec {
  std::string key;
  std::string payload;
  RowStatus status = RowStatus::synced;
};

struct DeclaredSpec {
  std::string key;
  std::string payload;
};

struct PlanCase {
  std::string name;
  std::vector<TrackedSpec> tracked;
  std::vector<DeclaredSpec> declared;
  RemovalMode mode;
  std::string expected;  // "kind key" per action, in plan order; "=N" for N unchanged
};

std::string encoded(const std::string& key) {
  return Key{key}.encoded();
}

class PlanTest : public ::testing::Test {
 protected:
  void track(const TrackedSpec& spec) {
    const std::string id = spec.status == RowStatus::pending_create ? "" : "page-" + spec.key;
    const RowChange change = RowChange::upsert(
        TrackedRow{encoded(spec.key), fingerprint_of(spec.payload, "v1"), id, spec.status, 0});
    store->commit(target.id, std::span(&change, 1));
  }

  void declare(const DeclaredSpec& spec) {
    declared.add(DeclaredRow{encoded(spec.key), spec.payload, fingerprint_of(spec.payload, "v1"),
                             "row " + spec.key});
  }

  Plan plan(RemovalMode mode, const std::vector<RemoteRow>* remote = nullptr) {
    PlanInput input;
    input.target_name = "people";
    input.removal_mode = mode;
    input.declared = &declared;
    input.store = store.get();
    input.target_id = target.id;
    input.remote_rows = remote;
    return make_plan(input);
  }

  static std::string summarize(const Plan& plan) {
    std::string text;
    for (const auto& action : plan.actions) {
      if (!text.empty()) text += "; ";
      text += std::string(to_string(action.kind)) + " " +
              Key::decode(action.key).parts().front().as_string();
      if (action.verify_remote) text += "?";
      if (action.restore) text += "!";
    }
    if (plan.counts.unchanged > 0) {
      text += (text.empty() ? "=" : "; =") + std::to_string(plan.counts.unchanged);
    }
    return text;
  }

  std::unique_ptr<SqliteStateStore> store = SqliteStateStore::open(":memory:");
  TargetRecord target = store->ensure_target("app", "people", "test");
  DeclaredRows declared;
};

TEST_F(PlanTest, MatchesTheTable) {
  using enum RemovalMode;
  const std::vector<PlanCase> cases = {
      {"insert into empty", {}, {{"a", "1"}, {"b", "2"}}, trash, "create a; create b"},
      {"unchanged", {{"a", "1"}}, {{"a", "1"}}, trash, "=1"},
      {"update", {{"a", "1"}, {"b", "2"}}, {{"a", "1"}, {"b", "3"}}, trash, "update b; =1"},
      {"removed, trash", {{"a", "1"}, {"b", "2"}}, {{"a", "1"}}, trash, "trash b; =1"},
      {"removed, delete", {{"a", "1"}, {"b", "2"}}, {{"a", "1"}}, erase, "delete b; =1"},
      {"removed, forget", {{"a", "1"}, {"b", "2"}}, {{"a", "1"}}, forget, "forget b; =1"},
      {"everything removed", {{"a", "1"}}, {}, trash, "trash a"},
      {"re-added after removal", {}, {{"b", "2"}}, trash, "create b"},
      {"create whose outcome was unknown",
       {{"a", "1", RowStatus::pending_create}},
       {{"a", "1"}},
       trash,
       "create a?"},
      {"unknown create no longer declared",
       {{"a", "1", RowStatus::pending_create}},
       {},
       trash,
       "trash a?"},
      {"unknown create no longer declared, forget",
       {{"a", "1", RowStatus::pending_create}},
       {},
       forget,
       "forget a"},
      {"interrupted removal re-declared",
       {{"a", "1", RowStatus::pending_delete}},
       {{"a", "1"}},
       trash,
       "update a!"},
      {"interrupted removal still removed",
       {{"a", "1", RowStatus::pending_delete}},
       {},
       trash,
       "trash a"},
      {"writes before removals", {{"a", "1"}}, {{"b", "2"}}, trash, "create b; trash a"},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.name);
    store = SqliteStateStore::open(":memory:");
    target = store->ensure_target("app", "people", "test");
    declared = DeclaredRows();
    for (const auto& tracked : test_case.tracked) track(tracked);
    for (const auto& row : test_case.declared) declare(row);
    EXPECT_EQ(summarize(plan(test_case.mode)), test_case.expected);
  }
}

TEST_F(PlanTest, CountsEveryKind) {
  track({"keep", "1"});
  track({"change", "1"});
  track({"drop", "1"});
  declare({"keep", "1"});
  declare({"change", "2"});
  declare({"new", "1"});
  const Plan result = plan(RemovalMode::trash);
  EXPECT_EQ(result.counts.create, 1u);
  EXPECT_EQ(result.counts.update, 1u);
  EXPECT_EQ(result.counts.unchanged, 1u);
  EXPECT_EQ(result.counts.trash, 1u);
  EXPECT_EQ(result.counts.writes(), 3u);
  EXPECT_EQ(result.actions.size(), 3u);  // unchanged rows are counted, not listed
}

TEST_F(PlanTest, AFailedRowHoldsItsTrackedPage) {
  track({"a", "1"});
  track({"b", "1"});
  declare({"a", "1"});
  declared.add_failure(RowError{"people.csv:3", "\"b\"", "age", "not a number"}, encoded("b"));
  const Plan result = plan(RemovalMode::trash);
  EXPECT_EQ(summarize(result), "=1");
  EXPECT_EQ(result.counts.held, 1u);
  ASSERT_EQ(result.row_errors.size(), 1u);
  EXPECT_EQ(result.row_errors[0].origin, "people.csv:3");
}

TEST_F(PlanTest, AKeylessFailureHoldsEveryRemoval) {
  track({"a", "1"});
  track({"b", "1"});
  declare({"a", "2"});
  declared.add_failure(RowError{"people.csv:4", "", "", "malformed line"}, std::nullopt);
  const Plan result = plan(RemovalMode::erase);
  EXPECT_EQ(summarize(result), "update a");
  EXPECT_EQ(result.counts.held, 1u);
  EXPECT_FALSE(result.removals_held_reason.empty());
}

TEST_F(PlanTest, DuplicateKeysAreAnErrorNamingBothRowsAndHoldTheKey) {
  track({"a", "1"});
  declare({"a", "2"});
  // Found when the rows are indexed (the plan), not as they are added.
  EXPECT_FALSE(
      declared.add(DeclaredRow{encoded("a"), "3", fingerprint_of("3", "v1"), "people.csv:9"}));
  declare({"b", "5"});
  EXPECT_FALSE(declared.add(DeclaredRow{encoded("a"), "4", fingerprint_of("4", "v1"), "x"}));
  const Plan result = plan(RemovalMode::trash);
  // Both rows are reported, each at its own origin and naming the other; a third row with the key
  // is rejected too, and the tracked page stays untouched.
  ASSERT_EQ(result.row_errors.size(), 3u);
  EXPECT_EQ(result.row_errors[0].origin, "row a");
  EXPECT_EQ(result.row_errors[0].message,
            "duplicate key: also declared by people.csv:9; no row with this key is written");
  EXPECT_EQ(result.row_errors[1].origin, "people.csv:9");
  EXPECT_EQ(result.row_errors[1].message,
            "duplicate key: also declared by row a; no row with this key is written");
  EXPECT_EQ(result.row_errors[2].origin, "x");
  EXPECT_EQ(result.row_errors[2].message, result.row_errors[1].message);
  EXPECT_EQ(count_rows_with_errors(result.row_errors), 3u);
  EXPECT_EQ(summarize(result), "create b");
  EXPECT_EQ(result.counts.held, 1u);
  // A row added after the plan with the held key is refused at once.
  EXPECT_TRUE(declared.add(DeclaredRow{encoded("a"), "6", fingerprint_of("6", "v1"), "y"}));
}

TEST_F(PlanTest, FirstRunAdoptsMatchingRemoteRowsAndUpdatesDifferingOnes) {
  declare({"same", "1"});
  declare({"differs", "2"});
  declare({"missing", "3"});
  const std::vector<RemoteRow> remote = {
      {encoded("same"), "page-1", fingerprint_of("1", "v1")},
      {encoded("differs"), "page-2", fingerprint_of("old", "v1")},
      {encoded("differs"), "page-3", fingerprint_of("old", "v1")},
      {encoded("stranger"), "page-4", fingerprint_of("x", "v1")},
  };
  const Plan result = plan(RemovalMode::trash, &remote);
  EXPECT_EQ(summarize(result), "adopt same; update differs; create missing");
  EXPECT_EQ(result.actions[0].remote_id, "page-1");
  EXPECT_EQ(result.actions[1].remote_id, "page-2");
  ASSERT_EQ(result.remote_duplicates.size(), 1u);
  EXPECT_EQ(result.remote_duplicates[0].kept, "page-2");
  EXPECT_EQ(result.remote_duplicates[0].extras, std::vector<std::string>{"page-3"});
  EXPECT_EQ(result.untracked_remote_rows, 1u);
  EXPECT_EQ(result.counts.writes(), 2u);
}

TEST_F(PlanTest, PendingCreateFoundInTheRemoteIsAdoptedNotRecreated) {
  track({"a", "1", RowStatus::pending_create});
  declare({"a", "1"});
  const std::vector<RemoteRow> remote = {{encoded("a"), "page-9", fingerprint_of("1", "v1")}};
  const Plan result = plan(RemovalMode::trash, &remote);
  EXPECT_EQ(summarize(result), "adopt a");
  EXPECT_EQ(result.actions[0].remote_id, "page-9");
}

TEST_F(PlanTest, PrintsCountsActionsAndErrors) {
  track({"gone", "1"});
  declare({"new", "1"});
  declared.add_failure(RowError{"people.csv:2", "", "email", "not an email"}, std::nullopt);
  const std::string text = to_string(plan(RemovalMode::trash));
  EXPECT_NE(text.find("target 'people': 1 to create, 0 to update"), std::string::npos) << text;
  EXPECT_NE(text.find("create \"new\""), std::string::npos) << text;
  EXPECT_NE(text.find("removals held"), std::string::npos) << text;
  EXPECT_NE(text.find("people.csv:2, column 'email': not an email"), std::string::npos) << text;
}

// The index behind DeclaredRows grows and keeps removed keys out: every row is found by its key
// after thousands of additions, duplicates and failures, and withdrawn or failed keys are not.
// The plan adds up the tracked rows it reads (the App stores that digest), and the declared rows
// add up the same way, whatever their order: equal digests mean nothing to do.
TEST_F(PlanTest, AddsUpTheTrackedRowsWhenEveryOneIsSynced) {
  track({"a", "1"});
  track({"b", "2"});
  declare({"b", "2"});
  declare({"a", "1"});
  const Plan unchanged = plan(RemovalMode::trash);
  EXPECT_EQ(summarize(unchanged), "=2");
  ASSERT_TRUE(unchanged.tracked_digest);
  EXPECT_EQ(*unchanged.tracked_digest, declared.digest());
  EXPECT_EQ(unchanged.tracked_digest->count, 2);
  EXPECT_FALSE(unchanged.unchanged_by_digest);  // make_plan reads the rows; only the App skips

  // A tracked row whose outcome is not known leaves no digest: a store's digest must be of synced
  // rows only, so that equal digests mean "unchanged".
  track({"c", "3", RowStatus::pending_create});
  EXPECT_FALSE(plan(RemovalMode::trash).tracked_digest);
}

TEST(DeclaredRowsTest, FindsEveryRowThroughGrowthDuplicatesAndFailures) {
  DeclaredRows declared;
  const auto row = [](int n) {
    const std::string payload = std::to_string(n);
    return DeclaredRow{encoded("k" + std::to_string(n)), payload, fingerprint_of(payload, "v1"),
                       "row " + std::to_string(n)};
  };
  for (int n = 0; n < 20000; ++n) {
    EXPECT_FALSE(declared.add(row(n))) << n;
    if (n % 1000 == 999) {
      EXPECT_FALSE(declared.add(row(n - 500)));  // a duplicate: found when indexed
    }
    if (n % 1000 == 998) {
      declared.add_failure(RowError{"x", "", "", "bad"}, encoded("k" + std::to_string(n - 1)));
    }
    // A lookup halfway indexes the first half; the second half is indexed by the next lookup.
    if (n == 10000) {
      EXPECT_NE(declared.find(encoded("k1")), nullptr);
    }
  }
  // The errors come in the order of the rows: the first row of each duplicate key, each failure,
  // then the second row of the duplicate key.
  ASSERT_EQ(declared.errors().size(), 60u);
  for (std::size_t i = 0; i < 60; i += 3) {
    const std::string duplicated = "row " + std::to_string(1000 * (i / 3) + 499);
    EXPECT_EQ(declared.errors()[i].origin, duplicated) << i;
    EXPECT_EQ(declared.errors()[i + 1].message, "bad") << i;
    EXPECT_EQ(declared.errors()[i + 2].origin, duplicated) << i;
  }
  std::size_t found = 0;
  for (int n = 0; n < 20000; ++n) {
    const std::string key = encoded("k" + std::to_string(n));
    const bool removed = n % 1000 == 499 || n % 1000 == 997;
    const DeclaredRowView* match = declared.find(key);
    if (removed) {
      EXPECT_EQ(match, nullptr) << n;
      EXPECT_TRUE(declared.is_held(key)) << n;
    } else {
      ASSERT_NE(match, nullptr) << n;
      EXPECT_EQ(match->payload, std::to_string(n));
      const auto index = declared.index_of(key);
      ASSERT_TRUE(index) << n;
      EXPECT_EQ(&declared.at(*index), match);
      ++found;
    }
  }
  EXPECT_EQ(found, 20000u - 40u);
  EXPECT_EQ(declared.find(encoded("k20000")), nullptr);
  EXPECT_EQ(declared.errors().size(), 60u);
}

// DeclaredRows keeps each row's bytes itself, in blocks that never move: the caller's buffers
// serve the next row, and every view stays valid however many rows follow, large ones included.
TEST(DeclaredRowsTest, KeepsEachRowsBytesWhileTheCallerReusesItsBuffers) {
  DeclaredRows declared;
  std::string key, payload, origin;
  const auto payload_of = [](int n) {
    // Mostly small rows, now and then one larger than a block (1 MiB) or a quarter of it.
    const std::size_t size = n % 500 == 7 ? (1u << 20) + 3 : n % 97 == 5 ? (1u << 18) + 1 : 40;
    return std::string(size, static_cast<char>('a' + n % 26)) + std::to_string(n);
  };
  constexpr int rows = 3000;
  for (int n = 0; n < rows; ++n) {
    key = encoded("k" + std::to_string(n));
    payload = payload_of(n);
    origin = "people.csv:" + std::to_string(n + 2);
    ASSERT_FALSE(
        declared.add(DeclaredRowView{key, payload, fingerprint_of(payload, "v1"), origin}));
    key.assign(key.size(), '#');  // the buffers are overwritten for the next row
    payload.assign(payload.size(), '#');
  }
  ASSERT_EQ(declared.size(), static_cast<std::size_t>(rows));
  for (int n = 0; n < rows; ++n) {
    const DeclaredRowView* row = declared.find(encoded("k" + std::to_string(n)));
    ASSERT_NE(row, nullptr) << n;
    EXPECT_EQ(row->payload, payload_of(n)) << n;
    EXPECT_EQ(row->origin, "people.csv:" + std::to_string(n + 2));
    EXPECT_EQ(row->fingerprint, fingerprint_of(payload_of(n), "v1"));
  }
  // A duplicate names both origins, from the kept bytes.
  key = encoded("k10");
  ASSERT_FALSE(declared.add(DeclaredRowView{key, "x", fingerprint_of("x", "v1"), "again"}));
  key.assign(key.size(), '#');
  ASSERT_EQ(declared.errors().size(), 2u);
  EXPECT_EQ(declared.errors()[0].message,
            "duplicate key: also declared by again; no row with this key is written");
  EXPECT_EQ(declared.errors()[1].message,
            "duplicate key: also declared by people.csv:12; no row with this key is written");
}

}  // namespace
}  // namespace notionsync
