#include "sources/file_reader.hpp"

#include <cerrno>
#include <cstring>

#include "notionsync/core/error.hpp"

namespace notionsync::sources::detail {
namespace {

constexpr std::size_t kBufferBytes = 64 * 1024;

}  // namespace

FileReader::FileReader(std::string path) : path_(std::move(path)), buffer_(kBufferBytes) {
  file_.reset(std::fopen(path_.c_str(), "rb"));
  if (!file_) {
    throw Error(ErrorKind::invalid_argument, "cannot open " + path_ + ": " + std::strerror(errno));
  }
  // Spreadsheet exports often start with a byte order mark; it is not part of the first value.
  if (peek() == 0xEF && filled_ - position_ >= 3 &&
      static_cast<unsigned char>(buffer_[position_ + 1]) == 0xBB &&
      static_cast<unsigned char>(buffer_[position_ + 2]) == 0xBF) {
    position_ += 3;
  }
}

bool FileReader::refill() {
  position_ = 0;
  filled_ = std::fread(buffer_.data(), 1, buffer_.size(), file_.get());
  if (filled_ == 0 && std::ferror(file_.get())) {
    throw Error(ErrorKind::invalid_argument, "cannot read " + path_ + ": " + std::strerror(errno));
  }
  return filled_ > 0;
}

bool FileReader::read_line(std::string& line) {
  line.clear();
  bool read_any = false;
  while (true) {
    if (position_ == filled_ && !refill()) return read_any;
    read_any = true;
    const char* const begin = buffer_.data() + position_;
    const auto* const newline =
        static_cast<const char*>(std::memchr(begin, '\n', filled_ - position_));
    if (newline != nullptr) {
      line.append(begin, newline);
      position_ += static_cast<std::size_t>(newline - begin) + 1;
      return true;
    }
    line.append(begin, filled_ - position_);
    position_ = filled_;
  }
}

}  // namespace notionsync::sources::detail
