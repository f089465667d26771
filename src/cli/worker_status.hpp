// The workers part of `notionsync status` (PostgreSQL state stores): every worker with its
// heartbeat and progress, and every target's claim.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "notionsync/postgres/worker_board.hpp"
#include "output.hpp"

namespace notionsync::cli {

struct WorkersStatus {
  std::vector<WorkerRecord> workers;
  std::vector<ClaimRecord> claims;
};

// Empty when no worker ever registered a target in the store.
std::string render_workers(const WorkersStatus& status, const Style& style);
nlohmann::json workers_json(const WorkersStatus& status);

}  // namespace notionsync::cli
