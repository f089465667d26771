// The PostgreSQL query source against a real, throw-away server
// (tests/support/postgres_cluster.hpp). If the server cannot be started these tests fail with the
// reason: they never pass without one.
#include "notionsync/postgres/query_source.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "notionsync/core/app.hpp"
#include "notionsync/core/error.hpp"
#include "notionsync/core/sqlite_state_store.hpp"
#include "sources/source_test_helpers.hpp"
#include "support/postgres_cluster.hpp"
#include "support/recording_target.hpp"

namespace notionsync::sources {
namespace {

using notionsync::testing::PostgresCluster;
using testing::all_errors;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using testing::read_all;

// What a message naming the test role's URL may show of it: the password masked.
std::string masked_url_prefix() {
  return "postgresql://" + PostgresCluster::role() + ":***@127.0.0.1:";
}

class PostgresQuerySourceTest : public ::testing::Test {
 protected:
  // One server per test binary, shared with nothing else (CTest runs each test in its own process).
  void SetUp() override {
    try {
      cluster_ = &notionsync::testing::shared_postgres_cluster();
    } catch (const std::exception& error) {
      FAIL() << "cannot start a PostgreSQL server for the test: " << error.what();
    }
  }

  PostgresCluster& cluster() { return *cluster_; }

 private:
  PostgresCluster* cluster_ = nullptr;
};

TEST_F(PostgresQuerySourceTest, MapsColumnTypesToValues) {
  cluster().execute(
      "CREATE TABLE people (id int4, small int2, big int8, active bool, score float8, "
      "ratio float4, price numeric(10,2), name text, code varchar(8), initials char(3), "
      "born date, seen timestamp, changed timestamptz, tags text[], lucky int[], "
      "uuid uuid, data jsonb);"
      "INSERT INTO people VALUES (1, 2, 9007199254740993, true, 9.5, 0.25, 19.99, 'Zoë', 'AB', "
      "'ab', '1815-12-10', '2026-11-25 03:04:05.678901', '2026-11-25 09:00:00+02', "
      "'{math,\"poetry, verse\",NULL}', '{7,13}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', "
      "'{\"k\": 1}');"
      "INSERT INTO people (id) VALUES (2);");
  auto source = open_postgres_query(cluster().url(), "SELECT * FROM people ORDER BY id;");
  EXPECT_THAT(source->columns(),
              ElementsAre("id", "small", "big", "active", "score", "ratio", "price", "name", "code",
                          "initials", "born", "seen", "changed", "tags", "lucky", "uuid", "data"));
  const auto records = read_all(*source);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_THAT(all_errors(records), IsEmpty());
  EXPECT_EQ(records[0].origin, "query row 1");
  EXPECT_EQ(records[0].row, (Row{{"id", 1},
                                 {"small", 2},
                                 {"big", 9007199254740993},
                                 {"active", true},
                                 {"score", 9.5},
                                 {"ratio", 0.25},
                                 {"price", 19.99},
                                 {"name", "Zoë"},
                                 {"code", "AB"},
                                 {"initials", "ab "},
                                 {"born", Date{1815, 12, 10}},
                                 {"seen", DateTime{{2026, 11, 25}, 3, 4, 5, 678, std::nullopt}},
                                 {"changed", DateTime{{2026, 11, 25}, 7, 0, 0, 0, 0}},
                                 {"tags", Value::List{"math", "poetry, verse", Value()}},
                                 {"lucky", Value::List{7, 13}},
                                 {"uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
                                 {"data", "{\"k\": 1}"}}));
  EXPECT_EQ(records[0].row.find("big")->type(), Value::Type::integer);
  EXPECT_EQ(records[1].origin, "query row 2");
  for (const Field& field : records[1].row.fields()) {
    if (field.name != "id") {
      EXPECT_TRUE(field.value.is_null()) << field.name;
    }
  }
}

TEST_F(PostgresQuerySourceTest, NumericBecomesIntegerDoubleOrExactText) {
  auto source = open_postgres_query(
      cluster().url(),
      "SELECT 42::numeric AS whole, 1.50::numeric AS decimal, "
      "123456789012345678.9::numeric AS precise, 99999999999999999999::numeric AS huge");
  const auto records = read_all(*source);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].row, (Row{{"whole", 42},
                                 {"decimal", 1.5},
                                 {"precise", "123456789012345678.9"},
                                 {"huge", "99999999999999999999"}}));
}

TEST_F(PostgresQuerySourceTest, UnreadableValuesAreErrorsForTheirColumnOnly) {
  auto source = open_postgres_query(
      cluster().url(),
      "SELECT n, CASE WHEN n = 2 THEN 'NaN'::float8 ELSE n END AS score, "
      "CASE WHEN n = 3 THEN 'infinity'::date ELSE '2026-01-01'::date END AS day, "
      "CASE WHEN n = 3 THEN '\\x00ff'::bytea END AS photo, "
      "CASE WHEN n = 4 THEN ARRAY[[1,2],[3,4]] END AS grid "
      "FROM generate_series(1, 5) AS n");
  const auto records = read_all(*source);
  ASSERT_EQ(records.size(), 5u);
  EXPECT_THAT(all_errors(records),
              ElementsAre("query row 2, column 'score': \"NaN\" is not a finite number",
                          "query row 3, column 'day': \"infinity\" is outside the dates "
                          "notionsync supports (years 1 to 9999)",
                          "query row 3, column 'photo': bytea values are not supported; select "
                          "text or a number instead",
                          "query row 4, column 'grid': multi-dimensional arrays are not "
                          "supported"));
  EXPECT_EQ(records[2].row, (Row{{"n", 3}, {"score", 3.0}, {"grid", nullptr}}));
  EXPECT_THAT(records[4].errors, IsEmpty());
}

TEST_F(PostgresQuerySourceTest, LargeResultsAreFetchedInBatches) {
  // More rows than several fetch batches, with an exact multiple of the batch size at the end.
  auto source = open_postgres_query(
      cluster().url(), "SELECT n, 'row ' || n AS label FROM generate_series(1, 1500) n");
  std::size_t count = 0;
  while (auto record = source->next()) {
    ++count;
    ASSERT_EQ(record->origin, "query row " + std::to_string(count));
    ASSERT_EQ(record->row,
              (Row{{"n", static_cast<int>(count)}, {"label", "row " + std::to_string(count)}}));
  }
  EXPECT_EQ(count, 1500u);
  EXPECT_EQ(source->next(), std::nullopt);
}

TEST_F(PostgresQuerySourceTest, RowsArriveBeforeTheWholeResultIsComputed) {
  // Row 1200 divides by zero. A source that ran the whole query first would fail at open; a
  // streaming one hands out the rows of the batches before it, then reports the failure.
  auto source = open_postgres_query(
      cluster().url(), "SELECT n, 1 / (n - 1200) AS q FROM generate_series(1, 1500) AS n");
  std::size_t count = 0;
  try {
    while (source->next()) ++count;
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::invalid_argument);
    EXPECT_THAT(error.what(), HasSubstr("failed after 1000 rows: ERROR:  division by zero"));
  }
  EXPECT_EQ(count, 1000u);
}

