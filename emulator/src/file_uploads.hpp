// The File Upload API: uploads created, sent (one part or many), completed, listed, expired, and
// attached to files properties, page icons and covers (guides "Working with files and media",
// "Uploading small files", "Sending larger files"; reference "File Upload").
//
// An upload is `pending` from its creation until its bytes are in (`uploaded`); one that is not
// attached within an hour of its creation is `expired` and can take no bytes nor be attached.
// Attaching clears its expiry: it stays `uploaded` and may be attached again. Imports from an
// external URL end `failed` here (the emulator downloads nothing). Not thread-safe: the workspace
// is used under the server's lock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "pagination.hpp"

namespace notion_emulator {

// One part of a multipart/form-data request body.
struct FormPart {
  std::string name;
  std::string filename;
  std::string content_type;
  std::string content;
};

struct FileUpload {
  std::string id;
  std::string mode;  // single_part, multi_part, external_url
  std::string filename;
  std::string content_type;
  std::string external_url;
  std::string created_by;
  std::string created_by_type;  // person or bot
  std::int64_t created_ms = 0;
  std::int64_t last_edited_ms = 0;
  std::int64_t expires_ms = 0;  // meaningful until attached
  std::uint64_t sequence = 0;
  std::string state = "pending";  // pending, uploaded, failed (expired is a matter of time)
  bool attached = false;
  std::size_t number_of_parts = 0;           // multi_part: the parts announced
  std::map<std::size_t, std::string> parts;  // multi_part: the parts sent, until completed
  std::size_t parts_sent = 0;                // multi_part: number_of_parts.sent
  std::string content;                       // the bytes, once uploaded
};

class FileUploads {
 public:
  // The largest file a workspace takes (users/me's workspace_limits), and where the bytes of
  // uploaded files are served (the server's base URL).
  void set_max_file_size(std::uint64_t bytes) { max_file_size_ = bytes; }
  std::uint64_t max_file_size() const { return max_file_size_; }
  void set_base_url(std::string base_url) { base_url_ = std::move(base_url); }

  // POST /v1/file_uploads by `actor` (a user id of `actor_type` person or bot).
  nlohmann::json create(const nlohmann::json& body, const std::string& actor,
                        const std::string& actor_type, std::int64_t now,
                        std::mt19937_64& generator);
  // POST /v1/file_uploads/{id}/send with the request's form parts (`multipart`: whether the
  // request was multipart/form-data at all).
  nlohmann::json send(const std::string& id, const std::vector<FormPart>& form, bool multipart,
                      std::int64_t now);
  // POST /v1/file_uploads/{id}/complete.
  nlohmann::json complete(const std::string& id, std::int64_t now);
  nlohmann::json retrieve(const std::string& id, std::int64_t now) const;
  // GET /v1/file_uploads: most recent first, optionally only those with `status`.
  nlohmann::json list(const std::optional<std::string>& status, const Paging& paging,
                      std::int64_t now) const;

  // The upload a request attaches at `path`; throws validation_error when it is not `uploaded`
  // (pending, expired, failed) and object_not_found when there is none.
  const FileUpload& attachable(const std::string& id, const std::string& path,
                               std::int64_t now) const;
  // Marks uploads attached once the write that attached them is applied.
  void attach(const std::vector<std::string>& ids, std::int64_t now);
  // {"url", "expiry_time"}: a download link to the upload's bytes, valid for an hour from `now`.
  nlohmann::json file_object(const std::string& id, std::int64_t now) const;
  // The upload whose bytes GET /files/{id}/... serves; nullptr when unknown or not uploaded.
  const FileUpload* downloadable(const std::string& id) const;

  nlohmann::json to_state() const;
  void load_state(const nlohmann::json& state);
  void clear() { uploads_.clear(); }

 private:
  std::string status(const FileUpload& upload, std::int64_t now) const;
  nlohmann::json object(const FileUpload& upload, std::int64_t now) const;
  FileUpload& find(const std::string& id);
  const FileUpload& find(const std::string& id) const;

  std::map<std::string, FileUpload> uploads_;
  std::uint64_t sequence_ = 0;
  std::uint64_t max_file_size_ = 5242880;
  std::string base_url_;
};

}  // namespace notion_emulator
