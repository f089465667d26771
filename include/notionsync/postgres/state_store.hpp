// PostgresStateStore: the shared state store, for syncs that run on several machines.
//
//   auto store = PostgresStateStore::open("postgresql://sync:secret@db.internal/ops");
//   App app("people", *store);
//
// It keeps the same apps, targets, tracked rows and runs as the SQLite store, in tables of one
// PostgreSQL schema ("notionsync" unless told otherwise), so several apps, or several
// installations, can share a database. The schema is versioned (table schema_migrations) and
// migrated on open, each migration in its own transaction; a schema written by a newer notionsync
// is refused.
//
// Locks are PostgreSQL advisory locks held by a connection of their own: the server drops them
// when that session ends, so a killed process never leaves an app or a target locked. The holder's
// process id and host name are recorded so that a refused lock can say who holds it.
//
// Workers (`notionsync worker`) share the targets of many apps through claims: one row per
// (app, target) saying when it is next due and which worker, if any, has claimed it until when.
// Claims are taken with SELECT ... FOR UPDATE SKIP LOCKED, so concurrent workers never wait on one
// another nor take the same claim; a claim whose worker stops renewing it expires. Claims decide
// who should work on what; lock_target is what guarantees that two workers never reconcile one
// target at once, even when a claim expired under a worker that was still running. Claim times
// come from the server's clock, so workers on machines whose clocks disagree still agree.
//
// Passwords never appear in messages: every error names the URL with its password replaced.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "notionsync/core/state_store.hpp"

namespace notionsync {

// Held while one target of one app is being reconciled; destroying it (or the death of the
// process) releases it.
class TargetLock {
 public:
  virtual ~TargetLock() = default;
};

// A worker process as the workers table records it.
struct WorkerRecord {
  std::string id;  // unique per process: "host/pid/start"
  std::string hostname;
  long pid = 0;
  std::int64_t started_at_ms = 0;
  std::int64_t heartbeat_at_ms = 0;   // the last sign of life
  std::int64_t heartbeat_age_ms = 0;  // server time now minus heartbeat_at_ms
  std::string current_app;            // empty when idle
  std::string current_target;
  std::int64_t progress_done = 0;  // remote actions reported of the current target's total
  std::int64_t progress_total = 0;
};

// One target known to the workers.
struct ClaimRecord {
  std::string app_name;
  std::string target_name;
  std::int64_t due_at_ms = 0;    // when it should next be synced
  std::int64_t interval_ms = 0;  // the time between the end of a run and the next due time
  std::string claimed_by;        // a worker id; empty when unclaimed
  std::int64_t claim_expires_at_ms = 0;
  std::int64_t last_started_at_ms = 0;  // 0: never run
  std::int64_t last_finished_at_ms = 0;
  std::string last_outcome;  // "ok", "rows_failed", "failed: ...", "busy"
  std::string last_worker;
};

// One run of one target by a worker. finished_at_ms is 0 while it runs, and forever when its
// worker died during it.
struct WorkerRun {
  std::int64_t id = 0;
  std::string app_name;
  std::string target_name;
  std::string worker_id;
  std::int64_t started_at_ms = 0;
  std::int64_t finished_at_ms = 0;
  std::string outcome;
};

// A claim taken by claim_due_target.
struct TargetClaim {
  std::string app_name;
  std::string target_name;
};

class PostgresStateStore : public StateStore {
 public:
  struct Options {
    // The PostgreSQL schema that holds the tables; created if missing. Empty: the URL's
    // `schema=NAME` query parameter if given, else "notionsync".
    std::string schema;
    // Called inside commit() after rows are written, with the number written so far, before the
    // transaction commits. Lets crash tests stop a process in the middle of a batch.
    std::function<void(std::size_t rows_written)> commit_observer;
  };

  // Connects to `url` (postgresql://[user[:password]@][host][:port][/database][?param=value&...],
  // or postgres://...; parameters are libpq's, plus `schema`), creates the schema if needed and
  // migrates it. Throws Error(ErrorKind::invalid_argument) for a malformed URL and
  // Error(ErrorKind::state_store) when the server cannot be reached, the schema holds something
  // else than a notionsync store, or it was written by a newer notionsync.
  static std::unique_ptr<PostgresStateStore> open(const std::string& url, Options options = {});

  // The schema version this build writes.
  static int latest_schema_version();
  int schema_version();
  // The schema that holds this store's tables.
  const std::string& schema() const;
  // The URL with its password replaced by "***": safe to print.
  const std::string& redacted_url() const;

  ~PostgresStateStore() override;

  // Session-level advisory lock on the app (see the class comment). Throws
  // Error(ErrorKind::state_store_locked) "app 'X' is being synced by process N on HOST; wait for
  // it to finish or stop it" while another lock holds it, including one taken in this process.
  std::unique_ptr<AppLock> lock_app(std::string_view app_name) override;

