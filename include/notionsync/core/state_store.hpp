// StateStore: what notionsync wrote, so a re-run costs calls only for what changed.
//
// The store holds apps, their targets (with a schema fingerprint and the remote id, e.g. a Notion
// data source id) and, per target, one tracked row per primary key: the fingerprint of what was
// written, the remote item's id (a Notion page id) and a status. Rows move through
//
//   (absent) --intent--> pending_create --written--> synced --intent--> pending_delete --> (absent)
//
// An intent is committed before the remote call, so a crash between the two leaves a row whose
// status says what may have happened; the next run verifies it instead of guessing.
//
// Writes for one app happen under an AppLock: a second process that tries to sync the same app gets
// Error(ErrorKind::state_store_locked) "app X is being synced by process N".
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "notionsync/core/fingerprint.hpp"
#include "notionsync/core/rows_digest.hpp"

namespace notionsync {

enum class RowStatus { pending_create, synced, pending_delete };
std::string_view to_string(RowStatus status);
std::optional<RowStatus> parse_row_status(std::string_view text);

struct TrackedRow {
  std::string key;  // canonical key encoding (see key.hpp)
  Fingerprint fingerprint;
  std::string remote_id;  // empty while unknown (a create whose outcome is not known yet)
  RowStatus status = RowStatus::synced;
  std::int64_t updated_at_ms = 0;  // Unix time in milliseconds
};

// Whether a listing of targets fills in TargetRecord::row_count, which reads all of a target's
// rows: `status` shows the counts, the engine does not need them.
enum class RowCounts { counted, skipped };

struct TargetRecord {
  std::int64_t id = 0;
  std::string app_name;
  std::string name;
  std::string kind;  // which driver owns it, e.g. "notion_database"
  std::optional<Fingerprint> schema_fingerprint;
  std::string remote_id;       // e.g. the Notion data source id; empty until known
  std::int64_t row_count = 0;  // filled by targets() with RowCounts::counted only
  std::optional<std::int64_t> last_synced_at_ms;
  // When the remote was last checked for items changed behind notionsync's back (the start of
  // that check, Unix ms), so the next check asks only for what changed since; nullopt before the
  // first check.
  std::optional<std::int64_t> drift_checked_at_ms;
  // What the target's rows add up to, when they were all synced as of the last record_rows_digest
  // and no commit has changed them since; nullopt otherwise.
  std::optional<RowsDigest> rows_digest;
};

// One state transition of one row, committed with others in a single transaction.
struct RowChange {
  enum class Kind { upsert, erase };
  Kind kind = Kind::upsert;
  TrackedRow row;  // for erase only row.key is used

  static RowChange upsert(TrackedRow row) { return {Kind::upsert, std::move(row)}; }
  static RowChange erase(std::string key) {
    RowChange change;
    change.kind = Kind::erase;
    change.row.key = std::move(key);
    return change;
  }
};

struct RunRecord {
  std::string app_name;
  std::int64_t started_at_ms = 0;
  std::int64_t finished_at_ms = 0;
  std::string outcome;       // "ok", "rows_failed", "aborted"
  std::string summary_json;  // counts per target, as the report prints them
};

// A value a driver keeps for an app between runs: what it learnt from the remote (who the
// workspace's users are) or did there (a file it uploaded), under a scope (the driver's name for
// the kind of value, e.g. "notion.users") and a key. Like the tracked rows, it belongs to the
// app's remote.
struct CachedValue {
  std::string value;
  std::optional<std::int64_t> expires_at_ms;  // Unix ms; nullopt: kept until replaced or erased
  std::int64_t updated_at_ms = 0;             // Unix ms, when it was written
};

// Held while an app is being synced; releasing it (destruction or process death) lets others in.
class AppLock {
 public:
  virtual ~AppLock() = default;
};

class StateStore {
 public:
  virtual ~StateStore() = default;

  // Takes the exclusive right to sync `app_name`. Throws Error(ErrorKind::state_store_locked) with
  // "app X is being synced by process N" while another holder is alive.
  virtual std::unique_ptr<AppLock> lock_app(std::string_view app_name) = 0;

  // Every app name known to the store, sorted.
  virtual std::vector<std::string> apps() = 0;
  // Targets of one app, sorted by name (empty for an unknown app). RowCounts::skipped leaves
  // row_count 0 instead of counting every target's rows.
  virtual std::vector<TargetRecord> targets(std::string_view app_name,
                                            RowCounts counts = RowCounts::counted) = 0;
  // The target, created (with its app) when new. Its row_count is left 0 (see count_rows).
  virtual TargetRecord ensure_target(std::string_view app_name, std::string_view target_name,
                                     std::string_view kind) = 0;
  // Stores record.schema_fingerprint, record.remote_id, record.last_synced_at_ms and
  // record.drift_checked_at_ms (never record.rows_digest: see record_rows_digest).
  virtual void update_target(const TargetRecord& record) = 0;
  // Removes a target and all its tracked rows.
  virtual void drop_target(std::int64_t target_id) = 0;

  // Calls `visit` for every tracked row of the target, in key order, without loading all at once.
  virtual void for_each_row(std::int64_t target_id,
                            const std::function<void(TrackedRow&&)>& visit) = 0;
  virtual std::optional<TrackedRow> find_row(std::int64_t target_id, std::string_view key) = 0;
  virtual std::int64_t count_rows(std::int64_t target_id) = 0;

  // Applies all `changes` to the target's rows atomically: after a crash either all or none are
  // visible. Throws Error(ErrorKind::state_store) on failure, with nothing applied.
  // A commit with changes also forgets the target's rows digest, in the same transaction.
  virtual void commit(std::int64_t target_id, std::span<const RowChange> changes) = 0;

  // Remembers `digest` as what the target's rows add up to now, every one of them synced; the
  // caller read them under the target's lock (nothing commits meanwhile). targets() gives it back
  // in TargetRecord::rows_digest until a commit() with changes forgets it, so a digest the store
  // gives back always describes the rows it holds.
  virtual void record_rows_digest(std::int64_t target_id, const RowsDigest& digest) = 0;

  virtual void record_run(const RunRecord& run) = 0;
  virtual std::optional<RunRecord> last_run(std::string_view app_name) = 0;

  // The value kept under (app, scope, key); nullopt when there is none or it expired before
  // `now_ms`.
  virtual std::optional<CachedValue> read_cached(std::string_view app_name, std::string_view scope,
                                                 std::string_view key, std::int64_t now_ms) = 0;
  // Keeps `value` under (app, scope, key), replacing what was there (the app is created when
  // new), and forgets the values of that scope which expired before value.updated_at_ms.
  virtual void write_cached(std::string_view app_name, std::string_view scope, std::string_view key,
                            const CachedValue& value) = 0;
  // Forgets the value under (app, scope, key), if any.
  virtual void erase_cached(std::string_view app_name, std::string_view scope,
                            std::string_view key) = 0;
};

}  // namespace notionsync
