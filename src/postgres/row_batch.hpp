// RowChanges grouped into multi-row statements: one statement writes thousands of rows, which is
// what makes committing a million rows take seconds instead of minutes.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <string>

#include "notionsync/core/state_store.hpp"

namespace notionsync::postgres {

// Consecutive changes of one kind, as PostgreSQL array literals for unnest() / ANY().
struct RowBatch {
  RowChange::Kind kind = RowChange::Kind::upsert;
  std::size_t size = 0;
  std::string keys;          // text[]
  std::string fingerprints;  // text[] of 32 hex digits (upserts only)
  std::string remote_ids;    // text[] (upserts only)
  std::string statuses;      // text[] (upserts only)
  std::string updated_at;    // bigint[] (upserts only)
};

// Calls `write` for each batch of `changes`, in order, with at most `max_rows` rows each. A batch
// never holds one key twice (an upsert may not touch a row twice in one statement), so applying
// the batches in order has the effect of applying the changes one by one. Rows without a time
// get `now_ms`. Throws Error(ErrorKind::state_store) for text PostgreSQL cannot store (NUL).
void for_each_batch(std::span<const RowChange> changes, std::size_t max_rows, std::int64_t now_ms,
                    const std::function<void(const RowBatch&)>& write);

}  // namespace notionsync::postgres
