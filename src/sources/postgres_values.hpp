// PostgreSQL text-format values to Values, and keeping passwords out of messages.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "notionsync/core/value.hpp"

namespace notionsync::sources::detail {

using PostgresTypeOid = unsigned int;

struct PostgresValue {
  Value value;
  std::string error;  // empty on success
};

// Converts one non-NULL value in PostgreSQL's text format (session TimeZone UTC, DateStyle ISO)
// of the type `type_oid` (see postgres_query_source.hpp for the mapping).
PostgresValue postgres_value(PostgresTypeOid type_oid, std::string_view text);

// `url` (postgresql:// URL or key=value connection string) with its password replaced by "***".
std::string redact_connection_url(std::string_view url);
// The password of `url` as written and, for URLs, percent-decoded: what must never be shown.
std::vector<std::string> connection_secrets(std::string_view url);

}  // namespace notionsync::sources::detail
