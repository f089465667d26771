// CSV files (RFC 4180) as a RowSource.
//
//   auto source = open_csv("people.csv");                        // header row, commas
//   auto tabs = open_csv("people.tsv", {.delimiter = '\t'});
//
// Accepted input: fields separated by `delimiter`; a field may be quoted, and then holds
// delimiters, line breaks and doubled quotes ("" for one "); records end with LF, CRLF or CR; the
// file is UTF-8 with or without a byte order mark (the mark is dropped). Every value is a string,
// an empty field an empty string: typing is the job of convert_value(). Lines that are entirely
// empty (outside quotes) are skipped. A quote inside an unquoted field is kept as a literal
// character.
//
// Per-record errors (the stream goes on): a record whose field count differs from the header's;
// a value that is not valid UTF-8 (names the column); characters between a closing quote and the
// next delimiter; a quoted field longer than `max_field_bytes`; a record of more than
// `max_fields` fields; a quote left open at the end of the file (the record where it opened is
// reported, and the file ends there).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "notionsync/sources/row_source.hpp"

namespace notionsync::sources {

struct CsvOptions {
  char delimiter = ',';
  char quote = '"';
  // When true the first record names the columns (surrounding spaces and tabs are trimmed);
  // names must be non-empty and distinct. When false the columns are `column_names`, or "1",
  // "2", ... (1-based positions) sized by the first record when `column_names` is empty.
  bool has_header = true;
  std::vector<std::string> column_names = {};
  // A field longer than this is reported as an error rather than held in memory: it is usually a
  // quote that was never closed and has swallowed the rest of the file.
  std::size_t max_field_bytes = 16 * 1024 * 1024;
  // A record with more fields than this is reported as an error, its extra fields counted but not
  // held: a line of millions of empty fields (a wrong delimiter, a corrupt file) would otherwise
  // take gigabytes. Notion allows far fewer properties than this.
  std::size_t max_fields = 10'000;
};

// Opens `path` and reads its header. Throws Error(ErrorKind::invalid_argument) naming the file
// when it cannot be opened or read, when a header is required but the file is empty, when the
// header has an empty or duplicate name or more than max_fields names, or when the options are
// contradictory (delimiter equal to quote, either one a line break).
std::unique_ptr<RowSource> open_csv(const std::string& path, const CsvOptions& options = {});

}  // namespace notionsync::sources
