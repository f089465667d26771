// notionsync plan / sync.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <vector>

#include "cli_support.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "output.hpp"
#include "progress.hpp"
#include "session.hpp"
#if NOTIONSYNC_WITH_POSTGRES
#include "notionsync/postgres/state_store.hpp"
#endif

namespace notionsync::cli {

int run_plan(const GlobalOptions& global, const SyncCommandOptions& options) {
  SessionOptions opening = session_options(global);
  opening.store_opening = StoreOpening::existing_only;  // a plan writes nothing, nor creates
  Session session(load_config(global.config_path), std::move(opening));
  session.declare_all();
  SyncOptions plan_options;
  plan_options.allow_removals = options.allow_removals;
  const auto plans = session.app().plan(plan_options);
  const auto orphaned = session.app().orphaned_targets();
  if (global.json) {
    std::cout << plans_json(session.config().app_name, plans, orphaned).dump(2) << "\n";
  } else {
    std::cout << render_plans(session.config().app_name, plans, orphaned, stdout_style(global));
  }
  // The code `sync` would exit with: refused first, as it would write nothing at all.
  if (std::any_of(plans.begin(), plans.end(),
                  [](const Plan& plan) { return plan.removal_check.stops_sync(); })) {
    return exit_refused;
  }
  for (const auto& plan : plans) {
    if (!plan.row_errors.empty()) return exit_rows_failed;
  }
  return exit_ok;
}

int run_sync(const GlobalOptions& global, const SyncCommandOptions& options) {
  Session session(load_config(global.config_path), session_options(global));
  const SyncReport report = sync_session(session, global, options);
  if (global.json) {
    std::cout << report_json(report, session.client().stats()).dump(2) << "\n";
  } else {
    std::cout << render_report(report, session.client().stats(), stdout_style(global));
  }
  if (report.refused()) return exit_refused;
  return report.ok() ? exit_ok : exit_rows_failed;
}

SyncReport sync_session(Session& session, const GlobalOptions& global,
                        const SyncCommandOptions& options) {
  // Locked before the sources are read: a second sync of the app stops at once, and the tracked
  // rows are read while the rows are declared.
  session.app().hold_lock();
  // Workers lock targets, not the app: on a store they share, hold each target too, so a worker
  // never reconciles a target at the same time as this sync.
#if NOTIONSYNC_WITH_POSTGRES
  std::vector<std::unique_ptr<TargetLock>> target_locks;
  if (auto* shared = dynamic_cast<PostgresStateStore*>(&session.store())) {
    for (const auto& target : session.config().targets) {
      target_locks.push_back(shared->lock_target(session.config().app_name, target.name));
    }
  }
#endif
  session.declare_all();
  std::cout.flush();  // what was printed so far comes before the progress lines on stderr
  SyncOptions sync_options;
  sync_options.prune_orphaned_targets = options.prune_orphaned_targets;
  sync_options.allow_removals = options.allow_removals;
  std::unique_ptr<ProgressDisplay> progress;
  if (global.progress && !global.json && global.verbosity >= 0) {
    progress =
        std::make_unique<ProgressDisplay>(stderr, isatty(STDERR_FILENO) == 1, session.client());
    sync_options.on_progress = [&](const SyncProgress& update) { progress->update(update); };
    session.on_pause([&](std::chrono::milliseconds pause) { progress->paused(pause); });
  }
  // The pauses stop reaching the display before it goes, whatever ends the sync.
  struct StopPauses {
    Session& session;
    ~StopPauses() { session.on_pause({}); }
  } stop_pauses{session};
  SyncReport report = session.app().sync(sync_options);
  if (progress) progress->finish();
  return report;
}

}  // namespace notionsync::cli
