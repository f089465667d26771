// What only the PostgreSQL store does: URLs refused without quoting them, schemas, target locks,
// the holder's host in lock messages, concurrent first-time migration.
#include <gtest/gtest.h>
#include <unistd.h>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

#include <chrono>
#include <cstdio>
#include <pqxx/pqxx>

#include "notionsync/core/error.hpp"
#include "notionsync/core/key.hpp"
#include "notionsync/postgres/state_store.hpp"
#include "postgres/lock_names.hpp"
#include "support/postgres_cluster.hpp"
#include "support/process_run.hpp"

namespace notionsync::testing {
namespace {

std::string hostname() {
  char buffer[256] = {};
  ::gethostname(buffer, sizeof buffer - 1);
  return buffer;
}

std::string unique_schema(const std::string& stem) {
  static int count = 0;
  return stem + "_" + std::to_string(::getpid()) + "_" + std::to_string(++count);
}

PostgresStateStore::Options in_schema(const std::string& schema) {
  PostgresStateStore::Options options;
  options.schema = schema;
  return options;
}

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    try {
      cluster = &shared_postgres_cluster();
    } catch (const std::exception& error) {
      GTEST_FAIL() << "PostgreSQL test cluster unavailable: " << error.what();
    }
  }

  // Blocks until `name`'s advisory lock is free (a killed holder's session has ended).
  void wait_until_free(const std::string& name) {
    pqxx::connection connection(cluster->url());
    pqxx::nontransaction session(connection);
    session.exec("SET lock_timeout = '60s'");
    const auto key = postgres::advisory_key(name);
    session.exec_params("SELECT pg_advisory_lock($1)", key);
    session.exec_params("SELECT pg_advisory_unlock($1)", key);
  }

  PostgresCluster* cluster = nullptr;
};

TEST(PostgresConnectionUrl, RefusesOtherFormsWithoutQuotingThem) {
  for (const std::string text : {"host=db password=hunter22", "mysql://u:hunter22@h/db", "",
                                 "postgresql:/h", "postgresql://h/db?password:hunter22"}) {
    try {
      PostgresStateStore::open(text);
      ADD_FAILURE() << "accepted " << text;
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::invalid_argument);
      EXPECT_EQ(std::string(error.what()).find("hunter22"), std::string::npos) << error.what();
    }
  }
}

TEST(PostgresLockNames, AreUnambiguousAndStable) {
  EXPECT_EQ(postgres::lock_name({"app", "ops", "people"}), "3:app 3:ops 6:people");
  EXPECT_NE(postgres::lock_name({"target", "s", "a b", "c"}),
            postgres::lock_name({"target", "s", "a", "b c"}));
  // Processes on other machines compute the same key: it must never change.
  EXPECT_EQ(postgres::advisory_key(""), static_cast<std::int64_t>(14695981039346656037ull));
  EXPECT_EQ(postgres::advisory_key("a"), static_cast<std::int64_t>(0xaf63dc4c8601ec8cull));
}

TEST_F(PostgresStoreTest, AWrongPasswordIsAStateStoreErrorThatNeverShowsIt) {
  const std::string wrong = "wr0ng:p@ss/w%rd-value";
  try {
    PostgresStateStore::open(cluster->url_with_password(wrong), in_schema(unique_schema("pw")));
    FAIL() << "connected with a wrong password";
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_EQ(error.kind(), ErrorKind::state_store);
    EXPECT_EQ(message.find(wrong), std::string::npos) << message;
    EXPECT_EQ(message.find("wr0ng"), std::string::npos) << message;
    EXPECT_NE(message.find("notionsync_test:***@127.0.0.1"), std::string::npos) << message;
    EXPECT_NE(message.find("password authentication failed"), std::string::npos) << message;
  }
}

TEST_F(PostgresStoreTest, AnUnreachableServerIsAStateStoreErrorNamingTheRedactedUrl) {
  // The cluster's unix socket folder accepts no TCP: nothing listens on port 1.
  const std::string url = "postgresql://ada:hunter22@127.0.0.1:1/db?connect_timeout=5";
  try {
    PostgresStateStore::open(url);
    FAIL() << "connected to nothing";
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_EQ(error.kind(), ErrorKind::state_store);
    EXPECT_EQ(message.find("hunter22"), std::string::npos) << message;
    EXPECT_NE(message.find("postgresql://ada:***@127.0.0.1:1/db"), std::string::npos) << message;
  }
}

TEST_F(PostgresStoreTest, TheSchemaComesFromTheOptionsThenTheUrlThenTheDefault) {
  const std::string from_url = unique_schema("url");
  EXPECT_EQ(PostgresStateStore::open(cluster->url() + "&schema=" + from_url)->schema(), from_url);
  EXPECT_EQ(
      PostgresStateStore::open(cluster->url() + "&schema=" + from_url, in_schema("options_win"))
          ->schema(),
      "options_win");
  const auto default_store = PostgresStateStore::open(cluster->url());
  EXPECT_EQ(default_store->schema(), "notionsync");
  EXPECT_EQ(default_store->redacted_url().find(PostgresCluster::password()), std::string::npos);
  EXPECT_NE(default_store->redacted_url().find(":***@"), std::string::npos);
}

