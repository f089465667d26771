// The state store's disk fails in the middle of a run. The program runs with a file-size limit
// (RLIMIT_FSIZE, SIGXFSZ ignored): once SQLite's write-ahead log reaches it, every write fails
// with EFBIG, as on a full disk. This needs no privileges, unlike a small tmpfs or loop mount.
// Expected: a clean abort (an exit code, not a signal) with a message naming the state store, an
// intact store, and a re-run without the limit that converges with no duplicate page.
#include "reliability_fixture.hpp"

namespace notionsync::testing {
namespace {

using FailingDiskTest = ReliabilityTest;

TEST_F(FailingDiskTest, AFullDiskMidRunAbortsCleanlyAndTheReRunConverges) {
  // Enough rows that the result commits outgrow the limit after the first page writes.
  const int row_count = sized(300, 500);
  write_rows(rows(0, row_count, 1));
  ASSERT_EQ(sync_json().exit_code, 0);

  // Every score changed, no row added or removed: the intents transaction (which records only
  // creates and removals) stays small, and the result commits grow the write-ahead log until
  // the limit stops them part-way.
  write_rows(rows(0, row_count, 2));
  server.reset_requests();
  CliProcess::Limits limits;
  // The write-ahead log passes ~32 KiB with the run's first transactions and grows by a few KiB
  // per result commit: 36 KiB lets the run start writing pages, then stops it part-way (the
  // assertions below say which way it missed if the store's layout moves this window).
  limits.max_file_size = 36 * 1024;
  const auto failed =
      CliProcess({"sync", "--no-progress"}, dir.path().string(), cli_env(), limits).wait();
  EXPECT_GT(failed.exit_code, 0) << failed.out << failed.err;
  EXPECT_LT(failed.exit_code, 128) << "ended by a signal:\n" << failed.out << failed.err;
  EXPECT_NE(failed.err.find("state store: disk I/O error"), std::string::npos)
      << "unclear error: " << failed.err;
  const std::size_t writes_before_failure =
      server.count("POST", "/v1/pages") + server.count("PATCH", "/v1/pages");
  EXPECT_GT(writes_before_failure, 0u) << "the disk failed before the run started writing";
  EXPECT_LT(writes_before_failure, static_cast<std::size_t>(row_count))
      << "the disk never failed";
  EXPECT_EQ(integrity_check(), "ok");

  const auto rerun = sync_json();
  ASSERT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
  expect_converged();
  expect_noop_resync();
}

}  // namespace
}  // namespace notionsync::testing
