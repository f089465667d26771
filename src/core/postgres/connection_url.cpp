#include "core/postgres/connection_url.hpp"

#include <algorithm>

#include "notionsync/core/error.hpp"

namespace notionsync::postgres {
namespace {

constexpr std::string_view kMask = "***";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out += static_cast<char>(high * 16 + low);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
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
    throw Error(ErrorKind::invalid_argument,
                "state store: a PostgreSQL state store is named by a postgresql:// or "
                "postgres:// URL");
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
    throw Error(ErrorKind::invalid_argument, "state store: the PostgreSQL URL contains a space");
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
        throw Error(ErrorKind::invalid_argument,
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

}  // namespace notionsync::postgres
