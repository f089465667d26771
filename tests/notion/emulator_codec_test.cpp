// Property values and schemas round-trip through the emulator: what we encode, Notion (as
// emulated) stores and answers, and we decode to the normal form of what we wrote.
#include <gtest/gtest.h>

#include "notion/emulator_fixture.hpp"
#include "notionsync/core/error.hpp"
#include "notionsync/notion/pagination.hpp"
#include "notionsync/notion/property_schema.hpp"
#include "notionsync/notion/property_value_codec.hpp"

namespace notionsync::notion {
namespace {

using nlohmann::json;
using testing::EmulatorTest;

DateTime date_time(std::string_view text) {
  return DateTime::parse(text).value();
}
Date date(std::string_view text) {
  return Date::parse(text).value();
}

PropertySchema schema_of(PropertyType type) {
  PropertySchema schema;
  schema.type = type;
  return schema;
}

class EmulatorCodecTest : public EmulatorTest {
 protected:
  // A data source with one property of every writable type; "Link" relates to itself.
  void SetUp() override {
    EmulatorTest::SetUp();
    PropertySchema priority = schema_of(PropertyType::select);
    priority.options = {{"High", "red", ""}, {"Low", "", ""}};
    PropertySchema tags = schema_of(PropertyType::multi_select);
    tags.options = {{"a", "", ""}};
    PropertySchema stage = schema_of(PropertyType::status);
    stage.options = {{"Todo", "", ""}, {"Doing", "blue", ""}, {"Done", "green", ""}};
    json properties = {
        {"Name", encode_property_schema(schema_of(PropertyType::title))},
        {"Notes", encode_property_schema(schema_of(PropertyType::rich_text))},
        {"Qty", encode_property_schema(schema_of(PropertyType::number))},
        {"Site", encode_property_schema(schema_of(PropertyType::url))},
        {"Mail", encode_property_schema(schema_of(PropertyType::email))},
        {"Phone", encode_property_schema(schema_of(PropertyType::phone_number))},
        {"Priority", encode_property_schema(priority)},
        {"Tags", encode_property_schema(tags)},
        {"Stage", encode_property_schema(stage)},
        {"When", encode_property_schema(schema_of(PropertyType::date))},
        {"Done", encode_property_schema(schema_of(PropertyType::checkbox))},
        {"Owners", encode_property_schema(schema_of(PropertyType::people))},
        {"Files", encode_property_schema(schema_of(PropertyType::files))},
    };
    data_source_id_ = create_data_source(properties);
    PropertySchema link = schema_of(PropertyType::relation);
    link.relation_data_source_id = data_source_id_;
    client().call(endpoints::update_data_source(
        data_source_id_, {{"properties", {{"Link", encode_property_schema(link, "Link")}}}}));
  }

  // Creates a page with `name` = `value`, reads it back, decodes the property.
  Value round_trip(const std::string& name, PropertyType type, const Value& value) {
    json properties = {{name, encode_property_value(type, value, name)}};
    if (name != "Name")
      properties["Name"] = encode_property_value(PropertyType::title, Value("row"));
    const json created = client().call(endpoints::create_page(data_source_id_, properties));
    json page = client().call(endpoints::retrieve_page(created.at("id").get<std::string>()));
    complete_truncated_properties(client(), page);
    return decode_property_value(page.at("properties").at(name));
  }

