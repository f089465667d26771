// TrackedRowTable: the tracked rows of one target, read ahead of its plan and held compactly.
//
// While a large source is declared, another thread reads the target's tracked rows
// (AppInternals::hold_lock) into a table: each row's key and remote id are kept in a ByteArena, so
// a 100,000-row target costs a few blocks rather than two strings per row, and the plan looks at
// them in place.
// TrackedRowsDigest: what such rows add up to, for the store's rows digest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/byte_arena.hpp"
#include "notionsync/core/fingerprint.hpp"
#include "notionsync/core/rows_digest.hpp"
#include "notionsync/core/state_store.hpp"

namespace notionsync {

// A tracked row whose bytes are held elsewhere (by a TrackedRowTable, or by a TrackedRow).
struct TrackedRowView {
  std::string_view key;
  Fingerprint fingerprint;
  std::string_view remote_id;
  RowStatus status = RowStatus::synced;
  std::int64_t updated_at_ms = 0;
};

TrackedRowView view_of(const TrackedRow& row);

// What a target's tracked rows add up to, as a state store may keep it (record_rows_digest): a
// digest only when every row is synced, so that equal digests mean "unchanged".
class TrackedRowsDigest {
 public:
  void add(const TrackedRowView& row) {
    digest_.add(row.key, row.fingerprint);
    all_synced_ = all_synced_ && row.status == RowStatus::synced;
  }
  // The digest of the rows added, or nullopt when one of them was not synced.
  std::optional<RowsDigest> result() const {
    return all_synced_ ? std::optional<RowsDigest>(digest_) : std::nullopt;
  }

 private:
  RowsDigest digest_;
  bool all_synced_ = true;
};

class TrackedRowTable {
 public:
  // Copies the row; the caller may reuse it for the next one.
  void add(const TrackedRow& row);
  std::size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }
  // The rows in the order they were added; valid for as long as the table lives.
  const TrackedRowView& operator[](std::size_t index) const { return rows_[index]; }

 private:
  ByteArena bytes_;
  std::vector<TrackedRowView> rows_;
};

}  // namespace notionsync
