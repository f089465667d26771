#include "notionsync/notion/rich_text.hpp"

#include <gtest/gtest.h>

#include "notion/notion_id.hpp"

namespace notionsync::notion {
namespace {

TEST(RichTextTest, CountsUtf16CodeUnitsAsNotionDoes) {
  EXPECT_EQ(utf16_length(""), 0u);
  EXPECT_EQ(utf16_length("abc"), 3u);
  EXPECT_EQ(utf16_length("\xC3\xA9"), 1u);          // é
  EXPECT_EQ(utf16_length("\xE6\x97\xA5"), 1u);      // 日
  EXPECT_EQ(utf16_length("\xF0\x9F\x98\x80"), 2u);  // 😀 is a surrogate pair
}

TEST(RichTextTest, SplitsOnCodePointBoundaries) {
  EXPECT_TRUE(split_text("").empty());
  EXPECT_EQ(split_text("abcde", 2), (std::vector<std::string>{"ab", "cd", "e"}));
  // "a😀" is 3 units: the emoji does not fit after "a" in a 2-unit piece and is not cut.
  EXPECT_EQ(split_text("a\xF0\x9F\x98\x80"
                       "b",
                       2),
            (std::vector<std::string>{"a", "\xF0\x9F\x98\x80", "b"}));
  EXPECT_EQ(split_text(std::string(4000, 'x')).size(), 2u);
  EXPECT_EQ(split_text(std::string(4001, 'x')).size(), 3u);
}

TEST(RichTextTest, PlainTextConcatenatesItems) {
  const auto items = nlohmann::json::parse(
      R"([{"type":"text","text":{"content":"ab"},"plain_text":"ab"},{"type":"mention","plain_text":"@Ada"},
          {"type":"text","text":{"content":"c"}}])");
  EXPECT_EQ(plain_text(items), "ab@Adac");
  EXPECT_EQ(plain_text(nlohmann::json()), "");
}

TEST(NotionIdTest, NormalisesToDashedLowercase) {
  const std::string dashed = "9bc30ad4-9373-46a5-84ab-0a7845ee52e6";
  EXPECT_EQ(normalize_notion_id("9BC30AD4937346A584AB0A7845EE52E6"), dashed);
  EXPECT_EQ(normalize_notion_id(dashed), dashed);
  EXPECT_EQ(normalize_notion_id("9bc30ad4-9373-46a5-84ab-0a7845ee52e"), std::nullopt);
  EXPECT_EQ(normalize_notion_id("9bc30ad49373-46a5-84ab-0a7845ee52e6-"), std::nullopt);
  EXPECT_EQ(normalize_notion_id("zzc30ad4937346a584ab0a7845ee52e6"), std::nullopt);
  EXPECT_EQ(normalize_notion_id(""), std::nullopt);
}

}  // namespace
}  // namespace notionsync::notion
