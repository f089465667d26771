// The PostgreSQL text-format mapping, without a server (the server-backed suite is
// query_source_test.cpp).
#include "postgres/values.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace notionsync::sources::detail {
namespace {

using ::testing::HasSubstr;

TEST(PostgresValuesTest, NumericKeepsEveryDigit) {
  EXPECT_EQ(postgres_value(1700, "42").value.type(), Value::Type::integer);
  EXPECT_EQ(postgres_value(1700, "-42.000").value, Value(-42));
  EXPECT_EQ(postgres_value(1700, "-42.000").value.type(), Value::Type::integer);
  EXPECT_EQ(postgres_value(1700, "3.14").value, Value(3.14));
  EXPECT_EQ(postgres_value(1700, "0.000123450").value, Value(0.00012345));
  EXPECT_EQ(postgres_value(1700, "123456789012.345").value, Value(123456789012.345));
  EXPECT_EQ(postgres_value(1700, "1000000000000000000000").value, Value(1e21));
  // 16 and more significant digits would not survive a double.
  EXPECT_EQ(postgres_value(1700, "1234567890.1234567").value, Value("1234567890.1234567"));
  EXPECT_EQ(postgres_value(1700, "12345678901234567890").value, Value("12345678901234567890"));
  EXPECT_THAT(postgres_value(1700, "NaN").error, HasSubstr("is not a finite number"));
}

TEST(PostgresValuesTest, TimestampsWithWholeHourOffsets) {
  EXPECT_EQ(postgres_value(1184, "2026-11-25 03:04:05.678901+00").value,
            Value(DateTime{{2026, 11, 25}, 3, 4, 5, 678, 0}));
  EXPECT_EQ(postgres_value(1184, "2026-11-25 03:04:05-05:30").value,
            Value(DateTime{{2026, 11, 25}, 3, 4, 5, 0, -330}));
  EXPECT_EQ(postgres_value(1114, "2026-11-25 03:04:05").value,
            Value(DateTime{{2026, 11, 25}, 3, 4, 5, 0, std::nullopt}));
  EXPECT_THAT(postgres_value(1114, "infinity").error, HasSubstr("outside the date-times"));
  EXPECT_THAT(postgres_value(1082, "0044-03-15 BC").error, HasSubstr("outside the dates"));
}

TEST(PostgresValuesTest, OneDimensionalArrays) {
  EXPECT_EQ(postgres_value(1009, R"({a,"b c",NULL,"d,\"e\""})").value,
            Value(Value::List{"a", "b c", Value(), "d,\"e\""}));
  EXPECT_EQ(postgres_value(1007, "{1,2,3}").value, Value(Value::List{1, 2, 3}));
  EXPECT_EQ(postgres_value(1009, "{}").value, Value(Value::List{}));
  EXPECT_THAT(postgres_value(1007, "{{1,2},{3,4}}").error, HasSubstr("multi-dimensional"));
}

}  // namespace
}  // namespace notionsync::sources::detail
