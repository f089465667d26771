#include "notionsync/notion/retry_policy.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace notionsync::notion {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

struct Case {
  std::string name;
  AttemptOutcome outcome;
  bool idempotent;
  int attempts_made;
  double jitter;
  RetryDecision expected;
};

AttemptOutcome http(int status, std::optional<milliseconds> retry_after = std::nullopt) {
  return {.status = status, .request_may_have_been_sent = true, .retry_after = retry_after};
}
AttemptOutcome network_after_send() {
  return {0, true, std::nullopt};
}
AttemptOutcome network_before_send() {
  return {0, false, std::nullopt};
}

TEST(RetryPolicyTest, DecisionTable) {
  // Default policy: 5 attempts, 10 when rate limited, base 500 ms, cap 30 s.
  const RetryPolicy policy;
  const RetryAction retry = RetryAction::retry;
  const RetryAction fail = RetryAction::fail;
  const RetryAction unknown = RetryAction::outcome_unknown;
  const std::vector<Case> cases = {
      {"200 is done", http(200), true, 1, 0.5, {RetryAction::done, 0ms}},
      {"201 create is done", http(200), false, 1, 0.5, {RetryAction::done, 0ms}},
      {"429 waits Retry-After", http(429, 2000ms), true, 1, 0.9, {retry, 2000ms}},
      {"429 on a create is safe to retry", http(429, 1000ms), false, 1, 0.9, {retry, 1000ms}},
      {"429 without Retry-After backs off at least the base",
       http(429),
       true,
       1,
       0.0,
       {retry, 500ms}},
      {"429 without Retry-After, full jitter above the base",
       http(429),
       true,
       3,
       0.5,
       {retry, 1000ms}},
      {"429 Retry-After is capped", http(429, 3'600'000ms), true, 1, 0.5, {retry, 600'000ms}},
      {"429 gives up after ten attempts", http(429, 1000ms), true, 10, 0.5, {fail, 0ms}},
      {"429 retries on the ninth attempt", http(429, 1000ms), true, 9, 0.5, {retry, 1000ms}},
      {"529 is treated like 429", http(529, 3000ms), false, 1, 0.5, {retry, 3000ms}},
      {"500 retried for idempotent", http(500), true, 1, 0.5, {retry, 250ms}},
      {"502 backoff doubles", http(502), true, 2, 0.5, {retry, 500ms}},
      {"503 backoff doubles again", http(503), true, 3, 1.0, {retry, 2000ms}},
      {"503 honours Retry-After", http(503, 7000ms), true, 1, 0.1, {retry, 7000ms}},
      {"504 full jitter can be zero", http(504), true, 1, 0.0, {retry, 0ms}},
      {"backoff is capped", http(500), true, 4, 1.0, {retry, 4000ms}},
      {"409 retried for idempotent", http(409), true, 1, 1.0, {retry, 500ms}},
      {"5xx gives up after five attempts", http(500), true, 5, 0.5, {fail, 0ms}},
      {"500 on a create: outcome unknown", http(500), false, 1, 0.5, {unknown, 0ms}},
      {"502 on a create: outcome unknown", http(502), false, 1, 0.5, {unknown, 0ms}},
      {"504 on a create: outcome unknown", http(504), false, 1, 0.5, {unknown, 0ms}},
      {"409 on a create: outcome unknown", http(409), false, 1, 0.5, {unknown, 0ms}},
      {"reset after send: retried when idempotent",
       network_after_send(),
       true,
       1,
       1.0,
       {retry, 500ms}},
      {"reset after send on a create: outcome unknown",
       network_after_send(),
       false,
       1,
       0.5,
       {unknown, 0ms}},
      {"connection refused on a create: safe to retry",
       network_before_send(),
       false,
       1,
       1.0,
       {retry, 500ms}},
      {"connection refused gives up after five attempts",
       network_before_send(),
       false,
       5,
       1.0,
       {fail, 0ms}},
      {"400 is final", http(400), true, 1, 0.5, {fail, 0ms}},
      {"401 is final", http(401), true, 1, 0.5, {fail, 0ms}},
      {"403 is final", http(403), true, 1, 0.5, {fail, 0ms}},
      {"404 is final", http(404), true, 1, 0.5, {fail, 0ms}},
      {"404 on a create is final, not unknown", http(404), false, 1, 0.5, {fail, 0ms}},
      {"413 is final", http(413), true, 1, 0.5, {fail, 0ms}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(decide_retry(policy, c.outcome, c.idempotent, c.attempts_made, c.jitter), c.expected)
        << c.name;
  }
}

TEST(RetryPolicyTest, BackoffNeverExceedsTheCap) {
  RetryPolicy policy;
  policy.max_attempts = 100;
  for (int attempt = 1; attempt < 99; ++attempt) {
    const auto d = decide_retry(policy, http(503), true, attempt, 0.999999);
    EXPECT_LE(d.delay, policy.max_delay) << attempt;
  }
}

TEST(RetryPolicyTest, ParsesRetryAfterSeconds) {
  const auto now = std::chrono::system_clock::now();
  EXPECT_EQ(parse_retry_after("1", now), 1000ms);
  EXPECT_EQ(parse_retry_after(" 30 ", now), 30'000ms);
  EXPECT_EQ(parse_retry_after("1.5", now), 1500ms);
  EXPECT_EQ(parse_retry_after("0", now), 0ms);
  EXPECT_EQ(parse_retry_after("", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("soon", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("1s", now), std::nullopt);
}

TEST(RetryPolicyTest, ParsesRetryAfterHttpDate) {
  // Wed, 21 Oct 2015 07:28:00 GMT is 1445412480 seconds after the epoch.
  const auto now = std::chrono::system_clock::from_time_t(1445412480 - 90);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now), 90'000ms);
  const auto later = std::chrono::system_clock::from_time_t(1445412480 + 5);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", later), 0ms);
}

}  // namespace
}  // namespace notionsync::notion
