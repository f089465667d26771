// Formulas and rollups: Notion's reference form for formula expressions and the values computed
// for the supported subset of the formula language and the rollup functions.
#include "api_client.hpp"

namespace notion_emulator::testing {
namespace {

class ComputedValuesTest : public EmulatorTest {
 protected:
  void SetUp() override {
    EmulatorTest::SetUp();
    items_ = create_database("Items", {{"Name", {{"title", json::object()}}},
                                       {"Price", {{"number", json::object()}}},
                                       {"Due", {{"date", json::object()}}},
                                       {"Paid", {{"checkbox", json::object()}}}});
    source_ = create_database(
        "Orders",
        {{"Name", {{"title", json::object()}}},
         {"Qty", {{"number", json::object()}}},
         {"Note", {{"rich_text", json::object()}}},
         {"Tags", {{"multi_select", {{"options", json::array({{{"name", "x"}}})}}}}},
         {"Urgent", {{"checkbox", json::object()}}},
         {"Items",
          {{"relation", {{"data_source_id", items_}, {"single_property", json::object()}}}}}});
  }

  // Adds formula `name` with `expression` to the orders and answers its value on a page with
  // `properties`.
  json formula(const std::string& expression, const json& properties) {
    const std::string name = "F" + std::to_string(++formulas_);
    const Reply added =
        api_->patch("/v1/data_sources/" + source_,
                    {{"properties", {{name, {{"formula", {{"expression", expression}}}}}}}});
    EXPECT_EQ(added.status, 200) << added.body.dump();
    const Reply page = create_page(source_, properties);
    EXPECT_EQ(page.status, 200) << page.body.dump();
    return page.body["properties"][name]["formula"];
  }

  // Adds rollup `function` over the related items' `property` and answers its value.
  json rollup(const std::string& function, const std::string& property,
              const std::vector<std::string>& related) {
    const std::string name = "R" + std::to_string(++formulas_);
    const Reply added = api_->patch("/v1/data_sources/" + source_,
                                    {{"properties",
                                      {{name,
                                        {{"rollup",
                                          {{"function", function},
                                           {"relation_property_name", "Items"},
                                           {"rollup_property_name", property}}}}}}}});
    EXPECT_EQ(added.status, 200) << added.body.dump();
    json links = json::array();
    for (const std::string& id : related) links.push_back({{"id", id}});
    const Reply page = create_page(source_, {{"Items", {{"relation", links}}}});
    EXPECT_EQ(page.status, 200) << page.body.dump();
    return page.body["properties"][name]["rollup"];
  }

  std::string item(const json& properties) { return create_row(items_, properties); }

