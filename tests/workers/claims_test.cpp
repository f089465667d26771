// Claims of the worker board, as workers use them: exclusive until released or expired,
// due again after the interval, and only for the targets a worker knows.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>

#include "notionsync/postgres/worker_board.hpp"
#include "support/postgres_cluster.hpp"

namespace notionsync::testing {
namespace {

using std::chrono::milliseconds;

class ClaimsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    schema_ = "claims_" + std::to_string(++schemas_);
    store_ = WorkerBoard::open(shared_postgres_cluster().url(), {.schema = schema_});
    for (const char* id : {"w1", "w2"}) {
      WorkerRecord worker;
      worker.id = id;
      store_->register_worker(worker);
    }
  }

  std::string schema_;
  std::unique_ptr<WorkerBoard> store_;
  const std::vector<TargetClaim> both_ = {{"app", "a"}, {"app", "b"}};
  static inline int schemas_ = 0;
};

TEST_F(ClaimsTest, ANewTargetIsDueAndTakenByOneWorkerOnly) {
  store_->register_worker_target("app", "a", milliseconds(60'000));
  EXPECT_TRUE(store_->any_target_due(both_));
  const auto claim = store_->claim_due_target("w1", milliseconds(60'000), both_);
  ASSERT_TRUE(claim);
  EXPECT_EQ(claim->app_name, "app");
  EXPECT_EQ(claim->target_name, "a");
  EXPECT_FALSE(store_->claim_due_target("w2", milliseconds(60'000), both_));
  // Still due (a --once worker waits for it), but claimed.
  EXPECT_TRUE(store_->any_target_due(both_));
  EXPECT_EQ(store_->claims().at(0).claimed_by, "w1");
}

TEST_F(ClaimsTest, AReleasedTargetIsDueAgainAfterItsInterval) {
  store_->register_worker_target("app", "a", milliseconds(60'000));
  const auto claim = store_->claim_due_target("w1", milliseconds(60'000), both_);
  ASSERT_TRUE(claim);
  const auto run = store_->start_worker_run("w1", *claim);
  EXPECT_EQ(store_->workers().at(0).current_target, "a");
  store_->release_claim("w1", *claim, run, "ok", milliseconds(60'000));
  EXPECT_FALSE(store_->any_target_due(both_));
  EXPECT_FALSE(store_->claim_due_target("w2", milliseconds(60'000), both_));
  const auto record = store_->claims().at(0);
  EXPECT_TRUE(record.claimed_by.empty());
  EXPECT_EQ(record.last_outcome, "ok");
  EXPECT_EQ(record.last_worker, "w1");
  EXPECT_GE(record.due_at_ms, record.last_finished_at_ms + 60'000);
  const auto runs = store_->worker_runs();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].worker_id, "w1");
  EXPECT_GE(runs[0].finished_at_ms, runs[0].started_at_ms);
  EXPECT_TRUE(store_->workers().at(0).current_target.empty());
}

TEST_F(ClaimsTest, AClaimNotRenewedExpiresAndAnotherWorkerTakesIt) {
  store_->register_worker_target("app", "a", milliseconds(60'000));
  const auto first = store_->claim_due_target("w1", milliseconds(200), both_);
  ASSERT_TRUE(first);
  // Bounded: the lease is 200 ms.
  std::optional<TargetClaim> second;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!second && std::chrono::steady_clock::now() < deadline) {
    second = store_->claim_due_target("w2", milliseconds(60'000), both_);
    if (!second) std::this_thread::sleep_for(milliseconds(20));
  }
  ASSERT_TRUE(second);
  EXPECT_EQ(store_->claims().at(0).claimed_by, "w2");
  // The first worker learns it lost the claim, and its release leaves the new claim alone.
  EXPECT_FALSE(store_->heartbeat("w1", first, milliseconds(60'000), 0, 0));
  store_->release_claim("w1", *first, 0, "ok", milliseconds(60'000));
  EXPECT_EQ(store_->claims().at(0).claimed_by, "w2");
  EXPECT_TRUE(store_->heartbeat("w2", second, milliseconds(60'000), 3, 7));
  const auto workers = store_->workers();
  const auto w2 = std::find_if(workers.begin(), workers.end(),
                               [](const WorkerRecord& worker) { return worker.id == "w2"; });
  ASSERT_NE(w2, workers.end());
  EXPECT_EQ(w2->progress_done, 3);
  EXPECT_EQ(w2->progress_total, 7);
}

TEST_F(ClaimsTest, ConcurrentClaimsNeverTakeOneTargetTwice) {
  for (int i = 0; i < 40; ++i) {
    store_->register_worker_target("app", "t" + std::to_string(i), milliseconds(60'000));
  }
  std::vector<TargetClaim> all;
  for (int i = 0; i < 40; ++i) all.push_back({"app", "t" + std::to_string(i)});
  std::vector<std::vector<std::string>> taken(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto store = WorkerBoard::open(shared_postgres_cluster().url(), {.schema = schema_});
      while (const auto claim =
                 store->claim_due_target("w" + std::to_string(t), milliseconds(60'000), all)) {
        taken[static_cast<std::size_t>(t)].push_back(claim->target_name);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> distinct;
  std::size_t total = 0;
  for (const auto& names : taken) {
    total += names.size();
    distinct.insert(names.begin(), names.end());
  }
  EXPECT_EQ(total, 40u);
  EXPECT_EQ(distinct.size(), 40u);
}

TEST_F(ClaimsTest, AWorkerOnlyClaimsTargetsOfItsConfigs) {
  store_->register_worker_target("other", "x", milliseconds(60'000));
  EXPECT_FALSE(store_->any_target_due(both_));
  EXPECT_FALSE(store_->claim_due_target("w1", milliseconds(60'000), both_));
  EXPECT_TRUE(store_->claim_due_target("w1", milliseconds(60'000), {{"other", "x"}}));
}

TEST_F(ClaimsTest, RegisteringAgainKeepsTheDueTimeAndUpdatesTheInterval) {
  store_->register_worker_target("app", "a", milliseconds(60'000));
  const auto claim = store_->claim_due_target("w1", milliseconds(60'000), both_);
  ASSERT_TRUE(claim);
  store_->release_claim("w1", *claim, 0, "busy", milliseconds(60'000));
  const auto due = store_->claims().at(0).due_at_ms;
  store_->register_worker_target("app", "a", milliseconds(5'000));
  EXPECT_EQ(store_->claims().at(0).due_at_ms, due);
  EXPECT_EQ(store_->claims().at(0).interval_ms, 5'000);
}

}  // namespace
}  // namespace notionsync::testing
