// notionsync worker: several worker processes share the targets of several apps through claims in
// a PostgreSQL state store, against the Notion API emulator; one is killed in the middle of a run.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <pqxx/pqxx>
#include <set>

#include "notionsync/notion/property_value_codec.hpp"
#include "notionsync/postgres/state_store.hpp"
#include "notionsync/postgres/worker_board.hpp"
#include "support/postgres_cluster.hpp"
#include "support/temp_dir.hpp"
#include "target/backend.hpp"
#include "workers/worker_process.hpp"

namespace notionsync::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

constexpr int kApps = 4;
constexpr int kTargetsPerApp = 3;

std::string app_name(int app) {
  return "app" + std::to_string(app);
}
std::string target_name(int target) {
  return "t" + std::to_string(target);
}
// 10 to 20 rows, different per target.
int rows_of(int app, int target) {
  return 10 + (app * kTargetsPerApp + target) * 7 % 11;
}

class WorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cluster_ = &shared_postgres_cluster();
    state_ = cluster_->url() + (cluster_->url().find('?') == std::string::npos ? "?" : "&") +
             "schema=workers_" + std::to_string(++schemas_);
    // Requests take long enough, and each worker's client paces them (rate in the configs), so
    // runs of different workers overlap and a run lasts long enough to be caught in its middle.
    emulator_.server().set_latency_ms(20);
    ::setenv("WORKER_TEST_TOKEN", emulator_.token().c_str(), 1);
    std::filesystem::create_directories(dir_.file("configs"));
    for (int app = 0; app < kApps; ++app) write_config(app);
  }

  // `rows` rows per target (rows_of() when negative), sent at `rate` requests/s.
  void write_config(int app, int rows = -1, double rate = 40.0, double burst = 4.0) {
    std::ofstream config(dir_.file("configs/" + app_name(app) + ".toml"));
    config << "[app]\nname = \"" << app_name(app) << "\"\nstate = \"" << state_ << "\"\n\n"
           << "[notion]\ntoken_env = \"WORKER_TEST_TOKEN\"\nbase_url = \"" << emulator_.base_url()
           << "\"\nrate = " << rate << "\nburst = " << burst << "\n";
    for (int target = 0; target < kTargetsPerApp; ++target) {
      const std::string csv = app_name(app) + "_" + target_name(target) + ".csv";
      config << "\n[[target]]\nname = \"" << target_name(target)
             << "\"\nmanaged_by = \"system\"\nparent_page_id = \"" << emulator_.parent_page_id()
             << "\"\ntitle = \"" << app_name(app) << " " << target_name(target)
             << "\"\nsource = { type = \"csv\", path = \"" << csv << "\" }\nkey = [\"key\"]\n"
             << "[target.properties]\nName = { column = \"name\", type = \"title\" }\n"
             << "Key = { column = \"key\", type = \"rich_text\" }\n";
      std::ofstream lines(dir_.file("configs/" + csv));
      lines << "key,name\n";
      for (int row = 0; row < (rows < 0 ? rows_of(app, target) : rows); ++row) {
        lines << "k" << row << ",Row " << row << " of " << app_name(app) << "\n";
      }
    }
  }

  std::unique_ptr<WorkerProcess> start_worker(int index) {
    return std::make_unique<WorkerProcess>(
        std::vector<std::string>{"worker", "--state", state_, "--config", dir_.file("configs"),
                                 "--once", "--lease", "2", "--interval", "3600"},
        dir_.file("worker" + std::to_string(index)));
  }

  std::int64_t server_now_ms() {
    pqxx::connection connection(cluster_->url());
    pqxx::nontransaction session(connection);
    return session.exec("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint")[0][0]
        .as<std::int64_t>();
  }

  PostgresCluster* cluster_ = nullptr;
  std::string state_;
  EmulatorBackend emulator_;
  TempDir dir_;
  static inline int schemas_ = 0;
};

