#include "local_files.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <iterator>

#include "notionsync/core/error.hpp"
#include "notionsync/core/fingerprint.hpp"
#include "notionsync/notion/file_values.hpp"

namespace notionsync::notion {
namespace {

constexpr std::string_view upload_prefix = "notion-upload:";
constexpr std::string_view hosted_prefix = "notion-file:";
// Declared in local_files.hpp.

struct TypeExtensions {
  std::string_view content_type;
  std::string_view extensions;  // space-separated, lowercase
};

// Guide "Working with files and media", "Supported file types": the content type each accepted
// extension is sent with (the first listed where Notion names two, e.g. .mp4).
constexpr std::array kAcceptedTypes = {
    TypeExtensions{"audio/aac", "aac adts"},
    TypeExtensions{"audio/midi", "mid midi"},
    TypeExtensions{"audio/mpeg", "mp3 mpga"},
    TypeExtensions{"audio/mp4", "m4a m4b"},
    TypeExtensions{"audio/ogg", "oga ogg"},
    TypeExtensions{"audio/wav", "wav"},
    TypeExtensions{"audio/x-ms-wma", "wma"},
    TypeExtensions{"application/pdf", "pdf"},
    TypeExtensions{"text/plain", "txt"},
    TypeExtensions{"application/json", "json"},
    TypeExtensions{"application/msword", "doc dot"},
    TypeExtensions{"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                   "docx"},
    TypeExtensions{"application/vnd.openxmlformats-officedocument.wordprocessingml.template",
                   "dotx"},
    TypeExtensions{"application/vnd.ms-excel", "xls xlt xla"},
    TypeExtensions{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"},
    TypeExtensions{"application/vnd.openxmlformats-officedocument.spreadsheetml.template", "xltx"},
    TypeExtensions{"application/vnd.ms-powerpoint", "ppt pot pps ppa"},
    TypeExtensions{"application/vnd.openxmlformats-officedocument.presentationml.presentation",
                   "pptx"},
    TypeExtensions{"application/vnd.openxmlformats-officedocument.presentationml.template", "potx"},
    TypeExtensions{"image/gif", "gif"},
    TypeExtensions{"image/heic", "heic"},
    TypeExtensions{"image/jpeg", "jpeg jpg"},
    TypeExtensions{"image/png", "png"},
    TypeExtensions{"image/svg+xml", "svg"},
    TypeExtensions{"image/tiff", "tif tiff"},
    TypeExtensions{"image/webp", "webp"},
    TypeExtensions{"image/vnd.microsoft.icon", "ico"},
    TypeExtensions{"video/mp4", "mp4 gifv m4v"},
    TypeExtensions{"video/x-amv", "amv"},
    TypeExtensions{"video/x-ms-asf", "asf"},
    TypeExtensions{"video/x-ms-wmv", "wmv"},
    TypeExtensions{"video/x-msvideo", "avi"},
    TypeExtensions{"video/x-f4v", "f4v"},
    TypeExtensions{"video/x-flv", "flv"},
    TypeExtensions{"video/x-matroska", "mkv"},
    TypeExtensions{"video/webm", "webm"},
    TypeExtensions{"video/quicktime", "mov qt"},
    TypeExtensions{"video/mpeg", "mpeg"},
};

bool lists(std::string_view extensions, std::string_view extension) {
  while (!extensions.empty()) {
    const auto space = extensions.find(' ');
    if (extensions.substr(0, space) == extension) return true;
    if (space == std::string_view::npos) break;
    extensions.remove_prefix(space + 1);
  }
  return false;
}

std::string base_name(std::string_view path) {
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  const auto slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
  throw Error(ErrorKind::invalid_value, "file '" + path + "' " + problem);
}

}  // namespace

std::string LocalFile::upload_key() const {
  return content_hash + " " + content_type;
}

bool is_url(std::string_view text) {
  const auto separator = text.find("://");
  if (separator == std::string_view::npos || separator == 0) return false;
  const std::string_view scheme = text.substr(0, separator);
  return std::isalpha(static_cast<unsigned char>(scheme.front())) &&
         std::all_of(scheme.begin(), scheme.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
         });
}

bool looks_like_emoji(std::string_view text) {
  // Emoji are one to a few code points, a ZWJ sequence at most (👩‍💻 is 11 bytes).
  if (text.empty() || text.size() > 32) return false;
  return std::none_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x80 && (std::isalnum(byte) || c == '.' || c == '/' || std::isspace(byte));
  });
}

