#include "notionsync/postgres/worker.hpp"

#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "notionsync/core/fingerprint.hpp"
#include "notionsync/postgres/state_store.hpp"
#include "util/clock.hpp"
#include "util/host.hpp"

namespace notionsync {

using std::chrono::milliseconds;

// stop() is called from signal handlers.
static_assert(std::atomic<bool>::is_always_lock_free);

// --- WorkerApp ---

WorkerApp::WorkerApp(WorkerAppSettings settings, std::shared_ptr<StateStore> store,
                     std::shared_ptr<notion::Client> client) {
  SyncSettings sync;
  sync.token = std::move(settings.token);
  sync.app = std::move(settings.app);
  sync.notion = std::move(settings.notion);
  sync_.reset(new Sync(std::move(sync), std::move(store), std::move(client)));
}

WorkerApp::~WorkerApp() = default;

Database<Row> WorkerApp::database(DatabaseSchema schema, DatabaseLocation location,
                                  DatabaseOptions options,
                                  std::function<void(Database<Row>&)> declare_rows) {
  Database<Row> handle =
      sync_->database(std::move(schema), std::move(location), std::move(options));
  declarers_.push_back(
      [handle, declare_rows = std::move(declare_rows)]() mutable { declare_rows(handle); });
  return handle;
}

const std::string& WorkerApp::name() const {
  return sync_->settings().app;
}

notion::Client& WorkerApp::client() {
  return sync_->client();
}

std::vector<std::string> WorkerApp::databases() const {
  std::vector<std::string> names;
  for (std::size_t index = 0; index < declarers_.size(); ++index) {
    names.push_back(sync_->name_of(index));
  }
  return names;
}

SyncReport WorkerApp::run(std::size_t index, std::function<void(const SyncProgress&)> on_progress) {
  return sync_->run_claimed(index, declarers_.at(index), std::move(on_progress));
}

// --- Worker ---

namespace {

constexpr milliseconds kMinHeartbeatGap{100};

bool is_postgres_url(std::string_view state) {
  return state.starts_with("postgresql://") || state.starts_with("postgres://");
}

}  // namespace

struct Worker::Impl {
  WorkerSettings settings;
  const std::atomic<bool>& stop_requested;
  std::shared_ptr<PostgresStateStore> store;  // the syncs' connection
  // The board's own connection: heartbeats must not queue behind a long commit of a sync.
  std::unique_ptr<WorkerBoard> board;
  WorkerRecord record;
  std::vector<std::unique_ptr<WorkerApp>> apps;
  std::vector<std::size_t> integration_of_app;  // by app, into integrations
  // One client, hence one rate limiter, per token and API address: the apps of one integration
  // share Notion's limit.
  std::map<std::string, std::shared_ptr<notion::Client>> clients;
  // The integrations of the apps, each with its databases and, while this worker sends its
  // requests, its lock.
  struct Integration {
    std::string key;
    std::vector<TargetClaim> targets;
    std::unique_ptr<IntegrationLock> lock;
  };
  std::vector<Integration> integrations;
  std::vector<TargetClaim> eligible;

  // What the heartbeat thread reports: the claim in hand and its progress.
  std::mutex work_mutex;
  std::optional<TargetClaim> claim;
  std::atomic<std::int64_t> done{0};
  std::atomic<std::int64_t> total{0};
  std::mutex heartbeat_mutex;
  std::condition_variable heartbeat_changed;
  bool heartbeats_stopped = false;
  std::atomic<bool> progress_changed{false};

  Impl(WorkerSettings settings_in, const std::atomic<bool>& stop)
      : settings(std::move(settings_in)), stop_requested(stop) {}

  void log(const std::string& line) const {
    if (settings.log) settings.log(line);
  }

  // How often an idle worker asks for due databases.
  milliseconds idle_poll() const {
    return std::clamp(settings.lease / 4, milliseconds(100), milliseconds(1000));
  }

  // Sleeps `duration` in short steps, returning early when a stop is requested (a signal handler
  // can set the flag, not wake a condition variable).
  void pause_unless_stopped(milliseconds duration) const {
    const auto until = std::chrono::steady_clock::now() + duration;
    while (!stop_requested && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::min(milliseconds(100), duration));
    }
  }

  // The integration of an app's token and API address (added when new), by index.
  std::size_t integration_for(const WorkerAppSettings& settings_of_app) {
    const std::string key =
        fingerprint_of(std::string(settings_of_app.token.reveal()) + "\n" +
                           notion::resolve_base_url(settings_of_app.notion.base_url),
                       "notion-integration")
            .to_hex();
    for (std::size_t index = 0; index < integrations.size(); ++index) {
      if (integrations[index].key == key) return index;
    }
    integrations.push_back(Integration{key, {}, nullptr});
    return integrations.size() - 1;
  }

