// The state store's disk fails in the middle of a run, two ways: a file-size limit on the program
// (RLIMIT_FSIZE, SIGXFSZ ignored: once SQLite's write-ahead log reaches it, every write fails with
// EFBIG; needs no privileges, so it always runs), and a small tmpfs that fills up (ENOSPC; needs
// mount, skipped where the sandbox refuses it).
// Expected: a clean abort (an exit code, not a signal) with a message naming the state store, an
// intact store, and a re-run without the limit that converges with no duplicate page.
#include <sys/mount.h>

#include <filesystem>

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

// A small tmpfs mounted for the state store (needs root and a sandbox that allows mount; skipped
// otherwise). After a first sync, a filler file takes all but 36 KiB of it, so the next run meets
// ENOSPC part-way, as on a real full disk.
class FullTmpfsTest : public ReliabilityTest {
 protected:
  ~FullTmpfsTest() override {
    if (mounted_) ::umount2(disk_.c_str(), MNT_DETACH);
  }
  bool mount_disk() {
    std::filesystem::create_directories(disk_);
    mounted_ = ::mount("notionsync-test", disk_.c_str(), "tmpfs", 0, "size=4m") == 0;
    return mounted_;
  }
  // Fills the disk, then frees `free_bytes`.
  void fill_leaving(std::size_t free_bytes) {
    const std::string filler = disk_ + "/filler";
    const int fd = ::open(filler.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ASSERT_GE(fd, 0);
    const std::string block(64 * 1024, 'x');
    off_t size = 0;
    for (;;) {
      const ssize_t written = ::write(fd, block.data(), block.size());
      if (written <= 0) break;
      size += written;
    }
    ASSERT_GT(size, static_cast<off_t>(free_bytes));
    ASSERT_EQ(::ftruncate(fd, size - static_cast<off_t>(free_bytes)), 0);
    ::close(fd);
  }
  void empty_disk() { std::filesystem::remove(disk_ + "/filler"); }

  const std::string disk_ = dir.file("disk");
  bool mounted_ = false;
};

TEST_F(FullTmpfsTest, AFullFileSystemMidRunAbortsCleanlyAndTheReRunConverges) {
  if (!mount_disk()) GTEST_SKIP() << "mount(tmpfs) not permitted here: " << std::strerror(errno);
  state_file = "disk/state.db";
  write_config();

  const int row_count = sized(300, 500);
  write_rows(rows(0, row_count, 1));
  ASSERT_EQ(sync_json().exit_code, 0);
  write_rows(rows(0, row_count, 2));  // updates only, as above
  fill_leaving(36 * 1024);
  server.reset_requests();
  const auto failed = cli({"sync", "--no-progress"});
  EXPECT_GT(failed.exit_code, 0) << failed.out << failed.err;
  EXPECT_LT(failed.exit_code, 128) << "ended by a signal:\n" << failed.out << failed.err;
  EXPECT_NE(failed.err.find("state store: database or disk is full"), std::string::npos)
      << "unclear error: " << failed.err;
  const std::size_t writes_before_failure = server.count("PATCH", "/v1/pages");
  EXPECT_GT(writes_before_failure, 0u) << "the disk was full before the run started writing";
  EXPECT_LT(writes_before_failure, static_cast<std::size_t>(row_count)) << "the disk never filled";

  empty_disk();
  const auto rerun = sync_json();
  ASSERT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
  expect_converged();
  expect_noop_resync();
}

}  // namespace
}  // namespace notionsync::testing
