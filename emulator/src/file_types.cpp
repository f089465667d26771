#include "file_types.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace notion_emulator {
namespace {

struct FileType {
  std::string_view extension;
  std::string_view content_type;
};

// Guide "Working with files and media", "Supported file types": per category, the extensions and
// their MIME types. An extension Notion lists under two categories (.mp4: audio and video) has two
// entries; the first is the one a file is stored with.
constexpr std::array kFileTypes = {
    // Audio.
    FileType{"aac", "audio/aac"},
    FileType{"adts", "audio/aac"},
    FileType{"mid", "audio/midi"},
    FileType{"midi", "audio/midi"},
    FileType{"mp3", "audio/mpeg"},
    FileType{"mpga", "audio/mpeg"},
    FileType{"m4a", "audio/mp4"},
    FileType{"m4b", "audio/mp4"},
    FileType{"mp4", "video/mp4"},
    FileType{"mp4", "audio/mp4"},
    FileType{"oga", "audio/ogg"},
    FileType{"ogg", "audio/ogg"},
    FileType{"wav", "audio/wav"},
    FileType{"wma", "audio/x-ms-wma"},
    // Documents.
    FileType{"pdf", "application/pdf"},
    FileType{"txt", "text/plain"},
    FileType{"json", "application/json"},
    FileType{"doc", "application/msword"},
    FileType{"dot", "application/msword"},
    FileType{"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    FileType{"dotx", "application/vnd.openxmlformats-officedocument.wordprocessingml.template"},
    FileType{"xls", "application/vnd.ms-excel"},
    FileType{"xlt", "application/vnd.ms-excel"},
    FileType{"xla", "application/vnd.ms-excel"},
    FileType{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    FileType{"xltx", "application/vnd.openxmlformats-officedocument.spreadsheetml.template"},
    FileType{"ppt", "application/vnd.ms-powerpoint"},
    FileType{"pot", "application/vnd.ms-powerpoint"},
    FileType{"pps", "application/vnd.ms-powerpoint"},
    FileType{"ppa", "application/vnd.ms-powerpoint"},
    FileType{"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
    FileType{"potx", "application/vnd.openxmlformats-officedocument.presentationml.template"},
    // Images.
    FileType{"gif", "image/gif"},
    FileType{"heic", "image/heic"},
    FileType{"jpeg", "image/jpeg"},
    FileType{"jpg", "image/jpeg"},
    FileType{"png", "image/png"},
    FileType{"svg", "image/svg+xml"},
    FileType{"tif", "image/tiff"},
    FileType{"tiff", "image/tiff"},
    FileType{"webp", "image/webp"},
    FileType{"ico", "image/vnd.microsoft.icon"},
    // Video.
    FileType{"amv", "video/x-amv"},
    FileType{"asf", "video/x-ms-asf"},
    FileType{"wmv", "video/x-ms-wmv"},
    FileType{"avi", "video/x-msvideo"},
    FileType{"f4v", "video/x-f4v"},
    FileType{"flv", "video/x-flv"},
    FileType{"gifv", "video/mp4"},
    FileType{"m4v", "video/mp4"},
    FileType{"mkv", "video/x-matroska"},
    FileType{"webm", "video/webm"},
    FileType{"mov", "video/quicktime"},
    FileType{"qt", "video/quicktime"},
    FileType{"mpeg", "video/mpeg"},
};

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "image/png; charset=binary" -> "image/png", trimmed and lowercase.
std::string bare_type(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  while (!type.empty() && type.front() == ' ') type.remove_prefix(1);
  return lowercase(type);
}

}  // namespace

std::string extension_of(std::string_view filename) {
  const auto slash = filename.find_last_of('/');
  if (slash != std::string_view::npos) filename.remove_prefix(slash + 1);
  const auto dot = filename.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == filename.size()) return "";
  return lowercase(filename.substr(dot + 1));
}

bool is_supported_extension(std::string_view extension) {
  return std::any_of(kFileTypes.begin(), kFileTypes.end(),
                     [&](const FileType& type) { return type.extension == extension; });
}

bool content_type_matches(std::string_view extension, std::string_view content_type) {
  const std::string bare = bare_type(content_type);
  return std::any_of(kFileTypes.begin(), kFileTypes.end(), [&](const FileType& type) {
    return type.extension == extension && type.content_type == bare;
  });
}

std::optional<std::string> extension_for(std::string_view content_type) {
  const std::string bare = bare_type(content_type);
  for (const FileType& type : kFileTypes) {
    if (type.content_type == bare) return std::string(type.extension);
  }
  return std::nullopt;
}

std::string content_type_for(std::string_view extension) {
  for (const FileType& type : kFileTypes) {
    if (type.extension == extension) return std::string(type.content_type);
  }
  return "application/octet-stream";
}

bool same_content_type(std::string_view a, std::string_view b) {
  return bare_type(a) == bare_type(b);
}

bool is_image_type(std::string_view content_type) {
  return bare_type(content_type).starts_with("image/");
}

}  // namespace notion_emulator
