// App: a named set of targets sharing one state store, and the reconcile engine that syncs them.
//
//   auto store = SqliteStateStore::open(".notionsync/state.db");
//   App app("people", *store);
//   TargetHandle& people = app.add_target("people", std::make_unique<MyDriver>());
//   people.declare(Row{{"email", "ada@example.com"}, {"name", "Ada"}});
//   SyncReport report = app.sync();   // declare -> plan -> apply -> commit
//
// A re-run in a new process declares the rows again; only what changed costs remote calls.
// sync() holds the app's lock in the store for its whole duration.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "notionsync/core/fingerprint.hpp"
#include "notionsync/core/plan.hpp"
#include "notionsync/core/row.hpp"
#include "notionsync/core/state_store.hpp"
#include "notionsync/core/target.hpp"

namespace notionsync {

// Where rows of one target are declared.
class TargetHandle {
 public:
  TargetHandle(std::string name, std::unique_ptr<TargetDriver> driver);

  // Declares one row. Returns the error when the row is rejected (a value that cannot be
  // encoded, a key held by a row that failed); the row is then left out of the sync and the page
  // it had, if any, is left as it is. A key declared twice is found when the rows are planned: both
  // rows are left out, and the plan's errors name them. `origin` names the row in messages
  // ("people.csv:12"); defaults to "row N".
  std::optional<RowError> declare(const Row& row, std::string_view origin = {});

  // Records a row that could not be read or converted (a malformed line, a value of the wrong
  // type). It is left out of the sync; when its key can be read from `row`, the page it had is
  // left as it is, and otherwise no page of this target is removed in this run (the row may be
  // one of those missing). Fills error.key when the key is known.
  void reject(RowError error, const Row& row = {});

  std::string_view name() const { return name_; }
  const DeclaredRows& declared() const { return declared_; }
  TargetDriver& driver() { return *driver_; }
  const TargetSettings& settings() const { return settings_; }

 private:
  std::optional<std::string> encoded_key_of(const Row& row) const;
  // reject(), returning the error as recorded (with the row's key when it can be read).
  RowError record_failure(RowError error, const Row& row);

  std::string name_;
  std::unique_ptr<TargetDriver> driver_;
  TargetSettings settings_;
  DeclaredRows declared_;
  std::size_t declared_count_ = 0;
  EncodedRow encoded_;  // the row being declared; its buffers serve every row in turn
  PayloadFingerprinter fingerprint_of_;
};

struct TargetReport {
  std::string target_name;
  PlanCounts planned;
  std::size_t created = 0, updated = 0, adopted = 0, unchanged = 0, trashed = 0, erased = 0,
              forgotten = 0, held = 0;
  std::size_t restored = 0;        // remote items a person changed, written back (drift)
  std::vector<DriftedItem> drift;  // remote items changed behind notionsync's back
  // Rows that failed: rows refused when read or declared (each counted once, however many errors
  // it has) and actions that failed. Their pages stay as they were.
  std::size_t failed = 0;
  std::size_t unknown = 0;         // actions whose outcome is unknown (verified next run)
  std::vector<RowError> errors;    // every message: declaration errors and failed actions
  std::vector<std::string> notes;  // schema changes, re-created pages, duplicates found
  // What the removal guard found; when it stops the sync, nothing of the app was written.
  RemovalCheck removal_check;
};

struct SyncReport {
  std::string app_name;
  std::vector<TargetReport> targets;
  std::vector<std::string> orphaned_targets;  // tracked in the store, no longer in the app
  std::int64_t started_at_ms = 0;
  std::int64_t finished_at_ms = 0;

