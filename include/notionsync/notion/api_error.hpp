// ApiError: a failed Notion API call, with a kind the caller branches on.
//
// Every error the client reports for a request is an ApiError (an Error of ErrorKind::remote):
//
//   try {
//     client.call(endpoints::update_page(page_id, properties));
//   } catch (const notion::ApiError& e) {
//     if (e.notion_kind() == notion::NotionErrorKind::not_found) { /* forget the row */ }
//     else if (e.notion_kind() == notion::NotionErrorKind::outcome_unknown) { /* look the row up */
//     } else throw;
//   }
//
// The message names the method, the path, the HTTP status, Notion's error code and message and the
// request id. It never contains the API token: the client removes it from any text it did not
// write.
#pragma once

#include <string>
#include <string_view>

#include "notionsync/core/error.hpp"

namespace notionsync::notion {

enum class NotionErrorKind {
  unauthorized,     // 401: the token is invalid or revoked
  restricted,       // 403: the integration lacks a capability (read, insert or update content)
  not_found,        // 404: no such object, or it is not shared with the integration
  validation,       // 400 (and other 4xx): Notion rejected the request; the message says why
  conflict,         // 409 after the retries allowed (Notion: "Conflict occurred while saving")
  rate_limited,     // 429 (or 529 service_overload) after the retries allowed
  server,           // 5xx after the retries allowed, or a response that is not Notion's JSON
  network,          // no HTTP response: DNS, connect, TLS, reset or timeout, after retries
  outcome_unknown,  // a non-idempotent call (a create) may have been applied: look it up before
                    // sending it again
  result_limit,     // a query reached Notion's 10,000-result cap and could not be split
  cancelled,        // the client was destroyed before the call finished
};

std::string_view to_string(NotionErrorKind kind);

// What went wrong with one call, as reported to the caller.
struct ApiErrorInfo {
  NotionErrorKind kind = NotionErrorKind::server;
  int status = 0;          // HTTP status of the last attempt; 0 when there was no response
  std::string code;        // Notion's error code ("validation_error"); empty when unknown
  std::string message;     // Notion's message, or a description of the network failure
  std::string request_id;  // x-notion-request-id / body request_id; empty when unknown
  std::string method;      // "POST"
  std::string path;        // "/v1/pages" (no query string, no host)
  int attempts = 1;        // how many times the request was sent or tried
};

class ApiError : public Error {
 public:
  explicit ApiError(ApiErrorInfo info);

  const ApiErrorInfo& info() const noexcept { return info_; }
  NotionErrorKind notion_kind() const noexcept { return info_.kind; }
  int status() const noexcept { return info_.status; }
  const std::string& code() const noexcept { return info_.code; }
  const std::string& notion_message() const noexcept { return info_.message; }
  const std::string& request_id() const noexcept { return info_.request_id; }
  const std::string& method() const noexcept { return info_.method; }
  const std::string& path() const noexcept { return info_.path; }
  int attempts() const noexcept { return info_.attempts; }

 private:
  ApiErrorInfo info_;
};

// The kind for a final (non-retried) HTTP error status: 401 unauthorized, 403 restricted, 404
// not_found, 409 conflict, 429 and 529 rate_limited, other 5xx server, other 4xx validation.
NotionErrorKind error_kind_for_status(int status);

// Replaces every occurrence of `secret` in `text` by "[redacted]". An empty secret changes nothing.
std::string redact(std::string text, std::string_view secret);

}  // namespace notionsync::notion
