// The in-memory log of API requests that tests and the admin endpoint count. Thread-safe.
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "notion_emulator/server.hpp"

namespace notion_emulator {

class RequestLog {
 public:
  void add(RecordedRequest request);
  std::vector<RecordedRequest> all() const;
  std::size_t count(std::string_view method, std::string_view path_prefix) const;
  void clear();
  // {"total", "requests": [...], "counts": {"POST /v1/pages": n}, "statuses": {"200": n},
  //  "counts_by_status": {"POST /v1/pages 200": n}}
  nlohmann::json summary() const;

 private:
  mutable std::mutex mutex_;
  std::vector<RecordedRequest> requests_;
};

}  // namespace notion_emulator
