#include "notionsync/core/app.hpp"

#include <algorithm>
#include <chrono>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <span>

#include "core/make_plan.hpp"
#include "core/result_recorder.hpp"
#include "core/tracked_rows.hpp"
#include "notionsync/core/error.hpp"
#include "util/clock.hpp"

namespace notionsync {
namespace {

using util::now_ms;

bool goes_to_driver(ActionKind kind) {
  return kind == ActionKind::create || kind == ActionKind::update || kind == ActionKind::trash ||
         kind == ActionKind::erase;
}

// Before any remote call: removals become pending_delete, so a crash between the call and its
// result is noticed and finished on the next run. Adopt and forget need no remote call and are
// final here. Creates are recorded a batch at a time (create_intents).
std::vector<RowChange> intents_and_local_actions(const Plan& plan, const DeclaredRows& declared) {
  std::vector<RowChange> changes;
  for (const auto& action : plan.actions) {
    switch (action.kind) {
      case ActionKind::trash:
      case ActionKind::erase:
        changes.push_back(
            RowChange::upsert(TrackedRow{action.key, action.tracked_fingerprint, action.remote_id,
                                         RowStatus::pending_delete, 0}));
        break;
      case ActionKind::adopt: {
        const auto& row = declared.at(action.declared_index);
        changes.push_back(RowChange::upsert(TrackedRow{std::string(row.key), row.fingerprint,
                                                       action.remote_id, RowStatus::synced, 0}));
        break;
      }
      case ActionKind::forget:
        changes.push_back(RowChange::erase(action.key));
        break;
      case ActionKind::create:
      case ActionKind::update:
      case ActionKind::unchanged:
        break;
    }
  }
  return changes;
}

// Just before a batch of actions goes to the driver: its creates become pending_create, so a
// crash between a create and its result is verified on the next run instead of creating again.
// Recording them batch by batch, not all at once, leaves a run cut short with pending rows only
// for the creates it may have sent: every pending row costs the next run a verification.
std::vector<RowChange> create_intents(std::span<const Action> actions,
                                      const DeclaredRows& declared) {
  std::vector<RowChange> changes;
  for (const auto& action : actions) {
    if (action.kind != ActionKind::create) continue;
    const auto& row = declared.at(action.declared_index);
    changes.push_back(RowChange::upsert(
        TrackedRow{std::string(row.key), row.fingerprint, "", RowStatus::pending_create, 0}));
  }
  return changes;
}

// The end of the batch of `actions` that starts at `begin`: up to `max_creates` creates, with the
// other actions between them.
std::size_t batch_end(std::span<const Action> actions, std::size_t begin, std::size_t max_creates) {
  std::size_t creates = 0;
  std::size_t end = begin;
  while (end < actions.size() && creates < std::max<std::size_t>(max_creates, 1)) {
    if (actions[end++].kind == ActionKind::create) ++creates;
  }
  return end;
}

// Whether one listing of the remote verifies the plan's creates of unknown outcome in fewer calls
// than a look-up for each: a few look-ups are cheaper than listing a large remote.
bool worth_listing(const Plan& plan, const TargetSettings& settings) {
  constexpr std::size_t few_lookups = 3;
  const std::size_t per_call = settings.remote_rows_per_scan_call;
  if (per_call == 0) return false;
  const auto lookups = static_cast<std::size_t>(std::count_if(
      plan.actions.begin(), plan.actions.end(), [](const Action& a) { return a.verify_remote; }));
  // The tracked rows are what the remote is known to hold; a listing reads at least them.
  const std::size_t listing_calls = (plan.removal_check.tracked + per_call - 1) / per_call;
  return lookups > few_lookups && listing_calls < lookups;
}

nlohmann::json counts_json(const TargetReport& target) {
  return {{"created", target.created},     {"updated", target.updated},
          {"restored", target.restored},   {"drifted", target.drift.size()},
          {"adopted", target.adopted},     {"unchanged", target.unchanged},
          {"trashed", target.trashed},     {"deleted", target.erased},
          {"forgotten", target.forgotten}, {"held", target.held},
          {"failed", target.failed},       {"unknown", target.unknown},
          {"errors", target.errors.size()}};
}

}  // namespace

TargetHandle::TargetHandle(std::string name, std::unique_ptr<TargetDriver> driver)
    : name_(std::move(name)),
      driver_(std::move(driver)),
      settings_(driver_->settings()),
      fingerprint_of_(settings_.schema_version) {
  if (settings_.key_columns.empty()) {
    throw Error(ErrorKind::invalid_argument, "target '" + name_ + "' declares no key columns");
  }
}

std::optional<std::string> TargetHandle::encoded_key_of(const Row& row) const {
  try {
    std::vector<Value> parts;
    for (const auto& column : settings_.key_columns) {
      const Value* value = row.find(column);
      if (value == nullptr) return std::nullopt;
      parts.push_back(*value);
    }
    return Key(std::move(parts)).encoded();
  } catch (const Error&) {
    return std::nullopt;
  }
}

std::optional<RowError> TargetHandle::declare(const Row& row, std::string_view origin) {
  ++declared_count_;
  std::string numbered;
  if (origin.empty()) {
    numbered = "row " + std::to_string(declared_count_);
    origin = numbered;
  }
  try {
    driver_->encode_into(row, settings_, encoded_);
    if (encoded_.encoded_key.empty()) encoded_.encoded_key = encoded_.key.encoded();
    const Fingerprint fingerprint = encoded_.second_part == std::string::npos
                                        ? fingerprint_of_(encoded_.payload)
                                        : fingerprint_of_(encoded_.payload, encoded_.second_part);
    // add() copies the bytes: encoded_'s buffers serve the next row.
    return declared_.add(
        DeclaredRowView{encoded_.encoded_key, encoded_.payload, fingerprint, origin});
  } catch (const RowValueError& error) {
    return record_failure(RowError{std::string(origin), "", error.column(), error.what()}, row);
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::invalid_value) throw;
    return record_failure(RowError{std::string(origin), "", "", error.what()}, row);
  }
}

