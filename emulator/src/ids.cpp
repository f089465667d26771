#include "ids.hpp"

#include <array>
#include <cctype>

namespace notion_emulator {

std::optional<std::string> normalize_id(std::string_view text) {
  std::string hex;
  for (const char c : text) {
    if (c == '-') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (hex.size() != 32) return std::nullopt;
  // Dashes, when present, must sit where a UUID has them.
  if (text.size() != 32) {
    if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' ||
        text[23] != '-') {
      return std::nullopt;
    }
  }
  // Notion checks ids as RFC 9562 UUIDs: version 1 to 8 and the RFC variant, or the nil and max
  // UUIDs. A recorded answer (shapes case error_page_invalid_uuid) refuses
  // 12345678-1234-1234-1234-123456789abc, whose variant digit is 1, with a validation_error.
  const bool nil_or_max = hex.find_first_not_of('0') == std::string::npos ||
                          hex.find_first_not_of('f') == std::string::npos;
  const bool rfc = hex[12] >= '1' && hex[12] <= '8' &&
                   std::string_view("89ab").find(hex[16]) != std::string_view::npos;
  if (!nil_or_max && !rfc) return std::nullopt;
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

std::string new_uuid(std::mt19937_64& generator) {
  static constexpr std::string_view digits = "0123456789abcdef";
  std::string hex(32, '0');
  for (char& c : hex) c = digits[generator() % 16];
  hex[12] = '4';
  hex[16] = digits[8 + generator() % 4];
  return *normalize_id(hex);
}

std::string new_property_id(std::mt19937_64& generator) {
  // Notion's ids mix letters with punctuation; keep a few characters that need escaping.
  static constexpr std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789[]{}:;<=>?@^|~";
  std::string raw;
  for (int i = 0; i < 4; ++i) raw += alphabet[generator() % alphabet.size()];
  return percent_encode(raw);
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() &&
        std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string percent_encode(std::string_view text) {
  static constexpr std::string_view digits = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || std::string_view("-_.!~*'()").find(c) != std::string_view::npos) {
      out += c;
    } else {
      out += '%';
      out += digits[byte >> 4];
      out += digits[byte & 0xF];
    }
  }
  return out;
}

std::string undashed(std::string_view dashed_id) {
  std::string out;
  for (const char c : dashed_id) {
    if (c != '-') out += c;
  }
  return out;
}

// Notion page URLs: the title's words joined by dashes, then the id without dashes.
std::string page_url(const std::string& title, const std::string& id) {
  std::string slug;
  bool dash = false;
  for (const char c : title) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      if (dash && !slug.empty()) slug += '-';
      slug += c;
      dash = false;
    } else {
      dash = true;
    }
  }
  return "https://www.notion.so/" + (slug.empty() ? "" : slug + "-") + undashed(id);
}

}  // namespace notion_emulator
