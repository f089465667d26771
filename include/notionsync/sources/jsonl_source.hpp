// JSON Lines files as a RowSource: one JSON object per line, its members the row's columns.
//
//   auto source = open_jsonl("events.jsonl");
//
// Value mapping: null → null, true/false → bool, integers → int64, other numbers → double,
// strings → string, arrays → lists (recursively). A nested object, or a key that appears twice in
// one object, is an error for its column.
// Lines holding only whitespace are skipped; a UTF-8 byte order mark on the first line and a
// trailing CR are dropped. A line that is not valid JSON, or not an object, is an error for that
// record (the origin names the line) and reading goes on with the next line. A column missing from
// a record is absent from its row.
#pragma once

#include <memory>
#include <string>

#include "notionsync/sources/row_source.hpp"

namespace notionsync::sources {

// Opens `path`. Throws Error(ErrorKind::invalid_argument) naming the file when it cannot be opened;
// next() throws the same when a read fails.
std::unique_ptr<RowSource> open_jsonl(const std::string& path);

}  // namespace notionsync::sources
