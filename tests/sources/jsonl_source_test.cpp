#include "notionsync/sources/jsonl_source.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

TEST(JsonlSourceTest, MapsJsonValuesToValues) {
  TempDir dir;
  const std::string path = write_file(
      dir, "e.jsonl",
      R"({"name":"Ada","age":36,"score":9.5,"admin":true,"note":null,"tags":["a",1,[2.5]]})"
      "\n");
  auto source = open_jsonl(path);
  const auto records = read_all(*source);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_THAT(records[0].errors, IsEmpty());
  EXPECT_EQ(records[0].origin, path + ":1");
  EXPECT_EQ(records[0].row, (Row{{"name", "Ada"},
                                 {"age", 36},
                                 {"score", 9.5},
                                 {"admin", true},
                                 {"note", nullptr},
                                 {"tags", Value::List{"a", 1, Value::List{2.5}}}}));
  EXPECT_EQ(records[0].row.find("age")->type(), Value::Type::integer);
  EXPECT_EQ(records[0].row.find("score")->type(), Value::Type::real);
}

TEST(JsonlSourceTest, ColumnsAreKeysInTheOrderFirstSeen) {
  TempDir dir;
  auto source = open_jsonl(write_file(dir, "e.jsonl", "{\"b\":1,\"a\":2}\n{\"c\":3,\"a\":4}\n"));
  EXPECT_THAT(source->columns(), IsEmpty());
  const auto records = read_all(*source);
  EXPECT_THAT(source->columns(), ElementsAre("b", "a", "c"));
  EXPECT_EQ(records[1].row.find("b"), nullptr);
}

TEST(JsonlSourceTest, BadLinesAreErrorsAndReadingGoesOn) {
  TempDir dir;
  const std::string path = write_file(dir, "e.jsonl",
                                      "{\"id\":1}\r\n"
                                      "\n"
                                      "   \n"
                                      "{\"id\":2,\n"
                                      "[1,2]\n"
                                      "{\"id\":3,\"address\":{\"city\":\"Paris\"},\"x\":1}\n"
                                      "{\"id\":18446744073709551615}\n"
                                      "{\"id\":\"bad \xFF\"}\n"
                                      "\"text\"\n"
                                      "{\"id\":4}");
  const auto records = read_all(*open_jsonl(path));
  ASSERT_EQ(records.size(), 8u);
  EXPECT_EQ(records[0].origin, path + ":1");
  EXPECT_EQ(records[0].row, (Row{{"id", 1}}));
  EXPECT_EQ(records[1].origin, path + ":4");
  EXPECT_EQ(records[3].row, (Row{{"id", 3}, {"x", 1}}));
  EXPECT_EQ(records[7].origin, path + ":10");
  EXPECT_EQ(records[7].row, (Row{{"id", 4}}));
  const auto errors = all_errors(records);
  ASSERT_EQ(errors.size(), 6u);
  EXPECT_THAT(errors[0], HasSubstr(path + ":4: malformed JSON at column 9: syntax error"));
  EXPECT_EQ(errors[1], path + ":5: expected a JSON object, found an array");
  EXPECT_EQ(errors[2], path + ":6, column 'address': nested objects are not supported");
  EXPECT_EQ(
      errors[3],
      path + ":7, column 'id': integer 18446744073709551615 is out of range (beyond 2^63 - 1)");
  EXPECT_THAT(errors[4], HasSubstr(path + ":8: malformed JSON"));
  EXPECT_EQ(errors[5], path + ":9: expected a JSON object, found a string");
}

TEST(JsonlSourceTest, NestedObjectInsideAnArrayIsAnErrorForTheColumn) {
  TempDir dir;
  const std::string path = write_file(dir, "e.jsonl", "{\"tags\":[\"a\",{\"b\":1}],\"id\":1}\n");
  const auto records = read_all(*open_jsonl(path));
  ASSERT_EQ(records.size(), 1u);
  EXPECT_THAT(all_errors(records),
              ElementsAre(path + ":1, column 'tags': nested objects are not supported"));
  EXPECT_EQ(records[0].row, (Row{{"id", 1}}));
}

TEST(JsonlSourceTest, RepeatedKeyIsAnErrorForThatColumn) {
  TempDir dir;
  const std::string path =
      write_file(dir, "e.jsonl", "{\"id\":1,\"a\":{\"x\":1,\"x\":2},\"id\":2,\"b\":3}\n");
  const auto records = read_all(*open_jsonl(path));
  ASSERT_EQ(records.size(), 1u);
  EXPECT_THAT(all_errors(records), ElementsAre(path + ":1, column 'id': the key appears twice",
                                               path + ":1, column 'a': nested objects are not "
                                                      "supported"));
  EXPECT_EQ(records[0].row, (Row{{"b", 3}}));
}

TEST(JsonlSourceTest, ByteOrderMarkIsDropped) {
  TempDir dir;
  const auto records =
      read_all(*open_jsonl(write_file(dir, "e.jsonl", "\xEF\xBB\xBF{\"id\":1}\n")));
  ASSERT_EQ(records.size(), 1u);
  EXPECT_THAT(records[0].errors, IsEmpty());
}

TEST(JsonlSourceTest, MissingFileThrowsNamingIt) {
  TempDir dir;
  try {
    open_jsonl(dir.file("nope.jsonl"));
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::invalid_argument);
    EXPECT_THAT(error.what(), HasSubstr("cannot open " + dir.file("nope.jsonl")));
  }
}

}  // namespace
}  // namespace notionsync::sources
