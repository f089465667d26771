// A test-only target: writes to an in-memory FakeRemote and records every action it receives, so
// the engine is tested without Notion. Faults can be injected per key.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "notionsync/core/target.hpp"

namespace notionsync::testing {

struct RemoteItem {
  std::string key;      // canonical key encoding
  std::string payload;  // canonical row encoding
  bool trashed = false;
};

// The "remote service": outlives apps, so successive runs see what earlier runs wrote.
class FakeRemote {
 public:
  std::string insert(std::string key, std::string payload);
  std::vector<std::string> live_ids_with_key(const std::string& key) const;
  std::size_t live_count() const;
  const RemoteItem* live_item_with_key(const std::string& key) const;

  std::map<std::string, RemoteItem> items;  // id -> item; erased items are removed
  std::size_t writes = 0;                   // every create/update/trash/erase applied

 private:
  std::size_t next_id_ = 1;
};

struct RecordedCall {
  ActionKind kind;
  std::string key;
  std::string remote_id;
  bool verify_remote = false;
  bool restore = false;
};

class RecordingTarget : public TargetDriver {
 public:
  RecordingTarget(FakeRemote& remote, TargetSettings settings);

  TargetSettings settings() const override { return settings_; }
  std::optional<std::vector<RemoteRow>> scan_remote(TargetContext& context) override;
  void apply(TargetContext& context, std::span<const Action> actions, const DeclaredRows& rows,
             ActionReporter& reporter) override;

  // Fault injection, by canonical key.
  std::set<std::string> fail_keys;             // reported failed, nothing applied
  std::set<std::string> lose_response_keys;    // applied, then reported unknown
  std::optional<std::size_t> abort_after;      // throw once this many actions were applied in all
  std::set<std::string> incomplete_once_keys;  // first write reported incomplete
  std::vector<std::string>* apply_log = nullptr;  // receives the target's name on each apply
  bool can_scan = true;
  std::vector<TargetContext::ScanPurpose> scan_purposes;  // of each scan_remote() call

  std::vector<RecordedCall> calls;  // what apply() received, in order
  std::size_t scans = 0;

 private:
  ActionOutcome apply_one(const Action& action, const DeclaredRows& rows);

  FakeRemote& remote_;
  TargetSettings settings_;
};

// Settings for a target keyed by `key_columns` with trash removal, unless told otherwise.
TargetSettings test_settings(std::vector<std::string> key_columns = {"id"},
                             RemovalMode removal_mode = RemovalMode::trash,
                             std::string schema_version = "v1");

}  // namespace notionsync::testing
