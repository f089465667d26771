#include "notionsync/core/postgres_state_store.hpp"

#include <chrono>
#include <mutex>
#include <pqxx/pqxx>

#include "core/postgres/advisory_lock.hpp"
#include "core/postgres/connection_url.hpp"
#include "core/postgres/lock_names.hpp"
#include "core/postgres/migrations.hpp"
#include "core/postgres/row_batch.hpp"
#include "core/postgres/session.hpp"
#include "notionsync/core/error.hpp"

namespace notionsync {
namespace {

using postgres::StoreLocation;

// Rows per multi-row statement in commit(), and per fetch in for_each_row().
constexpr std::size_t kRowsPerStatement = 5000;
constexpr std::size_t kRowsPerPage = 10000;

// PostgreSQL truncates longer identifiers (NAMEDATALEN - 1).
constexpr std::size_t kMaxSchemaName = 63;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<Fingerprint> fingerprint_from(const pqxx::field& hex) {
  if (hex.is_null()) return std::nullopt;
  return Fingerprint::from_hex(hex.c_str());
}

TrackedRow read_row(const pqxx::row& row) {
  TrackedRow tracked;
  tracked.key = row[0].as<std::string>();
  const auto fingerprint = fingerprint_from(row[1]);
  if (!fingerprint) {
    throw Error(ErrorKind::state_store, "state store: corrupt fingerprint for a tracked row");
  }
  tracked.fingerprint = *fingerprint;
  tracked.remote_id = row[2].as<std::string>();
  const auto status = parse_row_status(row[3].c_str());
  if (!status) throw Error(ErrorKind::state_store, "state store: unknown row status");
  tracked.status = *status;
  tracked.updated_at_ms = row[4].as<std::int64_t>();
  return tracked;
}

constexpr const char* kTargetColumns =
    "SELECT t.id, a.name, t.name, t.kind, encode(t.schema_fingerprint, 'hex'), t.remote_id, "
    "(SELECT COUNT(*) FROM rows r WHERE r.target_id = t.id), t.last_synced_at "
    "FROM targets t JOIN apps a ON a.id = t.app_id ";

constexpr const char* kRowColumns =
    "SELECT key, encode(fingerprint, 'hex'), remote_id, status, updated_at FROM rows ";

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

class PostgresAppLock : public AppLock {
 public:
  explicit PostgresAppLock(std::unique_ptr<postgres::AdvisoryLock> lock) : lock_(std::move(lock)) {}

 private:
  std::unique_ptr<postgres::AdvisoryLock> lock_;
};

class PostgresTargetLock : public TargetLock {
 public:
  explicit PostgresTargetLock(std::unique_ptr<postgres::AdvisoryLock> lock)
      : lock_(std::move(lock)) {}

 private:
  std::unique_ptr<postgres::AdvisoryLock> lock_;
};

}  // namespace

struct PostgresStateStore::Impl {
  StoreLocation location;
  Options options;
  std::recursive_mutex mutex;  // one connection, used from whichever thread reports results
  std::unique_ptr<pqxx::connection> connection;

  // Connections for for_each_row, kept for the next call (see there). A visitor streaming another
  // target meanwhile gets a second one.
  std::mutex stream_mutex;
  std::vector<std::unique_ptr<pqxx::connection>> idle_streams;

  // Runs `body` and turns a libpqxx failure into Error(ErrorKind::state_store), redacted.
  template <typename Body>
  auto translate(std::string_view doing, Body&& body) {
    try {
      return body();
    } catch (...) {
      postgres::rethrow_as_store_error(location, doing);
    }
  }

  // translate() on the main connection, which one thread at a time may use.
  // A connection the server ended (restart, failover, idle timeout) is replaced on the next call;
  // the call that found it dead has failed with the cause.
  template <typename Body>
  auto guarded(std::string_view doing, Body&& body) {
    std::lock_guard guard(mutex);
    if (!connection->is_open()) connection = postgres::connect(location);
    return translate(doing, std::forward<Body>(body));
  }