  // The exclusive right to reconcile one target of one app, so two workers never reconcile one
  // target at once. Independent of lock_app. Throws Error(ErrorKind::state_store_locked) naming the
  // holder while another session holds it.
  std::unique_ptr<TargetLock> lock_target(std::string_view app_name, std::string_view target_name);
  // The right to send one Notion integration's requests: `integration_key` names the integration
  // without revealing its token (a hash of the token and the API address). One lock per
  // PostgreSQL database, whatever the store's schema, since Notion's rate limit is one per
  // integration. Workers sync a target only while they hold its integration's lock, so its
  // requests come from one client at a time, paced to Notion's rate. nullptr while another session
  // holds it.
  std::unique_ptr<TargetLock> try_lock_integration(std::string_view integration_key);
  // Like lock_target, but returns nullptr instead of throwing when the target is held.
  std::unique_ptr<TargetLock> try_lock_target(std::string_view app_name,
                                              std::string_view target_name);

  // --- Workers (see the class comment) ---

  // Adds the workers' claim on (app, target) if missing, due at once; sets its interval.
  void register_worker_target(std::string_view app_name, std::string_view target_name,
                              std::chrono::milliseconds interval);
  // Records a worker (id, host, pid); its heartbeat is now. Forgets workers silent for a day.
  void register_worker(const WorkerRecord& worker);
  // Removes a worker that stops cleanly; its claims (normally none) are released as they are.
  void unregister_worker(std::string_view worker_id);
  // Claims the target due soonest that no worker holds (or whose claim expired) until now + lease.
  // Returns nullopt when none is claimable. Never waits for other workers.
  // Only targets in `eligible` (those whose config this worker has) are considered.
  std::optional<TargetClaim> claim_due_target(std::string_view worker_id,
                                              std::chrono::milliseconds lease,
                                              const std::vector<TargetClaim>& eligible);
  // Whether some target of `eligible` is due now, claimed or not (a worker run with --once waits
  // for those).
  bool any_target_due(const std::vector<TargetClaim>& eligible);
  // Heartbeat: the worker's progress on its current target (empty names: idle), and, when it
  // holds `claim`, the claim renewed until now + lease. Returns false when the claim is no longer
  // this worker's (it expired and another worker took it).
  bool heartbeat(std::string_view worker_id, const std::optional<TargetClaim>& claim,
                 std::chrono::milliseconds lease, std::int64_t progress_done,
                 std::int64_t progress_total);
  // Starts a run of the claimed target (call once lock_target is held); returns its id.
  std::int64_t start_worker_run(std::string_view worker_id, const TargetClaim& claim);
  // Ends a run (run_id 0: none was started), and releases the claim if it is still this worker's:
  // unclaimed, due again `next_due_in` from now, with the outcome recorded.
  void release_claim(std::string_view worker_id, const TargetClaim& claim, std::int64_t run_id,
                     std::string_view outcome, std::chrono::milliseconds next_due_in);
  std::vector<WorkerRecord> workers();
  std::vector<ClaimRecord> claims();
  // Runs of workers, oldest first.
  std::vector<WorkerRun> worker_runs();

  std::vector<std::string> apps() override;
  std::vector<TargetRecord> targets(std::string_view app_name,
                                    RowCounts counts = RowCounts::counted) override;
  TargetRecord ensure_target(std::string_view app_name, std::string_view target_name,
                             std::string_view kind) override;
  void update_target(const TargetRecord& record) override;
  void drop_target(std::int64_t target_id) override;
  // Streams rows from one snapshot through a cursor on a connection of its own, a page at a time,
  // so memory stays flat and `visit` may use the store meanwhile.
  void for_each_row(std::int64_t target_id,
                    const std::function<void(TrackedRow&&)>& visit) override;
  std::optional<TrackedRow> find_row(std::int64_t target_id, std::string_view key) override;
  std::int64_t count_rows(std::int64_t target_id) override;
  // One transaction; rows are sent in multi-row statements of a few thousand rows each.
  void commit(std::int64_t target_id, std::span<const RowChange> changes) override;
  void record_rows_digest(std::int64_t target_id, const RowsDigest& digest) override;
  void record_run(const RunRecord& run) override;
  std::optional<RunRecord> last_run(std::string_view app_name) override;
  std::optional<CachedValue> read_cached(std::string_view app_name, std::string_view scope,
                                         std::string_view key, std::int64_t now_ms) override;
  void write_cached(std::string_view app_name, std::string_view scope, std::string_view key,
                    const CachedValue& value) override;
  void erase_cached(std::string_view app_name, std::string_view scope,
                    std::string_view key) override;

 private:
  struct Impl;
  explicit PostgresStateStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace notionsync