TEST_F(WorkerTest, ThreeWorkersConvergeTwelveTargetsWhenOneIsKilledMidRun) {
  std::vector<std::unique_ptr<WorkerProcess>> workers;
  for (int i = 0; i < 3; ++i) workers.push_back(start_worker(i));
  auto store = PostgresStateStore::open(state_);
  auto board = WorkerBoard::open(state_);

  // The victim: a worker in the middle of a target's page writes (some reported, not all).
  std::optional<WorkerRecord> victim;
  const auto find_deadline = Clock::now() + seconds(30);
  while (!victim && Clock::now() < find_deadline) {
    for (const auto& worker : board->workers()) {
      if (!worker.current_target.empty() && worker.progress_done > 0 &&
          worker.progress_done + 2 < worker.progress_total) {
        victim = worker;
        break;
      }
    }
    if (!victim) std::this_thread::sleep_for(milliseconds(10));
  }
  ASSERT_TRUE(victim) << "no worker was seen in the middle of a run";
  auto victim_process = std::find_if(workers.begin(), workers.end(),
                                     [&](const auto& w) { return w->pid() == victim->pid; });
  ASSERT_NE(victim_process, workers.end());
  EXPECT_EQ((*victim_process)->kill_now(), 128 + SIGKILL);
  const std::int64_t killed_at_ms = server_now_ms();

  const auto exit_deadline = Clock::now() + seconds(45);
  for (auto& worker : workers) {
    if (worker == *victim_process) continue;
    const auto exit_code = worker->wait_until(exit_deadline);
    ASSERT_TRUE(exit_code) << "a worker did not finish\n" << worker->output();
    EXPECT_EQ(*exit_code, 0) << worker->output();
  }

  // Every target converged: one live page per CSV row, no key twice.
  for (int app = 0; app < kApps; ++app) {
    const auto records = store->targets(app_name(app));
    ASSERT_EQ(records.size(), static_cast<std::size_t>(kTargetsPerApp)) << app_name(app);
    for (int target = 0; target < kTargetsPerApp; ++target) {
      const auto& record = records.at(static_cast<std::size_t>(target));
      ASSERT_EQ(record.name, target_name(target));
      std::map<std::string, int> pages_per_key;
      for (const auto& page : emulator_.live_pages(record.remote_id)) {
        ++pages_per_key[notion::decode_property_value(page["properties"]["Key"]).as_string()];
      }
      EXPECT_EQ(pages_per_key.size(), static_cast<std::size_t>(rows_of(app, target)))
          << app_name(app) << "/" << record.name;
      for (const auto& [key, pages] : pages_per_key) {
        EXPECT_EQ(pages, 1) << app_name(app) << "/" << record.name << " key " << key;
      }
      EXPECT_EQ(record.row_count, rows_of(app, target));
    }
  }

  // Every claim ended well, and no target was synced by two workers at once: per target, each
  // run starts after the previous one ended, or, for the killed worker's unfinished run, after it
  // was killed.
  for (const auto& claim : board->claims()) {
    EXPECT_TRUE(claim.claimed_by.empty()) << claim.app_name << "/" << claim.target_name;
    EXPECT_EQ(claim.last_outcome, "ok") << claim.app_name << "/" << claim.target_name;
  }
  std::map<std::string, std::vector<WorkerRun>> runs_per_target;
  for (auto& run : board->worker_runs()) {
    runs_per_target[run.app_name + "/" + run.target_name].push_back(std::move(run));
  }
  EXPECT_EQ(runs_per_target.size(), static_cast<std::size_t>(kApps * kTargetsPerApp));
  std::set<std::string> workers_that_ran;
  bool victim_run_taken_over = false;
  for (const auto& [target, runs] : runs_per_target) {
    for (std::size_t i = 0; i < runs.size(); ++i) {
      workers_that_ran.insert(runs[i].worker_id);
      if (runs[i].finished_at_ms == 0) {
        EXPECT_EQ(runs[i].worker_id, victim->id) << target << ": a run never finished";
      }
      if (i == 0) continue;
      const auto& previous = runs[i - 1];
      if (previous.finished_at_ms == 0) {
        EXPECT_GE(runs[i].started_at_ms, killed_at_ms) << target << ": overlapping runs";
        victim_run_taken_over |= runs[i].worker_id != victim->id;
      } else {
        EXPECT_GE(runs[i].started_at_ms, previous.finished_at_ms) << target << ": overlapping runs";
      }
    }
    EXPECT_EQ(runs.back().outcome, "ok") << target;
  }
  EXPECT_TRUE(victim_run_taken_over) << "the killed worker's target was not synced by another";
  // One token: one worker at a time sends its requests (the victim, then whoever took over).
  EXPECT_GE(workers_that_ran.size(), 2u);
}

