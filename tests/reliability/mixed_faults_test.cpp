// 20% of all requests fail: 429 and 529 (with Retry-After), 500/502/503/504, 409, and stalls well
// under the client's timeout. Runs converge, and retries stay bounded.
#include "reliability_fixture.hpp"

namespace notionsync::testing {
namespace {

// Retry-After 0 keeps CI fast; the waiting itself is tested in tests/notion.
constexpr const char* kMixedFaults =
    "429(0):0.04,529(0):0.03,500:0.02,502:0.02,503:0.03,504:0.02,409:0.02,stall(300):0.02";

// One run under faults; checks that every attempt the emulator saw is one the client counted, and
// that retries stay bounded:
// - each retry answers a fault (a stall is answered normally and never retried), so
//   retries <= faulted responses;
// - with 20% of attempts faulted, attempts per call follow a geometric law of mean 1.25; twice the
//   calls that succeeded (+20 for small runs) is more than 10 standard deviations above that mean,
//   so a run over it means the client retries more than the faults justify.
class MixedFaultsTest : public ReliabilityTest {
 protected:
  CliResult run_and_check_retries();
};

CliResult MixedFaultsTest::run_and_check_retries() {
  server.reset_requests();
  auto result = sync_json();
  const auto requests = server.requests();
  std::size_t faulted = 0;
  std::size_t clean = 0;
  for (const auto& request : requests) {
    if (!request.fault.empty() && request.fault != "stall") {
      ++faulted;
    } else {
      ++clean;
    }
  }
  const auto report = nlohmann::json::parse(result.out, nullptr, false);
  if (report.is_discarded() || !report.contains("notion_calls")) {
    ADD_FAILURE() << "no JSON report: " << result.out << result.err;
    return result;
  }
  const auto& calls = report["notion_calls"];
  EXPECT_EQ(calls["requests"].get<std::size_t>(), requests.size())
      << "the client and the emulator disagree on the attempts made";
  EXPECT_LE(calls["retries"].get<std::size_t>(), faulted) << "a retry without a fault";
  EXPECT_LE(requests.size(), 2 * clean + 20) << "retries out of proportion to the faults";
  return result;
}

TEST_F(MixedFaultsTest, TwentyPercentMixedFaultsConvergeWithBoundedRetries) {
  const int row_count = sized(60, 500);
  write_rows(rows(0, row_count, 1));
  server.set_faults(kMixedFaults, 7);

  // A create answered 5xx or 409 is not re-sent blindly (Notion may have applied it): it ends as
  // unknown and the next run looks it up, so convergence may take a few runs.
  int runs = 0;
  for (runs = 1; runs <= 8; ++runs) {
    if (run_and_check_retries().exit_code == 0) break;
  }
  ASSERT_LE(runs, 8);
  expect_converged();

  auto next = rows(row_count / 10, row_count, 2);
  for (auto& row : next) {
    if (row.index % 10 != 3) row.score = row.index * 10 + 1;
  }
  write_rows(next);
  for (runs = 1; runs <= 8; ++runs) {
    if (run_and_check_retries().exit_code == 0) break;
  }
  ASSERT_LE(runs, 8);
  expect_converged();
  expect_noop_resync();
}

}  // namespace
}  // namespace notionsync::testing
