// The emulator's HTML view as a browser shows it: Debian's chromium, headless, dumps the DOM of `/`
// after a few API writes, and each row must sit in its own data source's table, the trashed page
// in that data source's trash section.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "notion_emulator/server.hpp"
#include "support/process_run.hpp"
#include "support/temp_dir.hpp"

extern char** environ;

namespace notionsync::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kChromium = "/usr/bin/chromium";
constexpr auto kBrowserTimeout = std::chrono::seconds(60);

std::string read_text(const fs::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

json rich_text(const std::string& content) {
  return json::array({{{"type", "text"}, {"text", {{"content", content}}}}});
}

struct BrowserRun {
  bool finished = false;  // false: killed at the timeout
  int exit_code = -1;
  std::string dom;
  std::string log;
};

// Runs headless chromium on `url` in its own process group and returns what --dump-dom printed.
// Kills the whole group (the browser's helper processes too) if it outlives kBrowserTimeout.
BrowserRun dump_dom(const std::string& url, const TempDir& scratch) {
  std::vector<std::string> arguments = {kChromium,
                                        "--headless",
                                        "--no-sandbox",
                                        "--disable-gpu",
                                        "--disable-quic",
                                        "--no-first-run",
                                        "--disable-background-networking",
                                        "--disable-component-update",
                                        "--disable-sync",
                                        "--user-data-dir=" + scratch.file("profile"),
                                        "--dump-dom",
                                        url};
  const std::string dom_path = scratch.file("dom.html");
  const std::string log_path = scratch.file("chromium.log");
  SpawnSettings settings;
  settings.stdout_path = dom_path;
  settings.stderr_path = log_path;
  settings.own_process_group = true;  // Chromium's helpers are killed with it on a timeout
  BrowserRun run;
  try {
    BackgroundProcess browser(std::move(arguments), settings);
    const auto exit_code = browser.wait_until(std::chrono::steady_clock::now() + kBrowserTimeout);
    if (!exit_code) {
      browser.kill_now();  // the whole group
      run.log = read_text(log_path);
      return run;
    }
    ::kill(-browser.pid(), SIGKILL);  // helper processes the browser left behind, if any
    run.finished = true;
    run.exit_code = *exit_code;
  } catch (const std::runtime_error& error) {
    run.log = error.what();
    return run;
  }
  run.dom = read_text(dom_path);
  run.log = read_text(log_path);
  return run;
}

// The part of `dom` from the section of `data_source_id` to the next data source section.
std::string data_source_section(const std::string& dom, const std::string& data_source_id) {
  const auto begin = dom.find("id=\"data-source-" + data_source_id + "\"");
  if (begin == std::string::npos) return "";
  const auto end = dom.find("<section class=\"data-source\"", begin);
  return dom.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

class ViewInBrowserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    notion_emulator::Options options;
    options.rate = 0;
    server_ = std::make_unique<notion_emulator::Server>(options);
    server_->start();
    client_ = std::make_unique<httplib::Client>(server_->base_url());
  }

  json call(const std::string& method, const std::string& path, const json& body) {
    const httplib::Headers headers = {{"Authorization", "Bearer secret_notionsync_emulator"},
                                      {"Notion-Version", "2025-09-03"}};
    const auto result = method == "POST"
                            ? client_->Post(path, headers, body.dump(), "application/json")
                            : client_->Patch(path, headers, body.dump(), "application/json");
    EXPECT_TRUE(result) << method << " " << path;
    if (!result) return json::object();
    EXPECT_EQ(result->status, 200) << result->body;
    return json::parse(result->body);
  }

  std::string create_database(const std::string& title, const json& properties) {
    return call("POST", "/v1/databases",
                {{"parent", {{"type", "page_id"}, {"page_id", server_->root_page_id()}}},
                 {"title", rich_text(title)},
                 {"initial_data_source", {{"properties", properties}}}})["data_sources"][0]["id"];
  }

  std::string create_page(const std::string& data_source_id, const json& properties) {
    return call(
        "POST", "/v1/pages",
        {{"parent", {{"data_source_id", data_source_id}}}, {"properties", properties}})["id"];
  }

  std::unique_ptr<notion_emulator::Server> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ViewInBrowserTest, ChromiumShowsEachRowInItsTableAndTheTrashedPageApart) {
  ASSERT_TRUE(fs::exists(kChromium))
      << kChromium << " is missing: run scripts/bootstrap (it installs Debian's chromium)";

  const std::string teams = create_database("Teams", {{"Name", {{"title", json::object()}}}});
  const std::string engineering =
      create_page(teams, {{"Name", {{"title", rich_text("Engineering")}}}});
  const std::string people = create_database(
      "People",
      {{"Name", {{"title", json::object()}}},
       {"Age", {{"number", json::object()}}},
       {"Team", {{"relation", {{"data_source_id", teams}, {"single_property", json::object()}}}}}});
  const json team = {{"relation", json::array({{{"id", engineering}}})}};
  create_page(people, {{"Name", {{"title", rich_text("Ada Lovelace")}}},
                       {"Age", {{"number", 36}}},
                       {"Team", team}});
  create_page(people,
              {{"Name", {{"title", rich_text("Grace <Hopper>")}}}, {"Age", {{"number", 85}}}});
  const std::string alan =
      create_page(people, {{"Name", {{"title", rich_text("Alan Turing")}}}, {"Team", team}});
  call("PATCH", "/v1/pages/" + alan, {{"in_trash", true}});

  TempDir scratch;
  const BrowserRun run = dump_dom(server_->base_url() + "/", scratch);
  ASSERT_TRUE(run.finished) << "chromium did not finish within " << kBrowserTimeout.count()
                            << " s:\n"
                            << run.log;
  ASSERT_EQ(run.exit_code, 0) << run.log;

  const std::string people_section = data_source_section(run.dom, people);
  const std::string teams_section = data_source_section(run.dom, teams);
  ASSERT_FALSE(people_section.empty()) << run.dom;
  ASSERT_FALSE(teams_section.empty()) << run.dom;
  const auto trash = people_section.find("<section class=\"trash\">");
  ASSERT_NE(trash, std::string::npos) << people_section;
  const std::string people_live = people_section.substr(0, trash);
  const std::string people_trash = people_section.substr(trash);

  EXPECT_NE(people_live.find("<th>Name</th><th>Age</th><th>Team</th>"), std::string::npos)
      << people_live;
  EXPECT_NE(people_live.find("<td>Ada Lovelace</td><td>36</td><td>Engineering</td>"),
            std::string::npos)
      << people_live;
  EXPECT_NE(people_live.find("<td>Grace &lt;Hopper&gt;</td><td>85</td><td></td>"),
            std::string::npos)
      << people_live;
  EXPECT_EQ(people_live.find("Alan Turing"), std::string::npos) << people_live;
  EXPECT_NE(people_trash.find("<td>Alan Turing</td><td></td><td>Engineering</td>"),
            std::string::npos)
      << people_trash;
  EXPECT_NE(teams_section.find("<td>Engineering</td>"), std::string::npos) << teams_section;
  EXPECT_EQ(teams_section.find("Ada Lovelace"), std::string::npos) << teams_section;
  // Looking at the workspace is not an API request.
  EXPECT_EQ(server_->count("GET", "/"), 0u);
}

}  // namespace
}  // namespace notionsync::testing
