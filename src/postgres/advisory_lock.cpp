#include "postgres/advisory_lock.hpp"

#include <unistd.h>

#include <chrono>
#include <pqxx/pqxx>

#include "postgres/lock_names.hpp"
#include "util/clock.hpp"
#include "util/host.hpp"

namespace notionsync::postgres {
namespace {

using util::now_ms;

}  // namespace

std::unique_ptr<AdvisoryLock> AdvisoryLock::try_acquire(const StoreLocation& location,
                                                        const std::string& lock_name,
                                                        LockHolder& holder) {
  holder = {};
  auto connection = connect(location);
  const std::int64_t key = advisory_key(lock_name);
  try {
    pqxx::nontransaction session(*connection);
    if (session.exec_params1("SELECT pg_try_advisory_lock($1)", key)[0].as<bool>()) {
      session.exec_params(
          "INSERT INTO lock_holders (lock_name, lock_key, pid, hostname, backend_pid, "
          "acquired_at) VALUES ($1, $2, $3, $4, pg_backend_pid(), $5) ON CONFLICT (lock_name) DO "
          "UPDATE SET lock_key = excluded.lock_key, pid = excluded.pid, "
          "hostname = excluded.hostname, backend_pid = excluded.backend_pid, "
          "acquired_at = excluded.acquired_at",
          lock_name, key, static_cast<long>(::getpid()), util::host_name("unknown host"), now_ms());
      session.commit();
      return std::make_unique<AdvisoryLock>(std::move(connection));
    }
    // Only a row whose session holds this very lock now names the holder; older rows are left
    // by holders that are gone (rows are overwritten, never deleted).
    const auto rows = session.exec_params(
        "SELECT h.pid, h.hostname FROM lock_holders h JOIN pg_catalog.pg_locks l "
        "ON l.pid = h.backend_pid AND l.locktype = 'advisory' AND l.granted "
        "AND l.database = (SELECT oid FROM pg_catalog.pg_database "
        "WHERE datname = current_database()) "
        "AND l.classid::bigint = ((h.lock_key >> 32) & 4294967295) "
        "AND l.objid::bigint = (h.lock_key & 4294967295) AND l.objsubid = 1 "
        "WHERE h.lock_name = $1",
        lock_name);
    if (!rows.empty()) {
      holder.pid = rows[0][0].as<long>();
      holder.hostname = rows[0][1].as<std::string>();
    }
    return nullptr;
  } catch (...) {
    rethrow_as_store_error(location, "cannot take a lock");
  }
}

std::string describe(const LockHolder& holder) {
  if (holder.pid <= 0) return "another process";
  return "process " + std::to_string(holder.pid) + " on " + holder.hostname;
}

}  // namespace notionsync::postgres
