#include "notionsync/notion/rate_limiter.hpp"

#include <gtest/gtest.h>

#include "notionsync/core/error.hpp"

namespace notionsync::notion {
namespace {

using namespace std::chrono_literals;

// A virtual clock: time only moves when the test says so.
struct VirtualClock {
  SteadyTime now{std::chrono::hours(1)};
  void advance(std::chrono::nanoseconds by) { now += by; }
};

TEST(RateLimiterTest, StartsFullAndAdmitsTheBurstAtOnce) {
  VirtualClock clock;
  RateLimiter limiter({.rate_per_second = 3, .burst = 3}, clock.now);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.try_acquire(clock.now).admitted) << i;
  const Admission refused = limiter.try_acquire(clock.now);
  EXPECT_FALSE(refused.admitted);
  // One token takes a third of a second to refill.
  EXPECT_GE(refused.retry_at - clock.now, 333ms);
  EXPECT_LE(refused.retry_at - clock.now, 334ms);
}

TEST(RateLimiterTest, AdmitsAtRetryAtExactly) {
  VirtualClock clock;
  RateLimiter limiter({.rate_per_second = 3, .burst = 1}, clock.now);
  ASSERT_TRUE(limiter.try_acquire(clock.now).admitted);
  for (int i = 0; i < 100; ++i) {
    const Admission refused = limiter.try_acquire(clock.now);
    ASSERT_FALSE(refused.admitted);
    clock.now = refused.retry_at;
    ASSERT_TRUE(limiter.try_acquire(clock.now).admitted) << i;
  }
}

TEST(RateLimiterTest, SustainedRateMatchesTheAverage) {
  // Drive the limiter greedily for 100 virtual seconds: 3/s plus the initial burst.
  VirtualClock clock;
  RateLimiter limiter({.rate_per_second = 3, .burst = 5}, clock.now);
  const SteadyTime end = clock.now + 100s;
  int admitted = 0;
  while (true) {
    const Admission a = limiter.try_acquire(clock.now);
    if (a.admitted) {
      ++admitted;
      continue;
    }
    if (a.retry_at > end) break;
    clock.now = a.retry_at;
  }
  EXPECT_EQ(admitted, 5 + 300);
}

TEST(RateLimiterTest, RefillsNoMoreThanTheBurst) {
  VirtualClock clock;
  RateLimiter limiter({.rate_per_second = 3, .burst = 2}, clock.now);
  clock.advance(60s);
  EXPECT_DOUBLE_EQ(limiter.tokens_at(clock.now), 2.0);
  EXPECT_TRUE(limiter.try_acquire(clock.now).admitted);
  EXPECT_TRUE(limiter.try_acquire(clock.now).admitted);
  EXPECT_FALSE(limiter.try_acquire(clock.now).admitted);
}

TEST(RateLimiterTest, PauseRefusesUntilItEndsAndRestartsEmpty) {
  VirtualClock clock;
  RateLimiter limiter({.rate_per_second = 3, .burst = 3}, clock.now);
  limiter.pause_until(clock.now + 2s);
  const Admission during = limiter.try_acquire(clock.now + 1s);
  EXPECT_FALSE(during.admitted);
  EXPECT_EQ(during.retry_at, clock.now + 2s);
  // At the end of the pause the bucket is empty, not full: no burst after a 429.
  const Admission at_end = limiter.try_acquire(clock.now + 2s);
  EXPECT_FALSE(at_end.admitted);
  EXPECT_TRUE(limiter.try_acquire(at_end.retry_at).admitted);
  EXPECT_FALSE(limiter.try_acquire(at_end.retry_at).admitted);
}

TEST(RateLimiterTest, RejectsNonsenseLimits) {
  EXPECT_THROW(RateLimiter({.rate_per_second = 0, .burst = 1}, SteadyTime{}), Error);
  EXPECT_THROW(RateLimiter({.rate_per_second = 3, .burst = 0.5}, SteadyTime{}), Error);
}

}  // namespace
}  // namespace notionsync::notion
