// The notion-emulator binary: flags, the port file, the start banner and a clean stop on SIGTERM.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "api_client.hpp"
#include "support/process_run.hpp"

namespace notion_emulator::testing {
namespace {

constexpr std::string_view kBinary = NOTION_EMULATOR_BINARY;

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

// The notion-emulator binary with `arguments` as a child process, its stdout and stderr into
// `output`; killed and reaped when the test no longer needs it.
class ChildProcess : public notionsync::testing::BackgroundProcess {
 public:
  ChildProcess(std::vector<std::string> arguments, const std::filesystem::path& output)
      : BackgroundProcess(with_binary(std::move(arguments)),
                          notionsync::testing::output_to(output.string())) {}

 private:
  static std::vector<std::string> with_binary(std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), std::string(kBinary));
    return arguments;
  }
};

class BinaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("notion-emulator-binary-" + std::to_string(::getpid()));
    std::filesystem::remove_all(directory_);
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  int wait_for_port() {
    const auto port_file = directory_ / "port";
    for (int i = 0; i < 500 && !std::filesystem::exists(port_file); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return std::stoi(read_file(port_file));
  }

  std::filesystem::path directory_;
};

TEST_F(BinaryTest, ServesWithEveryKnobAndSavesStateOnSigterm) {
  const std::string root = "0f0e0d0c-0b0a-4908-8706-050403020100";
  const std::string extra = "1a1a1a1a-2b2b-4c3c-8d4d-5e5e5e5e5e5e";
  const auto output = directory_ / "output";
  ChildProcess child({"--port",       "0",
                      "--port-file",  (directory_ / "port").string(),
                      "--token",      "secret_binary",
                      "--rate",       "0",
                      "--burst",      "5",
                      "--latency-ms", "1",
                      "--faults",     "503@GET /v1/users/me#1",
                      "--seed",       "9",
                      "--record",     (directory_ / "record.jsonl").string(),
                      "--state",      (directory_ / "state.json").string(),
                      "--root-page",  root,
                      "--page",       extra + "=Extra page"},
                     output);
  const int port = wait_for_port();
  httplib::Client client("127.0.0.1", port);
  const httplib::Headers headers = {{"Authorization", "Bearer secret_binary"},
                                    {"Notion-Version", "2025-09-03"}};
  EXPECT_EQ(client.Get("/v1/users/me", headers)->status, 503);
  EXPECT_EQ(client.Get("/v1/users/me", headers)->status, 200);
  const auto page = client.Get("/v1/pages/" + extra, headers);
  ASSERT_EQ(page->status, 200);
  EXPECT_EQ(json::parse(page->body)["properties"]["title"]["title"][0]["plain_text"], "Extra page");
  const json create = {
      {"parent", {{"type", "page_id"}, {"page_id", root}}},
      {"initial_data_source", {{"properties", {{"Name", {{"title", json::object()}}}}}}}};
  const auto database = client.Post("/v1/databases", headers, create.dump(), "application/json");
  ASSERT_EQ(database->status, 200) << database->body;
  client.stop();

  EXPECT_EQ(child.stop(SIGTERM), 0);
  const std::string banner = read_file(output);
  EXPECT_NE(banner.find("http://127.0.0.1:" + std::to_string(port)), std::string::npos) << banner;
  EXPECT_NE(banner.find(root), std::string::npos) << banner;
  EXPECT_NE(read_file(directory_ / "state.json")
                .find(json::parse(database->body)["id"].get<std::string>()),
            std::string::npos);
  const std::string recording = read_file(directory_ / "record.jsonl");
  EXPECT_NE(recording.find("\"fault\":\"503\""), std::string::npos);
  EXPECT_EQ(recording.find("secret_binary"), std::string::npos);
}

