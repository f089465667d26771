#include "http_attempt.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string_view>

#include "notionsync/core/error.hpp"
#include "util/url.hpp"

namespace notionsync::notion::detail {
namespace {

bool header_is(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':') return false;
  return std::equal(name.begin(), name.end(), line.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
}

std::string header_value(std::string_view line, std::string_view name) {
  std::string_view value = line.substr(name.size() + 1);
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) {
    value.remove_prefix(1);
  }
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) {
    value.remove_suffix(1);
  }
  return std::string(value);
}

// Failures that certainly happened before any request byte could reach the server.
bool failed_before_sending(CURLcode code, CURL* easy) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    case CURLE_OPERATION_TIMEDOUT: {
      // A timeout while connecting: the request was never started.
      curl_off_t pretransfer = 0;
      curl_easy_getinfo(easy, CURLINFO_PRETRANSFER_TIME_T, &pretransfer);
      return pretransfer == 0;
    }
    default:
      return false;
  }
}

// Failures another attempt cannot fix.
bool is_permanent(CURLcode code) {
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_NOT_BUILT_IN:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_OUT_OF_MEMORY:
      return true;
    default:
      return false;
  }
}

void check(CURLcode code, const char* what) {
  if (code != CURLE_OK) {
    throw Error(ErrorKind::internal,
                std::string("libcurl rejected ") + what + ": " + curl_easy_strerror(code));
  }
}

}  // namespace

std::string build_url(const std::string& base_url, const Request& request) {
  std::string query;
  for (const auto& [name, value] : request.query) {
    if (!query.empty()) query += '&';
    query += util::percent_encode(name);
    query += '=';
    query += util::percent_encode(util::percent_decode(value));
  }
  try {
    return util::url_with_query(base_url + request.path, query);
  } catch (const std::invalid_argument& error) {
    throw Error(ErrorKind::invalid_argument, std::string("request URL: ") + error.what());
  }
}

HttpAttempt::HttpAttempt(const TransportSettings& settings, const Request& request,
                         bool fresh_connection)
    : easy_(curl_easy_init()), url_(build_url(settings.base_url, request)) {
  if (!easy_) throw Error(ErrorKind::internal, "curl_easy_init failed");
  CURL* easy = easy_.get();

  curl_slist* list = nullptr;
  auto append = [&](const std::string& line) {
    curl_slist* grown = curl_slist_append(list, line.c_str());
    if (!grown) {
      curl_slist_free_all(list);
      throw Error(ErrorKind::internal, "curl_slist_append failed");
    }
    list = grown;
  };
  append(settings.authorization_header);
  append(settings.version_header);
  append("Accept: application/json");
  // Without this libcurl waits for "100 Continue" before sending bodies over 1 KiB.
  append("Expect:");
  if (request.body && request.form.empty()) {
    append("Content-Type: application/json");
    request_body_ = request.body->dump();
  }
  headers_.reset(list);

  check(curl_easy_setopt(easy, CURLOPT_URL, url_.c_str()), "URL");
  check(curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https"), "protocols");
  check(curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers_.get()), "headers");
  check(curl_easy_setopt(easy, CURLOPT_USERAGENT, settings.user_agent.c_str()), "user agent");
  check(curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L), "nosignal");
  check(curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L), "verify peer");
  check(curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L), "verify host");
  check(curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                         static_cast<long>(settings.connect_timeout.count())),
        "connect timeout");
  check(curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS,
                         static_cast<long>(settings.request_timeout.count())),
        "timeout");
  check(curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_buffer_.data()), "error buffer");
  check(curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &HttpAttempt::on_body), "write function");
  check(curl_easy_setopt(easy, CURLOPT_WRITEDATA, this), "write data");
  check(curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &HttpAttempt::on_header), "header function");
  check(curl_easy_setopt(easy, CURLOPT_HEADERDATA, this), "header data");
  check(curl_easy_setopt(easy, CURLOPT_PRIVATE, this), "private");
  // libcurl silently re-sends a request whose reused connection closed before any response byte
  // arrived. For a create that is exactly the "applied, then the connection dropped" case, and the
  // re-send would make a duplicate page: give non-idempotent requests their own connection.
  if (fresh_connection) check(curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT, 1L), "fresh connect");

  switch (request.method) {
    case Method::get:
      check(curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L), "GET");
      break;
    case Method::post:
      check(curl_easy_setopt(easy, CURLOPT_POST, 1L), "POST");
      break;
    case Method::patch:
      check(curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, "PATCH"), "PATCH");
      break;
    case Method::del:
      check(curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, "DELETE"), "DELETE");
      break;
  }
  if (!request.form.empty()) {
    // multipart/form-data through libcurl's mime API: it writes the boundary and Content-Type,
    // and copies each field's bytes (curl_mime_data), so the request may be retried as it is.
    form_.reset(curl_mime_init(easy));
    if (!form_) throw Error(ErrorKind::internal, "curl_mime_init failed");
    for (const FormField& field : request.form) {
      curl_mimepart* part = curl_mime_addpart(form_.get());
      if (part == nullptr) throw Error(ErrorKind::internal, "curl_mime_addpart failed");
      check(curl_mime_name(part, field.name.c_str()), "form field name");
      check(curl_mime_data(part, field.value.data(), field.value.size()), "form field data");
      if (!field.filename.empty()) {
        check(curl_mime_filename(part, field.filename.c_str()), "form file name");
      }
      if (!field.content_type.empty()) {
        check(curl_mime_type(part, field.content_type.c_str()), "form content type");
      }
    }
    check(curl_easy_setopt(easy, CURLOPT_MIMEPOST, form_.get()), "form");
  } else if (request.body || request.method == Method::post) {
    check(curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                           static_cast<curl_off_t>(request_body_.size())),
          "body size");
    check(curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request_body_.c_str()), "body");
  }
}

size_t HttpAttempt::on_body(char* data, size_t size, size_t count, void* self) {
  static_cast<HttpAttempt*>(self)->response_body_.append(data, size * count);
  return size * count;
}

size_t HttpAttempt::on_header(char* data, size_t size, size_t count, void* self) {
  auto* attempt = static_cast<HttpAttempt*>(self);
  const std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    // A new response (after "100 Continue"): forget the previous one's headers.
    attempt->retry_after_.clear();
    attempt->request_id_.clear();
  } else if (header_is(line, "retry-after")) {
    attempt->retry_after_ = header_value(line, "retry-after");
  } else if (header_is(line, "x-notion-request-id")) {
    attempt->request_id_ = header_value(line, "x-notion-request-id");
  }
  return size * count;
}

AttemptResult HttpAttempt::finish(CURLcode code) {
  AttemptResult result;
  result.curl_code = code;
  if (code == CURLE_OK) {
    long status = 0;
    curl_easy_getinfo(easy_.get(), CURLINFO_RESPONSE_CODE, &status);
    result.status = static_cast<int>(status);
  } else {
    result.request_may_have_been_sent = !failed_before_sending(code, easy_.get());
    result.retryable_transport_failure = !is_permanent(code);
    result.curl_message = error_buffer_[0] != '\0' ? std::string(error_buffer_.data())
                                                   : std::string(curl_easy_strerror(code));
  }
  result.body = std::move(response_body_);
  result.retry_after = std::move(retry_after_);
  result.request_id = std::move(request_id_);
  return result;
}

}  // namespace notionsync::notion::detail
