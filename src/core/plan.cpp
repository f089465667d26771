#include "notionsync/core/plan.hpp"

// Header-only xxHash, as in fingerprint.cpp.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/byte_arena.hpp"
#include "core/make_plan.hpp"
#include "notionsync/core/error.hpp"
#include "notionsync/core/key.hpp"

namespace notionsync {

std::string_view to_string(RemovalMode mode) {
  switch (mode) {
    case RemovalMode::trash:
      return "trash";
    case RemovalMode::erase:
      return "delete";
    case RemovalMode::forget:
      return "forget";
  }
  return "unknown";
}

std::string describe(const DriftedItem& item) {
  std::string text = display_encoded_key(item.key) + " [" + item.remote_id + "]: ";
  if (item.trashed) {
    text += "moved to the trash";
  } else {
    text += "changed ";
    for (std::size_t i = 0; i < item.fields.size(); ++i) {
      text += (i == 0 ? "" : ", ") + item.fields[i];
    }
    if (item.fields.empty()) text += "its content";
  }
  if (!item.edited_by.empty()) text += " by " + item.edited_by;
  if (!item.edited_at.empty()) text += " at " + item.edited_at;
  return text;
}

void apply_drift(Plan& plan, std::vector<DriftedItem> drift, DriftPolicy policy,
                 const DeclaredRows& declared) {
  plan.drift_checked = true;
  if (policy == DriftPolicy::restore) {
    for (const DriftedItem& item : drift) {
      const auto index = declared.index_of(item.key);
      if (!index || declared.is_withdrawn(*index) || declared.is_held(item.key)) continue;
      const auto planned =
          std::find_if(plan.actions.begin(), plan.actions.end(),
                       [&](const Action& action) { return action.key == item.key; });
      if (planned != plan.actions.end()) {
        // The row changed in the source too: its update writes the declared values, over what
        // the person wrote, in one write; it brings a trashed page back first.
        if (planned->kind == ActionKind::update) {
          planned->restore = planned->restore || item.trashed;
          if (planned->remote_id == item.remote_id) {
            planned->tracked_fingerprint = item.remote_fingerprint;
          }
        }
        continue;
      }
      Action action{ActionKind::update, item.key, item.remote_id, *index, item.remote_fingerprint};
      action.restore = item.trashed;
      action.drift = !item.own_write;
      plan.actions.push_back(std::move(action));
      ++(item.own_write ? plan.counts.update : plan.counts.restore);
      if (plan.counts.unchanged > 0) --plan.counts.unchanged;
    }
  }
  // What people changed; a write of notionsync's own that was never recorded is only converged.
  std::erase_if(drift, [](const DriftedItem& item) { return item.own_write; });
  plan.drift = std::move(drift);
}

std::string_view to_string(ActionKind kind) {
  switch (kind) {
    case ActionKind::create:
      return "create";
    case ActionKind::update:
      return "update";
    case ActionKind::adopt:
      return "adopt";
    case ActionKind::unchanged:
      return "unchanged";
    case ActionKind::trash:
      return "trash";
    case ActionKind::erase:
      return "delete";
    case ActionKind::forget:
      return "forget";
  }
  return "unknown";
}

std::string describe_refusal(std::string_view target_name, const RemovalCheck& check) {
  return "target '" + std::string(target_name) + "' would remove " +
         std::to_string(check.removals) + " of its " + std::to_string(check.tracked) +
         " tracked rows; its removal limit refuses " + check.limit;
}

std::string to_json(const RemovalCheck& check) {
  return nlohmann::json{{"removals", check.removals}, {"tracked", check.tracked},
                        {"limit", check.limit},       {"over_limit", check.over_limit},
                        {"allowed", check.allowed},   {"stops_sync", check.stops_sync()}}
      .dump();
}

std::string to_json(const std::vector<DriftedItem>& drift) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : drift) {
    items.push_back({{"key", display_encoded_key(item.key)},
                     {"page_id", item.remote_id},
                     {"trashed", item.trashed},
                     {"properties", item.fields},
                     {"edited_by", item.edited_by},
                     {"edited_at", item.edited_at}});
  }
  return items.dump();
}

