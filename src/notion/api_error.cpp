#include "notionsync/notion/api_error.hpp"

#include <utility>

namespace notionsync::notion {
namespace {

std::string describe(const ApiErrorInfo& info) {
  std::string text = "Notion API " + info.method + " " + info.path + ": ";
  if (info.kind == NotionErrorKind::outcome_unknown) {
    text += "outcome unknown, the request may have been applied (";
  }
  if (info.status != 0) {
    text += std::to_string(info.status);
    if (!info.code.empty()) text += " " + info.code;
    text += ": ";
  }
  text += info.message;
  if (info.kind == NotionErrorKind::outcome_unknown) text += ")";
  // Notion answers 404 both for missing objects and for objects the integration cannot see; the
  // second is by far the common cause when setting up a sync (makenotion/notion-sdk-js#56).
  if (info.kind == NotionErrorKind::not_found) {
    text +=
        " (if it exists, share the page or database with the integration: "
        "\u00b7\u00b7\u00b7 \u2192 Connections)";
  }
  if (!info.request_id.empty()) text += " [request_id " + info.request_id + "]";
  if (info.attempts > 1) text += " after " + std::to_string(info.attempts) + " attempts";
  return text;
}

}  // namespace

std::string_view to_string(NotionErrorKind kind) {
  switch (kind) {
    case NotionErrorKind::unauthorized:
      return "unauthorized";
    case NotionErrorKind::restricted:
      return "restricted";
    case NotionErrorKind::not_found:
      return "not_found";
    case NotionErrorKind::validation:
      return "validation";
    case NotionErrorKind::conflict:
      return "conflict";
    case NotionErrorKind::rate_limited:
      return "rate_limited";
    case NotionErrorKind::server:
      return "server";
    case NotionErrorKind::network:
      return "network";
    case NotionErrorKind::outcome_unknown:
      return "outcome_unknown";
    case NotionErrorKind::result_limit:
      return "result_limit";
    case NotionErrorKind::cancelled:
      return "cancelled";
  }
  return "unknown";
}

ApiError::ApiError(ApiErrorInfo info)
    : Error(ErrorKind::remote, describe(info)), info_(std::move(info)) {}

NotionErrorKind error_kind_for_status(int status) {
  switch (status) {
    case 401:
      return NotionErrorKind::unauthorized;
    case 403:
      return NotionErrorKind::restricted;
    case 404:
      return NotionErrorKind::not_found;
    case 409:
      return NotionErrorKind::conflict;
    case 429:
    case 529:
      return NotionErrorKind::rate_limited;
    default:
      break;
  }
  if (status >= 500) return NotionErrorKind::server;
  if (status >= 400) return NotionErrorKind::validation;
  return NotionErrorKind::server;
}

std::string redact(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  constexpr std::string_view replacement = "[redacted]";
  for (auto at = text.find(secret); at != std::string::npos;
       at = text.find(secret, at + replacement.size())) {
    text.replace(at, secret.size(), replacement);
  }
  return text;
}

}  // namespace notionsync::notion
