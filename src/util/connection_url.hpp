// PostgreSQL connection URLs: what libpq gets, what may be printed, and the passwords that must
// never be shown.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace notionsync::util {

// `url` (postgresql:// URL or key=value connection string) with its password replaced by "***".
std::string redact_connection_url(std::string_view url);
// The password of `url` as written and, for URLs, percent-decoded: what must never be shown.
std::vector<std::string> connection_secrets(std::string_view url);

// A state store's postgresql:// URL, split for libpq and for messages.
struct ConnectionUrl {
  std::string conninfo;  // the URL without notionsync's parameters, passed to libpq as is
  std::string redacted;  // the URL with its password replaced by "***"
  std::string schema;    // the `schema` query parameter, percent-decoded; empty when absent

  // `text` with every occurrence of the password (as written and percent-decoded) replaced by
  // "***", so a message quoting the URL or a server error never shows it.
  std::string redact(std::string_view text) const;

  std::vector<std::string> secrets;  // the password as written and as decoded, longest first
};

// Parses postgresql://[user[:password]@][host][:port][/database][?name=value&...] (also
// postgres://), splitting userinfo, host and parameters the way libpq does. Throws
// std::invalid_argument, without quoting the URL, when it is not such a URL.
ConnectionUrl parse_connection_url(std::string_view url);

}  // namespace notionsync::util
