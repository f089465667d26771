// Requests Notion rejects are rejected the same way, with Notion's error JSON.
#include "api_client.hpp"

namespace notion_emulator::testing {
namespace {

class ValidationTest : public EmulatorTest {
 protected:
  void SetUp() override {
    EmulatorTest::SetUp();
    data_source_ = create_everything();
  }

  void expect_error(const Reply& reply, int status, const std::string& code,
                    const std::string& message_part) {
    EXPECT_EQ(reply.status, status) << reply.body.dump();
    EXPECT_EQ(reply.body["object"], "error");
    EXPECT_EQ(reply.body["status"], status);
    EXPECT_EQ(reply.code(), code);
    EXPECT_NE(reply.message().find(message_part), std::string::npos) << reply.message();
    ASSERT_TRUE(reply.body.contains("request_id"));
    const auto header = reply.headers.find("x-notion-request-id");
    ASSERT_NE(header, reply.headers.end());
    EXPECT_EQ(header->second, reply.body["request_id"]);
  }

  void expect_invalid_page(const json& properties, const std::string& message_part) {
    expect_error(create_page(data_source_, properties), 400, "validation_error", message_part);
  }

  std::string data_source_;
};

TEST_F(ValidationTest, MissingOrWrongTokenIsUnauthorized) {
  Api stranger(*server_, "secret_wrong");
  expect_error(stranger.get("/v1/users/me"), 401, "unauthorized", "API token is invalid.");
  expect_error(api_->raw("GET", "/v1/users/me", "", {{"Notion-Version", "2025-09-03"}}), 401,
               "unauthorized", "invalid");
}

TEST_F(ValidationTest, MissingVersionHeaderIsMissingVersion) {
  expect_error(api_->raw("GET", "/v1/users/me", "",
                         {{"Authorization", "Bearer secret_notionsync_emulator"}}),
               400, "missing_version", "Notion-Version header");
}

TEST_F(ValidationTest, TwoVersionsAreSpokenAndArchivedOnlyInTheOlder) {
  const auto headers = [](const std::string& version) {
    return httplib::Headers{{"Authorization", "Bearer secret_notionsync_emulator"},
                            {"Notion-Version", version}};
  };
  expect_error(api_->raw("GET", "/v1/users/me", "", headers("2022-06-28")), 400, "validation_error",
               "`2025-09-03` or `2026-03-11`, instead was `2022-06-28`");
  const std::string page = create_page(data_source_, json::object()).body["id"];
  // 2026-03-11 removed archived for in_trash (upgrade guide for 2026-03-11).
  expect_error(
      api_->raw("PATCH", "/v1/pages/" + page, R"({"archived": true})", headers("2026-03-11")), 400,
      "validation_error", "body.archived should be not present");
  const Reply trashed =
      api_->raw("PATCH", "/v1/pages/" + page, R"({"in_trash": true})", headers("2026-03-11"));
  ASSERT_EQ(trashed.status, 200) << trashed.body.dump();
  EXPECT_EQ(trashed.body["in_trash"], true);
  EXPECT_FALSE(trashed.body.contains("archived"));
  const Reply listed = api_->raw("POST", "/v1/data_sources/" + data_source_ + "/query",
                                 R"({"in_trash": true})", headers("2026-03-11"));
  ASSERT_EQ(listed.status, 200);
  EXPECT_FALSE(listed.body["results"][0].contains("archived"));
  // 2025-09-03 still answers both, and takes archived as in_trash's alias.
  const Reply older =
      api_->raw("PATCH", "/v1/pages/" + page, R"({"archived": false})", headers("2025-09-03"));
  ASSERT_EQ(older.status, 200);
  EXPECT_EQ(older.body["archived"], false);
  EXPECT_EQ(older.body["in_trash"], false);
}

TEST_F(ValidationTest, UnknownIdsAreNotFoundWithTheSharingHint) {
  const std::string missing = "11111111-2222-4333-8444-555555555555";
  expect_error(api_->get("/v1/pages/" + missing), 404, "object_not_found",
               "Make sure the relevant pages and databases are shared with your integration");
  expect_error(api_->get("/v1/data_sources/" + missing), 404, "object_not_found", missing);
  expect_error(api_->get("/v1/databases/" + missing), 404, "object_not_found",
               "Could not find database");
  expect_error(api_->del("/v1/blocks/" + missing), 404, "object_not_found", missing);
  expect_error(create_page(missing, json::object()), 404, "object_not_found", missing);
}

TEST_F(ValidationTest, MalformedIdsAndUnknownRoutesAreRejected) {
  expect_error(api_->get("/v1/pages/not-a-uuid"), 400, "validation_error",
               "path.page_id should be a valid uuid");
  expect_error(api_->get("/v1/nothing"), 400, "invalid_request_url", "Invalid request URL");
}

TEST_F(ValidationTest, BadJsonIsInvalidJson) {
  expect_error(api_->raw("POST", "/v1/pages", "{\"parent\":", api_->headers()), 400, "invalid_json",
               "Error parsing JSON body.");
}

TEST_F(ValidationTest, UnknownPropertiesAreRejected) {
  expect_invalid_page({{"Nope", {{"rich_text", text("x")}}}},
                      "Nope is not a property that exists.");
}

TEST_F(ValidationTest, WrongValueTypesAreRejected) {
  expect_invalid_page({{"Tag", {{"multi_select", json::array()}}}},
                      "Tag is expected to be select.");
  expect_invalid_page({{"Qty", {{"number", "3"}}}},
                      "body.properties.Qty.number should be a number");
  expect_invalid_page({{"Done", {{"checkbox", "yes"}}}},
                      "body.properties.Done.checkbox should be a boolean");
  expect_invalid_page({{"When", {{"date", {{"start", "31/01/2024"}}}}}},
                      "body.properties.When.date.start");
  expect_invalid_page({{"Rel", {{"relation", json::array({{{"id", "nope"}}})}}}},
                      "should be a valid uuid");
  expect_invalid_page({{"Notes", {{"rich_text", "plain string"}}}}, "should be an array");
}

TEST_F(ValidationTest, ResponseFieldsNotionIgnoresAreAcceptedAndOthersRefused) {
  // Echoed back from an answer, Notion takes these and ignores them (recorded: shapes cases
  // request_plain_text_accepted and request_relation_has_more_accepted).
  const Reply echoed = create_page(
      data_source_,
      {{"Notes",
        {{"type", "rich_text"},
         {"rich_text", json::array({{{"type", "text"},
                                     {"text", {{"content", "x"}}},
                                     {"plain_text", "something else"},
                                     {"href", nullptr},
                                     {"annotations", {{"bold", true}}}}})}}},
       {"Rel", {{"type", "relation"}, {"relation", json::array()}, {"has_more", false}}},
       {"Owner",
        {{"people",
          json::array({{{"object", "user"}, {"id", "5f0b9ad7-3e2c-4c55-9f6c-0d6b1c3e0b07"}}})}}},
       {"Tag", {{"select", {{"name", "A"}, {"color", "red"}}}}}});
  ASSERT_EQ(echoed.status, 200) << echoed.body.dump();
  const json& notes = echoed.body["properties"]["Notes"]["rich_text"][0];
  EXPECT_EQ(notes["plain_text"], "x");  // what the answer says comes from the text, not the echo
  EXPECT_EQ(notes["annotations"]["bold"], true);
  EXPECT_EQ(notes["annotations"]["color"], "default");

  // Nothing recorded shows Notion taking any other response field.
  expect_invalid_page({{"Qty", {{"id", "abc"}, {"type", "number"}, {"number", 1}}}},
                      "body.properties.Qty.id should be not present");
  expect_invalid_page(
      {{"Notes",
        {{"rich_text", json::array({{{"text", {{"content", "x"}}}, {"plain_txt", "x"}}})}}}},
      "body.properties.Notes.rich_text[0].plain_txt should be not present");
  expect_invalid_page(
      {{"Notes",
        {{"rich_text", json::array({{{"text", {{"content", "x"}}}, {"plain_text", 3}}})}}}},
      "body.properties.Notes.rich_text[0].plain_text should be a string");
  expect_invalid_page({{"Qty", {{"number", 1}, {"has_more", false}}}},
                      "Qty is expected to be number");
  expect_invalid_page(
      {{"Notes",
        {{"rich_text", json::array({{{"type", "equation"}, {"text", {{"content", "x"}}}}})}}}},
      "body.properties.Notes.rich_text[0].type");
}

TEST_F(ValidationTest, ReadOnlyPropertiesCannotBeWritten) {
  expect_invalid_page({{"Calc", {{"formula", {{"string", "x"}}}}}}, "read-only");
  expect_invalid_page({{"Created", {{"created_time", "2024-01-01T00:00:00.000Z"}}}}, "read-only");
  expect_invalid_page({{"Key", {{"unique_id", {{"number", 3}}}}}}, "read-only");
}

TEST_F(ValidationTest, TextOver2000CharactersIsRejected) {
  const std::string exactly(2000, 'a');
  EXPECT_EQ(create_page(data_source_, {{"Notes", {{"rich_text", text(exactly)}}}}).status, 200);
  expect_invalid_page({{"Notes", {{"rich_text", text(exactly + "b")}}}},
                      "body.properties.Notes.rich_text[0].text.content.length should be ≤ `2000`, "
                      "instead was `2001`.");
  // Notion counts UTF-16 code units: an emoji is two.
  std::string emoji;
  for (int i = 0; i < 1001; ++i) emoji += "🚀";
  expect_invalid_page({{"Name", {{"title", text(emoji)}}}}, "instead was `2002`");
}

TEST_F(ValidationTest, ArraysOver100ItemsAreRejected) {
  json items = json::array();
  for (int i = 0; i < 101; ++i) items.push_back({{"text", {{"content", "x"}}}});
  expect_invalid_page({{"Notes", {{"rich_text", items}}}},
                      "length should be ≤ `100`, instead was `101`");
  json tags = json::array();
  for (int i = 0; i < 101; ++i) tags.push_back({{"name", "t" + std::to_string(i)}});
  expect_invalid_page({{"Tags", {{"multi_select", tags}}}},
                      "multi_select.length should be ≤ `100`");
}

TEST_F(ValidationTest, CommasInSelectOptionNamesAreRejected) {
  expect_invalid_page({{"Tag", {{"select", {{"name", "High, really"}}}}}},
                      "Invalid select option, commas not allowed: High, really");
  expect_error(
      api_->patch("/v1/data_sources/" + data_source_,
                  {{"properties",
                    {{"Tag", {{"select", {{"options", json::array({{{"name", "a,b"}}})}}}}}}}}),
      400, "validation_error", "commas not allowed");
}

TEST_F(ValidationTest, EmptyStringsWhereNotionWantsNullAreRejected) {
  expect_invalid_page({{"Link", {{"url", ""}}}}, "body.properties.Link.url.length should be ≥ `1`");
  expect_invalid_page({{"Mail", {{"email", ""}}}},
                      "body.properties.Mail.email.length should be ≥ `1`");
  expect_invalid_page({{"Phone", {{"phone_number", ""}}}},
                      "body.properties.Phone.phone_number.length");
  EXPECT_EQ(create_page(data_source_, {{"Link", {{"url", nullptr}}}}).status, 200);
}

TEST_F(ValidationTest, PropertyConfigurationsOnlyTakeTheirTypesKeys) {
  expect_error(api_->patch("/v1/data_sources/" + data_source_,
                           {{"properties", {{"When", {{"date", {{"start", "x"}}}}}}}}),
               400, "validation_error", "body.properties.When.date.start should be not present");
  expect_error(api_->patch("/v1/data_sources/" + data_source_,
                           {{"properties", {{"Tag", {{"select", {{"name", "A"}}}}}}}}),
               400, "validation_error", "body.properties.Tag.select.name should be not present");
}

TEST_F(ValidationTest, MoreThanOneTitleIsRejected) {
  const Reply reply =
      api_->post("/v1/databases",
                 {{"parent", {{"type", "page_id"}, {"page_id", server_->root_page_id()}}},
                  {"initial_data_source",
                   {{"properties",
                     {{"A", {{"title", json::object()}}}, {"B", {{"title", json::object()}}}}}}}});
  expect_error(reply, 400, "validation_error", "title");
  expect_error(api_->patch("/v1/data_sources/" + data_source_,
                           {{"properties", {{"Second", {{"title", json::object()}}}}}}),
               400, "validation_error", "title");
  expect_error(
      api_->patch("/v1/data_sources/" + data_source_, {{"properties", {{"Name", nullptr}}}}), 400,
      "validation_error", "title");
}

TEST_F(ValidationTest, DatabaseParentNeedsItsType) {
  expect_error(api_->post("/v1/databases", {{"parent", {{"page_id", server_->root_page_id()}}}}),
               400, "validation_error", "body.parent.type should be defined");
}

TEST_F(ValidationTest, EditingATrashedPageIsRejectedUntilRestored) {
  const std::string page_id = create_row(data_source_, {});
  ASSERT_EQ(api_->patch("/v1/pages/" + page_id, {{"in_trash", true}}).status, 200);
  expect_error(api_->patch("/v1/pages/" + page_id, {{"properties", {{"Qty", {{"number", 1}}}}}}),
               400, "validation_error",
               "Can't edit block that is archived. You must unarchive the block before editing.");
  const Reply restored = api_->patch(
      "/v1/pages/" + page_id, {{"in_trash", false}, {"properties", {{"Qty", {{"number", 1}}}}}});
  EXPECT_EQ(restored.status, 200) << restored.body.dump();
}

TEST_F(ValidationTest, PageSizeOver100AndBadCursorsAreRejected) {
  expect_error(api_->post("/v1/data_sources/" + data_source_ + "/query", {{"page_size", 101}}), 400,
               "validation_error", "body.page_size should be ≤ `100`, instead was `101`.");
  expect_error(
      api_->post("/v1/data_sources/" + data_source_ + "/query", {{"start_cursor", "garbage"}}), 400,
      "validation_error", "start_cursor");
  expect_error(
      api_->post("/v1/data_sources/" + data_source_ + "/query", {{"start_cursor", nullptr}}), 400,
      "validation_error", "body.start_cursor");
  expect_error(api_->get("/v1/blocks/" + server_->root_page_id() + "/children?page_size=500"), 400,
               "validation_error", "page_size");
}

TEST_F(ValidationTest, UnknownBodyKeysAreRejected) {
  expect_error(api_->post("/v1/data_sources/" + data_source_ + "/query",
                          {{"filter_properties", json::array({"title"})}}),
               400, "validation_error", "body.filter_properties should be not present");
}

TEST_F(ValidationTest, BadFiltersAndSortsAreRejected) {
  const std::string path = "/v1/data_sources/" + data_source_ + "/query";
  expect_error(
      api_->post(path, {{"filter", {{"property", "Missing"}, {"number", {{"equals", 1}}}}}}), 400,
      "validation_error", "Could not find property");
  expect_error(
      api_->post(path, {{"filter", {{"property", "Qty"}, {"checkbox", {{"equals", true}}}}}}), 400,
      "validation_error", "does not match");
  expect_error(api_->post(path, {{"filter", {{"property", "Qty"}, {"number", {{"around", 1}}}}}}),
               400, "validation_error", "around");
  const json leaf = {{"property", "Qty"}, {"number", {{"equals", 1}}}};
  expect_error(
      api_->post(
          path,
          {{"filter",
            {{"and", json::array({{{"or", json::array({{{"and", json::array({leaf})}}})}}})}}}}),
      400, "validation_error", "two levels");
  expect_error(
      api_->post(path,
                 {{"sorts", json::array({{{"property", "Missing"}, {"direction", "ascending"}}})}}),
      400, "validation_error", "Missing");
}

TEST_F(ValidationTest, PropertyItemOfAnUnknownPropertyIsRejected) {
  const std::string page_id = create_row(data_source_, {});
  expect_error(api_->get("/v1/pages/" + page_id + "/properties/nope"), 400, "validation_error",
               "nope is not a property that exists.");
}

TEST_F(ValidationTest, MalformedBodiesAreValidationErrorsNeverServerErrors) {
  const std::string page_id = create_row(data_source_, {});
  const std::string database_id =
      api_->get("/v1/data_sources/" + data_source_).body["parent"]["database_id"];
  const std::vector<std::pair<std::string, std::string>> targets = {
      {"POST", "/v1/pages"},
      {"PATCH", "/v1/pages/" + page_id},
      {"POST", "/v1/databases"},
      {"PATCH", "/v1/databases/" + database_id},
      {"POST", "/v1/data_sources"},
      {"PATCH", "/v1/data_sources/" + data_source_},
      {"POST", "/v1/data_sources/" + data_source_ + "/query"},
      {"POST", "/v1/search"}};
  const std::vector<json> bodies = {
      json::array(),
      "text",
      42,
      {{"parent", 5}},
      {{"parent", {{"data_source_id", 5}}}},
      {{"parent", {{"type", "page_id"}, {"page_id", nullptr}}}},
      {{"properties", json::array()}},
      {{"properties", {{"Name", 5}}}},
      {{"properties", {{"Owner", {{"people", json::array({{{"object", 5}, {"id", "x"}}})}}}}}},
      {{"properties", {{"Tag", {{"select", {{"name", 5}}}}}}}},
      {{"properties", {{"When", {{"date", {{"start", 5}}}}}}}},
      {{"properties", {{"Att", {{"files", json::array({{{"name", "a"}, {"external", 5}}})}}}}}},
      {{"properties",
        {{"Roll", {{"rollup", {{"relation_property_id", 5}, {"function", "sum"}}}}}}}},
      {{"properties", {{"Tag", {{"select", {{"options", json::array({{{"id", 5}}})}}}}}}}},
      {{"title", "not rich text"}},
      {{"title", json::array({{{"text", {{"content", 5}}}}})}},
      {{"filter", "x"}},
      {{"filter", {{"property", 5}}}},
      {{"filter", {{"and", 5}}}},
      {{"filter", {{"property", "object"}, {"value", 5}}}},
      {{"sorts", json::object()}},
      {{"sorts", json::array({5})}},
      {{"sort", {{"timestamp", 5}}}},
      {{"page_size", "ten"}},
      {{"page_size", 0}},
      {{"in_trash", "yes"}},
      {{"icon", {{"emoji", 5}}}},
      {{"initial_data_source", 5}}};
  for (const auto& [method, path] : targets) {
    for (const json& body : bodies) {
      const Reply reply = api_->raw(method, path, body.dump(), api_->headers());
      EXPECT_GE(reply.status, 200) << method << " " << path << " " << body.dump();
      EXPECT_LT(reply.status, 500)
          << method << " " << path << " " << body.dump() << " -> " << reply.body.dump();
      if (reply.status >= 400) {
        EXPECT_EQ(reply.body["object"], "error");
      }
    }
  }
}

}  // namespace
}  // namespace notion_emulator::testing
