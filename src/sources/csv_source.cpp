#include "notionsync/sources/csv_source.hpp"

#include <algorithm>
#include <set>
#include <string_view>

#include "notionsync/core/error.hpp"
#include "sources/file_reader.hpp"

namespace notionsync::sources {
namespace {

using detail::FileReader;

// One record as it appears in the file, before it is matched with the columns.
struct RawRecord {
  std::vector<std::string> fields;  // at most max_fields: those after are counted, not kept
  std::size_t field_count = 0;      // fields in the record, kept or not
  std::size_t line = 0;             // physical line where the record starts
  // Problems found while reading: the index of the field at fault, and the reason.
  std::vector<std::pair<std::size_t, std::string>> problems;
};

// RFC 4180 tokenizer over a FileReader: one record per call, line numbers kept exact across
// quoted line breaks.
class CsvTokenizer {
 public:
  CsvTokenizer(FileReader& reader, const CsvOptions& options)
      : reader_(reader),
        options_(options),
        delimiter_(static_cast<unsigned char>(options.delimiter)),
        quote_(static_cast<unsigned char>(options.quote)) {}

  // Reads the next record into `record`; false at the end of the file. Blank lines are skipped.
  bool read(RawRecord& record) {
    record.fields.clear();
    record.problems.clear();
    while (true) {
      const int c = reader_.peek();
      if (c == FileReader::end_of_file) return false;
      if (c != '\n' && c != '\r') break;
      reader_.get();
      end_line(c);
    }
    record.line = line_;
    record.field_count = 0;
    std::string field;
    while (true) {
      field.clear();
      const int terminator = read_field(record, field);
      // Each field kept costs a string: a line of millions of empty fields ("a,,,,,...") would take
      // gigabytes, so fields past the bound are only counted, as bytes past max_field_bytes are.
      if (++record.field_count <= options_.max_fields) {
        record.fields.push_back(std::move(field));
      } else if (record.field_count == options_.max_fields + 1) {
        record.problems.emplace_back(options_.max_fields, "the line has more than " +
                                                              std::to_string(options_.max_fields) +
                                                              " fields (is the delimiter right?)");
      }
      if (terminator == delimiter_) continue;
      if (terminator != FileReader::end_of_file) end_line(terminator);
      return true;
    }
  }

 private:
  // Counts a line break just consumed; a CR followed by LF is one break.
  void end_line(int c) {
    if (c == '\r' && reader_.peek() == '\n') reader_.get();
    ++line_;
  }

  void append(std::string& field, char c, bool& too_long) const {
    if (field.size() < options_.max_field_bytes) {
      field += c;
    } else {
      too_long = true;
    }
  }

  bool is_terminator(int c) const {
    return c == delimiter_ || c == '\n' || c == '\r' || c == FileReader::end_of_file;
  }

  // Reads one field and returns the byte that ended it (delimiter, CR, LF or end of file).
  int read_field(RawRecord& record, std::string& field) {
    const std::size_t index = record.fields.size();
    bool too_long = false;
    int c = reader_.get();
    if (c == quote_) {
      const std::size_t opened_on = line_;
      while (true) {
        c = reader_.get();
        if (c == FileReader::end_of_file) {
          record.problems.emplace_back(index, "quoted field opened on line " +
                                                  std::to_string(opened_on) +
                                                  " is never closed before the end of the file");
          return c;
        }
        if (c == quote_) {
          if (reader_.peek() != quote_) break;
          reader_.get();
        } else if (c == '\n' || (c == '\r' && reader_.peek() != '\n')) {
          ++line_;
        }
        append(field, static_cast<char>(c), too_long);
      }
      c = reader_.get();
      if (!is_terminator(c)) {
        record.problems.emplace_back(index, "unexpected text after the closing quote");
        while (!is_terminator(c)) c = reader_.get();
      }
    } else {
      // A quote inside an unquoted field is not special (RFC 4180 forbids it; real files have it).
      while (!is_terminator(c)) {
        append(field, static_cast<char>(c), too_long);
        c = reader_.get();
      }
    }
    if (too_long) {
      record.problems.emplace_back(index, "field is longer than " +
                                              std::to_string(options_.max_field_bytes) +
                                              " bytes (is a quote left open?)");
      field.clear();
    }
    return c;
  }

