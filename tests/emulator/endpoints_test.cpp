// Each endpoint answers with Notion's object shapes.
#include "api_client.hpp"

namespace notion_emulator::testing {
namespace {

class EndpointsTest : public EmulatorTest {};

TEST_F(EndpointsTest, UsersMeAnswersTheBotUser) {
  const Reply reply = api_->get("/v1/users/me");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body["object"], "user");
  EXPECT_EQ(reply.body["type"], "bot");
  EXPECT_TRUE(reply.body["bot"].contains("workspace_name"));
  EXPECT_FALSE(reply.headers.find("x-notion-request-id") == reply.headers.end());
}

TEST_F(EndpointsTest, CreateDatabaseReturnsItsInitialDataSource) {
  const Reply reply = api_->post(
      "/v1/databases",
      {{"parent", {{"type", "page_id"}, {"page_id", server_->root_page_id()}}},
       {"title", text("Tasks")},
       {"initial_data_source", {{"properties", {{"Name", {{"title", json::object()}}}}}}}});
  ASSERT_EQ(reply.status, 200) << reply.body.dump();
  EXPECT_EQ(reply.body["object"], "database");
  EXPECT_EQ(reply.body["parent"]["page_id"], server_->root_page_id());
  ASSERT_EQ(reply.body["data_sources"].size(), 1u);
  EXPECT_EQ(reply.body["data_sources"][0]["name"], "Tasks");
  EXPECT_FALSE(reply.body.contains("properties"));  // 2025-09-03: the schema lives on data sources

  const Reply again = api_->get("/v1/databases/" + reply.body["id"].get<std::string>());
  EXPECT_EQ(again.answer(), reply.answer());
}

TEST_F(EndpointsTest, IdsAreAcceptedWithoutDashesAndAnsweredDashed) {
  const std::string data_source_id = create_database("T", {{"Name", {{"title", json::object()}}}});
  std::string undashed;
  for (char c : data_source_id) {
    if (c != '-') undashed += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  const Reply reply = api_->get("/v1/data_sources/" + undashed);
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body["id"], data_source_id);
}

TEST_F(EndpointsTest, DataSourceListsEveryPropertyWithShortPercentEncodedIds) {
  const std::string id = create_everything();
  const Reply reply = api_->get("/v1/data_sources/" + id);
  ASSERT_EQ(reply.status, 200);
  const json& properties = reply.body["properties"];
  EXPECT_EQ(properties.size(), 20u);
  EXPECT_EQ(properties["Name"]["id"], "title");
  EXPECT_EQ(properties["Qty"]["number"]["format"], "number");
  EXPECT_EQ(properties["Rel"]["relation"]["data_source_id"], other_);
  EXPECT_EQ(properties["Stage"]["status"]["options"].size(), 3u);  // Notion's defaults
  for (const auto& [name, property] : properties.items()) {
    const std::string property_id = property["id"];
    EXPECT_EQ(property["name"], name);
    EXPECT_EQ(property_id.find_first_of(":;<=>?@[]^{|}"), std::string::npos) << property_id;
  }
  EXPECT_EQ(reply.body["parent"]["type"], "database_id");
  EXPECT_EQ(reply.body["database_parent"]["page_id"], server_->root_page_id());
}

TEST_F(EndpointsTest, PageCarriesEverySchemaPropertyWithEmptyValues) {
  const std::string id = create_everything();
  const Reply reply = create_page(id, {{"Name", {{"title", text("Row")}}}});
  ASSERT_EQ(reply.status, 200) << reply.body.dump();
  const json& page = reply.body;
  EXPECT_EQ(page["object"], "page");
  EXPECT_EQ(page["parent"], json({{"type", "data_source_id"},
                                  {"data_source_id", id},
                                  {"database_id", page["parent"]["database_id"]}}));
  const json& p = page["properties"];
  EXPECT_EQ(p.size(), 20u);
  EXPECT_EQ(p["Name"]["title"][0]["plain_text"], "Row");
  EXPECT_EQ(p["Notes"]["rich_text"], json::array());
  EXPECT_TRUE(p["Qty"]["number"].is_null());
  EXPECT_TRUE(p["Link"]["url"].is_null());
  EXPECT_TRUE(p["Tag"]["select"].is_null());
  EXPECT_EQ(p["Tags"]["multi_select"], json::array());
  EXPECT_TRUE(p["When"]["date"].is_null());
  EXPECT_EQ(p["Done"]["checkbox"], false);
  EXPECT_EQ(p["Rel"]["relation"], json::array());
  EXPECT_EQ(p["Rel"]["has_more"], false);
  EXPECT_EQ(p["Key"]["unique_id"], json({{"prefix", "ROW"}, {"number", 1}}));
  // prop("Qty") * 2 with Qty empty: an empty number counts as 0 (recorded: create_empty_page_in_B).
  EXPECT_EQ(p["Calc"]["formula"], json({{"type", "number"}, {"number", 0}}));
  EXPECT_EQ(p["By"]["created_by"]["object"], "user");
  const std::string edited = page["last_edited_time"];
  EXPECT_EQ(edited.substr(16), ":00.000Z");  // rounded to the minute, as Notion does
  EXPECT_EQ(p["Edited"]["last_edited_time"], edited);
  EXPECT_NE(page["url"].get<std::string>().find("https://www.notion.so/Row-"), std::string::npos);
}

TEST_F(EndpointsTest, PageStoresEveryWritableValueType) {
  const std::string id = create_everything();
  const std::string related = create_row(other_, {{"Name", {{"title", text("Target")}}}});
  const json properties = {
      {"Name", {{"title", text("Grüße 🚀")}}},
      {"Notes",
       {{"rich_text",
         json::array(
             {{{"text", {{"content", "bold"}}}, {"annotations", {{"bold", true}}}},
              {{"text", {{"content", " link"}, {"link", {{"url", "https://x.test"}}}}}}})}}},
      {"Qty", {{"number", 2.5}}},
      {"Link", {{"url", "https://example.com"}}},
      {"Mail", {{"email", "a@example.com"}}},
      {"Phone", {{"phone_number", "+1 555"}}},
      {"Tag", {{"select", {{"name", "New option"}}}}},
      {"Tags", {{"multi_select", json::array({{{"name", "x"}}, {{"name", "z"}}})}}},
      {"Stage", {{"status", {{"name", "In progress"}}}}},
      {"When",
       {{"date",
         {{"start", "2024-01-31T10:00:00.000+02:00"},
          {"end", "2024-02-01"},
          {"time_zone", nullptr}}}}},
      {"Done", {{"checkbox", true}}},
      {"Rel", {{"relation", json::array({{{"id", related}}})}}},
      {"Owner",
       {{"people",
         json::array({{{"object", "user"}, {"id", "5f0b9ad7-3e2c-4c55-9f6c-0d6b1c3e0b07"}}})}}},
      {"Att",
       {{"files",
         json::array({{{"name", "doc"}, {"external", {{"url", "https://example.com/a.pdf"}}}}})}}}};
  const Reply reply = create_page(id, properties);
  ASSERT_EQ(reply.status, 200) << reply.body.dump();
  const json& p = reply.body["properties"];
  EXPECT_EQ(p["Name"]["title"][0]["plain_text"], "Grüße 🚀");
  EXPECT_EQ(p["Notes"]["rich_text"][0]["annotations"]["bold"], true);
  EXPECT_EQ(p["Notes"]["rich_text"][1]["href"], "https://x.test");
  EXPECT_EQ(p["Qty"]["number"], 2.5);
  EXPECT_EQ(p["Link"]["url"], "https://example.com");
  EXPECT_EQ(p["Mail"]["email"], "a@example.com");
  EXPECT_EQ(p["Phone"]["phone_number"], "+1 555");
  EXPECT_EQ(p["Tag"]["select"]["name"], "New option");
  EXPECT_EQ(p["Tags"]["multi_select"].size(), 2u);
  EXPECT_EQ(p["Stage"]["status"]["name"], "In progress");
  EXPECT_EQ(p["When"]["date"]["start"], "2024-01-31T10:00:00.000+02:00");
  EXPECT_EQ(p["When"]["date"]["end"], "2024-02-01");
  EXPECT_EQ(p["Done"]["checkbox"], true);
  EXPECT_EQ(p["Rel"]["relation"][0]["id"], related);
  EXPECT_EQ(p["Owner"]["people"][0]["id"], "5f0b9ad7-3e2c-4c55-9f6c-0d6b1c3e0b07");
  EXPECT_EQ(p["Att"]["files"][0]["type"], "external");

  // An unknown select name adds the option to the schema, as Notion does.
  const Reply schema = api_->get("/v1/data_sources/" + id);
  EXPECT_EQ(schema.body["properties"]["Tag"]["select"]["options"].size(), 3u);
  EXPECT_EQ(schema.body["properties"]["Tags"]["multi_select"]["options"].size(), 3u);
}

TEST_F(EndpointsTest, PropertyKeysMayBeIdsEncodedOrDecoded) {
  const std::string id = create_everything();
  const Reply schema = api_->get("/v1/data_sources/" + id);
  const std::string qty_id = schema.body["properties"]["Qty"]["id"];
  const Reply reply = create_page(id, {{qty_id, {{"number", 7}}}});
  ASSERT_EQ(reply.status, 200) << reply.body.dump();
  EXPECT_EQ(reply.body["properties"]["Qty"]["number"], 7);
}

TEST_F(EndpointsTest, UpdateChangesOnlyTheGivenProperties) {
  const std::string id = create_everything();
  const std::string page_id =
      create_row(id, {{"Name", {{"title", text("a")}}}, {"Qty", {{"number", 1}}}});
  const Reply reply =
      api_->patch("/v1/pages/" + page_id,
                  {{"properties", {{"Qty", {{"number", 2}}}, {"Link", {{"url", nullptr}}}}}});
  ASSERT_EQ(reply.status, 200) << reply.body.dump();
  EXPECT_EQ(reply.body["properties"]["Qty"]["number"], 2);
  EXPECT_EQ(reply.body["properties"]["Name"]["title"][0]["plain_text"], "a");
  EXPECT_EQ(api_->get("/v1/pages/" + page_id).answer(), reply.answer());
}

TEST_F(EndpointsTest, InTrashAndArchivedBothMoveAPageToTheTrashAndBack) {
  const std::string id = create_everything();
  const std::string first = create_row(id, {});
  const std::string second = create_row(id, {});
  Reply reply = api_->patch("/v1/pages/" + first, {{"in_trash", true}});
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body["in_trash"], true);
  EXPECT_EQ(reply.body["archived"], true);
  reply = api_->patch("/v1/pages/" + second, {{"archived", true}});
  EXPECT_EQ(reply.body["in_trash"], true);
  EXPECT_EQ(api_->post("/v1/data_sources/" + id + "/query", json::object()).body["results"].size(),
            0u);
  reply = api_->patch("/v1/pages/" + second, {{"in_trash", false}});
  EXPECT_EQ(reply.body["in_trash"], false);
  EXPECT_EQ(server_->pages(id, false).size(), 1u);
  EXPECT_EQ(server_->pages(id, true).size(), 2u);
}