TEST_F(BinaryTest, StateIsSavedWhileRunningSoAKillLosesNothingAcknowledged) {
  const auto state = directory_ / "state.json";
  std::string data_source_id;
  {
    ChildProcess child({"--port", "0", "--port-file", (directory_ / "port").string(), "--rate", "0",
                        "--state", state.string()},
                       directory_ / "output");
    httplib::Client client("127.0.0.1", wait_for_port());
    const httplib::Headers headers = {{"Authorization", "Bearer secret_notionsync_emulator"},
                                      {"Notion-Version", "2025-09-03"}};
    const json create = {
        {"parent", {{"type", "page_id"}, {"page_id", "6e1f3c9a-2b7d-4c58-9a41-7d0e5b2c8f13"}}}};
    const auto database = client.Post("/v1/databases", headers, create.dump(), "application/json");
    ASSERT_EQ(database->status, 200) << database->body;
    data_source_id = json::parse(database->body)["data_sources"][0]["id"];
    // The state is flushed in the background shortly after each write; wait for it, then kill -9.
    for (int i = 0; i < 300 && read_file(state).find(data_source_id) == std::string::npos; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(child.stop(SIGKILL), 128 + SIGKILL);
  }
  std::filesystem::remove(directory_ / "port");
  ChildProcess child({"--port", "0", "--port-file", (directory_ / "port").string(), "--rate", "0",
                      "--state", state.string()},
                     directory_ / "output");
  httplib::Client client("127.0.0.1", wait_for_port());
  const auto retrieved = client.Get(
      "/v1/data_sources/" + data_source_id,
      {{"Authorization", "Bearer secret_notionsync_emulator"}, {"Notion-Version", "2025-09-03"}});
  EXPECT_EQ(retrieved->status, 200);
}

TEST_F(BinaryTest, RejectsBadFlags) {
  {
    ChildProcess child({"--faults", "nonsense", "--port", "0"}, directory_ / "output");
    EXPECT_NE(child.wait(), 0);
  }
  {
    ChildProcess child({"--page", "no-equals-sign"}, directory_ / "output");
    EXPECT_NE(child.wait(), 0);
  }
}

// A mistyped flag is a usage error, 2, as for notionsync; --version and -V answer and exit 0.
TEST_F(BinaryTest, ExitsTwoOnABadFlagAndAnswersVersion) {
  {
    ChildProcess child({"--no-such-flag"}, directory_ / "output");
    EXPECT_EQ(child.wait(), 2);
  }
  {
    ChildProcess child({"--port", "not-a-number"}, directory_ / "output");
    EXPECT_EQ(child.wait(), 2);
  }
  for (const std::string flag : {"--version", "-V"}) {
    ChildProcess child({flag}, directory_ / "output");
    EXPECT_EQ(child.wait(), 0) << flag;
    EXPECT_NE(read_file(directory_ / "output").find("notion-emulator"), std::string::npos) << flag;
  }
}

// Its admin endpoints have no authentication: a non-loopback address is warned about before the
// emulator binds (192.0.2.1 is TEST-NET-1, never this machine's: the bind fails, so nothing is
// exposed by the test).
TEST_F(BinaryTest, WarnsWhenAskedToListenBeyondThisMachine) {
  ChildProcess child({"--host", "192.0.2.1", "--port", "0"}, directory_ / "output");
  EXPECT_EQ(child.wait(), 1);
  const std::string output = read_file(directory_ / "output");
  EXPECT_NE(output.find("warning: --host 192.0.2.1 is not a loopback address"), std::string::npos)
      << output;
  EXPECT_NE(output.find("no authentication"), std::string::npos) << output;
}

TEST(RecordDirectoryTest, EachServerRecordsToAFreshFileInTheDirectory) {
  const auto directory = std::filesystem::temp_directory_path() /
                         ("notion-emulator-records-" + std::to_string(::getpid()));
  std::filesystem::remove_all(directory);
  std::filesystem::create_directories(directory);
  const char* previous = std::getenv("NOTION_EMULATOR_RECORD_DIR");
  const std::string saved = previous ? previous : "";
  ::setenv("NOTION_EMULATOR_RECORD_DIR", directory.c_str(), 1);
  for (int i = 0; i < 2; ++i) {
    Options options;
    options.rate = 0;
    Server server(options);
    server.start();
    Api(server).get("/v1/users/me");
  }
  if (previous) {
    ::setenv("NOTION_EMULATOR_RECORD_DIR", saved.c_str(), 1);
  } else {
    ::unsetenv("NOTION_EMULATOR_RECORD_DIR");
  }
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    names.push_back(entry.path().filename().string());
    EXPECT_NE(read_file(entry.path()).find("/v1/users/me"), std::string::npos);
  }
  EXPECT_EQ(names.size(), 2u);
  for (const std::string& name : names)
    EXPECT_EQ(name.rfind("emulator-" + std::to_string(::getpid()) + "-", 0), 0u);
  std::filesystem::remove_all(directory);
}

}  // namespace
}  // namespace notion_emulator::testing
