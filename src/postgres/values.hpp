// PostgreSQL text-format values to Values.
#pragma once

#include <string>
#include <string_view>

#include "notionsync/core/value.hpp"

namespace notionsync::sources::detail {

using PostgresTypeOid = unsigned int;

struct PostgresValue {
  Value value;
  std::string error;  // empty on success
};

// Converts one non-NULL value in PostgreSQL's text format (session TimeZone UTC, DateStyle ISO)
// of the type `type_oid` (see notionsync/postgres/query_source.hpp for the mapping).
PostgresValue postgres_value(PostgresTypeOid type_oid, std::string_view text);

}  // namespace notionsync::sources::detail
