#include "file_uploads.hpp"

#include <algorithm>
#include <array>

#include "api_error.hpp"
#include "file_types.hpp"
#include "ids.hpp"
#include "request_checks.hpp"
#include "timestamps.hpp"

namespace notion_emulator {

using nlohmann::json;

namespace {

constexpr std::int64_t kHourMs = 60 * 60 * 1000;
// Guide "Uploading small files": a single-part upload holds at most 20 MB; guide "Sending larger
// files": every part of a multi-part upload is at most 20 MB and, except the last, at least 5 MB.
// The guides do not say whether a MB is 10^6 or 2^20 bytes: the stricter reading of each bound.
constexpr std::size_t kMaxPartBytes = 20'000'000;
constexpr std::size_t kMinPartBytes = 5 * 1024 * 1024;
constexpr std::size_t kMaxParts = 1000;
// Reference "Create a file upload": filename is at most 900 bytes.
constexpr std::size_t kMaxFilenameBytes = 900;
constexpr std::string_view kStatuses[] = {"pending", "uploaded", "expired", "failed"};

std::string optional_text(const json& body, const char* key) {
  if (!body.contains(key) || body[key].is_null()) return "";
  const json& value = body[key];
  if (!value.is_string())
    throw body_validation_error(std::string("body.") + key, "a string", value);
  return value.get<std::string>();
}

// The extension the upload's file has, or takes from its content type; throws validation_error
// for a type Notion does not accept, or a content type that contradicts the extension.
std::string checked_extension(const std::string& filename, const std::string& content_type) {
  std::string extension = extension_of(filename);
  if (extension.empty()) {
    if (content_type.empty()) {
      throw validation_error(
          "The file needs a name with an extension, or a content type: neither was given.");
    }
    const auto inferred = extension_for(content_type);
    if (!inferred) throw validation_error("Unsupported content type: " + content_type + ".");
    return *inferred;
  }
  if (!is_supported_extension(extension)) {
    throw validation_error("Unsupported file extension: ." + extension + " (" + filename + ").");
  }
  if (!content_type.empty() && !content_type_matches(extension, content_type)) {
    throw validation_error("The content type " + content_type +
                           " does not match the file's extension ." + extension + ".");
  }
  return extension;
}

// A part's own content type, when it says anything: form data without a type (or the generic
// one a Blob gets) leaves it to the filename.
std::string stated_type(const FormPart& part) {
  const std::string& type = part.content_type;
  return type.empty() || type.rfind("application/octet-stream", 0) == 0 ? "" : type;
}

std::string base64(std::string_view bytes) {
  static constexpr char digits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t chunk = 0;
    for (std::size_t j = 0; j < 3; ++j) {
      chunk = chunk << 8 | (j < n ? static_cast<unsigned char>(bytes[i + j]) : 0U);
    }
    for (std::size_t j = 0; j < 4; ++j) {
      out.push_back(j <= n ? digits[(chunk >> (18 - 6 * j)) & 63] : '=');
    }
  }
  return out;
}

std::string from_base64(std::string_view text) {
  std::string out;
  std::uint32_t chunk = 0;
  int bits = 0;
  for (const char c : text) {
    int value = -1;
    if (c >= 'A' && c <= 'Z') value = c - 'A';
    if (c >= 'a' && c <= 'z') value = c - 'a' + 26;
    if (c >= '0' && c <= '9') value = c - '0' + 52;
    if (c == '+') value = 62;
    if (c == '/') value = 63;
    if (value < 0) continue;
    chunk = chunk << 6 | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((chunk >> bits) & 0xFF));
    }
  }
  return out;
}

}  // namespace

FileUpload& FileUploads::find(const std::string& id) {
  return const_cast<FileUpload&>(std::as_const(*this).find(id));
}

const FileUpload& FileUploads::find(const std::string& id) const {
  const auto found = uploads_.find(id);
  if (found == uploads_.end()) throw not_found("file upload", id);
  return found->second;
}

