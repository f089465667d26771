// Shared helpers for the source tests: write an input file, read a whole source.
#pragma once

#include <fstream>
#include <ostream>
#include <string>
#include <vector>

#include "notionsync/sources/row_source.hpp"
#include "support/temp_dir.hpp"

namespace notionsync {

// Readable rows in test failures: {name: value, ...}.
inline void PrintTo(const Row& row, std::ostream* out) {
  *out << "{";
  for (const Field& field : row.fields()) {
    *out << (&field == &row.fields().front() ? "" : ", ") << field.name << ": "
         << field.value.to_display();
  }
  *out << "}";
}

}  // namespace notionsync

namespace notionsync::sources::testing {

inline std::string write_file(const notionsync::testing::TempDir& dir, const std::string& name,
                              const std::string& bytes) {
  const std::string path = dir.file(name);
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  return path;
}

inline std::vector<SourceRecord> read_all(RowSource& source) {
  std::vector<SourceRecord> records;
  while (auto record = source.next()) records.push_back(std::move(*record));
  return records;
}

// "origin, column 'x': message" for each error of each record, in order.
inline std::vector<std::string> all_errors(const std::vector<SourceRecord>& records) {
  std::vector<std::string> errors;
  for (const SourceRecord& record : records) {
    for (const RowError& error : record.errors) errors.push_back(to_string(error));
  }
  return errors;
}

}  // namespace notionsync::sources::testing
