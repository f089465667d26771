#include "state_file.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace notion_emulator {

std::optional<nlohmann::json> read_state(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    if (!std::filesystem::exists(path)) return std::nullopt;
    throw std::runtime_error("cannot read state file " + path);
  }
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& error) {
    throw std::runtime_error("state file " + path + " is not valid JSON: " + error.what());
  }
}

void write_state(const std::string& path, const nlohmann::json& state) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::out | std::ios::trunc);
    out << state.dump();
    if (!out.flush()) throw std::runtime_error("cannot write state file " + temporary);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    throw std::runtime_error("cannot replace state file " + path);
  }
}

}  // namespace notion_emulator
