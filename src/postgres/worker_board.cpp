// The workers' board: claims, runs and heartbeats in a PostgreSQL state store's schema (see
// notionsync/postgres/worker_board.hpp and docs/scaling.md).
#include "notionsync/postgres/worker_board.hpp"

#include <pqxx/pqxx>

#include "postgres/advisory_lock.hpp"
#include "postgres/lock_names.hpp"
#include "postgres/migrations.hpp"
#include "postgres/session.hpp"

namespace notionsync {
namespace {

// Now on the server's clock, in Unix milliseconds: claims compare times written by workers on
// different machines, so they all use this one clock.
constexpr const char* kServerNow = "(extract(epoch FROM clock_timestamp()) * 1000)::bigint";

std::string with_server_now(std::string sql) {
  for (auto at = sql.find("@now"); at != std::string::npos; at = sql.find("@now", at)) {
    sql.replace(at, 4, kServerNow);
  }
  return sql;
}

std::int64_t int_or_zero(const pqxx::field& field) {
  return field.is_null() ? 0 : field.as<std::int64_t>();
}

// A text[] literal of `values`: inside quotes only '"' and '\\' need escaping.
std::string text_array(const std::vector<std::string>& values) {
  std::string array = "{";
  for (const auto& value : values) {
    if (array.size() > 1) array += ',';
    array += '"';
    for (const char c : value) {
      if (c == '"' || c == '\\') array += '\\';
      array += c;
    }
    array += '"';
  }
  return array + "}";
}

// The app and target names of `claims`, as two text[] literals for unnest().
std::pair<std::string, std::string> split_claims(const std::vector<TargetClaim>& claims) {
  std::vector<std::string> apps, targets;
  for (const auto& claim : claims) {
    apps.push_back(claim.app_name);
    targets.push_back(claim.target_name);
  }
  return {text_array(apps), text_array(targets)};
}

class PostgresIntegrationLock : public IntegrationLock {
 public:
  explicit PostgresIntegrationLock(std::unique_ptr<postgres::AdvisoryLock> lock)
      : lock_(std::move(lock)) {}

