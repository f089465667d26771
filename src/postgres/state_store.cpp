#include "notionsync/postgres/state_store.hpp"

#include <chrono>
#include <mutex>
#include <pqxx/pqxx>
#include <stdexcept>

#include "notionsync/core/error.hpp"
#include "postgres/advisory_lock.hpp"
#include "postgres/lock_names.hpp"
#include "postgres/migrations.hpp"
#include "postgres/row_batch.hpp"
#include "postgres/session.hpp"
#include "postgres/store_impl.hpp"

namespace notionsync {
namespace {

using postgres::fingerprint_from;
using postgres::now_ms;
using postgres::StoreLocation;

// Rows per multi-row statement in commit(), and per fetch in for_each_row().
constexpr std::size_t kRowsPerStatement = 5000;
constexpr std::size_t kRowsPerPage = 10000;

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

// The start of a query of targets, with or without counting each target's rows.
std::string target_columns(RowCounts counts) {
  return std::string(
             "SELECT t.id, a.name, t.name, t.kind, encode(t.schema_fingerprint, 'hex'), "
             "t.remote_id, ") +
         (counts == RowCounts::counted ? "(SELECT COUNT(*) FROM rows r WHERE r.target_id = t.id)"
                                       : "0") +
         ", t.last_synced_at, encode(t.rows_digest, 'hex'), t.rows_digest_count, "
         "t.drift_checked_at "
         "FROM targets t JOIN apps a ON a.id = t.app_id ";
}

constexpr const char* kRowColumns =
    "SELECT key, encode(fingerprint, 'hex'), remote_id, status, updated_at FROM rows ";

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

// A lock taken without waiting, as a TargetLock; nullptr when it was not taken.
std::unique_ptr<TargetLock> target_lock_if_held(std::unique_ptr<postgres::AdvisoryLock> lock) {
  if (!lock) return nullptr;
  return std::make_unique<PostgresTargetLock>(std::move(lock));
}

}  // namespace

std::unique_ptr<PostgresStateStore> PostgresStateStore::open(const std::string& url,
                                                             Options options) {
  auto impl = std::make_unique<Impl>();
  impl->location = postgres::locate(url, options.schema);
  impl->options = std::move(options);
  impl->connection = postgres::connect(impl->location);
  try {
    postgres::migrate(*impl->connection, impl->location.schema);
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
  return target_lock_if_held(impl_->try_lock(
      postgres::lock_name({"target", impl_->location.schema, app_name, target_name}), holder));
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

std::vector<TargetRecord> PostgresStateStore::targets(std::string_view app_name, RowCounts counts) {
  return impl_->guarded("cannot list targets", [&] {
    pqxx::read_transaction transaction(*impl_->connection);
    return Impl::read_targets(transaction.exec_params(
        target_columns(counts) + "WHERE a.name = $1 ORDER BY t.name", std::string(app_name)));
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
    auto found = Impl::read_targets(transaction.exec_params(
        target_columns(RowCounts::skipped) + "WHERE t.app_id = $1 AND t.name = $2", app_id,
        std::string(target_name)));
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
    const std::string drift_checked_at =
        record.drift_checked_at_ms ? std::to_string(*record.drift_checked_at_ms) : std::string();
    pqxx::nontransaction transaction(*impl_->connection);
    transaction.exec_params(
        "UPDATE targets SET schema_fingerprint = decode($1, 'hex'), remote_id = $2, "
        "last_synced_at = $3::bigint, drift_checked_at = $4::bigint WHERE id = $5",
        record.schema_fingerprint ? fingerprint.c_str() : nullptr, record.remote_id,
        record.last_synced_at_ms ? synced_at.c_str() : nullptr,
        record.drift_checked_at_ms ? drift_checked_at.c_str() : nullptr, record.id);
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
    // The rows changed: their digest no longer describes them.
    transaction.exec_params(
        "UPDATE targets SET rows_digest = NULL, rows_digest_count = NULL WHERE id = $1", target_id);
    transaction.commit();
  });
}

void PostgresStateStore::record_rows_digest(std::int64_t target_id, const RowsDigest& digest) {
  impl_->guarded("cannot record a rows digest", [&] {
    pqxx::nontransaction transaction(*impl_->connection);
    transaction.exec_params(
        "UPDATE targets SET rows_digest = decode($1, 'hex'), rows_digest_count = $2 "
        "WHERE id = $3",
        digest.sum.to_hex(), digest.count, target_id);
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

std::optional<CachedValue> PostgresStateStore::read_cached(std::string_view app_name,
                                                           std::string_view scope,
                                                           std::string_view key,
                                                           std::int64_t now_ms) {
  return impl_->guarded("cannot read a cached value", [&]() -> std::optional<CachedValue> {
    pqxx::nontransaction transaction(*impl_->connection);
    const auto result = transaction.exec_params(
        "SELECT c.value, c.expires_at, c.updated_at FROM cached_values c "
        "JOIN apps a ON a.id = c.app_id WHERE a.name = $1 AND c.scope = $2 AND c.key = $3 "
        "AND (c.expires_at IS NULL OR c.expires_at >= $4)",
        std::string(app_name), std::string(scope), std::string(key), now_ms);
    if (result.empty()) return std::nullopt;
    const auto& row = result[0];
    CachedValue value;
    value.value = row[0].as<std::string>();
    if (!row[1].is_null()) value.expires_at_ms = row[1].as<std::int64_t>();
    value.updated_at_ms = row[2].as<std::int64_t>();
    return value;
  });
}

void PostgresStateStore::write_cached(std::string_view app_name, std::string_view scope,
                                      std::string_view key, const CachedValue& value) {
  impl_->guarded("cannot write a cached value", [&] {
    pqxx::work transaction(*impl_->connection);
    const std::int64_t app_id = Impl::ensure_app(transaction, app_name);
    transaction.exec_params(
        "DELETE FROM cached_values WHERE app_id = $1 AND scope = $2 AND expires_at < $3", app_id,
        std::string(scope), value.updated_at_ms);
    const std::string expires_at =
        value.expires_at_ms ? std::to_string(*value.expires_at_ms) : std::string();
    transaction.exec_params(
        "INSERT INTO cached_values (app_id, scope, key, value, expires_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5::bigint, $6) ON CONFLICT (app_id, scope, key) DO UPDATE SET "
        "value = excluded.value, expires_at = excluded.expires_at, "
        "updated_at = excluded.updated_at",
        app_id, std::string(scope), std::string(key), value.value,
        value.expires_at_ms ? expires_at.c_str() : nullptr, value.updated_at_ms);
    transaction.commit();
  });
}

void PostgresStateStore::erase_cached(std::string_view app_name, std::string_view scope,
                                      std::string_view key) {
  impl_->guarded("cannot erase a cached value", [&] {
    pqxx::nontransaction transaction(*impl_->connection);
    transaction.exec_params(
        "DELETE FROM cached_values WHERE app_id = (SELECT id FROM apps WHERE name = $1) "
        "AND scope = $2 AND key = $3",
        std::string(app_name), std::string(scope), std::string(key));
  });
}

}  // namespace notionsync