std::size_t count_rows_with_errors(std::span<const RowError> errors) {
  std::unordered_set<std::string_view> origins;
  std::size_t without_origin = 0;
  for (const auto& error : errors) {
    if (error.origin.empty()) {
      ++without_origin;
    } else {
      origins.insert(error.origin);
    }
  }
  return origins.size() + without_origin;
}

std::string to_string(const RowError& error) {
  std::string text = error.origin.empty() ? "row" : error.origin;
  if (!error.key.empty()) text += " (key " + error.key + ")";
  if (!error.column.empty()) text += ", column '" + error.column + "'";
  return text + ": " + error.message;
}

namespace {

std::uint32_t key_hash(std::string_view key) {
  return static_cast<std::uint32_t>(XXH3_64bits(key.data(), key.size()));
}

constexpr std::string_view no_row_written = "no row with this key is written";

// The error of `row`, whose key `other_origin` declared too.
RowError duplicate_key_error(const DeclaredRowView& row, std::string_view other_origin) {
  return RowError{std::string(row.origin), display_encoded_key(row.key), "",
                  "duplicate key: also declared by " + std::string(other_origin) + "; " +
                      std::string(no_row_written)};
}

}  // namespace

// The rows' keys, payloads and origins, and the index from key to row.
//
// The bytes go to an arena: one allocation per block of rows rather than three per row; on a
// large run those allocations and the fresh pages they touched were a fifth of declaring.
// The index is open addressing over (hash of the key, row position), so a lookup touches one slot
// and compares the key's bytes once, on a hash match. A node-based map spent most of a
// 100,000-row no-op sync chasing its nodes. Eight bytes a slot: the table of a 100,000-row run is
// 2 MiB, and its lookups are cache misses. Rows are indexed in one pass, on the first lookup
// after they were added: indexing each row as it came was a cache miss per row on a large run,
// and a run whose rows add up to the store's digest (see App) looks up none.
struct DeclaredRows::Impl {
  struct Slot {
    std::uint32_t hash = 0;  // the low half of the key's hash: it picks the slot and screens keys
    std::uint32_t position = empty_slot;
  };
  static constexpr std::uint32_t empty_slot = 0xffffffffU;
  static constexpr std::uint32_t removed_slot = 0xfffffffeU;
  // A failure with a key, to apply to the rows added before it when they are indexed.
  struct KeyedFailure {
    std::size_t rows_before = 0;
    std::string key;
  };
  // What indexing builds, and so changes in const lookups.
  struct Index {
    std::vector<Slot> slots;       // size a power of two, at most half used
    std::size_t used_slots = 0;    // rows and removal marks
    std::size_t indexed_rows = 0;  // rows[0, indexed_rows) are indexed
    std::vector<KeyedFailure> pending_failures;
    std::unordered_map<std::string, std::string> held;  // key -> reason
    // Keys two rows declared, with the first row's origin (a third row's error names it).
    std::unordered_map<std::string, std::string> held_as_duplicates;
    std::vector<bool> withdrawn;
    // Errors with the number of rows added before each, which orders them with the rows'.
    std::vector<RowError> errors;
    std::vector<std::size_t> error_positions;
  };

  std::optional<RowError> add(const DeclaredRowView& row);
  void add_failure(RowError error, std::optional<std::string> encoded_key);
  std::optional<std::size_t> index_of(std::string_view key) const;
  void prefetch(std::string_view key) const;

  // Indexes the rows added since the last lookup, applying failures in their place.
  void ensure_indexed() const;
  // Grows the slots to hold `count` rows at most half full.
  void reserve(std::size_t count) const;
  void index_one(std::size_t position, std::vector<std::pair<std::size_t, RowError>>& found) const;
  // The slot holding `key`, or nullopt when no row has that key.
  std::optional<std::size_t> find_slot(std::string_view key, std::uint32_t hash) const;
  void index_row(std::uint32_t hash, std::size_t position) const;
  void unindex(std::size_t slot) const;
  void add_error(RowError error);