 private:
  std::unique_ptr<postgres::AdvisoryLock> lock_;
};

}  // namespace

struct WorkerBoard::Impl : postgres::GuardedConnection {};

std::unique_ptr<WorkerBoard> WorkerBoard::open(const std::string& url, Options options) {
  auto impl = std::make_unique<Impl>();
  impl->location = postgres::locate(url, options.schema);
  impl->connection = postgres::connect(impl->location);
  impl->translate("cannot open", [&] {
    postgres::migrate(*impl->connection, impl->location.schema);
    postgres::migrate_workers(*impl->connection, impl->location.schema);
  });
  return std::unique_ptr<WorkerBoard>(new WorkerBoard(std::move(impl)));
}

WorkerBoard::WorkerBoard(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WorkerBoard::~WorkerBoard() = default;

std::unique_ptr<IntegrationLock> WorkerBoard::try_lock_integration(
    std::string_view integration_key) {
  postgres::LockHolder holder;
  // No schema in the name: every store of this database shares an integration's budget.
  auto lock = postgres::AdvisoryLock::try_acquire(
      impl_->location, postgres::lock_name({"integration", integration_key}), holder);
  if (!lock) return nullptr;
  return std::make_unique<PostgresIntegrationLock>(std::move(lock));
}

void WorkerBoard::register_worker_target(std::string_view app_name, std::string_view target_name,
                                         std::chrono::milliseconds interval) {
  impl_->guarded("cannot register a target for workers", [&] {
    pqxx::nontransaction transaction(*impl_->connection);
    transaction.exec_params(
        with_server_now("INSERT INTO worker_claims (app_name, target_name, due_at, interval_ms) "
                        "VALUES ($1, $2, @now, $3) ON CONFLICT (app_name, target_name) "
                        "DO UPDATE SET interval_ms = excluded.interval_ms"),
        std::string(app_name), std::string(target_name),
        static_cast<std::int64_t>(interval.count()));
  });
}

void WorkerBoard::register_worker(const WorkerRecord& worker) {
  impl_->guarded("cannot register a worker", [&] {
    pqxx::work transaction(*impl_->connection);
    // Rows of workers that died; their claims have long expired.
    transaction.exec(with_server_now("DELETE FROM workers WHERE heartbeat_at < @now - 86400000"));
    transaction.exec_params(
        with_server_now("INSERT INTO workers (id, hostname, pid, started_at, heartbeat_at) "
                        "VALUES ($1, $2, $3, @now, @now) ON CONFLICT (id) DO UPDATE SET "
                        "heartbeat_at = excluded.heartbeat_at"),
        worker.id, worker.hostname, worker.pid);
    transaction.commit();
  });
}

void WorkerBoard::unregister_worker(std::string_view worker_id) {
  impl_->guarded("cannot unregister a worker", [&] {
    pqxx::nontransaction transaction(*impl_->connection);
    transaction.exec_params("DELETE FROM workers WHERE id = $1", std::string(worker_id));
  });
}

std::optional<TargetClaim> WorkerBoard::claim_due_target(std::string_view worker_id,
                                                         std::chrono::milliseconds lease,
                                                         const std::vector<TargetClaim>& eligible) {
  const auto names = split_claims(eligible);
  return impl_->guarded("cannot claim a target", [&]() -> std::optional<TargetClaim> {
    pqxx::work transaction(*impl_->connection);
    // SKIP LOCKED: a row another worker is claiming right now is passed over, not waited for.
    const auto result = transaction.exec_params(
        with_server_now(
            "WITH next AS (SELECT app_name, target_name FROM worker_claims "
            "WHERE due_at <= @now AND (claimed_by IS NULL OR claim_expires_at <= @now) "
            "AND (app_name, target_name) IN (SELECT * FROM unnest($3::text[], $4::text[])) "
            "ORDER BY due_at, app_name, target_name LIMIT 1 FOR UPDATE SKIP LOCKED) "
            "UPDATE worker_claims c SET claimed_by = $1, claimed_at = @now, "
            "claim_expires_at = @now + $2 FROM next "
            "WHERE c.app_name = next.app_name AND c.target_name = next.target_name "
            "RETURNING c.app_name, c.target_name"),
        std::string(worker_id), static_cast<std::int64_t>(lease.count()), names.first,
        names.second);
    transaction.commit();
    if (result.empty()) return std::nullopt;
    return TargetClaim{result[0][0].as<std::string>(), result[0][1].as<std::string>()};
  });
}

bool WorkerBoard::any_target_due(const std::vector<TargetClaim>& eligible) {
  const auto names = split_claims(eligible);
  return impl_->guarded("cannot read claims", [&] {
    pqxx::nontransaction transaction(*impl_->connection);
    return !transaction
                .exec_params(
                    with_server_now("SELECT 1 FROM worker_claims WHERE due_at <= @now "
                                    "AND (app_name, target_name) IN "
                                    "(SELECT * FROM unnest($1::text[], $2::text[])) LIMIT 1"),
                    names.first, names.second)
                .empty();
  });
}

bool WorkerBoard::heartbeat(std::string_view worker_id, const std::optional<TargetClaim>& claim,
                            std::chrono::milliseconds lease, std::int64_t progress_done,
                            std::int64_t progress_total) {
  return impl_->guarded("cannot record a heartbeat", [&] {
    pqxx::work transaction(*impl_->connection);
    transaction.exec_params(
        with_server_now("UPDATE workers SET heartbeat_at = @now, current_app = $2, "
                        "current_target = $3, progress_done = $4, progress_total = $5 "
                        "WHERE id = $1"),
        std::string(worker_id), claim ? claim->app_name : std::string(),
        claim ? claim->target_name : std::string(), progress_done, progress_total);
    bool still_ours = true;
    if (claim) {
      still_ours =
          !transaction
               .exec_params(with_server_now("UPDATE worker_claims SET claim_expires_at = @now + $4 "
                                            "WHERE app_name = $1 AND target_name = $2 "
                                            "AND claimed_by = $3 RETURNING 1"),
                            claim->app_name, claim->target_name, std::string(worker_id),
                            static_cast<std::int64_t>(lease.count()))
               .empty();
    }
    transaction.commit();
    return still_ours;
  });
}

std::int64_t WorkerBoard::start_worker_run(std::string_view worker_id, const TargetClaim& claim) {
  return impl_->guarded("cannot record a run", [&] {
    pqxx::work transaction(*impl_->connection);
    const auto id =
        transaction
            .exec_params1(with_server_now("INSERT INTO worker_runs (app_name, target_name, "
                                          "worker_id, started_at) VALUES ($1, $2, $3, @now) "
                                          "RETURNING id"),
                          claim.app_name, claim.target_name, std::string(worker_id))[0]
            .as<std::int64_t>();
    transaction.exec_params(
        with_server_now("UPDATE worker_claims SET last_started_at = @now, last_worker = $3 "
                        "WHERE app_name = $1 AND target_name = $2"),
        claim.app_name, claim.target_name, std::string(worker_id));
    transaction.exec_params(
        with_server_now("UPDATE workers SET heartbeat_at = @now, current_app = $2, "
                        "current_target = $3, progress_done = 0, progress_total = 0 "
                        "WHERE id = $1"),
        std::string(worker_id), claim.app_name, claim.target_name);
    transaction.commit();
    return id;
  });
}

void WorkerBoard::release_claim(std::string_view worker_id, const TargetClaim& claim,
                                std::int64_t run_id, std::string_view outcome,
                                std::chrono::milliseconds next_due_in) {
  impl_->guarded("cannot release a claim", [&] {
    pqxx::work transaction(*impl_->connection);
    if (run_id != 0) {
      transaction.exec_params(
          with_server_now("UPDATE worker_runs SET finished_at = @now, outcome = $2 WHERE id = $1"),
          run_id, std::string(outcome));
      transaction.exec_params(
          with_server_now("UPDATE worker_claims SET last_finished_at = @now, last_outcome = $3 "
                          "WHERE app_name = $1 AND target_name = $2"),
          claim.app_name, claim.target_name, std::string(outcome));
    }
    // Only this worker's claim: when it expired and another worker took it, that one owns it.
    transaction.exec_params(
        with_server_now("UPDATE worker_claims SET claimed_by = NULL, claimed_at = NULL, "
                        "claim_expires_at = NULL, due_at = @now + $4, last_outcome = $5 "
                        "WHERE app_name = $1 AND target_name = $2 AND claimed_by = $3"),
        claim.app_name, claim.target_name, std::string(worker_id),
        static_cast<std::int64_t>(next_due_in.count()), std::string(outcome));
    transaction.exec_params(
        with_server_now("UPDATE workers SET heartbeat_at = @now, current_app = '', "
                        "current_target = '', progress_done = 0, progress_total = 0 WHERE id = $1"),
        std::string(worker_id));
    transaction.commit();
  });
}

std::vector<WorkerRecord> WorkerBoard::workers() {
  return impl_->guarded("cannot list workers", [&] {
    pqxx::nontransaction transaction(*impl_->connection);
    std::vector<WorkerRecord> workers;
    for (const auto& row : transaction.exec(with_server_now(
             "SELECT id, hostname, pid, started_at, heartbeat_at, @now - heartbeat_at, "
             "current_app, current_target, progress_done, progress_total FROM workers "
             "ORDER BY hostname, pid, id"))) {
      WorkerRecord worker;
      worker.id = row[0].as<std::string>();
      worker.hostname = row[1].as<std::string>();
      worker.pid = row[2].as<long>();
      worker.started_at_ms = row[3].as<std::int64_t>();
      worker.heartbeat_at_ms = row[4].as<std::int64_t>();
      worker.heartbeat_age_ms = row[5].as<std::int64_t>();
      worker.current_app = row[6].as<std::string>();
      worker.current_target = row[7].as<std::string>();
      worker.progress_done = row[8].as<std::int64_t>();
      worker.progress_total = row[9].as<std::int64_t>();
      workers.push_back(std::move(worker));
    }
    return workers;
  });
}

std::vector<ClaimRecord> WorkerBoard::claims() {
  return impl_->guarded("cannot list claims", [&] {
    pqxx::nontransaction transaction(*impl_->connection);
    std::vector<ClaimRecord> claims;
    for (const auto& row : transaction.exec(
             "SELECT app_name, target_name, due_at, interval_ms, claimed_by, claim_expires_at, "
             "last_started_at, last_finished_at, last_outcome, last_worker FROM worker_claims "
             "ORDER BY app_name, target_name")) {
      ClaimRecord claim;
      claim.app_name = row[0].as<std::string>();
      claim.target_name = row[1].as<std::string>();
      claim.due_at_ms = row[2].as<std::int64_t>();
      claim.interval_ms = row[3].as<std::int64_t>();
      claim.claimed_by = row[4].is_null() ? std::string() : row[4].as<std::string>();
      claim.claim_expires_at_ms = int_or_zero(row[5]);
      claim.last_started_at_ms = int_or_zero(row[6]);
      claim.last_finished_at_ms = int_or_zero(row[7]);
      claim.last_outcome = row[8].as<std::string>();
      claim.last_worker = row[9].as<std::string>();
      claims.push_back(std::move(claim));
    }
    return claims;
  });
}

std::vector<WorkerRun> WorkerBoard::worker_runs() {
  return impl_->guarded("cannot list worker runs", [&] {
    pqxx::nontransaction transaction(*impl_->connection);
    std::vector<WorkerRun> runs;
    for (const auto& row : transaction.exec(
             "SELECT id, app_name, target_name, worker_id, started_at, finished_at, outcome "
             "FROM worker_runs ORDER BY started_at, id")) {
      runs.push_back(WorkerRun{row[0].as<std::int64_t>(), row[1].as<std::string>(),
                               row[2].as<std::string>(), row[3].as<std::string>(),
                               row[4].as<std::int64_t>(), int_or_zero(row[5]),
                               row[6].as<std::string>()});
    }
    return runs;
  });
}

}  // namespace notionsync
