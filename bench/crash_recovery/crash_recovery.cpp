// The cost of recovering from a crash: a first sync of N rows is killed (SIGKILL) once the
// emulator has seen K page creates, and the next run is measured: how many rows the killed run
// left pending_create (each needs verifying: its create may have reached Notion), how many calls
// the re-run makes, and whether it converged (N live pages, one per key). The goal is at most
// N + N/100 + 3 calls: one create per row not yet in Notion, one query per 100 pages to settle
// the pending rows, and the data source check.
//
//   crash_recovery [--rows 300] [--kill-after K (default rows/5)] [--latency-ms 5]
//                  [--notionsync PATH]
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <notion_emulator/server.hpp>
#include <set>
#include <string>
#include <thread>

#include "bench_people.hpp"
#include "bench_process.hpp"
#include "notionsync/core/sqlite_state_store.hpp"

namespace {

using namespace notionsync;

struct Settings {
  int rows = 300;
  int kill_after = 0;  // page creates; 0: rows / 5
  int latency_ms = 5;
  std::string notionsync = NOTIONSYNC_PATH;
};

// Starts `notionsync sync` and kills it once the emulator has logged `creates` page creates.
// Returns false when the run ended first.
bool sync_and_kill(const Settings& settings, const notion_emulator::Server& server,
                   const std::string& dir, const std::map<std::string, std::string>& env,
                   std::size_t creates) {
  const std::vector<std::string> environment = testing::merged_environment(env);
  testing::SpawnSettings spawn;
  spawn.stdout_path = dir + "/.stdout";
  spawn.stderr_path = dir + "/.stderr";
  spawn.directory = dir;
  spawn.environment = &environment;
  pid_t pid = 0;
  if (testing::spawn_redirected({settings.notionsync, "sync", "--no-progress", "--quiet"}, spawn,
                                pid) != 0) {
    return false;
  }
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (server.count("POST", "/v1/pages") >= creates) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return WIFSIGNALED(status);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));  // polling interval only
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) {
      std::cerr << "usage: crash_recovery [--rows N] [--kill-after K] [--latency-ms MS] "
                   "[--notionsync PATH]\n";
      return 2;
    }
    const std::string value = argv[++i];
    if (flag == "--rows") {
      settings.rows = std::stoi(value);
    } else if (flag == "--kill-after") {
      settings.kill_after = std::stoi(value);
    } else if (flag == "--latency-ms") {
      settings.latency_ms = std::stoi(value);
    } else if (flag == "--notionsync") {
      settings.notionsync = value;
    } else {
      std::cerr << "unknown flag " << flag << "\n";
      return 2;
    }
  }
  const std::size_t rows = static_cast<std::size_t>(settings.rows);
  const std::size_t kill_after =
      settings.kill_after > 0 ? static_cast<std::size_t>(settings.kill_after) : rows / 5;

  notion_emulator::Options options;
  options.rate = 0;  // calls are counted, not paced: the client's own pacing is set high below
  options.latency_ms = settings.latency_ms;
  notion_emulator::Server server(options);
  server.start();
  const std::string dir = bench::make_temp_dir();
  bench::write_people_config(dir, server.root_page_id(), 1000.0, 1000.0);
  std::vector<bench::PersonRow> people;
  for (int i = 0; i < settings.rows; ++i) people.push_back({i, i});
  bench::write_people_csv(dir + "/people.csv", people);
  const std::map<std::string, std::string> env = {{"NOTION_TOKEN", "secret_notionsync_emulator"},
                                                  {"NOTION_API_BASE_URL", server.base_url()}};

  if (!sync_and_kill(settings, server, dir, env, kill_after)) {
    std::cerr << "the first sync ended before it could be killed\n";
    return 1;
  }
  const std::size_t created_before_kill = server.count("POST", "/v1/pages");
  std::size_t pending = 0;
  std::size_t synced = 0;
  {
    auto store = SqliteStateStore::open(dir + "/state.db");
    const auto target = store->targets("bench").at(0);
    store->for_each_row(target.id, [&](TrackedRow&& row) {
      (row.status == RowStatus::pending_create ? pending : synced) += 1;
    });
  }

  server.reset_requests();
  const auto rerun = bench::run_process({settings.notionsync, "sync", "--json"}, dir, env);
  const std::size_t calls = server.requests().size();
  const std::size_t creates = server.count("POST", "/v1/pages");
  const std::size_t updates = server.count("PATCH", "/v1/pages");
  std::size_t queries = 0;
  for (const auto& request : server.requests()) {
    if (request.method == "POST" && request.path.find("/query") != std::string::npos) ++queries;
  }
  // The data source id is recorded when a target's sync ends: the killed run never got there.
  const std::string data_source_id =
      SqliteStateStore::open(dir + "/state.db")->targets("bench").at(0).remote_id;
  std::set<std::string> keys;
  const auto pages = server.pages(data_source_id, false);
  for (const auto& page : pages) {
    keys.insert(page["properties"]["Key"]["rich_text"][0]["plain_text"].get<std::string>());
  }
  const std::size_t bound = rows + rows / 100 + 3;
  const bool converged = rerun.exit_code == 0 && pages.size() == rows && keys.size() == rows;

  std::cout << "| rows | killed after (creates sent) | left pending_create | left synced | "
               "re-run calls | creates | updates | queries | bound N + N/100 + 3 | converged |\n"
            << "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
            << "| " << rows << " | " << created_before_kill << " | " << pending << " | " << synced
            << " | " << calls << " | " << creates << " | " << updates << " | " << queries << " | "
            << bound << " | " << (converged ? "yes" : "NO") << " |\n";
  if (!converged) std::cerr << rerun.out << rerun.err;
  std::filesystem::remove_all(dir);
  return converged && calls <= bound ? 0 : 1;
}