void TargetHandle::reject(RowError error, const Row& row) {
  record_failure(std::move(error), row);
}

RowError TargetHandle::record_failure(RowError error, const Row& row) {
  auto key = encoded_key_of(row);
  if (key && error.key.empty()) error.key = display_encoded_key(*key);
  declared_.add_failure(error, std::move(key));
  return error;
}

bool SyncReport::refused() const {
  return std::any_of(targets.begin(), targets.end(),
                     [](const TargetReport& target) { return target.removal_check.stops_sync(); });
}

bool SyncReport::ok() const {
  if (refused()) return false;
  for (const auto& target : targets) {
    if (target.failed > 0 || target.unknown > 0 || !target.errors.empty()) return false;
  }
  return true;
}

std::string SyncReport::to_string() const {
  std::string text;
  for (const auto& target : targets) {
    text += "target '" + target.target_name + "': " + std::to_string(target.created) +
            " created, " + std::to_string(target.updated) + " updated, " +
            std::to_string(target.adopted) + " adopted, " + std::to_string(target.unchanged) +
            " unchanged, " + std::to_string(target.trashed) + " trashed, " +
            std::to_string(target.erased) + " deleted, " + std::to_string(target.forgotten) +
            " forgotten";
    if (target.held > 0) text += ", " + std::to_string(target.held) + " held";
    if (target.failed > 0) text += ", " + std::to_string(target.failed) + " failed";
    if (target.unknown > 0) text += ", " + std::to_string(target.unknown) + " unknown";
    if (target.restored > 0) text += ", " + std::to_string(target.restored) + " restored";
    text += "\n";
    for (const auto& item : target.drift) text += "  drift: " + describe(item) + "\n";
    if (target.removal_check.stops_sync()) {
      text += "  refused: " + describe_refusal(target.target_name, target.removal_check) +
              "; nothing was written\n";
    }
    for (const auto& note : target.notes) text += "  note: " + note + "\n";
    for (const auto& error : target.errors)
      text += "  error: " + notionsync::to_string(error) + "\n";
  }
  for (const auto& name : orphaned_targets) {
    text += "target '" + name + "' is tracked but no longer declared; its rows are left alone\n";
  }
  return text;
}