TEST_F(EndpointsTest, DeleteBlockTrashesThePageAndAnswersTheBlock) {
  const std::string id = create_everything();
  const std::string page_id = create_row(id, {{"Name", {{"title", text("bye")}}}});
  const Reply reply = api_->del("/v1/blocks/" + page_id);
  ASSERT_EQ(reply.status, 200) << reply.body.dump();
  EXPECT_EQ(reply.body["object"], "block");
  EXPECT_EQ(reply.body["type"], "child_page");
  EXPECT_EQ(reply.body["child_page"]["title"], "bye");
  EXPECT_EQ(reply.body["in_trash"], true);
  EXPECT_EQ(api_->get("/v1/pages/" + page_id).body["in_trash"], true);
}

TEST_F(EndpointsTest, RetrieveBlockAnswersPagesAndDatabasesAsBlocks) {
  const std::string id = create_database("Listed", {{"Name", {{"title", json::object()}}}});
  const std::string database_id = api_->get("/v1/data_sources/" + id).body["parent"]["database_id"];
  const Reply database = api_->get("/v1/blocks/" + database_id);
  ASSERT_EQ(database.status, 200) << database.body.dump();
  EXPECT_EQ(database.body["type"], "child_database");
  EXPECT_EQ(database.body["child_database"]["title"], "Listed");
  EXPECT_EQ(api_->get("/v1/blocks/" + server_->root_page_id()).body["type"], "child_page");
  EXPECT_EQ(api_->get("/v1/blocks/" + id).status, 404);  // a data source is not a block
}

