#include "output.hpp"

#include <ctime>

#include "notionsync/core/key.hpp"

namespace notionsync::cli {
namespace {

std::string paint(bool on, const char* code, const std::string& text) {
  return on ? std::string("\033[") + code + "m" + text + "\033[0m" : text;
}

std::size_t removals(const PlanCounts& counts) {
  return counts.trash + counts.erase + counts.forget;
}

nlohmann::json errors_json(const std::vector<RowError>& errors) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& error : errors) {
    list.push_back({{"origin", error.origin},
                    {"key", error.key},
                    {"column", error.column},
                    {"message", error.message}});
  }
  return list;
}

nlohmann::json calls_json(const notion::ClientStats& calls) {
  return {{"requests", calls.attempts},
          {"retries", calls.retries},
          {"rate_limit_wait_ms", calls.rate_limit_wait.count()},
          {"rate_limited", calls.rate_limited_responses},
          {"succeeded", calls.succeeded},
          {"failed", calls.failed},
          {"pauses", calls.pauses},
          {"longest_pause_ms", calls.longest_pause.count()}};
}

}  // namespace

std::string describe_removal_refusal(const std::string& target_name, const RemovalCheck& check) {
  return "target \"" + target_name + "\" would remove " + std::to_string(check.removals) +
         " of its " + std::to_string(check.tracked) +
         " tracked pages, and its removal limit (max_removals) refuses " + check.limit;
}

namespace {

// What the removal guard refused, one line per target it stopped.
std::vector<std::string> refusals(const SyncReport& report) {
  std::vector<std::string> lines;
  for (const auto& target : report.targets) {
    if (target.removal_check.stops_sync()) {
      lines.push_back(describe_removal_refusal(target.target_name, target.removal_check));
    }
  }
  return lines;
}

}  // namespace

const std::string removal_refusal_fix =
    "check that the source is complete (a truncated file or an emptied table looks like deleted "
    "rows); if these removals are intended, run `notionsync sync --allow-removals`, or set "
    "max_removals for the target (e.g. max_removals = \"100%\")";

std::string Style::bold(const std::string& text) const {
  return paint(color, "1", text);
}
std::string Style::green(const std::string& text) const {
  return paint(color, "32", text);
}
std::string Style::yellow(const std::string& text) const {
  return paint(color, "33", text);
}
std::string Style::red(const std::string& text) const {
  return paint(color, "31", text);
}
std::string Style::dim(const std::string& text) const {
  return paint(color, "2", text);
}

std::string render_table(const std::vector<std::string>& headers,
                         const std::vector<std::vector<std::string>>& rows,
                         const std::string& indent) {
  std::vector<std::size_t> widths(headers.size());
  for (std::size_t i = 0; i < headers.size(); ++i) widths[i] = headers[i].size();
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  const auto line = [&](const std::vector<std::string>& cells) {
    std::string text = indent;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      const std::string cell = i < cells.size() ? cells[i] : "";
      const std::string padding(widths[i] - std::min(widths[i], cell.size()), ' ');
      if (i > 0) text += "  ";
      text += i == 0 ? cell + padding : padding + cell;
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text + "\n";
  };
  std::string text = line(headers);
  for (const auto& row : rows) text += line(row);
  return text;
}

