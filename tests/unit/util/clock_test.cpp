#include "util/clock.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace notionsync::util {
namespace {

TEST(Clock, IsTheSystemClockInMilliseconds) {
  const auto system_ms = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  const std::int64_t before = system_ms();
  const std::int64_t now = now_ms();
  const std::int64_t after = system_ms();
  EXPECT_LE(before, now);
  EXPECT_LE(now, after);
}

}  // namespace
}  // namespace notionsync::util