std::string SyncReport::to_json() const {
  nlohmann::json json{{"app", app_name},
                      {"ok", ok()},
                      {"refused", refused()},
                      {"started_at_ms", started_at_ms},
                      {"finished_at_ms", finished_at_ms},
                      {"orphaned_targets", orphaned_targets},
                      {"targets", nlohmann::json::array()}};
  for (const auto& target : targets) {
    nlohmann::json errors = nlohmann::json::array();
    for (const auto& error : target.errors) {
      errors.push_back({{"origin", error.origin},
                        {"key", error.key},
                        {"column", error.column},
                        {"message", error.message}});
    }
    json["targets"].push_back(
        {{"name", target.target_name},
         {"counts", counts_json(target)},
         {"errors", std::move(errors)},
         {"notes", target.notes},
         {"drift", nlohmann::json::parse(notionsync::to_json(target.drift))},
         {"removal_check", nlohmann::json::parse(notionsync::to_json(target.removal_check))}});
  }
  return json.dump();
}

struct App::StorePlan {
  TargetRecord record;  // as the store has it; id 0 when the store does not track the target
  std::optional<TrackedRowTable> tracked_rows;  // when they were read ahead
  // Nothing is tracked: the plan is made once the remote's rows are read (adoption).
  bool first_run = true;
  Plan plan;  // when not a first run
};

struct App::PreparedTarget {
  TargetHandle* handle = nullptr;
  TargetRecord record;
  std::unique_ptr<TargetContext> context;
  std::optional<std::vector<RemoteRow>> remote_rows;
  Plan plan;
  // When this run's drift check started: the mark the next check starts from, stored once the
  // sync is done (nullopt: the target does not look for drift).
  std::optional<std::int64_t> drift_checked_at_ms;
};

struct App::Impl {
  std::unique_ptr<AppLock> held_lock;
  // The targets the store tracks (read by hold_lock() and read_ahead()).
  struct TrackedTarget {
    std::int64_t id = 0;
    bool has_rows_digest = false;
  };
  std::map<std::string, TrackedTarget, std::less<>> tracked_targets;
  // Background reads of tracked rows, by target name; destroyed before the lock, each waiting for
  // its read to end.
  std::map<std::string, std::future<TrackedRowTable>, std::less<>> preloads;
  // Rows read in the background, by target name; each target's first plan takes its rows, and
  // later plans (a second pass) read the store again.
  std::map<std::string, TrackedRowTable, std::less<>> preloaded;
};

App::App(std::string name, StateStore& store)
    : name_(std::move(name)), store_(store), impl_(std::make_unique<Impl>()) {
  if (name_.empty()) throw Error(ErrorKind::invalid_argument, "an app needs a name");
}

App::~App() = default;

void App::hold_lock() {
  if (impl_->held_lock) return;
  impl_->held_lock = store_.lock_app(name_);
  learn_tracked_targets();
  for (const auto& handle : targets_) start_preload(handle->name());
}

void App::learn_tracked_targets() {
  for (const auto& record : store_.targets(name_, RowCounts::skipped)) {
    impl_->tracked_targets.insert_or_assign(
        record.name, Impl::TrackedTarget{record.id, record.rows_digest.has_value()});
  }
}

void App::read_ahead(std::string_view target_name) {
  if (impl_->preloads.find(target_name) != impl_->preloads.end() ||
      impl_->preloaded.find(target_name) != impl_->preloaded.end()) {
    return;  // already read, or being read
  }
  if (impl_->tracked_targets.find(target_name) == impl_->tracked_targets.end())
    learn_tracked_targets();
  start_preload(target_name);
}

void App::start_preload(std::string_view target_name) {
  const auto found = impl_->tracked_targets.find(target_name);
  if (found == impl_->tracked_targets.end()) return;  // a new target tracks nothing yet
  // The store knows what the rows add up to: a run that declares the same rows (the common case)
  // needs none of them, and one that does not reads them when it plans.
  if (found->second.has_rows_digest) return;
  // Under the lock nothing else writes this app's rows, so what is read now is still what the
  // store holds when the target is planned (only the target's own sync changes its rows).
  impl_->preloads.emplace(found->first,
                          std::async(std::launch::async, [&store = store_, id = found->second.id] {
                            TrackedRowTable rows;
                            store.for_each_row(id, [&](TrackedRow&& row) { rows.add(row); });
                            return rows;
                          }));
}

void App::finish_preload() {
  while (!impl_->preloads.empty()) {
    auto node = impl_->preloads.extract(impl_->preloads.begin());
    impl_->preloaded.insert_or_assign(node.key(), node.mapped().get());
  }
}