  FileReader& reader_;
  const CsvOptions& options_;
  const int delimiter_;  // as FileReader returns bytes: 0..255
  const int quote_;
  std::size_t line_ = 1;
};

std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

class CsvSource final : public RowSource {
 public:
  CsvSource(const std::string& path, CsvOptions options)
      : options_(std::move(options)), reader_(path), tokenizer_(reader_, options_) {
    if (options_.has_header) {
      read_header();
    } else {
      columns_ = options_.column_names;
      check_names("column_names");
    }
  }

  const std::vector<std::string>& columns() const override { return columns_; }

  std::optional<SourceRecord> next() override {
    RawRecord raw;
    if (!tokenizer_.read(raw)) return std::nullopt;
    if (columns_.empty()) {
      // No header and no names given: the first record decides how many columns there are.
      for (std::size_t i = 1; i <= raw.fields.size(); ++i) columns_.push_back(std::to_string(i));
    }
    SourceRecord record;
    record.origin = reader_.path() + ":" + std::to_string(raw.line);
    const auto column_of = [&](std::size_t index) {
      return index < columns_.size() ? columns_[index] : std::string();
    };
    std::set<std::size_t> unreadable;
    for (const auto& [index, reason] : raw.problems) {
      record.errors.push_back({record.origin, "", column_of(index), reason});
      unreadable.insert(index);
    }
    if (raw.field_count != columns_.size() && raw.field_count <= options_.max_fields) {
      record.errors.push_back({record.origin, "", "",
                               "expected " + std::to_string(columns_.size()) + " fields, found " +
                                   std::to_string(raw.fields.size())});
    }
    const std::size_t count = std::min(raw.fields.size(), columns_.size());
    record.row.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      if (unreadable.contains(i)) continue;
      if (!is_valid_utf8(raw.fields[i])) {
        record.errors.push_back(
            {record.origin, "", columns_[i], "value is not valid UTF-8 (save the file as UTF-8)"});
        continue;
      }
      record.row.set(columns_[i], Value(std::move(raw.fields[i])));
    }
    return record;
  }

 private:
  void read_header() {
    RawRecord header;
    if (!tokenizer_.read(header)) {
      throw Error(ErrorKind::invalid_argument,
                  reader_.path() + ": the file is empty; expected a header row");
    }
    if (!header.problems.empty()) {
      throw Error(ErrorKind::invalid_argument, reader_.path() + ":" + std::to_string(header.line) +
                                                   ": header: " + header.problems.front().second);
    }
    for (const std::string& name : header.fields) {
      if (!is_valid_utf8(name)) {
        throw Error(ErrorKind::invalid_argument,
                    reader_.path() + ": the header is not valid UTF-8 (save the file as UTF-8)");
      }
      columns_.emplace_back(trim_blanks(name));
    }
    check_names("the header");
  }

  void check_names(const std::string& where) const {
    std::set<std::string_view> seen;
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (columns_[i].empty()) {
        throw Error(
            ErrorKind::invalid_argument,
            reader_.path() + ": column " + std::to_string(i + 1) + " of " + where + " has no name");
      }
      if (!seen.insert(columns_[i]).second) {
        throw Error(ErrorKind::invalid_argument,
                    reader_.path() + ": " + where + " names column \"" + columns_[i] + "\" twice");
      }
    }
  }

  CsvOptions options_;
  FileReader reader_;
  CsvTokenizer tokenizer_;
  std::vector<std::string> columns_;
};

void check_options(const std::string& path, const CsvOptions& options) {
  const auto is_line_break = [](char c) { return c == '\n' || c == '\r'; };
  if (options.delimiter == options.quote) {
    throw Error(ErrorKind::invalid_argument,
                path + ": the CSV delimiter and quote must be different characters");
  }
  if (is_line_break(options.delimiter) || is_line_break(options.quote)) {
    throw Error(ErrorKind::invalid_argument,
                path + ": the CSV delimiter and quote cannot be line breaks");
  }
  if (options.max_field_bytes == 0) {
    throw Error(ErrorKind::invalid_argument, path + ": max_field_bytes must be positive");
  }
  if (options.max_fields == 0) {
    throw Error(ErrorKind::invalid_argument, path + ": max_fields must be positive");
  }
}

}  // namespace

std::unique_ptr<RowSource> open_csv(const std::string& path, const CsvOptions& options) {
  check_options(path, options);
  return std::make_unique<CsvSource>(path, options);
}

}  // namespace notionsync::sources
