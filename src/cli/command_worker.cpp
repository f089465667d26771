// notionsync worker: the library's Worker (notionsync/postgres/worker.hpp) serving the targets of
// the configs named. This file parses the flags, loads the configs and prints each run; the
// claims, locks and heartbeats are the Worker's. See docs/scaling.md, "Workers".
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "config.hpp"
#include "exit_codes.hpp"
#include "notionsync/postgres/worker.hpp"
#include "open_sync.hpp"
#include "source_rows.hpp"

namespace notionsync::cli {
namespace {

using std::chrono::milliseconds;

// The worker SIGINT and SIGTERM stop: it finishes its current target, then exits.
Worker* worker_to_stop = nullptr;

extern "C" void request_stop(int) {
  if (worker_to_stop != nullptr) worker_to_stop->stop();
}

void install_stop_handlers(Worker& worker) {
  worker_to_stop = &worker;
  struct sigaction action = {};
  action.sa_handler = request_stop;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

milliseconds to_milliseconds(double seconds) {
  return milliseconds(static_cast<std::int64_t>(seconds * 1000.0));
}

// Every config named: a file, or every *.toml of a directory (sorted). Throws ConfigError for a
// missing path, an empty directory or two configs of one app.
std::vector<Config> load_worker_configs(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const auto& path : paths) {
    namespace fs = std::filesystem;
    if (fs::is_directory(path)) {
      std::vector<std::string> found;
      for (const auto& entry : fs::directory_iterator(path)) {
        if (entry.is_regular_file() && entry.path().extension() == ".toml") {
          found.push_back(entry.path().string());
        }
      }
      if (found.empty()) throw ConfigError(path + ": no *.toml config in this directory");
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(path)) {
      files.push_back(path);
    } else {
      throw ConfigError(path + ": no such config file or directory");
    }
  }
  std::vector<Config> configs;
  for (const auto& file : files) {
    Config config = load_config(file);
    for (const auto& other : configs) {
      if (other.app_name == config.app_name) {
        throw ConfigError(file + ": app \"" + config.app_name + "\" is also configured in " +
                          other.path + "; each app needs one config");
      }
    }
    configs.push_back(std::move(config));
  }
  return configs;
}

// Prints one run: a JSON line, or "app/target: outcome in 1.2 s — summary".
void print_run(const GlobalOptions& global, const WorkerRunReport& run) {
  if (global.json) {
    std::cout << nlohmann::json{{"app", run.app},
                                {"target", run.database},
                                {"worker", run.worker_id},
                                {"outcome", run.outcome},
                                {"seconds", run.seconds}}
                     .dump()
              << std::endl;
  } else if (global.verbosity >= 0) {
    char duration[32];
    std::snprintf(duration, sizeof duration, "%.1f s", run.seconds);
    const std::string summary = run.report ? run.report->to_string() : "";
    std::cout << run.app << "/" << run.database << ": " << run.outcome << " in " << duration
              << (summary.empty() ? "" : " — " + summary) << std::endl;
  }
}

// Adds the config's app and its targets to `worker`: each target's source is read when the
// worker syncs that target.
void serve(Worker& worker, const GlobalOptions& global, const Config& config) {
  WorkerAppSettings settings;
  settings.token = read_checked_token(config);
  settings.app = config.app_name;
  settings.notion = config.client_options({});
  if (global.verbosity > 0) {
    settings.notion.log = [](std::string_view line) { std::cerr << line << "\n"; };
  }
  WorkerApp& app = worker.app(std::move(settings));
  for (const TargetConfig& target : config.targets) {
    add_database(config, target, app.client(), [&](auto schema, auto location, auto options) {
      return app.database(
          std::move(schema), std::move(location), std::move(options),
          [&target](Database<Row>& database) { declare_source_rows(target, database); });
    });
  }
}

}  // namespace

int run_worker(const GlobalOptions& global, const WorkerOptions& options) {
  if (options.lease_seconds <= 0 || options.interval_seconds < 0) {
    throw ConfigError("worker: --lease must be positive and --interval not negative");
  }
  const auto is_postgres = [](const std::string& state) {
    return state.starts_with("postgresql://") || state.starts_with("postgres://");
  };
  const ConfigError needs_postgres(
      "worker: workers share a PostgreSQL state store; pass --state postgresql://...");
  if (!options.state.empty() && !is_postgres(options.state)) throw needs_postgres;
  std::vector<Config> configs = load_worker_configs(
      options.config_paths.empty() ? std::vector<std::string>{global.config_path}
                                   : options.config_paths);
  std::string state = options.state;
  if (state.empty()) {
    state = configs.front().state;
    for (const auto& config : configs) {
      if (config.state != state) {
        throw ConfigError("worker: the configs name different states; choose one with --state");
      }
    }
  }
  if (!is_postgres(state)) throw needs_postgres;
  WorkerSettings settings;
  settings.state = state;
  settings.lease = to_milliseconds(options.lease_seconds);
  settings.interval = to_milliseconds(options.interval_seconds);
  settings.once = options.once;
  settings.on_run = [&global](const WorkerRunReport& run) { print_run(global, run); };
  if (global.verbosity >= 0) {
    settings.log = [](std::string_view line) {
      std::cerr << "notionsync worker: " << line << std::endl;
    };
  }
  Worker worker(std::move(settings));
  // Every config is read before the first claim: one that cannot be served stops the worker at
  // once, naming it, rather than failing each of its runs.
  for (const Config& config : configs) serve(worker, global, config);
  install_stop_handlers(worker);
  return worker.run() ? exit_ok : exit_rows_failed;
}

}  // namespace notionsync::cli