std::string FileUploads::status(const FileUpload& upload, std::int64_t now) const {
  if (upload.state == "failed" || upload.attached) return upload.state;
  return now >= upload.expires_ms ? "expired" : upload.state;
}

json FileUploads::object(const FileUpload& upload, std::int64_t now) const {
  const std::string current = status(upload, now);
  const auto or_null = [](const std::string& text) {
    return text.empty() ? json(nullptr) : json(text);
  };
  json object = {
      {"object", "file_upload"},
      {"id", upload.id},
      {"created_time", format_minute(upload.created_ms)},
      {"created_by", {{"id", upload.created_by}, {"type", upload.created_by_type}}},
      {"last_edited_time", format_minute(upload.last_edited_ms)},
      {"in_trash", false},
      {"archived", false},
      // Expiry rounded down like the other times: a client that trusts it is never late.
      {"expiry_time", upload.attached || upload.state == "failed"
                          ? json(nullptr)
                          : json(format_minute(upload.expires_ms))},
      {"status", current},
      {"filename", or_null(upload.filename)},
      {"content_type", or_null(upload.content_type)},
      {"content_length", upload.state == "uploaded" ? json(upload.content.size()) : json(nullptr)}};
  if (current == "pending") {
    object["upload_url"] = base_url_ + "/v1/file_uploads/" + upload.id + "/send";
    if (upload.mode == "multi_part") {
      object["complete_url"] = base_url_ + "/v1/file_uploads/" + upload.id + "/complete";
    }
  }
  if (upload.mode == "multi_part") {
    object["number_of_parts"] = {{"total", upload.number_of_parts}, {"sent", upload.parts_sent}};
  }
  if (upload.mode == "external_url") {
    object["file_import_result"] = {
        {"imported_time", format_minute(upload.last_edited_ms)},
        {"type", "error"},
        {"error",
         {{"type", "download_error"},
          {"code", "download_error"},
          {"message", "The emulator does not download files from external URLs."},
          {"parameter", "external_url"},
          {"status_code", nullptr}}}};
  }
  return object;
}

json FileUploads::create(const json& body, const std::string& actor, const std::string& actor_type,
                         std::int64_t now, std::mt19937_64& generator) {
  check_body_keys(body, {"mode", "filename", "content_type", "number_of_parts", "external_url"});
  FileUpload upload;
  upload.mode = body.contains("mode") ? optional_text(body, "mode") : "single_part";
  if (upload.mode != "single_part" && upload.mode != "multi_part" &&
      upload.mode != "external_url") {
    throw body_validation_error("body.mode", "`single_part`, `multi_part`, or `external_url`",
                                body["mode"]);
  }
  upload.filename = optional_text(body, "filename");
  upload.content_type = optional_text(body, "content_type");
  if (upload.filename.size() > kMaxFilenameBytes) {
    throw length_error("body.filename", kMaxFilenameBytes, upload.filename.size());
  }
  if (upload.mode != "single_part" && upload.filename.empty()) {
    throw missing_field_error("body.filename");
  }
  if (!upload.filename.empty() || !upload.content_type.empty()) {
    const std::string extension = checked_extension(upload.filename, upload.content_type);
    // A filename without an extension takes the one its content type implies.
    if (!upload.filename.empty() && extension_of(upload.filename).empty()) {
      upload.filename += "." + extension;
    }
    if (upload.content_type.empty() && !upload.filename.empty()) {
      upload.content_type = content_type_for(extension);
    }
  }
  if (upload.mode == "multi_part") {
    if (!body.contains("number_of_parts")) throw missing_field_error("body.number_of_parts");
    const json& parts = body["number_of_parts"];
    if (!parts.is_number_integer() || parts.get<std::int64_t>() < 1 ||
        parts.get<std::int64_t>() > static_cast<std::int64_t>(kMaxParts)) {
      throw body_validation_error("body.number_of_parts", "an integer from 1 to 1000", parts);
    }
    upload.number_of_parts = parts.get<std::size_t>();
  } else if (body.contains("number_of_parts")) {
    // The reference gives number_of_parts for multi_part only; elsewhere it is refused (stricter).
    throw validation_error(
        "body failed validation: body.number_of_parts should be not present, "
        "instead was `" +
        body["number_of_parts"].dump() + "`.");
  }
  upload.external_url = optional_text(body, "external_url");
  if (upload.mode == "external_url") {
    if (upload.external_url.empty()) throw missing_field_error("body.external_url");
    if (upload.external_url.rfind("https://", 0) != 0) {
      throw body_validation_error("body.external_url", "an HTTPS URL", body["external_url"]);
    }
    upload.state = "failed";  // the emulator downloads nothing
  } else if (!upload.external_url.empty()) {
    throw validation_error(
        "body failed validation: body.external_url should be not present, "
        "instead was `" +
        body["external_url"].dump() + "`.");
  }
  upload.id = new_uuid(generator);
  upload.created_by = actor;
  upload.created_by_type = actor_type;
  upload.created_ms = upload.last_edited_ms = now;
  upload.expires_ms = now + kHourMs;
  upload.sequence = ++sequence_;
  const std::string id = upload.id;
  uploads_[id] = std::move(upload);
  return object(uploads_.at(id), now);
}

