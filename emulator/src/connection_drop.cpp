#include "connection_drop.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

namespace notion_emulator {
namespace {

int port_of(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in&>(address).sin_port);
  }
  if (address.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6&>(address).sin6_port);
  }
  return -1;
}

std::vector<int> open_descriptors() {
  std::vector<int> descriptors;
  DIR* directory = ::opendir("/proc/self/fd");
  if (directory == nullptr) return descriptors;
  while (const dirent* entry = ::readdir(directory)) {
    if (entry->d_name[0] >= '0' && entry->d_name[0] <= '9') {
      descriptors.push_back(std::atoi(entry->d_name));
    }
  }
  ::closedir(directory);
  return descriptors;
}

// Ports of a connected socket, or {-1, -1}.
std::pair<int, int> ports_of(int fd) {
  sockaddr_storage local{};
  sockaddr_storage peer{};
  socklen_t local_length = sizeof local;
  socklen_t peer_length = sizeof peer;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_length) != 0 ||
      ::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_length) != 0) {
    return {-1, -1};
  }
  return {port_of(local), port_of(peer)};
}

}  // namespace

void drop_all_connections(int local_port) {
  for (const int fd : open_descriptors()) {
    if (ports_of(fd).first == local_port) ::shutdown(fd, SHUT_RDWR);
  }
}

bool drop_connection(int local_port, int remote_port) {
  for (const int fd : open_descriptors()) {
    const auto [local, peer] = ports_of(fd);
    if (local != local_port || peer != remote_port) continue;
    // Linger 0: the close that follows sends RST, so the client sees a reset, not a clean end.
    const linger abort_on_close{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
    ::shutdown(fd, SHUT_RDWR);
    return true;
  }
  return false;
}

}  // namespace notion_emulator
