// A state store that counts how often the tracked rows of a target are read in full
// (for_each_row), around a real store that does the work: what the engine tests look at to tell
// that a run planned from the rows digest rather than from the rows.
#pragma once

#include <atomic>
#include <memory>

#include "notionsync/core/state_store.hpp"

namespace notionsync::testing {

class RowReadingStore : public StateStore {
 public:
  explicit RowReadingStore(StateStore& store) : store_(store) {}

  // Full reads of a target's rows so far.
  int row_reads() const { return row_reads_; }

  std::unique_ptr<AppLock> lock_app(std::string_view app_name) override {
    return store_.lock_app(app_name);
  }
  std::vector<std::string> apps() override { return store_.apps(); }
  std::vector<TargetRecord> targets(std::string_view app_name, RowCounts counts) override {
    return store_.targets(app_name, counts);
  }
  TargetRecord ensure_target(std::string_view app_name, std::string_view target_name,
                             std::string_view kind) override {
    return store_.ensure_target(app_name, target_name, kind);
  }
  void update_target(const TargetRecord& record) override { store_.update_target(record); }
  void drop_target(std::int64_t target_id) override { store_.drop_target(target_id); }
  void for_each_row(std::int64_t target_id,
                    const std::function<void(TrackedRow&&)>& visit) override {
    ++row_reads_;
    store_.for_each_row(target_id, visit);
  }
  std::optional<TrackedRow> find_row(std::int64_t target_id, std::string_view key) override {
    return store_.find_row(target_id, key);
  }
  std::int64_t count_rows(std::int64_t target_id) override { return store_.count_rows(target_id); }
  void commit(std::int64_t target_id, std::span<const RowChange> changes) override {
    store_.commit(target_id, changes);
  }
  void record_rows_digest(std::int64_t target_id, const RowsDigest& digest) override {
    store_.record_rows_digest(target_id, digest);
  }
  void record_run(const RunRecord& run) override { store_.record_run(run); }
  std::optional<RunRecord> last_run(std::string_view app_name) override {
    return store_.last_run(app_name);
  }
  std::optional<CachedValue> read_cached(std::string_view app_name, std::string_view scope,
                                         std::string_view key, std::int64_t now_ms) override {
    return store_.read_cached(app_name, scope, key, now_ms);
  }
  void write_cached(std::string_view app_name, std::string_view scope, std::string_view key,
                    const CachedValue& value) override {
    store_.write_cached(app_name, scope, key, value);
  }
  void erase_cached(std::string_view app_name, std::string_view scope,
                    std::string_view key) override {
    store_.erase_cached(app_name, scope, key);
  }

 private:
  StateStore& store_;
  std::atomic<int> row_reads_ = 0;  // the rows may be read ahead on another thread
};

}  // namespace notionsync::testing
