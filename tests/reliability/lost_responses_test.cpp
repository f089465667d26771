// 10% of page creations are applied by Notion but their response is lost (the connection is reset
// after the write): re-runs converge with zero duplicate pages and zero lost rows, because a
// create whose outcome is unknown is looked up by key before anything is sent again.
#include "reliability_fixture.hpp"

namespace notionsync::testing {
namespace {

using LostResponsesTest = ReliabilityTest;

TEST_F(LostResponsesTest, ReRunsConvergeWithoutDuplicatesOrLostRows) {
  const int row_count = sized(60, 500);
  write_rows(rows(0, row_count, 1));
  server.set_faults("reset_after@POST /v1/pages:0.1", 20261125);

  // Each run resolves the unknown creates of the one before; with 10% of creates lost per run,
  // a handful of runs is plenty (the chance that a create is lost 8 times in a row is 1e-8).
  const int runs = sync_until_ok(8);
  ASSERT_LE(runs, 8) << last_failure;
  std::size_t lost_responses = 0;
  for (const auto& request : server.requests()) lost_responses += request.fault == "reset_after";
  EXPECT_GT(lost_responses, 0u) << "the fault never fired: the test tests nothing";
  expect_converged();

  // Changes under the same faults: 10% updated, 10% removed, 10% new.
  auto next = rows(row_count / 10, row_count, 2);
  for (auto& row : next) {
    if (row.index % 10 != 3) row.score = row.index * 10 + 1;  // unchanged
  }
  write_rows(next);
  ASSERT_LE(sync_until_ok(8), 8) << last_failure;
  expect_converged();
  expect_noop_resync();
}

}  // namespace
}  // namespace notionsync::testing
