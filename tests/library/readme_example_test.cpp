// The README's library example (compiled from README.md itself) run as a user runs it, against
// the emulator: the first run creates the database and two pages, the second writes nothing.
#include <gtest/gtest.h>

#include <regex>

#include "support/process_run.hpp"
#include "support/temp_dir.hpp"
#include "target/backend.hpp"

namespace notionsync::testing {
namespace {

TEST(ReadmeExampleTest, CreatesTheDatabaseThenWritesNothingTheSecondTime) {
  EmulatorBackend emulator;
  TempDir dir;
  const std::map<std::string, std::string> env = {
      {"NOTION_TOKEN", emulator.token()},
      {"NOTION_API_BASE_URL", emulator.base_url()},
      {"NOTION_PARENT_PAGE", emulator.parent_page_id()}};

  const ProcessRun first = run_to_completion({README_EXAMPLE_PATH}, dir.path().string(), env);
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  std::smatch found;
  ASSERT_TRUE(std::regex_search(first.out, found, std::regex("data source ([0-9a-f-]{36})")))
      << first.out;
  const std::string data_source = found[1];
  const auto pages = emulator.live_pages(data_source);
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(emulator.count("POST", "/v1/pages"), 2u);
  EXPECT_TRUE(std::filesystem::exists(dir.path() / ".notionsync" / "state.db"));

  emulator.reset_counts();
  const ProcessRun second = run_to_completion({README_EXAMPLE_PATH}, dir.path().string(), env);
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_NE(second.out.find("data source " + data_source), std::string::npos) << second.out;
  // Nothing written: the data source read once (schema check) and the drift query.
  EXPECT_EQ(emulator.count("POST", "/v1/pages"), 0u);
  EXPECT_EQ(emulator.count("PATCH", "/v1/pages"), 0u);
  EXPECT_EQ(emulator.total_requests(), 2u);
}

TEST(ReadmeExampleTest, SaysWhatToSetWithoutAParentPage) {
  TempDir dir;
  const ProcessRun run =
      run_to_completion({README_EXAMPLE_PATH}, dir.path().string(), {{"NOTION_PARENT_PAGE", ""}});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("NOTION_PARENT_PAGE"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace notionsync::testing
