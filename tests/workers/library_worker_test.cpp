// Worker, the library's: a program serves typed and Row databases from a PostgreSQL state store,
// declaring each database's rows in its callback when it runs, alone or beside another worker.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "library/task.hpp"
#include "notionsync/postgres/state_store.hpp"
#include "notionsync/postgres/worker.hpp"
#include "support/postgres_cluster.hpp"
#include "target/backend.hpp"

namespace notionsync::testing {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

DatabaseSchema tag_schema() {
  DatabaseSchema schema;
  schema.add({.name = "Name", .type = notion::PropertyType::title});
  schema.key("Name");
  return schema;
}

class LibraryWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string url = shared_postgres_cluster().url();
    state_ = url + (url.find('?') == std::string::npos ? "?" : "&") + "schema=library_worker_" +
             std::to_string(++schemas_);
  }

  WorkerSettings settings(milliseconds interval = hours(1)) {
    WorkerSettings settings;
    settings.state = state_;
    settings.lease = std::chrono::seconds(30);
    settings.interval = interval;
    settings.once = true;
    settings.on_run = [this](const WorkerRunReport& run) {
      std::lock_guard guard(runs_mutex_);
      runs_.push_back(run);
    };
    return settings;
  }

  WorkerAppSettings app_settings(const std::string& app = "project") {
    WorkerAppSettings settings;
    settings.token = emulator_.token();
    settings.app = app;
    settings.notion.base_url = emulator_.base_url();
    settings.notion.rate = {1000.0, 1000.0};  // the limiter is tested elsewhere
    return settings;
  }

  NewDatabase new_database(const std::string& title) {
    return NewDatabase{.parent_page = emulator_.parent_page_id(), .title = title};
  }

  // Tasks (typed) and Tags (rows) of app "project", each callback counting its calls in `calls`.
  void serve_project(Worker& worker, std::map<std::string, int>& calls) {
    WorkerApp& app = worker.app(app_settings());
    app.database(task_schema(), new_database("Tasks"), {}, [&calls](Database<Task>& tasks) {
      ++calls["Tasks"];
      tasks.declare({"Write", 3});
      tasks.declare({"Ship", calls["Tasks"] == 1 ? 1 : 2});  // changed from the second run on
      tasks.declare({"Test", 2});
    });
    app.database(tag_schema(), new_database("Tags"), {}, [&calls](Database<Row>& tags) {
      ++calls["Tags"];
      tags.declare(Row{{"Name", Value("urgent")}});
      tags.declare(Row{{"Name", Value("later")}});
    });
  }

  std::string state_;
  EmulatorBackend emulator_;
  std::mutex runs_mutex_;
  std::vector<WorkerRunReport> runs_;
  static inline int schemas_ = 0;
};

TEST_F(LibraryWorkerTest, AProgramServesTypedAndRowDatabasesEachDeclaredWhenItRuns) {
  Worker worker(settings());
  std::map<std::string, int> calls;
  serve_project(worker, calls);
  EXPECT_EQ(calls.size(), 0u);  // nothing is read before it is due
  ASSERT_TRUE(worker.run());

  ASSERT_EQ(runs_.size(), 2u);
  for (const auto& run : runs_) {
    EXPECT_EQ(run.app, "project");
    EXPECT_EQ(run.worker_id, worker.id());
    EXPECT_EQ(run.outcome, "ok") << run.database;
    ASSERT_TRUE(run.report) << run.database;
    ASSERT_EQ(run.report->targets.size(), 1u);  // each run syncs its database only
    EXPECT_EQ(run.report->targets[0].target_name, run.database);
  }
  EXPECT_EQ(calls["Tasks"], 1);
  EXPECT_EQ(calls["Tags"], 1);
  EXPECT_EQ(emulator_.count("POST", "/v1/pages"), 5u);

  auto store = PostgresStateStore::open(state_);
  std::map<std::string, std::string> data_sources;
  for (const auto& record : store->targets("project")) data_sources[record.name] = record.remote_id;
  EXPECT_EQ(emulator_.live_pages(data_sources.at("Tasks")).size(), 3u);
  EXPECT_EQ(emulator_.live_pages(data_sources.at("Tags")).size(), 2u);
  for (const auto& claim : worker.board().claims()) {
    EXPECT_EQ(claim.last_outcome, "ok") << claim.target_name;
    EXPECT_TRUE(claim.claimed_by.empty()) << claim.target_name;
  }
  EXPECT_TRUE(worker.board().workers().empty());  // it stopped cleanly
}