  std::string items_;
  std::string source_;
  int formulas_ = 0;
};

TEST_F(ComputedValuesTest, ExpressionsAreStoredInNotionsReferenceFormAndSurviveARename) {
  const Reply added = api_->patch(
      "/v1/data_sources/" + source_,
      {{"properties", {{"Double", {{"formula", {{"expression", "prop(\"Qty\") * 2"}}}}}}}});
  ASSERT_EQ(added.status, 200) << added.body.dump();
  const std::string qty_id = added.body["properties"]["Qty"]["id"];
  EXPECT_EQ(added.body["properties"]["Double"]["formula"]["expression"],
            "{{notion:block_property:" + qty_id + ":" + source_ +
                ":0e1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b}} * 2");
  ASSERT_EQ(api_->patch("/v1/data_sources/" + source_,
                        {{"properties", {{"Qty", {{"name", "Quantity"}}}}}})
                .status,
            200);
  const Reply page = create_page(source_, {{"Quantity", {{"number", 21}}}});
  EXPECT_EQ(page.body["properties"]["Double"]["formula"],
            json({{"type", "number"}, {"number", 42}}));
  // A reference to a property the data source lacks is refused, as Notion refuses a formula it
  // cannot parse.
  const Reply unknown = api_->patch(
      "/v1/data_sources/" + source_,
      {{"properties", {{"Broken", {{"formula", {{"expression", "prop(\"Nope\") + 1"}}}}}}}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.message().find("\"Nope\""), std::string::npos) << unknown.message();
}

TEST_F(ComputedValuesTest, FormulaValuesAreTypedAsNotionTypesThem) {
  const json some = {{"Name", {{"title", text("Order")}}},
                     {"Qty", {{"number", 4}}},
                     {"Note", {{"rich_text", text("hello")}}},
                     {"Tags", {{"multi_select", json::array({{{"name", "x"}}, {{"name", "y"}}})}}},
                     {"Urgent", {{"checkbox", true}}}};
  EXPECT_EQ(formula("prop(\"Qty\") * 2 + 1", some), json({{"type", "number"}, {"number", 9}}));
  EXPECT_EQ(formula("prop(\"Qty\") / 8", some), json({{"type", "number"}, {"number", 0.5}}));
  EXPECT_EQ(formula("2 ^ 3 ^ 2", some), json({{"type", "number"}, {"number", 512}}));
  EXPECT_EQ(formula("-prop(\"Qty\") % 3", some), json({{"type", "number"}, {"number", -1}}));
  EXPECT_EQ(formula("prop(\"Name\") + \" #\" + format(prop(\"Qty\"))", some),
            json({{"type", "string"}, {"string", "Order #4"}}));
  EXPECT_EQ(formula("prop(\"Qty\") > 3 and not prop(\"Urgent\")", some),
            json({{"type", "boolean"}, {"boolean", false}}));
  EXPECT_EQ(formula("if(prop(\"Urgent\"), \"now\", \"later\")", some),
            json({{"type", "string"}, {"string", "now"}}));
  EXPECT_EQ(formula("prop(\"Qty\") == 4 ? 'four' : 'other'", some),
            json({{"type", "string"}, {"string", "four"}}));
  EXPECT_EQ(formula("prop(\"Tags\").includes(\"y\")", some),
            json({{"type", "boolean"}, {"boolean", true}}));
  EXPECT_EQ(formula("prop(\"Tags\").length()", some), json({{"type", "number"}, {"number", 2}}));
  EXPECT_EQ(formula("upper(prop(\"Note\"))", some),
            json({{"type", "string"}, {"string", "HELLO"}}));
  EXPECT_EQ(formula("max(1, prop(\"Qty\"), 3)", some), json({{"type", "number"}, {"number", 4}}));
  EXPECT_EQ(formula("round(2 / 3, 2)", some), json({{"type", "number"}, {"number", 0.67}}));
  // An empty number reads as empty on its own and as 0 in arithmetic (recorded:
  // create_empty_page_in_B).
  EXPECT_EQ(formula("prop(\"Qty\")", json::object()),
            json({{"type", "number"}, {"number", nullptr}}));
  EXPECT_EQ(formula("prop(\"Qty\") + 1", json::object()),
            json({{"type", "number"}, {"number", 1}}));
  // Outside the supported subset: an empty string, never a wrong value.
  EXPECT_EQ(formula("dateAdd(now(), 1, \"days\")", some),
            json({{"type", "string"}, {"string", nullptr}}));
  EXPECT_EQ(formula("prop(\"Qty\") +", some), json({{"type", "string"}, {"string", nullptr}}));
}

TEST_F(ComputedValuesTest, RollupsAreComputedOverTheLiveRelatedPages) {
  const std::string a = item({{"Name", {{"title", text("a")}}},
                              {"Price", {{"number", 10}}},
                              {"Due", {{"date", {{"start", "2026-03-01"}}}}},
                              {"Paid", {{"checkbox", true}}}});
  const std::string b = item({{"Name", {{"title", text("b")}}},
                              {"Price", {{"number", 30}}},
                              {"Due", {{"date", {{"start", "2026-01-15"}}}}}});
  const std::string c = item({{"Name", {{"title", text("c")}}}});
  const std::vector<std::string> all = {a, b, c};
  const auto number = [](double n, const char* function) {
    return json({{"type", "number"}, {"number", n}, {"function", function}});
  };
  EXPECT_EQ(rollup("count", "Name", all), number(3, "count"));
  EXPECT_EQ(rollup("sum", "Price", all), number(40, "sum"));
  EXPECT_EQ(rollup("average", "Price", all), number(20, "average"));
  EXPECT_EQ(rollup("max", "Price", all), number(30, "max"));
  EXPECT_EQ(rollup("range", "Price", all), number(20, "range"));
  EXPECT_EQ(rollup("count_values", "Price", all), number(2, "count_values"));
  EXPECT_EQ(rollup("empty", "Price", all), number(1, "empty"));
  EXPECT_EQ(rollup("percent_not_empty", "Price", all),
            json({{"type", "number"}, {"number", 2.0 / 3.0}, {"function", "percent_not_empty"}}));
  EXPECT_EQ(rollup("checked", "Paid", all), number(1, "checked"));
  EXPECT_EQ(rollup("earliest_date", "Due", all),
            json({{"type", "date"},
                  {"date", {{"start", "2026-01-15"}, {"end", nullptr}, {"time_zone", nullptr}}},
                  {"function", "earliest_date"}}));
  const json original = rollup("show_original", "Price", {a, b});
  EXPECT_EQ(original["type"], "array");
  EXPECT_EQ(original["array"], json::array({{{"type", "number"}, {"number", 10}},
                                            {{"type", "number"}, {"number", 30}}}));
  // A related page in the trash no longer counts.
  ASSERT_EQ(api_->patch("/v1/pages/" + c, {{"in_trash", true}}).status, 200);
  EXPECT_EQ(rollup("count", "Name", all), number(2, "count"));
}

}  // namespace
}  // namespace notion_emulator::testing
