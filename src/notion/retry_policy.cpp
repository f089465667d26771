#include "notionsync/notion/retry_policy.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

namespace notionsync::notion {
namespace {

// Notion refused without applying: 429 rate_limited, 529 service_overload.
bool is_refusal(int status) {
  return status == 429 || status == 529;
}

// May have been applied, worth another try when the request is idempotent.
bool is_transient(const AttemptOutcome& outcome) {
  switch (outcome.status) {
    case 0:  // network failure or timeout
    case 409:
    case 500:
    case 502:
    case 503:
    case 504:
      return true;
    default:
      return false;
  }
}

std::chrono::milliseconds backoff(const RetryPolicy& policy, int attempts_made, double jitter) {
  const double exponent = std::min(attempts_made - 1, 30);
  const double ceiling =
      std::min(static_cast<double>(policy.max_delay.count()),
               static_cast<double>(policy.base_delay.count()) * std::pow(2.0, exponent));
  const double clamped_jitter = std::clamp(jitter, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<long long>(ceiling * clamped_jitter));
}

}  // namespace

RetryDecision decide_retry(const RetryPolicy& policy, const AttemptOutcome& outcome,
                           bool idempotent, int attempts_made, double jitter) {
  if (outcome.status >= 200 && outcome.status < 300) return {RetryAction::done, {}};

  const bool refused =
      is_refusal(outcome.status) || (outcome.status == 0 && !outcome.request_may_have_been_sent);
  if (refused) {
    const int limit =
        is_refusal(outcome.status) ? policy.max_rate_limited_attempts : policy.max_attempts;
    if (attempts_made >= limit) return {RetryAction::fail, {}};
    std::chrono::milliseconds delay;
    if (outcome.retry_after) {
      delay = std::min(*outcome.retry_after, policy.max_retry_after);
    } else {
      delay = backoff(policy, attempts_made, jitter);
      if (is_refusal(outcome.status)) delay = std::max(delay, policy.base_delay);
    }
    return {RetryAction::retry, delay};
  }

  if (!is_transient(outcome)) return {RetryAction::fail, {}};
  if (!idempotent) return {RetryAction::outcome_unknown, {}};
  if (attempts_made >= policy.max_attempts) return {RetryAction::fail, {}};
  std::chrono::milliseconds delay = backoff(policy, attempts_made, jitter);
  // A 503 may carry Retry-After too; the server knows best when to come back.
  if (outcome.retry_after) delay = std::min(*outcome.retry_after, policy.max_retry_after);
  return {RetryAction::retry, delay};
}

std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view header, std::chrono::system_clock::time_point now) {
  while (!header.empty() && std::isspace(static_cast<unsigned char>(header.front()))) {
    header.remove_prefix(1);
  }
  while (!header.empty() && std::isspace(static_cast<unsigned char>(header.back()))) {
    header.remove_suffix(1);
  }
  if (header.empty()) return std::nullopt;

  if (std::isdigit(static_cast<unsigned char>(header.front()))) {
    // Notion documents "an integer number of seconds (in decimal)"; accept a fraction too.
    double seconds = 0;
    double scale = 0;
    for (char c : header) {
      if (c == '.' && scale == 0) {
        scale = 0.1;
      } else if (std::isdigit(static_cast<unsigned char>(c))) {
        if (scale == 0) {
          seconds = seconds * 10 + (c - '0');
        } else {
          seconds += scale * (c - '0');
          scale /= 10;
        }
      } else {
        return std::nullopt;
      }
    }
    if (seconds > 1e7) seconds = 1e7;
    return std::chrono::milliseconds(static_cast<long long>(std::ceil(seconds * 1000)));
  }

  const std::string text(header);
  const time_t when = curl_getdate(text.c_str(), nullptr);
  if (when == -1) return std::nullopt;
  const auto target = std::chrono::system_clock::from_time_t(when);
  if (target <= now) return std::chrono::milliseconds(0);
  return std::chrono::ceil<std::chrono::milliseconds>(target - now);
}

}  // namespace notionsync::notion
