// Paginated reads against the emulator: queries with cursors, block children, search.
#include <gtest/gtest.h>

#include <set>

#include "notion/emulator_fixture.hpp"
#include "notionsync/notion/pagination.hpp"
#include "notionsync/notion/property_schema.hpp"
#include "notionsync/notion/property_value_codec.hpp"

namespace notionsync::notion {
namespace {

using nlohmann::json;
using testing::EmulatorTest;

class EmulatorPaginationTest : public EmulatorTest {
 protected:
  void SetUp() override {
    EmulatorTest::SetUp();
    PropertySchema title;
    title.type = PropertyType::title;
    PropertySchema key;
    key.type = PropertyType::rich_text;
    data_source_id_ = create_data_source(
        {{"Name", encode_property_schema(title)}, {"Key", encode_property_schema(key)}}, "Rows");
    std::vector<std::future<json>> creates;
    for (int i = 0; i < 250; ++i) {
      creates.push_back(client().submit(endpoints::create_page(
          data_source_id_,
          {{"Name", encode_property_value(PropertyType::title, Value("row " + std::to_string(i)))},
           {"Key",
            encode_property_value(PropertyType::rich_text, Value("k" + std::to_string(i % 2)))}})));
    }
    for (auto& create : creates) create.get();
    server_->reset_requests();
  }

  std::string data_source_id_;
};

TEST_F(EmulatorPaginationTest, ReadsEveryRowOnceInPagesOf100) {
  DataSourceQuery query;
  query.data_source_id = data_source_id_;
  std::set<std::string> ids;
  std::size_t calls = 0;
  const QueryStats stats = query_all_rows(client(), query, [&](std::vector<json> rows) {
    ++calls;
    EXPECT_LE(rows.size(), 100u);
    for (const json& row : rows) ids.insert(row.at("id").get<std::string>());
  });
  EXPECT_EQ(ids.size(), 250u);
  EXPECT_EQ(stats.rows, 250u);
  EXPECT_EQ(stats.pages, 3u);
  EXPECT_EQ(stats.windows, 1u);
  EXPECT_EQ(server_->count("POST", "/v1/data_sources"), 3u);
}

TEST_F(EmulatorPaginationTest, FiltersAndNarrowsProperties) {
  DataSourceQuery query;
  query.data_source_id = data_source_id_;
  query.filter = {{"property", "Key"}, {"rich_text", {{"equals", "k1"}}}};
  query.filter_properties = {"Key"};
  std::size_t rows_seen = 0;
  query_all_rows(client(), query, [&](std::vector<json> rows) {
    for (const json& row : rows) {
      ++rows_seen;
      EXPECT_EQ(decode_property_value(row["properties"]["Key"]), Value("k1"));
      EXPECT_FALSE(row["properties"].contains("Name"));
    }
  });
  EXPECT_EQ(rows_seen, 125u);
}

TEST_F(EmulatorPaginationTest, PagerStepsPageByPage) {
  DataSourceQuery query;
  query.data_source_id = data_source_id_;
  query.page_size = 90;
  Pager pager(client(),
              [&](const auto& cursor) { return endpoints::query_data_source(query, cursor); });
  std::vector<std::size_t> sizes;
  while (std::optional<ListPage> page = pager.next()) sizes.push_back(page->results.size());
  EXPECT_EQ(sizes, (std::vector<std::size_t>{90, 90, 70}));
  EXPECT_FALSE(pager.next().has_value());
}

TEST_F(EmulatorPaginationTest, FindsChildDatabasesAndSearches) {
  const auto children = list_all_block_children(client(), server_->root_page_id());
  std::size_t child_databases = 0;
  for (const json& child : children) child_databases += child.value("type", "") == "child_database";
  EXPECT_EQ(child_databases, 1u);

  const auto found = search_all(client(), "Rows", "data_source");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].at("id"), data_source_id_);
}

}  // namespace
}  // namespace notionsync::notion
