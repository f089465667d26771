#include "notionsync/sources/sqlite_query_source.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "notionsync/core/error.hpp"
#include "sources/source_test_helpers.hpp"

namespace notionsync::sources {
namespace {

using notionsync::testing::TempDir;
using testing::all_errors;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::read_all;
using testing::write_file;

// Creates a database file with `script` run in it.
std::string make_database(const TempDir& dir, const std::string& script) {
  const std::string path = dir.file("crm.db");
  sqlite3* database = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &database), SQLITE_OK);
  char* message = nullptr;
  EXPECT_EQ(sqlite3_exec(database, script.c_str(), nullptr, nullptr, &message), SQLITE_OK)
      << (message ? message : "");
  sqlite3_free(message);
  sqlite3_close(database);
  return path;
}

const char* const kPeople =
    "CREATE TABLE people (email TEXT, name TEXT, age INTEGER, score REAL, photo BLOB);"
    "INSERT INTO people VALUES ('ada@example.com', 'Ada', 36, 9.5, NULL);"
    "INSERT INTO people VALUES ('bob@example.com', NULL, NULL, 7, x'00ff');"
    "INSERT INTO people VALUES ('cy@example.com', 'Cy', '41', 1e999, NULL);";

TEST(SqliteQuerySourceTest, MapsStorageClassesToValues) {
  TempDir dir;
  auto source = open_sqlite_query(make_database(dir, kPeople),
                                  "SELECT email, name, age, score FROM people ORDER BY email");
  EXPECT_THAT(source->columns(), ElementsAre("email", "name", "age", "score"));
  const auto records = read_all(*source);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].origin, "query row 1");
  EXPECT_EQ(records[0].row,
            (Row{{"email", "ada@example.com"}, {"name", "Ada"}, {"age", 36}, {"score", 9.5}}));
  EXPECT_EQ(records[0].row.find("age")->type(), Value::Type::integer);
  EXPECT_EQ(
      records[1].row,
      (Row{{"email", "bob@example.com"}, {"name", nullptr}, {"age", nullptr}, {"score", 7.0}}));
  EXPECT_EQ(records[1].row.find("score")->type(), Value::Type::real);
  // Column affinity turned '41' into an integer.
  EXPECT_EQ(records[2].row.find("age")->type(), Value::Type::integer);
  EXPECT_THAT(all_errors(records), ElementsAre("query row 3, column 'score': not a finite number"));
}

TEST(SqliteQuerySourceTest, BlobIsAnErrorForItsColumn) {
  TempDir dir;
  const auto records = read_all(*open_sqlite_query(
      make_database(dir, kPeople), "SELECT email, photo FROM people WHERE name IS NULL"));
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].row, (Row{{"email", "bob@example.com"}}));
  EXPECT_THAT(all_errors(records),
              ElementsAre("query row 1, column 'photo': BLOB values are not supported; select a "
                          "text or number instead"));
}

TEST(SqliteQuerySourceTest, InvalidUtf8TextIsAnErrorForItsColumn) {
  TempDir dir;
  const auto records = read_all(*open_sqlite_query(make_database(dir, "CREATE TABLE t (a TEXT);"),
                                                   "SELECT CAST(x'41ff' AS TEXT) AS a, 'ok' AS b"));
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].row, (Row{{"b", "ok"}}));
  EXPECT_THAT(all_errors(records),
              ElementsAre("query row 1, column 'a': value is not valid UTF-8"));
}

TEST(SqliteQuerySourceTest, EmptyResultStillHasColumns) {
  TempDir dir;
  auto source =
      open_sqlite_query(make_database(dir, kPeople), "SELECT email AS e, age FROM people WHERE 0;");
  EXPECT_THAT(source->columns(), ElementsAre("e", "age"));
  EXPECT_EQ(source->next(), std::nullopt);
  EXPECT_EQ(source->next(), std::nullopt);
}

TEST(SqliteQuerySourceTest, StreamsManyRows) {
  TempDir dir;
  auto source = open_sqlite_query(
      make_database(dir, "CREATE TABLE t (a);"),
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) "
      "SELECT i FROM n");
  std::size_t count = 0;
  while (auto record = source->next()) {
    ++count;
    ASSERT_EQ(record->row, (Row{{"i", static_cast<int>(count)}}));
  }
  EXPECT_EQ(count, 5000u);
}

struct OpenFailure {
  std::string name;
  std::string sql;
  std::string message_part;
  bool missing_file = false;
  bool not_a_database = false;
  bool empty_path = false;
};

std::ostream& operator<<(std::ostream& out, const OpenFailure& c) {
  return out << c.name;
}

class SqliteOpenFailureTest : public ::testing::TestWithParam<OpenFailure> {};

TEST_P(SqliteOpenFailureTest, ThrowsNamingFileAndQuery) {
  const OpenFailure& c = GetParam();
  TempDir dir;
  std::string path = make_database(dir, kPeople);
  if (c.missing_file) path = dir.file("missing.db");
  if (c.not_a_database) path = write_file(dir, "notes.txt", "this is not a database file at all");
  if (c.empty_path) path.clear();
  try {
    open_sqlite_query(path, c.sql);
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::invalid_argument);
    EXPECT_THAT(error.what(), HasSubstr(path));
    EXPECT_THAT(error.what(), HasSubstr("(query: " + c.sql + ")"));
    EXPECT_THAT(error.what(), HasSubstr(c.message_part));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Failures, SqliteOpenFailureTest,
    ::testing::Values(
        OpenFailure{"MissingFile", "SELECT 1", "unable to open database file", true},
        OpenFailure{"EmptyPath", "SELECT 1", "no database file given", false, false, true},
        OpenFailure{"NotADatabase", "SELECT 1", "file is not a database", false, true},
        OpenFailure{"UnknownTable", "SELECT * FROM nowhere", "no such table: nowhere"},
        OpenFailure{"SyntaxError", "SELEKT 1", "syntax error"},
        OpenFailure{"EmptyQuery", "  ", "the query is empty"},
        OpenFailure{"TwoStatements", "SELECT 1; SELECT 2", "give one statement only"},
        OpenFailure{"Write", "DELETE FROM people", "would modify the database"},
        OpenFailure{"DuplicateColumns", "SELECT email, email FROM people",
                    "two result columns are named \"email\""}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace notionsync::sources