TEST_F(PostgresStoreTest, ASchemaNameLongerThanPostgresAllowsIsRefused) {
  try {
    PostgresStateStore::open(cluster->url(), in_schema(std::string(64, 's')));
    FAIL() << "accepted a schema name PostgreSQL would truncate";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::invalid_argument) << error.what();
  }
}

TEST_F(PostgresStoreTest, StoresInTwoSchemasShareNothing) {
  auto first = PostgresStateStore::open(cluster->url(), in_schema(unique_schema("first")));
  auto second =
      PostgresStateStore::open(cluster->url(), in_schema(unique_schema("Second \"odd\"")));
  const auto target = first->ensure_target("people", "team", "test");
  first->commit(target.id, std::vector<RowChange>{RowChange::upsert(TrackedRow{
                               "k", fingerprint_of("1", "v1"), "p", RowStatus::synced, 1})});
  EXPECT_TRUE(second->apps().empty());
  EXPECT_EQ(second->count_rows(second->ensure_target("people", "team", "test").id), 0);
  // Advisory locks are per database; the schema is part of every lock's name.
  auto lock = first->lock_app("people");
  EXPECT_NE(second->lock_app("people"), nullptr);
  auto target_lock = first->lock_target("people", "team");
  EXPECT_NE(second->try_lock_target("people", "team"), nullptr);
}

TEST_F(PostgresStoreTest, TheAppLockMessageNamesTheHoldersHost) {
  const auto schema = unique_schema("host");
  auto first = PostgresStateStore::open(cluster->url(), in_schema(schema));
  auto second = PostgresStateStore::open(cluster->url(), in_schema(schema));
  auto lock = first->lock_app("people");
  try {
    second->lock_app("people");
    FAIL() << "locked a held app";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::state_store_locked);
    EXPECT_EQ(std::string(error.what()), "app 'people' is being synced by process " +
                                             std::to_string(::getpid()) + " on " + hostname() +
                                             "; wait for it to finish or stop it");
  }
}

TEST_F(PostgresStoreTest, ATargetLockExcludesOtherSessionsAndDiesWithItsHolder) {
  const auto schema = unique_schema("target_lock");
  PostgresStateStore::open(cluster->url(), in_schema(schema));
  ForkedChild worker([&](int to_parent, int from_parent) {
    auto store = PostgresStateStore::open(cluster->url(), in_schema(schema));
    auto lock = store->lock_target("people", "team");
    signal_parent(to_parent, 'L');
    wait_for_parent(from_parent);
  });
  ASSERT_EQ(worker.wait_for_signal(), 'L');
  auto store = PostgresStateStore::open(cluster->url(), in_schema(schema));
  EXPECT_EQ(store->try_lock_target("people", "team"), nullptr);
  try {
    store->lock_target("people", "team");
    FAIL() << "locked a target held by another process";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::state_store_locked);
    EXPECT_EQ(std::string(error.what()),
              "target 'team' of app 'people' is being synced by process " +
                  std::to_string(worker.pid()) + " on " + hostname() +
                  "; wait for it to finish or stop it");
  }
  // Other targets, the same target of another app, and the app itself are other locks.
  EXPECT_NE(store->try_lock_target("people", "projects"), nullptr);
  EXPECT_NE(store->try_lock_target("other", "team"), nullptr);
  EXPECT_NE(store->lock_app("people"), nullptr);

  worker.kill_now();
  wait_until_free(postgres::lock_name({"target", schema, "people", "team"}));
  auto lock = store->try_lock_target("people", "team");
  EXPECT_NE(lock, nullptr);
  // Released by destruction: the next holder gets in at once.
  auto other_store = PostgresStateStore::open(cluster->url(), in_schema(schema));
  EXPECT_EQ(other_store->try_lock_target("people", "team"), nullptr);
  lock.reset();
  EXPECT_NE(other_store->try_lock_target("people", "team"), nullptr);
}

TEST_F(PostgresStoreTest, RefusesASchemaHoldingSomethingElse) {
  const auto schema = unique_schema("foreign");
  {
    pqxx::connection connection(cluster->url());
    pqxx::work transaction(connection);
    transaction.exec("CREATE SCHEMA " + schema);
    transaction.exec("CREATE TABLE " + schema + ".rows (id INTEGER)");
    transaction.commit();
  }
  try {
    PostgresStateStore::open(cluster->url(), in_schema(schema));
    FAIL() << "opened a schema holding other tables";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::state_store);
    EXPECT_NE(std::string(error.what()).find("not a notionsync state store"), std::string::npos)
        << error.what();
  }
}