TargetHandle& App::add_target(std::string name, std::unique_ptr<TargetDriver> driver) {
  if (name.empty()) throw Error(ErrorKind::invalid_argument, "a target needs a name");
  if (driver == nullptr)
    throw Error(ErrorKind::invalid_argument, "target '" + name + "' has no driver");
  for (const auto& target : targets_) {
    if (target->name() == name) {
      throw Error(ErrorKind::invalid_argument,
                  "app '" + name_ + "' already has a target '" + name + "'");
    }
  }
  targets_.push_back(std::make_unique<TargetHandle>(std::move(name), std::move(driver)));
  if (impl_->held_lock) start_preload(targets_.back()->name());
  return *targets_.back();
}

namespace {

PlanInput plan_input(const TargetHandle& handle, const TargetRecord& record, StateStore& store,
                     const std::optional<TrackedRowTable>& tracked_rows,
                     const std::optional<std::vector<RemoteRow>>& remote_rows,
                     const SyncOptions& options) {
  PlanInput input;
  input.target_name = std::string(handle.name());
  input.removal_mode = handle.settings().removal_mode;
  input.declared = &handle.declared();
  input.store = &store;
  input.target_id = record.id;
  input.remote_rows = remote_rows ? &*remote_rows : nullptr;
  input.tracked_rows = tracked_rows ? &*tracked_rows : nullptr;
  input.removal_limit = handle.settings().removal_limit;
  input.allow_removals = options.allow_removals;
  return input;
}

const TargetRecord* find_record(const std::vector<TargetRecord>& records, std::string_view name) {
  const auto found = std::find_if(records.begin(), records.end(),
                                  [&](const TargetRecord& record) { return record.name == name; });
  return found == records.end() ? nullptr : &*found;
}

}  // namespace

App::StorePlan App::plan_from_store(TargetHandle& handle, const TargetRecord* record,
                                    const SyncOptions& options) {
  StorePlan stored;
  const auto& settings = handle.settings();
  if (record != nullptr) {
    stored.record = *record;
  } else {
    stored.record.app_name = name_;
    stored.record.name = std::string(handle.name());
    stored.record.kind = settings.kind;
  }
  if (const auto found = impl_->preloaded.find(handle.name()); found != impl_->preloaded.end()) {
    stored.tracked_rows = std::move(found->second);
    impl_->preloaded.erase(found);
  }
  if (stored.record.id == 0) return stored;
  const DeclaredRows& declared = handle.declared();
  if (stored.record.rows_digest && !declared.has_failures() &&
      *stored.record.rows_digest == declared.digest()) {
    // The store holds exactly the declared rows, each synced with the fingerprint declared now
    // (the digest is forgotten by any commit that changes them), and so no two rows share a key:
    // every row is unchanged, and neither a tracked row nor a declared one needs looking up.
    stored.first_run = false;
    stored.plan.target_name = std::string(handle.name());
    stored.plan.removal_mode = settings.removal_mode;
    stored.plan.counts.unchanged = declared.size();
    stored.plan.unchanged_by_digest = true;
    stored.plan.removal_check.tracked = declared.size();
    stored.plan.removal_check.limit = settings.removal_limit.to_string();
    return stored;
  }
  stored.first_run =
      stored.tracked_rows ? stored.tracked_rows->empty() : store_.count_rows(stored.record.id) == 0;
  if (!stored.first_run) {
    stored.plan = make_plan(
        plan_input(handle, stored.record, store_, stored.tracked_rows, std::nullopt, options));
  }
  return stored;
}

