// An exclusive advisory lock on a file (flock), held by this open file description until the
// FileLock dies. The kernel drops it when the holding process dies, so a crash never leaves it held.
#pragma once

#include <optional>
#include <string>

namespace notionsync {

class FileLock {
 public:
  // Tries once, without waiting. On success returns the lock and writes this process's id into
  // the file; otherwise returns nullopt and, when known, the holder's process id in `holder_pid`.
  static std::optional<FileLock> try_acquire(const std::string& path, long& holder_pid);

  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace notionsync
