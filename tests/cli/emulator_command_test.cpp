// `notionsync emulator`: the emulator's flags under the notionsync program, the port file, the
// HTML view, and a clean stop on SIGTERM.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/process_run.hpp"
#include "support/temp_dir.hpp"

namespace notionsync::testing {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// `notionsync args...` as a child process (stdin from /dev/null, stdout and stderr into
// `output`), killed and reaped if a test ends before it does.
class NotionsyncProcess : public BackgroundProcess {
 public:
  NotionsyncProcess(std::vector<std::string> arguments, const fs::path& output)
      : BackgroundProcess(with_program(std::move(arguments)), output_to(output.string())) {}

 private:
  static std::vector<std::string> with_program(std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), NOTIONSYNC_PATH);
    return arguments;
  }
};

// Polls for the port file for up to 10 s; 0 if it never appeared.
int wait_for_port(const fs::path& port_file) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (fs::exists(port_file)) return std::stoi(read_text(port_file));
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return 0;
}

TEST(EmulatorCommandTest, ServesWithTheEmulatorFlagsUntilSigterm) {
  TempDir dir;
  const fs::path port_file = dir.file("port");
  const fs::path output = dir.file("output");
  NotionsyncProcess emulator(
      {"emulator", "--port", "0", "--port-file", port_file.string(), "--token", "secret_cli",
       "--rate", "0", "--root-page", "0f0e0d0c-0b0a-4908-8706-050403020100", "--page",
       "1a1a1a1a-2b2b-4c3c-8d4d-5e5e5e5e5e5e=Extra page"},
      output);
  const int port = wait_for_port(port_file);
  ASSERT_GT(port, 0) << read_text(output);

  httplib::Client client("127.0.0.1", port);
  const httplib::Headers headers = {{"Authorization", "Bearer secret_cli"},
                                    {"Notion-Version", "2025-09-03"}};
  const auto page = client.Get("/v1/pages/1a1a1a1a-2b2b-4c3c-8d4d-5e5e5e5e5e5e", headers);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(nlohmann::json::parse(page->body)["properties"]["title"]["title"][0]["plain_text"],
            "Extra page");
  const auto view = client.Get("/");
  ASSERT_TRUE(view);
  EXPECT_EQ(view->status, 200);
  EXPECT_NE(view->body.find("<!DOCTYPE html>"), std::string::npos);
  client.stop();

  EXPECT_EQ(emulator.stop(SIGTERM), 0);
  EXPECT_NE(read_text(output).find("listening on http://127.0.0.1:" + std::to_string(port)),
            std::string::npos);
  EXPECT_NE(read_text(output).find("root page: 0f0e0d0c-0b0a-4908-8706-050403020100"),
            std::string::npos);
}

TEST(EmulatorCommandTest, StopsOnSigintToo) {
  TempDir dir;
  NotionsyncProcess emulator({"emulator", "--port-file", dir.file("port")}, dir.file("output"));
  ASSERT_GT(wait_for_port(dir.file("port")), 0) << read_text(dir.file("output"));
  EXPECT_EQ(emulator.stop(SIGINT), 0);
}

TEST(EmulatorCommandTest, MalformedPageIsAUsageError) {
  TempDir dir;
  NotionsyncProcess emulator({"emulator", "--page", "no-title"}, dir.file("output"));
  EXPECT_EQ(emulator.wait(), 2);
  EXPECT_NE(read_text(dir.file("output")).find("--page wants ID=TITLE"), std::string::npos);
}

TEST(EmulatorCommandTest, AnswersVersion) {
  TempDir dir;
  NotionsyncProcess emulator({"emulator", "--version"}, dir.file("output"));
  EXPECT_EQ(emulator.wait(), 0);
  EXPECT_NE(read_text(dir.file("output")).find("notionsync 0.1.0 emulator"), std::string::npos)
      << read_text(dir.file("output"));
}

TEST(EmulatorCommandTest, UnknownFlagIsAUsageError) {
  TempDir dir;
  NotionsyncProcess emulator({"emulator", "--no-such-flag"}, dir.file("output"));
  EXPECT_EQ(emulator.wait(), 2);
}

}  // namespace
}  // namespace notionsync::testing
