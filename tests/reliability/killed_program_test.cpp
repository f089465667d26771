// kill -9 of the `notionsync sync` program at seeded-random moments, each followed by a normal
// re-run: the re-run converges (every declared row has exactly one live page with its content, no
// removed row keeps a live page), and the state store always opens and passes integrity_check.
//
// The moment is "after the emulator has logged k requests of this run", observed by polling the
// emulator's request log while the child runs; the emulator adds latency so a run lasts long
// enough to be cut anywhere. Each round syncs a new version of the rows (10% removed, 10% new,
// the rest changed), so every kill lands in the middle of creates, updates and trashes.
#include <random>

#include "reliability_fixture.hpp"

namespace notionsync::testing {
namespace {

notion_emulator::Options slow_emulator() {
  notion_emulator::Options options;
  options.rate = 0;
  options.latency_ms = 20;
  return options;
}

class KilledProgramTest : public ReliabilityTest {
 protected:
  KilledProgramTest() : ReliabilityTest(slow_emulator()) {}

  // Starts `notionsync sync` and kills it once the emulator has logged `kill_after` requests of
  // this run. Returns false when the run finished first.
  bool sync_and_kill(std::size_t kill_after) {
    server.reset_requests();
    CliProcess child({"sync", "--no-progress"}, dir.path().string(), cli_env());
    // Bounded: a run makes about one request per row; the loop ends when the child does.
    while (!child.finished()) {
      if (server.requests().size() >= kill_after) {
        child.kill_now();
        return child.was_killed();
      }
      std::this_thread::sleep_for(std::chrono::microseconds(200));  // polling interval only
    }
    return false;
  }
};

TEST_F(KilledProgramTest, EveryKillIsFollowedByAConvergingRunAndAnIntactStore) {
  const int row_count = sized(60, 500);
  const int kills = sized(4, 20);
  std::mt19937 random(20261125);
  int killed = 0;
  for (int round = 0; round < kills; ++round) {
    // Round 0 is a first sync (all creates); later rounds shift the window by 10% and change
    // every score.
    write_rows(rows(round * row_count / 10, row_count, round));
    // Up to 3/4 of the rows: the quarter left keeps the run alive well past the moment even on
    // a loaded machine, so the kill always lands.
    std::uniform_int_distribution<std::size_t> moment(1,
                                                      static_cast<std::size_t>(row_count * 3 / 4));
    const std::size_t kill_after = moment(random);
    killed += sync_and_kill(kill_after) ? 1 : 0;
    ASSERT_EQ(integrity_check(), "ok") << "after the kill of round " << round;

    server.reset_requests();
    const auto rerun = sync_json();
    ASSERT_EQ(rerun.exit_code, 0) << "round " << round << " (killed after " << kill_after
                                  << " requests):\n"
                                  << rerun.out << rerun.err;
    expect_converged();
    ASSERT_EQ(integrity_check(), "ok") << "after the re-run of round " << round;
    if (HasFailure()) return;
  }
  EXPECT_EQ(killed, kills) << "some runs ended before their kill moment";
  expect_noop_resync();
}

}  // namespace
}  // namespace notionsync::testing