App::PreparedTarget App::prepare(TargetHandle& handle, bool dry_run, StorePlan stored,
                                 const SyncOptions& options) {
  PreparedTarget prepared;
  prepared.handle = &handle;
  // A plan must not create anything, not even the target's record.
  prepared.record = dry_run ? std::move(stored.record)
                            : store_.ensure_target(name_, handle.name(), handle.settings().kind);
  prepared.context = std::make_unique<TargetContext>(
      TargetContext{name_, prepared.record, dry_run, {}, &store_, {}});
  handle.driver().prepare(*prepared.context);
  // Pages people changed since the last sync; a target's first sync has nothing to compare with
  // and only sets the mark.
  const DriftPolicy drift_policy = handle.settings().drift_policy;
  std::vector<DriftedItem> drift;
  bool drift_checked = false;
  if (drift_policy != DriftPolicy::ignore) {
    prepared.drift_checked_at_ms = now_ms();
    if (prepared.record.drift_checked_at_ms && !prepared.record.remote_id.empty()) {
      drift = handle.driver().find_drift(*prepared.context, *prepared.record.drift_checked_at_ms,
                                         handle.declared());
      drift_checked = true;
    }
  }

  if (stored.first_run) {
    if (handle.declared().size() > 0) {
      prepared.remote_rows = handle.driver().scan_remote(*prepared.context);
    }
    prepared.plan = make_plan(plan_input(handle, prepared.record, store_, stored.tracked_rows,
                                         prepared.remote_rows, options));
  } else if (!stored.plan.unchanged_by_digest && worth_listing(stored.plan, handle.settings())) {
    // Many creates of an earlier run have an unknown outcome (it was cut short): one listing of
    // the remote settles them all, where a look-up each would cost a call per row.
    prepared.context->scan_purpose = TargetContext::ScanPurpose::verify;
    prepared.remote_rows = handle.driver().scan_remote(*prepared.context);
    prepared.plan = prepared.remote_rows
                        ? make_plan(plan_input(handle, prepared.record, store_, stored.tracked_rows,
                                               prepared.remote_rows, options))
                        : std::move(stored.plan);
  } else {
    prepared.plan = std::move(stored.plan);
  }
  if (drift_checked) apply_drift(prepared.plan, std::move(drift), drift_policy, handle.declared());
  prepared.plan.notes = prepared.context->notes;
  return prepared;
}

std::vector<Plan> App::plan(const SyncOptions& options) {
  const auto ordered = targets_to_sync(options);
  finish_preload();
  const auto records = store_.targets(name_, RowCounts::skipped);
  std::vector<Plan> plans;
  for (auto* handle : ordered) {
    StorePlan stored = plan_from_store(*handle, find_record(records, handle->name()), options);
    plans.push_back(prepare(*handle, /*dry_run=*/true, std::move(stored), options).plan);
  }
  return plans;
}

std::vector<TargetHandle*> App::targets_to_sync(const SyncOptions& options) const {
  for (const auto& name : options.only_targets) {
    if (std::none_of(targets_.begin(), targets_.end(),
                     [&](const auto& handle) { return handle->name() == name; })) {
      throw Error(ErrorKind::invalid_argument,
                  "app '" + name_ + "' has no target '" + name + "' to sync");
    }
  }
  auto ordered = targets_in_dependency_order();
  if (!options.only_targets.empty()) {
    std::erase_if(ordered, [&](const TargetHandle* handle) {
      return std::find(options.only_targets.begin(), options.only_targets.end(), handle->name()) ==
             options.only_targets.end();
    });
  }
  return ordered;
}

std::vector<TargetHandle*> App::targets_in_dependency_order() const {
  std::vector<TargetHandle*> ordered;
  std::vector<TargetHandle*> remaining;
  for (const auto& handle : targets_) remaining.push_back(handle.get());
  for (const auto* handle : remaining) {
    for (const auto& dependency : handle->settings().depends_on) {
      const bool known = std::any_of(targets_.begin(), targets_.end(), [&](const auto& other) {
        return other->name() == dependency;
      });
      if (!known) {
        throw Error(ErrorKind::invalid_argument, "target '" + std::string(handle->name()) +
                                                     "' refers to target '" + dependency +
                                                     "', which app '" + name_ + "' does not have");
      }
    }
  }
  const auto placed = [&](std::string_view name) {
    return std::any_of(ordered.begin(), ordered.end(),
                       [&](const TargetHandle* done) { return done->name() == name; });
  };
  while (!remaining.empty()) {
    auto ready = std::find_if(remaining.begin(), remaining.end(), [&](const TargetHandle* handle) {
      const auto& dependencies = handle->settings().depends_on;
      return std::all_of(dependencies.begin(), dependencies.end(),
                         [&](const std::string& dependency) {
                           return dependency == handle->name() || placed(dependency);
                         });
    });
    // A cycle: take the first in declaration order; its references to later targets are written
    // once those exist (incomplete outcomes and a second pass, see sync()).
    if (ready == remaining.end()) ready = remaining.begin();
    ordered.push_back(*ready);
    remaining.erase(ready);
  }
  return ordered;
}

