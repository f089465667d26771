// A session-level advisory lock held by a connection of its own. The server releases it when the
// session ends, so a crashed or killed holder never leaves it held, and closing the connection is
// all a release needs.
#pragma once

#include <memory>
#include <optional>
#include <pqxx/connection>
#include <string>

#include "postgres/session.hpp"

namespace notionsync::postgres {

struct LockHolder {
  long pid = 0;  // 0 when unknown (the holder has not recorded itself yet)
  std::string hostname;
};

class AdvisoryLock {
 public:
  // Tries once, without waiting. On success records this process (pid, host name) as the holder
  // in lock_holders and returns the lock; otherwise returns nullptr and, when known, the holder.
  // Throws Error(ErrorKind::state_store) when the server fails.
  static std::unique_ptr<AdvisoryLock> try_acquire(const StoreLocation& location,
                                                   const std::string& lock_name,
                                                   LockHolder& holder);

  explicit AdvisoryLock(std::unique_ptr<pqxx::connection> connection)
      : connection_(std::move(connection)) {}

 private:
  std::unique_ptr<pqxx::connection> connection_;  // closing it ends the session: the release
};

// "process N on host H", or "another process" when the holder is unknown.
std::string describe(const LockHolder& holder);

}  // namespace notionsync::postgres
