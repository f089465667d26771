// What every reliability test shares: an in-process Notion API emulator, a folder with a
// notionsync.toml and a generated CSV of N people, the `notionsync` program run as a child process
// (waited for, or left running so a test can kill it), and the checks "converged, no duplicate
// page, no lost row, state store intact".
//
// Sizes are small by default so CI stays fast; NOTIONSYNC_RELIABILITY_FULL=1 (scripts/bench) runs
// the sizes of issue 9.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <notion_emulator/server.hpp>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cli/cli_runner.hpp"
#include "notionsync/core/sqlite_state_store.hpp"
#include "notionsync/notion/property_value_codec.hpp"
#include "support/process_run.hpp"
#include "support/temp_dir.hpp"

namespace notionsync::testing {

inline bool full_size() {
  const char* full = std::getenv("NOTIONSYNC_RELIABILITY_FULL");
  return full != nullptr && std::string(full) == "1";
}

// `small` in CI, `full` when NOTIONSYNC_RELIABILITY_FULL=1.
inline int sized(int small, int full) {
  return full_size() ? full : small;
}

// One row of the generated CSV: key "k<index>", name "Person <index>", a score.
struct PersonRow {
  int index = 0;
  int score = 0;
};

// A `notionsync` child process (support/process_run.hpp). The destructor kills it if still
// running.
class CliProcess {
 public:
  struct Limits {
    std::optional<rlim_t> max_file_size;  // RLIMIT_FSIZE; SIGXFSZ is ignored so writes get EFBIG
  };

  CliProcess(const std::vector<std::string>& args, const std::string& directory,
             const std::map<std::string, std::string>& env, const Limits& limits = {})
      : out_path_(directory + "/.stdout"),
        err_path_(directory + "/.stderr"),
        environment_(merged_environment(env)),
        process_(command(args), settings(directory, limits)) {}

  // True once the child has ended (reaped here).
  bool finished() { return !process_.running(); }
  void kill_now() { process_.kill_now(); }
  CliResult wait() { return {process_.wait(), slurp(out_path_), slurp(err_path_)}; }
  bool was_killed() const { return process_.end_signal() == SIGKILL; }

 private:
  static std::vector<std::string> command(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {NOTIONSYNC_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }
  SpawnSettings settings(const std::string& directory, const Limits& limits) const {
    SpawnSettings settings;
    settings.stdout_path = out_path_;
    settings.stderr_path = err_path_;
    settings.directory = directory;
    settings.environment = &environment_;
    if (limits.max_file_size) {
      settings.in_child = [size = *limits.max_file_size] {
        struct sigaction ignore = {};
        ignore.sa_handler = SIG_IGN;
        ::sigaction(SIGXFSZ, &ignore, nullptr);
        const rlimit limit = {size, size};
        ::setrlimit(RLIMIT_FSIZE, &limit);
      };
    }
    return settings;
  }

  std::string out_path_;
  std::string err_path_;
  std::vector<std::string> environment_;
  BackgroundProcess process_;
};

class ReliabilityTest : public ::testing::Test {
 protected:
  static constexpr const char* kApp = "reliability";
  static constexpr const char* kTarget = "people";

  explicit ReliabilityTest(notion_emulator::Options options = unlimited())
      : server(std::move(options)) {
    server.start();
    write_config();
  }

  static notion_emulator::Options unlimited() {
    notion_emulator::Options options;
    options.rate = 0;  // the client's limiter is measured by bench/rate_utilization
    return options;
  }

  // One target, key column "key"; the client paced far above the emulator's speed so a run is
  // bound by the emulator's latency, not by the limiter.
  void write_config(const std::string& extra_notion_settings = "") {
    std::ofstream(dir.file("notionsync.toml"))
        << "[app]\nname = \"" << kApp << "\"\nstate = \"sqlite:" << state_file << "\"\n\n"
        << "[notion]\ntoken_env = \"NOTION_TOKEN\"\nrate = 1000.0\nburst = 1000.0\n"
        << extra_notion_settings << "\n"
        << "[[target]]\nname = \"" << kTarget << "\"\nmanaged_by = \"system\"\n"
        << "parent_page_id = \"${NOTION_PARENT_PAGE}\"\ntitle = \"People\"\n"
        << "source = { type = \"csv\", path = \"people.csv\" }\nkey = [\"key\"]\n"
        << "[target.properties]\n"
        << "Name  = { column = \"name\",  type = \"title\" }\n"
        << "Key   = { column = \"key\",   type = \"rich_text\" }\n"
        << "Score = { column = \"score\", type = \"number\" }\n";
  }

