// Worker: syncs the databases of several apps from a PostgreSQL state store, sharing the work with
// any number of other workers, on any number of machines, that serve the same apps.
//
//   #include <notionsync/postgres/worker.hpp>
//
//   notionsync::Worker worker({.state = "postgresql://sync@db.internal/ops"});
//   notionsync::WorkerApp& people =
//       worker.app({.token = notionsync::Token::from_env(), .app = "people"});
//   people.database(
//       notionsync::Schema<Person>().title("Name", &Person::name)
//           .email("Email", &Person::email).key(&Person::email),
//       notionsync::NewDatabase{.parent_page = "<page id>", .title = "People"}, {},
//       [](notionsync::Database<Person>& database) {
//         for (const Person& person : load_people()) database.declare(person);
//       });
//   worker.run();   // until worker.stop(), from a signal handler or another thread
//
// Each database is synced again `interval` after its last run ended. A worker claims the database
// due soonest that no other worker holds (see WorkerBoard), takes its lock, calls its callback to
// declare its rows, syncs it, and releases the claim; while it works, a heartbeat renews the claim,
// so a worker that dies loses it after `lease` and another worker takes the database over. Rows
// are declared only by the worker that syncs them, so each callback reads its source when its
// database is due, never otherwise.
//
// Notion limits each integration, not each machine: a worker syncs a database only while it holds
// the lock of the database's integration (its token and API address), so whatever the number of
// workers, an integration's requests come from one client at a time, paced to Notion's rate.
// Workers take turns: one that has nothing of an integration due lets it go.
//
// Apps and databases are added before run(); a database's options follow Sync::database(), and so
// do its errors. A callback that throws fails its run (recorded as its outcome), not the worker.
// Needs a notionsync built with PostgreSQL (NOTIONSYNC_WITH_POSTGRES).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "notionsync/postgres/worker_board.hpp"
#include "notionsync/sync.hpp"

namespace notionsync {

// The outcome of one run of one database.
struct WorkerRunReport {
  std::string app;
  std::string database;
  std::string worker_id;
  // "ok", "rows_failed", "refused" (the removal guard), "busy" (another process held its lock;
  // it is due again at once) or "failed: <reason>".
  std::string outcome;
  double seconds = 0;
  std::optional<SyncReport> report;  // when the sync ran to its end
};

struct WorkerSettings {
  // The PostgreSQL state store the workers share: "postgresql://user@host/db[?schema=NAME]".
  std::string state{};
  // A claim not renewed for this long expires (a worker that died loses its database).
  std::chrono::milliseconds lease = std::chrono::seconds(60);
  // From the end of a database's run to its next one.
  std::chrono::milliseconds interval = std::chrono::minutes(5);
  // Return from run() once nothing this worker serves is due (rather than wait for the next).
  bool once = false;
  // Called after each run of a database, from the thread that called run().
  std::function<void(const WorkerRunReport&)> on_run{};
  // The worker's own messages: started, stopped, a database busy elsewhere, a lost claim.
  std::function<void(std::string_view line)> log{};
};

// One app a worker serves, with the Notion integration its databases are written with.
struct WorkerAppSettings {
  Token token{};  // required
  // The app's name in the store (as SyncSettings::app).
  std::string app = "notionsync";
  // The rest of the client (as SyncSettings::notion; its token left empty). Apps with the same
  // token and API address share one client, whose rate is that of the first of them.
  notion::ClientOptions notion{};
};

// The databases of one app, as a worker serves them.
class WorkerApp {
 public:
  // Adds a database (as Sync::database) and the callback that declares its rows when it runs.
  template <typename T>
  Database<T> database(Schema<T> schema, DatabaseLocation location, DatabaseOptions options,
                       std::type_identity_t<std::function<void(Database<T>&)>> declare_rows) {
    Database<T> handle =
        sync_->database(std::move(schema), std::move(location), std::move(options));
    declarers_.push_back(
        [handle, declare_rows = std::move(declare_rows)]() mutable { declare_rows(handle); });
    return handle;
  }
  Database<Row> database(DatabaseSchema schema, DatabaseLocation location, DatabaseOptions options,
                         std::function<void(Database<Row>&)> declare_rows);

  const std::string& name() const;
  // The client its databases write through (shared by the apps of its integration): for reading
  // Notion in the same paced budget.
  notion::Client& client();
  // The names of its databases, in the order they were added.
  std::vector<std::string> databases() const;

  ~WorkerApp();
  WorkerApp(const WorkerApp&) = delete;
  WorkerApp& operator=(const WorkerApp&) = delete;

 private:
  friend class Worker;
  WorkerApp(WorkerAppSettings settings, std::shared_ptr<StateStore> store,
            std::shared_ptr<notion::Client> client);
  // Syncs database `index`, whose lock the worker holds.
  SyncReport run(std::size_t index, std::function<void(const SyncProgress&)> on_progress);

  std::unique_ptr<Sync> sync_;
  std::vector<std::function<void()>> declarers_;
};

class Worker {
 public:
  // Connects to the state store (two connections: the sync's and the board's). Throws
  // Error(invalid_argument) for a state that is not a postgresql:// URL, a lease that is not
  // positive or a negative interval, and Error(state_store) when the store cannot be opened.
  explicit Worker(WorkerSettings settings);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Adds an app to serve. Throws Error(invalid_argument) for an app added twice or without a
  // token, or a base URL that would send the token in clear text.
  WorkerApp& app(WorkerAppSettings settings);

  // Serves the apps' databases until stop() (or, with WorkerSettings::once, until none is due),
  // finishing the database in hand before it returns. Returns true when every run ended "ok" or
  // "busy". Throws Error when the state store fails, and Error(invalid_argument) when no database
  // was added.
  bool run();
  // Asks run() to return once the database in hand is synced (or at once, when called before
  // run()); a stopped worker stays stopped. Safe from a signal handler and from any thread.
  void stop();

  // "host/pid/start", as the board and `notionsync status` show it.
  const std::string& id() const;
  // The board the worker claims from (its connection; thread-safe).
  WorkerBoard& board();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::atomic<bool> stop_requested_{false};
};

}  // namespace notionsync
