// Fuzzes the CSV reader (notionsync::sources::open_csv) on arbitrary file contents. The first
// byte picks the options (delimiter, header or not), the rest is the file. Contract: open_csv
// throws notionsync::Error for an unusable file; next() yields records (possibly with per-record
// errors) until the end. Anything else is a bug.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "notionsync/core/error.hpp"
#include "notionsync/sources/csv_source.hpp"

namespace {

// One scratch file per fuzzing process, rewritten for each input.
const std::string& scratch_path() {
  static const std::string path = "/tmp/notionsync-csv-fuzz-" + std::to_string(::getpid()) + ".csv";
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  notionsync::sources::CsvOptions options;
  const std::uint8_t selector = data[0];
  options.delimiter = (selector & 1) != 0 ? ';' : ',';
  if ((selector & 2) != 0) options.delimiter = '\t';
  options.has_header = (selector & 4) == 0;
  options.max_field_bytes = 4096;  // reach the too-long-field error with small inputs
  {
    std::FILE* file = std::fopen(scratch_path().c_str(), "wb");
    if (file == nullptr) return 0;
    std::fwrite(data + 1, 1, size - 1, file);
    std::fclose(file);
  }
  try {
    auto source = notionsync::sources::open_csv(scratch_path(), options);
    std::size_t records = 0;
    while (source->next()) {
      if (++records > 100000) break;
    }
  } catch (const notionsync::Error&) {
    // An unreadable file or header: the documented outcome.
  }
  return 0;
}
