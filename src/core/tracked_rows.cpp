#include "core/tracked_rows.hpp"

namespace notionsync {

TrackedRowView view_of(const TrackedRow& row) {
  return {row.key, row.fingerprint, row.remote_id, row.status, row.updated_at_ms};
}

void TrackedRowTable::add(const TrackedRow& row) {
  rows_.push_back(TrackedRowView{bytes_.keep(row.key), row.fingerprint, bytes_.keep(row.remote_id),
                                 row.status, row.updated_at_ms});
}

}  // namespace notionsync
