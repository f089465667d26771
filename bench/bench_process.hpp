// Runs a program to completion for the benchmarks (the notionsync CLI, node), with extra
// environment variables, its output captured in files, and its wall time measured: the tests'
// child-process runner.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "support/process_run.hpp"

namespace notionsync::bench {

using ProcessResult = testing::ProcessRun;

// Runs `args` (args[0] is the program's path, or a name looked up in PATH) in `directory`.
inline ProcessResult run_process(const std::vector<std::string>& args, const std::string& directory,
                                 const std::map<std::string, std::string>& env) {
  return testing::run_to_completion(args, directory, env);
}

}  // namespace notionsync::bench
