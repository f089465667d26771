#include "notionsync/notion/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

#include "notionsync/core/error.hpp"

namespace notionsync::notion {
namespace {

double seconds_between(SteadyTime from, SteadyTime to) {
  return std::chrono::duration<double>(to - from).count();
}

}  // namespace

RateLimiter::RateLimiter(RateLimit limit, SteadyTime start)
    : limit_(limit), tokens_(limit.burst), updated_at_(start) {
  if (!(limit.rate_per_second > 0) || !(limit.burst >= 1)) {
    throw Error(ErrorKind::invalid_argument, "rate limit needs rate_per_second > 0 and burst >= 1");
  }
}

double RateLimiter::tokens_at(SteadyTime now) const {
  if (now <= updated_at_) return tokens_;
  return std::min(limit_.burst,
                  tokens_ + seconds_between(updated_at_, now) * limit_.rate_per_second);
}

Admission RateLimiter::try_acquire(SteadyTime now) {
  if (now < paused_until_) return {false, paused_until_};
  tokens_ = tokens_at(now);
  updated_at_ = std::max(updated_at_, now);
  // A tiny tolerance keeps floating-point rounding from refusing a token that is due exactly now.
  constexpr double epsilon = 1e-9;
  if (tokens_ >= 1.0 - epsilon) {
    tokens_ = std::max(0.0, tokens_ - 1.0);
    return {true, now};
  }
  const double wait_seconds = (1.0 - tokens_) / limit_.rate_per_second;
  const auto wait =
      std::chrono::duration_cast<SteadyTime::duration>(std::chrono::duration<double>(wait_seconds));
  // Round up so a caller that sleeps until retry_at finds the token there.
  return {false, now + wait + SteadyTime::duration(1)};
}

void RateLimiter::pause_until(SteadyTime until) {
  if (until > updated_at_) {
    updated_at_ = until;
    tokens_ = 0;
  } else {
    tokens_ = 0;
  }
  paused_until_ = std::max(paused_until_, until);
}

}  // namespace notionsync::notion