TEST_F(PostgresQuerySourceTest, EmptyResultStillHasColumns) {
  auto source = open_postgres_query(cluster().url(), "SELECT 1 AS a, 'x' AS b WHERE false");
  EXPECT_THAT(source->columns(), ElementsAre("a", "b"));
  EXPECT_EQ(source->next(), std::nullopt);
}

TEST_F(PostgresQuerySourceTest, FailuresNameQueryAndServerMessageButNotThePassword) {
  struct Case {
    std::string sql;
    std::string message_part;
  };
  const Case cases[] = {
      {"SELECT * FROM no_such_table", "relation \"no_such_table\" does not exist"},
      {"SELEKT 1", "syntax error"},
      {"SELECT 1 AS a, 2 AS a", "two result columns are named \"a\""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.sql);
    try {
      open_postgres_query(cluster().url(), c.sql);
      ADD_FAILURE() << "expected an Error";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::invalid_argument);
      EXPECT_THAT(error.what(), HasSubstr(c.message_part));
      EXPECT_THAT(error.what(), HasSubstr("(query: " + c.sql + ")"));
      EXPECT_THAT(error.what(), HasSubstr(masked_url_prefix()));
      EXPECT_THAT(error.what(), Not(HasSubstr(PostgresCluster::password())));
      EXPECT_THAT(error.what(), Not(HasSubstr("s3cret")));
    }
  }
}