TEST_F(EndpointsTest, BlockChildrenListsChildDatabasesOfAPage) {
  create_database("First", {{"Name", {{"title", json::object()}}}});
  create_database("Second", {{"Name", {{"title", json::object()}}}});
  const Reply reply = api_->get("/v1/blocks/" + server_->root_page_id() + "/children?page_size=1");
  ASSERT_EQ(reply.status, 200) << reply.body.dump();
  ASSERT_EQ(reply.body["results"].size(), 1u);
  EXPECT_EQ(reply.body["results"][0]["type"], "child_database");
  EXPECT_EQ(reply.body["results"][0]["child_database"]["title"], "First");
  EXPECT_EQ(reply.body["has_more"], true);
  const Reply next = api_->get("/v1/blocks/" + server_->root_page_id() + "/children?start_cursor=" +
                               reply.body["next_cursor"].get<std::string>());
  ASSERT_EQ(next.body["results"].size(), 1u);
  EXPECT_EQ(next.body["results"][0]["child_database"]["title"], "Second");
  EXPECT_EQ(next.body["has_more"], false);
  EXPECT_TRUE(next.body["next_cursor"].is_null());
}

TEST_F(EndpointsTest, SearchFindsDataSourcesAndPagesByTitle) {
  create_database("Customers", {{"Name", {{"title", json::object()}}}});
  create_database("Orders", {{"Name", {{"title", json::object()}}}});
  Reply reply = api_->post(
      "/v1/search",
      {{"query", "custom"}, {"filter", {{"property", "object"}, {"value", "data_source"}}}});
  ASSERT_EQ(reply.status, 200) << reply.body.dump();
  ASSERT_EQ(reply.body["results"].size(), 1u);
  EXPECT_EQ(reply.body["results"][0]["object"], "data_source");
  EXPECT_EQ(reply.body["type"], "page_or_data_source");
  reply = api_->post("/v1/search", {{"filter", {{"property", "object"}, {"value", "page"}}}});
  ASSERT_EQ(reply.body["results"].size(), 1u);  // the root page
  EXPECT_EQ(reply.body["results"][0]["id"], server_->root_page_id());
}

