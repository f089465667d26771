#include "rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace notion_emulator {

void RateLimiter::reset(double rate, int burst) {
  const std::lock_guard lock(mutex_);
  rate_ = rate;
  capacity_ = std::max(1, burst);
  tokens_ = capacity_;
  last_ = std::chrono::steady_clock::now();
}

int RateLimiter::acquire() {
  const std::lock_guard lock(mutex_);
  if (rate_ <= 0.0) return 0;
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - last_).count();
  last_ = now;
  tokens_ = std::min(capacity_, tokens_ + elapsed * rate_);
  if (tokens_ >= 1.0) {
    tokens_ -= 1.0;
    return 0;
  }
  // Notion sends Retry-After as an integer number of seconds.
  return std::max(1, static_cast<int>(std::ceil((1.0 - tokens_) / rate_)));
}

}  // namespace notion_emulator
