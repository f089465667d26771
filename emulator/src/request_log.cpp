#include "request_log.hpp"

namespace notion_emulator {

void RequestLog::add(RecordedRequest request) {
  const std::lock_guard lock(mutex_);
  requests_.push_back(std::move(request));
}

std::vector<RecordedRequest> RequestLog::all() const {
  const std::lock_guard lock(mutex_);
  return requests_;
}

std::size_t RequestLog::count(std::string_view method, std::string_view path_prefix) const {
  const std::lock_guard lock(mutex_);
  std::size_t total = 0;
  for (const RecordedRequest& request : requests_) {
    if (request.method == method &&
        std::string_view(request.path).substr(0, path_prefix.size()) == path_prefix) {
      ++total;
    }
  }
  return total;
}

void RequestLog::clear() {
  const std::lock_guard lock(mutex_);
  requests_.clear();
}

nlohmann::json RequestLog::summary() const {
  const std::lock_guard lock(mutex_);
  nlohmann::json requests = nlohmann::json::array();
  nlohmann::json counts = nlohmann::json::object();
  nlohmann::json statuses = nlohmann::json::object();
  nlohmann::json by_status = nlohmann::json::object();
  const auto bump = [](nlohmann::json& map, const std::string& key) {
    map[key] = map.value(key, 0) + 1;
  };
  for (const RecordedRequest& request : requests_) {
    requests.push_back({{"method", request.method},
                        {"path", request.path},
                        {"status", request.status},
                        {"fault", request.fault.empty() ? nlohmann::json(nullptr)
                                                        : nlohmann::json(request.fault)}});
    const std::string route = request.method + " " + request.path;
    bump(counts, route);
    bump(statuses, std::to_string(request.status));
    bump(by_status, route + " " + std::to_string(request.status));
  }
  return {{"total", requests_.size()},
          {"requests", requests},
          {"counts", counts},
          {"statuses", statuses},
          {"counts_by_status", by_status}};
}

}  // namespace notion_emulator
