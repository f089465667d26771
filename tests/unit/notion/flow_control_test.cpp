#include "notion/flow_control.hpp"

#include <gtest/gtest.h>

#include <deque>

#include "notionsync/core/error.hpp"

namespace notionsync::notion {
namespace {

using namespace std::chrono_literals;

TEST(FlowControlTest, CapsRequestsInFlight) {
  SteadyTime now{1h};
  FlowControl flow({.rate = {.rate_per_second = 100, .burst = 100}, .max_in_flight = 2}, now);
  EXPECT_TRUE(flow.try_start(now).admitted);
  EXPECT_TRUE(flow.try_start(now).admitted);
  const Admission blocked = flow.try_start(now);
  EXPECT_FALSE(blocked.admitted);
  EXPECT_EQ(blocked.retry_at, SteadyTime::max());  // only a finishing request helps
  flow.finish();
  EXPECT_TRUE(flow.try_start(now).admitted);
  EXPECT_EQ(flow.in_flight(), 2);
}

TEST(FlowControlTest, BlockedByTheCapTakesNoToken) {
  SteadyTime now{1h};
  FlowControl flow({.rate = {.rate_per_second = 1, .burst = 2}, .max_in_flight = 1}, now);
  EXPECT_TRUE(flow.try_start(now).admitted);
  EXPECT_FALSE(flow.try_start(now).admitted);
  flow.finish();
  EXPECT_TRUE(flow.try_start(now).admitted);  // the second token was still there
}

// Simulates requests of a fixed latency on a virtual clock and returns the achieved throughput.
double simulated_throughput(int max_in_flight, std::chrono::milliseconds latency, int requests) {
  SteadyTime now{1h};
  const SteadyTime start = now;
  FlowControl flow({.rate = {.rate_per_second = 3, .burst = 3}, .max_in_flight = max_in_flight},
                   now);
  std::deque<SteadyTime> finishing;  // completion times of requests in flight, ascending
  int started = 0;
  SteadyTime last_finish = now;
  while (started < requests || !finishing.empty()) {
    while (!finishing.empty() && finishing.front() <= now) {
      flow.finish();
      last_finish = finishing.front();
      finishing.pop_front();
    }
    SteadyTime next = finishing.empty() ? SteadyTime::max() : finishing.front();
    if (started < requests) {
      const Admission a = flow.try_start(now);
      if (a.admitted) {
        ++started;
        finishing.push_back(now + latency);
        continue;
      }
      next = std::min(next, a.retry_at);
    }
    now = next;
  }
  return requests / std::chrono::duration<double>(last_finish - start).count();
}

TEST(FlowControlTest, LatencyDoesNotCapThroughputWithEightInFlight) {
  // 300 writes at 1 s latency: one in flight would give 1 request/s; eight keep up with 3/s.
  EXPECT_LT(simulated_throughput(1, 1000ms, 300), 1.01);
  EXPECT_GT(simulated_throughput(8, 1000ms, 300), 2.95);
  EXPECT_GT(simulated_throughput(8, 2500ms, 300), 2.9);
}

TEST(FlowControlTest, PauseHoldsEveryone) {
  SteadyTime now{1h};
  FlowControl flow({.rate = {.rate_per_second = 3, .burst = 3}, .max_in_flight = 8}, now);
  flow.pause_until(now + 5s);
  EXPECT_FALSE(flow.try_start(now + 4s).admitted);
  EXPECT_EQ(flow.in_flight(), 0);
}

TEST(FlowControlTest, FinishWithoutStartIsAnError) {
  FlowControl flow({.rate = {3, 3}, .max_in_flight = 1}, SteadyTime{});
  EXPECT_THROW(flow.finish(), Error);
  EXPECT_THROW(FlowControl({.rate = {3, 3}, .max_in_flight = 0}, SteadyTime{}), Error);
}

}  // namespace
}  // namespace notionsync::notion
