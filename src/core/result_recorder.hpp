// Turns the outcomes a driver reports into tracked-row changes and report counters, committing
// them to the state store in small batches as they arrive (a crash loses at most one batch, and
// every create in it is still marked pending_create, so nothing is duplicated on the next run).
#pragma once

#include <cstddef>
#include <mutex>
#include <vector>

#include "notionsync/core/app.hpp"
#include "notionsync/core/target.hpp"

namespace notionsync {

class ResultRecorder : public ActionReporter {
 public:
  ResultRecorder(StateStore& store, std::int64_t target_id, const DeclaredRows& declared,
                 TargetReport& report, std::size_t batch_size,
                 std::function<void(const SyncProgress&)> on_progress = {},
                 std::size_t total_actions = 0);

  void report(const Action& action, ActionOutcome outcome) override;
  // Commits what is buffered. Called at the end of apply and before rethrowing an abort.
  void flush();
  std::size_t reported() const;
  std::size_t incomplete() const;  // done outcomes marked incomplete

 private:
  void flush_locked();
  RowError error_for(const Action& action, const ActionOutcome& outcome) const;

  StateStore& store_;
  std::int64_t target_id_;
  const DeclaredRows& declared_;
  TargetReport& report_;
  std::size_t batch_size_;
  std::function<void(const SyncProgress&)> on_progress_;
  std::size_t total_actions_;
  mutable std::mutex mutex_;
  std::vector<RowChange> pending_;
  std::size_t reported_ = 0;
  std::size_t incomplete_ = 0;
};

}  // namespace notionsync