// Notion limits an integration, not a machine: three workers serving twelve targets with one token
// send its requests one worker at a time, each paced at Notion's rate, so the emulator, limiting
// as Notion does (3 requests/s, burst 10), refuses none of them. Without the integration's lock the
// three would send three times that rate.
TEST_F(WorkerTest, ThreeWorkersWithOneTokenStayWithinItsRateLimit) {
  emulator_.server().set_rate(3.0, 10);
  emulator_.server().set_latency_ms(0);
  for (int app = 0; app < kApps; ++app) write_config(app, /*rows=*/2, /*rate=*/3.0, /*burst=*/3.0);
  std::vector<std::unique_ptr<WorkerProcess>> workers;
  for (int i = 0; i < 3; ++i) workers.push_back(start_worker(i));
  const auto exit_deadline = Clock::now() + seconds(120);
  for (auto& worker : workers) {
    const auto exit_code = worker->wait_until(exit_deadline);
    ASSERT_TRUE(exit_code) << "a worker did not finish\n" << worker->output();
    EXPECT_EQ(*exit_code, 0) << worker->output();
  }
  std::size_t refused = 0;
  for (const auto& request : emulator_.server().requests()) refused += request.status == 429;
  EXPECT_EQ(refused, 0u);
  auto store = PostgresStateStore::open(state_);
  auto board = WorkerBoard::open(state_);
  for (int app = 0; app < kApps; ++app) {
    for (const auto& record : store->targets(app_name(app))) {
      EXPECT_EQ(emulator_.live_pages(record.remote_id).size(), 2u) << app_name(app) << record.name;
    }
  }
  for (const auto& claim : board->claims()) {
    EXPECT_EQ(claim.last_outcome, "ok") << claim.app_name << "/" << claim.target_name;
  }
  EXPECT_EQ(board->claims().size(), static_cast<std::size_t>(kApps * kTargetsPerApp));
}

// Every config is read before the first claim: one the worker cannot serve (its token variable is
// not set) stops it at once, naming the config, before any target is registered or any request
// sent.
TEST_F(WorkerTest, AConfigWithoutItsTokenStopsTheWorkerBeforeAnyClaimNamingIt) {
  std::filesystem::create_directories(dir_.file("bad"));
  {
    std::ifstream good(dir_.file("configs/app0.toml"));
    std::string text((std::istreambuf_iterator<char>(good)), std::istreambuf_iterator<char>());
    text.replace(text.find("WORKER_TEST_TOKEN"), 17, "WORKER_TEST_NO_SUCH_TOKEN");
    std::ofstream(dir_.file("bad/app0.toml")) << text;
  }
  WorkerProcess worker({"worker", "--state", state_, "--config", dir_.file("configs/app1.toml"),
                        "--config", dir_.file("bad/app0.toml"), "--once"},
                       dir_.file("worker"));
  ASSERT_EQ(worker.wait_until(Clock::now() + seconds(30)), 2) << worker.output();
  EXPECT_NE(worker.output().find(dir_.file("bad/app0.toml") + ": "), std::string::npos)
      << worker.output();
  EXPECT_NE(worker.output().find("WORKER_TEST_NO_SUCH_TOKEN"), std::string::npos)
      << worker.output();
  EXPECT_TRUE(WorkerBoard::open(state_)->claims().empty());
  EXPECT_EQ(emulator_.total_requests(), 0u);
}

TEST_F(WorkerTest, ATargetLockedElsewhereWaitsAndIsSyncedOnceTheLockIsFree) {
  auto store = PostgresStateStore::open(state_);
  auto board = WorkerBoard::open(state_);
  // As a worker whose claim expired while it was still syncing would hold it.
  auto held = store->lock_target("app0", "t0");
  WorkerProcess worker({"worker", "--state", state_, "--config", dir_.file("configs/app0.toml"),
                        "--once", "--lease", "1", "--interval", "3600"},
                       dir_.file("worker"));
  bool found_busy = false;
  const auto deadline = Clock::now() + seconds(30);
  while (!found_busy && Clock::now() < deadline) {
    for (const auto& claim : board->claims()) {
      found_busy |= claim.target_name == "t0" && claim.last_outcome == "busy";
    }
    if (!found_busy) std::this_thread::sleep_for(milliseconds(10));
  }
  ASSERT_TRUE(found_busy) << worker.output();
  const std::int64_t released_at_ms = server_now_ms();
  held.reset();
  ASSERT_EQ(worker.wait_until(Clock::now() + seconds(30)), 0) << worker.output();

  std::vector<WorkerRun> t0_runs;
  for (const auto& run : board->worker_runs()) {
    if (run.target_name == "t0") t0_runs.push_back(run);
  }
  ASSERT_EQ(t0_runs.size(), 1u);
  EXPECT_GE(t0_runs[0].started_at_ms, released_at_ms);  // never while the lock was held elsewhere
  EXPECT_EQ(t0_runs[0].outcome, "ok");
  EXPECT_EQ(emulator_.live_pages(store->targets("app0").at(0).remote_id).size(),
            static_cast<std::size_t>(rows_of(0, 0)));
}

