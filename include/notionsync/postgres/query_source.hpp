// The result of one SQL query on a PostgreSQL server as a RowSource.
//
//   auto source = open_postgres_query("postgresql://sync@db.internal/crm",
//                                     "SELECT email, name, joined_on FROM people");
//
// The query runs in a read-only transaction through a server-side cursor, fetched in batches, so
// a large result is never held in memory at once. The session uses TimeZone UTC and ISO dates.
// Type mapping by column type:
//   bool → bool; int2/int4/int8 → int64; float4/float8 → double (NaN and infinities are an error
//   for that column); numeric → int64 when it is a whole number that fits, else double when it has
//   at most 15 significant digits (so the double reads back as the same decimal), else the exact
//   decimal text as a string, so no digit is lost silently (NaN is an error); text, varchar, char,
//   name and every other type → its text form as a string; date → Date; timestamp → DateTime
//   without offset; timestamptz → DateTime in UTC; arrays of text/varchar/char, integers, floats,
//   numerics and bools (one dimension) → lists; bytea → error for that column; NULL → null. Dates
//   beyond year 9999, BC dates and 'infinity' are an error for that column.
// Origins read "query row N" (1-based).
#pragma once

#include <memory>
#include <string>

#include "notionsync/sources/row_source.hpp"

namespace notionsync::sources {

// Connects to `url` (a libpq URL or key=value string), starts the query and fetches its first
// batch. Throws Error(ErrorKind::remote) when the server cannot be reached, and
// Error(ErrorKind::invalid_argument) when the server rejects the query or two result columns share
// a name. Later, next() throws invalid_argument when the query fails part-way (a division by zero
// in row 1200) and remote when the connection is lost. Messages carry the server's message, the
// query and the URL with its password replaced by
// "***": the password never appears in any message.
std::unique_ptr<RowSource> open_postgres_query(const std::string& url, const std::string& sql);

// `url` with any password replaced by "***" (URL form and key=value form), for messages.
std::string redact_connection_url(const std::string& url);

}  // namespace notionsync::sources