std::size_t App::sync_target(TargetHandle& handle, const SyncOptions& options, TargetReport& target,
                             bool first_pass, const std::vector<std::string>& applied_targets,
                             StorePlan stored) {
  PreparedTarget prepared = prepare(handle, /*dry_run=*/false, std::move(stored), options);
  prepared.context->applied_targets = applied_targets;
  const Plan& plan = prepared.plan;
  if (first_pass) {
    target.target_name = plan.target_name;
    target.planned = plan.counts;
    target.unchanged = plan.counts.unchanged;
    target.held = plan.counts.held;
    target.errors = plan.row_errors;
    target.failed = count_rows_with_errors(plan.row_errors);
    target.removal_check = plan.removal_check;
    for (const auto& duplicate : plan.remote_duplicates) {
      target.notes.push_back(std::to_string(duplicate.extras.size() + 1) +
                             " remote items share key " + display_encoded_key(duplicate.key) +
                             "; tracking " + duplicate.kept);
    }
    if (!plan.removals_held_reason.empty()) {
      target.notes.push_back("removals held: " + plan.removals_held_reason);
    }
    target.drift = plan.drift;
  }
  target.adopted += plan.counts.adopt;
  target.forgotten += plan.counts.forget;

  const DeclaredRows& declared = handle.declared();
  if (const auto changes = intents_and_local_actions(plan, declared); !changes.empty()) {
    store_.commit(prepared.record.id, changes);
  }

  std::vector<Action> driver_actions;
  for (const auto& action : plan.actions) {
    if (goes_to_driver(action.kind)) driver_actions.push_back(action);
  }
  ResultRecorder recorder(store_, prepared.record.id, declared, target, options.commit_batch_size,
                          options.on_progress, driver_actions.size());
  if (options.on_progress) {
    options.on_progress(SyncProgress{target.target_name, 0, driver_actions.size()});
  }
  const auto keep_notes = [&] {
    for (auto& note : prepared.context->notes) target.notes.push_back(std::move(note));
    prepared.context->notes.clear();
  };
  const std::span<const Action> all_actions(driver_actions);
  for (std::size_t begin = 0; begin < all_actions.size();) {
    const std::size_t end = batch_end(all_actions, begin, options.create_batch_size);
    const auto batch = all_actions.subspan(begin, end - begin);
    try {
      if (const auto intents = create_intents(batch, declared); !intents.empty()) {
        store_.commit(prepared.record.id, intents);
      }
      handle.driver().apply(*prepared.context, batch, declared, recorder);
    } catch (...) {
      recorder.flush();  // keep what was done before the abort
      keep_notes();
      throw;
    }
    begin = end;
  }
  recorder.flush();
  keep_notes();
  if (recorder.reported() != driver_actions.size()) {
    throw Error(ErrorKind::internal, "target '" + plan.target_name + "' reported " +
                                         std::to_string(recorder.reported()) + " outcomes for " +
                                         std::to_string(driver_actions.size()) + " actions");
  }
  remember_rows_digest(prepared);
  prepared.record.schema_fingerprint = fingerprint_of("", handle.settings().schema_version);
  prepared.record.last_synced_at_ms = now_ms();
  // Only a sync that went through moves the drift mark: after a crash or an abort, the next run
  // asks again for everything changed since the previous mark.
  if (prepared.drift_checked_at_ms)
    prepared.record.drift_checked_at_ms = prepared.drift_checked_at_ms;
  store_.update_target(prepared.record);
  return recorder.incomplete();
}

void App::remember_rows_digest(const PreparedTarget& prepared) {
  const Plan& plan = prepared.plan;
  const std::int64_t target_id = prepared.record.id;
  if (plan.actions.empty()) {
    // Nothing was committed: the rows the plan read are the rows the store holds.
    if (plan.tracked_digest && plan.tracked_digest != prepared.record.rows_digest) {
      store_.record_rows_digest(target_id, *plan.tracked_digest);
    }
    return;
  }
  // This sync changed rows (and so forgot their digest): read back what it left. Under the lock
  // only this sync writes them, and its commits are all done. One read of the rows, after a run
  // that wrote to the remote anyway, spares the next run that declares the same rows from
  // reading any.
  TrackedRowsDigest digest;
  store_.for_each_row(target_id, [&](TrackedRow&& row) { digest.add(view_of(row)); });
  if (const auto result = digest.result()) store_.record_rows_digest(target_id, *result);
}

