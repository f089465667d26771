// A page's body as Notion answers it through the Markdown endpoints
// (developers.notion.com/reference/retrieve-page-markdown, update-page-markdown, and the guide
// "Working with markdown content"): a list of top-level blocks, each a line of Notion-flavored
// Markdown or a child page or database of the page.
//
// Normalisation, as the guide documents it: blocks are separated by a single newline; plain empty
// lines are stripped (outside code fences, whose lines are one block). Line endings become "\n",
// and the body has no trailing newline (undocumented: the emulator's choice). Child pages and
// databases read as `<page url="…">Title</page>` and `<database url="…">Title</database>`.
#pragma once

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace notion_emulator {

struct BodyBlock {
  std::string text;      // a block of Markdown; empty for a child
  std::string child_id;  // a child page or database of the page; empty for Markdown
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(BodyBlock, text, child_id)

// Notion's request limit: at most 1,000 blocks in one payload (reference/request-limits).
constexpr std::size_t kMaxBodyBlocks = 1000;

// The blocks of `markdown`, normalised. `children` maps a child's `url="…"` (its 32 hex digits
// or dashed id) to its id for tags naming a live child of the page; other tags stay text.
std::vector<BodyBlock> parse_body(std::string_view markdown,
                                  const std::function<std::string(std::string_view url)>& child_of);

// The Markdown of `blocks`; `tag_of(child_id)` renders a child's tag ("" leaves it out, as for a
// child in the trash).
std::string render_body(const std::vector<BodyBlock>& blocks,
                        const std::function<std::string(const std::string& child_id)>& tag_of);

// The number of blocks `markdown` makes once normalised (for the 1,000-block limit).
std::size_t count_body_blocks(std::string_view markdown);

}  // namespace notion_emulator
