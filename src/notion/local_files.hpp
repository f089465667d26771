// Files from disk in a Notion database target's rows: which values name a local file, and the
// token that stands for one in a row's payload.
//
// A files value item, a page icon and a page cover may name a URL (anything with a scheme,
// "https://…"), an emoji (icons only) or a local file (anything else: a path, as given; the CLI
// makes it absolute against the config file's folder). A local file is read and hashed when its
// row is encoded, and the payload holds its token "notion-upload:<content hash>/<name>": the
// fingerprint digests the content and the name Notion shows, never the path, so an unchanged
// file is never uploaded again and a changed one is. Pages read back from Notion hold
// Notion-hosted files, whose content cannot be known: they decode to "notion-file:<name>".
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace notionsync::notion {

// A local file, as read when a row naming it was encoded.
struct LocalFile {
  std::string path;          // as the row gave it
  std::string name;          // the file's name, as Notion shows it
  std::string content_type;  // from the extension (guide "Working with files and media")
  std::uint64_t size = 0;
  std::string content_hash;  // 32 hex digits, XXH3-128 of the bytes
  // The key the target's uploads are kept under: the content and the type it is sent as.
  std::string upload_key() const;
};

// The version string a file's content hash is computed under (fingerprint_of()).
inline constexpr std::string_view content_hash_version = "notionsync-file-v1";

// Whether `text` is a URL (it starts with a scheme and "://").
bool is_url(std::string_view text);
// Whether `text` looks like an emoji: short, with no ASCII letter, digit, dot, slash or space.
bool looks_like_emoji(std::string_view text);
// Whether `text` is a local file's token in a payload.
bool is_upload_token(std::string_view text);
// A Notion-hosted file as a page read back holds it (files values: its name; icons and covers:
// no name), and whether `text` is one.
std::string hosted_file_marker(std::string_view name = {});
bool is_hosted_file_marker(std::string_view text);
// The name a token or a hosted-file marker carries.
std::string_view file_name_of(std::string_view token_or_marker);

// The content type Notion accepts for a file named `name`, from its extension; nullopt for a type
// Notion does not take.
std::optional<std::string> content_type_of(std::string_view name);

// The local files named by the rows of one target, by token. Thread-safe.
class LocalFiles {
 public:
  // Reads and hashes the file at `path` (once per path and run) and returns its token. Throws
  // Error(invalid_value) naming the file when it is missing, unreadable, not a regular file,
  // empty, of a type Notion does not accept, or not an image where `image_only` (icons, covers).
  std::string token_for(const std::string& path, bool image_only);
  // The file a token stands for; nullopt for a token no row of this run named.
  std::optional<LocalFile> find(std::string_view token) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, LocalFile, std::less<>> by_token_;
  std::map<std::string, std::string> token_by_path_;
};

}  // namespace notionsync::notion
