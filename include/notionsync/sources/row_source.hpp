// RowSource: a stream of declared rows read from a file or a query, one record at a time.
//
//   std::unique_ptr<RowSource> source = open_csv("people.csv");
//   while (std::optional<SourceRecord> record = source->next()) {
//     if (!record->errors.empty()) { /* report them; do not declare the row */ continue; }
//     declare(record->row);
//   }
//
// A source never holds more than the current record in memory. A malformed record does not stop
// the stream: it comes back with its errors (origin, column, reason) and the next call reads the
// record after it. Only failures that make the rest of the input unreadable (a missing file, a
// read error, bad SQL, a lost connection) throw notionsync::Error, with a message that names the
// file or the query.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "notionsync/core/plan.hpp"
#include "notionsync/core/row.hpp"

namespace notionsync::sources {

// One record read from a source.
struct SourceRecord {
  // The values that could be read, named by column. A column whose value could not be read is
  // absent from the row and has an entry in `errors`.
  Row row;
  // Where the record starts: "people.csv:12" (the physical line, so a quoted field spanning
  // several lines reports its first line) or "query row 7" (1-based).
  std::string origin;
  // Problems with this record; empty when it was read cleanly. Each names the origin and, when
  // one column is at fault, the column. `key` is left empty: the source does not know the key.
  std::vector<RowError> errors;
};

class RowSource {
 public:
  virtual ~RowSource() = default;

  // The column names, in source order: the CSV header, the SQL result columns, or for JSONL the
  // keys seen so far (it grows as records are read, in the order keys first appear).
  virtual const std::vector<std::string>& columns() const = 0;

  // The next record, or nullopt at the end of the input. Throws notionsync::Error when the input
  // cannot be read further (I/O error, lost connection); the source is then unusable.
  virtual std::optional<SourceRecord> next() = 0;
};

}  // namespace notionsync::sources
