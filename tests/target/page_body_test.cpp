// Page bodies: the content of each page as Notion-flavored Markdown, bound to a row field and
// fingerprinted apart from the properties, with the exact calls each change costs.
#include "notionsync/notion/typed_schema.hpp"
#include "target_test_fixture.hpp"

namespace notionsync::testing {
namespace {

using notion::DatabaseSchema;

struct Noted {
  Person person;
  std::string notes;
};

const std::vector<Noted> kNoted = {
    {kAdaGraceAlan[0], "# Ada\nWrote the first program."},
    {kAdaGraceAlan[1], "Built the first compiler.\n\n- A-0\n- COBOL\n"},
    {kAdaGraceAlan[2], ""},
};

DatabaseSchema noted_schema() {
  DatabaseSchema schema = people_schema();
  schema.body("notes");
  return schema;
}

class PageBodyTest : public TargetTest {
 protected:
  SyncReport sync_noted(const notion::DatabaseTargetOptions& options,
                        const std::vector<Noted>& rows) {
    std::vector<Row> declared;
    for (const auto& row : rows) {
      Row values = person_row(row.person);
      values.set("notes", row.notes);
      declared.push_back(std::move(values));
    }
    return sync(options, declared);
  }

  std::string body_of(const std::string& page_id) {
    return client->call(notion::endpoints::retrieve_page_markdown(page_id))["markdown"];
  }
  // Page ids by title.
  std::map<std::string, std::string> pages(const std::string& data_source) {
    std::map<std::string, std::string> ids;
    for (const auto& page : backend->live_pages(data_source)) {
      ids[notion::decode_property_value(page["properties"]["Name"]).as_string()] = page["id"];
    }
    return ids;
  }
  // Body writes (PATCH /v1/pages/{id}/markdown), property writes (PATCH /v1/pages/{id}) and
  // body reads of the last sync.
  std::size_t count_where(const std::string& method, bool markdown) const {
    std::size_t n = 0;
    for (const auto& request : static_cast<EmulatorBackend&>(*backend).server().requests()) {
      const bool is_markdown = request.path.ends_with("/markdown");
      if (request.method == method && request.path.starts_with("/v1/pages/") &&
          is_markdown == markdown) {
        ++n;
      }
    }
    return n;
  }
  std::size_t body_writes() const { return count_where("PATCH", true); }
  std::size_t body_reads() const { return count_where("GET", true); }
  std::size_t property_writes() const { return count_where("PATCH", false); }
};

TEST_P(PageBodyTest, EachPartCostsOneCallAndOnlyWhenItChanged) {
  const std::string data_source = create_people_database();
  const auto options = user_options(data_source, noted_schema());
  auto rows = kNoted;
  auto report = sync_noted(options, rows);
  ASSERT_TRUE(report.ok()) << report.to_string();
  auto ids = pages(data_source);
  // Stored as Notion keeps Markdown: one newline between blocks, no empty lines.
  EXPECT_EQ(body_of(ids["Ada"]), "# Ada\nWrote the first program.");
  EXPECT_EQ(body_of(ids["Grace"]), "Built the first compiler.\n- A-0\n- COBOL");
  EXPECT_EQ(body_of(ids["Alan"]), "");  // an empty body is an empty page
  if (counts_calls()) {
    EXPECT_EQ(count("POST", "/v1/pages"), 3u);  // each page with its body, one call
    EXPECT_EQ(body_writes(), 0u);
  }

  rows[0].notes = "# Ada\nWrote the first published program.";  // the body alone
  rows[1].person.role = "admiral";                              // the properties alone
  rows[2].person.age = 41;                                      // both
  rows[2].notes = "Computability.";
  report = sync_noted(options, rows);
  ASSERT_TRUE(report.ok()) << report.to_string();
  EXPECT_EQ(report.targets[0].updated, 3u);
  EXPECT_EQ(body_of(ids["Ada"]), "# Ada\nWrote the first published program.");
  EXPECT_EQ(body_of(ids["Alan"]), "Computability.");
  if (counts_calls()) {
    EXPECT_EQ(body_writes(), 2u);      // Ada, Alan
    EXPECT_EQ(property_writes(), 2u);  // Grace, Alan
    EXPECT_EQ(page_calls(), 4u + kDriftQuery);
  }

  // The same body written differently (blank lines, CRLF, a trailing newline) is the same body.
  rows[1].notes = "Built the first compiler.\r\n- A-0\r\n\r\n- COBOL\r\n";
  report = sync_noted(options, rows);
  EXPECT_EQ(report.targets[0].unchanged, 3u);
  if (counts_calls()) {
    EXPECT_EQ(page_calls(), 0u + kDriftQuery);
  }
}

TEST_P(PageBodyTest, BindingABodyLaterWritesEachBodyOnceAndNoProperty) {
  const std::string data_source = create_people_database();
  sync_people(user_options(data_source), kAdaGraceAlan);
  const auto options = user_options(data_source, noted_schema());
  auto report = sync_noted(options, kNoted);
  ASSERT_TRUE(report.ok()) << report.to_string();
  if (counts_calls()) {
    EXPECT_EQ(body_writes(), 3u);
    EXPECT_EQ(property_writes(), 0u);
  }
  report = sync_noted(options, kNoted);
  if (counts_calls()) {
    EXPECT_EQ(page_calls(), 0u + kDriftQuery);
  }
  EXPECT_EQ(body_of(pages(data_source)["Grace"]), "Built the first compiler.\n- A-0\n- COBOL");
}

TEST_P(PageBodyTest, AdoptingReadsTheBodyOfEachMatchingPageAndWritesOnlyWhereItDiffers) {
  const std::string data_source = create_people_database();
  const auto schema = noted_schema();
  // Pages made outside notionsync: Ada as declared, Grace with another body, Alan with another
  // role and the declared body.
  for (const auto& row : kNoted) {
    Person person = row.person;
    std::string notes = row.notes;
    if (person.name == "Grace") notes = "Something else.";
    if (person.name == "Alan") person.role = "mathematician";
    nlohmann::json properties;
    const Row values = person_row(person);
    for (const auto& binding : schema.properties()) {
      properties[binding.name] =
          notion::encode_property_value(binding.type, *values.find(binding.field_name()));
    }
    client->call(notion::endpoints::create_page(data_source, properties, notes));
  }
  backend->reset_counts();
  const auto report = sync_noted(user_options(data_source, schema), kNoted);
  ASSERT_TRUE(report.ok()) << report.to_string();
  // Ada's page held both parts: adopted, though its body had to be read to know it.
  EXPECT_EQ(report.targets[0].adopted, 1u) << report.to_string();
  EXPECT_EQ(report.targets[0].updated, 2u) << report.to_string();
  if (counts_calls()) {
    EXPECT_EQ(count("POST", "/v1/data_sources/"), 1u);  // the adoption scan
    EXPECT_EQ(body_reads(), 3u);                        // one per page
    EXPECT_EQ(body_writes(), 1u);                       // Grace's
    EXPECT_EQ(property_writes(), 1u);                   // Alan's role
    EXPECT_EQ(count("POST", "/v1/pages"), 0u);
  }
  EXPECT_EQ(body_of(pages(data_source)["Grace"]), "Built the first compiler.\n- A-0\n- COBOL");
  sync_noted(user_options(data_source, schema), kNoted);
  if (counts_calls()) {
    EXPECT_EQ(page_calls() + body_reads(), 0u + kDriftQuery);
  }
}

TEST_P(PageBodyTest, ABodyOverNotionsLimitIsAnErrorForItsRowAlone) {
  const std::string data_source = create_people_database();
  auto rows = kNoted;
  std::string long_body;
  for (int i = 0; i < 1001; ++i) long_body += "line " + std::to_string(i) + "\n";
  rows[1].notes = long_body;
  const auto report = sync_noted(user_options(data_source, noted_schema()), rows);
  EXPECT_EQ(report.targets[0].created, 2u);
  ASSERT_EQ(report.targets[0].errors.size(), 1u) << report.to_string();
  EXPECT_EQ(report.targets[0].errors[0].column, "notes");
  EXPECT_NE(report.targets[0].errors[0].message.find("1001 blocks; Notion takes at most 1000"),
            std::string::npos)
      << report.targets[0].errors[0].message;
  if (counts_calls()) {
    EXPECT_EQ(count("POST", "/v1/pages"), 2u);
  }
}

TEST_P(PageBodyTest, ABodyThatWouldDeleteAChildPageFailsItsRowUnlessAllowed) {
  if (!counts_calls()) GTEST_SKIP() << "adds a child page through the emulator";
  const std::string data_source = create_people_database();
  auto options = user_options(data_source, noted_schema());
  auto rows = kNoted;
  sync_noted(options, rows);
  const std::string ada = pages(data_source)["Ada"];
  notion::Request child;
  child.method = notion::Method::post;
  child.path = "/v1/pages";
  child.idempotent = false;
  child.body = {{"parent", {{"page_id", ada}}},
                {"properties", {{"title", {{"title", {{{"text", {{"content", "Minutes"}}}}}}}}}}};
  const std::string child_id = client->call(child)["id"];
  ASSERT_NE(body_of(ada).find("Minutes</page>"), std::string::npos);

  rows[0].notes = "Rewritten.";
  rows[1].person.role = "admiral";
  auto report = sync_noted(options, rows);
  EXPECT_EQ(report.targets[0].failed, 1u);
  EXPECT_EQ(report.targets[0].updated, 1u);  // Grace: the other rows go on
  ASSERT_EQ(report.targets[0].errors.size(), 1u) << report.to_string();
  const auto& error = report.targets[0].errors[0];
  EXPECT_EQ(error.column, "notes");
  EXPECT_NE(error.message.find("the body of page " + ada + " was not replaced"), std::string::npos)
      << error.message;
  EXPECT_NE(error.message.find("would delete 1 child page(s) or database(s)"), std::string::npos);
  EXPECT_FALSE(client->call(notion::endpoints::retrieve_page(child_id))["in_trash"].get<bool>());

  options.body_allow_deleting_content = true;
  report = sync_noted(options, rows);
  ASSERT_TRUE(report.ok()) << report.to_string();
  EXPECT_EQ(body_of(ada), "Rewritten.");
  EXPECT_TRUE(client->call(notion::endpoints::retrieve_page(child_id))["in_trash"].get<bool>());
  EXPECT_EQ(body_writes(), 1u);
}

TEST_P(PageBodyTest, AStructMemberIsThePageBody) {
  struct Note {
    std::string title;
    std::string text;
  };
  const auto schema =
      notion::Schema<Note>().title("Name", &Note::title).key(&Note::title).body(&Note::text);
  const std::string data_source = create_database(schema.schema().to_notion_properties(), "-typed");
  Sync sync(sync_settings("typed"));
  auto notes = add_database(sync, "notes", schema, user_options(data_source));
  notes.declare(Note{"Plan", "1. Write\n2. Ship"});
  ASSERT_TRUE(sync.run().ok());
  const auto live = backend->live_pages(data_source);
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(body_of(live[0]["id"]), "1. Write\n2. Ship");
}

INSTANTIATE_TEST_SUITE_P(Backends, PageBodyTest, ::testing::Values(Where::emulator, Where::live),
                         where_name);

}  // namespace
}  // namespace notionsync::testing
