// The --state file: the workspace as one JSON document, replaced atomically on each save.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace notion_emulator {

// The saved state, or nullopt when the file does not exist. Throws std::runtime_error if
// unreadable.
std::optional<nlohmann::json> read_state(const std::string& path);

// Writes to a temporary file beside `path` and renames it over `path`, so a crash never leaves a
// half-written state. Throws std::runtime_error.
void write_state(const std::string& path, const nlohmann::json& state);

}  // namespace notion_emulator
