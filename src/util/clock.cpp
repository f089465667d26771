#include "util/clock.hpp"

#include <chrono>

namespace notionsync::util {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace notionsync::util
