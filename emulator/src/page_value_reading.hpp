// How stored page values read for filters and sorts: plain text, option names, ids, instants.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "model.hpp"

namespace notion_emulator {

// The stored value of a property on a page, or nullptr when absent or null.
const nlohmann::json* stored_value(const Page& page, const std::string& property_id);

// Text-like values (title, rich_text, url, email, phone_number) as one plain string.
std::string text_of(const Page& page, const PropertyDefinition& property);

// The current name of a select/multi_select/status option id, or nullopt if it was removed.
std::optional<std::string> option_name(const PropertyDefinition& property,
                                       const nlohmann::json& option_id);
std::vector<std::string> multi_select_names(const Page& page, const PropertyDefinition& property);

// The ids of a relation or people value.
std::vector<std::string> ids_of(const Page& page, const PropertyDefinition& property);

// A date value's start, or a page timestamp, in epoch milliseconds; timestamps as Notion shows
// them, rounded down to the minute.
std::optional<std::int64_t> date_start(const Page& page, const PropertyDefinition& property);
std::int64_t minute_of(std::int64_t epoch_ms);

bool is_text_type(const std::string& type);
std::string ascii_lower(std::string text);

}  // namespace notion_emulator
