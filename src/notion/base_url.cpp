// Where the client sends requests, and whether it may send the token there.
#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "notionsync/core/error.hpp"
#include "notionsync/notion/client.hpp"

namespace notionsync::notion {
namespace {

std::string lowercase(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

// The host of an http:// or https:// URL: what follows the scheme up to the path, without user
// information, port or IPv6 brackets. "http://user@[::1]:80/x" gives "::1".
std::string host_of(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return "";
  std::string_view authority = url.substr(scheme_end + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    return close == std::string_view::npos ? "" : std::string(authority.substr(1, close - 1));
  }
  return std::string(authority.substr(0, authority.find(':')));
}

}  // namespace

std::string resolve_base_url(std::string_view configured) {
  std::string url(configured);
  if (url.empty()) {
    if (const char* from_env = std::getenv("NOTION_API_BASE_URL"); from_env && *from_env) {
      url = from_env;
    } else {
      url = "https://api.notion.com";
    }
  }
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

bool is_loopback_url(std::string_view url) {
  const std::string host = lowercase(host_of(url));
  if (host == "localhost") return true;  // curl resolves it to a loopback address itself
  unsigned char address[16];
  if (inet_pton(AF_INET, host.c_str(), address) == 1) return address[0] == 127;
  if (inet_pton(AF_INET6, host.c_str(), address) != 1) return false;
  static constexpr unsigned char loopback6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  static constexpr unsigned char mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::equal(address, address + 16, loopback6) ||
         (std::equal(address, address + 12, mapped_prefix) && address[12] == 127);
}

void check_base_url(std::string_view base_url, bool allow_insecure_http, std::string_view setting) {
  const std::string scheme = lowercase(base_url.substr(0, base_url.find("://") + 3));
  if (scheme == "https://" && !host_of(base_url).empty()) return;
  if (scheme != "http://" || host_of(base_url).empty()) {
    throw Error(ErrorKind::invalid_argument,
                std::string(setting) + " \"" + std::string(base_url) +
                    "\" is not an https:// URL (nor http:// to this machine)");
  }
  if (allow_insecure_http || is_loopback_url(base_url)) return;
  throw Error(ErrorKind::invalid_argument,
              std::string(setting) + " \"" + std::string(base_url) +
                  "\" is plain HTTP to another machine: the Notion token would cross the network "
                  "in clear text. Use https://, or allow_insecure_http for a trusted proxy (plain "
                  "http:// is accepted without it only for 127.0.0.0/8, ::1 and localhost)");
}

}  // namespace notionsync::notion