std::string render_plans(const std::string& app_name, const std::vector<Plan>& plans,
                         const std::vector<std::string>& orphaned, const Style& style,
                         std::size_t max_lines_per_target) {
  std::string text = style.bold("Plan for app \"" + app_name + "\"") +
                     style.dim(" (nothing has been written)") + "\n\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& plan : plans) {
    const auto& c = plan.counts;
    rows.push_back(
        {plan.target_name, std::to_string(c.create), std::to_string(c.update),
         std::to_string(c.restore),
         std::to_string(removals(c)) + " (" + std::string(to_string(plan.removal_mode)) + ")",
         std::to_string(c.unchanged), std::to_string(c.adopt),
         plan.drift_checked ? std::to_string(plan.drift.size()) : "-",
         std::to_string(plan.row_errors.size())});
  }
  text += render_table(
      {"target", "create", "update", "restore", "remove", "unchanged", "adopt", "drift", "errors"},
      rows);
  for (const auto& plan : plans) {
    if (plan.actions.empty() && plan.row_errors.empty() && plan.remote_duplicates.empty() &&
        plan.removals_held_reason.empty() && plan.notes.empty() && plan.drift.empty() &&
        !plan.removal_check.over_limit) {
      continue;
    }
    text += "\n" + style.bold(plan.target_name) + ":\n";
    for (const auto& note : plan.notes) text += "  " + style.dim("note: " + note) + "\n";
    if (!plan.drift.empty()) {
      // Pages people changed in Notion: the first few, all of them in --json.
      constexpr std::size_t shown_drift = 5;
      text += "  " + style.yellow("drift") + ": " + std::to_string(plan.drift.size()) +
              " pages changed in Notion since the last sync\n";
      for (std::size_t i = 0; i < plan.drift.size() && i < shown_drift; ++i) {
        text += "    " + describe(plan.drift[i]) + "\n";
      }
      if (plan.drift.size() > shown_drift) {
        text += "    ... and " + std::to_string(plan.drift.size() - shown_drift) + " more\n";
      }
    }
    std::size_t shown = 0;
    for (const auto& action : plan.actions) {
      if (shown++ == max_lines_per_target) {
        text +=
            "  ... and " + std::to_string(plan.actions.size() - max_lines_per_target) + " more\n";
        break;
      }
      std::string verb(to_string(action.kind));
      if (action.kind == ActionKind::create) verb = style.green(verb);
      if (action.kind == ActionKind::update) verb = style.yellow(verb);
      if (action.kind == ActionKind::trash || action.kind == ActionKind::erase) {
        verb = style.red(verb);
      }
      text += "  " + verb + " " + display_encoded_key(action.key);
      if (action.verify_remote)
        text += style.dim(" (an earlier attempt's outcome is unknown: looked up first)");
      if (action.restore) text += style.dim(" (restored)");
      if (action.drift) text += style.dim(" (changed in Notion: written back)");
      text += "\n";
    }
    for (const auto& duplicate : plan.remote_duplicates) {
      text += "  " + style.yellow("warning") + ": " + std::to_string(duplicate.extras.size() + 1) +
              " pages share key " + display_encoded_key(duplicate.key) + "\n";
    }
    if (!plan.removals_held_reason.empty()) {
      text += "  " + style.yellow("removals held") + ": " + plan.removals_held_reason + "\n";
    }
    if (plan.removal_check.stops_sync()) {
      text += "  " + style.red("sync refused") + ": " +
              describe_removal_refusal(plan.target_name, plan.removal_check) +
              "; `sync` would stop before writing anything\n  fix: " + removal_refusal_fix + "\n";
    } else if (plan.removal_check.over_limit) {
      text += "  " + style.yellow("removals allowed") + ": " +
              describe_removal_refusal(plan.target_name, plan.removal_check) +
              ", but --allow-removals allows them for this run\n";
    }
    for (const auto& error : plan.row_errors) {
      text += "  " + style.red("error") + ": " + to_string(error) + "\n";
    }
  }
  for (const auto& name : orphaned) {
    text += "\n" + style.yellow("target \"" + name + "\"") +
            " is tracked but no longer configured: its pages are left alone (`sync --prune` "
            "forgets it)\n";
  }
  return text;
}

nlohmann::json plans_json(const std::string& app_name, const std::vector<Plan>& plans,
                          const std::vector<std::string>& orphaned) {
  nlohmann::json targets = nlohmann::json::array();
  for (const auto& plan : plans) {
    const auto& c = plan.counts;
    nlohmann::json actions = nlohmann::json::array();
    for (const auto& action : plan.actions) {
      actions.push_back({{"action", to_string(action.kind)},
                         {"key", display_encoded_key(action.key)},
                         {"verify", action.verify_remote},
                         {"drift", action.drift}});
    }
    targets.push_back(
        {{"name", plan.target_name},
         {"removal", std::string(to_string(plan.removal_mode))},
         {"counts",
          {{"create", c.create},
           {"update", c.update},
           {"adopt", c.adopt},
           {"unchanged", c.unchanged},
           {"trash", c.trash},
           {"delete", c.erase},
           {"forget", c.forget},
           {"held", c.held},
           {"restore", c.restore},
           {"failed", count_rows_with_errors(plan.row_errors)}}},
         {"actions", actions},
         {"drift",
          {{"checked", plan.drift_checked}, {"pages", nlohmann::json::parse(to_json(plan.drift))}}},
         {"errors", errors_json(plan.row_errors)},
         {"notes", plan.notes},
         {"removals_held", plan.removals_held_reason},
         {"removal_check", nlohmann::json::parse(to_json(plan.removal_check))},
         {"compared_by", plan.unchanged_by_digest ? "digest" : "rows"}});
  }
  return {{"app", app_name}, {"targets", targets}, {"orphaned_targets", orphaned}};
}

