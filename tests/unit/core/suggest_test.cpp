#include "core/suggest.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace notionsync {
namespace {

TEST(EditDistance, CountsASwapOfNeighboursAsOneEdit) {
  EXPECT_EQ(edit_distance("nmu", "num"), 1u);
  EXPECT_EQ(edit_distance("emial", "email"), 1u);
  EXPECT_EQ(edit_distance("nmu", "name"), 2u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("same", "same"), 0u);
  EXPECT_EQ(edit_distance("ab", "ba"), 1u);
  EXPECT_EQ(edit_distance("abc", "ca"), 3u);  // optimal string alignment: no edit of a swap
}

TEST(ClosestMatch, SuggestsTheColumnThatIsReallyClosest) {
  const std::vector<std::string> columns = {"name", "email", "num"};
  EXPECT_EQ(closest_match("nmu", columns), "num");
  EXPECT_EQ(closest_match("emial", columns), "email");
  EXPECT_EQ(closest_match("zzzzzzzz", columns), std::nullopt);
}

}  // namespace
}  // namespace notionsync
