// The one way the tests and benchmarks start programs: run to completion as a user would (its own
// working directory, this process's environment with some variables added or removed, stdin from
// /dev/null, what it prints captured through files), or started in the background and then
// waited for, signalled or killed (BackgroundProcess); and a forked copy of the test process
// running a test body (ForkedChild).
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace notionsync::testing {

inline std::string slurp(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// This process's environment with `env` added (or replacing); variables mapped to "" are removed.
// As NAME=VALUE strings, ready for execve.
inline std::vector<std::string> merged_environment(const std::map<std::string, std::string>& env) {
  std::map<std::string, std::string> variables;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text = *entry;
    const auto equals = text.find('=');
    variables[text.substr(0, equals)] = text.substr(equals + 1);
  }
  for (const auto& [name, value] : env) {
    if (value.empty()) {
      variables.erase(name);
    } else {
      variables[name] = value;
    }
  }
  std::vector<std::string> strings;
  for (const auto& [name, value] : variables) strings.push_back(name + "=" + value);
  return strings;
}

struct ProcessRun {
  int exit_code = -1;  // 128 + the signal when killed; -1 when it could not start
  double seconds = 0;  // wall time from start to exit
  std::string out;
  std::string err;
};

// The exit code of a waitpid status: 128 + the signal when it was killed.
inline int exit_code_of(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// How spawn_redirected() starts a child.
struct SpawnSettings {
  std::string stdout_path;        // empty: this process's stdout
  std::string stderr_path;        // empty: this process's stderr
  bool stderr_to_stdout = false;  // stderr where stdout goes
  int stdout_fd = -1;             // when not -1: stdout into this descriptor (a pipe), not a file
  std::string directory;          // empty: this process's
  const std::vector<std::string>* environment = nullptr;  // NAME=VALUE; null: this process's
  bool own_process_group = false;                         // so the group can be killed as a whole
  // Runs in the child just before exec, for what posix_spawn cannot do (resource limits, another
  // user). Only async-signal-safe calls: the test process has other threads. When set, the child
  // is started with fork and exec, and a program that cannot be executed exits with 127.
  std::function<void()> in_child;
};

// Settings that write stdout to `stdout_path` and stderr to `stderr_path`, or with stdout when
// `stderr_path` is empty.
inline SpawnSettings output_to(const std::string& stdout_path,
                               const std::string& stderr_path = "") {
  SpawnSettings settings;
  settings.stdout_path = stdout_path;
  settings.stderr_path = stderr_path;
  settings.stderr_to_stdout = stderr_path.empty();
  return settings;
}

namespace detail {

// spawn_redirected() for settings that need fork and exec.
inline int fork_and_exec(std::vector<std::string>& argv, const SpawnSettings& settings,
                         pid_t& pid) {
  // Everything the child needs is made before fork: after it, only async-signal-safe calls.
  std::vector<char*> args;
  for (auto& arg : argv) args.push_back(arg.data());
  args.push_back(nullptr);
  std::vector<std::string> env_strings =
      settings.environment != nullptr ? *settings.environment : std::vector<std::string>{};
  std::vector<char*> envp;
  for (auto& entry : env_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);
  const auto open_output = [](const std::string& path) {
    return path.empty() ? -1 : ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  };
  const int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const int out = settings.stdout_fd != -1 ? settings.stdout_fd : open_output(settings.stdout_path);
  const int err = settings.stderr_to_stdout ? out : open_output(settings.stderr_path);
  const auto close_own = [&] {
    if (in >= 0) ::close(in);
    if (out >= 0 && out != settings.stdout_fd) ::close(out);
    if (err >= 0 && err != out) ::close(err);
  };
  if (in < 0 || (out < 0 && (settings.stdout_fd != -1 || !settings.stdout_path.empty())) ||
      (err < 0 && !settings.stderr_to_stdout && !settings.stderr_path.empty())) {
    const int error = errno;
    close_own();
    return error;
  }
  pid = ::fork();
  if (pid < 0) {
    const int error = errno;
    close_own();
    return error;
  }
  if (pid == 0) {
    ::dup2(in, STDIN_FILENO);
    if (out >= 0) ::dup2(out, STDOUT_FILENO);
    if (err >= 0) ::dup2(err, STDERR_FILENO);
    if (!settings.directory.empty() && ::chdir(settings.directory.c_str()) != 0) ::_exit(126);
    if (settings.own_process_group) ::setpgid(0, 0);
    settings.in_child();
    ::execvpe(args[0], args.data(), settings.environment != nullptr ? envp.data() : environ);
    ::_exit(127);
  }
  close_own();
  return 0;
}

}  // namespace detail

// Starts `argv` (argv[0] a path, or a name looked up in PATH) with stdin from /dev/null and
// stdout/stderr written to the settings' files. Returns 0 and sets `pid`, or the error
// (posix_spawn's, or open's or fork's with SpawnSettings::in_child).
inline int spawn_redirected(std::vector<std::string> argv, const SpawnSettings& settings,
                            pid_t& pid) {
  if (settings.in_child) return detail::fork_and_exec(argv, settings, pid);
  std::vector<char*> args;
  for (auto& arg : argv) args.push_back(arg.data());
  args.push_back(nullptr);
  std::vector<std::string> env_strings;
  std::vector<char*> envp;
  if (settings.environment != nullptr) {
    env_strings = *settings.environment;
    for (auto& entry : env_strings) envp.push_back(entry.data());
    envp.push_back(nullptr);
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  if (settings.stdout_fd != -1) {
    posix_spawn_file_actions_adddup2(&actions, settings.stdout_fd, STDOUT_FILENO);
  } else if (!settings.stdout_path.empty()) {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, settings.stdout_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
  if (settings.stderr_to_stdout) {
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  } else if (!settings.stderr_path.empty()) {
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, settings.stderr_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
  if (!settings.directory.empty()) {
    posix_spawn_file_actions_addchdir_np(&actions, settings.directory.c_str());
  }
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  if (settings.own_process_group) {
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
  }
  const int failed = posix_spawnp(&pid, args[0], &actions, &attributes, args.data(),
                                  settings.environment != nullptr ? envp.data() : environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  return failed;
}

// Runs `argv` in `directory` with `env` merged into this process's environment (see
// merged_environment), and waits for it.
inline ProcessRun run_to_completion(std::vector<std::string> argv, const std::string& directory,
                                    const std::map<std::string, std::string>& env) {
  const std::vector<std::string> environment = merged_environment(env);
  SpawnSettings settings;
  settings.stdout_path = directory + "/.stdout";
  settings.stderr_path = directory + "/.stderr";
  settings.directory = directory;
  settings.environment = &environment;
  ProcessRun run;
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  if (spawn_redirected(std::move(argv), settings, pid) == 0) {
    int status = 0;
    waitpid(pid, &status, 0);
    run.exit_code = exit_code_of(status);
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.out = slurp(settings.stdout_path);
  run.err = slurp(settings.stderr_path);
  return run;
}

// A program running in the background, started by spawn_redirected: the test waits for it (with
// a deadline: the wait blocks on a pidfd, it never polls), signals it or kills it. Killed with
// SIGKILL and reaped if still running when the object dies.
class BackgroundProcess {
 public:
  // Throws std::runtime_error naming argv[0] when it cannot start.
  BackgroundProcess(std::vector<std::string> argv, const SpawnSettings& settings)
      : own_process_group_(settings.own_process_group) {
    const std::string program = argv.front();
    if (const int failed = spawn_redirected(std::move(argv), settings, pid_); failed != 0) {
      throw std::runtime_error("cannot start " + program + ": " + std::strerror(failed));
    }
    pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
    if (pidfd_ < 0) {
      const int error = errno;
      kill_now();
      throw std::runtime_error(std::string("pidfd_open: ") + std::strerror(error));
    }
  }
  ~BackgroundProcess() {
    if (!exit_code_) {
      ::kill(own_process_group_ ? -pid_ : pid_, SIGKILL);
      int status = 0;
      while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
    }
    if (pidfd_ >= 0) ::close(pidfd_);
  }
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  pid_t pid() const { return pid_; }

  // Sends `signal` to the program (to its whole group when it was started in its own).
  void signal(int signal) const {
    if (!exit_code_) ::kill(own_process_group_ ? -pid_ : pid_, signal);
  }

  // Its exit code (128 + signal when killed), or nullopt when it is still running at `deadline`.
  std::optional<int> wait_until(std::chrono::steady_clock::time_point deadline) {
    while (!exit_code_) {
      const auto left =
          std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      pollfd exited{pidfd_, POLLIN, 0};
      const int ready = ::poll(&exited, 1, static_cast<int>(std::max<long long>(left.count(), 0)));
      if (ready > 0) {
        reap();
      } else if (ready == 0) {
        return std::nullopt;
      } else if (errno != EINTR) {
        throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
      }
    }
    return exit_code_;
  }
  // Waits for it to exit: its exit code (128 + signal when killed).
  int wait() {
    if (!exit_code_) reap();
    return *exit_code_;
  }
  // Whether it is still running; reaps it when it has exited.
  bool running() { return !wait_until(std::chrono::steady_clock::now()).has_value(); }
  // Sends `signal` and waits for it to exit.
  int stop(int signal) {
    this->signal(signal);
    return wait();
  }
  // SIGKILL, then waits: its exit code.
  int kill_now() { return stop(SIGKILL); }
  // The signal that ended it, 0 when it exited or is still running.
  int end_signal() const { return end_signal_; }

 private:
  void reap() {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0) {
      if (errno != EINTR) throw std::runtime_error("waitpid failed");
    }
    exit_code_ = exit_code_of(status);
    end_signal_ = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  }

  pid_t pid_ = -1;
  int pidfd_ = -1;
  bool own_process_group_ = false;
  std::optional<int> exit_code_;
  int end_signal_ = 0;
};

// A forked copy of the test process running a test body (not a program), talking to the test
// through two pipes; killed with SIGKILL if still alive when the object dies. Synchronisation is
// by bytes on the pipes, never by sleeping.
class ForkedChild {
 public:
  // Runs body(to_parent_fd, from_parent_fd) in a child that exits with 0 when it returns, 3 when
  // it throws. The child leaves with _exit: no destructor of the test process's objects runs there.
  template <typename Body>
  explicit ForkedChild(Body body) {
    int to_parent[2];
    int to_child[2];
    if (::pipe(to_parent) != 0 || ::pipe(to_child) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      ::close(to_parent[0]);
      ::close(to_child[1]);
      int status = 0;
      try {
        body(to_parent[1], to_child[0]);
      } catch (const std::exception& error) {
        std::fprintf(stderr, "child process failed: %s\n", error.what());
        status = 3;  // reported to the test through the exit status
      } catch (...) {
        status = 3;
      }
      ::_exit(status);
    }
    ::close(to_parent[1]);
    ::close(to_child[0]);
    from_child_ = to_parent[0];
    to_child_ = to_child[1];
  }
  ~ForkedChild() {
    if (pid_ > 0) kill_now();
    ::close(from_child_);
    ::close(to_child_);
  }
  ForkedChild(const ForkedChild&) = delete;
  ForkedChild& operator=(const ForkedChild&) = delete;

  // Blocks until the child writes one byte; '\0' when it exited without writing.
  char wait_for_signal() const {
    char byte = 0;
    return ::read(from_child_, &byte, 1) == 1 ? byte : '\0';
  }
  void kill_now() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  // Waits for the child to exit; its exit status, or -1 when it was killed by a signal.
  int wait_for_exit() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int from_child_ = -1;
  int to_child_ = -1;
};

// In a child: tell the test something happened.
inline void signal_parent(int fd, char byte) {
  [[maybe_unused]] const auto written = ::write(fd, &byte, 1);
}
// In a child: block until the test writes, closes its end, or kills this process.
inline void wait_for_parent(int fd) {
  char byte = 0;
  [[maybe_unused]] const auto read_bytes = ::read(fd, &byte, 1);
}

// Runs `argv` (argv[0] a path) with this process's environment and output, and waits for it:
// the signal that ended it (a child meant to die by SIGKILL), or 0 when it exited.
inline int run_until_signalled(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, args[0], nullptr, nullptr, args.data(), environ) != 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

}  // namespace notionsync::testing