json FileUploads::send(const std::string& id, const std::vector<FormPart>& form, bool multipart,
                       std::int64_t now) {
  FileUpload& upload = find(id);
  if (!multipart) {
    throw validation_error(
        "body failed validation: the request must be multipart/form-data with the file as "
        "`file`.");
  }
  if (upload.mode == "external_url") {
    throw validation_error("File upload " + id +
                           " imports from an external URL; it takes no file.");
  }
  const std::string current = status(upload, now);
  if (current != "pending") {
    throw validation_error("File upload " + id + " is " + current +
                           ": only a pending file upload takes a file.");
  }
  const FormPart* file = nullptr;
  const FormPart* part_number = nullptr;
  for (const FormPart& part : form) {
    const FormPart** slot = part.name == "file"          ? &file
                            : part.name == "part_number" ? &part_number
                                                         : nullptr;
    if (slot == nullptr) {
      throw validation_error("body failed validation: body." + part.name +
                             " should be not present.");
    }
    if (*slot != nullptr) {
      throw validation_error("body failed validation: body." + part.name + " is given twice.");
    }
    *slot = &part;
  }
  if (file == nullptr) throw missing_field_error("body.file");
  std::size_t number = 1;
  if (upload.mode == "multi_part") {
    if (part_number == nullptr) throw missing_field_error("body.part_number");
    const std::string& text = part_number->content;
    const bool digits =
        !text.empty() && text.size() <= 4 &&
        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    number = digits ? std::stoul(text) : 0;
    if (number < 1 || number > upload.number_of_parts) {
      throw validation_error(
          "body failed validation: body.part_number should be an integer from 1 "
          "to " +
          std::to_string(upload.number_of_parts) + ", instead was `\"" + text + "\"`.");
    }
    if (upload.parts.contains(number)) {
      // Not documented: a part sent twice is refused rather than replaced (stricter).
      throw validation_error("Part " + std::to_string(number) + " of file upload " + id +
                             " was already sent.");
    }
  } else if (part_number != nullptr) {
    // part_number is for multi_part uploads (reference "Send a file upload"); refused elsewhere.
    throw validation_error(
        "body failed validation: body.part_number should be not present for a single_part "
        "upload.");
  }
  const std::string& bytes = file->content;
  // Not documented: an empty file is refused (stricter).
  if (bytes.empty()) throw validation_error("The file is empty (0 bytes).");
  if (bytes.size() > kMaxPartBytes) {
    throw validation_error("The file part is " + std::to_string(bytes.size()) +
                           " bytes; one request may send at most 20 MB (" +
                           std::to_string(kMaxPartBytes) + " bytes).");
  }
  if (upload.mode == "multi_part" && number < upload.number_of_parts &&
      bytes.size() < kMinPartBytes) {
    throw validation_error("Part " + std::to_string(number) + " is " +
                           std::to_string(bytes.size()) +
                           " bytes; every part but the last must be at least 5 MB (" +
                           std::to_string(kMinPartBytes) + " bytes).");
  }
  // The file's name and type: the upload's, else the form part's.
  const std::string filename = upload.filename.empty() ? file->filename : upload.filename;
  const std::string part_type = stated_type(*file);
  if (!upload.content_type.empty() && !part_type.empty() &&
      !same_content_type(part_type, upload.content_type)) {
    throw validation_error("The file sent is " + part_type + " but the upload was created for " +
                           upload.content_type + ".");
  }
  const std::string content_type = upload.content_type.empty() ? part_type : upload.content_type;
  const std::string extension = checked_extension(filename, content_type);
  std::size_t total = bytes.size();
  for (const auto& [sent_number, sent] : upload.parts) total += sent.size();
  if (total > max_file_size_) {
    throw validation_error("The file is larger than this workspace's limit of " +
                           std::to_string(max_file_size_) + " bytes per file upload.");
  }
  upload.filename = filename.empty()                 ? "file." + extension
                    : extension_of(filename).empty() ? filename + "." + extension
                                                     : filename;
  upload.content_type = content_type.empty() ? content_type_for(extension) : content_type;
  upload.last_edited_ms = now;
  if (upload.mode == "multi_part") {
    upload.parts[number] = bytes;
    upload.parts_sent = upload.parts.size();
  } else {
    upload.content = bytes;
    upload.state = "uploaded";
  }
  return object(upload, now);
}

