#include "sources/connection_url.hpp"

#include <cctype>
#include <charconv>
#include <utility>

namespace notionsync::sources::detail {
namespace {

std::size_t password_end(std::string_view text, std::size_t begin, bool quoted_value) {
  if (!quoted_value) {
    const auto end = text.find_first_of(" \t\n", begin);
    return end == std::string_view::npos ? text.size() : end;
  }
  for (std::size_t pos = begin; pos < text.size(); ++pos) {
    if (text[pos] == '\\') {
      ++pos;
    } else if (text[pos] == '\'') {
      return pos;
    }
  }
  return text.size();
}

std::string percent_decode(std::string_view text) {
  std::string result;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      unsigned value = 0;
      const auto parsed = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
      if (parsed.ec == std::errc() && parsed.ptr == text.data() + i + 3) {
        result += static_cast<char>(value);
        i += 2;
        continue;
      }
    }
    result += text[i];
  }
  return result;
}

// Locations of passwords in `url`: [begin, end) byte ranges.
std::vector<std::pair<std::size_t, std::size_t>> password_ranges(std::string_view url) {
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  const auto scheme_end = url.find("://");
  if (scheme_end != std::string_view::npos) {
    const std::size_t authority_begin = scheme_end + 3;
    const auto authority_end = url.find_first_of("/?#", authority_begin);
    const std::string_view authority = url.substr(
        authority_begin, authority_end == std::string_view::npos ? std::string_view::npos
                                                                 : authority_end - authority_begin);
    const auto at = authority.rfind('@');
    if (at != std::string_view::npos) {
      const auto colon = authority.find(':');
      if (colon != std::string_view::npos && colon < at) {
        ranges.emplace_back(authority_begin + colon + 1, authority_begin + at);
      }
    }
    // ?password=... among the query parameters.
    const auto query = url.find('?', authority_begin);
    if (query != std::string_view::npos) {
      for (std::size_t pos = query; pos != std::string_view::npos && pos < url.size();) {
        const std::size_t key_begin = pos + 1;
        const auto next = url.find('&', key_begin);
        const std::string_view pair = url.substr(
            key_begin, next == std::string_view::npos ? std::string_view::npos : next - key_begin);
        if (pair.starts_with("password=")) {
          ranges.emplace_back(key_begin + 9, key_begin + pair.size());
        }
        pos = next;
      }
    }
    return ranges;
  }
  // key=value form: password = value, possibly quoted.
  for (auto at = url.find("password"); at != std::string_view::npos;
       at = url.find("password", at + 1)) {
    if (at > 0 && !std::isspace(static_cast<unsigned char>(url[at - 1]))) continue;
    std::size_t pos = at + 8;
    while (pos < url.size() && url[pos] == ' ') ++pos;
    if (pos >= url.size() || url[pos] != '=') continue;
    ++pos;
    while (pos < url.size() && url[pos] == ' ') ++pos;
    const bool quoted_value = pos < url.size() && url[pos] == '\'';
    if (quoted_value) ++pos;
    ranges.emplace_back(pos, password_end(url, pos, quoted_value));
  }
  return ranges;
}

}  // namespace

std::string redact_connection_url(std::string_view url) {
  std::string result;
  std::size_t copied = 0;
  for (const auto& [begin, end] : password_ranges(url)) {
    result.append(url.substr(copied, begin - copied));
    result += "***";
    copied = end;
  }
  result.append(url.substr(copied));
  return result;
}

std::vector<std::string> connection_secrets(std::string_view url) {
  std::vector<std::string> secrets;
  for (const auto& [begin, end] : password_ranges(url)) {
    if (end <= begin) continue;
    const std::string_view secret = url.substr(begin, end - begin);
    secrets.emplace_back(secret);
    if (std::string decoded = percent_decode(secret); decoded != secret) {
      secrets.push_back(std::move(decoded));
    }
  }
  return secrets;
}

}  // namespace notionsync::sources::detail
