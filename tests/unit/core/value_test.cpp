#include "notionsync/core/value.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "notionsync/core/error.hpp"

namespace notionsync {
namespace {

struct EncodingCase {
  Value value;
  std::string encoding;
};

TEST(CanonicalEncoding, MatchesTheTableForEveryType) {
  const std::vector<EncodingCase> cases = {
      {Value(), "n"},
      {Value(true), "t"},
      {Value(false), "f"},
      {Value(0), "i0;"},
      {Value(-42), "i-42;"},
      {Value(std::int64_t{9223372036854775807}), "i9223372036854775807;"},
      {Value(1.0), "i1;"},
      {Value(-0.0), "i0;"},
      {Value(3.14), "r3.14;"},
      {Value(1e300), "r1e+300;"},
      {Value(0.1), "r0.1;"},
      {Value(""), "s0:"},
      {Value("Ada"), "s3:Ada"},
      {Value("ünï😀"), "s9:ünï😀"},
      {Value(Date{2026, 6, 1}), "d2026-06-01"},
      {Value(DateTime{{2026, 6, 1}, 12, 34, 56, 789, 120}), "T2026-06-01T12:34:56.789+02:00;"},
      {Value(DateTime{{2026, 6, 1}, 12, 0, 0, 0, 0}), "T2026-06-01T12:00:00.000Z;"},
      {Value(DateTime{{2026, 6, 1}, 12, 0, 0, 0, std::nullopt}), "T2026-06-01T12:00:00.000;"},
      {Value(Value::List{}), "l0:"},
      {Value(Value::List{"a", 1, Value::List{true}}), "l3:s1:ai1;l1:t"},
  };
  for (const auto& test_case : cases) {
    EXPECT_EQ(canonical_encoding(test_case.value), test_case.encoding) << test_case.encoding;
    EXPECT_EQ(decode_canonical(test_case.encoding), test_case.value) << test_case.encoding;
  }
}

TEST(CanonicalEncoding, IntegerAndIntegralDoubleAreOneNumber) {
  EXPECT_EQ(canonical_encoding(Value(1)), canonical_encoding(Value(1.0)));
  EXPECT_EQ(Value(1), Value(1.0));
  EXPECT_NE(Value(1), Value(1.5));
  EXPECT_EQ(canonical_encoding(Value(1e15)), canonical_encoding(Value(1000000000000000)));
  // Beyond int64 an integral double stays a real: no overflow, no crash.
  EXPECT_EQ(canonical_encoding(Value(1e19)), "r1e+19;");
}

TEST(CanonicalEncoding, RejectsNaNAndInfinityWithAClearError) {
  try {
    canonical_encoding(Value(std::nan("")));
    FAIL() << "NaN was encoded";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::invalid_value);
    EXPECT_NE(std::string(error.what()).find("NaN"), std::string::npos);
  }
  EXPECT_THROW(canonical_encoding(Value(std::numeric_limits<double>::infinity())), Error);
  EXPECT_THROW(canonical_encoding(Value(Value::List{1, std::nan("")})), Error);
}

TEST(CanonicalEncoding, RejectsInvalidUtf8) {
  EXPECT_THROW(canonical_encoding(Value(std::string("ok\xff"))), Error);
  EXPECT_THROW(canonical_encoding(Value(std::string("\xc0\xaf"))), Error);  // overlong '/'
  EXPECT_THROW(canonical_encoding(Value(std::string("\xed\xa0\x80"))), Error);  // surrogate
}

TEST(CanonicalEncoding, DecodeRejectsMalformedInput) {
  for (const char* bad : {"", "x", "i12", "s5:abc", "l2:t", "d2026-13-01", "tt", "r;"}) {
    EXPECT_THROW(decode_canonical(bad), Error) << bad;
  }
}

TEST(CanonicalEncoding, StringsWithTagCharactersDoNotCollide) {
  EXPECT_NE(canonical_encoding(Value(Value::List{"a;i1;"})),
            canonical_encoding(Value(Value::List{"a", 1})));
}

TEST(DateParsing, AcceptsRealDaysOnly) {
  EXPECT_EQ(Date::parse("2024-02-29"), (Date{2024, 2, 29}));
  EXPECT_FALSE(Date::parse("2026-02-29"));
  EXPECT_FALSE(Date::parse("2026-02-30"));
  EXPECT_FALSE(Date::parse("2026-13-01"));
  EXPECT_FALSE(Date::parse("2026-6-1"));
  EXPECT_FALSE(Date::parse("2026-06-01x"));
  EXPECT_FALSE(Date::parse("0000-01-01"));
}

TEST(DateTimeParsing, ReadsIsoForms) {
  const auto utc = DateTime::parse("2026-06-01T12:34:56.789Z");
  ASSERT_TRUE(utc);
  EXPECT_EQ(utc->millisecond, 789);
  EXPECT_EQ(utc->offset_minutes, 0);
  const auto offset = DateTime::parse("2026-06-01 08:00-05:30");
  ASSERT_TRUE(offset);
  EXPECT_EQ(offset->offset_minutes, -330);
  EXPECT_EQ(offset->to_iso(), "2026-06-01T08:00:00.000-05:30");
  const auto floating = DateTime::parse("2026-06-01T08:00:00.1234567");
  ASSERT_TRUE(floating);
  EXPECT_FALSE(floating->offset_minutes);
  EXPECT_EQ(floating->millisecond, 123);
  EXPECT_FALSE(DateTime::parse("2026-06-01T24:00"));
  EXPECT_FALSE(DateTime::parse("2026-06-01T12:00+2"));
  EXPECT_FALSE(DateTime::parse("2026-06-01"));
}

TEST(ValueAccess, TypeMismatchNamesBothTypes) {
  try {
    Value("text").as_integer();
    FAIL();
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "expected a integer value but found string");
  }
  EXPECT_EQ(Value(2.0).as_integer(), 2);
  EXPECT_DOUBLE_EQ(Value(2).as_double(), 2.0);
}

TEST(ValueDisplay, QuotesStringsAndBracketsLists) {
  EXPECT_EQ(Value(Value::List{"Ada", 3, 2.5, nullptr}).to_display(), "[\"Ada\", 3, 2.5, null]");
}

}  // namespace
}  // namespace notionsync