FileValueKind file_value_kind(std::string_view value, bool icon) {
  if (is_url(value)) return FileValueKind::url;
  if (icon && looks_like_emoji(value)) return FileValueKind::emoji;
  return FileValueKind::local_file;
}

std::string rebase_local_path(std::string_view value, std::string_view folder, bool icon) {
  if (value.empty() || value.front() == '/' || folder.empty() ||
      file_value_kind(value, icon) != FileValueKind::local_file) {
    return std::string(value);
  }
  std::string path(folder);
  if (path.back() != '/') path += '/';
  return path + std::string(value);
}

bool is_upload_token(std::string_view text) {
  return text.starts_with(upload_prefix);
}

std::string hosted_file_marker(std::string_view name) {
  return std::string(hosted_prefix) + std::string(name);
}

bool is_hosted_file_marker(std::string_view text) {
  return text.starts_with(hosted_prefix);
}

std::string_view file_name_of(std::string_view token_or_marker) {
  if (token_or_marker.starts_with(hosted_prefix))
    return token_or_marker.substr(hosted_prefix.size());
  const auto slash = token_or_marker.find('/');
  return slash == std::string_view::npos ? std::string_view() : token_or_marker.substr(slash + 1);
}

std::optional<std::string> content_type_of(std::string_view name) {
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == name.size()) return std::nullopt;
  std::string extension(name.substr(dot + 1));
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const TypeExtensions& type : kAcceptedTypes) {
    if (lists(type.extensions, extension)) return std::string(type.content_type);
  }
  return std::nullopt;
}

std::string LocalFiles::token_for(const std::string& path, bool image_only) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) fail(path, "does not exist or cannot be read");
  if (!S_ISREG(status.st_mode)) fail(path, "is not a regular file");
  // The same path named by many rows is read once, unless it changed meanwhile.
  const std::string seen_as = path + '\n' + std::to_string(status.st_size) + '\n' +
                              std::to_string(status.st_mtim.tv_sec) + '.' +
                              std::to_string(status.st_mtim.tv_nsec);
  {
    const std::lock_guard lock(mutex_);
    if (const auto found = token_by_path_.find(seen_as); found != token_by_path_.end()) {
      if (image_only && !by_token_.at(found->second).content_type.starts_with("image/")) {
        fail(path, "is not an image (" + by_token_.at(found->second).content_type +
                       "); page icons and covers must be images");
      }
      return found->second;
    }
  }
  LocalFile file;
  file.path = path;
  file.name = base_name(path);
  const auto content_type = content_type_of(file.name);
  if (!content_type) {
    fail(path,
         "is of a type Notion does not accept (guide \"Working with files and media\", "
         "\"Supported file types\")");
  }
  file.content_type = *content_type;
  if (image_only && !file.content_type.starts_with("image/")) {
    fail(path, "is not an image (" + file.content_type + "); page icons and covers must be images");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "cannot be read");
  // Hashed a block at a time: a file is never held in memory whole to be declared.
  std::uint64_t size = 0;
  const Fingerprint hash =
      fingerprint_of_pieces(content_hash_version, [&](char* buffer, std::size_t capacity) {
        in.read(buffer, static_cast<std::streamsize>(capacity));
        const auto n = static_cast<std::size_t>(in.gcount());
        size += n;
        return n;
      });
  if (in.bad()) fail(path, "cannot be read");
  // Notion's documentation does not say it takes empty files; the emulator refuses them.
  if (size == 0) fail(path, "is empty (0 bytes)");
  file.size = size;
  file.content_hash = hash.to_hex();
  std::string token = std::string(upload_prefix) + file.content_hash + "/" + file.name;
  const std::lock_guard lock(mutex_);
  token_by_path_[seen_as] = token;
  by_token_.emplace(token, std::move(file));
  return token;
}

std::optional<LocalFile> LocalFiles::find(std::string_view token) const {
  const std::lock_guard lock(mutex_);
  const auto found = by_token_.find(token);
  if (found == by_token_.end()) return std::nullopt;
  return found->second;
}

}  // namespace notionsync::notion