  ByteArena bytes;
  std::vector<DeclaredRowView> rows;
  mutable Index index;
  std::size_t failures = 0;
  std::size_t keyless_failures = 0;
  RowsDigest digest;
};

std::optional<std::size_t> DeclaredRows::Impl::find_slot(std::string_view key,
                                                         std::uint32_t hash) const {
  const auto& slots = index.slots;
  if (slots.empty()) return std::nullopt;
  const std::size_t mask = slots.size() - 1;
  for (std::size_t slot = hash & mask;; slot = (slot + 1) & mask) {
    const Slot& candidate = slots[slot];
    if (candidate.position == empty_slot) return std::nullopt;
    if (candidate.position != removed_slot && candidate.hash == hash &&
        rows[candidate.position].key == key) {
      return slot;
    }
  }
}

void DeclaredRows::Impl::reserve(std::size_t count) const {
  std::size_t size = 16;
  while (size < 2 * count) size *= 2;
  if (size <= index.slots.size()) return;
  std::vector<Slot> old = std::exchange(index.slots, std::vector<Slot>(size));
  index.used_slots = 0;
  for (const Slot& slot : old) {
    if (slot.position != empty_slot && slot.position != removed_slot) {
      index_row(slot.hash, slot.position);
    }
  }
}

void DeclaredRows::Impl::index_row(std::uint32_t hash, std::size_t position) const {
  if (2 * (index.used_slots + 1) > index.slots.size()) {
    reserve(std::max<std::size_t>(index.used_slots + 1, 8) * 2);
  }
  auto& slots = index.slots;
  const std::size_t mask = slots.size() - 1;
  std::size_t slot = hash & mask;
  while (slots[slot].position != empty_slot) slot = (slot + 1) & mask;
  slots[slot] = Slot{hash, static_cast<std::uint32_t>(position)};
  ++index.used_slots;
}

void DeclaredRows::Impl::unindex(std::size_t slot) const {
  index.slots[slot].position = removed_slot;  // still counted in used_slots: probes pass over it
}

void DeclaredRows::Impl::add_error(RowError error) {
  // Ordered with the rows: after those added before it, before the duplicates found among the
  // rows added after it (see ensure_indexed).
  index.error_positions.push_back(2 * rows.size());
  index.errors.push_back(std::move(error));
}

std::optional<RowError> DeclaredRows::Impl::add(const DeclaredRowView& row) {
  if (!index.held.empty()) {
    if (const auto held = index.held.find(std::string(row.key)); held != index.held.end()) {
      RowError error{std::string(row.origin), display_encoded_key(row.key), "", held->second};
      ++failures;
      add_error(error);
      return error;
    }
  }
  if (rows.size() >= removed_slot) {
    throw Error(ErrorKind::invalid_argument, "a target takes at most 4294967293 rows per run");
  }
  const std::string_view key = bytes.keep(row.key);
  const std::string_view payload = bytes.keep(row.payload);
  rows.push_back(DeclaredRowView{key, payload, row.fingerprint, bytes.keep(row.origin)});
  digest.add(key, row.fingerprint);
  return std::nullopt;
}

void DeclaredRows::Impl::add_failure(RowError error, std::optional<std::string> encoded_key) {
  ++failures;
  if (encoded_key) {
    // A failed row still protects its key: the page it had stays as it is. A row added before
    // with this key is withdrawn when the rows are indexed; one added after is refused by add().
    index.pending_failures.push_back(KeyedFailure{rows.size(), *encoded_key});
    index.held.emplace(std::move(*encoded_key), error.message);
  } else {
    ++keyless_failures;
  }
  add_error(std::move(error));
}