TEST_F(PostgresQuerySourceTest, QueriesRunReadOnly) {
  cluster().execute("CREATE SEQUENCE counter; CREATE TABLE audit (a int);");
  try {
    read_all(*open_postgres_query(cluster().url(), "SELECT nextval('counter') AS n"));
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("read-only transaction"));
  }
  EXPECT_THROW(open_postgres_query(cluster().url(), "INSERT INTO audit VALUES (1)"), Error);
}

// These two stop their server, so each starts one of its own.
TEST(PostgresQuerySourceConnectionTest, RefusedConnectionNamesTheServerNotThePassword) {
  auto cluster = PostgresCluster::start();
  const std::string url = cluster->url();
  EXPECT_EQ(read_all(*open_postgres_query(url, "SELECT 1 AS one")).size(), 1u);
  cluster->stop();
  try {
    open_postgres_query(url, "SELECT 1");
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::remote);
    EXPECT_THAT(error.what(), HasSubstr("cannot connect to PostgreSQL at " + masked_url_prefix()));
    EXPECT_THAT(error.what(), HasSubstr("Connection refused"));
    EXPECT_THAT(error.what(), Not(HasSubstr("s3cret")));
  }
}

// A query over a table someone emptied yields no row, like a table whose rows were deleted: the
// engine's removal guard refuses the sync instead of removing every row it tracks.
TEST_F(PostgresQuerySourceTest, AnEmptiedTableRemovesNothing) {
  cluster().execute(
      "CREATE TABLE emptied (email text, name text);"
      "INSERT INTO emptied VALUES ('ada@example.com', 'Ada'), ('grace@example.com', 'Grace'),"
      "('alan@example.com', 'Alan');");
  notionsync::testing::TempDir dir;
  const auto store = SqliteStateStore::open(dir.file("state.db"));
  notionsync::testing::FakeRemote remote;
  std::size_t calls = 0;
  const auto sync_the_query = [&] {
    App app("emptied", *store);
    auto driver = std::make_unique<notionsync::testing::RecordingTarget>(
        remote, notionsync::testing::test_settings({"email"}));
    const auto& recording = *driver;
    TargetHandle& target = app.add_target("people", std::move(driver));
    auto source = open_postgres_query(cluster().url(), "SELECT email, name FROM emptied");
    while (auto record = source->next()) target.declare(record->row, record->origin);
    SyncReport report = app.sync();
    calls = recording.calls.size();
    return report;
  };
  ASSERT_TRUE(sync_the_query().ok());
  ASSERT_EQ(remote.live_count(), 3u);
  cluster().execute("DELETE FROM emptied;");
  const SyncReport report = sync_the_query();
  EXPECT_TRUE(report.refused());
  EXPECT_EQ(report.targets.at(0).removal_check.removals, 3u);
  EXPECT_EQ(calls, 0u);
  EXPECT_EQ(remote.live_count(), 3u);
}

TEST(PostgresClusterTest, StopsTheServerAndDeletesItsFolder) {
  auto cluster = PostgresCluster::start();
  const std::filesystem::path folder = cluster->directory();
  ASSERT_TRUE(std::filesystem::exists(folder));
  cluster->execute("SELECT 1");
  cluster->stop();
  cluster->stop();  // twice is harmless
  EXPECT_ANY_THROW(cluster->execute("SELECT 1"));
  cluster.reset();
  EXPECT_FALSE(std::filesystem::exists(folder));
}

}  // namespace
}  // namespace notionsync::sources
