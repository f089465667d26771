#include "support/recording_target.hpp"

namespace notionsync::testing {

std::string FakeRemote::insert(std::string key, std::string payload) {
  std::string id = "item-" + std::to_string(next_id_++);
  items[id] = RemoteItem{std::move(key), std::move(payload), false};
  ++writes;
  return id;
}

std::vector<std::string> FakeRemote::live_ids_with_key(const std::string& key) const {
  std::vector<std::string> ids;
  for (const auto& [id, item] : items) {
    if (!item.trashed && item.key == key) ids.push_back(id);
  }
  return ids;
}

std::size_t FakeRemote::live_count() const {
  std::size_t count = 0;
  for (const auto& [id, item] : items) count += item.trashed ? 0 : 1;
  return count;
}

const RemoteItem* FakeRemote::live_item_with_key(const std::string& key) const {
  for (const auto& [id, item] : items) {
    if (!item.trashed && item.key == key) return &item;
  }
  return nullptr;
}

RecordingTarget::RecordingTarget(FakeRemote& remote, TargetSettings settings)
    : remote_(remote), settings_(std::move(settings)) {}

std::optional<std::vector<RemoteRow>> RecordingTarget::scan_remote(TargetContext& context) {
  if (!can_scan) return std::nullopt;
  ++scans;
  scan_purposes.push_back(context.scan_purpose);
  std::vector<RemoteRow> rows;
  for (const auto& [id, item] : remote_.items) {
    if (item.trashed) continue;
    rows.push_back(RemoteRow{item.key, id, fingerprint_of(item.payload, settings_.schema_version)});
  }
  return rows;
}

ActionOutcome RecordingTarget::apply_one(const Action& action, const DeclaredRows& rows) {
  std::string id = action.remote_id;
  std::string note;
  if (action.verify_remote && id.empty()) {
    const auto found = remote_.live_ids_with_key(action.key);
    if (!found.empty()) {
      id = found.front();
      note = "found after an earlier attempt with an unknown outcome";
    }
  }
  switch (action.kind) {
    case ActionKind::create:
    case ActionKind::update: {
      const auto& row = rows.at(action.declared_index);
      auto item = remote_.items.find(id);
      if (item != remote_.items.end() && item->second.trashed && !action.restore &&
          action.kind == ActionKind::update) {
        item = remote_.items.end();
        note = "re-created: it had been trashed";
      }
      if (item == remote_.items.end()) {
        if (action.kind == ActionKind::update && note.empty()) note = "re-created: it was gone";
        return ActionOutcome::done(remote_.insert(std::string(row.key), std::string(row.payload)),
                                   note);
      }
      item->second.payload = row.payload;
      item->second.trashed = false;
      ++remote_.writes;
      return ActionOutcome::done(id, note);
    }
    case ActionKind::trash:
    case ActionKind::erase: {
      const auto item = remote_.items.find(id);
      if (item == remote_.items.end()) return ActionOutcome::done(id, "already gone");
      if (action.kind == ActionKind::trash) {
        item->second.trashed = true;
      } else {
        remote_.items.erase(item);
      }
      ++remote_.writes;
      return ActionOutcome::done(id);
    }
    default:
      return ActionOutcome::failed("the engine sent an action that needs no remote call");
  }
}

void RecordingTarget::apply(TargetContext& context, std::span<const Action> actions,
                            const DeclaredRows& rows, ActionReporter& reporter) {
  if (apply_log != nullptr) apply_log->push_back(context.record.name);
  for (const auto& action : actions) {
    if (abort_after && calls.size() == *abort_after) {
      throw Error(ErrorKind::remote, "injected abort");
    }
    calls.push_back(RecordedCall{action.kind, action.key, action.remote_id, action.verify_remote,
                                 action.restore});
    if (fail_keys.contains(action.key)) {
      reporter.report(action, ActionOutcome::failed("injected failure", "name"));
      continue;
    }
    ActionOutcome outcome = apply_one(action, rows);
    if (lose_response_keys.contains(action.key)) {
      outcome = ActionOutcome::unknown("injected lost response");
    }
    if (incomplete_once_keys.erase(action.key) > 0) outcome.incomplete = true;
    reporter.report(action, std::move(outcome));
  }
}

TargetSettings test_settings(std::vector<std::string> key_columns, RemovalMode removal_mode,
                             std::string schema_version) {
  TargetSettings settings;
  settings.kind = "test";
  settings.key_columns = std::move(key_columns);
  settings.schema_version = std::move(schema_version);
  settings.removal_mode = removal_mode;
  return settings;
}

}  // namespace notionsync::testing
