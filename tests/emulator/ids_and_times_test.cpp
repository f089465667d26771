// Table-driven checks of the emulator's id, time and text-length helpers.
#include <gtest/gtest.h>

#include "ids.hpp"
#include "rich_text.hpp"
#include "timestamps.hpp"

namespace notion_emulator {
namespace {

TEST(IdsTest, NormalizesWithOrWithoutDashesInAnyCase) {
  const std::string dashed = "0123abcd-4567-4def-8abc-0123456789ab";
  EXPECT_EQ(normalize_id("0123ABCD45674DEF8ABC0123456789AB"), dashed);
  EXPECT_EQ(normalize_id(dashed), dashed);
  for (const char* bad :
       {"", "xyz", "0123abcd-4567-4def-8abc-0123456789a", "0123abcd45674def8abc0123456789abc",
        "0123abcd-45674def-8abc-0123456789ab", "0123abcd-4567-4def-8abc-0123456789ag"}) {
    EXPECT_FALSE(normalize_id(bad).has_value()) << bad;
  }
}

TEST(IdsTest, NewIdsAreVersion4AndPropertyIdsArePercentEncoded) {
  std::mt19937_64 generator(5);
  for (int i = 0; i < 200; ++i) {
    const std::string id = new_uuid(generator);
    ASSERT_EQ(normalize_id(id), id);
    EXPECT_EQ(id[14], '4');
    const std::string property_id = new_property_id(generator);
    EXPECT_EQ(percent_encode(percent_decode(property_id)), property_id);
    EXPECT_EQ(percent_decode(property_id).size(), 4u);
  }
  EXPECT_EQ(percent_encode("[JC:"), "%5BJC%3A");
  EXPECT_EQ(percent_decode("%5BJC%3A"), "[JC:");
  EXPECT_EQ(percent_decode("100%"), "100%");
}

TEST(TimestampsTest, ParsesNotionDateForms) {
  EXPECT_EQ(parse_instant("1970-01-02"), kDayMs);
  EXPECT_EQ(parse_instant("1970-01-01T00:00:01Z"), 1000);
  EXPECT_EQ(parse_instant("1970-01-01T00:00:01.5Z"), 1500);
  EXPECT_EQ(parse_instant("1970-01-01T01:00:00.000+01:00"), 0);
  EXPECT_EQ(parse_instant("1970-01-01T00:00:00-00:30"), 30 * 60 * 1000);
  EXPECT_EQ(parse_instant("1970-01-01T00:01"), 60000);
  for (const char* bad : {"", "1970-1-1", "1970-13-01", "31/01/2024", "1970-01-01T25:00",
                          "1970-01-01T00:00:00+0100", "1970-01-01T00:00:00.Z"}) {
    EXPECT_FALSE(parse_instant(bad).has_value()) << bad;
  }
  EXPECT_TRUE(is_date_only("2024-01-31"));
  EXPECT_FALSE(is_date_only("2024-01-31T00:00"));
}

TEST(TimestampsTest, FormatsRoundedDownToTheMinute) {
  EXPECT_EQ(format_minute(*parse_instant("2026-11-25T02:21:59.999Z")), "2026-11-25T02:21:00.000Z");
  EXPECT_EQ(resolve_relative_date("today", *parse_instant("2024-02-10T13:00:00Z")),
            parse_instant("2024-02-10"));
  EXPECT_EQ(resolve_relative_date("one_week_ago", *parse_instant("2024-02-10T13:00:00Z")),
            parse_instant("2024-02-03"));
  EXPECT_FALSE(resolve_relative_date("someday", 0).has_value());
}

TEST(RichTextTest, CountsUtf16CodeUnitsAsNotionDoes) {
  EXPECT_EQ(utf16_length("abc"), 3u);
  EXPECT_EQ(utf16_length("é"), 1u);     // two UTF-8 bytes, one code unit
  EXPECT_EQ(utf16_length("日本"), 2u);  // three bytes each, one unit each
  EXPECT_EQ(utf16_length("🚀"), 2u);     // four bytes, a surrogate pair
}

}  // namespace
}  // namespace notion_emulator
