// A token bucket like Notion's per-integration limit: `rate` requests per second on average with
// bursts of up to `burst`. Thread-safe.
#pragma once

#include <chrono>
#include <mutex>

namespace notion_emulator {

class RateLimiter {
 public:
  RateLimiter(double rate, int burst) { reset(rate, burst); }

  // Replaces the limit; the bucket starts full. rate <= 0 = unlimited.
  void reset(double rate, int burst);

  // Takes a token. Returns 0 when the request may proceed, else the whole seconds (>= 1) until a
  // token is available, for the Retry-After header.
  int acquire();

 private:
  std::mutex mutex_;
  double rate_ = 0.0;
  double capacity_ = 0.0;
  double tokens_ = 0.0;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace notion_emulator