TEST_F(PostgresStoreTest, ConcurrentFirstOpensRecordEachMigrationOnce) {
  const auto schema = unique_schema("race");
  std::vector<std::unique_ptr<ForkedChild>> children;
  int go[2];
  ASSERT_EQ(::pipe(go), 0);
  for (int i = 0; i < 6; ++i) {
    children.push_back(std::make_unique<ForkedChild>([&](int to_parent, int) {
      ::close(go[1]);
      signal_parent(to_parent, 'R');
      wait_for_parent(go[0]);
      PostgresStateStore::open(cluster->url(), in_schema(schema));
    }));
  }
  ::close(go[0]);
  for (auto& child : children) ASSERT_EQ(child->wait_for_signal(), 'R');
  ::close(go[1]);
  for (auto& child : children) EXPECT_EQ(child->wait_for_exit(), 0);
  pqxx::connection connection(cluster->url());
  pqxx::nontransaction session(connection);
  const auto versions =
      session.exec("SELECT version FROM " + schema + ".schema_migrations ORDER BY version");
  ASSERT_EQ(versions.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(versions[i][0].as<int>(), i + 1);
}

TEST_F(PostgresStoreTest, AStoreReconnectsAfterTheServerEndsItsSession) {
  const auto schema = unique_schema("reconnect");
  auto store =
      PostgresStateStore::open(cluster->url() + "&application_name=" + schema, in_schema(schema));
  store->ensure_target("people", "team", "test");
  {
    pqxx::connection admin(cluster->admin_conninfo(PostgresCluster::database()));
    pqxx::nontransaction session(admin);
    // Waits until the sessions are gone.
    const auto ended = session.exec_params(
        "SELECT pg_terminate_backend(pid, 60000) FROM pg_stat_activity "
        "WHERE application_name = $1",
        schema);
    ASSERT_EQ(ended.size(), 1u);
  }
  // The call that finds the connection dead may fail, as a state store error; the store then
  // reconnects, with its schema.
  {
#if defined(__SANITIZE_ADDRESS__)
    // libpqxx 6.4 leaks the result libpq makes for a lost connection: 2 KiB per lost connection.
    __lsan::ScopedDisabler libpqxx_leaks_here;
#endif
    try {
      store->apps();
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::state_store) << error.what();
    }
    EXPECT_EQ(store->apps(), std::vector<std::string>{"people"});
  }
  EXPECT_EQ(store->targets("people").size(), 1u);
}

// Not a test: numbers for the documentation. Run with --gtest_also_run_disabled_tests.
TEST_F(PostgresStoreTest, DISABLED_MeasureCommitAndStreamOfAMillionRows) {
  using Clock = std::chrono::steady_clock;
  const auto seconds = [](Clock::duration elapsed) {
    return std::chrono::duration<double>(elapsed).count();
  };
  auto store = PostgresStateStore::open(cluster->url(), in_schema(unique_schema("million")));
  const auto target = store->ensure_target("bench", "rows", "test");
  constexpr int kRows = 1000000;
  std::vector<RowChange> changes;
  changes.reserve(kRows);
  for (int i = 0; i < kRows; ++i) {
    const std::string key = Key{"row-" + std::to_string(i)}.encoded();
    changes.push_back(RowChange::upsert(TrackedRow{
        key, fingerprint_of(key, "v1"),
        "0b8f1c9e-6a55-4b8e-9a51-" + std::to_string(100000000000 + i), RowStatus::synced, 0}));
  }
  auto started = Clock::now();
  store->commit(target.id, changes);
  std::printf("commit 1,000,000 new rows (one transaction): %.2f s\n",
              seconds(Clock::now() - started));
  for (auto& change : changes) change.row.fingerprint = fingerprint_of(change.row.key, "v2");
  started = Clock::now();
  store->commit(target.id, changes);
  std::printf("commit 1,000,000 updated rows (one transaction): %.2f s\n",
              seconds(Clock::now() - started));
  started = Clock::now();
  std::size_t visited = 0;
  store->for_each_row(target.id, [&](TrackedRow&&) { ++visited; });
  std::printf("stream 1,000,000 rows in key order: %.2f s\n", seconds(Clock::now() - started));
  EXPECT_EQ(visited, static_cast<std::size_t>(kRows));
  started = Clock::now();
  EXPECT_EQ(store->count_rows(target.id), kRows);
  std::printf("count 1,000,000 rows: %.3f s\n", seconds(Clock::now() - started));
  started = Clock::now();
  std::vector<RowChange> erases;
  for (const auto& change : changes) erases.push_back(RowChange::erase(change.row.key));
  store->commit(target.id, erases);
  std::printf("erase 1,000,000 rows (one transaction): %.2f s\n", seconds(Clock::now() - started));
}

}  // namespace
}  // namespace notionsync::testing
