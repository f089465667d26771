// `notionsync worker ...` as a child process of the test: started at once, waited for or killed.
// Its output goes to files in a directory of the test's, read when the test reports a failure.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/process_run.hpp"

namespace notionsync::testing {

class WorkerProcess {
 public:
  // Starts NOTIONSYNC_PATH with `args`, this process's environment, and stdout/stderr written to
  // `output_prefix`.out and .err. Throws std::runtime_error when it cannot start.
  WorkerProcess(const std::vector<std::string>& args, const std::string& output_prefix)
      : out_path_(output_prefix + ".out"), err_path_(output_prefix + ".err") {
    std::vector<std::string> argv = {NOTIONSYNC_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    SpawnSettings settings;
    settings.stdout_path = out_path_;
    settings.stderr_path = err_path_;
    const int failed = spawn_redirected(argv, settings, pid_);
    if (failed != 0) throw std::runtime_error("cannot start " + argv.front());
  }
  ~WorkerProcess() {
    if (!exit_code_) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  WorkerProcess(const WorkerProcess&) = delete;
  WorkerProcess& operator=(const WorkerProcess&) = delete;

  pid_t pid() const { return pid_; }

  // The exit code (128 + signal when killed), or nullopt when it is still running at `deadline`.
  std::optional<int> wait_until(std::chrono::steady_clock::time_point deadline) {
    while (!exit_code_) {
      int status = 0;
      const pid_t done = ::waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      } else if (std::chrono::steady_clock::now() >= deadline) {
        return std::nullopt;
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
    return exit_code_;
  }

  int kill_now() {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return *exit_code_;
  }

  std::string output() const {
    return "stdout:\n" + read(out_path_) + "stderr:\n" + read(err_path_);
  }

 private:
  static std::string read(const std::string& path) {
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
  }

  std::string out_path_;
  std::string err_path_;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

}  // namespace notionsync::testing
