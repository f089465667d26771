// kill -9 of a sync at chosen moments (inside the intents transaction, inside result batches,
// with creates applied in Notion but not yet recorded), each followed by a normal run: the run
// converges, no page is duplicated or lost, and the run after it is a no-op.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include "target_test_fixture.hpp"

extern char** environ;

namespace notionsync::testing {
namespace {

constexpr int kRows = 20;

class KilledSyncTest : public ::testing::TestWithParam<int> {
 protected:
  // Runs the child and returns how it ended: the signal that killed it, or 0 for a normal exit.
  // `create_batch` > 0: creates are recorded pending in batches of that many.
  int run_child(int kill_after, int create_batch = 0) {
    std::vector<std::string> args = {CRASH_CHILD_PATH,          emulator.base_url(),
                                     emulator.parent_page_id(), state_path,
                                     std::to_string(kRows),     std::to_string(kill_after)};
    if (create_batch > 0) args.push_back(std::to_string(create_batch));
    std::vector<char*> argv;
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    pid_t pid = 0;
    if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) return -1;
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  }

  SyncReport sync_in_process(notion::Client& client) {
    auto store = SqliteStateStore::open(state_path);
    App app("crash", *store);
    notion::DatabaseTargetOptions options;
    options.client = &client;
    options.schema = people_schema();
    options.parent_page_id = emulator.parent_page_id();
    options.title = "Crash";
    auto& target = notion::mount_database_target(app, "people", options);
    for (int i = 0; i < kRows; ++i) {
      target.declare(person_row({"P" + std::to_string(i), "p@example.com"}));
    }
    data_source = "";
    const auto report = app.sync();
    data_source = store->targets("crash").at(0).remote_id;
    return report;
  }

  void expect_the_next_run_converges();

  TempDir dir;
  EmulatorBackend emulator;
  std::string state_path = dir.file("state.db");
  std::string data_source;
};

TEST_P(KilledSyncTest, TheNextRunConvergesWithoutDuplicates) {
  ASSERT_EQ(run_child(GetParam()), SIGKILL)
      << "the child was meant to die at row write " << GetParam();
  expect_the_next_run_converges();
}

// Creates recorded pending in batches of 6: row writes alternate between a batch's intents and
// results, and a kill between two batches leaves the later rows untracked (never sent).
TEST_P(KilledSyncTest, TheNextRunConvergesWhenCreatesAreRecordedInBatches) {
  ASSERT_EQ(run_child(GetParam(), 6), SIGKILL)
      << "the child was meant to die at row write " << GetParam();
  expect_the_next_run_converges();
}

void KilledSyncTest::expect_the_next_run_converges() {
  notion::ClientOptions options;
  options.token = emulator.token();
  options.base_url = emulator.base_url();
  options.rate = {1000.0, 1000.0};
  notion::Client client(options);

  const auto report = sync_in_process(client);
  ASSERT_TRUE(report.ok()) << report.to_string();
  const auto pages = emulator.live_pages(data_source);
  std::set<std::string> names;
  for (const auto& page : pages) {
    names.insert(notion::decode_property_value(page["properties"]["Name"]).as_string());
  }
  EXPECT_EQ(pages.size(), static_cast<std::size_t>(kRows)) << "duplicated or lost pages";
  EXPECT_EQ(names.size(), static_cast<std::size_t>(kRows));

  emulator.reset_counts();
  sync_in_process(client);
  EXPECT_EQ(emulator.count("POST", "/v1/pages") + emulator.count("PATCH", "/v1/pages"), 0u);
}

// In batches of 100, row writes 1..20 are the intents (one transaction), 21..40 the results in
// batches of 4; in batches of 6, every point falls in a batch's intents or results.
INSTANTIATE_TEST_SUITE_P(KillPoints, KilledSyncTest,
                         ::testing::Values(1, 10, 20, 21, 23, 27, 33, 40));

}  // namespace
}  // namespace notionsync::testing