TEST_F(EndpointsTest, DataSourceUpdateAddsRenamesRetypesAndRemovesProperties) {
  const std::string id = create_everything();
  const std::string page_id =
      create_row(id, {{"Notes", {{"rich_text", text("keep me")}}}, {"Qty", {{"number", 5}}}});
  const Reply reply = api_->patch(
      "/v1/data_sources/" + id,
      {{"properties",
        {{"Extra", {{"checkbox", json::object()}}},
         {"Qty", {{"name", "Quantity"}}},
         {"Notes", {{"url", json::object()}}},
         {"Phone", nullptr},
         {"Tag", {{"select", {{"options", json::array({{{"name", "A"}}, {{"name", "C"}}})}}}}}}}});
  ASSERT_EQ(reply.status, 200) << reply.body.dump();
  const json& p = reply.body["properties"];
  EXPECT_TRUE(p.contains("Extra"));
  EXPECT_TRUE(p.contains("Quantity"));
  EXPECT_FALSE(p.contains("Qty"));
  EXPECT_FALSE(p.contains("Phone"));
  EXPECT_EQ(p["Notes"]["type"], "url");
  ASSERT_EQ(p["Tag"]["select"]["options"].size(), 2u);
  EXPECT_EQ(p["Tag"]["select"]["options"][1]["name"], "C");

  const json page = api_->get("/v1/pages/" + page_id).body;
  EXPECT_EQ(page["properties"]["Quantity"]["number"], 5);
  EXPECT_EQ(page["properties"]["Notes"]["url"], "keep me");
  EXPECT_FALSE(page["properties"].contains("Phone"));
}

