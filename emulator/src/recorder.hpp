// The JSONL recording of exchanges: one JSON object per line, flushed as written. Thread-safe.
#pragma once

#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace notion_emulator {

class Recorder {
 public:
  // Opens (truncating) `path`; an empty path records nothing. Throws std::runtime_error.
  explicit Recorder(const std::string& path);

  void write(const nlohmann::json& exchange);
  bool enabled() const { return enabled_; }

 private:
  std::mutex mutex_;
  std::ofstream out_;
  bool enabled_ = false;
};

// The file a server records to: `record_path` if set, else a fresh
// <NOTION_EMULATOR_RECORD_DIR>/emulator-<pid>-<n>.jsonl if that variable is set, else "".
std::string recording_path(const std::string& record_path);

}  // namespace notion_emulator