  std::unique_ptr<pqxx::connection> take_stream_connection() {
    {
      std::lock_guard guard(stream_mutex);
      while (!idle_streams.empty()) {
        auto connection = std::move(idle_streams.back());
        idle_streams.pop_back();
        if (connection->is_open()) return connection;
      }
    }
    return postgres::connect(location);
  }

  void give_back_stream_connection(std::unique_ptr<pqxx::connection> connection) {
    std::lock_guard guard(stream_mutex);
    if (idle_streams.empty()) idle_streams.push_back(std::move(connection));
  }

  static std::int64_t ensure_app(pqxx::transaction_base& transaction, std::string_view app_name) {
    transaction.exec_params(
        "INSERT INTO apps (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        std::string(app_name), now_ms());
    return transaction.exec_params1("SELECT id FROM apps WHERE name = $1", std::string(app_name))[0]
        .as<std::int64_t>();
  }

  static std::vector<TargetRecord> read_targets(const pqxx::result& result) {
    std::vector<TargetRecord> records;
    for (const auto& row : result) {
      TargetRecord record;
      record.id = row[0].as<std::int64_t>();
      record.app_name = row[1].as<std::string>();
      record.name = row[2].as<std::string>();
      record.kind = row[3].as<std::string>();
      record.schema_fingerprint = fingerprint_from(row[4]);
      record.remote_id = row[5].as<std::string>();
      record.row_count = row[6].as<std::int64_t>();
      if (!row[7].is_null()) record.last_synced_at_ms = row[7].as<std::int64_t>();
      records.push_back(std::move(record));
    }
    return records;
  }

  std::unique_ptr<postgres::AdvisoryLock> try_lock(const std::string& name,
                                                   postgres::LockHolder& holder) {
    return postgres::AdvisoryLock::try_acquire(location, name, holder);
  }
};

std::unique_ptr<PostgresStateStore> PostgresStateStore::open(const std::string& url,
                                                             Options options) {
  auto impl = std::make_unique<Impl>();
  impl->location.url = postgres::parse_connection_url(url);
  impl->location.schema = !options.schema.empty()              ? options.schema
                          : !impl->location.url.schema.empty() ? impl->location.url.schema
                                                               : "notionsync";
  if (impl->location.schema.size() > kMaxSchemaName ||
      impl->location.schema.find('\0') != std::string::npos) {
    throw Error(ErrorKind::invalid_argument, "state store: schema name '" +
                                                 impl->location.schema.substr(0, kMaxSchemaName) +
                                                 "...' is longer than 63 bytes");
  }
  impl->options = std::move(options);
  impl->connection = postgres::connect(impl->location);
  try {
    postgres::migrate(*impl->connection, impl->location.schema);
    postgres::migrate_workers(*impl->connection, impl->location.schema);
  } catch (...) {
    postgres::rethrow_as_store_error(impl->location, "cannot open");
  }
  return std::unique_ptr<PostgresStateStore>(new PostgresStateStore(std::move(impl)));
}

PostgresStateStore::PostgresStateStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PostgresStateStore::~PostgresStateStore() = default;

int PostgresStateStore::latest_schema_version() {
  return postgres::latest_schema_version();
}

int PostgresStateStore::schema_version() {
  return impl_->guarded("cannot read the schema version", [&] {
    return postgres::schema_version(*impl_->connection, impl_->location.schema);
  });
}

const std::string& PostgresStateStore::schema() const {
  return impl_->location.schema;
}
const std::string& PostgresStateStore::redacted_url() const {
  return impl_->location.url.redacted;
}

std::unique_ptr<AppLock> PostgresStateStore::lock_app(std::string_view app_name) {
  postgres::LockHolder holder;
  auto lock =
      impl_->try_lock(postgres::lock_name({"app", impl_->location.schema, app_name}), holder);
  if (!lock) {
    throw Error(ErrorKind::state_store_locked,
                "app '" + std::string(app_name) + "' is being synced by " +
                    postgres::describe(holder) + "; wait for it to finish or stop it");
  }
  return std::make_unique<PostgresAppLock>(std::move(lock));
}

std::unique_ptr<TargetLock> PostgresStateStore::try_lock_target(std::string_view app_name,
                                                                std::string_view target_name) {
  postgres::LockHolder holder;
  auto lock = impl_->try_lock(
      postgres::lock_name({"target", impl_->location.schema, app_name, target_name}), holder);
  if (!lock) return nullptr;
  return std::make_unique<PostgresTargetLock>(std::move(lock));
}

std::unique_ptr<TargetLock> PostgresStateStore::lock_target(std::string_view app_name,
                                                            std::string_view target_name) {
  postgres::LockHolder holder;
  auto lock = impl_->try_lock(
      postgres::lock_name({"target", impl_->location.schema, app_name, target_name}), holder);
  if (!lock) {
    throw Error(ErrorKind::state_store_locked,
                "target '" + std::string(target_name) + "' of app '" + std::string(app_name) +
                    "' is being synced by " + postgres::describe(holder) +
                    "; wait for it to finish or stop it");
  }
  return std::make_unique<PostgresTargetLock>(std::move(lock));
}

std::vector<std::string> PostgresStateStore::apps() {
  return impl_->guarded("cannot list apps", [&] {
    pqxx::nontransaction transaction(*impl_->connection);
    std::vector<std::string> names;
    for (const auto& row : transaction.exec("SELECT name FROM apps ORDER BY name")) {
      names.push_back(row[0].as<std::string>());
    }
    return names;
  });
}

std::vector<TargetRecord> PostgresStateStore::targets(std::string_view app_name) {
  return impl_->guarded("cannot list targets", [&] {
    pqxx::read_transaction transaction(*impl_->connection);
    return Impl::read_targets(transaction.exec_params(
        std::string(kTargetColumns) + "WHERE a.name = $1 ORDER BY t.name", std::string(app_name)));
  });
}

TargetRecord PostgresStateStore::ensure_target(std::string_view app_name,
                                               std::string_view target_name,
                                               std::string_view kind) {
  auto records = impl_->guarded("cannot create a target", [&] {
    pqxx::work transaction(*impl_->connection);
    const std::int64_t app_id = Impl::ensure_app(transaction, app_name);
    transaction.exec_params(
        "INSERT INTO targets (app_id, name, kind, created_at) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (app_id, name) DO NOTHING",
        app_id, std::string(target_name), std::string(kind), now_ms());
    auto found = Impl::read_targets(
        transaction.exec_params(std::string(kTargetColumns) + "WHERE t.app_id = $1 AND t.name = $2",
                                app_id, std::string(target_name)));
    transaction.commit();
    return found;
  });
  if (records.size() != 1) throw Error(ErrorKind::internal, "state store: target not created");
  if (records.front().kind != kind) {
    throw Error(ErrorKind::state_store, "state store: target '" + std::string(target_name) +
                                            "' of app '" + std::string(app_name) +
                                            "' was tracked as a '" + records.front().kind +
                                            "' target, not '" + std::string(kind) + "'");
  }
  return records.front();
}

void PostgresStateStore::update_target(const TargetRecord& record) {
  impl_->guarded("cannot update a target", [&] {
    const std::string fingerprint =
        record.schema_fingerprint ? record.schema_fingerprint->to_hex() : std::string();
    const std::string synced_at =
        record.last_synced_at_ms ? std::to_string(*record.last_synced_at_ms) : std::string();
    pqxx::nontransaction transaction(*impl_->connection);
    transaction.exec_params(
        "UPDATE targets SET schema_fingerprint = decode($1, 'hex'), remote_id = $2, "
        "last_synced_at = $3::bigint WHERE id = $4",
        record.schema_fingerprint ? fingerprint.c_str() : nullptr, record.remote_id,
        record.last_synced_at_ms ? synced_at.c_str() : nullptr, record.id);
  });
}

void PostgresStateStore::drop_target(std::int64_t target_id) {
  impl_->guarded("cannot drop a target", [&] {
    pqxx::work transaction(*impl_->connection);
    // The target first: this waits for commits in flight (they hold the target), so the rows
    // deleted next include theirs.
    transaction.exec_params("DELETE FROM targets WHERE id = $1", target_id);
    transaction.exec_params("DELETE FROM rows WHERE target_id = $1", target_id);
    transaction.commit();
  });
}

void PostgresStateStore::for_each_row(std::int64_t target_id,
                                      const std::function<void(TrackedRow&&)>& visit) {
  // A cursor on a connection of its own: rows arrive in pages, so memory stays flat; the pages
  // come from one snapshot; and `visit` may use the store meanwhile (its main connection is free).
  auto stream = impl_->take_stream_connection();
  std::optional<pqxx::read_transaction> transaction;
  std::vector<TrackedRow> page;
  const auto fetch_page = [&] {
    page.clear();
    impl_->translate("cannot read tracked rows", [&] {
      if (!transaction) {
        transaction.emplace(*stream);
        transaction->exec(
            "DECLARE tracked_rows NO SCROLL CURSOR FOR SELECT key, encode(fingerprint, 'hex'), "
            "remote_id, status, updated_at FROM rows WHERE target_id = " +
            std::to_string(target_id) + " ORDER BY key");
      }
      const auto result =
          transaction->exec("FETCH FORWARD " + std::to_string(kRowsPerPage) + " FROM tracked_rows");
      page.reserve(result.size());
      for (const auto& row : result) page.push_back(read_row(row));
    });
  };
  do {
    fetch_page();
    for (auto& row : page) visit(std::move(row));
  } while (page.size() == kRowsPerPage);
  impl_->translate("cannot read tracked rows", [&] { transaction->commit(); });
  transaction.reset();
  impl_->give_back_stream_connection(std::move(stream));
}

std::optional<TrackedRow> PostgresStateStore::find_row(std::int64_t target_id,
                                                       std::string_view key) {
  return impl_->guarded("cannot read a tracked row", [&]() -> std::optional<TrackedRow> {
    pqxx::nontransaction transaction(*impl_->connection);
    const auto result =
        transaction.exec_params(std::string(kRowColumns) + "WHERE target_id = $1 AND key = $2",
                                target_id, std::string(key));
    if (result.empty()) return std::nullopt;
    return read_row(result[0]);
  });
}

std::int64_t PostgresStateStore::count_rows(std::int64_t target_id) {
  return impl_->guarded("cannot count tracked rows", [&] {
    pqxx::nontransaction transaction(*impl_->connection);
    return transaction.exec_params1("SELECT COUNT(*) FROM rows WHERE target_id = $1", target_id)[0]
        .as<std::int64_t>();
  });
}

void PostgresStateStore::commit(std::int64_t target_id, std::span<const RowChange> changes) {
  if (changes.empty()) return;
  impl_->guarded("cannot commit tracked rows", [&] {
    pqxx::work transaction(*impl_->connection);
    // Holds the target until the transaction ends, so it cannot be dropped under the new rows.
    if (transaction.exec_params("SELECT 1 FROM targets WHERE id = $1 FOR KEY SHARE", target_id)
            .empty()) {
      throw Error(ErrorKind::state_store,
                  "state store: target " + std::to_string(target_id) + " does not exist");
    }
    std::size_t written = 0;
    postgres::for_each_batch(
        changes, kRowsPerStatement, now_ms(), [&](const postgres::RowBatch& batch) {
          if (batch.kind == RowChange::Kind::erase) {
            // A join with the keys rather than `key = ANY(...)`: right after a large commit the
            // table has no statistics yet, and the planner would then check the array against
            // every row of the target for each batch instead of looking each key up.
            transaction.exec_params(
                "DELETE FROM rows USING unnest($2::text[]) AS erased (key) "
                "WHERE rows.target_id = $1 AND rows.key = erased.key",
                target_id, batch.keys);
          } else {
            transaction.exec_params(
                "INSERT INTO rows (target_id, key, fingerprint, remote_id, status, updated_at) "
                "SELECT $1, k, decode(f, 'hex'), r, s, u "
                "FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[]) "
                "AS change (k, f, r, s, u) "
                "ON CONFLICT (target_id, key) DO UPDATE SET fingerprint = excluded.fingerprint, "
                "remote_id = excluded.remote_id, status = excluded.status, "
                "updated_at = excluded.updated_at",
                target_id, batch.keys, batch.fingerprints, batch.remote_ids, batch.statuses,
                batch.updated_at);
          }
          if (impl_->options.commit_observer) {
            for (std::size_t i = 0; i < batch.size; ++i) impl_->options.commit_observer(++written);
          }
        });
    transaction.commit();
  });
}

void PostgresStateStore::record_run(const RunRecord& run) {
  impl_->guarded("cannot record a run", [&] {
    pqxx::work transaction(*impl_->connection);
    const std::int64_t app_id = Impl::ensure_app(transaction, run.app_name);
    transaction.exec_params(
        "INSERT INTO runs (app_id, started_at, finished_at, outcome, summary) "
        "VALUES ($1, $2, $3, $4, $5)",
        app_id, run.started_at_ms, run.finished_at_ms, run.outcome, run.summary_json);
    transaction.commit();
  });
}

std::optional<RunRecord> PostgresStateStore::last_run(std::string_view app_name) {
  return impl_->guarded("cannot read runs", [&]() -> std::optional<RunRecord> {
    pqxx::nontransaction transaction(*impl_->connection);
    const auto result = transaction.exec_params(
        "SELECT r.started_at, r.finished_at, r.outcome, r.summary FROM runs r "
        "JOIN apps a ON a.id = r.app_id WHERE a.name = $1 ORDER BY r.started_at DESC, r.id DESC "
        "LIMIT 1",
        std::string(app_name));
    if (result.empty()) return std::nullopt;
    const auto& row = result[0];
    return RunRecord{std::string(app_name), row[0].as<std::int64_t>(), row[1].as<std::int64_t>(),
                     row[2].as<std::string>(), row[3].as<std::string>()};
  });
}

void PostgresStateStore::register_worker_target(std::string_view app_name,
                                                std::string_view target_name,
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

void PostgresStateStore::register_worker(const WorkerRecord& worker) {
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

void PostgresStateStore::unregister_worker(std::string_view worker_id) {
  impl_->guarded("cannot unregister a worker", [&] {
    pqxx::nontransaction transaction(*impl_->connection);
    transaction.exec_params("DELETE FROM workers WHERE id = $1", std::string(worker_id));
  });
}

std::optional<TargetClaim> PostgresStateStore::claim_due_target(
    std::string_view worker_id, std::chrono::milliseconds lease,
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

bool PostgresStateStore::any_target_due(const std::vector<TargetClaim>& eligible) {
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

bool PostgresStateStore::heartbeat(std::string_view worker_id,
                                   const std::optional<TargetClaim>& claim,
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

std::int64_t PostgresStateStore::start_worker_run(std::string_view worker_id,
                                                  const TargetClaim& claim) {
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

void PostgresStateStore::release_claim(std::string_view worker_id, const TargetClaim& claim,
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
                        "claim_expires_at = NULL, due_at = @now + $4 "
                        "WHERE app_name = $1 AND target_name = $2 AND claimed_by = $3"),
        claim.app_name, claim.target_name, std::string(worker_id),
        static_cast<std::int64_t>(next_due_in.count()));
    transaction.exec_params(
        with_server_now("UPDATE workers SET heartbeat_at = @now, current_app = '', "
                        "current_target = '', progress_done = 0, progress_total = 0 WHERE id = $1"),
        std::string(worker_id));
    transaction.commit();
  });
}

std::vector<WorkerRecord> PostgresStateStore::workers() {
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

std::vector<ClaimRecord> PostgresStateStore::claims() {
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

std::vector<WorkerRun> PostgresStateStore::worker_runs() {
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