  std::shared_ptr<notion::Client> client_for(const WorkerAppSettings& settings_of_app) {
    if (!settings_of_app.notion.token.empty()) {
      throw Error(
          ErrorKind::invalid_argument,
          "give the token as WorkerAppSettings::token, not WorkerAppSettings::notion.token");
    }
    const std::string key = std::string(settings_of_app.token.reveal()) + "\n" +
                            settings_of_app.notion.base_url + "\n" +
                            settings_of_app.notion.api_version;
    auto& client = clients[key];
    if (!client) {
      notion::ClientOptions options = settings_of_app.notion;
      options.token = settings_of_app.token;
      try {
        client = std::make_shared<notion::Client>(options);
      } catch (...) {
        clients.erase(key);
        throw;
      }
    }
    return client;
  }

  // Notion limits each integration, not each machine: a worker claims a database only while it
  // holds the database's integration's lock, so one worker at a time sends an integration's
  // requests, paced by its client, and workers on other machines take the integration over when
  // it has nothing due (or when the holder dies with its session).
  std::optional<TargetClaim> claim_next() {
    for (Integration& integration : integrations) {
      if (!integration.lock) {
        // A lock costs a connection: asked for only when one of its databases is due.
        if (!board->any_target_due(integration.targets)) continue;
        integration.lock = board->try_lock_integration(integration.key);
        if (!integration.lock) continue;  // another worker sends its requests
      }
      auto claimed = board->claim_due_target(record.id, settings.lease, integration.targets);
      if (!claimed) {
        integration.lock.reset();  // nothing of it is due: another worker may take it
        continue;
      }
      std::lock_guard guard(work_mutex);
      claim = claimed;
      done = 0;
      total = 0;
      return claimed;
    }
    return std::nullopt;
  }

  // Syncs one claimed database and releases the claim.
  WorkerRunReport sync_claimed(const TargetClaim& claimed) {
    WorkerRunReport run;
    run.app = claimed.app_name;
    run.database = claimed.target_name;
    run.worker_id = record.id;
    // The guarantee: a claim may expire under a slow worker, the database's lock cannot.
    const auto target_lock = store->try_lock_target(claimed.app_name, claimed.target_name);
    if (!target_lock) {
      // Due again at once, behind the databases due earlier, so that this or another worker takes
      // it when the holder is done; a pause keeps this worker from spinning on it.
      log(claimed.app_name + "/" + claimed.target_name +
          ": busy (another process holds its lock); retrying");
      run.outcome = "busy";
      finish(claimed, 0, run.outcome, milliseconds(0));
      pause_unless_stopped(idle_poll());
      return run;
    }
    const std::int64_t run_id = board->start_worker_run(record.id, claimed);
    const auto started = std::chrono::steady_clock::now();
    try {
      WorkerApp& app = app_named(claimed.app_name);
      const auto names = app.databases();
      const auto index = static_cast<std::size_t>(
          std::find(names.begin(), names.end(), claimed.target_name) - names.begin());
      run.report = app.run(index, [this](const SyncProgress& progress) {
        done = static_cast<std::int64_t>(progress.done);
        total = static_cast<std::int64_t>(progress.total);
        progress_changed = true;
        heartbeat_changed.notify_one();
      });
      run.outcome = run.report->refused() ? "refused" : run.report->ok() ? "ok" : "rows_failed";
    } catch (const std::exception& error) {
      // The next run retries; the worker goes on with other databases.
      run.outcome = std::string("failed: ") + error.what();
    }
    finish(claimed, run_id, run.outcome, settings.interval);
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return run;
  }

  WorkerApp& app_named(const std::string& name) {
    for (const auto& app : apps) {
      if (app->name() == name) return *app;
    }
    throw Error(ErrorKind::invalid_argument, "no app named \"" + name + "\"");
  }

  void finish(const TargetClaim& claimed, std::int64_t run_id, const std::string& outcome,
              milliseconds next_due_in) {
    // Under the work mutex (taken before the board's, as in send_heartbeats), so no heartbeat
    // reports the released claim as current after the release.
    std::lock_guard guard(work_mutex);
    claim.reset();
    board->release_claim(record.id, claimed, run_id, outcome, next_due_in);
  }

  // Renews the current claim and records progress every third of the lease.
  void send_heartbeats() {
    const milliseconds period = std::max(settings.lease / 3, kMinHeartbeatGap);
    std::unique_lock lock(heartbeat_mutex);
    while (!heartbeats_stopped) {
      {
        std::lock_guard work_guard(work_mutex);
        try {
          const bool still_ours = board->heartbeat(record.id, claim, settings.lease, done, total);
          if (claim && !still_ours) {
            log(claim->app_name + "/" + claim->target_name +
                ": claim expired and taken by another worker; finishing under its lock");
          }
        } catch (const Error& error) {
          // A missed heartbeat only shortens the claim; the database's lock still holds.
          log(std::string("heartbeat failed: ") + error.what());
        }
      }
      // Sooner when progress moved, so status shows it, but never more than ten a second.
      heartbeat_changed.wait_for(lock, kMinHeartbeatGap, [this] { return heartbeats_stopped; });
      heartbeat_changed.wait_for(lock, period - kMinHeartbeatGap,
                                 [this] { return heartbeats_stopped || progress_changed.load(); });
      progress_changed = false;
    }
  }

