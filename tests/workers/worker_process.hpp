// `notionsync worker ...` as a child process of the test: started at once, waited for or killed.
// Its output goes to files in a directory of the test's, read when the test reports a failure.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "support/process_run.hpp"

namespace notionsync::testing {

class WorkerProcess {
 public:
  // Starts NOTIONSYNC_PATH with `args`, this process's environment, and stdout/stderr written to
  // `output_prefix`.out and .err. Throws std::runtime_error when it cannot start.
  WorkerProcess(const std::vector<std::string>& args, const std::string& output_prefix)
      : out_path_(output_prefix + ".out"),
        err_path_(output_prefix + ".err"),
        process_(command(args), output_to(out_path_, err_path_)) {}

  pid_t pid() const { return process_.pid(); }

  // The exit code (128 + signal when killed), or nullopt when it is still running at `deadline`.
  std::optional<int> wait_until(std::chrono::steady_clock::time_point deadline) {
    return process_.wait_until(deadline);
  }

  int kill_now() { return process_.kill_now(); }

  std::string output() const {
    return "stdout:\n" + slurp(out_path_) + "stderr:\n" + slurp(err_path_);
  }

 private:
  static std::vector<std::string> command(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {NOTIONSYNC_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }

  std::string out_path_;
  std::string err_path_;
  BackgroundProcess process_;
};

}  // namespace notionsync::testing
