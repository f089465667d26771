// What the commands print: plans, sync reports and status, for people (aligned tables, optional
// colour) and for programs (--json).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "notionsync/core/app.hpp"
#include "notionsync/core/plan.hpp"
#include "notionsync/core/state_store.hpp"
#include "notionsync/notion/client.hpp"

namespace notionsync::cli {

struct Style {
  bool color = false;
  std::string bold(const std::string& text) const;
  std::string green(const std::string& text) const;
  std::string yellow(const std::string& text) const;
  std::string red(const std::string& text) const;
  std::string dim(const std::string& text) const;
};

// "target "people" would remove 4 of its 4 tracked pages, and its removal limit ...".
std::string describe_removal_refusal(const std::string& target_name, const RemovalCheck& check);
// How to allow removals the guard refused.
extern const std::string removal_refusal_fix;

// Columns of text, the first left-aligned and the others right-aligned.
std::string render_table(const std::vector<std::string>& headers,
                         const std::vector<std::vector<std::string>>& rows,
                         const std::string& indent = "  ");

// `orphaned` names targets tracked in the store but no longer configured.
std::string render_plans(const std::string& app_name, const std::vector<Plan>& plans,
                         const std::vector<std::string>& orphaned, const Style& style,
                         std::size_t max_lines_per_target = 20);
nlohmann::json plans_json(const std::string& app_name, const std::vector<Plan>& plans,
                          const std::vector<std::string>& orphaned);

// A refused report (SyncReport::refused()) says which targets the removal guard stopped and how
// to allow the removals.
std::string render_report(const SyncReport& report, const notion::ClientStats& calls,
                          const Style& style);
nlohmann::json report_json(const SyncReport& report, const notion::ClientStats& calls);

struct AppStatus {
  std::string name;
  std::vector<TargetRecord> targets;
  std::optional<RunRecord> last_run;
};
std::string render_status(const std::string& state, const std::vector<AppStatus>& apps,
                          const Style& style);
nlohmann::json status_json(const std::string& state, const std::vector<AppStatus>& apps);

// "2026-11-25 02:50:01 UTC"
std::string format_time(std::int64_t unix_ms);

}  // namespace notionsync::cli
