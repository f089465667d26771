// RateLimiter: a token bucket that paces requests to Notion's average rate.
//
// Notion allows "an average of three requests per second per integration; some bursts beyond the
// average are allowed" (developers.notion.com, request limits). The bucket holds up to `burst`
// tokens, refills at `rate_per_second`, and each request takes one token. Time is passed in by the
// caller, so the limiter is a plain value that tests drive with a virtual clock:
//
//   RateLimiter limiter({.rate_per_second = 3, .burst = 3}, start);
//   auto admission = limiter.try_acquire(now);
//   if (!admission.admitted) wait_until(admission.retry_at);
//
// Not thread-safe: the client's request loop owns it.
#pragma once

#include <chrono>

namespace notionsync::notion {

using SteadyTime = std::chrono::steady_clock::time_point;

struct RateLimit {
  double rate_per_second = 3.0;  // average requests per second; > 0
  double burst = 3.0;            // bucket size in requests; >= 1
};

// The answer to "may I send now?". When not admitted, retry_at is the earliest time it may be
// (SteadyTime::max() when only a finishing request can free the way).
struct Admission {
  bool admitted = false;
  SteadyTime retry_at{};
};

class RateLimiter {
 public:
  // REQUIRES: limit.rate_per_second > 0 and limit.burst >= 1 (else throws Error invalid_argument).
  // The bucket starts full at `start`.
  RateLimiter(RateLimit limit, SteadyTime start);

  // Takes one token if one is available at `now`; otherwise takes nothing and says when one will
  // be. `now` must not go backwards between calls.
  Admission try_acquire(SteadyTime now);

  // Empties the bucket and admits nothing before `until`. Used after a 429: Notion's own bucket is
  // empty then, so resuming with a burst would only earn more 429s.
  void pause_until(SteadyTime until);

  // Tokens available at `now` (fractional), for tests and diagnostics.
  double tokens_at(SteadyTime now) const;

  const RateLimit& limit() const { return limit_; }

 private:
  RateLimit limit_;
  double tokens_;
  SteadyTime updated_at_;
  SteadyTime paused_until_{};
};

}  // namespace notionsync::notion
