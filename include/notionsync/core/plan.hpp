// Plan: what a sync of one target will do, computed from declared rows and tracked rows alone.
//
// A plan reads the state store and writes nothing (App::plan() returns one per target). It is a
// plain value: print it (`notionsync plan`), test it; App::sync() makes and applies it.
//
//   declared row, not tracked                 -> create (or adopt/update if the remote has the key)
//   declared row, tracked, same fingerprint   -> unchanged (no call)
//   declared row, tracked, other fingerprint  -> update
//   tracked row no longer declared            -> trash | erase | forget, per the target's
//   RemovalMode
//
// Rows whose declaration failed keep their tracked state untouched ("held"): bad input never
// removes a page. If a row failed before its key was known, every removal of that target is held.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "notionsync/core/fingerprint.hpp"
#include "notionsync/core/rows_digest.hpp"

namespace notionsync {

// What happens to a tracked row that is no longer declared.
enum class RemovalMode {
  trash,   // soft delete in the remote (Notion: in_trash), then stop tracking
  erase,   // hard delete in the remote (Notion: DELETE /blocks), then stop tracking
  forget,  // leave the remote item alone, stop tracking
};
std::string_view to_string(RemovalMode mode);

// What to do about remote items changed behind notionsync's back (drift): someone edited a value
// notionsync wrote, or moved the item to the trash.
enum class DriftPolicy {
  restore,  // write the declared values back, bring trashed items back (and report it)
  report,   // find and report drift, write nothing for it
  ignore,   // do not look for it (no remote call)
};
// Inline: the config reader names policies without linking the planner.
constexpr std::string_view to_string(DriftPolicy policy) {
  switch (policy) {
    case DriftPolicy::restore:
      return "restore";
    case DriftPolicy::report:
      return "report";
    case DriftPolicy::ignore:
      return "ignore";
  }
  return "unknown";
}

// A tracked remote item that no longer holds what is declared for its row.
struct DriftedItem {
  std::string key;        // canonical key encoding of the row
  std::string remote_id;  // the item (a Notion page id)
  bool trashed = false;   // in the remote's trash
  std::vector<std::string> fields;  // what differs from the declared row, by the remote's names
  std::string edited_by;            // who edited it last (a user's name or id), when known
  std::string edited_at;            // when, as the remote writes times, when known
  // What the item holds now, so that a driver restoring it writes only the parts that differ.
  Fingerprint remote_fingerprint;
  // Last written by this very integration: a write of an earlier run whose outcome was never
  // recorded (a crash), not a person's edit. It is converged like drift, but not reported as such.
  bool own_write = false;
};

enum class ActionKind {
  create,     // write a new remote item
  update,     // rewrite a remote item (or adopt an untracked one whose content differs)
  adopt,      // start tracking an untracked remote item whose content already matches: no call
  unchanged,  // nothing to do (counted, not listed)
  trash,
  erase,
  forget,  // stop tracking: no call
};
std::string_view to_string(ActionKind kind);

// A problem with one declared row. The row is left out of the sync; its tracked state is kept.
struct RowError {
  std::string origin;  // where the row came from ("people.csv:12", "row 5")
  std::string key;     // display form of its key, when known
  std::string column;  // the column or property at fault, when known
  std::string message;
};
std::string to_string(const RowError& error);
// How many rows `errors` are about: a row may have several errors (one per bad value), all with
// its origin; an error without an origin counts as one row.
std::size_t count_rows_with_errors(std::span<const RowError> errors);

// One declared row, encoded: what the plan compares and the target writes.
struct DeclaredRow {
  std::string key;      // canonical key encoding
  std::string payload;  // canonical row encoding (see row.hpp)
  Fingerprint fingerprint;
  std::string origin;
};

// A declared row as DeclaredRows holds it: its bytes live in the collection, and stay valid (and
// in place) for as long as the collection does.
struct DeclaredRowView {
  std::string_view key;
  std::string_view payload;
  Fingerprint fingerprint;
  std::string_view origin;
};

// The rows declared for one target in one run, with duplicate-key detection.
//
// Rows are indexed by key on the first lookup after they were added (find, index_of, is_held,
// is_withdrawn, errors), all of them in one pass. So a lookup changes the collection's index: it
// must not run while another thread adds rows.
class DeclaredRows {
 public:
  DeclaredRows();
  ~DeclaredRows();
  DeclaredRows(DeclaredRows&&) noexcept;
  DeclaredRows& operator=(DeclaredRows&&) noexcept;

  // Adds a row. Returns the error at once when its key is held by a row that failed (see
  // add_failure), else nullopt. A second row with the same key is found when the rows are
  // indexed: both rows are withdrawn (neither value can be trusted, so the key is held) and each
  // gets an error naming the other's origin.
  // The row's bytes are copied, so the caller may reuse its buffers for the next row.
  std::optional<RowError> add(const DeclaredRowView& row);
  std::optional<RowError> add(const DeclaredRow& row) {
    return add(DeclaredRowView{row.key, row.payload, row.fingerprint, row.origin});
  }
  // Records a row that failed to encode; `encoded_key` is its key when it could be read. A row
  // with that key added before is withdrawn, one added after is refused: the page stays as it is.
  void add_failure(RowError error, std::optional<std::string> encoded_key);

