// Notion object ids (pages, databases, data sources, users).
//
// Notion accepts ids with or without dashes and answers in the dashed lowercase form
// (developers.notion.com, intro). Normalising to that form lets ids be compared as strings.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace notionsync::notion {

// "9bc30ad4-9373-46a5-84ab-0a7845ee52e6" for any 32-hex-digit id, dashed or not, any case;
// nullopt for anything else.
std::optional<std::string> normalize_notion_id(std::string_view id);

}  // namespace notionsync::notion
