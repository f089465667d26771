// A forked child process running a test body, talking to the test through two pipes; killed with
// SIGKILL if still alive when the object dies. Synchronisation is by bytes on the pipes, never by
// sleeping.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <stdexcept>

namespace notionsync::testing {

class ChildProcess {
 public:
  // Runs body(to_parent_fd, from_parent_fd) in a child that exits with 0 when it returns, 3 when
  // it throws. The child leaves with _exit: no destructor of the test process's objects runs there.
  template <typename Body>
  explicit ChildProcess(Body body) {
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
  ~ChildProcess() {
    if (pid_ > 0) kill_now();
    ::close(from_child_);
    ::close(to_child_);
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

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

}  // namespace notionsync::testing
