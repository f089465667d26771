// notionsync: keeps Notion databases in sync with rows from CSV, JSONL, SQLite or PostgreSQL.
// See docs/cli.md.
#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/version.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "notionsync/notion/client.hpp"

namespace {

using namespace notionsync::cli;

int run_guarded(const GlobalOptions& global, const std::function<int()>& command) {
  try {
    return command();
  } catch (const std::exception& error) {
    const Failure failure = describe_failure(error);
    if (global.json) {
      std::cout << nlohmann::json{{"ok", false},
                                  {"exit_code", failure.code},
                                  {"error", failure.message}}
                       .dump(2)
                << "\n";
    } else {
      std::cerr << "notionsync: error: " << failure.message << "\n";
    }
    return failure.code;
  }
}

}  // namespace

namespace notionsync::cli {

std::string version_line() {
  return "notionsync " + std::string(version) + " (Notion API " +
         std::string(notion::notion_api_version) + ")";
}

int run_version(const GlobalOptions& global) {
  if (global.json) {
    std::cout << nlohmann::json{{"version", version},
                                {"notion_api_version", notion::notion_api_version}}
                     .dump()
              << "\n";
  } else {
    std::cout << version_line() << "\n";
  }
  return exit_ok;
}

}  // namespace notionsync::cli

int main(int argc, char** argv) {
  CLI::App app{"notionsync: keep Notion databases in sync with the rows you declare"};
  app.require_subcommand(1);
  GlobalOptions global;
  bool quiet = false;
  bool verbose = false;
  bool no_progress = false;
  std::string color = "auto";
  app.add_option("-c,--config", global.config_path, "Config file")->capture_default_str();
  app.add_flag("--json", global.json, "Machine-readable output on stdout");
  app.add_flag("-v,--verbose", verbose, "Log retries and rate-limit pauses");
  app.add_flag("-q,--quiet", quiet, "Only results and errors");
  app.add_flag("--no-progress", no_progress, "No progress bars");
  app.add_option("--color", color, "auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  app.fallthrough();
  app.set_version_flag("-V,--version", version_line());

  std::string init_directory = ".";
  bool init_force = false;
  auto* init = app.add_subcommand("init", "Write a commented notionsync.toml and sample CSV files");
  init->add_option("directory", init_directory, "Where to write them")->capture_default_str();
  init->add_flag("--force", init_force, "Overwrite existing files");

  SyncCommandOptions sync_options;
  const std::string allow_removals_help =
      "Allow removing more pages than the targets' max_removals (a truncated source looks like "
      "deleted rows)";
  auto* plan = app.add_subcommand("plan", "Show what a sync would do; writes nothing");
  plan->add_flag("--allow-removals", sync_options.allow_removals, allow_removals_help);
  auto* sync =
      app.add_subcommand("sync", "Create, update and remove pages so Notion matches the sources");
  sync->add_flag("--prune", sync_options.prune_orphaned_targets,
                 "Forget targets no longer in the config (their pages stay)");
  sync->add_flag("--allow-removals", sync_options.allow_removals, allow_removals_help);
  app.add_subcommand("status",
                     "Apps, targets, tracked rows and the last run, from the state store");
  app.add_subcommand(
      "doctor", "Check the token, access to each page and data source, the schema and the sources");
  DemoOptions demo_options;
  auto* demo = app.add_subcommand("demo", "Sync examples/csv_people into an in-process emulator");
  demo->add_flag("--exit", demo_options.exit_at_once, "Stop at once instead of waiting for Ctrl-C");
  demo->add_option("--port", demo_options.port, "Emulator port; 0 picks a free one");
  notion_emulator::CommandLine emulator_command_line;
  auto* emulator = app.add_subcommand(
      "emulator", "Run the Notion API emulator until Ctrl-C (the notion-emulator flags)");
  notion_emulator::add_command_line_options(*emulator, emulator_command_line);
  emulator->set_version_flag(
      "-V,--version",
      "notionsync " + std::string(version) + " emulator (Notion API 2025-09-03 and 2026-03-11)");
  WorkerOptions worker_options;
  auto* worker = app.add_subcommand(
      "worker", "Claim due targets from a PostgreSQL state store and sync them, until stopped");
  worker->add_option("--state", worker_options.state, "postgresql://... (default: the configs')");
  worker->add_option("--config", worker_options.config_paths,
                     "Config files, or directories of *.toml configs");
  worker
      ->add_option("--interval", worker_options.interval_seconds,
                   "Seconds from a target's run to its next")
      ->capture_default_str();
  worker
      ->add_option("--lease", worker_options.lease_seconds,
                   "Seconds a claim lasts unless renewed (a crashed worker's expires)")
      ->capture_default_str();
  worker->add_flag("--once", worker_options.once, "Exit once no target is due");
  app.add_subcommand("version", "Print the version");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? exit_ok : exit_usage;
  }
  global.verbosity = quiet ? -1 : (verbose ? 1 : 0);
  global.progress = !no_progress;
  global.color = color == "always"  ? ColorMode::always
                 : color == "never" ? ColorMode::never
                                    : ColorMode::automatic;

  const auto* command = app.get_subcommands().front();
  const std::string name = command->get_name();
  return run_guarded(global, [&]() -> int {
    if (name == "init") return run_init(global, init_directory, init_force);
    if (name == "plan") return run_plan(global, sync_options);
    if (name == "sync") return run_sync(global, sync_options);
    if (name == "status") return run_status(global);
    if (name == "doctor") return run_doctor(global);
    if (name == "demo") return run_demo(global, demo_options);
    if (name == "worker") return run_worker(global, worker_options);
    if (name == "emulator") return run_emulator(emulator_command_line);
    return run_version(global);
  });
}
