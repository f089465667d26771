#include "core/result_recorder.hpp"

#include "notionsync/core/key.hpp"

namespace notionsync {

ResultRecorder::ResultRecorder(StateStore& store, std::int64_t target_id,
                               const DeclaredRows& declared, TargetReport& report,
                               std::size_t batch_size,
                               std::function<void(const SyncProgress&)> on_progress,
                               std::size_t total_actions)
    : store_(store),
      target_id_(target_id),
      declared_(declared),
      report_(report),
      batch_size_(batch_size == 0 ? 1 : batch_size),
      on_progress_(std::move(on_progress)),
      total_actions_(total_actions) {}

RowError ResultRecorder::error_for(const Action& action, const ActionOutcome& outcome) const {
  const bool has_row = action.kind == ActionKind::create || action.kind == ActionKind::update;
  std::string origin = has_row ? std::string(declared_.at(action.declared_index).origin) : "";
  std::string message = std::string(to_string(action.kind)) + " failed: " + outcome.message;
  if (outcome.status == ActionOutcome::Status::unknown) {
    message = std::string(to_string(action.kind)) + " outcome unknown (" + outcome.message +
              "); it is verified on the next run";
  }
  return RowError{std::move(origin), display_encoded_key(action.key), outcome.column,
                  std::move(message)};
}

void ResultRecorder::report(const Action& action, ActionOutcome outcome) {
  std::lock_guard guard(mutex_);
  ++reported_;
  using Status = ActionOutcome::Status;
  if (outcome.status != Status::done) {
    (outcome.status == Status::failed ? report_.failed : report_.unknown) += 1;
    report_.errors.push_back(error_for(action, outcome));
    // A create that surely failed leaves nothing behind: drop its pending_create intent. Every
    // other failure keeps the tracked row as it was, so the next run tries again.
    if (outcome.status == Status::failed && action.kind == ActionKind::create) {
      pending_.push_back(RowChange::erase(action.key));
    }
  } else {
    if (!outcome.message.empty()) {
      report_.notes.push_back(display_encoded_key(action.key) + ": " + outcome.message);
    }
    switch (action.kind) {
      case ActionKind::create:
      case ActionKind::update: {
        const DeclaredRowView& row = declared_.at(action.declared_index);
        // An incomplete write gets a fingerprint no row can have, so it is rewritten by the next
        // pass (or run) instead of counting as in sync.
        const Fingerprint fingerprint = outcome.incomplete ? Fingerprint{} : row.fingerprint;
        if (outcome.incomplete) ++incomplete_;
        pending_.push_back(RowChange::upsert(TrackedRow{std::string(row.key), fingerprint,
                                                        outcome.remote_id, RowStatus::synced, 0}));
        (action.kind == ActionKind::create                 ? report_.created
         : action.adopting && outcome.wrote_nothing        ? report_.adopted
         : action.drift                                    ? report_.restored
                                                           : report_.updated) += 1;
        break;
      }
      case ActionKind::trash:
      case ActionKind::erase:
        pending_.push_back(RowChange::erase(action.key));
        (action.kind == ActionKind::trash ? report_.trashed : report_.erased) += 1;
        break;
      case ActionKind::adopt:
      case ActionKind::forget:
      case ActionKind::unchanged:
        break;  // never sent to a driver
    }
  }
  if (pending_.size() >= batch_size_) flush_locked();
  if (on_progress_) on_progress_(SyncProgress{report_.target_name, reported_, total_actions_});
}

void ResultRecorder::flush() {
  std::lock_guard guard(mutex_);
  flush_locked();
}

void ResultRecorder::flush_locked() {
  if (pending_.empty()) return;
  store_.commit(target_id_, pending_);
  pending_.clear();
}

std::size_t ResultRecorder::incomplete() const {
  std::lock_guard guard(mutex_);
  return incomplete_;
}

std::size_t ResultRecorder::reported() const {
  std::lock_guard guard(mutex_);
  return reported_;
}

}  // namespace notionsync
