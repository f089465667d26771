#include "file_uploader.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

#include "notionsync/core/error.hpp"
#include "notionsync/core/fingerprint.hpp"
#include "notionsync/notion/endpoints.hpp"
#include "util/clock.hpp"

namespace notionsync::notion {
namespace {

using util::now_ms;

constexpr std::string_view cache_scope = "notion.file_uploads";
// Guide "Uploading small files": one part holds at most 20 MB (read as 10^6 bytes, the stricter).
constexpr std::uint64_t max_single_part = 20'000'000;
// Guide "Sending larger files" recommends 10 MB parts; 10 MiB is within its 5 MB..20 MB however a
// MB is read.
constexpr std::uint64_t part_size = 10 * 1024 * 1024;
constexpr std::size_t files_at_once = 4;
// An upload expires an hour after its creation unless attached (reference "File Upload"). One
// kept unattached is trusted this long from its creation here, and confirmed with a GET anyway.
constexpr std::int64_t kept_unattached_ms = 55 * 60 * 1000;

std::string read_bytes(const LocalFile& file) {
  std::ifstream in(file.path, std::ios::binary);
  std::string bytes(file.size, '\0');
  if (in) in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!in.is_open() || in.bad()) {
    throw Error(ErrorKind::invalid_value, "file '" + file.path + "' cannot be read");
  }
  // The fingerprint holds the content read when the row was encoded: uploading other bytes
  // would leave the page and the tracked fingerprint disagreeing.
  const bool same_size = static_cast<std::uint64_t>(in.gcount()) == file.size &&
                         in.peek() == std::char_traits<char>::eof();
  if (!same_size || fingerprint_of(bytes, content_hash_version).to_hex() != file.content_hash) {
    throw Error(ErrorKind::invalid_value,
                "file '" + file.path + "' changed while it was being synced; sync again");
  }
  return bytes;
}

}  // namespace

FileUploader::FileUploader(Client& client, StateStore& store, std::string app_name,
                           const LocalFiles& files)
    : client_(client), store_(store), app_name_(std::move(app_name)), files_(files) {}

std::size_t FileUploader::uploaded() const {
  const std::lock_guard lock(mutex_);
  return uploaded_;
}

std::size_t FileUploader::reused() const {
  const std::lock_guard lock(mutex_);
  return reused_;
}

std::map<std::string, UploadResult> FileUploader::prepare(const std::vector<std::string>& tokens) {
  std::vector<std::string> distinct = tokens;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  std::vector<UploadResult> results(distinct.size());
  std::atomic<std::size_t> next = 0;
  std::exception_ptr failure;
  std::mutex failure_mutex;
  const auto work = [&] {
    for (std::size_t i = next++; i < distinct.size(); i = next++) {
      try {
        results[i] = prepare_one(distinct[i]);
      } catch (...) {
        // A failing store stops the target; the other workers finish their file first.
        const std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
      }
    }
  };
  std::vector<std::thread> workers;
  const std::size_t count = std::min(files_at_once, distinct.size());
  for (std::size_t i = 1; i < count; ++i) workers.emplace_back(work);
  work();
  for (auto& worker : workers) worker.join();
  if (failure) std::rethrow_exception(failure);
  std::map<std::string, UploadResult> by_token;
  for (std::size_t i = 0; i < distinct.size(); ++i) by_token[distinct[i]] = std::move(results[i]);
  return by_token;
}

