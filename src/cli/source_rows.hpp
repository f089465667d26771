// Reads a target's source and declares its rows: each value converted to its property's type,
// each problem reported as a row error with the file, line, column and reason.
#pragma once

#include <cstddef>

#include "config.hpp"
#include "notionsync/core/app.hpp"
#include "notionsync/sync.hpp"

namespace notionsync::cli {

struct DeclareStats {
  std::size_t read = 0;  // records read from the source
};

// Opens the target's source, checks that every bound column exists (throws ConfigError naming the
// unknown columns otherwise), then declares every record on `rows`: a Database<Row> of a Sync,
// or a TargetHandle (doctor's scratch app, workers).
template <typename Rows>
DeclareStats declare_source_rows(const TargetConfig& target, Rows& rows);

}  // namespace notionsync::cli
