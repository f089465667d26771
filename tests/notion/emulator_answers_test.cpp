// Answers real Notion gives (recorded in ../shared/reference/notion-shapes-*.json) that the client
// must read correctly: full user objects in values, database times to the millisecond with an
// offset, request ids in bodies, additional_data on errors, computed formula and rollup values,
// and a 400 (not a 404) for an id Notion refuses. And the Notion-Version the client speaks.
#include <gtest/gtest.h>

#include <set>

#include "notion/emulator_fixture.hpp"
#include "notionsync/notion/api_error.hpp"
#include "notionsync/notion/property_schema.hpp"
#include "notionsync/notion/property_value_codec.hpp"

namespace notionsync::notion {
namespace {

using nlohmann::json;
using testing::EmulatorTest;

PropertySchema schema_of(PropertyType type) {
  PropertySchema schema;
  schema.type = type;
  return schema;
}

class EmulatorAnswersTest : public EmulatorTest {
 protected:
  std::string owner_id() const { return notion_emulator::default_workspace_users().at(0).id; }
};

TEST_F(EmulatorAnswersTest, FullUserObjectsInValuesDecodeToTheirIds) {
  const std::string source = create_data_source({
      {"Name", encode_property_schema(schema_of(PropertyType::title))},
      {"Owners", encode_property_schema(schema_of(PropertyType::people))},
      {"Creator", encode_property_schema(schema_of(PropertyType::created_by))},
      {"Editor", encode_property_schema(schema_of(PropertyType::last_edited_by))},
  });
  const json page = client().call(endpoints::create_page(
      source,
      {{"Name", encode_property_value(PropertyType::title, Value("Row"))},
       {"Owners", encode_property_value(PropertyType::people, Value(Value::List{owner_id()}))}}));
  const json& owners = page["properties"]["Owners"];
  ASSERT_EQ(owners["people"][0]["type"], "person");  // a full user object, as Notion answers
  ASSERT_TRUE(owners["people"][0]["person"].contains("email"));
  EXPECT_EQ(decode_property_value(owners), Value(Value::List{owner_id()}));
  const std::string bot = client().call(endpoints::users_me())["id"];
  ASSERT_EQ(page["properties"]["Creator"]["created_by"]["type"], "bot");
  EXPECT_EQ(decode_property_value(page["properties"]["Creator"]), Value(bot));
  EXPECT_EQ(decode_property_value(page["properties"]["Editor"]), Value(bot));
}

TEST_F(EmulatorAnswersTest, DatabaseTimesWithMillisecondsAndAnOffsetParse) {
  const json database = client().call(endpoints::create_database(
      server_->root_page_id(), "Times", {{"Name", {{"title", json::object()}}}}));
  const std::string created = database["created_time"];
  ASSERT_EQ(created.substr(created.size() - 6), "+00:00") << created;
  const auto parsed = DateTime::parse(created);
  ASSERT_TRUE(parsed.has_value()) << created;
  EXPECT_EQ(parsed->offset_minutes, 0);
  // A page created after it shows its time rounded down to the minute, written with Z.
  const json page = client().call(
      endpoints::create_page(database["data_sources"][0]["id"].get<std::string>(),
                             {{"Name", encode_property_value(PropertyType::title, Value("x"))}}));
  const auto page_time = DateTime::parse(page["created_time"].get<std::string>());
  ASSERT_TRUE(page_time.has_value());
  EXPECT_EQ(page_time->second, 0);
  DateTime minute = *parsed;
  minute.second = 0;
  minute.millisecond = 0;
  EXPECT_GE(*page_time, minute);
}

TEST_F(EmulatorAnswersTest, AnswersCarryTheRequestIdTheErrorsNameToo) {
  const json me = client().call(endpoints::users_me());
  EXPECT_TRUE(me.contains("request_id"));
  try {
    client().call(endpoints::retrieve_page("7855b161-f63e-4683-b7c7-8ca6e97ee266"));
    FAIL() << "an unknown page was found";
  } catch (const ApiError& error) {
    EXPECT_EQ(error.notion_kind(), NotionErrorKind::not_found);
    EXPECT_EQ(error.info().code, "object_not_found");
    EXPECT_FALSE(error.info().request_id.empty());
    EXPECT_NE(std::string(error.what()).find("share the page or database"), std::string::npos);
  }
}

TEST_F(EmulatorAnswersTest, AnIdNotionRefusesIsAValidationErrorNotAMissingPage) {
  // The variant digit of this id is 1: Notion answers 400 validation_error, not 404.
  for (const Request& request :
       {endpoints::retrieve_page("12345678-1234-1234-1234-123456789abc"),
        endpoints::update_page("12345678123412341234123456789abc", json::object()),
        endpoints::trash_page("12345678-1234-1234-1234-123456789abc")}) {
    try {
      client().call(request);
      FAIL() << "Notion refuses this id";
    } catch (const ApiError& error) {
      EXPECT_EQ(error.notion_kind(), NotionErrorKind::validation) << error.what();
      EXPECT_NE(std::string(error.what()).find("should be a valid uuid"), std::string::npos);
    }
  }
}

TEST_F(EmulatorAnswersTest, FormulaAndRollupValuesDecodeAsNotionComputesThem) {
  const std::string items = create_data_source(
      {{"Name", encode_property_schema(schema_of(PropertyType::title))}}, "Items");
  PropertySchema relation = schema_of(PropertyType::relation);
  relation.relation_data_source_id = items;
  const std::string source = create_data_source({
      {"Name", encode_property_schema(schema_of(PropertyType::title))},
      {"Number", encode_property_schema(schema_of(PropertyType::number))},
      {"Items", encode_property_schema(relation, "Items")},
      {"Double", {{"formula", {{"expression", "prop(\"Number\") * 2"}}}}},
      {"Label", {{"formula", {{"expression", "format(prop(\"Number\")) + \" units\""}}}}},
  });
  client().call(
      endpoints::update_data_source(source, {{"properties",
                                              {{"Count",
                                                {{"rollup",
                                                  {{"function", "count"},
                                                   {"relation_property_name", "Items"},
                                                   {"rollup_property_name", "Name"}}}}}}}}));
  // Notion keeps formula references in its own form, naming the property by id.
  const json schema = client().call(endpoints::retrieve_data_source(source));
  const std::string expression = schema["properties"]["Double"]["formula"]["expression"];
  EXPECT_EQ(expression.rfind("{{notion:block_property:", 0), 0u) << expression;
  EXPECT_NE(expression.find(source), std::string::npos) << expression;

  Value::List related;
  for (const char* name : {"a", "b"}) {
    related.emplace_back(
        client()
            .call(endpoints::create_page(
                items, {{"Name", encode_property_value(PropertyType::title, Value(name))}}))["id"]
            .get<std::string>());
  }
  const json page = client().call(endpoints::create_page(
      source, {{"Name", encode_property_value(PropertyType::title, Value("Row"))},
               {"Number", encode_property_value(PropertyType::number, Value(42))},
               {"Items", encode_property_value(PropertyType::relation, Value(related))}}));
  EXPECT_EQ(decode_property_value(page["properties"]["Double"]), Value(84));
  EXPECT_EQ(decode_property_value(page["properties"]["Label"]), Value("42 units"));
  EXPECT_EQ(decode_property_value(page["properties"]["Count"]), Value(2));
}

}  // namespace
}  // namespace notionsync::notion

