// Runs a program to completion as a child process, as a user would: its own working directory,
// this process's environment with some variables added or removed, stdin from /dev/null, and
// what it prints captured through files. Shared by the CLI tests, the reliability tests and the
// benchmarks.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
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

// How spawn_redirected() starts a child.
struct SpawnSettings {
  std::string stdout_path;
  std::string stderr_path;
  std::string directory;                                  // empty: this process's
  const std::vector<std::string>* environment = nullptr;  // NAME=VALUE; null: this process's
  bool own_process_group = false;                         // so the group can be killed as a whole
};

// Starts `argv` (argv[0] a path, or a name looked up in PATH) with stdin from /dev/null and
// stdout/stderr written to the settings' files. Returns 0 and sets `pid`, or posix_spawn's error.
inline int spawn_redirected(std::vector<std::string> argv, const SpawnSettings& settings,
                            pid_t& pid) {
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
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, settings.stdout_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, settings.stderr_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
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
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.out = slurp(settings.stdout_path);
  run.err = slurp(settings.stderr_path);
  return run;
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
