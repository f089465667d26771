// Data source queries: filters for every writable type, compounds, sorts, pagination and
// filter_properties.
#include "api_client.hpp"

namespace notion_emulator::testing {
namespace {

class QueryTest : public EmulatorTest {
 protected:
  void SetUp() override {
    EmulatorTest::SetUp();
    data_source_ = create_everything();
    target_ = create_row(other_, {{"Name", {{"title", text("target")}}}});
    const std::string bot = "5f0b9ad7-3e2c-4c55-9f6c-0d6b1c3e0b07";
    create_row(
        data_source_,
        {{"Name", {{"title", text("alpha")}}},
         {"Notes", {{"rich_text", text("Hello World")}}},
         {"Qty", {{"number", 1}}},
         {"Link", {{"url", "https://a.test"}}},
         {"Mail", {{"email", "a@a.test"}}},
         {"Phone", {{"phone_number", "111"}}},
         {"Tag", {{"select", {{"name", "A"}}}}},
         {"Tags", {{"multi_select", json::array({{{"name", "x"}}})}}},
         {"Stage", {{"status", {{"name", "Done"}}}}},
         {"When", {{"date", {{"start", "2024-01-31"}}}}},
         {"Done", {{"checkbox", true}}},
         {"Rel", {{"relation", json::array({{{"id", target_}}})}}},
         {"Owner", {{"people", json::array({{{"id", bot}}})}}},
         {"Att",
          {{"files", json::array({{{"name", "f"}, {"external", {{"url", "https://f.test"}}}}})}}}});
    create_row(data_source_,
               {{"Name", {{"title", text("beta")}}},
                {"Qty", {{"number", 2}}},
                {"Tag", {{"select", {{"name", "B"}}}}},
                {"Tags", {{"multi_select", json::array({{{"name", "x"}}, {{"name", "y"}}})}}},
                {"When", {{"date", {{"start", "2024-02-15T12:00:00Z"}}}}}});
    create_row(data_source_, {{"Name", {{"title", text("gamma")}}}, {"Qty", {{"number", 3}}}});
  }

  // The names a query answers, in its order.
  std::vector<std::string> ordered_names(const json& filter, const json& sorts = nullptr) {
    json body = json::object();
    if (!filter.is_null()) body["filter"] = filter;
    if (!sorts.is_null()) body["sorts"] = sorts;
    const Reply reply = api_->post("/v1/data_sources/" + data_source_ + "/query", body);
    EXPECT_EQ(reply.status, 200) << reply.body.dump();
    std::vector<std::string> found;
    for (const json& page : reply.body["results"]) {
      found.push_back(page["properties"]["Name"]["title"][0]["plain_text"]);
    }
    return found;
  }
  // The names a filter matches, alphabetically (the filter tests check what matches, not order).
  std::vector<std::string> names(const json& filter) {
    std::vector<std::string> found = ordered_names(filter);
    std::sort(found.begin(), found.end());
    return found;
  }

