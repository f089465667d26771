// examples/worker run as a user runs it, against the emulator and a throw-away PostgreSQL server:
// the first run syncs both databases, the second finds nothing due and sends nothing.
#include <gtest/gtest.h>

#include "support/postgres_cluster.hpp"
#include "support/process_run.hpp"
#include "support/temp_dir.hpp"
#include "target/backend.hpp"

namespace notionsync::testing {
namespace {

TEST(WorkerExampleTest, SyncsBothDatabasesThenFindsNothingDue) {
  EmulatorBackend emulator;
  TempDir dir;
  const std::string url = shared_postgres_cluster().url();
  const std::map<std::string, std::string> env = {
      {"NOTIONSYNC_STATE",
       url + (url.find('?') == std::string::npos ? "?" : "&") + "schema=worker_example"},
      {"NOTION_TOKEN", emulator.token()},
      {"NOTION_API_BASE_URL", emulator.base_url()},
      {"NOTION_PARENT_PAGE", emulator.parent_page_id()}};

  const ProcessRun first =
      run_to_completion({WORKER_EXAMPLE_PATH, "--once"}, dir.path().string(), env);
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_NE(first.out.find("worker-example/Tasks: ok"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("worker-example/Tags: ok"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("every run ok"), std::string::npos) << first.out;
  EXPECT_EQ(emulator.count("POST", "/v1/pages"), 5u);  // 3 tasks, 2 tags

  emulator.reset_counts();
  const ProcessRun second =
      run_to_completion({WORKER_EXAMPLE_PATH, "--once"}, dir.path().string(), env);
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_EQ(second.out.find("worker-example/"), std::string::npos) << second.out;
  EXPECT_EQ(emulator.total_requests(), 0u);  // nothing is due for five minutes
}

TEST(WorkerExampleTest, SaysWhatToSetWithoutAState) {
  TempDir dir;
  const ProcessRun run = run_to_completion({WORKER_EXAMPLE_PATH, "--once"}, dir.path().string(),
                                           {{"NOTIONSYNC_STATE", ""}});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("NOTIONSYNC_STATE"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace notionsync::testing
