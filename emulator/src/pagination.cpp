#include "pagination.hpp"

#include <algorithm>

#include "api_error.hpp"
#include "ids.hpp"

namespace notion_emulator {
namespace {

std::size_t checked_page_size(const nlohmann::json& value, const std::string& path) {
  if (!value.is_number_integer()) throw body_validation_error(path, "an integer", value);
  const auto size = value.get<std::int64_t>();
  if (size < 1) throw body_validation_error(path, "≥ `1`", value);
  if (size > static_cast<std::int64_t>(kMaxPageSize)) {
    throw validation_error("body failed validation: " + path + " should be ≤ `100`, instead was `" +
                           std::to_string(size) + "`.");
  }
  return static_cast<std::size_t>(size);
}

}  // namespace

std::size_t page_size_from_body(const nlohmann::json& body, std::size_t fallback) {
  if (!body.contains("page_size") || body["page_size"].is_null()) return fallback;
  return checked_page_size(body["page_size"], "body.page_size");
}

std::size_t page_size_from_query(const std::optional<std::string>& text, std::size_t fallback) {
  if (!text) return fallback;
  const bool digits =
      !text->empty() && text->size() < 10 &&
      std::all_of(text->begin(), text->end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits) {
    throw validation_error(
        "query failed validation: query.page_size should be a number, instead "
        "was `\"" +
        *text + "\"`.");
  }
  const auto size = std::stoll(*text);
  if (size < 1 || size > static_cast<long long>(kMaxPageSize)) {
    throw validation_error(
        "query failed validation: query.page_size should be ≤ `100` and ≥ `1`, "
        "instead was `" +
        *text + "`.");
  }
  return static_cast<std::size_t>(size);
}

std::optional<std::string> cursor_from_body(const nlohmann::json& body) {
  if (!body.contains("start_cursor")) return std::nullopt;
  const nlohmann::json& cursor = body["start_cursor"];
  // The API rejects start_cursor: null (the JS SDK deletes it before sending for that reason).
  if (!cursor.is_string()) throw body_validation_error("body.start_cursor", "a string", cursor);
  return cursor.get<std::string>();
}

Window paginate(const std::vector<std::string>& ids, const std::optional<std::string>& cursor,
                std::size_t page_size) {
  Window window;
  if (cursor) {
    const auto id = normalize_id(*cursor);
    const auto found = id ? std::find(ids.begin(), ids.end(), *id) : ids.end();
    if (found == ids.end()) {
      throw validation_error("The start_cursor provided is invalid: " + *cursor);
    }
    window.begin = static_cast<std::size_t>(found - ids.begin());
  }
  window.end = std::min(ids.size(), window.begin + page_size);
  window.has_more = window.end < ids.size();
  if (window.has_more) window.next_cursor = ids[window.end];
  return window;
}

nlohmann::json list_response(nlohmann::json results, const Window& window,
                             const std::string& type) {
  return {{"object", "list"},
          {"results", std::move(results)},
          {"next_cursor", window.next_cursor},
          {"has_more", window.has_more},
          {"type", type},
          {type, nlohmann::json::object()}};
}

}  // namespace notion_emulator
