#include "postgres/row_batch.hpp"

#include <string_view>
#include <unordered_set>

#include "notionsync/core/error.hpp"

namespace notionsync::postgres {
namespace {

void open_array(std::string& array) {
  array = "{";
}
void close_array(std::string& array) {
  array += '}';
}

// A quoted element: only '"' and '\' need escaping inside quotes.
void append_text(std::string& array, std::string_view text) {
  if (array.size() > 1) array += ',';
  array += '"';
  for (const char c : text) {
    if (c == '\0') {
      throw Error(ErrorKind::state_store,
                  "state store: PostgreSQL text cannot hold a NUL character (in key or id '" +
                      std::string(text.substr(0, text.find('\0'))) + "...')");
    }
    if (c == '"' || c == '\\') array += '\\';
    array += c;
  }
  array += '"';
}

void append_plain(std::string& array, std::string_view text) {
  if (array.size() > 1) array += ',';
  array += text;
}

}  // namespace

void for_each_batch(std::span<const RowChange> changes, std::size_t max_rows, std::int64_t now_ms,
                    const std::function<void(const RowBatch&)>& write) {
  RowBatch batch;
  std::unordered_set<std::string_view> keys_in_batch;
  const auto start = [&](RowChange::Kind kind) {
    batch.kind = kind;
    batch.size = 0;
    keys_in_batch.clear();
    for (auto* array : {&batch.keys, &batch.fingerprints, &batch.remote_ids, &batch.statuses,
                        &batch.updated_at}) {
      open_array(*array);
    }
  };
  const auto flush = [&] {
    if (batch.size == 0) return;
    for (auto* array : {&batch.keys, &batch.fingerprints, &batch.remote_ids, &batch.statuses,
                        &batch.updated_at}) {
      close_array(*array);
    }
    write(batch);
  };

  start(RowChange::Kind::upsert);
  for (const auto& change : changes) {
    const bool repeated = keys_in_batch.contains(change.row.key);
    if (batch.size > 0 && (change.kind != batch.kind || repeated || batch.size == max_rows)) {
      flush();
      start(change.kind);
    }
    batch.kind = change.kind;
    keys_in_batch.insert(change.row.key);
    append_text(batch.keys, change.row.key);
    if (change.kind == RowChange::Kind::upsert) {
      append_plain(batch.fingerprints, change.row.fingerprint.to_hex());
      append_text(batch.remote_ids, change.row.remote_id);
      append_plain(batch.statuses, to_string(change.row.status));
      append_plain(
          batch.updated_at,
          std::to_string(change.row.updated_at_ms != 0 ? change.row.updated_at_ms : now_ms));
    }
    ++batch.size;
  }
  flush();
}

}  // namespace notionsync::postgres
