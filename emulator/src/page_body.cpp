#include "page_body.hpp"

#include <regex>

namespace notion_emulator {
namespace {

// A line of only spaces and tabs is a plain empty line.
bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

bool is_fence(std::string_view line) {
  const std::size_t start = line.find_first_not_of(" \t");
  return start != std::string_view::npos && line.substr(start, 3) == "```";
}

// The lines of `markdown` with "\r\n" and "\r" read as "\n".
std::vector<std::string> lines_of(std::string_view markdown) {
  std::vector<std::string> lines;
  std::string line;
  for (std::size_t i = 0; i < markdown.size(); ++i) {
    const char c = markdown[i];
    if (c == '\r' || c == '\n') {
      lines.push_back(std::move(line));
      line.clear();
      if (c == '\r' && i + 1 < markdown.size() && markdown[i + 1] == '\n') ++i;
    } else {
      line += c;
    }
  }
  lines.push_back(std::move(line));
  return lines;
}

// Calls `block` with each normalised block's text: non-empty lines, a fenced code block whole.
template <typename Visit>
void for_each_block(std::string_view markdown, Visit&& block) {
  std::string fenced;
  bool in_fence = false;
  for (std::string& line : lines_of(markdown)) {
    if (in_fence) {
      fenced += "\n" + line;
      if (is_fence(line)) {
        block(std::move(fenced));
        fenced.clear();
        in_fence = false;
      }
      continue;
    }
    if (is_fence(line)) {
      in_fence = true;
      fenced = std::move(line);
      continue;
    }
    if (!is_blank(line)) block(std::move(line));
  }
  if (in_fence) block(std::move(fenced));  // an unclosed fence runs to the end
}

}  // namespace

std::vector<BodyBlock> parse_body(
    std::string_view markdown, const std::function<std::string(std::string_view url)>& child_of) {
  static const std::regex child_tag(R"re(^\s*<(page|database)\s+url="([^"]*)"[^>]*>.*</\1>\s*$)re");
  std::vector<BodyBlock> blocks;
  for_each_block(markdown, [&](std::string text) {
    std::smatch match;
    if (std::regex_match(text, match, child_tag)) {
      if (std::string child = child_of(match[2].str()); !child.empty()) {
        blocks.push_back({"", std::move(child)});
        return;
      }
    }
    blocks.push_back({std::move(text), ""});
  });
  return blocks;
}

std::string render_body(const std::vector<BodyBlock>& blocks,
                        const std::function<std::string(const std::string& child_id)>& tag_of) {
  std::string out;
  for (const BodyBlock& block : blocks) {
    const std::string text = block.child_id.empty() ? block.text : tag_of(block.child_id);
    if (text.empty()) continue;
    if (!out.empty()) out += '\n';
    out += text;
  }
  return out;
}

std::size_t count_body_blocks(std::string_view markdown) {
  std::size_t count = 0;
  for_each_block(markdown, [&](std::string) { ++count; });
  return count;
}

}  // namespace notion_emulator