json FileUploads::complete(const std::string& id, std::int64_t now) {
  FileUpload& upload = find(id);
  if (upload.mode != "multi_part") {
    throw validation_error("File upload " + id + " is " + upload.mode +
                           ": only a multi_part upload is completed.");
  }
  const std::string current = status(upload, now);
  if (current != "pending") {
    throw validation_error("File upload " + id + " is " + current +
                           ": only a pending file upload can be completed.");
  }
  if (upload.parts.size() != upload.number_of_parts) {
    throw validation_error("File upload " + id + " expects " +
                           std::to_string(upload.number_of_parts) + " parts; " +
                           std::to_string(upload.parts.size()) + " were sent.");
  }
  upload.content.clear();
  for (const auto& [number, bytes] : upload.parts) upload.content += bytes;
  upload.parts.clear();
  upload.state = "uploaded";
  upload.last_edited_ms = now;
  return object(upload, now);
}

json FileUploads::retrieve(const std::string& id, std::int64_t now) const {
  return object(find(id), now);
}

json FileUploads::list(const std::optional<std::string>& status_filter, const Paging& paging,
                       std::int64_t now) const {
  if (status_filter && std::find(std::begin(kStatuses), std::end(kStatuses), *status_filter) ==
                           std::end(kStatuses)) {
    throw validation_error(
        "query failed validation: query.status should be one of `pending`, `uploaded`, "
        "`expired`, `failed`, instead was `\"" +
        *status_filter + "\"`.");
  }
  std::vector<const FileUpload*> found;
  for (const auto& [id, upload] : uploads_) {
    if (!status_filter || status(upload, now) == *status_filter) found.push_back(&upload);
  }
  std::sort(found.begin(), found.end(),
            [](const FileUpload* a, const FileUpload* b) { return a->sequence > b->sequence; });
  std::vector<std::string> ids;
  for (const FileUpload* upload : found) ids.push_back(upload->id);
  const Window window =
      paginate(ids, paging.start_cursor, page_size_from_query(paging.page_size, kMaxPageSize));
  json results = json::array();
  for (std::size_t i = window.begin; i < window.end; ++i) results.push_back(object(*found[i], now));
  return list_response(std::move(results), window, "file_upload");
}

