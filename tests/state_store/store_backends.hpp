// The stores the state store suite runs against, behind one interface: each test gets a fresh,
// private store location (a SQLite file in a temporary folder, a PostgreSQL schema in the shared
// test cluster) and can reach below the StateStore interface where a test needs to (migrations,
// raw SQL).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "notionsync/core/fingerprint.hpp"
#include "notionsync/core/state_store.hpp"

namespace notionsync::testing {

class StoreBackend {
 public:
  virtual ~StoreBackend() = default;

  // Opens (creating and migrating on first use) this test's store; every call opens the same one.
  virtual std::unique_ptr<StateStore> open(
      std::function<void(std::size_t)> commit_observer = {}) = 0;
  virtual int schema_version(StateStore& store) = 0;
  virtual int latest_schema_version() = 0;

  // Creates the store at exactly `version` through the store's own migrations, without opening.
  virtual void migrate_to(int version) = 0;
  // Runs statements directly against the store's tables.
  virtual void execute(const std::string& sql) = 0;
  // An SQL literal of the store's fingerprint column type.
  virtual std::string fingerprint_literal(const Fingerprint& fingerprint) = 0;

  // What the store's own file check says ("ok" when intact): SQLite's PRAGMA integrity_check.
  // nullopt for a store with no file of its own to check (PostgreSQL: the server's write-ahead
  // log keeps its files consistent whatever happens to its clients).
  virtual std::optional<std::string> file_integrity() = 0;

  // Returns once the app lock of a holder that was just killed is free. SQLite: at once (the
  // kernel released it when the process died). PostgreSQL: when the server has ended the dead
  // session, waiting on the lock itself rather than polling.
  virtual void wait_for_dead_holder(const std::string& app_name) = 0;
};

struct BackendKind {
  std::string name;  // "SQLite", "PostgreSQL": part of the test names
  std::function<std::unique_ptr<StoreBackend>()> make;
};

BackendKind sqlite_backend();
BackendKind postgres_backend();  // only in a build with the PostgreSQL component
// Every store of this build: SQLite, and PostgreSQL when NOTIONSYNC_WITH_POSTGRES is on.
std::vector<BackendKind> store_backends();

}  // namespace notionsync::testing
