#include "notion/notion_id.hpp"

#include <cctype>

namespace notionsync::notion {

std::optional<std::string> normalize_notion_id(std::string_view id) {
  std::string hex;
  hex.reserve(32);
  for (char c : id) {
    if (c == '-') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    hex.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (hex.size() != 32) return std::nullopt;
  // Dashes, when present, must sit where a UUID has them.
  if (id.size() == 36 && (id[8] != '-' || id[13] != '-' || id[18] != '-' || id[23] != '-')) {
    return std::nullopt;
  }
  if (id.size() != 32 && id.size() != 36) return std::nullopt;
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

}  // namespace notionsync::notion
