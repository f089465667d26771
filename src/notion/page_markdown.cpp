#include "page_markdown.hpp"

#include <nlohmann/json.hpp>

namespace notionsync::notion {
namespace {

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

bool is_fence(std::string_view line) {
  const std::size_t start = line.find_first_not_of(" \t");
  return start != std::string_view::npos && line.substr(start, 3) == "```";
}

// Calls `visit(line, in_fence)` for each line of `text`, "\r\n" and "\r" read as "\n";
// `in_fence` is true for the lines of a fenced code block, its fences included.
template <typename Visit>
void for_each_line(std::string_view text, Visit&& visit) {
  bool in_fence = false;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find_first_of("\r\n", start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    const bool fence = is_fence(line);
    visit(line, in_fence || fence);
    if (fence) in_fence = !in_fence;
    if (end == text.size()) break;
    start = end + (text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n' ? 2 : 1);
  }
}

}  // namespace

std::string normalize_page_markdown(std::string_view markdown) {
  std::string out;
  out.reserve(markdown.size());
  for_each_line(markdown, [&](std::string_view line, bool in_code) {
    if (!in_code && is_blank(line)) return;
    if (!out.empty()) out += '\n';
    out += line;
  });
  return out;
}

std::size_t count_markdown_blocks(std::string_view normalized) {
  std::size_t blocks = 0;
  bool in_fence = false;
  for_each_line(normalized, [&](std::string_view line, bool) {
    if (is_fence(line)) {
      if (!in_fence) ++blocks;  // a fenced block counts once
      in_fence = !in_fence;
    } else if (!in_fence && !is_blank(line)) {
      ++blocks;
    }
  });
  return blocks;
}

std::optional<std::string> page_markdown_problem(std::string_view normalized) {
  if (const std::size_t blocks = count_markdown_blocks(normalized); blocks > max_request_blocks) {
    return "the page body has " + std::to_string(blocks) + " blocks; Notion takes at most " +
           std::to_string(max_request_blocks) + " in one request";
  }
  const std::size_t bytes = nlohmann::json(std::string(normalized)).dump().size();
  if (bytes > max_request_bytes) {
    return "the page body is " + std::to_string(bytes) + " bytes as JSON; Notion takes at most " +
           std::to_string(max_request_bytes) + " in one request";
  }
  return std::nullopt;
}

}  // namespace notionsync::notion