void DeclaredRows::Impl::ensure_indexed() const {
  if (index.indexed_rows == rows.size() && index.pending_failures.empty()) return;
  index.withdrawn.resize(rows.size(), false);
  reserve(rows.size());  // sized once: the pass never grows the table
  std::vector<std::pair<std::size_t, RowError>> found;
  std::size_t next_failure = 0;
  const auto& pending = index.pending_failures;
  constexpr std::size_t lookahead = 8;  // slots that load while a row is indexed
  for (std::size_t position = index.indexed_rows;; ++position) {
    // Failures recorded before this row was added withdraw the row they found with their key.
    for (; next_failure < pending.size() && pending[next_failure].rows_before <= position;
         ++next_failure) {
      const std::string& key = pending[next_failure].key;
      if (const auto slot = find_slot(key, key_hash(key))) {
        index.withdrawn[index.slots[*slot].position] = true;
        unindex(*slot);
      }
    }
    if (position == rows.size()) break;
    if (position + lookahead < rows.size()) prefetch(rows[position + lookahead].key);
    index_one(position, found);
  }
  index.pending_failures.clear();
  index.indexed_rows = rows.size();
  if (found.empty()) return;
  for (auto& [position, error] : found) {
    index.error_positions.push_back(2 * position + 1);
    index.errors.push_back(std::move(error));
  }
  // Back in the order of the rows (errors recorded before this pass may come after these).
  std::vector<std::size_t> order(index.errors.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return index.error_positions[a] < index.error_positions[b];
  });
  std::vector<RowError> errors;
  std::vector<std::size_t> positions;
  for (const std::size_t i : order) {
    errors.push_back(std::move(index.errors[i]));
    positions.push_back(index.error_positions[i]);
  }
  index.errors = std::move(errors);
  index.error_positions = std::move(positions);
}

void DeclaredRows::Impl::index_one(std::size_t position,
                                   std::vector<std::pair<std::size_t, RowError>>& found) const {
  const DeclaredRowView& row = rows[position];
  const std::uint32_t hash = key_hash(row.key);
  if (const auto slot = find_slot(row.key, hash)) {
    // Neither value can be trusted, so neither row is written, and each is reported at its own
    // origin: a row that silently disappears is worse than one that fails loudly.
    const auto first_index = index.slots[*slot].position;
    const auto& first = rows[first_index];
    found.emplace_back(first_index, duplicate_key_error(first, row.origin));
    found.emplace_back(position, duplicate_key_error(row, first.origin));
    index.withdrawn[first_index] = true;
    index.withdrawn[position] = true;
    unindex(*slot);
    index.held.emplace(first.key, "duplicate key: declared by " + std::string(first.origin) +
                                      " and " + std::string(row.origin) + "; " +
                                      std::string(no_row_written));
    index.held_as_duplicates.emplace(first.key, first.origin);
    return;
  }
  if (!index.held_as_duplicates.empty()) {
    // A third row with a key two rows declared: refused like the second.
    if (const auto held = index.held_as_duplicates.find(std::string(row.key));
        held != index.held_as_duplicates.end()) {
      found.emplace_back(position, duplicate_key_error(row, held->second));
      index.withdrawn[position] = true;
      return;
    }
  }
  index_row(hash, position);
}

void DeclaredRows::Impl::prefetch(std::string_view key) const {
  const auto& slots = index.slots;
  if (slots.empty()) return;
  const Slot& slot = slots[key_hash(key) & (slots.size() - 1)];
  __builtin_prefetch(&slot);
}

std::optional<std::size_t> DeclaredRows::Impl::index_of(std::string_view key) const {
  ensure_indexed();
  const auto slot = find_slot(key, key_hash(key));
  if (!slot) return std::nullopt;
  return index.slots[*slot].position;
}

DeclaredRows::DeclaredRows() : impl_(std::make_unique<Impl>()) {}
DeclaredRows::~DeclaredRows() = default;
DeclaredRows::DeclaredRows(DeclaredRows&&) noexcept = default;
DeclaredRows& DeclaredRows::operator=(DeclaredRows&&) noexcept = default;

std::optional<RowError> DeclaredRows::add(const DeclaredRowView& row) {
  return impl_->add(row);
}

void DeclaredRows::add_failure(RowError error, std::optional<std::string> encoded_key) {
  impl_->add_failure(std::move(error), std::move(encoded_key));
}

