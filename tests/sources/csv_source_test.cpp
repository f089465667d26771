#include "notionsync/sources/csv_source.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

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

// A record reduced to what the tables compare: origin line and the values in column order
// ("<missing>" for an absent column).
struct Expected {
  std::size_t line;
  std::vector<std::string> values;
};

struct ParseCase {
  std::string name;
  std::string input;
  std::vector<Expected> records;
  std::vector<std::string> errors;  // to_string(RowError), "f.csv:<line>..." with the file name
  CsvOptions options = {};
};

std::ostream& operator<<(std::ostream& out, const ParseCase& c) {
  return out << c.name;
}

class CsvParseTest : public ::testing::TestWithParam<ParseCase> {};

TEST_P(CsvParseTest, ReadsRecordsWithTheirLinesAndErrors) {
  const ParseCase& c = GetParam();
  TempDir dir;
  const std::string path = write_file(dir, "f.csv", c.input);
  auto source = open_csv(path, c.options);
  const std::vector<SourceRecord> records = read_all(*source);
  ASSERT_EQ(records.size(), c.records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].origin, path + ":" + std::to_string(c.records[i].line)) << "record " << i;
    std::vector<std::string> values;
    for (const std::string& column : source->columns()) {
      const Value* value = records[i].row.find(column);
      values.push_back(value ? value->as_string() : "<missing>");
    }
    EXPECT_EQ(values, c.records[i].values) << "record " << i;
  }
  std::vector<std::string> expected_errors;
  for (const std::string& error : c.errors) expected_errors.push_back(dir.file("") + error);
  EXPECT_EQ(all_errors(records), expected_errors);
}