TEST_F(EndpointsTest, SelectValuesSurviveAChangeToMultiSelectAndBack) {
  const std::string id = create_everything();
  const std::string page_id = create_row(id, {{"Tag", {{"select", {{"name", "B"}}}}}});
  Reply reply = api_->patch("/v1/data_sources/" + id,
                            {{"properties", {{"Tag", {{"multi_select", json::object()}}}}}});
  ASSERT_EQ(reply.status, 200) << reply.body.dump();
  EXPECT_EQ(reply.body["properties"]["Tag"]["multi_select"]["options"].size(), 2u);
  json page = api_->get("/v1/pages/" + page_id).body;
  ASSERT_EQ(page["properties"]["Tag"]["multi_select"].size(), 1u);
  EXPECT_EQ(page["properties"]["Tag"]["multi_select"][0]["name"], "B");
  reply = api_->patch("/v1/data_sources/" + id,
                      {{"properties", {{"Tag", {{"select", json::object()}}}}}});
  ASSERT_EQ(reply.status, 200) << reply.body.dump();
  page = api_->get("/v1/pages/" + page_id).body;
  EXPECT_EQ(page["properties"]["Tag"]["select"]["name"], "B");
}

TEST_F(EndpointsTest, TwoWayRelationsGetASyncedPropertyWithBackLinks) {
  const std::string people = create_database("People", {{"Name", {{"title", json::object()}}}});
  const std::string teams = create_database(
      "Teams",
      {{"Name", {{"title", json::object()}}},
       {"Members",
        {{"relation",
          {{"data_source_id", people}, {"dual_property", {{"synced_property_name", "Teams"}}}}}}},
       {"Leads", {{"relation", {{"data_source_id", people}, {"dual_property", json::object()}}}}}});
  const json people_schema = api_->get("/v1/data_sources/" + people).body["properties"];
  const json teams_schema = api_->get("/v1/data_sources/" + teams).body["properties"];
  ASSERT_TRUE(people_schema.contains("Teams")) << people_schema.dump();
  EXPECT_EQ(people_schema["Teams"]["relation"]["data_source_id"], teams);
  EXPECT_EQ(people_schema["Teams"]["relation"]["dual_property"]["synced_property_id"],
            teams_schema["Members"]["id"]);
  EXPECT_EQ(teams_schema["Members"]["relation"]["dual_property"]["synced_property_id"],
            people_schema["Teams"]["id"]);
  EXPECT_TRUE(people_schema.contains("Related to Teams (Leads)"));  // Notion's default name

  const std::string ada = create_row(people, {{"Name", {{"title", text("Ada")}}}});
  const std::string bob = create_row(people, {{"Name", {{"title", text("Bob")}}}});
  const std::string core =
      create_row(teams, {{"Members", {{"relation", json::array({{{"id", ada}}, {{"id", bob}}})}}}});
  const auto teams_of = [&](const std::string& person) {
    return api_->get("/v1/pages/" + person).body["properties"]["Teams"]["relation"];
  };
  EXPECT_EQ(teams_of(ada), json::array({{{"id", core}}}));
  EXPECT_EQ(teams_of(bob), json::array({{{"id", core}}}));

  ASSERT_EQ(
      api_->patch("/v1/pages/" + core,
                  {{"properties", {{"Members", {{"relation", json::array({{{"id", bob}}})}}}}}})
          .status,
      200);
  EXPECT_EQ(teams_of(ada), json::array());
  // Writing the synced side links back too.
  const std::string web = create_row(teams, {});
  ASSERT_EQ(api_->patch("/v1/pages/" + ada,
                        {{"properties", {{"Teams", {{"relation", json::array({{{"id", web}}})}}}}}})
                .status,
            200);
  EXPECT_EQ(api_->get("/v1/pages/" + web).body["properties"]["Members"]["relation"],
            json::array({{{"id", ada}}}));

  // Removing one side removes the synced side.
  ASSERT_EQ(
      api_->patch("/v1/data_sources/" + teams, {{"properties", {{"Members", nullptr}}}}).status,
      200);
  EXPECT_FALSE(api_->get("/v1/data_sources/" + people).body["properties"].contains("Teams"));
  EXPECT_FALSE(api_->get("/v1/pages/" + ada).body["properties"].contains("Teams"));
}

TEST_F(EndpointsTest, CreateDataSourceAddsASecondSourceToADatabase) {
  const std::string first = create_database("Multi", {{"Name", {{"title", json::object()}}}});
  const std::string database_id =
      api_->get("/v1/data_sources/" + first).body["parent"]["database_id"];
  const Reply reply = api_->post(
      "/v1/data_sources", {{"parent", {{"type", "database_id"}, {"database_id", database_id}}},
                           {"title", text("Second")},
                           {"properties", {{"Title", {{"title", json::object()}}}}}});
  ASSERT_EQ(reply.status, 200) << reply.body.dump();
  EXPECT_EQ(api_->get("/v1/databases/" + database_id).body["data_sources"].size(), 2u);
  // A database parent is ambiguous once there are several data sources.
  const Reply page = api_->post(
      "/v1/pages", {{"parent", {{"database_id", database_id}}}, {"properties", json::object()}});
  EXPECT_EQ(page.status, 400);
  EXPECT_EQ(page.code(), "validation_error");
}

