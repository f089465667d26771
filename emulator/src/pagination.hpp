// Notion's cursor pagination: page_size (1..100), start_cursor, next_cursor and has_more.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace notion_emulator {

constexpr std::size_t kMaxPageSize = 100;

// Query-string paging parameters (GET endpoints), as received.
struct Paging {
  std::optional<std::string> start_cursor;
  std::optional<std::string> page_size;
};

// page_size from a JSON body (`path` = "body.page_size"); absent -> `fallback`.
// Throws ApiError(validation_error) unless it is an integer in 1..100.
std::size_t page_size_from_body(const nlohmann::json& body, std::size_t fallback);
// page_size from a query string parameter.
std::size_t page_size_from_query(const std::optional<std::string>& text, std::size_t fallback);

// start_cursor from a JSON body: absent -> nullopt; otherwise it must be a string.
std::optional<std::string> cursor_from_body(const nlohmann::json& body);

struct Window {
  std::size_t begin = 0;
  std::size_t end = 0;
  nlohmann::json next_cursor = nullptr;
  bool has_more = false;
};

// The slice of `ids` a request asks for. Cursors are the id of the first item of the next slice.
// Throws ApiError(validation_error) for a cursor that names no item.
Window paginate(const std::vector<std::string>& ids, const std::optional<std::string>& cursor,
                std::size_t page_size);

// {"object":"list","results":…,"next_cursor":…,"has_more":…,"type":type,type:{}}
nlohmann::json list_response(nlohmann::json results, const Window& window, const std::string& type);

}  // namespace notion_emulator