  void write_rows(const std::vector<PersonRow>& rows) {
    std::ofstream csv(dir.file("people.csv"));
    csv << "name,key,score\n";
    for (const auto& row : rows) {
      csv << "Person " << row.index << ",k" << row.index << "," << row.score << "\n";
    }
    declared = rows;
  }

  // Rows first..first+count-1 with score = index * 10 + version.
  static std::vector<PersonRow> rows(int first, int count, int version) {
    std::vector<PersonRow> result;
    for (int index = first; index < first + count; ++index) {
      result.push_back({index, index * 10 + version});
    }
    return result;
  }

  std::map<std::string, std::string> cli_env() const {
    return {{"NOTION_TOKEN", server_token()},
            {"NOTION_API_BASE_URL", server.base_url()},
            {"NOTION_PARENT_PAGE", server.root_page_id()},
            {"NO_COLOR", "1"}};
  }
  virtual std::string server_token() const { return "secret_notionsync_emulator"; }

  CliResult cli(const std::vector<std::string>& args) {
    return CliProcess(args, dir.path().string(), cli_env()).wait();
  }
  CliResult sync_json() { return cli({"sync", "--json", "--no-progress"}); }

  // Runs `sync` until it exits 0, at most `max_runs` times; the number of runs it took, or
  // max_runs + 1 when it never succeeded.
  int sync_until_ok(int max_runs) {
    for (int run = 1; run <= max_runs; ++run) {
      const auto result = sync_json();
      if (result.exit_code == 0) return run;
      last_failure = result.out + result.err;
    }
    return max_runs + 1;
  }

  std::string state_path() const { return dir.file(state_file); }

  std::string data_source_id() {
    auto store = SqliteStateStore::open(state_path());
    for (const auto& record : store->targets(kApp)) {
      if (record.name == kTarget) return record.remote_id;
    }
    return "";
  }

  // Live pages per key, with the score each page holds.
  std::map<std::string, std::vector<double>> live_pages_by_key() {
    std::map<std::string, std::vector<double>> pages;
    const std::string data_source = data_source_id();
    if (data_source.empty()) return pages;
    for (const auto& page : server.pages(data_source, /*include_trashed=*/false)) {
      const auto key = notion::decode_property_value(page["properties"]["Key"]).as_string();
      const auto score = notion::decode_property_value(page["properties"]["Score"]);
      pages[key].push_back(score.is_null() ? -1.0 : score.as_double());
    }
    return pages;
  }

  // Every declared row has exactly one live page holding its score; no other live page exists.
  void expect_converged() {
    const auto pages = live_pages_by_key();
    std::size_t duplicates = 0;
    std::size_t lost = 0;
    std::size_t stale = 0;
    std::set<std::string> declared_keys;
    for (const auto& row : declared) {
      const std::string key = "k" + std::to_string(row.index);
      declared_keys.insert(key);
      const auto found = pages.find(key);
      if (found == pages.end()) {
        ++lost;
        continue;
      }
      if (found->second.size() > 1) duplicates += found->second.size() - 1;
      if (found->second.front() != static_cast<double>(row.score)) ++stale;
    }
    std::size_t undeclared = 0;
    for (const auto& [key, scores] : pages) {
      if (declared_keys.count(key) == 0) undeclared += scores.size();
    }
    EXPECT_EQ(duplicates, 0u) << "duplicate pages";
    EXPECT_EQ(lost, 0u) << "declared rows without a page";
    EXPECT_EQ(stale, 0u) << "pages not updated";
    EXPECT_EQ(undeclared, 0u) << "pages of removed rows still live";
  }

  // A sync without faults changes nothing: every row is tracked with the right content.
  void expect_noop_resync() {
    server.set_faults("", 1);
    server.reset_requests();
    const auto result = sync_json();
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    EXPECT_EQ(server.count("POST", "/v1/pages") + server.count("PATCH", "/v1/pages") +
                  server.count("POST", "/v1/databases"),
              0u);
  }

  // PRAGMA integrity_check on the state store file, read-only.
  std::string integrity_check() {
    sqlite3* db = nullptr;
    std::string result = "cannot open";
    if (sqlite3_open_v2(state_path().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      sqlite3_stmt* statement = nullptr;
      if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &statement, nullptr) == SQLITE_OK &&
          sqlite3_step(statement) == SQLITE_ROW) {
        result = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
      } else {
        result = sqlite3_errmsg(db);
      }
      sqlite3_finalize(statement);
    }
    sqlite3_close(db);
    return result;
  }

  TempDir dir;
  std::string state_file = ".notionsync/state.db";  // relative to dir; set before write_config()
  notion_emulator::Server server;
  std::vector<PersonRow> declared;
  std::string last_failure;
};

}  // namespace notionsync::testing
