// SQLite's own behaviour: the file, its migrations, file locks, kill -9 during a commit. The
// StateStore contract both stores share is tested against each in tests/state_store.
#include "notionsync/core/sqlite_state_store.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "core/sqlite/connection.hpp"
#include "core/sqlite/migrations.hpp"
#include "notionsync/core/error.hpp"
#include "notionsync/core/key.hpp"
#include "notionsync/core/plan.hpp"
#include "support/temp_dir.hpp"

namespace notionsync {
namespace {

using testing::TempDir;

TrackedRow row(const std::string& key, const std::string& payload,
               RowStatus status = RowStatus::synced) {
  return TrackedRow{Key{key}.encoded(), fingerprint_of(payload, "v1"), "page-" + key, status, 0};
}

std::vector<TrackedRow> all_rows(StateStore& store, std::int64_t target_id) {
  std::vector<TrackedRow> rows;
  store.for_each_row(target_id, [&](TrackedRow&& tracked) { rows.push_back(std::move(tracked)); });
  return rows;
}

// A child process talking to the parent through two pipes; killed if still alive at the end.
class Child {
 public:
  template <typename Body>
  explicit Child(Body body) {
    int to_parent[2];
    int to_child[2];
    if (::pipe(to_parent) != 0 || ::pipe(to_child) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::close(to_parent[0]);
      ::close(to_child[1]);
      int status = 0;
      try {
        body(to_parent[1], to_child[0]);
      } catch (...) {
        status = 3;
      }
      ::_exit(status);
    }
    ::close(to_parent[1]);
    ::close(to_child[0]);
    from_child_ = to_parent[0];
    to_child_ = to_child[1];
  }
  ~Child() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    ::close(from_child_);
    ::close(to_child_);
  }
  // Blocks until the child writes one byte.
  char wait_for_signal() const {
    char byte = 0;
    return ::read(from_child_, &byte, 1) == 1 ? byte : '\0';
  }
  void kill_now() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int from_child_ = -1;
  int to_child_ = -1;
};

void signal_parent(int fd, char byte) {
  [[maybe_unused]] auto written = ::write(fd, &byte, 1);
}
void wait_for_parent(int fd) {
  char byte = 0;
  [[maybe_unused]] auto read_bytes =
      ::read(fd, &byte, 1);  // returns when the parent kills or closes
}

TEST(SqliteStateStore, CreatesAnEmptyStoreAtTheLatestVersion) {
  TempDir dir;
  auto store = SqliteStateStore::open(dir.file("nested/state.db"));
  EXPECT_EQ(store->schema_version(), SqliteStateStore::latest_schema_version());
  EXPECT_EQ(SqliteStateStore::latest_schema_version(), 3);
  EXPECT_TRUE(store->apps().empty());
}

TEST(SqliteStateStore, MigratesAVersionOneStoreKeepingItsRows) {
  TempDir dir;
  const std::string path = dir.file("state.db");
  {
    sqlite::Connection connection(path);
    sqlite::migrate(connection, 1);
    ASSERT_EQ(sqlite::schema_version(connection), 1);
    connection.execute(
        "INSERT INTO apps (id, name, created_at) VALUES (1, 'people', 0);"
        "INSERT INTO targets (id, app_id, name, kind, remote_id, created_at) "
        "VALUES (7, 1, 'team', 'test', 'ds-1', 0);");
    const auto fingerprint = fingerprint_of("1", "v1").to_bytes();
    connection
        .prepare(
            "INSERT INTO rows (target_id, key, fingerprint, remote_id, status, updated_at) "
            "VALUES (7, 'l1:s3:Ada', ?, 'page-1', 'synced', 5)")
        .bind_blob(1, fingerprint)
        .run();
  }
  auto store = SqliteStateStore::open(path);
  EXPECT_EQ(store->schema_version(), 3);
  const auto targets = store->targets("people");
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].remote_id, "ds-1");
  EXPECT_EQ(targets[0].row_count, 1);
  EXPECT_FALSE(targets[0].last_synced_at_ms);
  const auto tracked = store->find_row(7, "l1:s3:Ada");
  ASSERT_TRUE(tracked);
  EXPECT_EQ(tracked->fingerprint, fingerprint_of("1", "v1"));
  EXPECT_EQ(tracked->remote_id, "page-1");
  // The version 2 tables work on the migrated file.
  store->record_run(RunRecord{"people", 1, 2, "ok", "{}"});
  EXPECT_EQ(store->last_run("people")->outcome, "ok");
}

