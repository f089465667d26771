// Pagination: reading every result of Notion's paginated endpoints.
//
// Notion lists return at most 100 results and a cursor ({"results", "next_cursor", "has_more"}).
// A data source query stops at 10,000 results, saying so only in request_status ("incomplete");
// query_all_rows() notices and, when it controls the order, continues in created_time windows
// the way Notion's SDK helper iterateAllDataSourceRows does:
//
//   DataSourceQuery query{.data_source_id = id, .filter = nullptr, .sorts = nullptr,
//                         .filter_properties = {"title", "Key"}, .page_size = 100};
//   query_all_rows(client, query, [&](std::vector<nlohmann::json> rows) { ... });
//
// All functions here are blocking and throw ApiError (client.hpp) like Client::call().
#pragma once

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "notionsync/notion/client.hpp"
#include "notionsync/notion/endpoints.hpp"

namespace notionsync::notion {

// One page of a list response.
struct ListPage {
  std::vector<nlohmann::json> results;
  std::optional<std::string> next_cursor;  // set only when has_more
  // request_status.type == "incomplete": Notion stopped at its 10,000-result cap.
  bool incomplete = false;
};

// Reads a list response. Throws Error(invalid_value) when `response` is not a list.
ListPage parse_list_page(const nlohmann::json& response);

// Steps through any paginated endpoint one page at a time:
//
//   Pager pager(client, [&](const auto& cursor) { return endpoints::list_block_children(id,
//   cursor); }); while (std::optional<ListPage> page = pager.next()) { ... }
class Pager {
 public:
  using MakeRequest = std::function<Request(const std::optional<std::string>& cursor)>;

  // `make_request(cursor)` builds the request for the page at `cursor` (nullopt: the first).
  Pager(Client& client, MakeRequest make_request);

  // The next page, or nullopt once the last page was returned. Throws ApiError.
  std::optional<ListPage> next();

 private:
  Client& client_;
  MakeRequest make_request_;
  std::optional<std::string> cursor_;
  bool done_ = false;
};

struct QueryStats {
  std::size_t pages = 0;    // query calls made
  std::size_t rows = 0;     // rows delivered
  std::size_t windows = 1;  // created_time windows used (more than 1 past 10,000 rows)
};

// Delivers every row `query` matches, one call of `on_rows` per page, rows never repeated.
// Without sorts of its own the query is sorted by created_time and continues past Notion's
// 10,000-row cap with created_time windows. With sorts, or when over 10,000 rows share one
// created_time, reaching the cap throws ApiError with NotionErrorKind::result_limit.
QueryStats query_all_rows(Client& client, const DataSourceQuery& query,
                          const std::function<void(std::vector<nlohmann::json> rows)>& on_rows);

// Every child block of `block_id` (e.g. to find child_database blocks under a page).
std::vector<nlohmann::json> list_all_block_children(Client& client, std::string_view block_id);

// Every search result for `query` (object_type "page", "data_source" or empty).
std::vector<nlohmann::json> search_all(Client& client, std::string_view query,
                                       std::string_view object_type);

// The complete value of one property of a page, from the property item endpoint, shaped like the
// page object's property value ({"id","type","<type>": ...}) so decode_property_value() reads it.
// `property_id` is the id from the page object.
nlohmann::json read_property_items(Client& client, std::string_view page_id,
                                   std::string_view property_id);

// Replaces, in `page`, each property value that may be truncated (see
// property_value_may_be_truncated()) by its complete value. Returns how many were read.
std::size_t complete_truncated_properties(Client& client, nlohmann::json& page);

}  // namespace notionsync::notion
