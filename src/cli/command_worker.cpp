// notionsync worker: claims due targets from a PostgreSQL state store and syncs them, one at a
// time, until stopped (or, with --once, until no target is due). Any number of workers, on any
// number of machines, may serve the same configs. See docs/scaling.md, "Workers".
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "commands.hpp"
#include "config.hpp"
#include "core/app_internals.hpp"
#include "exit_codes.hpp"
#include "notionsync/core/app.hpp"
#include "notionsync/core/fingerprint.hpp"
#include "notionsync/notion/client.hpp"
#include "notionsync/notion/database_target.hpp"
#include "notionsync/postgres/state_store.hpp"
#include "source_rows.hpp"
#include "util/clock.hpp"

namespace notionsync::cli {
namespace {

using util::now_ms;

using std::chrono::milliseconds;

constexpr milliseconds kMinHeartbeatGap{100};

// Set by SIGINT and SIGTERM: the worker finishes its current target, then exits.
volatile std::sig_atomic_t stop_signal_received = 0;

extern "C" void request_stop(int) {
  stop_signal_received = 1;
}

bool stop_requested() {
  return stop_signal_received != 0;
}

void install_stop_handlers() {
  struct sigaction action = {};
  action.sa_handler = request_stop;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

// Sleeps `duration` in short steps, returning early when a stop is requested.
void pause_unless_stopped(milliseconds duration) {
  const auto until = std::chrono::steady_clock::now() + duration;
  while (!stop_requested() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::min(milliseconds(100), duration));
  }
}

std::string this_hostname() {
  char buffer[256] = {};
  if (::gethostname(buffer, sizeof buffer - 1) != 0) return "unknown-host";
  return buffer;
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

// What the heartbeat thread reports: the claim being worked on and its progress.
struct WorkState {
  std::mutex mutex;
  std::optional<TargetClaim> claim;
  std::atomic<std::int64_t> done{0};
  std::atomic<std::int64_t> total{0};
};

class Worker {
 public:
  Worker(const GlobalOptions& global, const WorkerOptions& options, std::vector<Config> configs,
         const std::string& state)
      : global_(global),
        options_(options),
        configs_(std::move(configs)),
        lease_(to_milliseconds(options.lease_seconds)),
        interval_(to_milliseconds(options.interval_seconds)),
        // Two connections: heartbeats must not queue behind a long commit of the sync.
        sync_store_(PostgresStateStore::open(state)),
        coordination_store_(PostgresStateStore::open(state)) {
    const std::string hostname = this_hostname();
    worker_.id = hostname + "/" + std::to_string(::getpid()) + "/" + std::to_string(now_ms());
    worker_.hostname = hostname;
    worker_.pid = static_cast<long>(::getpid());
    for (const auto& config : configs_) {
      const std::string key = integration_key(config);
      auto integration = std::find_if(integrations_.begin(), integrations_.end(),
                                      [&](const Integration& known) { return known.key == key; });
      if (integration == integrations_.end()) {
        integrations_.push_back(Integration{key, {}, nullptr});
        integration = integrations_.end() - 1;
      }
      for (const auto& target : config.targets) {
        eligible_.push_back(TargetClaim{config.app_name, target.name});
        integration->targets.push_back(eligible_.back());
      }
    }
  }

  int run() {
    coordination_store_->register_worker(worker_);
    for (const auto& claim : eligible_) {
      coordination_store_->register_worker_target(claim.app_name, claim.target_name, interval_);
    }
    log("worker " + worker_.id + " serving " + std::to_string(eligible_.size()) + " targets of " +
        std::to_string(configs_.size()) + " apps");
    std::thread heartbeats([this] { send_heartbeats(); });
    bool all_ok = true;
    try {
      // A worker with --once waits while due targets are claimed by others: their claims end
      // when those runs finish or expire, and the target may then fall to this worker.
      while (!stop_requested()) {
        const auto claim = claim_next();
        if (!claim) {
          if (options_.once &&
              !locked_store([&] { return coordination_store_->any_target_due(eligible_); })) {
            break;
          }
          pause_unless_stopped(idle_poll());
          continue;
        }
        all_ok &= sync_claimed(*claim);
      }
    } catch (...) {
      stop_heartbeats(heartbeats);
      throw;
    }
    stop_heartbeats(heartbeats);
    coordination_store_->unregister_worker(worker_.id);
    log("worker " + worker_.id + " stopped");
    return all_ok ? exit_ok : exit_rows_failed;
  }

 private:
  // The coordination store is shared with the heartbeat thread.
  template <typename Body>
  auto locked_store(Body&& body) -> decltype(body()) {
    std::lock_guard guard(coordination_mutex_);
    return body();
  }

  // How often an idle worker asks for due targets.
  milliseconds idle_poll() const {
    return std::clamp(lease_ / 4, milliseconds(100), milliseconds(1000));
  }

  // Notion limits each integration, not each machine: a worker claims a target only while it
  // holds the target's integration's lock, so one worker at a time sends an integration's
  // requests, paced by its client, and workers on other machines take over the integration when
  // it has nothing due (or when the holder dies with its session).
  std::optional<TargetClaim> claim_next() {
    for (Integration& integration : integrations_) {
      if (!integration.lock) {
        // A lock costs a connection: asked for only when one of its targets is due.
        if (!locked_store(
                [&] { return coordination_store_->any_target_due(integration.targets); })) {
          continue;
        }
        integration.lock = sync_store_->try_lock_integration(integration.key);
        if (!integration.lock) continue;  // another worker sends its requests
      }
      auto claim = locked_store([&] {
        return coordination_store_->claim_due_target(worker_.id, lease_, integration.targets);
      });
      if (!claim) {
        integration.lock.reset();  // nothing of it is due: another worker may take it
        continue;
      }
      std::lock_guard guard(work_.mutex);
      work_.claim = claim;
      work_.done = 0;
      work_.total = 0;
      return claim;
    }
    return std::nullopt;
  }

  // Names the integration a config's token belongs to without revealing the token. A config
  // whose token cannot be read is an integration of its own (its runs fail, saying why).
  static std::string integration_key(const Config& config) {
    try {
      const notion::Token token = read_token(config);
      return fingerprint_of(
                 std::string(token.reveal()) + "\n" + notion::resolve_base_url(config.base_url),
                 "notion-integration")
          .to_hex();
    } catch (const ConfigError&) {
      return "config " + config.path;
    }
  }

  // Syncs one claimed target and releases the claim. Returns false when rows failed or the sync
  // stopped with an error (recorded as the run's outcome and printed).
  bool sync_claimed(const TargetClaim& claim) {
    const std::string name = claim.app_name + "/" + claim.target_name;
    // The guarantee: a claim may expire under a slow worker, the target's lock cannot.
    const auto target_lock = sync_store_->try_lock_target(claim.app_name, claim.target_name);
    if (!target_lock) {
      // Due again at once, behind the targets due earlier, so that this or another worker (also
      // one run with --once) takes it when the holder is done; a pause keeps this worker from
      // spinning on it.
      log(name + ": busy (another process holds its lock); retrying");
      finish(claim, 0, "busy", milliseconds(0));
      pause_unless_stopped(idle_poll());
      return true;
    }
    const std::int64_t run_id =
        locked_store([&] { return coordination_store_->start_worker_run(worker_.id, claim); });
    const auto started = std::chrono::steady_clock::now();
    std::string outcome;
    std::string summary;
    try {
      const SyncReport report = sync_target(claim);
      outcome = report.refused() ? "refused" : report.ok() ? "ok" : "rows_failed";
      summary = report.to_string();
    } catch (const std::exception& error) {
      // The next run retries; the worker goes on with other targets.
      outcome = std::string("failed: ") + error.what();
    }
    finish(claim, run_id, outcome, interval_);
    const auto seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (global_.json) {
      std::cout << nlohmann::json{{"app", claim.app_name},
                                  {"target", claim.target_name},
                                  {"worker", worker_.id},
                                  {"outcome", outcome},
                                  {"seconds", seconds}}
                       .dump()
                << std::endl;
    } else if (global_.verbosity >= 0) {
      char duration[32];
      std::snprintf(duration, sizeof duration, "%.1f s", seconds);
      std::cout << name << ": " << outcome << " in " << duration
                << (summary.empty() ? "" : " — " + summary) << std::endl;
    }
    return outcome == "ok";
  }

  void finish(const TargetClaim& claim, std::int64_t run_id, const std::string& outcome,
              milliseconds next_due_in) {
    // Under the work mutex (taken before the store's, as in send_heartbeats), so no heartbeat
    // reports the released claim as current after the release.
    std::lock_guard guard(work_.mutex);
    work_.claim.reset();
    locked_store([&] {
      coordination_store_->release_claim(worker_.id, claim, run_id, outcome, next_due_in);
    });
  }

  SyncReport sync_target(const TargetClaim& claim) {
    const auto config = std::find_if(configs_.begin(), configs_.end(), [&](const Config& config) {
      return config.app_name == claim.app_name;
    });
    App app(config->app_name, *sync_store_);
    notion::Client& client = client_for(*config);
    // Every target is mounted (relations name other targets); only the claimed one reads its
    // source and syncs.
    for (const auto& target : config->targets) {
      notion::DatabaseTargetOptions options = target.target_options(client);
      TargetHandle& handle = notion::mount_database_target(app, target.name, std::move(options));
      if (target.name == claim.target_name) {
        // The claim's lock keeps other writers out of this target's rows, so they are read while
        // its source is.
        AppInternals::read_ahead(app, target.name);
        declare_source_rows(target, handle);
      }
    }
    SyncOptions options;
    options.take_app_lock = false;  // the target's lock is held instead
    options.only_targets = {claim.target_name};
    options.on_progress = [this](const SyncProgress& progress) {
      work_.done = static_cast<std::int64_t>(progress.done);
      work_.total = static_cast<std::int64_t>(progress.total);
      progress_changed_ = true;
      heartbeat_changed_.notify_one();
    };
    return app.sync(options);
  }

  // One client, hence one rate limiter, per token and API base: every app syncing with a token
  // shares Notion's per-integration limit. The first config to use a token sets its rate.
  notion::Client& client_for(const Config& config) {
    const notion::Token token = read_token(config);
    const std::string key =
        std::string(token.reveal()) + "\n" + config.base_url + "\n" + config.api_version;
    auto& client = clients_[key];
    if (!client) {
      notion::ClientOptions options = config.client_options(token);
      if (global_.verbosity > 0) {
        options.log = [](std::string_view line) { std::cerr << line << "\n"; };
      }
      client = std::make_unique<notion::Client>(options);
    }
    return *client;
  }

  // Renews the current claim and records progress every third of the lease.
  void send_heartbeats() {
    const milliseconds period = std::max(lease_ / 3, kMinHeartbeatGap);
    std::unique_lock lock(heartbeat_mutex_);
    while (!heartbeats_stopped_) {
      {
        std::lock_guard work_guard(work_.mutex);
        const std::optional<TargetClaim> claim = work_.claim;
        try {
          const bool still_ours = locked_store([&] {
            return coordination_store_->heartbeat(worker_.id, claim, lease_, work_.done,
                                                  work_.total);
          });
          if (claim && !still_ours) {
            log(claim->app_name + "/" + claim->target_name +
                ": claim expired and taken by another worker; finishing under the target's lock");
          }
        } catch (const Error& error) {
          // A missed heartbeat only shortens the claim; the target's lock still holds.
          log(std::string("heartbeat failed: ") + error.what());
        }
      }
      // Sooner when progress moved, so status shows it, but never more than ten a second.
      heartbeat_changed_.wait_for(lock, kMinHeartbeatGap, [this] { return heartbeats_stopped_; });
      heartbeat_changed_.wait_for(lock, period - kMinHeartbeatGap, [this] {
        return heartbeats_stopped_ || progress_changed_.load();
      });
      progress_changed_ = false;
    }
  }

  void stop_heartbeats(std::thread& heartbeats) {
    {
      std::lock_guard guard(heartbeat_mutex_);
      heartbeats_stopped_ = true;
    }
    heartbeat_changed_.notify_all();
    heartbeats.join();
  }

  void log(const std::string& line) const {
    if (global_.verbosity >= 0) std::cerr << "notionsync worker: " << line << std::endl;
  }

  const GlobalOptions& global_;
  const WorkerOptions& options_;
  std::vector<Config> configs_;
  milliseconds lease_;
  milliseconds interval_;
  std::unique_ptr<PostgresStateStore> sync_store_;
  std::unique_ptr<PostgresStateStore> coordination_store_;
  std::mutex coordination_mutex_;
  WorkerRecord worker_;
  std::vector<TargetClaim> eligible_;
  // The integrations of the configs, each with its targets and, while this worker sends its
  // requests, its lock.
  struct Integration {
    std::string key;
    std::vector<TargetClaim> targets;
    std::unique_ptr<TargetLock> lock;
  };
  std::vector<Integration> integrations_;
  std::map<std::string, std::unique_ptr<notion::Client>> clients_;
  WorkState work_;
  std::mutex heartbeat_mutex_;
  std::condition_variable heartbeat_changed_;
  bool heartbeats_stopped_ = false;
  std::atomic<bool> progress_changed_{false};
};

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
  install_stop_handlers();
  Worker worker(global, options, std::move(configs), state);
  return worker.run();
}

}  // namespace notionsync::cli