// A plain `sync` of an app that workers also serve holds each target's lock too: it stops, naming
// the target, while a worker holds one, and runs once the worker is done.
TEST_F(WorkerTest, APlainSyncWaitsForATargetAWorkerHolds) {
  auto store = PostgresStateStore::open(state_);
  auto held = store->lock_target("app0", "t1");  // as a worker syncing t1 holds it
  {
    WorkerProcess sync({"sync", "--no-progress", "--config", dir_.file("configs/app0.toml")},
                       dir_.file("sync-blocked"));
    ASSERT_EQ(sync.wait_until(Clock::now() + seconds(60)), 4) << sync.output();
    EXPECT_NE(sync.output().find("target 't1' of app 'app0' is being synced by"), std::string::npos)
        << sync.output();
  }
  EXPECT_TRUE(store->targets("app0").empty());  // nothing was synced, not even t0
  held.reset();
  WorkerProcess sync({"sync", "--no-progress", "--config", dir_.file("configs/app0.toml")},
                     dir_.file("sync"));
  ASSERT_EQ(sync.wait_until(Clock::now() + seconds(60)), 0) << sync.output();
  EXPECT_EQ(store->targets("app0").size(), static_cast<std::size_t>(kTargetsPerApp));
}

TEST_F(WorkerTest, SigtermFinishesTheCurrentTargetThenExitsAndStatusShowsTheClaims) {
  // Without --once: the worker would wait for the next due time.
  WorkerProcess worker({"worker", "--state", state_, "--config", dir_.file("configs"), "--lease",
                        "2", "--interval", "3600"},
                       dir_.file("worker"));
  auto store = PostgresStateStore::open(state_);
  auto board = WorkerBoard::open(state_);
  bool mid_run = false;
  const auto deadline = Clock::now() + seconds(30);
  while (!mid_run && Clock::now() < deadline) {
    const auto workers = board->workers();
    mid_run = !workers.empty() && !workers[0].current_target.empty();
    if (!mid_run) std::this_thread::sleep_for(milliseconds(10));
  }
  ASSERT_TRUE(mid_run) << worker.output();
  ::kill(worker.pid(), SIGTERM);
  const auto exit_code = worker.wait_until(Clock::now() + seconds(30));
  ASSERT_TRUE(exit_code) << worker.output();
  EXPECT_EQ(*exit_code, 0) << worker.output();

  const auto runs = board->worker_runs();
  ASSERT_FALSE(runs.empty());
  EXPECT_LT(runs.size(), static_cast<std::size_t>(kApps * kTargetsPerApp));
  for (const auto& run : runs) {
    EXPECT_NE(run.finished_at_ms, 0) << run.app_name << "/" << run.target_name;
    EXPECT_EQ(run.outcome, "ok") << run.app_name << "/" << run.target_name;
  }
  EXPECT_TRUE(board->workers().empty());  // a worker that stops cleanly removes itself

  WorkerProcess status({"--config", dir_.file("configs/app0.toml"), "status"}, dir_.file("status"));
  ASSERT_EQ(status.wait_until(Clock::now() + seconds(30)), 0) << status.output();
  const std::string output = status.output();
  EXPECT_NE(output.find("none running"), std::string::npos) << output;
  EXPECT_NE(output.find("app0/t0"), std::string::npos) << output;
  EXPECT_NE(output.find("app3/t2"), std::string::npos) << output;
  EXPECT_EQ(output.find(PostgresCluster::password()), std::string::npos) << output;
}

TEST_F(WorkerTest, StatusShowsARunningWorkerAndItsProgress) {
  WorkerProcess worker({"worker", "--state", state_, "--config", dir_.file("configs"), "--once",
                        "--lease", "2", "--interval", "3600"},
                       dir_.file("worker"));
  const auto deadline = Clock::now() + seconds(30);
  std::string output;
  // Status is read until it shows the worker on a target (a bounded number of tries).
  while (Clock::now() < deadline) {
    WorkerProcess json({"--config", dir_.file("configs/app0.toml"), "--json", "status"},
                       dir_.file("status"));
    ASSERT_EQ(json.wait_until(Clock::now() + seconds(30)), 0) << json.output();
    output = json.output();
    if (output.find("\"current_target\": \"t") != std::string::npos) break;
  }
  EXPECT_NE(output.find("\"current_app\": \"app"), std::string::npos) << output;
  EXPECT_NE(output.find("\"progress_total\""), std::string::npos) << output;
  EXPECT_NE(output.find("\"claims\""), std::string::npos) << output;
  ASSERT_EQ(worker.wait_until(Clock::now() + seconds(45)), 0) << worker.output();
}

}  // namespace
}  // namespace notionsync::testing
