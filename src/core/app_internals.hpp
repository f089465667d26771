// AppInternals: what the engine's own callers (the front door, the worker command, the tests) do
// with an App beyond its public interface: take its lock early and read tracked rows ahead.
#pragma once

#include <string_view>

#include "notionsync/core/app.hpp"

namespace notionsync {

class AppInternals {
 public:
  // Takes the app's lock in the store now and holds it until the App is destroyed; sync() then
  // does not take it again. While it is held, the rows the store tracks for each target (added
  // before or after this call) are read in the background, so reading them overlaps with
  // declaring rows: lock, add targets and declare, then sync, and a large sync with few changes
  // costs little more than producing its rows. A second call keeps the lock it holds.
  // Throws Error(ErrorKind::state_store_locked) when another process holds the lock.
  static void hold_lock(App& app) { app.hold_lock(); }

  // Starts reading one target's tracked rows in the background for its first plan, as
  // hold_lock() does for every target. For a caller that keeps other writers out of that target's
  // rows by other means than the app lock: a worker holds the target's own lock. Call it before
  // declaring the target's rows; a target the store does not track yet has nothing to read.
  static void read_ahead(App& app, std::string_view target_name) { app.read_ahead(target_name); }
};

}  // namespace notionsync
