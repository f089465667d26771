// FlowControl: decides when the client may start its next request.
//
// It combines the rate limiter (average rate and burst) with a cap on requests in flight. The cap
// matters because Notion's latency (hundreds of ms, seconds for large databases) would otherwise
// cap throughput below the allowed rate; with 8 requests in flight, 3 requests/s are sustained up
// to ~2.6 s of latency. Time is passed in, so tests drive it with a virtual clock:
//
//   FlowControl flow({.rate = {3, 3}, .max_in_flight = 8}, start);
//   if (auto a = flow.try_start(now); a.admitted) { send(); ... flow.finish(); }
//
// Not thread-safe: the client's request loop owns it.
#pragma once

#include "notionsync/notion/rate_limiter.hpp"

namespace notionsync::notion {

struct FlowLimits {
  RateLimit rate;
  int max_in_flight = 8;  // >= 1
};

class FlowControl {
 public:
  // REQUIRES: limits.max_in_flight >= 1 and a valid rate (else throws Error invalid_argument).
  FlowControl(FlowLimits limits, SteadyTime start);

  // Admits a request when fewer than max_in_flight are running and the rate limiter has a token;
  // an admitted request counts as in flight until finish(). When the cap is the only obstacle,
  // retry_at is SteadyTime::max(): wait for a request to finish.
  Admission try_start(SteadyTime now);

  // Marks one admitted request as finished. REQUIRES: in_flight() > 0.
  void finish();

  // After a 429: no request starts before `until`, and the bucket restarts empty.
  void pause_until(SteadyTime until) { limiter_.pause_until(until); }

  int in_flight() const { return in_flight_; }
  const FlowLimits& limits() const { return limits_; }

 private:
  FlowLimits limits_;
  RateLimiter limiter_;
  int in_flight_ = 0;
};

}  // namespace notionsync::notion
