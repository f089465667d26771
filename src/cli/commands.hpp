// The notionsync commands. Each returns the process exit code (see exit_codes.hpp) and writes
// its results to stdout, progress and diagnostics to stderr.
#pragma once

#include <notion_emulator/command_line.hpp>
#include <string>
#include <vector>

namespace notionsync::cli {

enum class ColorMode { automatic, always, never };

struct GlobalOptions {
  std::string config_path = "notionsync.toml";
  bool json = false;
  int verbosity = 0;  // -1 quiet, 0 normal, 1 verbose
  bool progress = true;
  ColorMode color = ColorMode::automatic;
};

// The flags of `sync` (and of `plan`, which shows what `sync` would do with them).
struct SyncCommandOptions {
  bool prune_orphaned_targets = false;
  bool allow_removals = false;  // lift the targets' removal limits for this run
};

struct WorkerOptions {
  std::string state;                      // empty: the configs' state (all the same)
  std::vector<std::string> config_paths;  // files or directories of *.toml; empty: --config
  double interval_seconds = 300;          // from the end of a target's run to its next
  double lease_seconds = 60;              // a claim not renewed for this long expires
  bool once = false;                      // exit once no target is due
};

struct DemoOptions {
  bool exit_at_once = false;  // else, in a terminal, keep the emulator up until Ctrl-C
  int port = 0;
};

int run_init(const GlobalOptions& global, const std::string& directory, bool force);
int run_plan(const GlobalOptions& global, const SyncCommandOptions& options);
int run_sync(const GlobalOptions& global, const SyncCommandOptions& options);
int run_status(const GlobalOptions& global);
int run_doctor(const GlobalOptions& global);
int run_demo(const GlobalOptions& global, const DemoOptions& options);
// Claims due targets and syncs them until SIGINT/SIGTERM (or, with --once, none is due).
int run_worker(const GlobalOptions& global, const WorkerOptions& options);
// Serves until SIGINT or SIGTERM; call before any other thread starts (see command_line.hpp).
int run_emulator(const notion_emulator::CommandLine& command_line);
int run_version(const GlobalOptions& global);
// "notionsync 0.1.0 (Notion API 2025-09-03)": `version`, --version and -V print it.
std::string version_line();

}  // namespace notionsync::cli
