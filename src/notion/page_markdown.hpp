// Page bodies in Notion-flavored Markdown, as Notion keeps them (developers.notion.com, guide
// "Working with markdown content"): blocks separated by a single newline, plain empty lines
// stripped (outside fenced code), and, in one request, at most 1,000 blocks and 500 KB
// (reference/request-limits).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace notionsync::notion {

// Notion's limits on one request (reference/request-limits).
inline constexpr std::size_t max_request_blocks = 1000;
inline constexpr std::size_t max_request_bytes = 500'000;

// `markdown` as Notion answers it back: "\r\n" and "\r" become "\n", lines of only spaces and
// tabs are dropped outside code fences, and there is no trailing newline. Two bodies that
// normalise alike are the same page content.
std::string normalize_page_markdown(std::string_view markdown);

// The number of blocks a normalised body makes (a line, or a fenced code block).
std::size_t count_markdown_blocks(std::string_view normalized);

// Why Notion would refuse `normalized` as a page body in one request (too many blocks, too many
// bytes once written as JSON), or nullopt when it fits.
std::optional<std::string> page_markdown_problem(std::string_view normalized);

}  // namespace notionsync::notion