TEST_F(EndpointsTest, DatabaseUpdateChangesTitleAndTrash) {
  const std::string id = create_database("Old", {{"Name", {{"title", json::object()}}}});
  const std::string database_id = api_->get("/v1/data_sources/" + id).body["parent"]["database_id"];
  const Reply reply =
      api_->patch("/v1/databases/" + database_id, {{"title", text("New")}, {"in_trash", true}});
  ASSERT_EQ(reply.status, 200) << reply.body.dump();
  EXPECT_EQ(reply.body["title"][0]["plain_text"], "New");
  EXPECT_EQ(reply.body["in_trash"], true);
  EXPECT_EQ(api_->get("/v1/blocks/" + server_->root_page_id() + "/children").body["results"].size(),
            0u);
}

TEST_F(EndpointsTest, PagesCanLiveUnderAPageWithOnlyATitle) {
  const Reply reply =
      api_->post("/v1/pages", {{"parent", {{"page_id", server_->root_page_id()}}},
                               {"properties", {{"title", {{"title", text("Child")}}}}}});
  ASSERT_EQ(reply.status, 200) << reply.body.dump();
  EXPECT_EQ(reply.body["parent"]["page_id"], server_->root_page_id());
  const Reply children = api_->get("/v1/blocks/" + server_->root_page_id() + "/children");
  ASSERT_EQ(children.body["results"].size(), 1u);
  EXPECT_EQ(children.body["results"][0]["type"], "child_page");
}

TEST_F(EndpointsTest, RelationsOver25AreTruncatedInPagesAndPaginatedAsPropertyItems) {
  const std::string id = create_everything();
  json relations = json::array();
  for (int i = 0; i < 30; ++i) relations.push_back({{"id", create_row(other_, {})}});
  const std::string page_id = create_row(id, {{"Rel", {{"relation", relations}}}});
  const json page = api_->get("/v1/pages/" + page_id).body;
  EXPECT_EQ(page["properties"]["Rel"]["relation"].size(), 25u);
  EXPECT_EQ(page["properties"]["Rel"]["has_more"], true);

  const std::string property_id = page["properties"]["Rel"]["id"];
  const std::string path = "/v1/pages/" + page_id + "/properties/" + property_id;
  Reply reply = api_->get(path + "?page_size=20");
  ASSERT_EQ(reply.status, 200) << reply.body.dump();
  EXPECT_EQ(reply.body["object"], "list");
  EXPECT_EQ(reply.body["type"], "property_item");
  EXPECT_EQ(reply.body["results"].size(), 20u);
  EXPECT_EQ(reply.body["results"][0]["relation"]["id"], relations[0]["id"]);
  ASSERT_EQ(reply.body["has_more"], true);
  reply = api_->get(path + "?start_cursor=" + reply.body["next_cursor"].get<std::string>());
  EXPECT_EQ(reply.body["results"].size(), 10u);
  EXPECT_EQ(reply.body["has_more"], false);
}

TEST_F(EndpointsTest, SimplePropertyItemsAreSingleObjects) {
  const std::string id = create_everything();
  const std::string page_id = create_row(id, {{"Qty", {{"number", 4}}}});
  const Reply reply = api_->get("/v1/pages/" + page_id + "/properties/title");
  EXPECT_EQ(reply.body["object"], "list");
  const json page = api_->get("/v1/pages/" + page_id).body;
  const Reply qty = api_->get("/v1/pages/" + page_id + "/properties/" +
                              page["properties"]["Qty"]["id"].get<std::string>());
  ASSERT_EQ(qty.status, 200) << qty.body.dump();
  EXPECT_EQ(qty.answer(), json({{"object", "property_item"},
                                {"id", page["properties"]["Qty"]["id"]},
                                {"type", "number"},
                                {"number", 4}}));
}

}  // namespace
}  // namespace notion_emulator::testing