std::vector<std::string> App::orphaned_targets() {
  finish_preload();
  std::vector<std::string> names;
  for (const auto& record : store_.targets(name_, RowCounts::skipped)) {
    const bool declared = std::any_of(targets_.begin(), targets_.end(), [&](const auto& handle) {
      return handle->name() == record.name;
    });
    if (!declared) names.push_back(record.name);
  }
  return names;
}

SyncReport App::sync(const SyncOptions& options) {
  const auto ordered = targets_to_sync(options);
  finish_preload();
  const std::unique_ptr<AppLock> lock =
      options.take_app_lock && impl_->held_lock == nullptr ? store_.lock_app(name_) : nullptr;
  SyncReport report;
  report.app_name = name_;
  report.started_at_ms = now_ms();
  report.orphaned_targets = orphaned_targets();

  const auto record_run = [&](std::string outcome) {
    report.finished_at_ms = now_ms();
    store_.record_run(RunRecord{name_, report.started_at_ms, report.finished_at_ms,
                                std::move(outcome), report.to_json()});
  };

  try {
    // Every target is planned from the store before anything is written, so the removal guard
    // can still refuse the whole sync: a truncated source must not remove pages, and a partial
    // sync of related targets would be one more thing to undo.
    report.targets.resize(ordered.size());
    std::vector<StorePlan> stored;
    {
      const auto records = store_.targets(name_, RowCounts::skipped);
      for (auto* handle : ordered) {
        stored.push_back(plan_from_store(*handle, find_record(records, handle->name()), options));
      }
    }
    if (std::any_of(stored.begin(), stored.end(), [](const StorePlan& target) {
          return target.plan.removal_check.stops_sync();
        })) {
      for (std::size_t i = 0; i < ordered.size(); ++i) {
        TargetReport& target = report.targets[i];
        const Plan& plan = stored[i].plan;
        target.target_name = std::string(ordered[i]->name());
        target.planned = plan.counts;
        target.held = plan.counts.held;
        target.errors = plan.row_errors;
        target.failed = count_rows_with_errors(plan.row_errors);
        target.removal_check = plan.removal_check;
      }
      record_run("refused");
      return report;
    }

    if (options.prune_orphaned_targets) {
      for (const auto& record : store_.targets(name_, RowCounts::skipped)) {
        if (std::find(report.orphaned_targets.begin(), report.orphaned_targets.end(),
                      record.name) != report.orphaned_targets.end()) {
          store_.drop_target(record.id);
        }
      }
    }

    std::vector<std::size_t> needs_second_pass;
    std::vector<std::string> applied;
    for (std::size_t i = 0; i < ordered.size(); ++i) {
      if (sync_target(*ordered[i], options, report.targets[i], /*first_pass=*/true, applied,
                      std::move(stored[i])) > 0) {
        needs_second_pass.push_back(i);
      }
      applied.emplace_back(ordered[i]->name());
    }
    // Rows written without references to rows created later in this run (a cycle of targets)
    // are rewritten now that every target has its rows: create, then patch.
    for (const std::size_t i : needs_second_pass) {
      const auto records = store_.targets(name_, RowCounts::skipped);
      StorePlan again =
          plan_from_store(*ordered[i], find_record(records, ordered[i]->name()), options);
      const std::size_t still_incomplete = sync_target(
          *ordered[i], options, report.targets[i], /*first_pass=*/false, applied, std::move(again));
      if (still_incomplete > 0) {
        report.targets[i].notes.push_back(std::to_string(still_incomplete) +
                                          " rows still refer to rows that do not exist yet");
      }
    }
  } catch (const Error&) {
    try {
      record_run("aborted");
    } catch (const Error&) {
      // The store is failing too; the error that aborted the sync is the one worth reporting.
    }
    throw;
  }
  record_run(report.ok() ? "ok" : "rows_failed");
  return report;
}

}  // namespace notionsync
