// WorkerBoard: who syncs what, for workers sharing a PostgreSQL state store.
//
//   auto board = WorkerBoard::open("postgresql://sync@db.internal/ops");
//   board->register_worker({.id = "host/4242/1765000000000", .hostname = "host", .pid = 4242});
//   board->register_worker_target("people", "team", std::chrono::minutes(5));
//   if (auto claim = board->claim_due_target(id, std::chrono::seconds(60), eligible)) {
//     std::int64_t run = board->start_worker_run(id, *claim);
//     ...  // sync it, under the target's lock (PostgresStateStore::lock_target)
//     board->release_claim(id, *claim, run, "ok", std::chrono::minutes(5));
//   }
//
// Most programs run a Worker (notionsync/postgres/worker.hpp), which does all of this; the board
// is what `notionsync status` reads, and what a scheduler of one's own would use.
//
// The board keeps, in the store's schema, one claim per (app, target) saying when it is next due
// and which worker, if any, has claimed it until when; the workers with their heartbeats and
// progress; and each run with its outcome. Claims are taken with SELECT ... FOR UPDATE SKIP LOCKED,
// so concurrent workers never wait on one another nor take the same claim; a claim whose worker
// stops renewing it expires. Claims decide who should work on what; the target's lock is what
// guarantees that two workers never reconcile one target at once, even when a claim expired under
// a worker that was still running. Times come from the server's clock, so workers on machines
// whose clocks disagree still agree.
//
// One connection of its own, so heartbeats never queue behind a long commit of a sync. Thread-safe:
// each call holds the connection for its duration. Errors: Error(ErrorKind::state_store), naming
// the URL with its password replaced.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace notionsync {

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

// The right to send one Notion integration's requests (WorkerBoard::try_lock_integration);
// destroying it, or the end of the process, releases it.
class IntegrationLock {
 public:
  virtual ~IntegrationLock() = default;
};

class WorkerBoard {
 public:
  struct Options {
    // The PostgreSQL schema of the state store: empty for the URL's `schema=NAME` parameter if
    // given, else "notionsync" (as PostgresStateStore::Options::schema).
    std::string schema;
  };

  // Connects to the state store at `url` (as PostgresStateStore::open), migrating the store and
  // the board's tables when needed. Throws Error(ErrorKind::invalid_argument) for a malformed URL
  // and Error(ErrorKind::state_store) when the server cannot be reached or the schema holds
  // something else.
  static std::unique_ptr<WorkerBoard> open(const std::string& url, Options options = {});
  ~WorkerBoard();

  // Adds the claim on (app, target) if missing, due at once; sets its interval.
  void register_worker_target(std::string_view app_name, std::string_view target_name,
                              std::chrono::milliseconds interval);
  // Records a worker (id, host, pid); its heartbeat is now. Forgets workers silent for a day.
  void register_worker(const WorkerRecord& worker);
  // Removes a worker that stops cleanly; its claims (normally none) are left as they are.
  void unregister_worker(std::string_view worker_id);
  // Claims the target due soonest that no worker holds (or whose claim expired) until now + lease.
  // Only targets in `eligible` (those this worker can sync) are considered. Returns nullopt when
  // none is claimable; never waits for other workers.
  std::optional<TargetClaim> claim_due_target(std::string_view worker_id,
                                              std::chrono::milliseconds lease,
                                              const std::vector<TargetClaim>& eligible);
  // Whether some target of `eligible` is due now, claimed or not.
  bool any_target_due(const std::vector<TargetClaim>& eligible);
  // Heartbeat: the worker's progress on its current target (nullopt: idle), and, when it holds
  // `claim`, the claim renewed until now + lease. Returns false when the claim is no longer this
  // worker's (it expired and another worker took it).
  bool heartbeat(std::string_view worker_id, const std::optional<TargetClaim>& claim,
                 std::chrono::milliseconds lease, std::int64_t progress_done,
                 std::int64_t progress_total);
  // Starts a run of the claimed target (call once its lock is held); returns its id.
  std::int64_t start_worker_run(std::string_view worker_id, const TargetClaim& claim);
  // Ends a run (run_id 0: none was started), and releases the claim if it is still this worker's:
  // unclaimed, due again `next_due_in` from now, with the outcome recorded.
  void release_claim(std::string_view worker_id, const TargetClaim& claim, std::int64_t run_id,
                     std::string_view outcome, std::chrono::milliseconds next_due_in);
  std::vector<WorkerRecord> workers();
  std::vector<ClaimRecord> claims();
  // Runs of workers, oldest first.
  std::vector<WorkerRun> worker_runs();

  // The right to send one Notion integration's requests: `integration_key` names the integration
  // without revealing its token (a hash of the token and the API address). One lock per
  // PostgreSQL database, whatever the schema, since Notion's rate limit is one per integration.
  // Workers sync a target only while they hold its integration's lock, so its requests come from
  // one client at a time, paced to Notion's rate. nullptr while another session holds it. Each
  // lock holds a connection of its own.
  std::unique_ptr<IntegrationLock> try_lock_integration(std::string_view integration_key);

 private:
  struct Impl;
  explicit WorkerBoard(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace notionsync
