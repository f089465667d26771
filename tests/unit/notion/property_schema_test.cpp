#include "notionsync/notion/property_schema.hpp"

#include <gtest/gtest.h>

#include "notionsync/core/error.hpp"

namespace notionsync::notion {
namespace {

using nlohmann::json;

PropertySchema of(PropertyType type) {
  PropertySchema schema;
  schema.type = type;
  return schema;
}

TEST(PropertySchemaTest, EncodesTheCreateShapes) {
  EXPECT_EQ(encode_property_schema(of(PropertyType::title)), json::parse(R"({"title":{}})"));
  EXPECT_EQ(encode_property_schema(of(PropertyType::checkbox)), json::parse(R"({"checkbox":{}})"));

  PropertySchema number = of(PropertyType::number);
  number.number_format = "dollar";
  EXPECT_EQ(encode_property_schema(number), json::parse(R"({"number":{"format":"dollar"}})"));

  PropertySchema tags = of(PropertyType::multi_select);
  tags.options = {{"urgent", "red", ""}, {"later", "", ""}};
  EXPECT_EQ(
      encode_property_schema(tags),
      json::parse(
          R"({"multi_select":{"options":[{"name":"urgent","color":"red"},{"name":"later"}]}})"));

  PropertySchema empty_select = of(PropertyType::select);
  EXPECT_EQ(encode_property_schema(empty_select), json::parse(R"({"select":{"options":[]}})"));

  // Without options a status gets Notion's defaults (Not started / In progress / Done).
  EXPECT_EQ(encode_property_schema(of(PropertyType::status)), json::parse(R"({"status":{}})"));

  PropertySchema parent = of(PropertyType::relation);
  parent.relation_data_source_id = "11111111222233334444555555555555";
  EXPECT_EQ(encode_property_schema(parent),
            json::parse(R"({"relation":{"data_source_id":"11111111-2222-3333-4444-555555555555",
                                        "single_property":{}}})"));
  parent.relation_kind = RelationKind::dual_property;
  parent.synced_property_name = "Children";
  EXPECT_EQ(encode_property_schema(parent),
            json::parse(R"({"relation":{"data_source_id":"11111111-2222-3333-4444-555555555555",
                                        "dual_property":{"synced_property_name":"Children"}}})"));

  PropertySchema described = of(PropertyType::rich_text);
  described.description = "Free text";
  EXPECT_EQ(encode_property_schema(described),
            json::parse(R"({"rich_text":{},"description":"Free text"})"));
}

TEST(PropertySchemaTest, RefusesWhatNotionWouldReject) {
  PropertySchema comma = of(PropertyType::select);
  comma.options = {{"a,b", "", ""}};
  EXPECT_THROW(encode_property_schema(comma, "Tag"), Error);

  PropertySchema duplicate = of(PropertyType::select);
  duplicate.options = {{"High", "", ""}, {"high", "", ""}};
  EXPECT_THROW(encode_property_schema(duplicate, "Tag"), Error);

  PropertySchema color = of(PropertyType::select);
  color.options = {{"A", "magenta", ""}};
  EXPECT_THROW(encode_property_schema(color, "Tag"), Error);

  PropertySchema too_many = of(PropertyType::multi_select);
  for (int i = 0; i < 101; ++i) too_many.options.push_back({"o" + std::to_string(i), "", ""});
  EXPECT_THROW(encode_property_schema(too_many, "Tags"), Error);

  EXPECT_THROW(encode_property_schema(of(PropertyType::relation), "Parent"), Error);
}

TEST(PropertySchemaTest, DecodesADataSourcesProperties) {
  const json properties = json::parse(R"({
    "Name": {"id":"title","name":"Name","description":null,"type":"title","title":{}},
    "Qty": {"id":"a%3Bb","name":"Qty","type":"number","number":{"format":"number"}},
    "Tag": {"id":"x","name":"Tag","type":"select","select":{"options":[
             {"id":"o1","name":"A","color":"red","description":null}]}},
    "Parent": {"id":"y","name":"Parent","type":"relation","relation":{
             "database_id":"d","data_source_id":"11111111-2222-3333-4444-555555555555",
             "type":"dual_property","dual_property":{"synced_property_id":"z","synced_property_name":"Kids"}}},
    "Key": {"id":"k","name":"Key","type":"unique_id","unique_id":{"prefix":"ROW"}},
    "Press": {"id":"b","name":"Press","type":"button","button":{}}
  })");
  const auto schemas = decode_property_schemas(properties);
  ASSERT_EQ(schemas.size(), 5u);  // the button is skipped
  EXPECT_EQ(schemas.at("Name").type, PropertyType::title);
  EXPECT_EQ(schemas.at("Qty").id, "a%3Bb");
  EXPECT_EQ(schemas.at("Qty").number_format, "number");
  ASSERT_EQ(schemas.at("Tag").options.size(), 1u);
  EXPECT_EQ(schemas.at("Tag").options[0].name, "A");
  EXPECT_EQ(schemas.at("Tag").options[0].color, "red");
  EXPECT_EQ(schemas.at("Tag").options[0].id, "o1");
  EXPECT_EQ(schemas.at("Parent").relation_kind, RelationKind::dual_property);
  EXPECT_EQ(schemas.at("Parent").synced_property_name, "Kids");
  EXPECT_EQ(schemas.at("Key").unique_id_prefix, "ROW");
  EXPECT_THROW(decode_property_schema(properties["Press"]), Error);
}

}  // namespace
}  // namespace notionsync::notion
