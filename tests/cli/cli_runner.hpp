// Runs the notionsync program as a child process, as a user would, and captures what it prints.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "support/process_run.hpp"

namespace notionsync::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `notionsync args...` in `directory` with `env` added to (or replacing) this process's
// environment; variables mapped to "" are removed.
inline CliResult run_cli(const std::vector<std::string>& args, const std::string& directory,
                         const std::map<std::string, std::string>& env) {
  std::vector<std::string> argv = {NOTIONSYNC_PATH};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessRun run = run_to_completion(std::move(argv), directory, env);
  return {run.exit_code, std::move(run.out), std::move(run.err)};
}

}  // namespace notionsync::testing
