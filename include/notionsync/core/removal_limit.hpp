// RemovalLimit: how much of a target one sync may remove before it refuses to run.
//
// A source that comes back truncated (a CSV with its header alone, a query over a table someone
// emptied, an export cut off half-way) looks exactly like a source whose rows were deleted on
// purpose, and syncing it would remove every page those rows had. The engine cannot tell the two
// apart, so it refuses a sync that would remove an unusual share of a target's tracked rows,
// before anything is written, and leaves the decision to the user:
//
//   TargetSettings settings = ...;                         // from the target's driver
//   settings.removal_limit = RemovalLimit::percent(20);    // at most 20% of the tracked rows
//   settings.removal_limit = RemovalLimit::at_most(500);   // at most 500 rows per sync
//   SyncOptions options;
//   options.allow_removals = true;                         // this run only: no limit
//   SyncReport report = app.sync(options);
//   if (report.refused()) ...                              // nothing was written
//
// The standard limit refuses removing more than half of the tracked rows when that is more than
// 10 rows, and removing any row when the target declares no row at all while it tracks some.
#pragma once

#include <cstddef>
#include <string>

namespace notionsync {

class RemovalLimit {
 public:
  // The standard limit (see above).
  RemovalLimit() = default;
  static RemovalLimit standard() { return {}; }
  // More than `percent` % of the tracked rows is refused; 100 allows removing every row.
  // Throws Error(ErrorKind::invalid_argument) unless 0 <= percent <= 100.
  static RemovalLimit percent(double percent);
  // More than `rows` rows is refused.
  static RemovalLimit at_most(std::size_t rows);
  // Nothing is refused.
  static RemovalLimit unlimited();

  // True when removing `removals` of `tracked` rows stays within the limit; `declared` is how
  // many rows the target declares in this run.
  bool allows(std::size_t removals, std::size_t tracked, std::size_t declared) const;

  // What the limit refuses, in words, for messages: "more than 20%", "more than 100", "more than
  // 50% when that is more than 10, or any when no row is declared", "none".
  std::string to_string() const;

  friend bool operator==(const RemovalLimit&, const RemovalLimit&) = default;

 private:
  enum class Kind { standard, percent, count, unlimited };
  Kind kind_ = Kind::standard;
  double percent_ = 0;
  std::size_t count_ = 0;
};

}  // namespace notionsync
