// SqliteStateStore: the embedded state store, one SQLite file in WAL mode.
//
//   auto store = SqliteStateStore::open(".notionsync/state.db");
//
// The file carries a versioned schema (table schema_migrations); opening an older file migrates it
// in one transaction, opening a file written by a newer notionsync fails with a clear error.
// App locks are advisory file locks on "<file>.<app>.lock" beside the database, released by the
// kernel if the holder dies, so a killed sync never leaves an app locked.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "notionsync/core/state_store.hpp"

namespace notionsync {

class SqliteStateStore : public StateStore {
 public:
  struct Options {
    // Called inside commit() after each row is written, before the transaction commits. Lets
    // crash tests stop a process in the middle of a batch; leave empty otherwise.
    std::function<void(std::size_t rows_written)> commit_observer;
    // Called by write_cached() once the value is committed. Lets crash tests stop a process
    // right after a driver recorded what it did remotely (a file uploaded); leave empty otherwise.
    std::function<void(std::string_view scope, const CachedValue& value)> cached_observer;
  };

  // Opens (creating if needed, with parent folders) and migrates the store at `path`; ":memory:"
  // gives a private in-memory store. Throws Error(ErrorKind::state_store) when the file cannot be
  // opened, is not a notionsync store, or has a newer schema than this build knows.
  static std::unique_ptr<SqliteStateStore> open(const std::string& path, Options options = {});

  // The schema version this build writes.
  static int latest_schema_version();
  int schema_version();

  ~SqliteStateStore() override;

  std::unique_ptr<AppLock> lock_app(std::string_view app_name) override;
  std::vector<std::string> apps() override;
  std::vector<TargetRecord> targets(std::string_view app_name,
                                    RowCounts counts = RowCounts::counted) override;
  TargetRecord ensure_target(std::string_view app_name, std::string_view target_name,
                             std::string_view kind) override;
  void update_target(const TargetRecord& record) override;
  void drop_target(std::int64_t target_id) override;
  void for_each_row(std::int64_t target_id,
                    const std::function<void(TrackedRow&&)>& visit) override;
  std::optional<TrackedRow> find_row(std::int64_t target_id, std::string_view key) override;
  std::int64_t count_rows(std::int64_t target_id) override;
  void commit(std::int64_t target_id, std::span<const RowChange> changes) override;
  void record_rows_digest(std::int64_t target_id, const RowsDigest& digest) override;
  void record_run(const RunRecord& run) override;
  std::optional<RunRecord> last_run(std::string_view app_name) override;
  std::optional<CachedValue> read_cached(std::string_view app_name, std::string_view scope,
                                         std::string_view key, std::int64_t now_ms) override;
  void write_cached(std::string_view app_name, std::string_view scope, std::string_view key,
                    const CachedValue& value) override;
  void erase_cached(std::string_view app_name, std::string_view scope,
                    std::string_view key) override;

 private:
  struct Impl;
  explicit SqliteStateStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace notionsync
