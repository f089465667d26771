#include "worker_status.hpp"

#include <cstdio>

namespace notionsync::cli {
namespace {

// "3.2 s", "4 min", "2 h"
std::string format_age(std::int64_t age_ms) {
  char text[32];
  if (age_ms < 60'000) {
    std::snprintf(text, sizeof text, "%.1f s",
                  static_cast<double>(std::max<std::int64_t>(age_ms, 0)) / 1000.0);
  } else if (age_ms < 3'600'000) {
    std::snprintf(text, sizeof text, "%lld min", static_cast<long long>(age_ms / 60'000));
  } else {
    std::snprintf(text, sizeof text, "%lld h", static_cast<long long>(age_ms / 3'600'000));
  }
  return text;
}

std::string current_of(const WorkerRecord& worker) {
  if (worker.current_target.empty()) return "idle";
  return worker.current_app + "/" + worker.current_target;
}

std::string progress_of(const WorkerRecord& worker) {
  if (worker.current_target.empty()) return "-";
  return std::to_string(worker.progress_done) + "/" + std::to_string(worker.progress_total);
}

}  // namespace

std::string render_workers(const WorkersStatus& status, const Style& style) {
  if (status.claims.empty() && status.workers.empty()) return {};
  std::string text = "\n" + style.bold("workers") + "\n";
  if (status.workers.empty()) {
    text += "  none running\n";
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto& worker : status.workers) {
      rows.push_back({worker.hostname, std::to_string(worker.pid),
                      format_age(worker.heartbeat_age_ms) + " ago", current_of(worker),
                      progress_of(worker)});
    }
    text += render_table({"host", "pid", "heartbeat", "current target", "progress"}, rows);
  }
  text += "\n" + style.bold("claims") + "\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& claim : status.claims) {
    rows.push_back({claim.app_name + "/" + claim.target_name,
                    claim.claimed_by.empty() ? "-" : claim.claimed_by,
                    claim.last_finished_at_ms ? format_time(claim.last_finished_at_ms) : "never",
                    claim.last_outcome.empty() ? "-" : claim.last_outcome,
                    format_time(claim.due_at_ms)});
  }
  text += render_table({"target", "claimed by", "last run", "outcome", "due"}, rows);
  return text;
}

nlohmann::json workers_json(const WorkersStatus& status) {
  nlohmann::json workers = nlohmann::json::array();
  for (const auto& worker : status.workers) {
    workers.push_back({{"id", worker.id},
                       {"host", worker.hostname},
                       {"pid", worker.pid},
                       {"started_at_ms", worker.started_at_ms},
                       {"heartbeat_at_ms", worker.heartbeat_at_ms},
                       {"heartbeat_age_ms", worker.heartbeat_age_ms},
                       {"current_app", worker.current_app},
                       {"current_target", worker.current_target},
                       {"progress_done", worker.progress_done},
                       {"progress_total", worker.progress_total}});
  }
  nlohmann::json claims = nlohmann::json::array();
  for (const auto& claim : status.claims) {
    const auto optional_ms = [](std::int64_t ms) {
      return ms ? nlohmann::json(ms) : nlohmann::json();
    };
    claims.push_back({{"app", claim.app_name},
                      {"target", claim.target_name},
                      {"due_at_ms", claim.due_at_ms},
                      {"interval_ms", claim.interval_ms},
                      {"claimed_by", claim.claimed_by.empty() ? nlohmann::json()
                                                              : nlohmann::json(claim.claimed_by)},
                      {"claim_expires_at_ms", optional_ms(claim.claim_expires_at_ms)},
                      {"last_started_at_ms", optional_ms(claim.last_started_at_ms)},
                      {"last_finished_at_ms", optional_ms(claim.last_finished_at_ms)},
                      {"last_outcome", claim.last_outcome},
                      {"last_worker", claim.last_worker}});
  }
  return {{"workers", workers}, {"claims", claims}};
}

}  // namespace notionsync::cli
