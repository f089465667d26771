#include "util/host.hpp"

#include <unistd.h>

namespace notionsync::util {

std::string host_name(std::string_view fallback) {
  char buffer[256] = {};
  if (::gethostname(buffer, sizeof buffer - 1) != 0) return std::string(fallback);
  return buffer;
}

}  // namespace notionsync::util
