#include "core/file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "notionsync/core/error.hpp"

namespace notionsync {

std::optional<FileLock> FileLock::try_acquire(const std::string& path, long& holder_pid) {
  holder_pid = 0;
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw Error(ErrorKind::state_store,
                "state store: cannot open lock file '" + path + "': " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int flock_errno = errno;
    char buffer[32] = {};
    const ssize_t read_bytes = ::pread(fd, buffer, sizeof buffer - 1, 0);
    ::close(fd);
    if (flock_errno != EWOULDBLOCK) {
      throw Error(ErrorKind::state_store,
                  "state store: cannot lock '" + path + "': " + std::strerror(flock_errno));
    }
    if (read_bytes > 0) holder_pid = std::strtol(buffer, nullptr, 10);
    return std::nullopt;
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  // Best effort: the pid only makes the "locked" message more helpful.
  if (::ftruncate(fd, 0) == 0) {
    [[maybe_unused]] const ssize_t written = ::pwrite(fd, pid.data(), pid.size(), 0);
  }
  return FileLock(fd);
}

FileLock::FileLock(FileLock&& other) noexcept : fd_(other.fd_) {
  other.fd_ = -1;
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

}  // namespace notionsync