  std::string data_source_id_;
};

TEST_F(EmulatorCodecTest, EveryWritableTypeRoundTrips) {
  std::string emoji_text;
  for (int i = 0; i < 1500; ++i) emoji_text += "\xF0\x9F\x98\x80";
  const std::string user = "11111111-2222-4333-8444-555555555555";
  const std::vector<std::tuple<std::string, PropertyType, Value>> cases = {
      {"Name", PropertyType::title, Value("Ada Lovelace")},
      {"Notes", PropertyType::rich_text, Value(std::string(4500, 'x'))},
      {"Notes", PropertyType::rich_text, Value(emoji_text)},
      {"Notes", PropertyType::rich_text, Value("")},
      {"Qty", PropertyType::number, Value(3)},
      {"Qty", PropertyType::number, Value(2.5)},
      {"Qty", PropertyType::number, Value(-9007199254740992)},
      {"Qty", PropertyType::number, Value()},
      {"Site", PropertyType::url, Value("https://example.com/x?y=1")},
      {"Site", PropertyType::url, Value("")},
      {"Mail", PropertyType::email, Value("ada@example.com")},
      {"Phone", PropertyType::phone_number, Value("+44 20 7946 0000")},
      {"Priority", PropertyType::select, Value("High")},
      {"Priority", PropertyType::select, Value("Brand new option")},
      {"Priority", PropertyType::select, Value()},
      {"Tags", PropertyType::multi_select, Value(Value::List{"a", "b", "a"})},
      {"Tags", PropertyType::multi_select, Value(Value::List{})},
      {"Stage", PropertyType::status, Value("Doing")},
      {"When", PropertyType::date, Value(date("2026-06-01"))},
      {"When", PropertyType::date, Value(date_time("2026-06-01T10:30:00Z"))},
      {"When", PropertyType::date, Value(date_time("2026-06-01T10:30:00.250+02:00"))},
      {"When", PropertyType::date, Value(date_time("2026-06-01T10:30:00"))},
      {"When", PropertyType::date, Value(Value::List{date("2026-06-01"), date("2026-06-05")})},
      {"When", PropertyType::date,
       Value(Value::List{date_time("2026-06-01T09:00:00"), date_time("2026-06-01T17:00:00"),
                         "Europe/Berlin"})},
      {"Done", PropertyType::checkbox, Value(true)},
      {"Done", PropertyType::checkbox, Value()},
      {"Owners", PropertyType::people, Value(Value::List{user})},
      {"Files", PropertyType::files, Value(Value::List{"https://example.com/report.pdf"})},
  };
  for (const auto& [name, type, value] : cases) {
    EXPECT_EQ(round_trip(name, type, value), normalize_property_value(type, value))
        << name << " " << value.to_display().substr(0, 60);
  }
}

TEST_F(EmulatorCodecTest, RelationsPastTwentyFiveAreReadInFull) {
  std::vector<std::future<json>> creates;
  for (int i = 0; i < 30; ++i) {
    creates.push_back(client().submit(endpoints::create_page(
        data_source_id_,
        {{"Name", encode_property_value(PropertyType::title, Value("t" + std::to_string(i)))}})));
  }
  Value::List targets;
  for (auto& created : creates) targets.emplace_back(created.get().at("id").get<std::string>());

  const json page = client().call(endpoints::create_page(
      data_source_id_,
      {{"Link", encode_property_value(PropertyType::relation, Value(targets), "Link")}}));
  json read = client().call(endpoints::retrieve_page(page.at("id").get<std::string>()));
  EXPECT_TRUE(property_value_may_be_truncated(read["properties"]["Link"]));
  EXPECT_EQ(decode_property_value(read["properties"]["Link"]).as_list().size(), 25u);
  EXPECT_EQ(complete_truncated_properties(client(), read), 1u);
  EXPECT_EQ(decode_property_value(read["properties"]["Link"]), Value(targets));
}

TEST_F(EmulatorCodecTest, UpdatesAndTrash) {
  const json page = client().call(endpoints::create_page(
      data_source_id_, {{"Name", encode_property_value(PropertyType::title, Value("before"))},
                        {"Qty", encode_property_value(PropertyType::number, Value(1))}}));
  const std::string page_id = page.at("id");
  const json updated = client().call(endpoints::update_page(
      page_id, {{"Qty", encode_property_value(PropertyType::number, Value(2))},
                {"Site", encode_property_value(PropertyType::url, Value("https://x.org"))}}));
  EXPECT_EQ(decode_property_value(updated["properties"]["Qty"]), Value(2));
  EXPECT_EQ(decode_property_value(updated["properties"]["Name"]), Value("before"));

  EXPECT_TRUE(client().call(endpoints::trash_page(page_id)).at("in_trash").get<bool>());
  EXPECT_TRUE(server_->pages(data_source_id_, false).empty());
  EXPECT_FALSE(client().call(endpoints::trash_page(page_id, false)).at("in_trash").get<bool>());
  EXPECT_EQ(server_->pages(data_source_id_, false).size(), 1u);
}

TEST_F(EmulatorCodecTest, SchemaReadsBackAsWritten) {
  const json data_source = client().call(endpoints::retrieve_data_source(data_source_id_));
  const auto schemas = decode_property_schemas(data_source.at("properties"));
  EXPECT_EQ(schemas.size(), 14u);
  EXPECT_EQ(schemas.at("Name").type, PropertyType::title);
  EXPECT_EQ(schemas.at("Link").relation_data_source_id, data_source_id_);
  ASSERT_EQ(schemas.at("Priority").options.size(), 2u);
  EXPECT_EQ(schemas.at("Priority").options[0].name, "High");
  EXPECT_EQ(schemas.at("Priority").options[0].color, "red");
  EXPECT_FALSE(schemas.at("Priority").options[0].id.empty());

  // Add and remove a property with one PATCH.
  client().call(endpoints::update_data_source(
      data_source_id_, {{"properties",
                         {{"Extra", encode_property_schema(schema_of(PropertyType::checkbox))},
                          {"Phone", nullptr}}}}));
  const auto after = decode_property_schemas(
      client().call(endpoints::retrieve_data_source(data_source_id_)).at("properties"));
  EXPECT_TRUE(after.contains("Extra"));
  EXPECT_FALSE(after.contains("Phone"));
}

TEST_F(EmulatorCodecTest, NotionsRejectionsArriveAsTypedErrors) {
  try {
    client().call(endpoints::create_page(data_source_id_, {{"Nope", {{"number", 1}}}}));
    FAIL() << "accepted an unknown property";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.notion_kind(), NotionErrorKind::validation);
    EXPECT_EQ(e.status(), 400);
    EXPECT_EQ(e.code(), "validation_error");
    EXPECT_FALSE(e.request_id().empty());
    EXPECT_NE(e.notion_message().find("Nope"), std::string::npos) << e.what();
  }
  try {
    client().call(endpoints::retrieve_data_source("00000000-0000-4000-8000-000000000000"));
    FAIL() << "found a data source that does not exist";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.notion_kind(), NotionErrorKind::not_found);
    EXPECT_NE(std::string(e.what()).find("Connections"), std::string::npos);
  }
}

}  // namespace
}  // namespace notionsync::notion
