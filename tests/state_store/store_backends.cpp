#include "state_store/store_backends.hpp"

#include "core/sqlite/connection.hpp"
#include "core/sqlite/migrations.hpp"
#include "notionsync/core/sqlite_state_store.hpp"
#include "support/temp_dir.hpp"

namespace notionsync::testing {
namespace {

class SqliteBackend : public StoreBackend {
 public:
  std::unique_ptr<StateStore> open(std::function<void(std::size_t)> commit_observer) override {
    SqliteStateStore::Options options;
    options.commit_observer = std::move(commit_observer);
    return SqliteStateStore::open(path_, std::move(options));
  }
  int schema_version(StateStore& store) override {
    return dynamic_cast<SqliteStateStore&>(store).schema_version();
  }
  int latest_schema_version() override { return SqliteStateStore::latest_schema_version(); }
  void migrate_to(int version) override {
    sqlite::Connection connection(path_);
    sqlite::migrate(connection, version);
  }
  void execute(const std::string& sql) override { sqlite::Connection(path_).execute(sql); }
  std::string fingerprint_literal(const Fingerprint& fingerprint) override {
    return "X'" + fingerprint.to_hex() + "'";
  }
  std::optional<std::string> file_integrity() override {
    sqlite::Connection connection(path_);
    auto check = connection.prepare("PRAGMA integrity_check");
    if (!check.step()) return "no answer";
    return check.column_text(0);
  }
  void wait_for_dead_holder(const std::string&) override {}

 private:
  TempDir dir_;
  std::string path_ = dir_.file("state.db");
};

}  // namespace

BackendKind sqlite_backend() {
  return {"SQLite", [] { return std::make_unique<SqliteBackend>(); }};
}

std::vector<BackendKind> store_backends() {
  std::vector<BackendKind> backends{sqlite_backend()};
#if NOTIONSYNC_WITH_POSTGRES
  backends.push_back(postgres_backend());
#endif
  return backends;
}

}  // namespace notionsync::testing
