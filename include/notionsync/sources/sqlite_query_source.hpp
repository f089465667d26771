// The result of one SQL query on a SQLite database file as a RowSource.
//
//   auto source = open_sqlite_query("crm.db", "SELECT email, name, age FROM people");
//
// The file is opened read-only and the query must be read-only too. Rows are stepped one at a
// time. Type mapping (by each value's storage class): INTEGER → int64, REAL → double, TEXT →
// string, NULL → null; a BLOB, a TEXT that is not valid UTF-8 or an infinite REAL is an error for
// that column. Origins read "query row N" (1-based).
#pragma once

#include <memory>
#include <string>

#include "notionsync/sources/row_source.hpp"

namespace notionsync::sources {

// Opens `path` read-only and prepares `sql` (one statement). Throws
// Error(ErrorKind::invalid_argument) naming the file and the query when the file cannot be opened
// or is not a database, the SQL does not compile, it would write, or two result columns share a
// name (give them aliases). next() throws the same kind when stepping fails (a corrupt file, a lock
// held past the busy timeout).
std::unique_ptr<RowSource> open_sqlite_query(const std::string& path, const std::string& sql);

}  // namespace notionsync::sources