const DeclaredRowView* DeclaredRows::find(std::string_view key) const {
  const auto index = impl_->index_of(key);
  return index ? &impl_->rows[*index] : nullptr;
}

std::optional<std::size_t> DeclaredRows::index_of(std::string_view key) const {
  return impl_->index_of(key);
}

void DeclaredRows::prefetch(std::string_view key) const {
  impl_->prefetch(key);
}

const DeclaredRowView& DeclaredRows::at(std::size_t index) const {
  return impl_->rows[index];
}

std::size_t DeclaredRows::size() const {
  return impl_->rows.size();
}

bool DeclaredRows::is_withdrawn(std::size_t index) const {
  impl_->ensure_indexed();
  return impl_->index.withdrawn[index];
}

bool DeclaredRows::is_held(std::string_view key) const {
  impl_->ensure_indexed();
  const auto& held = impl_->index.held;
  return !held.empty() && held.find(std::string(key)) != held.end();
}

bool DeclaredRows::has_keyless_failures() const {
  return impl_->keyless_failures > 0;
}

bool DeclaredRows::has_failures() const {
  return impl_->failures > 0;
}

const std::vector<RowError>& DeclaredRows::errors() const {
  impl_->ensure_indexed();
  return impl_->index.errors;
}

const RowsDigest& DeclaredRows::digest() const {
  return impl_->digest;
}

namespace {

ActionKind removal_action(RemovalMode mode) {
  switch (mode) {
    case RemovalMode::trash:
      return ActionKind::trash;
    case RemovalMode::erase:
      return ActionKind::erase;
    case RemovalMode::forget:
      return ActionKind::forget;
  }
  return ActionKind::forget;
}

void count(PlanCounts& counts, ActionKind kind) {
  switch (kind) {
    case ActionKind::create:
      ++counts.create;
      break;
    case ActionKind::update:
      ++counts.update;
      break;
    case ActionKind::adopt:
      ++counts.adopt;
      break;
    case ActionKind::unchanged:
      ++counts.unchanged;
      break;
    case ActionKind::trash:
      ++counts.trash;
      break;
    case ActionKind::erase:
      ++counts.erase;
      break;
    case ActionKind::forget:
      ++counts.forget;
      break;
  }
}

// Remote items by key, in scan order; the first of several is the one kept.
using RemoteIndex = std::unordered_map<std::string_view, std::vector<const RemoteRow*>>;

}  // namespace