INSTANTIATE_TEST_SUITE_P(
    Rfc4180, CsvParseTest,
    ::testing::Values(
        ParseCase{"Plain", "a,b\n1,2\n3,4\n", {{2, {"1", "2"}}, {3, {"3", "4"}}}, {}},
        ParseCase{"NoFinalNewline", "a,b\n1,2", {{2, {"1", "2"}}}, {}},
        ParseCase{"Crlf", "a,b\r\n1,2\r\n3,4\r\n", {{2, {"1", "2"}}, {3, {"3", "4"}}}, {}},
        ParseCase{"LoneCarriageReturns",
                  "a,b\r1,2\r\"x\ry\",3\r4,5",
                  {{2, {"1", "2"}}, {3, {"x\ry", "3"}}, {5, {"4", "5"}}},
                  {}},
        ParseCase{"EmptyFieldsAreEmptyStrings", "a,b,c\n,,\n", {{2, {"", "", ""}}}, {}},
        ParseCase{"QuotedDelimiterAndDoubledQuote",
                  "a,b\n\"x, y\",\"say \"\"hi\"\"\"\n",
                  {{2, {"x, y", "say \"hi\""}}},
                  {}},
        ParseCase{"EmbeddedNewlinesKeepLineNumbers",
                  "a,b\n\"line 1\nline 2\nline 3\",x\n5,6\n\"p\r\nq\",y\r\n7,8\n",
                  {{2, {"line 1\nline 2\nline 3", "x"}},
                   {5, {"5", "6"}},
                   {6, {"p\r\nq", "y"}},
                   {8, {"7", "8"}}},
                  {}},
        ParseCase{"BlankLinesAreSkipped",
                  "a,b\n\n1,2\n\r\n\n3,4\n\n",
                  {{3, {"1", "2"}}, {6, {"3", "4"}}},
                  {}},
        ParseCase{"ByteOrderMarkIsDropped",
                  "\xEF\xBB\xBF"
                  "a,b\n1,2\n",
                  {{2, {"1", "2"}}},
                  {}},
        ParseCase{
            "QuoteInsideUnquotedFieldIsLiteral", "a,b\n5'10\",x\n", {{2, {"5'10\"", "x"}}}, {}},
        ParseCase{"QuotedEmptyField", "a,b\n\"\",x\n", {{2, {"", "x"}}}, {}},
        ParseCase{"SpacesAreKept", "a,b\n 1 , 2 \n", {{2, {" 1 ", " 2 "}}}, {}},
        ParseCase{"HeaderNamesAreTrimmed", " a ,\tb\n1,2\n", {{2, {"1", "2"}}}, {}},
        ParseCase{"Utf8Values", "name\nZoë\n日本\n", {{2, {"Zoë"}}, {3, {"日本"}}}, {}},
        ParseCase{"Semicolons",
                  "a;b\n\"1;2\";3\n",
                  {{2, {"1;2", "3"}}},
                  {},
                  CsvOptions{.delimiter = ';'}},
        ParseCase{"Tabs", "a\tb\n1\t2\n", {{2, {"1", "2"}}}, {}, CsvOptions{.delimiter = '\t'}},
        ParseCase{
            "SingleQuotes", "a,b\n'x,y',z\n", {{2, {"x,y", "z"}}}, {}, CsvOptions{.quote = '\''}}),
    [](const auto& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    BadRecords, CsvParseTest,
    ::testing::Values(
        ParseCase{"TooFewFields",
                  "a,b,c\n1,2\n4,5,6\n",
                  {{2, {"1", "2", "<missing>"}}, {3, {"4", "5", "6"}}},
                  {"f.csv:2: expected 3 fields, found 2"}},
        ParseCase{"TooManyFields",
                  "a,b\n1,2,3\n4,5\n",
                  {{2, {"1", "2"}}, {3, {"4", "5"}}},
                  {"f.csv:2: expected 2 fields, found 3"}},
        ParseCase{"InvalidUtf8NamesTheColumn",
                  "a,b\nok,bad\xC3\x28\n\xFF,fine\n3,4\n",
                  {{2, {"ok", "<missing>"}}, {3, {"<missing>", "fine"}}, {4, {"3", "4"}}},
                  {"f.csv:2, column 'b': value is not valid UTF-8 (save the file as UTF-8)",
                   "f.csv:3, column 'a': value is not valid UTF-8 (save the file as UTF-8)"}},
        ParseCase{"TextAfterClosingQuote",
                  "a,b\n\"x\"y,2\n3,4\n",
                  {{2, {"<missing>", "2"}}, {3, {"3", "4"}}},
                  {"f.csv:2, column 'a': unexpected text after the closing quote"}},
        ParseCase{"UnterminatedQuoteAtEndOfFile",
                  "a,b\n1,2\n3,\"open\n4,5\n",
                  {{2, {"1", "2"}}, {3, {"3", "<missing>"}}},
                  {"f.csv:3, column 'b': quoted field opened on line 3 is never closed before "
                   "the end of the file"}},
        ParseCase{"FieldLongerThanTheLimit",
                  "a,b\n\"0123456789\",x\nshort,y\n",
                  {{2, {"<missing>", "x"}}, {3, {"short", "y"}}},
                  {"f.csv:2, column 'a': field is longer than 8 bytes (is a quote left open?)"},
                  CsvOptions{.max_field_bytes = 8}},
        ParseCase{"MoreFieldsThanTheBound",
                  "a,b\n1,2,3,4,5\n6,7\n",
                  {{2, {"1", "2"}}, {3, {"6", "7"}}},
                  {"f.csv:2: the line has more than 3 fields (is the delimiter right?)"},
                  CsvOptions{.max_fields = 3}},
        ParseCase{"RaggedRowsInTheMiddle",
                  "a,b\n1,2\n3\n\"4\n\",5,6\n7,8\n",
                  {{2, {"1", "2"}}, {3, {"3", "<missing>"}}, {4, {"4\n", "5"}}, {6, {"7", "8"}}},
                  {"f.csv:3: expected 2 fields, found 1", "f.csv:4: expected 2 fields, found 3"}}),
    [](const auto& info) { return info.param.name; });

TEST(CsvSourceTest, ColumnsComeFromTheHeader) {
  TempDir dir;
  auto source = open_csv(write_file(dir, "p.csv", "name,email,age\n"));
  EXPECT_THAT(source->columns(), ElementsAre("name", "email", "age"));
  EXPECT_EQ(source->next(), std::nullopt);
}

TEST(CsvSourceTest, WithoutHeaderColumnsArePositionsOrGivenNames) {
  TempDir dir;
  const std::string path = write_file(dir, "p.csv", "1,2\n3,4\n");
  auto numbered = open_csv(path, {.has_header = false});
  auto first = numbered->next();
  ASSERT_TRUE(first);
  EXPECT_THAT(numbered->columns(), ElementsAre("1", "2"));
  EXPECT_EQ(first->origin, path + ":1");
  EXPECT_EQ(first->row, (Row{{"1", "1"}, {"2", "2"}}));

  auto named = open_csv(path, {.has_header = false, .column_names = {"x", "y"}});
  EXPECT_THAT(named->columns(), ElementsAre("x", "y"));
  EXPECT_EQ(read_all(*named).at(1).row, (Row{{"x", "3"}, {"y", "4"}}));
}

TEST(CsvSourceTest, RecordsAreReadOneAtATime) {
  // A file far larger than the read buffer streams through with exact line numbers.
  TempDir dir;
  std::string input = "id,text\n";
  for (int i = 0; i < 20000; ++i) input += std::to_string(i) + ",\"some text, quoted\"\n";
  auto source = open_csv(write_file(dir, "big.csv", input));
  std::size_t count = 0;
  while (auto record = source->next()) {
    ASSERT_THAT(record->errors, IsEmpty());
    ++count;
    if (count == 20000) {
      EXPECT_THAT(record->origin, ::testing::EndsWith("big.csv:20001"));
    }
  }
  EXPECT_EQ(count, 20000u);
}

TEST(CsvSourceTest, RoundTripsRandomFieldsWithExactLines) {
  // Fields drawn from the characters that matter (delimiter, quote, CR, LF, UTF-8), quoted the
  // RFC 4180 way, must read back unchanged with each record's first physical line as origin.
  std::mt19937 random(20261125);
  const std::vector<std::string> pieces = {"a", "Zoë", ",", "\"", "\n", "\r\n", " ", "x\"y", ""};
  const auto random_field = [&] {
    std::string field;
    const int length = static_cast<int>(random() % 4);
    for (int i = 0; i < length; ++i) field += pieces[random() % pieces.size()];
    return field;
  };
  const auto write_field = [](const std::string& field) {
    if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
    std::string quoted = "\"";
    for (const char c : field) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
  };
  std::string input = "a,b,c\r\n";
  std::size_t line = 2;
  std::vector<std::pair<std::size_t, std::vector<std::string>>> expected;
  for (int record = 0; record < 400; ++record) {
    std::vector<std::string> fields = {random_field(), random_field(), random_field()};
    // A record of three empty fields is ",,": not a blank line, so it is still read.
    expected.emplace_back(line, fields);
    for (std::size_t i = 0; i < fields.size(); ++i) {
      input += (i == 0 ? "" : ",") + write_field(fields[i]);
      line += static_cast<std::size_t>(std::count(fields[i].begin(), fields[i].end(), '\n'));
    }
    input += record % 2 == 0 ? "\n" : "\r\n";
    ++line;
  }
  TempDir dir;
  const std::string path = write_file(dir, "random.csv", input);
  const auto records = read_all(*open_csv(path));
  ASSERT_EQ(records.size(), expected.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    ASSERT_THAT(records[i].errors, IsEmpty()) << "record " << i;
    EXPECT_EQ(records[i].origin, path + ":" + std::to_string(expected[i].first)) << "record " << i;
    EXPECT_EQ(records[i].row, (Row{{"a", expected[i].second[0]},
                                   {"b", expected[i].second[1]},
                                   {"c", expected[i].second[2]}}))
        << "record " << i;
  }
}

struct OpenFailure {
  std::string name;
  std::string input;  // nullopt-like: "<none>" means the file does not exist
  CsvOptions options;
  std::string message_part;
};

std::ostream& operator<<(std::ostream& out, const OpenFailure& c) {
  return out << c.name;
}

class CsvOpenFailureTest : public ::testing::TestWithParam<OpenFailure> {};

TEST_P(CsvOpenFailureTest, ThrowsNamingTheFile) {
  const OpenFailure& c = GetParam();
  TempDir dir;
  const std::string path =
      c.input == "<none>" ? dir.file("missing.csv") : write_file(dir, "bad.csv", c.input);
  try {
    open_csv(path, c.options);
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::invalid_argument);
    EXPECT_THAT(error.what(), HasSubstr(path));
    EXPECT_THAT(error.what(), HasSubstr(c.message_part));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Header, CsvOpenFailureTest,
    ::testing::Values(
        OpenFailure{"MissingFile", "<none>", {}, "cannot open"},
        OpenFailure{"EmptyFile", "", {}, "the file is empty; expected a header row"},
        OpenFailure{"OnlyBlankLines", "\n\n", {}, "the file is empty"},
        OpenFailure{"DuplicateName", "a,b,a\n1,2,3\n", {}, "names column \"a\" twice"},
        OpenFailure{"DuplicateAfterTrimming", "a, a\n", {}, "names column \"a\" twice"},
        OpenFailure{"EmptyName", "a,,c\n", {}, "column 2 of the header has no name"},
        OpenFailure{"UnterminatedHeader", "\"a,b\n", {}, "never closed"},
        OpenFailure{"InvalidUtf8Header", "a,\xFF\n", {}, "not valid UTF-8"},
        OpenFailure{"DuplicateGivenNames",
                    "1,2\n",
                    {.has_header = false, .column_names = {"x", "x"}},
                    "names column \"x\" twice"},
        OpenFailure{"DelimiterEqualsQuote", "a\n", {.delimiter = '"'}, "must be different"},
        OpenFailure{"NewlineDelimiter", "a\n", {.delimiter = '\n'}, "cannot be line breaks"}),
    [](const auto& info) { return info.param.name; });

// A line of millions of empty fields held every one as a string (over 1 GB); past max_fields they
// are only counted, and the line is one error while the next lines read on.
TEST(CsvSourceTest, ALineOfMillionsOfFieldsIsOneErrorAndHoldsNoMoreThanTheBound) {
  TempDir dir;
  const std::string path =
      write_file(dir, "wide.csv", "a,b\n" + std::string(3'000'000, ',') + "\nx,y\n");
  auto source = open_csv(path);
  const auto records = read_all(*source);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_THAT(
      all_errors(records),
      ElementsAre(path + ":2: the line has more than 10000 fields (is the delimiter right?)"));
  EXPECT_EQ(records[1].row, (Row{{"a", "x"}, {"b", "y"}}));
}

TEST(CsvSourceTest, DirectoryIsAnUnreadableFile) {
  TempDir dir;
  try {
    auto source = open_csv(dir.path().string());
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr(dir.path().string()));
  }
}

}  // namespace
}  // namespace notionsync::sources