  // True when the removal guard stopped the sync: a target would have removed more tracked rows
  // than its RemovalLimit allows, so no target was written (see TargetReport::removal_check).
  bool refused() const;
  bool ok() const;                // not refused, no row failed and no outcome is unknown
  std::string to_string() const;  // a short human summary
  std::string to_json() const;    // the same as JSON (also stored as the run's summary)
};

// Progress of one target's apply, for progress bars: `done` of `total` remote actions reported.
struct SyncProgress {
  std::string_view target;
  std::size_t done = 0;
  std::size_t total = 0;
};

struct SyncOptions {
  // Drop the tracking of targets that are in the store but no longer in the app. Without it they
  // are reported and left alone.
  bool prune_orphaned_targets = false;
  // Results are committed to the store in transactions of at most this many rows.
  std::size_t commit_batch_size = 64;
  // Creates are recorded pending_create (so that a crash never duplicates them) in batches of at
  // most this many, each just before its batch goes to the driver: a run cut short leaves pending
  // only the creates it may have sent, and each pending row costs the next run a verification.
  std::size_t create_batch_size = 100;
  // Called when a target starts applying and after each action's outcome, from the thread that
  // reports it. Must be quick and must not call into the App.
  std::function<void(const SyncProgress&)> on_progress;
  // Hold the app's lock in the store for the whole sync. A caller that holds the lock of each
  // target it syncs instead (a worker: several may sync different targets of one app at once)
  // sets it false.
  bool take_app_lock = true;
  // Sync only these targets (in dependency order); empty: every target. The others are neither
  // planned nor touched. Throws Error(ErrorKind::invalid_argument)
  // for a name that is not a target of the app.
  std::vector<std::string> only_targets;
  // Allow this run to remove more tracked rows than the targets' removal limits do (see
  // removal_limit.hpp). Without it, a sync that would go over a limit writes nothing and returns
  // a report whose refused() is true.
  bool allow_removals = false;
};

class App {
 public:
  // REQUIRES: `store` outlives the App.
  App(std::string name, StateStore& store);
  ~App();

  // Adds a target. Throws Error(ErrorKind::invalid_argument) for an empty or repeated name.
  TargetHandle& add_target(std::string name, std::unique_ptr<TargetDriver> driver);

  // What sync(options) would do, target by target (in dependency order): the targets of
  // options.only_targets (all when empty), and each plan's removal_check says whether the removal
  // guard would stop the sync (options.allow_removals applies). Writes nothing, remote or local.
  std::vector<Plan> plan(const SyncOptions& options = {});

  // Targets the store tracks for this app that are not added to it: sync() leaves them alone
  // unless SyncOptions::prune_orphaned_targets.
  std::vector<std::string> orphaned_targets();

  // Plans and applies every target, committing results as they arrive. Targets run in dependency
  // order (TargetSettings::depends_on). Every target is first planned from the store alone: when
  // one would remove more tracked rows than its removal limit allows, the sync writes nothing and
  // returns a report whose refused() is true. Throws Error for failures that stop a target
  // (schema mismatch, locked or failing store, a dependency on an unknown target); per-row
  // problems are reported.
  SyncReport sync(const SyncOptions& options = {});

  std::string_view name() const { return name_; }
  // The store the app keeps its state in (drivers keep what they learn there too).
  StateStore& store() const { return store_; }

 private:
  friend class AppInternals;  // the engine's own callers (src/core/app_internals.hpp)
  struct Impl;
  struct StorePlan;
  struct PreparedTarget;

  // AppInternals::hold_lock() and AppInternals::read_ahead().
  void hold_lock();
  void read_ahead(std::string_view target_name);

  // Plans a target from the declared rows and the store alone, without a call to its driver:
  // what the removal guard needs, before anything is written. `record` is the target's record in
  // the store, or nullptr when the store does not track it.
  StorePlan plan_from_store(TargetHandle& handle, const TargetRecord* record,
                            const SyncOptions& options);
  // The driver's prepare(), then the plan: `stored` completed with the remote's rows when it
  // needs them (a first run, or many rows whose earlier create's outcome is unknown).
  PreparedTarget prepare(TargetHandle& handle, bool dry_run, StorePlan stored,
                         const SyncOptions& options);
  // Every target of options.only_targets (all when empty), in dependency order.
  std::vector<TargetHandle*> targets_to_sync(const SyncOptions& options) const;
  // Targets ordered so that each comes after the targets it depends on (cycles: declaration order).
  std::vector<TargetHandle*> targets_in_dependency_order() const;
  // Plans and applies one target; returns how many rows were written incomplete.
  std::size_t sync_target(TargetHandle& handle, const SyncOptions& options, TargetReport& target,
                          bool first_pass, const std::vector<std::string>& applied_targets,
                          StorePlan stored);

  // Reads which targets the store tracks for this app.
  void learn_tracked_targets();
  // With the lock held: reads the target's tracked rows in the background, unless the store has
  // their digest (see prepare()).
  void start_preload(std::string_view target_name);
  // After a target's sync: records the digest of its rows in the store when they are all synced,
  // so that the next run declaring the same rows plans without reading them.
  void remember_rows_digest(const PreparedTarget& prepared);
  // Waits for the background reads (rethrowing their errors). Called before anything else uses
  // the store, so the reads never overlap with the sync's own use of it.
  void finish_preload();

  std::string name_;
  StateStore& store_;
  std::vector<std::unique_ptr<TargetHandle>> targets_;
  // The lock held by hold_lock() and the tracked rows read ahead; destroyed before the targets.
  std::unique_ptr<Impl> impl_;
};

}  // namespace notionsync
