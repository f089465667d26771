// FileUploader: local files into Notion through the File Upload API, each file once.
//
// A file of at most 20 MB goes in one part (create, send); a larger one in parts of 10 MiB, the
// size Notion recommends (create with their number, send each, complete), so every part but the
// last is between Notion's 5 MB and 20 MB (guides "Uploading small files", "Sending larger
// files"). What was uploaded is kept in the state store (scope "notion.file_uploads", key: the
// content hash and type), so:
//   - an upload attached to a page is attached again by id, without any call: Notion keeps an
//     attached upload (its expiry_time becomes null) and lets it be attached many times;
//   - an upload sent but not attached (a crash before the page was written) is reused while it
//     has not expired: one GET confirms Notion still has it `uploaded`;
//   - one created but not fully sent, or expired, is abandoned (Notion lets it expire) and the
//     file is uploaded anew.
// Before uploading, users/me tells the workspace's largest file (max_file_upload_size_in_bytes),
// read once per uploader; a larger file is an error for its rows.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "local_files.hpp"
#include "notionsync/core/state_store.hpp"
#include "notionsync/notion/client.hpp"

namespace notionsync::notion {

struct UploadResult {
  std::string upload_id;  // set when the file can be attached
  std::string error;      // else why not, naming the file
};

class FileUploader {
 public:
  FileUploader(Client& client, StateStore& store, std::string app_name, const LocalFiles& files);

  // Each token's upload, reused or made now (up to 4 files at a time). Blocking; never throws for
  // a file's own problem (it is the token's error), only for a failing store.
  std::map<std::string, UploadResult> prepare(const std::vector<std::string>& tokens);

  // Records that the uploads of these tokens were attached by a page write that Notion applied.
  void mark_attached(const std::vector<std::string>& tokens);
  // Forgets the uploads of these tokens (Notion refused to attach them): the next run uploads the
  // files anew.
  void forget(const std::vector<std::string>& tokens);

  // Files uploaded and uploads reused by prepare() so far.
  std::size_t uploaded() const;
  std::size_t reused() const;

 private:
  UploadResult prepare_one(const std::string& token);
  std::string upload(const LocalFile& file);
  // users/me's max_file_upload_size_in_bytes, read once; nullopt when Notion does not say.
  std::optional<std::uint64_t> max_file_size();
  void keep(const LocalFile& file, const std::string& upload_id, std::string_view state);

  Client& client_;
  StateStore& store_;
  std::string app_name_;
  const LocalFiles& files_;
  mutable std::mutex mutex_;
  bool max_size_read_ = false;
  std::optional<std::uint64_t> max_size_;
  std::size_t uploaded_ = 0;
  std::size_t reused_ = 0;
};

}  // namespace notionsync::notion
