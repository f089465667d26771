#include "recorder.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <stdexcept>

namespace notion_emulator {

Recorder::Recorder(const std::string& path) {
  if (path.empty()) return;
  out_.open(path, std::ios::out | std::ios::trunc);
  if (!out_) throw std::runtime_error("cannot open recording file " + path);
  enabled_ = true;
}

void Recorder::write(const nlohmann::json& exchange) {
  if (!enabled_) return;
  const std::string line = exchange.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const std::lock_guard lock(mutex_);
  out_ << line << '\n';
  out_.flush();
}

std::string recording_path(const std::string& record_path) {
  if (!record_path.empty()) return record_path;
  const char* directory = std::getenv("NOTION_EMULATOR_RECORD_DIR");
  if (directory == nullptr || *directory == '\0') return {};
  static std::atomic<int> next{0};
  return std::string(directory) + "/emulator-" + std::to_string(::getpid()) + "-" +
         std::to_string(next++) + ".jsonl";
}

}  // namespace notion_emulator
