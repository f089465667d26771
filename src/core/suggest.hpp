// Suggestions for misspelt names ("did you mean 'email'?") in config and schema errors.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace notionsync {

// Edit distance between two byte strings: insertions, deletions, substitutions and swaps of two
// neighbouring bytes each count one (optimal string alignment).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `wanted`, when it is at most `max_distance` edits away (the first of
// equally close ones).
std::optional<std::string> closest_match(std::string_view wanted,
                                         std::span<const std::string> candidates,
                                         std::size_t max_distance = 3);

}  // namespace notionsync