TEST(SqliteStateStore, RefusesAStoreWrittenByANewerVersion) {
  TempDir dir;
  const std::string path = dir.file("state.db");
  SqliteStateStore::open(path);
  {
    sqlite::Connection connection(path);
    connection.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (99, 0)");
  }
  try {
    SqliteStateStore::open(path);
    FAIL() << "opened a newer store";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::state_store);
    EXPECT_NE(std::string(error.what()).find("newer notionsync"), std::string::npos);
  }
}

TEST(SqliteStateStore, RefusesAFileThatIsNotAStore) {
  TempDir dir;
  const std::string path = dir.file("not-a-db");
  std::ofstream(path) << "this is a text file, not a database";
  EXPECT_THROW(SqliteStateStore::open(path), Error);
}

TEST(SqliteStateStore, ASecondHolderOfAnAppGetsAClearLockedError) {
  TempDir dir;
  const std::string path = dir.file("state.db");
  SqliteStateStore::open(path);
  Child holder([&](int to_parent, int from_parent) {
    auto store = SqliteStateStore::open(path);
    auto lock = store->lock_app("people");
    signal_parent(to_parent, 'L');
    wait_for_parent(from_parent);
  });
  ASSERT_EQ(holder.wait_for_signal(), 'L');
  auto store = SqliteStateStore::open(path);
  try {
    store->lock_app("people");
    FAIL() << "locked an app held by another process";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::state_store_locked);
    EXPECT_NE(std::string(error.what())
                  .find("app 'people' is being synced by process " + std::to_string(holder.pid())),
              std::string::npos)
        << error.what();
  }
  EXPECT_NE(store->lock_app("other app/with odd name"), nullptr);
  holder.kill_now();  // the kernel releases a dead holder's lock
  EXPECT_NE(store->lock_app("people"), nullptr);
}

TEST(SqliteStateStore, TwoLocksInOneProcessConflictToo) {
  TempDir dir;
  auto first = SqliteStateStore::open(dir.file("state.db"));
  auto second = SqliteStateStore::open(dir.file("state.db"));
  auto lock = first->lock_app("people");
  EXPECT_THROW(second->lock_app("people"), Error);
  lock.reset();
  EXPECT_NE(second->lock_app("people"), nullptr);
}

TEST(SqliteStateStore, AProcessKilledInTheMiddleOfABatchCommitLeavesAConsistentStore) {
  TempDir dir;
  const std::string path = dir.file("state.db");
  std::int64_t target_id = 0;
  {
    auto store = SqliteStateStore::open(path);
    target_id = store->ensure_target("app", "t", "test").id;
    std::vector<RowChange> initial;
    for (int i = 0; i < 100; ++i) initial.push_back(RowChange::upsert(row(std::to_string(i), "A")));
    store->commit(target_id, initial);
  }
  std::vector<RowChange> batch;
  for (int i = 0; i < 1000; ++i) batch.push_back(RowChange::upsert(row(std::to_string(i), "B")));

  Child writer([&](int to_parent, int from_parent) {
    SqliteStateStore::Options options;
    options.commit_observer = [&](std::size_t rows_written) {
      if (rows_written == 500) {  // half of the batch is written, nothing committed
        signal_parent(to_parent, 'M');
        wait_for_parent(from_parent);
      }
    };
    auto store = SqliteStateStore::open(path, options);
    store->commit(target_id, batch);
    signal_parent(to_parent, 'C');
  });
  ASSERT_EQ(writer.wait_for_signal(), 'M');
  writer.kill_now();

  {
    sqlite::Connection connection(path);
    auto check = connection.prepare("PRAGMA integrity_check");
    ASSERT_TRUE(check.step());
    EXPECT_EQ(check.column_text(0), "ok");
  }
  auto store = SqliteStateStore::open(path);
  const auto rows = all_rows(*store, target_id);
  ASSERT_EQ(rows.size(), 100u);  // none of the killed batch is visible
  for (const auto& tracked : rows) EXPECT_EQ(tracked.fingerprint, fingerprint_of("A", "v1"));

  // Reconciling against the surviving state plans exactly the work the batch would have done.
  DeclaredRows declared;
  for (int i = 0; i < 1000; ++i) {
    const auto key = Key{std::to_string(i)}.encoded();
    declared.add(DeclaredRow{key, "B", fingerprint_of("B", "v1"), "row"});
  }
  const Plan plan =
      make_plan(PlanInput{"t", RemovalMode::trash, &declared, store.get(), target_id});
  EXPECT_EQ(plan.counts.update, 100u);
  EXPECT_EQ(plan.counts.create, 900u);
  store->commit(target_id, batch);
  EXPECT_EQ(store->count_rows(target_id), 1000);
}

}  // namespace
}  // namespace notionsync
