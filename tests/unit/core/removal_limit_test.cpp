#include "notionsync/core/removal_limit.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "notionsync/core/error.hpp"

namespace notionsync {
namespace {

struct LimitCase {
  RemovalLimit limit;
  std::size_t removals, tracked, declared;
  bool allowed;
};

TEST(RemovalLimitTest, AllowsOrRefusesAsDocumented) {
  const std::vector<LimitCase> cases = {
      // Standard: more than half AND more than 10 is refused...
      {RemovalLimit::standard(), 11, 20, 9, false},
      {RemovalLimit::standard(), 10, 12, 2, true},   // 10 is not more than 10
      {RemovalLimit::standard(), 11, 22, 11, true},  // half is not more than half
      {RemovalLimit::standard(), 11, 21, 10, false},
      {RemovalLimit::standard(), 0, 1000, 0, true},
      // ...and any removal when no row is declared while rows are tracked.
      {RemovalLimit::standard(), 1, 1, 0, false},
      {RemovalLimit::standard(), 4, 4, 0, false},
      {RemovalLimit::standard(), 4, 4, 1, true},
      {RemovalLimit::percent(20), 20, 100, 80, true},
      {RemovalLimit::percent(20), 21, 100, 79, false},
      {RemovalLimit::percent(20), 1, 4, 3, false},
      {RemovalLimit::percent(100), 4, 4, 0, true},
      {RemovalLimit::percent(0), 1, 1000, 999, false},
      {RemovalLimit::at_most(5), 5, 5, 0, true},  // an explicit count is the only rule
      {RemovalLimit::at_most(5), 6, 1000, 994, false},
      {RemovalLimit::at_most(0), 0, 10, 10, true},
      {RemovalLimit::unlimited(), 1000, 1000, 0, true},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    EXPECT_EQ(c.limit.allows(c.removals, c.tracked, c.declared), c.allowed)
        << "case " << i << ": " << c.limit.to_string();
  }
}

TEST(RemovalLimitTest, SaysWhatItRefuses) {
  EXPECT_EQ(RemovalLimit::standard().to_string(),
            "more than 50% when that is more than 10, or any when no row is declared");
  EXPECT_EQ(RemovalLimit::percent(20).to_string(), "more than 20%");
  EXPECT_EQ(RemovalLimit::percent(12.5).to_string(), "more than 12.5%");
  EXPECT_EQ(RemovalLimit::at_most(100).to_string(), "more than 100");
  EXPECT_EQ(RemovalLimit::unlimited().to_string(), "none");
  EXPECT_EQ(RemovalLimit(), RemovalLimit::standard());
}

TEST(RemovalLimitTest, APercentOutsideZeroToHundredIsRefused) {
  EXPECT_THROW(RemovalLimit::percent(-1), Error);
  EXPECT_THROW(RemovalLimit::percent(100.5), Error);
  EXPECT_THROW(RemovalLimit::percent(std::nan("")), Error);
}

}  // namespace
}  // namespace notionsync
