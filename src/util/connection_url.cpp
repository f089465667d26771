#include "util/connection_url.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <utility>

#include "util/url.hpp"

namespace notionsync::util {
namespace {

constexpr std::string_view kMask = "***";

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

void add_secret(ConnectionUrl& url, std::string_view written) {
  if (written.empty()) return;
  for (std::string secret : {std::string(written), percent_decode(written)}) {
    if (std::find(url.secrets.begin(), url.secrets.end(), secret) == url.secrets.end()) {
      url.secrets.push_back(std::move(secret));
    }
  }
  // Longest first, so a password containing another one's text is masked whole.
  std::sort(url.secrets.begin(), url.secrets.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

}  // namespace

std::string redact_connection_url(std::string_view url) {
  std::string result;
  std::size_t copied = 0;
  for (const auto& [begin, end] : password_ranges(url)) {
    result.append(url.substr(copied, begin - copied));
    result += kMask;
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

std::string ConnectionUrl::redact(std::string_view text) const {
  std::string out(text);
  for (const auto& secret : secrets) {
    for (std::size_t at = out.find(secret); at != std::string::npos;
         at = out.find(secret, at + kMask.size())) {
      out.replace(at, secret.size(), kMask);
    }
  }
  return out;
}

ConnectionUrl parse_connection_url(std::string_view url) {
  std::string_view scheme;
  for (const std::string_view candidate : {"postgresql://", "postgres://"}) {
    if (url.starts_with(candidate)) scheme = candidate;
  }
  if (scheme.empty()) {
    throw std::invalid_argument(
        "state store: a PostgreSQL state store is named by a postgresql:// or postgres:// URL");
  }
  ConnectionUrl result;
  std::string_view rest = url.substr(scheme.size());

  // Like libpq: user information is whatever precedes an '@' met before any '/'.
  std::string userinfo;  // with its '@'
  std::string redacted_userinfo;
  const std::size_t userinfo_end = rest.find_first_of("@/");
  if (userinfo_end != std::string_view::npos && rest[userinfo_end] == '@') {
    const std::string_view written = rest.substr(0, userinfo_end);
    userinfo = std::string(written) + "@";
    redacted_userinfo = userinfo;
    if (const std::size_t colon = written.find(':'); colon != std::string_view::npos) {
      add_secret(result, written.substr(colon + 1));
      redacted_userinfo = std::string(written.substr(0, colon + 1)) + std::string(kMask) + "@";
    }
    rest.remove_prefix(userinfo_end + 1);
  }

  const std::size_t query_start = rest.find('?');
  const std::string_view location = rest.substr(0, query_start);  // host[:port][/database]
  if (location.find_first_of(" \t\n") != std::string_view::npos) {
    throw std::invalid_argument("state store: the PostgreSQL URL contains a space");
  }
  std::string kept_parameters;
  std::string redacted_parameters;
  if (query_start != std::string_view::npos) {
    std::string_view query = rest.substr(query_start + 1);
    while (!query.empty()) {
      const std::size_t end = query.find('&');
      const std::string_view parameter = query.substr(0, end);
      query = end == std::string_view::npos ? std::string_view() : query.substr(end + 1);
      if (parameter.empty()) continue;
      const std::size_t equals = parameter.find('=');
      if (equals == std::string_view::npos) {
        // Not quoted: a mistyped parameter may hold a password.
        throw std::invalid_argument(
            "state store: a PostgreSQL URL parameter has no value (expected name=value)");
      }
      const std::string_view name = parameter.substr(0, equals);
      const std::string_view value = parameter.substr(equals + 1);
      if (name == "schema") {
        result.schema = percent_decode(value);
        continue;
      }
      const std::string separator = kept_parameters.empty() ? "?" : "&";
      kept_parameters += separator + std::string(parameter);
      if (name == "password") {
        add_secret(result, value);
        redacted_parameters += separator + "password=" + std::string(kMask);
      } else {
        redacted_parameters += separator + std::string(parameter);
      }
    }
  }

  result.conninfo = std::string(scheme) + userinfo + std::string(location) + kept_parameters;
  // Masked again as a whole, in case the password also appears elsewhere (as the database name).
  result.redacted = result.redact(std::string(scheme) + redacted_userinfo + std::string(location) +
                                  redacted_parameters);
  return result;
}

}  // namespace notionsync::util