  void stop_heartbeats(std::thread& heartbeats) {
    {
      std::lock_guard guard(heartbeat_mutex);
      heartbeats_stopped = true;
    }
    heartbeat_changed.notify_all();
    heartbeats.join();
  }
};

Worker::Worker(WorkerSettings settings) {
  if (!is_postgres_url(settings.state)) {
    throw Error(ErrorKind::invalid_argument,
                "workers share a PostgreSQL state store: the state must be a postgresql:// URL");
  }
  if (settings.lease <= milliseconds(0) || settings.interval < milliseconds(0)) {
    throw Error(ErrorKind::invalid_argument,
                "a worker's lease must be positive and its interval not negative");
  }
  impl_ = std::make_unique<Impl>(std::move(settings), stop_requested_);
  impl_->store = PostgresStateStore::open(impl_->settings.state);
  impl_->board = WorkerBoard::open(impl_->settings.state, {.schema = impl_->store->schema()});
  const std::string hostname = util::host_name("unknown-host");
  impl_->record.id =
      hostname + "/" + std::to_string(::getpid()) + "/" + std::to_string(util::now_ms());
  impl_->record.hostname = hostname;
  impl_->record.pid = static_cast<long>(::getpid());
}

Worker::~Worker() = default;

WorkerApp& Worker::app(WorkerAppSettings settings) {
  for (const auto& app : impl_->apps) {
    if (app->name() == settings.app) {
      throw Error(ErrorKind::invalid_argument,
                  "app \"" + settings.app + "\" is added to this worker twice");
    }
  }
  if (settings.app.empty()) throw Error(ErrorKind::invalid_argument, "the app name is empty");
  auto client = impl_->client_for(settings);
  impl_->integration_of_app.push_back(impl_->integration_for(settings));
  impl_->apps.push_back(std::unique_ptr<WorkerApp>(
      new WorkerApp(std::move(settings), impl_->store, std::move(client))));
  return *impl_->apps.back();
}

bool Worker::run() {
  Impl& impl = *impl_;
  // The databases, by integration; apps without databases serve nothing.
  impl.eligible.clear();
  for (auto& integration : impl.integrations) integration.targets.clear();
  for (std::size_t index = 0; index < impl.apps.size(); ++index) {
    const WorkerApp* app = impl.apps[index].get();
    Impl::Integration& integration = impl.integrations[impl.integration_of_app[index]];
    for (const auto& database : app->databases()) {
      impl.eligible.push_back(TargetClaim{app->name(), database});
      integration.targets.push_back(impl.eligible.back());
    }
  }
  if (impl.eligible.empty()) {
    throw Error(ErrorKind::invalid_argument, "the worker serves no database: add one first");
  }
  impl.board->register_worker(impl.record);
  for (const auto& claim : impl.eligible) {
    impl.board->register_worker_target(claim.app_name, claim.target_name, impl.settings.interval);
  }
  impl.log("worker " + impl.record.id + " serving " + std::to_string(impl.eligible.size()) +
           " databases of " + std::to_string(impl.apps.size()) + " apps");
  impl.heartbeats_stopped = false;
  std::thread heartbeats([&impl] { impl.send_heartbeats(); });
  bool all_ok = true;
  try {
    // A worker with `once` waits while due databases are claimed by others: their claims end when
    // those runs finish or expire, and the database may then fall to this worker.
    while (!stop_requested_) {
      const auto claim = impl.claim_next();
      if (!claim) {
        if (impl.settings.once && !impl.board->any_target_due(impl.eligible)) break;
        impl.pause_unless_stopped(impl.idle_poll());
        continue;
      }
      const WorkerRunReport report = impl.sync_claimed(*claim);
      all_ok &= report.outcome == "ok" || report.outcome == "busy";
      if (impl.settings.on_run) impl.settings.on_run(report);
    }
  } catch (...) {
    impl.stop_heartbeats(heartbeats);
    for (auto& integration : impl.integrations) integration.lock.reset();
    throw;
  }
  impl.stop_heartbeats(heartbeats);
  for (auto& integration : impl.integrations) integration.lock.reset();
  impl.board->unregister_worker(impl.record.id);
  impl.log("worker " + impl.record.id + " stopped");
  return all_ok;
}

void Worker::stop() {
  stop_requested_ = true;
}

const std::string& Worker::id() const {
  return impl_->record.id;
}

WorkerBoard& Worker::board() {
  return *impl_->board;
}

}  // namespace notionsync
