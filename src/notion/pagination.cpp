#include "notionsync/notion/pagination.hpp"

#include <set>

#include "notionsync/core/error.hpp"
#include "notionsync/notion/property_value_codec.hpp"

namespace notionsync::notion {
namespace {

using nlohmann::json;

// Reads pages from `make_request(cursor)` until has_more is false; `on_page` sees each page and
// returns false to stop early.
void for_each_page(Client& client,
                   const std::function<Request(const std::optional<std::string>&)>& make_request,
                   const std::function<bool(ListPage&)>& on_page) {
  Pager pager(client, make_request);
  while (std::optional<ListPage> page = pager.next()) {
    if (!on_page(*page)) return;
  }
}

std::string created_time_of(const json& row) {
  auto it = row.find("created_time");
  return it != row.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string id_of(const json& row) {
  auto it = row.find("id");
  return it != row.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// `filter` AND created_time >= `since`. Joins an existing "and" rather than nesting, because
// Notion allows compound filters only two levels deep.
json with_created_since(const json& filter, const std::string& since) {
  json window = {{"timestamp", "created_time"}, {"created_time", {{"on_or_after", since}}}};
  if (filter.is_null() || filter.empty()) return window;
  if (filter.is_object() && filter.contains("and") && filter["and"].is_array()) {
    json joined = filter;
    joined["and"].push_back(std::move(window));
    return joined;
  }
  return json{{"and", json::array({filter, std::move(window)})}};
}

[[noreturn]] void throw_result_limit(const DataSourceQuery& query, const std::string& why) {
  ApiErrorInfo info;
  info.kind = NotionErrorKind::result_limit;
  info.status = 200;
  info.code = "query_result_limit_reached";
  info.message = "the query reached Notion's 10,000-result limit; " + why;
  info.method = "POST";
  info.path = "/v1/data_sources/" + query.data_source_id + "/query";
  throw ApiError(std::move(info));
}

}  // namespace

ListPage parse_list_page(const json& response) {
  if (!response.is_object() || !response.contains("results") || !response["results"].is_array()) {
    throw Error(ErrorKind::invalid_value, "Notion returned a list without results");
  }
  ListPage page;
  page.results.reserve(response["results"].size());
  for (const json& result : response["results"]) page.results.push_back(result);
  const bool has_more = response.value("has_more", false);
  if (has_more) {
    auto it = response.find("next_cursor");
    if (it != response.end() && it->is_string() && !it->get_ref<const std::string&>().empty()) {
      page.next_cursor = it->get<std::string>();
    }
  }
  if (auto it = response.find("request_status"); it != response.end() && it->is_object()) {
    page.incomplete = it->value("type", "") == "incomplete";
  }
  return page;
}

Pager::Pager(Client& client, MakeRequest make_request)
    : client_(client), make_request_(std::move(make_request)) {}

std::optional<ListPage> Pager::next() {
  if (done_) return std::nullopt;
  ListPage page = parse_list_page(client_.call(make_request_(cursor_)));
  cursor_ = page.next_cursor;
  done_ = !cursor_.has_value();
  return page;
}

QueryStats query_all_rows(Client& client, const DataSourceQuery& query,
                          const std::function<void(std::vector<json> rows)>& on_rows) {
  const bool own_order = !(query.sorts.is_array() && !query.sorts.empty());
  DataSourceQuery window_query = query;
  if (own_order) {
    window_query.sorts = json::array({{{"timestamp", "created_time"}, {"direction", "ascending"}}});
    // created_time is needed to move the window even when the caller narrowed the properties;
    // it is a top-level page field, always returned.
  }

  QueryStats stats;
  std::optional<std::string> window_start;
  std::set<std::string> delivered_at_boundary;  // ids already delivered with created_time == start
  while (true) {
    if (window_start) window_query.filter = with_created_since(query.filter, *window_start);
    bool incomplete = false;
    std::string last_created;
    std::set<std::string> delivered_at_last;
    for_each_page(
        client,
        [&](const auto& cursor) { return endpoints::query_data_source(window_query, cursor); },
        [&](ListPage& page) {
          ++stats.pages;
          std::vector<json> rows;
          rows.reserve(page.results.size());
          for (json& row : page.results) {
            const std::string id = id_of(row);
            const std::string created = created_time_of(row);
            if (window_start && created == *window_start && delivered_at_boundary.count(id)) {
              continue;
            }
            if (created != last_created) {
              last_created = created;
              delivered_at_last.clear();
            }
            delivered_at_last.insert(id);
            rows.push_back(std::move(row));
          }
          stats.rows += rows.size();
          if (!rows.empty()) on_rows(std::move(rows));
          incomplete = page.incomplete;
          return !incomplete;
        });
    if (!incomplete) return stats;
    if (!own_order) throw_result_limit(query, "sorted queries cannot be split; narrow the filter");
    if (last_created.empty() || (window_start && last_created == *window_start)) {
      throw_result_limit(query, "over 10,000 rows share one created_time, so it cannot be split");
    }
    // The next window starts at the last created_time seen; rows of that instant already
    // delivered are skipped when they come again.
    delivered_at_boundary = std::move(delivered_at_last);
    window_start = last_created;
    ++stats.windows;
  }
}

std::vector<json> list_all_block_children(Client& client, std::string_view block_id) {
  std::vector<json> children;
  for_each_page(
      client, [&](const auto& cursor) { return endpoints::list_block_children(block_id, cursor); },
      [&](ListPage& page) {
        for (json& child : page.results) children.push_back(std::move(child));
        return true;
      });
  return children;
}

std::vector<json> search_all(Client& client, std::string_view query, std::string_view object_type) {
  std::vector<json> results;
  for_each_page(
      client, [&](const auto& cursor) { return endpoints::search(query, object_type, cursor); },
      [&](ListPage& page) {
        for (json& result : page.results) results.push_back(std::move(result));
        return true;
      });
  return results;
}

json read_property_items(Client& client, std::string_view page_id, std::string_view property_id) {
  std::optional<std::string> cursor;
  json first = client.call(endpoints::retrieve_property_item(page_id, property_id, cursor));
  if (first.value("object", "") != "list") return first;  // a simple type: the whole value

  // title, rich_text, relation and people come as a list of items, one element each.
  const json& item_info = first.contains("property_item") ? first["property_item"] : json::object();
  const std::string type = item_info.value("type", "");
  json values = json::array();
  json response = std::move(first);
  while (true) {
    ListPage page = parse_list_page(response);
    for (const json& item : page.results) {
      const std::string item_type = item.value("type", type);
      if (item.contains(item_type)) values.push_back(item[item_type]);
    }
    if (!page.next_cursor) break;
    response =
        client.call(endpoints::retrieve_property_item(page_id, property_id, page.next_cursor));
  }
  json property = {{"id", item_info.value("id", std::string(property_id))}, {"type", type}};
  property[type] = std::move(values);
  if (type == "relation") property["has_more"] = false;
  return property;
}

std::size_t complete_truncated_properties(Client& client, json& page) {
  if (!page.contains("properties") || !page["properties"].is_object()) return 0;
  const std::string page_id = id_of(page);
  std::size_t completed = 0;
  for (auto& [name, value] : page["properties"].items()) {
    if (!property_value_may_be_truncated(value)) continue;
    const std::string property_id = value.value("id", name);
    value = read_property_items(client, page_id, property_id);
    ++completed;
  }
  return completed;
}

}  // namespace notionsync::notion