UploadResult FileUploader::prepare_one(const std::string& token) {
  const std::optional<LocalFile> file = files_.find(token);
  if (!file) return {"", "no file was read for " + token};
  if (const auto kept = store_.read_cached(app_name_, cache_scope, file->upload_key(), now_ms())) {
    const auto entry = nlohmann::json::parse(kept->value, nullptr, false);
    const std::string id = entry.is_object() ? entry.value("id", "") : "";
    const std::string state = entry.is_object() ? entry.value("state", "") : "";
    try {
      if (!id.empty() &&
          (state == "attached" ||
           (state == "uploaded" &&
            client_.call(endpoints::retrieve_file_upload(id)).value("status", "") == "uploaded"))) {
        const std::lock_guard lock(mutex_);
        ++reused_;
        return {id, ""};
      }
    } catch (const ApiError&) {
      // Gone or refused: the file is uploaded anew below.
    }
  }
  try {
    return {upload(*file), ""};
  } catch (const ApiError& error) {
    return {"", "file '" + file->path + "' could not be uploaded: " + error.what()};
  } catch (const Error& error) {
    if (error.kind() == ErrorKind::state_store) throw;
    return {"", error.what()};
  }
}

std::optional<std::uint64_t> FileUploader::max_file_size() {
  const std::lock_guard lock(mutex_);
  if (!max_size_read_) {
    const auto me = client_.call(endpoints::users_me());
    const nlohmann::json::json_pointer where("/bot/workspace_limits/max_file_upload_size_in_bytes");
    const auto limit = me.contains(where) ? me.at(where) : nlohmann::json();
    if (limit.is_number_unsigned()) max_size_ = limit.get<std::uint64_t>();
    max_size_read_ = true;
  }
  return max_size_;
}

void FileUploader::keep(const LocalFile& file, const std::string& upload_id,
                        std::string_view state) {
  const std::int64_t now = now_ms();
  const bool attached = state == "attached";
  store_.write_cached(
      app_name_, cache_scope, file.upload_key(),
      CachedValue{nlohmann::json{{"id", upload_id}, {"state", state}}.dump(),
                  attached ? std::nullopt : std::optional(now + kept_unattached_ms), now});
}

std::string FileUploader::upload(const LocalFile& file) {
  if (const auto limit = max_file_size(); limit && file.size > *limit) {
    throw Error(ErrorKind::invalid_value,
                "file '" + file.path + "' is " + std::to_string(file.size) +
                    " bytes; this workspace takes files of at most " + std::to_string(*limit) +
                    " bytes (users/me: max_file_upload_size_in_bytes)");
  }
  const std::string bytes = read_bytes(file);
  const int parts =
      file.size <= max_single_part ? 0 : static_cast<int>((file.size + part_size - 1) / part_size);
  const auto created =
      client_.call(endpoints::create_file_upload(file.name, file.content_type, parts));
  const std::string id = created.value("id", "");
  if (id.empty()) throw Error(ErrorKind::internal, "Notion answered a file upload without an id");
  keep(file, id, "pending");
  if (parts == 0) {
    client_.call(endpoints::send_file_upload(id, file.name, file.content_type, bytes));
  } else {
    for (int part = 1; part <= parts; ++part) {
      const std::size_t offset = static_cast<std::size_t>(part - 1) * part_size;
      client_.call(endpoints::send_file_upload(id, file.name, file.content_type,
                                               bytes.substr(offset, part_size), part));
    }
    client_.call(endpoints::complete_file_upload(id));
  }
  keep(file, id, "uploaded");
  const std::lock_guard lock(mutex_);
  ++uploaded_;
  return id;
}

void FileUploader::mark_attached(const std::vector<std::string>& tokens) {
  for (const std::string& token : tokens) {
    const auto file = files_.find(token);
    const auto kept = file
                          ? store_.read_cached(app_name_, cache_scope, file->upload_key(), now_ms())
                          : std::nullopt;
    if (!kept) continue;
    const auto entry = nlohmann::json::parse(kept->value, nullptr, false);
    if (!entry.is_object() || entry.value("state", "") == "attached") continue;
    keep(*file, entry.value("id", ""), "attached");
  }
}

void FileUploader::forget(const std::vector<std::string>& tokens) {
  for (const std::string& token : tokens) {
    if (const auto file = files_.find(token)) {
      store_.erase_cached(app_name_, cache_scope, file->upload_key());
    }
  }
}

}  // namespace notionsync::notion
