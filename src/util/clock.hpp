// The one wall clock of notionsync: the times it stores (runs, claims, heartbeats, cached users
// and uploads) and compares across processes and machines.
#pragma once

#include <cstdint>

namespace notionsync::util {

// Milliseconds since the Unix epoch (system clock).
std::int64_t now_ms();

}  // namespace notionsync::util