const FileUpload& FileUploads::attachable(const std::string& id, const std::string& path,
                                          std::int64_t now) const {
  const auto found = uploads_.find(id);
  if (found == uploads_.end()) {
    throw validation_error("Could not find file_upload with ID: " + id + " (" + path + ").");
  }
  const std::string current = status(found->second, now);
  if (current != "uploaded") {
    throw validation_error("File upload " + id + " is " + current + " (" + path +
                           "): only an uploaded file upload can be attached.");
  }
  return found->second;
}

void FileUploads::attach(const std::vector<std::string>& ids, std::int64_t now) {
  for (const std::string& id : ids) {
    FileUpload& upload = find(id);
    upload.attached = true;
    upload.last_edited_ms = now;
  }
}

json FileUploads::file_object(const std::string& id, std::int64_t now) const {
  const FileUpload& upload = find(id);
  const std::int64_t expires = now + kHourMs;
  return {{"url", base_url_ + "/files/" + id + "/" + percent_encode(upload.filename) +
                      "?expires=" + std::to_string(expires)},
          {"expiry_time", format_instant(expires)}};
}

const FileUpload* FileUploads::downloadable(const std::string& id) const {
  const auto found = uploads_.find(id);
  if (found == uploads_.end() || found->second.state != "uploaded") return nullptr;
  return &found->second;
}

json FileUploads::to_state() const {
  json uploads = json::array();
  for (const auto& [id, upload] : uploads_) {
    json parts = json::object();
    for (const auto& [number, bytes] : upload.parts) parts[std::to_string(number)] = base64(bytes);
    uploads.push_back({{"id", upload.id},
                       {"mode", upload.mode},
                       {"filename", upload.filename},
                       {"content_type", upload.content_type},
                       {"external_url", upload.external_url},
                       {"created_by", upload.created_by},
                       {"created_by_type", upload.created_by_type},
                       {"created_ms", upload.created_ms},
                       {"last_edited_ms", upload.last_edited_ms},
                       {"expires_ms", upload.expires_ms},
                       {"sequence", upload.sequence},
                       {"state", upload.state},
                       {"attached", upload.attached},
                       {"number_of_parts", upload.number_of_parts},
                       {"parts_sent", upload.parts_sent},
                       {"parts", parts},
                       {"content", base64(upload.content)}});
  }
  return {{"sequence", sequence_}, {"uploads", uploads}};
}

void FileUploads::load_state(const json& state) {
  uploads_.clear();
  sequence_ = state.value("sequence", std::uint64_t{0});
  for (const json& entry : state.value("uploads", json::array())) {
    FileUpload upload;
    upload.id = entry.at("id");
    upload.mode = entry.at("mode");
    upload.filename = entry.value("filename", "");
    upload.content_type = entry.value("content_type", "");
    upload.external_url = entry.value("external_url", "");
    upload.created_by = entry.value("created_by", "");
    upload.created_by_type = entry.value("created_by_type", "bot");
    upload.created_ms = entry.value("created_ms", std::int64_t{0});
    upload.last_edited_ms = entry.value("last_edited_ms", std::int64_t{0});
    upload.expires_ms = entry.value("expires_ms", std::int64_t{0});
    upload.sequence = entry.value("sequence", std::uint64_t{0});
    upload.state = entry.value("state", "pending");
    upload.attached = entry.value("attached", false);
    upload.number_of_parts = entry.value("number_of_parts", std::size_t{0});
    upload.parts_sent = entry.value("parts_sent", std::size_t{0});
    const json parts = entry.value("parts", json::object());  // items() must not outlive it
    for (const auto& [number, bytes] : parts.items()) {
      upload.parts[std::stoul(number)] = from_base64(bytes.get<std::string>());
    }
    upload.content = from_base64(entry.value("content", ""));
    uploads_[upload.id] = std::move(upload);
  }
}

}  // namespace notion_emulator