Plan make_plan(const PlanInput& input) {
  const DeclaredRows& declared = *input.declared;
  Plan plan;
  plan.target_name = input.target_name;
  plan.removal_mode = input.removal_mode;
  plan.row_errors = declared.errors();
  const bool removals_held = declared.has_keyless_failures();
  if (removals_held) {
    plan.removals_held_reason =
        "some rows could not be read, so rows missing from this run may only be unreadable";
  }

  RemoteIndex remote;
  if (input.remote_rows != nullptr) {
    for (const auto& row : *input.remote_rows) remote[row.key].push_back(&row);
  }
  const auto remote_match = [&](std::string_view key) -> const RemoteRow* {
    const auto found = remote.find(key);
    return found == remote.end() ? nullptr : found->second.front();
  };

  std::vector<bool> seen(declared.size(), false);
  std::vector<Action> removals;
  const auto add = [&](Action action) {
    count(plan.counts, action.kind);
    if (action.kind == ActionKind::unchanged) return;
    const bool is_removal = action.kind == ActionKind::trash || action.kind == ActionKind::erase ||
                            action.kind == ActionKind::forget;
    (is_removal ? removals : plan.actions).push_back(std::move(action));
  };

  TrackedRowsDigest tracked_digest;
  std::size_t tracked_count = 0;
  // Remote keys the store tracks, and whether the store already knows their item (a synced or
  // pending_delete row: its remote id decides, not the listing).
  std::unordered_map<std::string_view, bool> tracked_remote_keys;
  const auto classify = [&](const TrackedRowView& tracked) {
    tracked_digest.add(tracked);
    ++tracked_count;
    if (!remote.empty()) {
      if (const auto found = remote.find(tracked.key); found != remote.end()) {
        tracked_remote_keys.emplace(found->first, tracked.status != RowStatus::pending_create);
      }
    }
    if (const auto found = declared.index_of(tracked.key)) {
      const auto index = *found;
      const DeclaredRowView* row = &declared.at(index);
      seen[index] = true;
      if (tracked.status == RowStatus::synced && tracked.fingerprint == row->fingerprint) {
        count(plan.counts, ActionKind::unchanged);  // the common case: no Action to build
        return;
      }
      Action action{ActionKind::unchanged, std::string(tracked.key), std::string(tracked.remote_id),
                    index, tracked.fingerprint};
      switch (tracked.status) {
        case RowStatus::synced:
          if (tracked.fingerprint != row->fingerprint) action.kind = ActionKind::update;
          break;
        case RowStatus::pending_create:
          // An earlier create may or may not have reached the remote.
          if (const RemoteRow* match = remote_match(action.key)) {
            action.remote_id = match->remote_id;
            action.tracked_fingerprint = match->fingerprint;
            action.kind =
                match->fingerprint == row->fingerprint ? ActionKind::adopt : ActionKind::update;
            action.adopting = true;
          } else {
            action.kind = ActionKind::create;
            action.verify_remote = input.remote_rows == nullptr;
          }
          break;
        case RowStatus::pending_delete:
          action.kind = ActionKind::update;
          action.restore = true;
          break;
      }
      add(std::move(action));
      return;
    }
    if (declared.is_held(tracked.key) || removals_held) {
      ++plan.counts.held;
      return;
    }
    Action action{removal_action(input.removal_mode), std::string(tracked.key),
                  std::string(tracked.remote_id), 0, tracked.fingerprint};
    if (tracked.status == RowStatus::pending_create && action.kind != ActionKind::forget) {
      if (const RemoteRow* match = remote_match(action.key)) {
        action.remote_id = match->remote_id;
      } else if (input.remote_rows != nullptr) {
        action.kind = ActionKind::forget;  // the listing has no item: the create never happened
      } else {
        action.verify_remote = true;  // find it by key first; it may never have been created
      }
    }
    add(std::move(action));
  };
  if (input.tracked_rows != nullptr) {
    const auto& rows = *input.tracked_rows;
    constexpr std::size_t lookahead = 8;  // lookups whose slots load while one is classified
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (i + lookahead < rows.size()) declared.prefetch(rows[i + lookahead].key);
      classify(rows[i]);
    }
  } else {
    input.store->for_each_row(input.target_id,
                              [&](TrackedRow&& tracked) { classify(view_of(tracked)); });
  }
  plan.tracked_digest = tracked_digest.result();

  for (std::size_t index = 0; index < declared.size(); ++index) {
    if (seen[index] || declared.is_withdrawn(index)) continue;
    const DeclaredRowView& row = declared.at(index);
    Action action{ActionKind::create, std::string(row.key), "", index, {}};
    if (const RemoteRow* match = remote_match(row.key)) {
      action.remote_id = match->remote_id;
      action.tracked_fingerprint = match->fingerprint;
      action.kind = match->fingerprint == row.fingerprint ? ActionKind::adopt : ActionKind::update;
      action.adopting = true;
    }
    add(std::move(action));
  }

  for (const auto& [key, matches] : remote) {
    const bool is_declared = declared.find(key) != nullptr;
    const auto tracked = tracked_remote_keys.find(key);
    if (!is_declared && tracked == tracked_remote_keys.end()) {
      plan.untracked_remote_rows += matches.size();
    }
    // A key whose item the store knows keeps that item: the listing's first is not it.
    const bool item_known = tracked != tracked_remote_keys.end() && tracked->second;
    if (matches.size() > 1 && is_declared && !item_known) {
      RemoteDuplicate duplicate{std::string(key), matches.front()->remote_id, {}};
      for (std::size_t i = 1; i < matches.size(); ++i) {
        duplicate.extras.push_back(matches[i]->remote_id);
      }
      plan.remote_duplicates.push_back(std::move(duplicate));
    }
  }
  std::sort(plan.remote_duplicates.begin(), plan.remote_duplicates.end(),
            [](const auto& a, const auto& b) { return a.key < b.key; });

  RemovalCheck& check = plan.removal_check;
  check.removals = plan.counts.trash + plan.counts.erase + plan.counts.forget;
  check.tracked = tracked_count;
  check.limit = input.removal_limit.to_string();
  check.over_limit = !input.removal_limit.allows(check.removals, check.tracked, declared.size());
  check.allowed = check.over_limit && input.allow_removals;

  // Writes first, removals last: a run cut short has then added before it removed.
  std::sort(plan.actions.begin(), plan.actions.end(),
            [](const Action& a, const Action& b) { return a.declared_index < b.declared_index; });
  for (auto& removal : removals) plan.actions.push_back(std::move(removal));
  return plan;
}

