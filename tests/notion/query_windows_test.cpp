// query_all_rows past Notion's per-query result cap, against a scripted data source whose cap is
// 10 rows (Notion's is 10,000) and whose pages hold 4 rows, so windows and cursors both show.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "notion/scripted_server.hpp"
#include "notionsync/notion/pagination.hpp"

namespace notionsync::notion {
namespace {

using nlohmann::json;
using testing::ScriptedServer;

struct Row {
  std::string id;
  std::string created_time;
};

// Answers POST /v1/data_sources/ds/query like Notion: created_time filter (alone or inside
// "and"), ascending created_time order, cursors, and the cap with request_status "incomplete".
class FakeDataSource {
 public:
  explicit FakeDataSource(std::vector<Row> rows) : rows_(std::move(rows)) {}

  void answer(const httplib::Request& request, httplib::Response& response) {
    const json body = json::parse(request.body);
    std::string since;
    auto read_window = [&](const json& filter) {
      if (filter.value("timestamp", "") == "created_time") {
        since = filter["created_time"]["on_or_after"];
      }
    };
    if (body.contains("filter")) {
      read_window(body["filter"]);
      if (body["filter"].contains("and")) {
        for (const json& part : body["filter"]["and"]) read_window(part);
      }
    }
    std::vector<Row> matching;
    for (const Row& row : rows_) {
      if (row.created_time >= since) matching.push_back(row);
    }
    std::stable_sort(matching.begin(), matching.end(),
                     [](const Row& a, const Row& b) { return a.created_time < b.created_time; });
    const std::size_t start =
        body.contains("start_cursor") ? std::stoul(body["start_cursor"].get<std::string>()) : 0;
    const std::size_t limit = std::min(matching.size(), cap);
    const std::size_t end = std::min(start + page, limit);
    json results = json::array();
    for (std::size_t i = start; i < end; ++i) {
      results.push_back(
          {{"object", "page"}, {"id", matching[i].id}, {"created_time", matching[i].created_time}});
    }
    json answer = {{"object", "list"},
                   {"results", results},
                   {"has_more", end < limit},
                   {"next_cursor", end < limit ? json(std::to_string(end)) : json(nullptr)}};
    if (end == limit && matching.size() > cap) {
      answer["request_status"] = {{"type", "incomplete"},
                                  {"incomplete_reason", "query_result_limit_reached"}};
    }
    response.status = 200;
    response.set_content(answer.dump(), "application/json");
  }

  static constexpr std::size_t cap = 10;
  static constexpr std::size_t page = 4;

 private:
  std::vector<Row> rows_;
};

std::string minute(int m) {
  return "2026-01-01T00:" + std::string(m < 10 ? "0" : "") + std::to_string(m) + ":00.000Z";
}

ClientOptions options_for(const ScriptedServer& server) {
  ClientOptions options;
  options.token = "ntn_windows";
  options.base_url = server.base_url();
  options.rate = {1000, 1000};
  return options;
}

DataSourceQuery query_of_all() {
  DataSourceQuery query;
  query.data_source_id = "66666666-7777-8888-9999-000000000000";
  return query;
}

TEST(QueryWindowsTest, ContinuesPastTheCapInCreatedTimeWindows) {
  // 25 rows, three per minute: every window boundary falls inside a minute.
  std::vector<Row> rows;
  for (int i = 0; i < 25; ++i) rows.push_back({"row-" + std::to_string(i), minute(i / 3)});
  FakeDataSource data_source(rows);
  ScriptedServer server(
      [&](const auto& request, auto& response) { data_source.answer(request, response); });
  Client client(options_for(server));

  std::map<std::string, int> delivered;
  const QueryStats stats = query_all_rows(client, query_of_all(), [&](std::vector<json> page) {
    for (const json& row : page) ++delivered[row["id"].get<std::string>()];
  });
  EXPECT_EQ(delivered.size(), 25u);
  for (const auto& [id, times] : delivered) EXPECT_EQ(times, 1) << id;
  EXPECT_EQ(stats.rows, 25u);
  EXPECT_GT(stats.windows, 2u);
  // Every request sorted by created_time, and later windows carried the created_time filter.
  const auto seen = server.seen();
  EXPECT_EQ(json::parse(seen[0].body)["sorts"][0]["timestamp"], "created_time");
  EXPECT_FALSE(json::parse(seen[0].body).contains("filter"));
  EXPECT_EQ(json::parse(seen.back().body)["filter"]["timestamp"], "created_time");
}

TEST(QueryWindowsTest, KeepsTheCallersFilterInEveryWindow) {
  std::vector<Row> rows;
  for (int i = 0; i < 15; ++i) rows.push_back({"row-" + std::to_string(i), minute(i)});
  FakeDataSource data_source(rows);
  ScriptedServer server(
      [&](const auto& request, auto& response) { data_source.answer(request, response); });
  Client client(options_for(server));
  DataSourceQuery query = query_of_all();
  query.filter = {{"property", "Key"}, {"rich_text", {{"is_not_empty", true}}}};
  std::size_t count = 0;
  query_all_rows(client, query, [&](std::vector<json> page) { count += page.size(); });
  EXPECT_EQ(count, 15u);
  const json last = json::parse(server.seen().back().body)["filter"];
  ASSERT_TRUE(last.contains("and"));
  EXPECT_EQ(last["and"][0], query.filter);
}

TEST(QueryWindowsTest, ReportsTheCapWhenASortedQueryReachesIt) {
  std::vector<Row> rows;
  for (int i = 0; i < 12; ++i) rows.push_back({"row-" + std::to_string(i), minute(i)});
  FakeDataSource data_source(rows);
  ScriptedServer server(
      [&](const auto& request, auto& response) { data_source.answer(request, response); });
  Client client(options_for(server));
  DataSourceQuery query = query_of_all();
  query.sorts = json::array({{{"property", "Name"}, {"direction", "ascending"}}});
  try {
    query_all_rows(client, query, [](std::vector<json>) {});
    FAIL() << "the cap went unnoticed";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.notion_kind(), NotionErrorKind::result_limit);
    EXPECT_NE(std::string(e.what()).find("10,000"), std::string::npos);
  }
}

TEST(QueryWindowsTest, ReportsTheCapWhenOneInstantHoldsTooManyRows) {
  std::vector<Row> rows;
  for (int i = 0; i < 12; ++i) rows.push_back({"row-" + std::to_string(i), minute(0)});
  FakeDataSource data_source(rows);
  ScriptedServer server(
      [&](const auto& request, auto& response) { data_source.answer(request, response); });
  Client client(options_for(server));
  try {
    query_all_rows(client, query_of_all(), [](std::vector<json>) {});
    FAIL() << "the cap went unnoticed";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.notion_kind(), NotionErrorKind::result_limit);
  }
}

}  // namespace
}  // namespace notionsync::notion
