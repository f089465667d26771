// Notion ids: UUIDs accepted with or without dashes and answered lowercase dashed, and the short
// percent-encoded property ids Notion gives properties.
#pragma once

#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace notion_emulator {

// "0123...": 32 hex digits with or without dashes (any case) -> lowercase dashed; nullopt for
// anything else, and for hex that is not a UUID of version 1 to 8 with the RFC variant (nor the nil
// or max UUID), as Notion refuses those.
std::optional<std::string> normalize_id(std::string_view text);

// A fresh random UUIDv4, lowercase dashed.
std::string new_uuid(std::mt19937_64& generator);

// A fresh property id like Notion's: four characters, percent-encoded as encodeURIComponent does
// (so some ids contain escapes such as "%5BJCR"), never "title".
std::string new_property_id(std::mt19937_64& generator);

std::string percent_decode(std::string_view text);
std::string percent_encode(std::string_view text);

// The 32 hex digits of an id, as page URLs use them.
std::string undashed(std::string_view dashed_id);

// A page's URL as Notion answers it: the title's words joined by dashes, then the id without
// dashes ("https://www.notion.so/My-page-0123…"); a database's has no title part.
std::string page_url(const std::string& title, const std::string& id);

}  // namespace notion_emulator