std::string to_string(const Plan& plan, std::size_t max_lines) {
  const auto& c = plan.counts;
  std::string text = "target '" + plan.target_name + "': " + std::to_string(c.create) +
                     " to create, " + std::to_string(c.update) + " to update, " +
                     std::to_string(c.adopt) + " to adopt, " + std::to_string(c.unchanged) +
                     " unchanged, ";
  switch (plan.removal_mode) {
    case RemovalMode::trash:
      text += std::to_string(c.trash) + " to trash";
      break;
    case RemovalMode::erase:
      text += std::to_string(c.erase) + " to delete";
      break;
    case RemovalMode::forget:
      text += std::to_string(c.forget) + " to forget (left in place)";
      break;
  }
  if (c.held > 0) text += ", " + std::to_string(c.held) + " held";
  if (c.restore > 0) text += ", " + std::to_string(c.restore) + " to restore";
  text += "\n";
  std::size_t lines = 0;
  for (const auto& action : plan.actions) {
    if (lines++ == max_lines) {
      text += "  ... and " + std::to_string(plan.actions.size() - max_lines) + " more\n";
      break;
    }
    text += "  " + std::string(to_string(action.kind)) + " " + display_encoded_key(action.key);
    if (!action.remote_id.empty()) text += " [" + action.remote_id + "]";
    if (action.verify_remote) text += " (verify: an earlier attempt's outcome is unknown)";
    if (action.restore) text += " (restore)";
    if (action.drift) text += " (drifted in the remote)";
    text += "\n";
  }
  if (plan.drift_checked) {
    text += "  drift: " + std::to_string(plan.drift.size()) + " remote items changed by others\n";
    constexpr std::size_t shown = 5;
    for (std::size_t i = 0; i < plan.drift.size() && i < shown; ++i) {
      text += "    " + describe(plan.drift[i]) + "\n";
    }
    if (plan.drift.size() > shown) {
      text += "    ... and " + std::to_string(plan.drift.size() - shown) + " more\n";
    }
  }
  for (const auto& duplicate : plan.remote_duplicates) {
    text += "  warning: " + std::to_string(duplicate.extras.size() + 1) +
            " remote items share key " + display_encoded_key(duplicate.key) + "; tracking " +
            duplicate.kept + "\n";
  }
  if (plan.untracked_remote_rows > 0) {
    text += "  note: " + std::to_string(plan.untracked_remote_rows) +
            " remote items are not declared and not tracked; they are left alone\n";
  }
  if (!plan.removals_held_reason.empty()) {
    text += "  removals held: " + plan.removals_held_reason + "\n";
  }
  if (plan.removal_check.over_limit) {
    text += std::string(plan.removal_check.allowed ? "  removals allowed: " : "  refused: ") +
            describe_refusal(plan.target_name, plan.removal_check) + "\n";
  }
  for (const auto& error : plan.row_errors) text += "  error: " + to_string(error) + "\n";
  return text;
}

}  // namespace notionsync
