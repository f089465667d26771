// Workers sharing one integration: --workers `notionsync worker --once` processes serve --targets
// targets (four apps) of --rows rows each, all with one token, against the emulator limiting as
// Notion does. Prints the requests Notion saw, the 429 answers, and the requests per second from
// the first worker's start to the last worker's exit (process start-up included).
//
//   worker_budget [--workers 3] [--targets 12] [--rows 20] [--rate 3] [--burst 10]
//                 [--latency-ms 300] [--notionsync PATH]
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <notion_emulator/server.hpp>
#include <string>
#include <vector>

#include "bench_flags.hpp"
#include "support/postgres_cluster.hpp"
#include "support/process_run.hpp"

namespace {

struct Settings {
  int workers = 3;
  int targets = 12;
  int rows = 20;
  double rate = 3.0;
  int burst = 10;
  int latency_ms = 300;
  std::string notionsync = NOTIONSYNC_PATH;
};

constexpr int kApps = 4;
constexpr const char* kToken = "secret_worker_budget";

}  // namespace

int main(int argc, char** argv) {
  using namespace notionsync;
  Settings settings;
  bench::Flags flags("worker_budget");
  flags.rate_flags(settings)
      .value("--workers", settings.workers)
      .value("--targets", settings.targets)
      .value("--notionsync", settings.notionsync);
  flags.parse(argc, argv);

  const auto cluster = testing::PostgresCluster::start();
  notion_emulator::Options emulator_options;
  emulator_options.token = kToken;
  emulator_options.rate = settings.rate;
  emulator_options.burst = settings.burst;
  emulator_options.latency_ms = settings.latency_ms;
  notion_emulator::Server emulator(emulator_options);
  emulator.start();

  const auto dir = cluster->directory() / "worker-budget";
  std::filesystem::create_directories(dir / "configs");
  const std::string state = cluster->url();
  for (int app = 0; app < kApps; ++app) {
    const std::string name = "app" + std::to_string(app);
    std::ofstream config(dir / "configs" / (name + ".toml"));
    // Each client paces at the emulator's rate (Notion's 3 requests/s by default), burst 3.
    config << "[app]\nname = \"" << name << "\"\nstate = \"" << state << "\"\n\n"
           << "[notion]\ntoken_env = \"WORKER_BUDGET_TOKEN\"\nbase_url = \"" << emulator.base_url()
           << "\"\nrate = " << settings.rate << "\nburst = 3.0\n";
    for (int target = app; target < settings.targets; target += kApps) {
      const std::string csv = name + "_t" + std::to_string(target) + ".csv";
      config << "\n[[target]]\nname = \"t" << target
             << "\"\nmanaged_by = \"system\"\nparent_page_id = \"" << emulator.root_page_id()
             << "\"\ntitle = \"target " << target << "\"\nsource = { type = \"csv\", path = \""
             << csv << "\" }\nkey = [\"key\"]\n[target.properties]\n"
             << "Name = { column = \"name\", type = \"title\" }\n"
             << "Key = { column = \"key\", type = \"rich_text\" }\n";
      std::ofstream rows(dir / "configs" / csv);
      rows << "key,name\n";
      for (int row = 0; row < settings.rows; ++row) rows << "k" << row << ",Row " << row << "\n";
    }
  }

  const std::vector<std::string> environment =
      testing::merged_environment({{"WORKER_BUDGET_TOKEN", kToken}});
  const auto started = std::chrono::steady_clock::now();
  std::vector<pid_t> workers;
  for (int i = 0; i < settings.workers; ++i) {
    testing::SpawnSettings spawn;
    spawn.stdout_path = (dir / ("worker" + std::to_string(i) + ".out")).string();
    spawn.stderr_path = (dir / ("worker" + std::to_string(i) + ".err")).string();
    spawn.directory = dir.string();
    spawn.environment = &environment;
    pid_t pid = 0;
    if (testing::spawn_redirected({settings.notionsync, "--quiet", "worker", "--once", "--config",
                                   (dir / "configs").string(), "--interval", "3600"},
                                  spawn, pid) != 0) {
      std::fprintf(stderr, "cannot start %s\n", settings.notionsync.c_str());
      return 1;
    }
    workers.push_back(pid);
  }
  int failed = 0;
  for (const pid_t pid : workers) {
    int status = 0;
    waitpid(pid, &status, 0);
    failed += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  std::size_t calls = 0;
  std::size_t refused = 0;
  for (const auto& request : emulator.requests()) {
    ++calls;
    refused += request.status == 429;
  }
  std::printf(
      "| workers | targets | rows each | calls | 429 answers | time | requests/s | "
      "workers failed |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n");
  std::printf("| %d | %d | %d | %zu | %zu | %.1f s | %.2f | %d |\n", settings.workers,
              settings.targets, settings.rows, calls, refused, seconds,
              static_cast<double>(calls) / seconds, failed);
  emulator.stop();
  return failed == 0 && refused == 0 ? 0 : 1;
}
