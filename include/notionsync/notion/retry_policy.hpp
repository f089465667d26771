// Retry policy: what to do after one attempt of a request failed. A pure function, table-tested.
//
//   RetryDecision d = decide_retry(policy, outcome, request_is_idempotent, attempts_made, jitter);
//   switch (d.action) { case RetryAction::retry: wait(d.delay); resend(); ... }
//
// Rules (Notion API 2025-09-03, developers.notion.com "Request limits" and "Status codes"):
// - 429 rate_limited and 529 service_overload mean Notion refused the request without applying it
//   (Notion's request-limits guide: treat 529 like 429), so they are retried for every method,
//   waiting Retry-After when given.
// - 500, 502, 503, 504, 409 and network failures after the request may have been sent are retried
//   with capped exponential backoff and full jitter, but only for idempotent requests. Creating a
//   page, database or data source is not idempotent: Notion has no idempotency keys, so re-sending
//   after a lost response creates a duplicate. Those calls end as `outcome_unknown` instead.
// - A network failure before anything was sent (DNS, connection refused) is safe to retry always.
// - Any other status (400, 401, 403, 404, ...) is final.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace notionsync::notion {

struct RetryPolicy {
  int max_attempts = 5;                // attempts in all for 5xx, 409 and network failures
  int max_rate_limited_attempts = 10;  // attempts in all when Notion keeps answering 429/529
  std::chrono::milliseconds base_delay{500};
  std::chrono::milliseconds max_delay{30'000};
  // Retry-After can exceed a minute for workspace-wide limits (Notion request-limits guide); honour
  // it up to this cap.
  std::chrono::milliseconds max_retry_after{10 * 60'000};
};

// How one attempt ended.
struct AttemptOutcome {
  int status = 0;  // HTTP status; 0 when no response arrived (network failure or timeout)
  // False only when the failure certainly happened before any byte of the request left (DNS
  // failure, connection refused, TLS handshake failure).
  bool request_may_have_been_sent = true;
  std::optional<std::chrono::milliseconds> retry_after;  // parsed Retry-After header
};

enum class RetryAction {
  done,             // the attempt succeeded (2xx)
  retry,            // send again after `delay`
  fail,             // report the failure to the caller
  outcome_unknown,  // report that the (non-idempotent) request may have been applied
};

struct RetryDecision {
  RetryAction action = RetryAction::fail;
  std::chrono::milliseconds delay{0};
  friend bool operator==(const RetryDecision&, const RetryDecision&) = default;
};

// REQUIRES: attempts_made >= 1 (the attempt just finished counts); jitter in [0, 1), drawn
// uniformly by the caller (tests pass fixed values).
// Backoff for the n-th attempt: jitter * min(max_delay, base_delay * 2^(n-1)) (full jitter). A 429
// or 529 without Retry-After waits at least base_delay so a storm is not hammered.
RetryDecision decide_retry(const RetryPolicy& policy, const AttemptOutcome& outcome,
                           bool idempotent, int attempts_made, double jitter);

// Parses a Retry-After header: decimal seconds ("2", "1.5") or an HTTP-date, relative to `now`
// (a date in the past gives zero). nullopt when malformed.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view header, std::chrono::system_clock::time_point now);

}  // namespace notionsync::notion
