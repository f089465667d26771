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

// Text of only whitespace identifies nothing: it is an empty key, whatever spaces it holds.
TEST(KeyEncoding, WhitespaceOnlyTextIsAnEmptyKey) {
  for (const char* blank : {"", " ", "\t\n ", "\u00a0", "\u2003\u200b", "\u3000", "\ufeff"}) {
    EXPECT_TRUE(is_blank(blank)) << blank;
    EXPECT_THROW(Key{blank}.encoded(), Error) << blank;
  }
  for (const char* text : {" a ", "\u00e9", "_", "\u00a0x"}) {
    EXPECT_FALSE(is_blank(text)) << text;
    EXPECT_NO_THROW(Key{text}.encoded()) << text;
  }
}

TEST(KeyDisplay, ShowsOnePartBareAndSeveralAsATuple) {
  EXPECT_EQ(Key{"Ada"}.to_display(), "\"Ada\"");
  EXPECT_EQ((Key{"Ada", Date{2026, 1, 2}}.to_display()), "(\"Ada\", 2026-01-02)");
  EXPECT_EQ(display_encoded_key("l1:i7;"), "7");
  EXPECT_EQ(display_encoded_key("garbage"), "garbage");
}

// "é" typed as one code point or as "e" and a combining accent is one key: text compares in NFC.
TEST(KeyEncoding, TextComparesInNormalizationFormC) {
  const std::string composed = "Caf\u00e9";
  const std::string decomposed = "Cafe\u0301";
  ASSERT_NE(composed, decomposed);
  EXPECT_EQ(Key{composed}.encoded(), Key{decomposed}.encoded());
  EXPECT_EQ(Key::decode(Key{decomposed}.encoded()), Key{composed});
  EXPECT_EQ((Key{decomposed, 1}.encoded()), (Key{composed, 1}.encoded()));
  EXPECT_EQ(Key{Value(Value::List{decomposed})}.encoded(),
            Key{Value(Value::List{composed})}.encoded());
  EXPECT_EQ(to_nfc(decomposed), composed);
  EXPECT_EQ(to_nfc(composed), std::nullopt);  // already NFC
  EXPECT_EQ(to_nfc("plain ascii"), std::nullopt);
  EXPECT_EQ(to_nfc("bad \xff utf-8"), std::nullopt);  // left to the encoding to refuse
  EXPECT_THROW(Key{"bad \xff utf-8"}.encoded(), Error);
  // Compatibility forms stay apart: NFC, not NFKC ("ﬁ" is not "fi").
  EXPECT_NE(Key{"\ufb01"}.encoded(), Key{"fi"}.encoded());
}

// Messages quote keys: one of thousands of characters is cut after 200, saying how long it was.
TEST(KeyDisplay, ShortensAKeyOverTwoHundredCharacters) {
  const std::string long_key(5000, 'k');
  const std::string shown = Key{long_key}.to_display();
  EXPECT_EQ(shown, "\"" + std::string(200, 'k') + "…\" (5000 characters)");
  EXPECT_EQ(display_encoded_key(Key{long_key}.encoded()), shown);
  EXPECT_EQ(Key{std::string(200, 'k')}.to_display(), "\"" + std::string(200, 'k') + "\"");
  EXPECT_EQ((Key{long_key, 7}.to_display()),
            "(\"" + std::string(200, 'k') + "…\" (5000 characters), 7)");
  // Cut between characters, never inside one.
  std::string accents;
  for (int i = 0; i < 300; ++i) accents += "\u00e9";
  const std::string cut = Key{accents}.to_display();
  EXPECT_EQ(cut.substr(0, cut.find("…")).size(), 1 + 200 * 2u);
  EXPECT_NE(cut.find("(300 characters)"), std::string::npos) << cut;
}

}  // namespace
}  // namespace notionsync
