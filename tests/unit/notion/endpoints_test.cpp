#include "notionsync/notion/endpoints.hpp"

#include <gtest/gtest.h>

#include "notionsync/core/error.hpp"
#include "notionsync/notion/pagination.hpp"

namespace notionsync::notion {
namespace {

using nlohmann::json;

const std::string page_id = "11111111-2222-3333-4444-555555555555";
const std::string data_source_id = "66666666-7777-8888-9999-000000000000";

TEST(EndpointsTest, CreatesAreNotIdempotentAndEverythingElseIs) {
  EXPECT_FALSE(endpoints::create_page(data_source_id, json::object()).idempotent);
  EXPECT_FALSE(endpoints::create_database(page_id, "T", json::object()).idempotent);
  EXPECT_FALSE(endpoints::create_data_source(page_id, "T", json::object()).idempotent);
  EXPECT_TRUE(endpoints::update_page(page_id, json::object()).idempotent);
  EXPECT_TRUE(endpoints::trash_page(page_id).idempotent);
  EXPECT_TRUE(endpoints::query_data_source({data_source_id, nullptr, nullptr, {}, 100}).idempotent);
  EXPECT_TRUE(endpoints::delete_block(page_id).idempotent);
}

TEST(EndpointsTest, CreatePageUsesTheDataSourceParent) {
  const Request request = endpoints::create_page("66666666777788889999000000000000",
                                                 json{{"Name", {{"title", json::array()}}}});
  EXPECT_EQ(request.method, Method::post);
  EXPECT_EQ(request.path, "/v1/pages");
  EXPECT_EQ(*request.body, json::parse(R"({"parent":{"type":"data_source_id",
      "data_source_id":"66666666-7777-8888-9999-000000000000"},"properties":{"Name":{"title":[]}}})"));
}

TEST(EndpointsTest, TrashUsesInTrashNotArchived) {
  const Request request = endpoints::trash_page(page_id);
  EXPECT_EQ(request.method, Method::patch);
  EXPECT_EQ(request.path, "/v1/pages/" + page_id);
  EXPECT_EQ(*request.body, json::parse(R"({"in_trash":true})"));
  EXPECT_EQ(*endpoints::trash_page(page_id, false).body, json::parse(R"({"in_trash":false})"));
}

TEST(EndpointsTest, QuerySendsPageSizeAndNeverANullCursor) {
  DataSourceQuery query{data_source_id, nullptr, nullptr, {"title", "U%3AC%3C"}, 100};
  const Request first = endpoints::query_data_source(query);
  EXPECT_EQ(first.path, "/v1/data_sources/" + data_source_id + "/query");
  EXPECT_EQ(*first.body, json::parse(R"({"page_size":100})"));
  EXPECT_EQ(first.query, (std::vector<std::pair<std::string, std::string>>{
                             {"filter_properties", "title"}, {"filter_properties", "U%3AC%3C"}}));
  query.filter = json::parse(R"({"property":"Key","rich_text":{"equals":"k"}})");
  query.sorts = json::parse(R"([{"property":"Key","direction":"ascending"}])");
  const Request next = endpoints::query_data_source(query, std::string("cursor-1"));
  EXPECT_EQ(next.body->at("start_cursor"), "cursor-1");
  EXPECT_EQ(next.body->at("filter"), query.filter);
  EXPECT_EQ(next.body->at("sorts"), query.sorts);
  query.page_size = 101;
  EXPECT_THROW(endpoints::query_data_source(query), Error);
}

TEST(EndpointsTest, PropertyIdsAreNotEncodedTwice) {
  const Request request = endpoints::retrieve_property_item(page_id, "a%3Bb{");
  EXPECT_EQ(request.path, "/v1/pages/" + page_id + "/properties/a%3Bb%7B");
  EXPECT_EQ(request.query,
            (std::vector<std::pair<std::string, std::string>>{{"page_size", "100"}}));
  const Request next = endpoints::retrieve_property_item(page_id, "title", std::string("c2"));
  EXPECT_EQ(next.query.back(), (std::pair<std::string, std::string>{"start_cursor", "c2"}));
}

TEST(EndpointsTest, PathsRejectTraversal) {
  EXPECT_THROW(endpoints::retrieve_page(".."), Error);
  EXPECT_THROW(endpoints::retrieve_page(""), Error);
  EXPECT_EQ(endpoints::retrieve_page("a/b").path, "/v1/pages/a%2Fb");
}

TEST(EndpointsTest, OtherShapes) {
  EXPECT_EQ(endpoints::users_me().path, "/v1/users/me");
  EXPECT_EQ(*endpoints::search("Tasks", "data_source").body,
            json::parse(R"({"page_size":100,"query":"Tasks",
                            "filter":{"property":"object","value":"data_source"}})"));
  const Request database =
      endpoints::create_database(page_id, "Tasks", json{{"Name", {{"title", json::object()}}}});
  EXPECT_EQ(database.body->at("parent"),
            json::parse(R"({"type":"page_id","page_id":")" + page_id + R"("})"));
  EXPECT_EQ(database.body->at("initial_data_source"),
            json::parse(R"({"properties":{"Name":{"title":{}}}})"));
  EXPECT_EQ(endpoints::list_block_children(page_id).path, "/v1/blocks/" + page_id + "/children");
  EXPECT_EQ(endpoints::delete_block(page_id).method, Method::del);
  EXPECT_EQ(endpoints::update_data_source(data_source_id, json{{"properties", {{"Old", nullptr}}}})
                .method,
            Method::patch);
  EXPECT_THROW(endpoints::create_page("nope", json::object()), Error);
}

TEST(PaginationTest, ParsesListPages) {
  const ListPage more = parse_list_page(
      json::parse(R"({"object":"list","results":[{"id":"a"}],"next_cursor":"c","has_more":true})"));
  EXPECT_EQ(more.results.size(), 1u);
  EXPECT_EQ(more.next_cursor, "c");
  EXPECT_FALSE(more.incomplete);
  const ListPage last = parse_list_page(json::parse(
      R"({"object":"list","results":[],"next_cursor":null,"has_more":false,
          "request_status":{"type":"incomplete","incomplete_reason":"query_result_limit_reached"}})"));
  EXPECT_EQ(last.next_cursor, std::nullopt);
  EXPECT_TRUE(last.incomplete);
  EXPECT_THROW(parse_list_page(json::parse(R"({"object":"page"})")), Error);
}

}  // namespace
}  // namespace notionsync::notion
