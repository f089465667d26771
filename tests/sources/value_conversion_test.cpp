#include "notionsync/sources/value_conversion.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <utility>

#include "notionsync/core/error.hpp"

namespace notionsync::sources {
namespace {

using ::testing::HasSubstr;

struct ConversionCase {
  Value raw;
  ValueKind kind;
  // On success the expected value; on failure null and a part of the expected message.
  Value expected;
  std::string error_part = {};
  ConversionOptions options = {};
};

std::ostream& operator<<(std::ostream& out, const ConversionCase& c) {
  return out << to_string(c.kind) << "(" << c.raw.to_display() << ")";
}

Date date(int year, int month, int day) {
  return Date{year, month, day};
}

class ConversionTest : public ::testing::TestWithParam<ConversionCase> {};

TEST_P(ConversionTest, ConvertsOrSaysWhy) {
  const ConversionCase& c = GetParam();
  const ConversionResult result = try_convert_value(c.raw, c.kind, c.options);
  // Handing the value over (the overload that may keep its string) changes nothing.
  Value given = c.raw;
  const ConversionResult taken = try_convert_value(std::move(given), c.kind, c.options);
  EXPECT_EQ(taken.value, result.value);
  EXPECT_EQ(taken.error, result.error);
  if (c.error_part.empty()) {
    ASSERT_TRUE(result.ok()) << result.error;
    EXPECT_EQ(result.value, c.expected);
    EXPECT_EQ(result.value.type(), c.expected.type());
    EXPECT_EQ(convert_value(c.raw, c.kind, c.options), c.expected);
  } else {
    EXPECT_FALSE(result.ok());
    EXPECT_THAT(result.error, HasSubstr(c.error_part));
    EXPECT_TRUE(result.value.is_null());
    try {
      convert_value(c.raw, c.kind, c.options);
      FAIL() << "expected an Error";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::invalid_value);
      EXPECT_EQ(error.what(), result.error);
    }
  }
}

const std::string kNotANumber = "is not a number";

INSTANTIATE_TEST_SUITE_P(
    Text, ConversionTest,
    ::testing::Values(
        ConversionCase{"  Ada ", ValueKind::text, "  Ada "},
        ConversionCase{"", ValueKind::text, ""}, ConversionCase{Value(), ValueKind::text, Value()},
        ConversionCase{42, ValueKind::text, "42"}, ConversionCase{3.5, ValueKind::text, "3.5"},
        ConversionCase{0.1, ValueKind::text, "0.1"}, ConversionCase{true, ValueKind::text, "true"},
        ConversionCase{date(2026, 11, 25), ValueKind::text, "2026-11-25"},
        ConversionCase{Value::List{"a"}, ValueKind::text, Value(), "expected text, found a list"}));

INSTANTIATE_TEST_SUITE_P(
    Number, ConversionTest,
    ::testing::Values(
        ConversionCase{"42", ValueKind::number, 42}, ConversionCase{" -7 ", ValueKind::number, -7},
        ConversionCase{"+7", ValueKind::number, 7}, ConversionCase{"3.5", ValueKind::number, 3.5},
        ConversionCase{"1e3", ValueKind::number, 1000.0},
        ConversionCase{"-2.5E-3", ValueKind::number, -0.0025},
        ConversionCase{".5", ValueKind::number, 0.5}, ConversionCase{"5.", ValueKind::number, 5.0},
        ConversionCase{"9223372036854775807", ValueKind::number, INT64_MAX},
        ConversionCase{"9223372036854775808", ValueKind::number, 9223372036854775808.0},
        ConversionCase{"", ValueKind::number, Value()},
        ConversionCase{"   ", ValueKind::number, Value()},
        ConversionCase{Value(), ValueKind::number, Value()},
        ConversionCase{12, ValueKind::number, 12}, ConversionCase{1.25, ValueKind::number, 1.25},
        ConversionCase{"abc", ValueKind::number, Value(), "\"abc\" is not a number"},
        ConversionCase{"1,000", ValueKind::number, Value(), kNotANumber},
        ConversionCase{"0x10", ValueKind::number, Value(), kNotANumber},
        ConversionCase{"inf", ValueKind::number, Value(), kNotANumber},
        ConversionCase{"nan", ValueKind::number, Value(), kNotANumber},
        ConversionCase{"1e", ValueKind::number, Value(), kNotANumber},
        ConversionCase{"1e999", ValueKind::number, Value(), kNotANumber},
        ConversionCase{"-", ValueKind::number, Value(), kNotANumber},
        ConversionCase{"4 2", ValueKind::number, Value(), kNotANumber},
        ConversionCase{std::numeric_limits<double>::infinity(), ValueKind::number, Value(),
                       "not a finite number"},
        ConversionCase{true, ValueKind::number, Value(), "expected number, found a boolean"},
        ConversionCase{date(2026, 1, 1), ValueKind::number, Value(),
                       "expected number, found a date"}));

INSTANTIATE_TEST_SUITE_P(
    Boolean, ConversionTest,
    ::testing::Values(
        ConversionCase{"true", ValueKind::boolean, true},
        ConversionCase{"TRUE", ValueKind::boolean, true},
        ConversionCase{"Yes", ValueKind::boolean, true},
        ConversionCase{"1", ValueKind::boolean, true},
        ConversionCase{"x", ValueKind::boolean, true},
        ConversionCase{" X ", ValueKind::boolean, true},
        ConversionCase{"false", ValueKind::boolean, false},
        ConversionCase{"No", ValueKind::boolean, false},
        ConversionCase{"0", ValueKind::boolean, false},
        ConversionCase{"", ValueKind::boolean, Value()},
        ConversionCase{true, ValueKind::boolean, true},
        ConversionCase{0, ValueKind::boolean, false}, ConversionCase{1, ValueKind::boolean, true},
        ConversionCase{2, ValueKind::boolean, Value(), "2 is not a boolean"},
        ConversionCase{"maybe", ValueKind::boolean, Value(), "\"maybe\" is not a boolean"},
        ConversionCase{"y", ValueKind::boolean, Value(), "is not a boolean"},
        ConversionCase{1.0, ValueKind::boolean, Value(), "expected boolean, found a number"}));

INSTANTIATE_TEST_SUITE_P(
    Date, ConversionTest,
    ::testing::Values(
        ConversionCase{"2026-11-25", ValueKind::date, date(2026, 11, 25)},
        ConversionCase{" 2024-02-29 ", ValueKind::date, date(2024, 2, 29)},
        ConversionCase{"2026-11-25T09:30", ValueKind::date,
                       DateTime{date(2026, 11, 25), 9, 30, 0, 0, std::nullopt}},
        ConversionCase{"2026-11-25 09:30:15.250Z", ValueKind::date,
                       DateTime{date(2026, 11, 25), 9, 30, 15, 250, 0}},
        ConversionCase{"2026-11-25T09:30:00+02:00", ValueKind::date,
                       DateTime{date(2026, 11, 25), 9, 30, 0, 0, 120}},
        ConversionCase{date(2026, 1, 2), ValueKind::date, date(2026, 1, 2)},
        ConversionCase{"", ValueKind::date, Value()},
        ConversionCase{"2026-02-30", ValueKind::date, Value(), "\"2026-02-30\" is no such date"},
        ConversionCase{"2025-02-29", ValueKind::date, Value(), "is no such date"},
        ConversionCase{"2026-13-01T10:00", ValueKind::date, Value(), "is no such date"},
        ConversionCase{"2026-11-25T25:00", ValueKind::date, Value(), "is not a date"},
        ConversionCase{"25/11/2026", ValueKind::date, Value(), "\"25/11/2026\" is not a date"},
        ConversionCase{"tomorrow", ValueKind::date, Value(), "is not a date"},
        ConversionCase{20261125, ValueKind::date, Value(), "expected date, found an integer"}));

INSTANTIATE_TEST_SUITE_P(
    Email, ConversionTest,
    ::testing::Values(
        ConversionCase{"ada@example.com", ValueKind::email, "ada@example.com"},
        ConversionCase{" ada.l+tag@mail.example.co.uk ", ValueKind::email,
                       "ada.l+tag@mail.example.co.uk"},
        ConversionCase{"", ValueKind::email, Value()},
        ConversionCase{"ada", ValueKind::email, Value(), "\"ada\" is not an email address"},
        ConversionCase{"ada@", ValueKind::email, Value(), "is not an email address"},
        ConversionCase{"@example.com", ValueKind::email, Value(), "is not an email address"},
        ConversionCase{"ada@example", ValueKind::email, Value(), "is not an email address"},
        ConversionCase{"ada@.com", ValueKind::email, Value(), "is not an email address"},
        ConversionCase{"ada@example.", ValueKind::email, Value(), "is not an email address"},
        ConversionCase{"ada@ex..com", ValueKind::email, Value(), "is not an email address"},
        ConversionCase{"a@b@example.com", ValueKind::email, Value(), "is not an email address"},
        ConversionCase{"ada lovelace@example.com", ValueKind::email, Value(),
                       "is not an email address"},
        ConversionCase{7, ValueKind::email, Value(), "expected email, found an integer"}));

INSTANTIATE_TEST_SUITE_P(
    Url, ConversionTest,
    ::testing::Values(
        ConversionCase{"https://example.com", ValueKind::url, "https://example.com"},
        ConversionCase{"http://user@host:8080/path?q=1#f", ValueKind::url,
                       "http://user@host:8080/path?q=1#f"},
        ConversionCase{"ftp://[::1]/file", ValueKind::url, "ftp://[::1]/file"},
        ConversionCase{"svn+ssh://repo.example.org/trunk", ValueKind::url,
                       "svn+ssh://repo.example.org/trunk"},
        ConversionCase{"", ValueKind::url, Value()},
        ConversionCase{"example.com", ValueKind::url, Value(), "\"example.com\" is not a URL"},
        ConversionCase{"https://", ValueKind::url, Value(), "is not a URL"},
        ConversionCase{"https:///path", ValueKind::url, Value(), "is not a URL"},
        ConversionCase{"://example.com", ValueKind::url, Value(), "is not a URL"},
        ConversionCase{"1http://example.com", ValueKind::url, Value(), "is not a URL"},
        ConversionCase{"https://exa mple.com", ValueKind::url, Value(), "is not a URL"},
        ConversionCase{"mailto:ada@example.com", ValueKind::url, Value(), "is not a URL"}));

INSTANTIATE_TEST_SUITE_P(
    Phone, ConversionTest,
    ::testing::Values(
        ConversionCase{"+1 (555) 010-0100", ValueKind::phone, "+1 (555) 010-0100"},
        ConversionCase{"030/123.456", ValueKind::phone, "030/123.456"},
        ConversionCase{"555-0100 x12", ValueKind::phone, "555-0100 x12"},
        ConversionCase{"555-0100 ext. 12", ValueKind::phone, "555-0100 ext. 12"},
        ConversionCase{5550100, ValueKind::phone, "5550100"},
        ConversionCase{"", ValueKind::phone, Value()},
        ConversionCase{"call me", ValueKind::phone, Value(), "\"call me\" is not a phone number"},
        ConversionCase{"+-()", ValueKind::phone, Value(), "is not a phone number"},
        ConversionCase{"555 x", ValueKind::phone, Value(), "is not a phone number"},
        ConversionCase{"555-CALL", ValueKind::phone, Value(), "is not a phone number"}));

INSTANTIATE_TEST_SUITE_P(
    List, ConversionTest,
    ::testing::Values(ConversionCase{"a, b ,,c", ValueKind::list, Value::List{"a", "b", "c"}},
                      ConversionCase{"solo", ValueKind::list, Value::List{"solo"}},
                      ConversionCase{" , ", ValueKind::list, Value::List{}},
                      ConversionCase{"", ValueKind::list, Value()},
                      ConversionCase{"a; b;;c", ValueKind::list, Value::List{"a", "b", "c"}, "",
                                     ConversionOptions{.separator = ";"}},
                      ConversionCase{"a, b || c", ValueKind::list, Value::List{"a, b", "c"}, "",
                                     ConversionOptions{.separator = "||"}},
                      ConversionCase{Value::List{" x ", "", Value(), 3, 2.5}, ValueKind::list,
                                     Value::List{"x", "3", "2.5"}},
                      ConversionCase{7, ValueKind::list, Value::List{"7"}},
                      ConversionCase{Value::List{Value::List{"a"}}, ValueKind::list, Value(),
                                     "a list item must be text or a number, found a list"},
                      ConversionCase{Value::List{true}, ValueKind::list, Value(),
                                     "a list item must be text or a number, found a boolean"},
                      ConversionCase{true, ValueKind::list, Value(),
                                     "expected list, found a boolean"}));

INSTANTIATE_TEST_SUITE_P(
    IdList, ConversionTest,
    ::testing::Values(
        ConversionCase{"team-a, team-b", ValueKind::id_list, Value::List{"team-a", "team-b"}},
        ConversionCase{Value::List{1, " 2 ", 3.5}, ValueKind::id_list, Value::List{1, "2", 3.5}},
        ConversionCase{42, ValueKind::id_list, Value::List{42}},
        ConversionCase{"", ValueKind::id_list, Value()},
        ConversionCase{date(2026, 1, 1), ValueKind::id_list, Value(),
                       "expected id_list, found a date"}));

TEST(ValueKindTest, NamesRoundTrip) {
  for (const ValueKind kind :
       {ValueKind::text, ValueKind::number, ValueKind::boolean, ValueKind::date, ValueKind::email,
        ValueKind::url, ValueKind::phone, ValueKind::list, ValueKind::id_list}) {
    EXPECT_EQ(parse_value_kind(to_string(kind)), kind);
  }
  EXPECT_EQ(parse_value_kind("checkbox"), std::nullopt);
}

TEST(ConversionOptionsTest, EmptySeparatorIsRejected) {
  EXPECT_THROW(try_convert_value("a", ValueKind::list, {.separator = ""}), Error);
}

}  // namespace
}  // namespace notionsync::sources
