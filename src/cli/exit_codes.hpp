// Exit codes of the notionsync command (docs/cli.md), and how errors map onto them.
#pragma once

#include <exception>
#include <string>

namespace notionsync::cli {

enum ExitCode : int {
  exit_ok = 0,
  exit_rows_failed = 1,   // the sync ran but some rows failed (or a run-time failure)
  exit_usage = 2,         // bad command line, config, schema mismatch, missing token
  exit_access = 3,        // Notion refused the token, or a page/database is not shared
  exit_store_locked = 4,  // another process is syncing the same app
  exit_refused = 5,       // the removal guard stopped the sync: nothing was written
};

// The exit code for an error that stopped a command, and the message to print (with the fix
// where one is known).
struct Failure {
  int code = exit_rows_failed;
  std::string message;
};
Failure describe_failure(const std::exception& error);

}  // namespace notionsync::cli
