// The Notion token never appears in what notionsync writes: verbose logs (with retries and lost
// responses to log), errors, --json output, the state store and its lock file, or the emulator's
// recording of every exchange.
#include <filesystem>

#include "reliability_fixture.hpp"

namespace notionsync::testing {
namespace {

constexpr const char* kToken = "secret_reliabilityTokenZq7uX3Lk9Pw2Hd5N";

std::string recording_path() {
  return (std::filesystem::temp_directory_path() /
          ("notionsync-token-recording-" + std::to_string(::getpid()) + ".jsonl"))
      .string();
}

notion_emulator::Options secret_emulator() {
  notion_emulator::Options options;
  options.rate = 0;
  options.token = kToken;
  options.record_path = recording_path();
  return options;
}

class TokenSecrecyTest : public ReliabilityTest {
 protected:
  TokenSecrecyTest() : ReliabilityTest(secret_emulator()) {}
  ~TokenSecrecyTest() override { std::filesystem::remove(recording_path()); }
  std::string server_token() const override { return kToken; }

  void expect_no_token(const CliResult& result, const std::string& what) {
    EXPECT_EQ(result.out.find(kToken), std::string::npos) << what << " stdout";
    EXPECT_EQ(result.err.find(kToken), std::string::npos) << what << " stderr";
  }
};

TEST_F(TokenSecrecyTest, TheTokenIsNeverWrittenAnywhere) {
  write_rows(rows(0, 30, 1));
  server.set_faults("429(0):0.1,503:0.1,reset_after@POST /v1/pages:0.1", 3);
  const auto verbose = cli({"-v", "sync", "--no-progress"});
  EXPECT_NE(verbose.err.find("notion: "), std::string::npos) << "nothing logged: " << verbose.err;
  expect_no_token(verbose, "sync -v");
  expect_no_token(sync_json(), "sync --json");
  server.set_faults("", 1);
  expect_no_token(cli({"plan", "--json"}), "plan --json");
  expect_no_token(cli({"status", "--json"}), "status --json");
  expect_no_token(cli({"-v", "doctor"}), "doctor");

  // An error that names the request: a parent page the integration cannot see (in a folder of
  // its own, so no remembered data source id skips the parent).
  const auto denied_dir = dir.path() / "denied";
  std::filesystem::create_directories(denied_dir);
  for (const char* file : {"notionsync.toml", "people.csv"}) {
    std::filesystem::copy_file(dir.path() / file, denied_dir / file);
  }
  auto env = cli_env();
  env["NOTION_PARENT_PAGE"] = "0123456789ab4def8123456789abcdef";
  const auto denied = CliProcess({"-v", "sync", "--no-progress"}, denied_dir.string(), env).wait();
  EXPECT_NE(denied.exit_code, 0);
  expect_no_token(denied, "access error");
  const auto denied_json =
      CliProcess({"sync", "--json", "--no-progress"}, denied_dir.string(), env).wait();
  expect_no_token(denied_json, "access error --json");

  server.stop();  // flushes the recording
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path())) {
    if (!entry.is_regular_file()) continue;
    ++files;
    EXPECT_EQ(slurp(entry.path().string()).find(kToken), std::string::npos) << entry.path();
  }
  EXPECT_GE(files, 3u);  // the config, the CSV, the state store at least
  const std::string recording = slurp(recording_path());
  EXPECT_NE(recording.find("/v1/pages"), std::string::npos) << "nothing recorded";
  EXPECT_EQ(recording.find(kToken), std::string::npos) << "token in the recording";
}

}  // namespace
}  // namespace notionsync::testing