namespace notionsync::notion {
namespace {

class ClientVersionTest : public testing::EmulatorTest {
 protected:
  std::set<std::string> versions_sent() {
    std::set<std::string> versions;
    for (const auto& request : server_->requests()) versions.insert(request.notion_version);
    return versions;
  }
};

TEST_F(ClientVersionTest, SpeaksTheCurrentVersionByDefaultAndTheOlderOnRequest) {
  EXPECT_EQ(client().api_version(), "2026-03-11");
  const std::string source = create_data_source({{"Name", {{"title", json::object()}}}});
  const json page = client().call(endpoints::create_page(source, json::object()));
  // Trash and restore as the 2026-03-11 answers have it: in_trash, and no archived anywhere.
  EXPECT_EQ(client().call(endpoints::trash_page(page["id"].get<std::string>()))["in_trash"], true);
  EXPECT_FALSE(client()
                   .call(endpoints::trash_page(page["id"].get<std::string>(), false))
                   .contains("archived"));
  EXPECT_EQ(versions_sent(), std::set<std::string>{"2026-03-11"});

  server_->reset_requests();
  ClientOptions older = client_options();
  older.api_version = "2025-09-03";
  Client previous(older);
  EXPECT_EQ(previous.call(endpoints::retrieve_page(page["id"].get<std::string>()))["archived"],
            false);
  EXPECT_EQ(versions_sent(), std::set<std::string>{"2025-09-03"});
}

TEST_F(ClientVersionTest, AnUnsupportedVersionIsRefusedNamingTheSupportedOnes) {
  ClientOptions options = client_options();
  options.api_version = "2022-06-28";
  try {
    Client refused(options);
    FAIL() << "a client speaking 2022-06-28 was made";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::invalid_argument);
    EXPECT_NE(std::string(error.what()).find("2025-09-03 or 2026-03-11"), std::string::npos)
        << error.what();
  }
  EXPECT_TRUE(server_->requests().empty());
}

}  // namespace
}  // namespace notionsync::notion