  // The row with this key, or nullptr (also for held keys).
  const DeclaredRowView* find(std::string_view key) const;
  std::optional<std::size_t> index_of(std::string_view key) const;
  // Starts loading the memory a lookup of `key` will read: a caller about to look up many keys
  // announces each a few lookups ahead, so their cache misses overlap.
  void prefetch(std::string_view key) const;
  // The row at `index`; the reference lasts until the next add(), the bytes it views as long as
  // the collection.
  const DeclaredRowView& at(std::size_t index) const;
  std::size_t size() const;  // includes withdrawn rows
  bool is_withdrawn(std::size_t index) const;
  bool is_held(std::string_view key) const;
  // True when a row failed before its key was known: removals cannot be trusted.
  bool has_keyless_failures() const;
  // True when a row failed or was refused so far, known without indexing (duplicate keys are
  // not: see digest()).
  bool has_failures() const;
  // Every error, in the order of the rows: failures, refused rows and duplicate keys.
  const std::vector<RowError>& errors() const;
  // What the rows added up to (see rows_digest.hpp): every row add() accepted, duplicates
  // included. Without failures, a digest equal to that of a set of rows with distinct keys (a
  // state store's) means these are the same rows, so none has a duplicate key: a second row with
  // a key makes a different sum, with odds of 2^-127 of the contrary.
  const RowsDigest& digest() const;

 private:
  struct Impl;  // the rows' bytes and their index by key
  std::unique_ptr<Impl> impl_;
};

// A remote item found by scanning the remote (first run with empty state): key and content.
struct RemoteRow {
  std::string key;
  std::string remote_id;
  Fingerprint fingerprint;
};

struct Action {
  ActionKind kind = ActionKind::unchanged;
  std::string key;                 // canonical key encoding
  std::string remote_id;           // the item to update/trash/erase/adopt; empty for plain creates
  std::size_t declared_index = 0;  // into DeclaredRows, for create/update/adopt
  // What the store holds for this key (removals keep it); for a row matched to a remote item
  // (adoption), what that item holds, so a driver can tell which part of a row changed.
  Fingerprint tracked_fingerprint;
  // The remote may already hold this key (an earlier create's outcome is unknown): look it up
  // and update what is found rather than blindly creating.
  bool verify_remote = false;
  // The remote item may be in the middle of a removal (status pending_delete), or a person moved
  // it to the trash: bring it back.
  bool restore = false;
  // Writes back declared values a person changed in the remote (drift; DriftPolicy::restore).
  bool drift = false;
  // An update of an untracked remote item matched by key (adoption, or an earlier create found):
  // reported as adopted when the driver finds nothing to write (ActionOutcome::wrote_nothing).
  bool adopting = false;
};

// Two or more remote items carry one key (found while adopting): `kept` is tracked, the others
// are reported (and trashed only if the user asks).
struct RemoteDuplicate {
  std::string key;
  std::string kept;
  std::vector<std::string> extras;
};

// What the removal guard found (see removal_limit.hpp): a sync refuses to run, and writes
// nothing, when a plan's removals are over its target's limit and the run does not allow them.
struct RemovalCheck {
  std::size_t removals = 0;  // tracked rows the plan removes (trash, erase or forget)
  std::size_t tracked = 0;   // tracked rows the plan read
  std::string limit;         // what the target's limit refuses, in words (RemovalLimit::to_string)
  bool over_limit = false;   // the removals are more than the limit allows
  bool allowed = false;      // ...and this run allows them anyway (SyncOptions::allow_removals)
  bool stops_sync() const { return over_limit && !allowed; }
};
// "target 'people' would remove 4 of its 4 tracked rows; its removal limit refuses more than
// 50% when ...", for a check that is over its limit.
std::string describe_refusal(std::string_view target_name, const RemovalCheck& check);
// {"removals", "tracked", "limit", "over_limit", "allowed", "stops_sync"} as JSON text.
std::string to_json(const RemovalCheck& check);
// [{"key", "page_id", "trashed", "properties", "edited_by", "edited_at"}, ...] as JSON text: the
// key in display form, "properties" the fields that differ.
std::string to_json(const std::vector<DriftedItem>& drift);

struct PlanCounts {
  std::size_t create = 0, update = 0, adopt = 0, unchanged = 0, trash = 0, erase = 0, forget = 0;
  std::size_t held = 0;     // tracked rows left alone because their declaration failed
  std::size_t restore = 0;  // unchanged rows whose remote item drifted and is written back
  std::size_t writes() const { return create + update + trash + erase + restore; }
};

struct Plan {
  std::string target_name;
  RemovalMode removal_mode = RemovalMode::trash;
  std::vector<Action> actions;  // every action but unchanged, creates and updates first
  PlanCounts counts;
  std::vector<RowError> row_errors;
  std::vector<RemoteDuplicate> remote_duplicates;
  std::size_t untracked_remote_rows = 0;  // remote items neither declared nor tracked: left alone
  std::string removals_held_reason;       // non-empty when removals were held back
  // What the target's database-level reconcile found or would change (a database to create, a
  // schema change), in words for the user.
  std::vector<std::string> notes;
  // What the tracked rows the plan read add up to, when every one of them was synced (see
  // StateStore::record_rows_digest); nullopt when one was not.
  std::optional<RowsDigest> tracked_digest;
  // True when the plan found every row unchanged by comparing digests alone, reading no tracked
  // row (App: the store's digest equals the declared rows').
  bool unchanged_by_digest = false;
  // Remote items changed behind notionsync's back, as the target's drift check found them (empty
  // when it did not look: DriftPolicy::ignore, or the target's first sync).
  std::vector<DriftedItem> drift;
  bool drift_checked = false;
  RemovalCheck removal_check;
};

// One line about a drifted item: its key, what changed (or that it was trashed), by whom, when.
std::string describe(const DriftedItem& item);

// Human-readable plan: counts, then one line per action (at most `max_lines`), then row errors.
std::string to_string(const Plan& plan, std::size_t max_lines = 50);

}  // namespace notionsync
