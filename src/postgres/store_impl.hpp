// The state of a PostgresStateStore, shared by the files that implement it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <vector>

#include "notionsync/postgres/state_store.hpp"
#include "postgres/advisory_lock.hpp"
#include "postgres/session.hpp"
#include "util/clock.hpp"

namespace notionsync {
namespace postgres {

using util::now_ms;

inline std::optional<Fingerprint> fingerprint_from(const pqxx::field& hex) {
  if (hex.is_null()) return std::nullopt;
  return Fingerprint::from_hex(hex.c_str());
}

}  // namespace postgres

// The main connection (GuardedConnection::guarded) serves one thread at a time, whichever reports
// results.
struct PostgresStateStore::Impl : postgres::GuardedConnection {
  Options options;

  // Connections for for_each_row, kept for the next call (see there). A visitor streaming another
  // target meanwhile gets a second one.
  std::mutex stream_mutex;
  std::vector<std::unique_ptr<pqxx::connection>> idle_streams;

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
        std::string(app_name), postgres::now_ms());
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
      record.schema_fingerprint = postgres::fingerprint_from(row[4]);
      record.remote_id = row[5].as<std::string>();
      record.row_count = row[6].as<std::int64_t>();
      if (!row[7].is_null()) record.last_synced_at_ms = row[7].as<std::int64_t>();
      if (const auto sum = postgres::fingerprint_from(row[8]); sum && !row[9].is_null()) {
        record.rows_digest = RowsDigest{*sum, row[9].as<std::int64_t>()};
      }
      if (!row[10].is_null()) record.drift_checked_at_ms = row[10].as<std::int64_t>();
      records.push_back(std::move(record));
    }
    return records;
  }

  std::unique_ptr<postgres::AdvisoryLock> try_lock(const std::string& name,
                                                   postgres::LockHolder& holder) {
    return postgres::AdvisoryLock::try_acquire(location, name, holder);
  }
};

}  // namespace notionsync
