// One HTTP attempt as a libcurl easy handle: builds it from a Request and reads its result.
// Private to the client; the request loop in client.cpp owns the multi handle.
#pragma once

#include <curl/curl.h>

#include <array>
#include <chrono>
#include <memory>
#include <string>

#include "notionsync/notion/request.hpp"

namespace notionsync::notion::detail {

struct CurlEasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
struct CurlMimeDeleter {
  void operator()(curl_mime* mime) const { curl_mime_free(mime); }
};

struct TransportSettings {
  std::string base_url;
  std::string authorization_header;  // "Authorization: Bearer …"
  std::string version_header;        // "Notion-Version: 2026-03-11"
  std::string user_agent;
  std::chrono::milliseconds connect_timeout{};
  std::chrono::milliseconds request_timeout{};
};

// How an attempt ended, read after libcurl reports it done.
struct AttemptResult {
  CURLcode curl_code = CURLE_OK;
  int status = 0;
  bool request_may_have_been_sent = true;
  bool retryable_transport_failure = true;  // false for TLS verification, bad URL, ...
  std::string body;
  std::string retry_after;  // raw header, empty when absent
  std::string request_id;   // x-notion-request-id header
  std::string curl_message;
};

// The easy handle and the buffers it points into; must stay at one address while running.
class HttpAttempt {
 public:
  HttpAttempt(const TransportSettings& settings, const Request& request, bool fresh_connection);
  HttpAttempt(const HttpAttempt&) = delete;
  HttpAttempt& operator=(const HttpAttempt&) = delete;

  CURL* handle() const { return easy_.get(); }
  AttemptResult finish(CURLcode code);

 private:
  static size_t on_body(char* data, size_t size, size_t count, void* self);
  static size_t on_header(char* data, size_t size, size_t count, void* self);

  // Declared first so it is freed after the easy handle that uses it, as libcurl asks.
  std::unique_ptr<curl_mime, CurlMimeDeleter> form_;
  std::unique_ptr<CURL, CurlEasyDeleter> easy_;
  std::unique_ptr<curl_slist, CurlSlistDeleter> headers_;
  std::string url_;
  std::string request_body_;
  std::string response_body_;
  std::string retry_after_;
  std::string request_id_;
  std::array<char, CURL_ERROR_SIZE> error_buffer_{};
};

// Builds base_url + path + "?query", percent-encoding query values. Values are percent-decoded
// first, as Notion's SDK does, so an already-encoded property id ("U%3AC%3C") is not encoded
// twice (makenotion/notion-sdk-js#402).
std::string build_url(const std::string& base_url, const Request& request);

}  // namespace notionsync::notion::detail
