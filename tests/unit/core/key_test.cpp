#include "notionsync/core/key.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "notionsync/core/error.hpp"

namespace notionsync {
namespace {

TEST(KeyEncoding, MatchesTheTableForEveryKeyType) {
  const std::vector<std::pair<Key, std::string>> cases = {
      {Key{"Ada"}, "l1:s3:Ada"},
      {Key{42}, "l1:i42;"},
      {Key{2.5}, "l1:r2.5;"},
      {Key{Date{2026, 6, 1}}, "l1:d2026-06-01"},
      {Key{DateTime{{2026, 6, 1}, 12, 34, 56, 0, 0}}, "l1:T2026-06-01T12:34:56.000Z;"},
      {Key{true}, "l1:t"},
      {Key{"Ada", 1}, "l2:s3:Adai1;"},
      {Key{Value(Value::List{"Ada", 1})}, "l1:l2:s3:Adai1;"},
  };
  for (const auto& [key, encoding] : cases) {
    EXPECT_EQ(key.encoded(), encoding);
    EXPECT_EQ(Key::decode(encoding), key);
  }
}

TEST(KeyEncoding, OneAndOnePointZeroAreTheSameKey) {
  EXPECT_EQ(Key{1}.encoded(), Key{1.0}.encoded());
}

TEST(KeyEncoding, ATupleKeyDiffersFromAListValuedKey) {
  EXPECT_NE(Key({"Ada", 1}).encoded(), Key{Value(Value::List{"Ada", 1})}.encoded());
}

TEST(KeyEncoding, EmptyOrNullOrNaNPartsAreErrors) {
  EXPECT_THROW(Key().encoded(), Error);
  EXPECT_THROW(Key{Value()}.encoded(), Error);
  EXPECT_THROW((Key{"a", Value()}.encoded()), Error);
  EXPECT_THROW(Key{std::nan("")}.encoded(), Error);
}

TEST(KeyDisplay, ShowsOnePartBareAndSeveralAsATuple) {
  EXPECT_EQ(Key{"Ada"}.to_display(), "\"Ada\"");
  EXPECT_EQ((Key{"Ada", Date{2026, 1, 2}}.to_display()), "(\"Ada\", 2026-01-02)");
  EXPECT_EQ(display_encoded_key("l1:i7;"), "7");
  EXPECT_EQ(display_encoded_key("garbage"), "garbage");
}

}  // namespace
}  // namespace notionsync
