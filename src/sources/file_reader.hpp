// Buffered byte-at-a-time reading of a source file, with errors that name the file.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace notionsync::sources::detail {

class FileReader {
 public:
  static constexpr int end_of_file = -1;

  // Opens `path` for reading and drops a leading UTF-8 byte order mark. Throws
  // Error(ErrorKind::invalid_argument) "cannot open <path>: <reason>".
  explicit FileReader(std::string path);

  // The next byte (0..255) or end_of_file. Throws Error(ErrorKind::invalid_argument) "cannot read
  // <path>: <reason>" on an I/O error (a directory, a device error).
  int get() {
    if (position_ == filled_ && !refill()) return end_of_file;
    return static_cast<unsigned char>(buffer_[position_++]);
  }
  int peek() {
    if (position_ == filled_ && !refill()) return end_of_file;
    return static_cast<unsigned char>(buffer_[position_]);
  }

  // Reads up to the next LF (dropped) into `line`. False at the end of the file with nothing read.
  bool read_line(std::string& line);

  const std::string& path() const { return path_; }

 private:
  bool refill();

  struct Closer {
    void operator()(std::FILE* file) const { std::fclose(file); }
  };
  std::string path_;
  std::unique_ptr<std::FILE, Closer> file_;
  std::vector<char> buffer_;
  std::size_t position_ = 0;
  std::size_t filled_ = 0;
};

}  // namespace notionsync::sources::detail