// Each run of a database is a round of its own: the second run of Tasks declares one changed
// record and writes that page alone; Tags, unchanged, writes nothing.
TEST_F(LibraryWorkerTest, EachRunWritesOnlyWhatChangedSinceTheLast) {
  WorkerSettings looping = settings(/*interval=*/milliseconds(0));  // due again at once
  Worker* self = nullptr;
  looping.on_run = [&](const WorkerRunReport& run) {
    runs_.push_back(run);
    if (runs_.size() == 2) emulator_.reset_counts();  // both created
    if (runs_.size() == 4) self->stop();              // both ran again
  };
  Worker worker(std::move(looping));
  self = &worker;
  std::map<std::string, int> calls;
  serve_project(worker, calls);
  ASSERT_TRUE(worker.run());

  ASSERT_EQ(runs_.size(), 4u);
  EXPECT_EQ(calls["Tasks"], 2);
  EXPECT_EQ(calls["Tags"], 2);
  EXPECT_EQ(emulator_.count("POST", "/v1/pages"), 0u);
  EXPECT_EQ(emulator_.count("PATCH", "/v1/pages"), 1u);
  for (std::size_t i = 2; i < 4; ++i) {
    const TargetReport& target = runs_[i].report->targets.at(0);
    EXPECT_EQ(target.updated, runs_[i].database == "Tasks" ? 1u : 0u) << runs_[i].database;
    EXPECT_EQ(target.created + target.trashed, 0u) << runs_[i].database;
  }
}

// A source that fails fails its database's run, recorded as its outcome; the other database still
// syncs, and the worker reports that not every run was ok.
TEST_F(LibraryWorkerTest, ACallbackThatThrowsFailsItsRunNotTheWorker) {
  Worker worker(settings());
  WorkerApp& app = worker.app(app_settings());
  app.database(task_schema(), new_database("Tasks"), {}, [](Database<Task>& tasks) {
    tasks.declare({"Write", 3});
    throw std::runtime_error("tasks.csv: cannot be read");
  });
  app.database(tag_schema(), new_database("Tags"), {}, [](Database<Row>& tags) {
    tags.declare(Row{{"Name", Value("urgent")}});
  });
  EXPECT_FALSE(worker.run());
  std::map<std::string, std::string> outcomes;
  for (const auto& run : runs_) outcomes[run.database] = run.outcome;
  EXPECT_EQ(outcomes["Tasks"], "failed: tasks.csv: cannot be read");
  EXPECT_EQ(outcomes["Tags"], "ok");
  EXPECT_EQ(emulator_.count("POST", "/v1/pages"), 1u);  // the tag; no task was written
  for (const auto& claim : worker.board().claims()) {
    EXPECT_EQ(claim.last_outcome, outcomes[claim.target_name]) << claim.target_name;
  }
}

// Two workers in one program share the databases: each is synced once, by one of them.
TEST_F(LibraryWorkerTest, TwoWorkersShareTheDatabasesAndSyncEachOnce) {
  std::map<std::string, int> first_calls, second_calls;
  Worker first(settings());
  Worker second(settings());
  serve_project(first, first_calls);
  serve_project(second, second_calls);
  bool second_ok = false;
  std::thread beside([&] { second_ok = second.run(); });
  const bool first_ok = first.run();
  beside.join();
  EXPECT_TRUE(first_ok);
  EXPECT_TRUE(second_ok);
  EXPECT_EQ(first_calls["Tasks"] + second_calls["Tasks"], 1);
  EXPECT_EQ(first_calls["Tags"] + second_calls["Tags"], 1);
  EXPECT_EQ(runs_.size(), 2u);
  EXPECT_EQ(emulator_.count("POST", "/v1/pages"), 5u);
  EXPECT_EQ(first.board().worker_runs().size(), 2u);
}

TEST_F(LibraryWorkerTest, SettingsAndDatabasesAreCheckedBeforeAnythingRuns) {
  const auto kind_of = [](const std::function<void()>& call) {
    try {
      call();
    } catch (const Error& error) {
      return error.kind();
    }
    return ErrorKind::internal;  // no error
  };
  WorkerSettings sqlite = settings();
  sqlite.state = "sqlite:state.db";
  EXPECT_EQ(kind_of([&] { Worker worker(sqlite); }), ErrorKind::invalid_argument);
  WorkerSettings no_lease = settings();
  no_lease.lease = milliseconds(0);
  EXPECT_EQ(kind_of([&] { Worker worker(no_lease); }), ErrorKind::invalid_argument);

  Worker worker(settings());
  EXPECT_EQ(kind_of([&] { worker.run(); }), ErrorKind::invalid_argument);  // nothing to serve
  WorkerAppSettings no_token = app_settings("other");
  no_token.token = Token();
  EXPECT_EQ(kind_of([&] { worker.app(no_token); }), ErrorKind::invalid_argument);
  WorkerApp& app = worker.app(app_settings());
  EXPECT_EQ(kind_of([&] { worker.app(app_settings()); }), ErrorKind::invalid_argument);  // twice
  Database<Task> tasks = app.database(task_schema(), new_database("Tasks"), {}, [](auto&) {});
  EXPECT_EQ(kind_of([&] { app.database(task_schema(), new_database("Tasks"), {}, [](auto&) {}); }),
            ErrorKind::invalid_argument);  // the same name
  // Rows are declared in the callback, when the database runs.
  EXPECT_EQ(kind_of([&] { tasks.declare({"Write", 1}); }), ErrorKind::invalid_argument);
  EXPECT_EQ(app.databases(), std::vector<std::string>{"Tasks"});
  EXPECT_EQ(emulator_.total_requests(), 0u);
}

}  // namespace
}  // namespace notionsync::testing
