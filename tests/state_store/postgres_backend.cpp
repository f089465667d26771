// The PostgreSQL backend of the state store suite: a schema of its own per test in the shared
// throw-away cluster (tests/support/postgres_cluster.hpp).
#include <unistd.h>

#include <pqxx/pqxx>

#include "notionsync/postgres/state_store.hpp"
#include "postgres/lock_names.hpp"
#include "postgres/migrations.hpp"
#include "state_store/store_backends.hpp"
#include "support/postgres_cluster.hpp"

namespace notionsync::testing {
namespace {

class PostgresBackend : public StoreBackend {
 public:
  // Each test gets a schema of its own in the shared cluster's database.
  PostgresBackend() : cluster_(shared_postgres_cluster()) {
    static int tests = 0;
    schema_ = "suite_" + std::to_string(::getpid()) + "_" + std::to_string(++tests);
  }
  std::unique_ptr<StateStore> open(std::function<void(std::size_t)> commit_observer) override {
    PostgresStateStore::Options options;
    options.schema = schema_;
    options.commit_observer = std::move(commit_observer);
    return PostgresStateStore::open(cluster_.url(), std::move(options));
  }
  int schema_version(StateStore& store) override {
    return dynamic_cast<PostgresStateStore&>(store).schema_version();
  }
  int latest_schema_version() override { return PostgresStateStore::latest_schema_version(); }
  void migrate_to(int version) override {
    pqxx::connection connection(cluster_.url());
    postgres::migrate(connection, schema_, version);
  }
  void execute(const std::string& sql) override {
    pqxx::connection connection(cluster_.url());
    pqxx::work transaction(connection);
    transaction.exec("SET LOCAL search_path TO " + postgres::quote_identifier(schema_));
    transaction.exec(sql);
    transaction.commit();
  }
  std::string fingerprint_literal(const Fingerprint& fingerprint) override {
    return "decode('" + fingerprint.to_hex() + "', 'hex')";
  }
  std::optional<std::string> file_integrity() override { return std::nullopt; }
  void wait_for_dead_holder(const std::string& app_name) override {
    pqxx::connection connection(cluster_.url());
    pqxx::nontransaction session(connection);
    // Blocks until the server has ended the dead holder's session; the timeout only bounds a
    // broken server.
    session.exec("SET lock_timeout = '60s'");
    const auto key = postgres::advisory_key(postgres::lock_name({"app", schema_, app_name}));
    session.exec_params("SELECT pg_advisory_lock($1)", key);
    session.exec_params("SELECT pg_advisory_unlock($1)", key);
  }

 private:
  PostgresCluster& cluster_;
  std::string schema_;
};

}  // namespace

BackendKind postgres_backend() {
  return {"PostgreSQL", [] { return std::make_unique<PostgresBackend>(); }};
}

}  // namespace notionsync::testing
