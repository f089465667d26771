// make_plan: the planner behind App (see plan.hpp for what a Plan says), and apply_drift, which
// folds a target's drift check into its plan.
//
// make_plan() is a pure function: it reads the state store and writes nothing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/tracked_rows.hpp"
#include "notionsync/core/plan.hpp"
#include "notionsync/core/removal_limit.hpp"
#include "notionsync/core/state_store.hpp"

namespace notionsync {

// Applies a drift check to `plan` (App, after make_plan): lists every item in plan.drift and, with
// DriftPolicy::restore, makes each drifted row that is declared an update that writes it back (an
// update the plan already has just learns that the item drifted: the declared values win, in one
// write). A row that failed or is no longer declared is left to the plan.
void apply_drift(Plan& plan, std::vector<DriftedItem> drift, DriftPolicy policy,
                 const DeclaredRows& declared);

struct PlanInput {
  std::string target_name;
  RemovalMode removal_mode = RemovalMode::trash;
  const DeclaredRows* declared = nullptr;  // REQUIRED
  StateStore* store = nullptr;             // REQUIRED
  std::int64_t target_id = 0;
  // Optional: the remote's rows. On a first run they are adopted; on a later run they settle the
  // tracked rows whose create has an unknown outcome (pending_create): found, they are adopted or
  // updated; not found, created (declared) or forgotten (no longer declared). Without them such
  // rows are planned with Action::verify_remote.
  const std::vector<RemoteRow>* remote_rows = nullptr;
  // Optional: the target's tracked rows, already read from the store. Without them the plan
  // reads them from the store.
  const TrackedRowTable* tracked_rows = nullptr;
  // How many tracked rows the plan may remove (see Plan::removal_check), and whether this run
  // allows more.
  RemovalLimit removal_limit;
  bool allow_removals = false;
};

// Computes the plan. Reads tracked rows from the store one at a time (or takes
// input.tracked_rows); writes nothing.
Plan make_plan(const PlanInput& input);

}  // namespace notionsync
