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
#include "open_sync.hpp"

namespace notionsync::cli {

int run_plan(const GlobalOptions& global, const SyncCommandOptions& options) {
  const Config config = load_config(global.config_path);
  OpenSyncOptions opening = open_sync_options(global);
  opening.create_state = false;  // a plan writes nothing, nor creates
  const auto sync = open_sync(config, opening);
  declare_targets(*sync, config);
  RunOptions plan_options;
  plan_options.allow_removals = options.allow_removals;
  const auto plans = sync->plan(plan_options);
  const auto orphaned = sync->undeclared_databases();
  if (global.json) {
    std::cout << plans_json(config.app_name, plans, orphaned).dump(2) << "\n";
  } else {
    std::cout << render_plans(config.app_name, plans, orphaned, stdout_style(global));
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
  notion::ClientStats stats;
  const SyncReport report = sync_config(load_config(global.config_path), global, options, stats);
  if (global.json) {
    std::cout << report_json(report, stats).dump(2) << "\n";
  } else {
    std::cout << render_report(report, stats, stdout_style(global));
  }
  if (report.refused()) return exit_refused;
  return report.ok() ? exit_ok : exit_rows_failed;
}

SyncReport sync_config(const Config& config, const GlobalOptions& global,
                       const SyncCommandOptions& options, notion::ClientStats& stats) {
  PauseRelay pauses;
  const auto sync = open_sync(config, open_sync_options(global, &pauses));
  // The Sync locks the app (and on a shared store each target, which workers lock) as the first
  // database is added: a second sync of the app stops before any source is read, and the tracked
  // rows are read while the rows are declared.
  declare_targets(*sync, config);
  std::cout.flush();  // what was printed so far comes before the progress lines on stderr
  RunOptions run_options;
  run_options.forget_undeclared_databases = options.prune_orphaned_targets;
  run_options.allow_removals = options.allow_removals;
  std::unique_ptr<ProgressDisplay> progress;
  if (global.progress && !global.json && global.verbosity >= 0) {
    progress =
        std::make_unique<ProgressDisplay>(stderr, isatty(STDERR_FILENO) == 1, sync->client());
    run_options.on_progress = [&](const SyncProgress& update) { progress->update(update); };
    pauses.listen([&](std::chrono::milliseconds pause) { progress->paused(pause); });
  }
  // The pauses stop reaching the display before it goes, whatever ends the sync.
  struct StopPauses {
    PauseRelay& pauses;
    ~StopPauses() { pauses.listen({}); }
  } stop_pauses{pauses};
  SyncReport report = sync->run(run_options);
  if (progress) progress->finish();
  stats = sync->client().stats();
  return report;
}

}  // namespace notionsync::cli