  using Names = std::vector<std::string>;
  std::string data_source_;
  std::string target_;
};

json where(const std::string& property, const std::string& type, const json& condition) {
  return {{"property", property}, {type, condition}};
}

TEST_F(QueryTest, NoFilterReturnsEveryPageNewestFirst) {
  // As Notion answers a query without sorts (every such query in the recorded exchanges).
  EXPECT_EQ(ordered_names(nullptr), (Names{"gamma", "beta", "alpha"}));
}

TEST_F(QueryTest, TextFilters) {
  EXPECT_EQ(names(where("Name", "title", {{"equals", "beta"}})), Names{"beta"});
  EXPECT_EQ(names(where("Name", "title", {{"does_not_equal", "beta"}})), (Names{"alpha", "gamma"}));
  EXPECT_EQ(names(where("Notes", "rich_text", {{"contains", "world"}})), Names{"alpha"});
  EXPECT_EQ(names(where("Notes", "rich_text", {{"does_not_contain", "world"}})),
            (Names{"beta", "gamma"}));
  EXPECT_EQ(names(where("Name", "title", {{"starts_with", "ga"}})), Names{"gamma"});
  EXPECT_EQ(names(where("Name", "title", {{"ends_with", "ta"}})), Names{"beta"});
  EXPECT_EQ(names(where("Notes", "rich_text", {{"is_empty", true}})), (Names{"beta", "gamma"}));
  EXPECT_EQ(names(where("Notes", "rich_text", {{"is_not_empty", true}})), Names{"alpha"});
  EXPECT_EQ(names(where("Link", "url", {{"equals", "https://a.test"}})), Names{"alpha"});
  EXPECT_EQ(names(where("Mail", "email", {{"contains", "@a."}})), Names{"alpha"});
  EXPECT_EQ(names(where("Phone", "phone_number", {{"is_not_empty", true}})), Names{"alpha"});
}

TEST_F(QueryTest, NumberFilters) {
  EXPECT_EQ(names(where("Qty", "number", {{"equals", 2}})), Names{"beta"});
  EXPECT_EQ(names(where("Qty", "number", {{"does_not_equal", 2}})), (Names{"alpha", "gamma"}));
  EXPECT_EQ(names(where("Qty", "number", {{"greater_than", 1}})), (Names{"beta", "gamma"}));
  EXPECT_EQ(names(where("Qty", "number", {{"less_than", 2}})), Names{"alpha"});
  EXPECT_EQ(names(where("Qty", "number", {{"greater_than_or_equal_to", 2}})),
            (Names{"beta", "gamma"}));
  EXPECT_EQ(names(where("Qty", "number", {{"less_than_or_equal_to", 2}})),
            (Names{"alpha", "beta"}));
  EXPECT_EQ(names(where("Qty", "number", {{"is_empty", true}})), Names{});
  EXPECT_EQ(names(where("Key", "unique_id", {{"equals", 3}})), Names{"gamma"});
}

TEST_F(QueryTest, SelectStatusAndMultiSelectFilters) {
  EXPECT_EQ(names(where("Tag", "select", {{"equals", "A"}})), Names{"alpha"});
  EXPECT_EQ(names(where("Tag", "select", {{"does_not_equal", "A"}})), (Names{"beta", "gamma"}));
  EXPECT_EQ(names(where("Tag", "select", {{"is_empty", true}})), Names{"gamma"});
  EXPECT_EQ(names(where("Stage", "status", {{"equals", "Done"}})), Names{"alpha"});
  EXPECT_EQ(names(where("Tags", "multi_select", {{"contains", "y"}})), Names{"beta"});
  EXPECT_EQ(names(where("Tags", "multi_select", {{"does_not_contain", "y"}})),
            (Names{"alpha", "gamma"}));
  EXPECT_EQ(names(where("Tags", "multi_select", {{"is_not_empty", true}})),
            (Names{"alpha", "beta"}));
}

TEST_F(QueryTest, CheckboxDateRelationPeopleAndFilesFilters) {
  EXPECT_EQ(names(where("Done", "checkbox", {{"equals", true}})), Names{"alpha"});
  EXPECT_EQ(names(where("Done", "checkbox", {{"does_not_equal", true}})), (Names{"beta", "gamma"}));
  EXPECT_EQ(names(where("When", "date", {{"equals", "2024-01-31"}})), Names{"alpha"});
  EXPECT_EQ(names(where("When", "date", {{"before", "2024-02-01"}})), Names{"alpha"});
  EXPECT_EQ(names(where("When", "date", {{"after", "2024-01-31"}})), Names{"beta"});
  EXPECT_EQ(names(where("When", "date", {{"on_or_after", "2024-02-15T12:00:00.000Z"}})),
            Names{"beta"});
  EXPECT_EQ(names(where("When", "date", {{"on_or_before", "2024-01-31"}})), Names{"alpha"});
  EXPECT_EQ(names(where("When", "date", {{"is_empty", true}})), Names{"gamma"});
  EXPECT_EQ(names(where("When", "date", {{"past_week", json::object()}})), Names{});
  EXPECT_EQ(names(where("Rel", "relation", {{"contains", target_}})), Names{"alpha"});
  EXPECT_EQ(names(where("Rel", "relation", {{"is_empty", true}})), (Names{"beta", "gamma"}));
  EXPECT_EQ(names(where("Owner", "people", {{"contains", "me"}})), Names{"alpha"});
  EXPECT_EQ(names(where("Att", "files", {{"is_not_empty", true}})), Names{"alpha"});
  EXPECT_EQ(names(where("By", "people", {{"contains", "me"}})), (Names{"alpha", "beta", "gamma"}));
}

TEST_F(QueryTest, TimestampFilters) {
  const json today = {{"on_or_after", "today"}};
  EXPECT_EQ(names({{"timestamp", "created_time"}, {"created_time", today}}).size(), 3u);
  EXPECT_EQ(
      names({{"timestamp", "last_edited_time"}, {"last_edited_time", {{"before", "2020-01-01"}}}}),
      Names{});
  EXPECT_EQ(names(where("Created", "created_time", {{"after", "2020-01-01"}})).size(), 3u);
}

TEST_F(QueryTest, CompoundFiltersNestTwoLevels) {
  const json filter = {
      {"or",
       json::array({where("Qty", "number", {{"equals", 1}}),
                    {{"and", json::array({where("Qty", "number", {{"greater_than", 1}}),
                                          where("Tag", "select", {{"is_empty", true}})})}}})}};
  EXPECT_EQ(names(filter), (Names{"alpha", "gamma"}));
  EXPECT_EQ(names({{"and", json::array({where("Qty", "number", {{"greater_than", 1}}),
                                        where("Name", "title", {{"contains", "a"}})})}}),
            (Names{"beta", "gamma"}));
}

TEST_F(QueryTest, SortsByPropertyAndTimestamp) {
  EXPECT_EQ(
      ordered_names(nullptr, json::array({{{"property", "Qty"}, {"direction", "descending"}}})),
      (Names{"gamma", "beta", "alpha"}));
  EXPECT_EQ(
      ordered_names(nullptr, json::array({{{"property", "Name"}, {"direction", "ascending"}}})),
      (Names{"alpha", "beta", "gamma"}));
  // Empty values sort last in either direction.
  EXPECT_EQ(
      ordered_names(nullptr, json::array({{{"property", "When"}, {"direction", "descending"}}})),
      (Names{"beta", "alpha", "gamma"}));
  // Select sorts follow the schema's option order.
  EXPECT_EQ(
      ordered_names(nullptr, json::array({{{"property", "Tag"}, {"direction", "descending"}}})),
      (Names{"beta", "alpha", "gamma"}));
  // Timestamps are answered to the minute but sort by the real instant.
  EXPECT_EQ(
      ordered_names(nullptr,
                    json::array({{{"timestamp", "created_time"}, {"direction", "ascending"}}})),
      (Names{"alpha", "beta", "gamma"}));
  EXPECT_EQ(
      ordered_names(nullptr,
                    json::array({{{"timestamp", "created_time"}, {"direction", "descending"}}})),
      (Names{"gamma", "beta", "alpha"}));
  // A tie on the sorted property lists the newest page first, as an unsorted query does.
  EXPECT_EQ(
      ordered_names(nullptr, json::array({{{"property", "Done"}, {"direction", "ascending"}}})),
      (Names{"gamma", "beta", "alpha"}));
}

TEST_F(QueryTest, PaginatesWithCursors) {
  for (int i = 0; i < 7; ++i) create_row(data_source_, {{"Qty", {{"number", 100 + i}}}});
  std::vector<std::string> seen;
  json body = {{"page_size", 4}};
  int calls = 0;
  for (;;) {
    const Reply reply = api_->post("/v1/data_sources/" + data_source_ + "/query", body);
    ASSERT_EQ(reply.status, 200) << reply.body.dump();
    ++calls;
    for (const json& page : reply.body["results"]) seen.push_back(page["id"]);
    if (!reply.body["has_more"].get<bool>()) {
      EXPECT_TRUE(reply.body["next_cursor"].is_null());
      break;
    }
    body["start_cursor"] = reply.body["next_cursor"];
  }
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(seen.size(), 10u);
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(std::unique(seen.begin(), seen.end()), seen.end());
}

TEST_F(QueryTest, FilterPropertiesLimitsReturnedPropertiesInBothForms) {
  const json schema = api_->get("/v1/data_sources/" + data_source_).body;
  const std::string qty_id = schema["properties"]["Qty"]["id"];
  const std::string tag_id = schema["properties"]["Tag"]["id"];
  Reply reply = api_->post(
      "/v1/data_sources/" + data_source_ + "/query?filter_properties=title&filter_properties=" +
          httplib::detail::encode_query_param(httplib::detail::decode_url(qty_id, false)),
      json::object());
  ASSERT_EQ(reply.status, 200) << reply.body.dump();
  EXPECT_EQ(reply.body["results"][0]["properties"].size(), 2u);
  EXPECT_TRUE(reply.body["results"][0]["properties"].contains("Qty"));
  reply = api_->post("/v1/data_sources/" + data_source_ + "/query?filter_properties[]=" +
                         httplib::detail::encode_query_param(tag_id),
                     json::object());
  ASSERT_EQ(reply.status, 200) << reply.body.dump();
  ASSERT_EQ(reply.body["results"][0]["properties"].size(), 1u);
  EXPECT_TRUE(reply.body["results"][0]["properties"].contains("Tag"));
}

TEST_F(QueryTest, TrashedPagesAreExcludedUnlessAsked) {
  const Reply all = api_->post("/v1/data_sources/" + data_source_ + "/query", json::object());
  const std::string newest = all.body["results"][0]["id"];  // gamma
  ASSERT_EQ(api_->patch("/v1/pages/" + newest, {{"in_trash", true}}).status, 200);
  EXPECT_EQ(names(nullptr), (Names{"alpha", "beta"}));
  const Reply with_trash =
      api_->post("/v1/data_sources/" + data_source_ + "/query", {{"in_trash", true}});
  EXPECT_EQ(with_trash.body["results"].size(), 3u);
}

TEST_F(QueryTest, EmptyBodyIsAnUnfilteredQuery) {
  const Reply reply =
      api_->raw("POST", "/v1/data_sources/" + data_source_ + "/query", "", api_->headers());
  ASSERT_EQ(reply.status, 200) << reply.body.dump();
  EXPECT_EQ(reply.body["results"].size(), 3u);
  EXPECT_EQ(reply.body["object"], "list");
  EXPECT_EQ(reply.body["type"], "page_or_data_source");
  EXPECT_EQ(reply.body["page_or_data_source"], json::object());
}

class QueryLimitTest : public EmulatorTest {
  void configure(Options& options) override { options.query_result_limit = 5; }
};

TEST_F(QueryLimitTest, AQueryStopsAtTheResultLimitAndSaysItIsIncomplete) {
  const std::string id = create_database("Big", {{"Name", {{"title", json::object()}}}});
  for (int i = 0; i < 7; ++i)
    create_row(id, {{"Name", {{"title", text("row " + std::to_string(i))}}}});
  std::size_t seen = 0;
  json body = {{"page_size", 3}};
  json last;
  for (;;) {
    const Reply reply = api_->post("/v1/data_sources/" + id + "/query", body);
    ASSERT_EQ(reply.status, 200) << reply.body.dump();
    seen += reply.body["results"].size();
    last = reply.body;
    if (!reply.body["has_more"].get<bool>()) break;
    EXPECT_FALSE(reply.body.contains("request_status"));
    body["start_cursor"] = reply.body["next_cursor"];
  }
  EXPECT_EQ(seen, 5u);
  EXPECT_EQ(last["request_status"],
            json({{"type", "incomplete"}, {"incomplete_reason", "query_result_limit_reached"}}));
  // A narrower query (filter) is a new query with its own budget.
  const Reply narrow =
      api_->post("/v1/data_sources/" + id + "/query",
                 {{"filter", {{"property", "Name"}, {"title", {{"equals", "row 6"}}}}}});
  EXPECT_EQ(narrow.body["results"].size(), 1u);
  EXPECT_FALSE(narrow.body.contains("request_status"));
}

}  // namespace
}  // namespace notion_emulator::testing