std::string render_report(const SyncReport& report, const notion::ClientStats& calls,
                          const Style& style) {
  const double seconds = static_cast<double>(report.finished_at_ms - report.started_at_ms) / 1000.0;
  char duration[32];
  std::snprintf(duration, sizeof duration, "%.1f s", seconds);
  if (report.refused()) {
    std::string text =
        style.bold("Refused to sync app \"" + report.app_name + "\"") + ": nothing was written\n\n";
    for (const auto& refusal : refusals(report)) {
      text += "  " + style.red("refused") + ": " + refusal + "\n";
    }
    return text + "  fix: " + removal_refusal_fix + "\n";
  }
  std::string text = style.bold("Synced app \"" + report.app_name + "\"") + " in " + duration +
                     ": " + std::to_string(calls.attempts) + " Notion requests";
  if (calls.retries > 0 || calls.rate_limited_responses > 0) {
    text += " (" + std::to_string(calls.retries) + " retried, " +
            std::to_string(calls.rate_limited_responses) + " answered 429)";
  }
  if (calls.rate_limit_wait.count() >= 100) {
    char waited[64];
    std::snprintf(waited, sizeof waited, ", %.1f s of it pacing to Notion's rate limit",
                  static_cast<double>(calls.rate_limit_wait.count()) / 1000.0);
    text += waited;
  }
  if (calls.pauses > 0) {
    char paused[128];
    std::snprintf(paused, sizeof paused,
                  "; Notion paused every request %llu time%s (429, Retry-After), the longest for "
                  "%.1f s",
                  static_cast<unsigned long long>(calls.pauses), calls.pauses == 1 ? "" : "s",
                  static_cast<double>(calls.longest_pause.count()) / 1000.0);
    text += paused;
  }
  text += "\n\n";
  std::vector<std::vector<std::string>> rows;
  std::size_t error_count = 0;
  for (const auto& target : report.targets) {
    rows.push_back({target.target_name, std::to_string(target.created),
                    std::to_string(target.updated), std::to_string(target.restored),
                    std::to_string(target.trashed + target.erased + target.forgotten),
                    std::to_string(target.unchanged), std::to_string(target.adopted),
                    std::to_string(target.failed), std::to_string(target.errors.size())});
    error_count += target.errors.size();
  }
  text += render_table(
      {"target", "created", "updated", "restored", "removed", "unchanged", "adopted", "failed",
       "errors"},
      rows);
  bool notes_header = false;
  for (const auto& target : report.targets) {
    for (const auto& item : target.drift) {
      if (!notes_header) text += "\nNotes:\n";
      notes_header = true;
      text += "  " + target.target_name + ": changed in Notion: " + describe(item) + "\n";
    }
    for (const auto& note : target.notes) {
      if (!notes_header) text += "\nNotes:\n";
      notes_header = true;
      text += "  " + target.target_name + ": " + note + "\n";
    }
  }
  for (const auto& name : report.orphaned_targets) {
    if (!notes_header) text += "\nNotes:\n";
    notes_header = true;
    text +=
        "  target \"" + name + "\" is tracked but no longer configured; its pages are left alone\n";
  }
  if (error_count > 0) {
    text += "\n" + style.red("Errors (" + std::to_string(error_count) + ")") + ":\n";
    for (const auto& target : report.targets) {
      for (const auto& error : target.errors) {
        text += "  " + target.target_name + ": " + to_string(error) + "\n";
      }
    }
  }
  return text;
}

nlohmann::json report_json(const SyncReport& report, const notion::ClientStats& calls) {
  nlohmann::json json = nlohmann::json::parse(report.to_json());
  json["duration_ms"] = report.finished_at_ms - report.started_at_ms;
  json["notion_calls"] = calls_json(calls);
  if (report.refused()) {
    std::string message;
    for (const auto& refusal : refusals(report)) message += refusal + "\n";
    json["error"] = message + "fix: " + removal_refusal_fix;
  }
  return json;
}

std::string format_time(std::int64_t unix_ms) {
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S UTC", &utc);
  return buffer;
}

std::string render_status(const std::string& state, const std::vector<AppStatus>& apps,
                          const Style& style) {
  std::string text = style.dim("state store: " + state) + "\n";
  if (apps.empty()) return text + "no app has synced yet\n";
  for (const auto& app : apps) {
    text += "\n" + style.bold("app \"" + app.name + "\"");
    if (app.last_run) {
      text +=
          ": last run " + format_time(app.last_run->started_at_ms) + ", " +
          (app.last_run->outcome == "ok" ? style.green("ok") : style.red(app.last_run->outcome));
    }
    text += "\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& target : app.targets) {
      rows.push_back({target.name, target.kind, target.remote_id.empty() ? "-" : target.remote_id,
                      std::to_string(target.row_count),
                      target.last_synced_at_ms ? format_time(*target.last_synced_at_ms) : "never"});
    }
    text += render_table({"target", "kind", "data source", "rows", "last synced"}, rows);
  }
  return text;
}

nlohmann::json status_json(const std::string& state, const std::vector<AppStatus>& apps) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& app : apps) {
    nlohmann::json targets = nlohmann::json::array();
    for (const auto& target : app.targets) {
      targets.push_back({{"name", target.name},
                         {"kind", target.kind},
                         {"data_source_id", target.remote_id},
                         {"rows", target.row_count},
                         {"last_synced_at_ms", target.last_synced_at_ms
                                                   ? nlohmann::json(*target.last_synced_at_ms)
                                                   : nlohmann::json()}});
    }
    nlohmann::json entry = {{"name", app.name}, {"targets", targets}};
    if (app.last_run) {
      entry["last_run"] = {
          {"started_at_ms", app.last_run->started_at_ms},
          {"finished_at_ms", app.last_run->finished_at_ms},
          {"outcome", app.last_run->outcome},
          {"summary", nlohmann::json::parse(app.last_run->summary_json, nullptr, false)}};
    }
    list.push_back(std::move(entry));
  }
  return {{"state", state}, {"apps", list}};
}

}  // namespace notionsync::cli
