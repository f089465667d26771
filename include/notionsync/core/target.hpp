// The target protocol: how the engine drives a destination (a Notion database, a test double).
//
// A TargetDriver knows one destination. The engine calls, in order:
//   settings()      once, to learn the key columns, schema version and removal mode;
//   encode(row)     for every declared row (key + canonical payload);
//   prepare(ctx)    before planning: database-level reconcile (validate or create the schema);
//   scan_remote()   on a first run (no tracked rows), to adopt what the remote already holds,
//                   or when many creates' outcomes are unknown, to verify them in one listing;
//   apply(...)      with the plan's create/update/trash/erase actions, reporting each outcome.
// adopt and forget actions never reach the driver: they change tracking only.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "notionsync/core/error.hpp"
#include "notionsync/core/key.hpp"
#include "notionsync/core/plan.hpp"
#include "notionsync/core/removal_limit.hpp"
#include "notionsync/core/row.hpp"
#include "notionsync/core/state_store.hpp"

namespace notionsync {

struct TargetSettings {
  std::string kind;                      // stored with the target, e.g. "notion_database"
  std::vector<std::string> key_columns;  // the row fields that form the primary key
  std::string schema_version;            // hashed into every fingerprint: change it to rewrite all
  RemovalMode removal_mode = RemovalMode::trash;
  // Other targets of the app whose rows this target refers to (relations by key). They are
  // applied first, so their rows' remote ids are known when this target's rows are written.
  std::vector<std::string> depends_on;
  // Whether each sync looks for remote items changed behind notionsync's back (find_drift).
  DriftPolicy drift_policy = DriftPolicy::ignore;
  // How many tracked rows one sync may remove before it refuses to run (removal_limit.hpp).
  RemovalLimit removal_limit;
  // How many remote rows one call of scan_remote() reads (0: unknown, or it cannot list them).
  // When more rows wait to be verified (an earlier create's outcome is unknown) than a listing
  // would cost calls, the engine lists the remote once instead of having each row looked up.
  std::size_t remote_rows_per_scan_call = 0;
};

struct EncodedRow {
  Key key;              // may be left empty by encode_into() when encoded_key is given
  std::string payload;  // canonical encoding of what the target writes (see row.hpp)
  // Optional: key.encoded(), for a driver that has the bytes at hand (the engine encodes the key
  // itself when this is empty).
  std::string encoded_key;
  // Where the payload's second part starts, for a payload written in two parts (a page's
  // properties and its body): the fingerprint then digests each part in one half (see
  // fingerprint_of_parts). npos: one part.
  std::size_t second_part = std::string::npos;
};

struct ActionOutcome {
  enum class Status {
    done,     // applied; remote_id names the item
    failed,   // definitely not applied (e.g. rejected by validation)
    unknown,  // may or may not have been applied (lost response): verified on the next run
  };
  Status status = Status::done;
  std::string remote_id;
  std::string message;  // why it failed, or a note on a success ("re-created: it was trashed")
  std::string column;   // the column at fault, when known
  // Done, but written without some values that could not be resolved yet (a relation to a row of
  // a target applied later, in a cycle of targets). The row is rewritten in a second pass.
  bool incomplete = false;
  // Done without a write: reading the remote item showed it already held the declared row (an
  // adopted page whose body matched). An adopting update is then counted as adopted.
  bool wrote_nothing = false;

  static ActionOutcome done(std::string remote_id, std::string note = {}) {
    return {Status::done, std::move(remote_id), std::move(note), {}, false, false};
  }
  static ActionOutcome failed(std::string message, std::string column = {}) {
    return {Status::failed, {}, std::move(message), std::move(column), false, false};
  }
  static ActionOutcome unknown(std::string message) {
    return {Status::unknown, {}, std::move(message), {}, false, false};
  }
};

// Receives each action's outcome. Thread-safe: drivers may report from any thread.
class ActionReporter {
 public:
  virtual ~ActionReporter() = default;
  virtual void report(const Action& action, ActionOutcome outcome) = 0;
};

struct TargetContext {
  std::string app_name;
  TargetRecord& record;  // prepare() may set record.remote_id (e.g. a created data source id)
  bool dry_run = false;  // plan only: check, change nothing remote
  std::vector<std::string> notes;  // things worth telling the user (a schema change made, ...)
  StateStore* store = nullptr;     // for reading other targets' tracked rows (relations by key)
  // Targets of the app already applied in this run (their rows' remote ids are final), for
  // apply(): a reference to a row of a target not in this list may only be not created yet.
  std::vector<std::string> applied_targets;
  // Why scan_remote() is called: to adopt what the remote holds on a first run, or, on a later
  // run, to find in one listing the items of many creates whose outcome is unknown. When
  // verifying, the tracked rows decide which item a key keeps: a driver leaves duplicates alone.
  enum class ScanPurpose { adopt, verify };
  ScanPurpose scan_purpose = ScanPurpose::adopt;
};

class TargetDriver {
 public:
  virtual ~TargetDriver() = default;

  virtual TargetSettings settings() const = 0;

  // Key and payload of a row; `settings` is what settings() returned. The default takes
  // settings.key_columns as the key and the whole row as the payload. Throws RowValueError (or
  // Error) for a row that cannot be declared.
  virtual EncodedRow encode(const Row& row, const TargetSettings& settings) const;
  // encode() into `out`, whose buffers still hold the previous row's bytes: a driver that writes
  // into them reuses their capacity, sparing allocations on every row. A driver sets every field
  // of `out`; it may leave out.key empty when it gives out.encoded_key. The default calls encode().
  virtual void encode_into(const Row& row, const TargetSettings& settings, EncodedRow& out) const {
    out = encode(row, settings);
  }

  // Database-level reconcile, before any row is planned. Throw to stop before any row write.
  virtual void prepare(TargetContext& /*context*/) {}

  // The remote's rows (key, id, content fingerprint) so a first run adopts instead of duplicating;
  // nullopt when the driver cannot list them.
  virtual std::optional<std::vector<RemoteRow>> scan_remote(TargetContext& /*context*/) {
    return std::nullopt;
  }

  // Tracked remote items changed since `since_ms` (Unix ms) whose content no longer matches what
  // `rows` declares for them, or that were moved to the trash. Called before planning when
  // settings().drift_policy is not ignore and the target was checked before; a driver that
  // cannot tell returns nothing. Throw only to abort the target.
  virtual std::vector<DriftedItem> find_drift(TargetContext& /*context*/, std::int64_t /*since_ms*/,
                                              const DeclaredRows& /*rows*/) {
    return {};
  }

  // Applies create/update/trash/erase actions and reports every one exactly once, in any order.
  // Per-row problems are reported as failed/unknown; throw only to abort the whole target. The
  // engine may call it several times per sync, each time with the next actions in plan order:
  // creates are recorded pending_create a batch at a time, just before their batch is applied.
  virtual void apply(TargetContext& context, std::span<const Action> actions,
                     const DeclaredRows& rows, ActionReporter& reporter) = 0;
};

}  // namespace notionsync
