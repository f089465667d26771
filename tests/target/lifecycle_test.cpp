// Every scenario of the reference connector's test list, plus exact call counts, against the
// emulator (and real Notion when configured).
#include "notionsync/notion/typed_schema.hpp"
#include "target_test_fixture.hpp"

namespace notionsync::testing {
namespace {

using notion::DatabaseSchema;
using notion::PropertyType;

std::vector<Person> with_ada_email(std::string email) {
  auto people = kAdaGraceAlan;
  people[0].email = std::move(email);
  return people;
}

TEST_P(TargetTest, InsertUpdateArchiveLifecycle) {
  const std::string data_source = create_people_database();
  const auto options = user_options(data_source);

  auto report = sync_people(options, kAdaGraceAlan);
  ASSERT_TRUE(report.ok()) << report.to_string();
  EXPECT_EQ(report.targets[0].created, 3u);
  EXPECT_EQ(live_values(data_source, "Name"),
            (std::vector<std::string>{"\"Ada\"", "\"Alan\"", "\"Grace\""}));
  if (counts_calls()) {
    EXPECT_EQ(count("POST", "/v1/pages"), 3u);
    EXPECT_EQ(count("POST", "/v1/data_sources/"), 1u);  // the adoption scan of a first run
  }

  report = sync_people(options, with_ada_email("ada@lovelace.org"));
  EXPECT_EQ(report.targets[0].updated, 1u);
  EXPECT_EQ(report.targets[0].unchanged, 2u);
  EXPECT_EQ(live_values(data_source, "Email"),
            (std::vector<std::string>{"\"ada@lovelace.org\"", "\"alan@example.com\"",
                                      "\"grace@example.com\""}));
  if (counts_calls()) {
    EXPECT_EQ(page_calls(), 1u + kDriftQuery);  // one changed row costs one write and nothing else
    EXPECT_EQ(count("PATCH", "/v1/pages"), 1u);
  }

  auto without_alan = with_ada_email("ada@lovelace.org");
  without_alan.pop_back();
  report = sync_people(options, without_alan);
  EXPECT_EQ(report.targets[0].trashed, 1u);
  EXPECT_EQ(live_values(data_source, "Name"), (std::vector<std::string>{"\"Ada\"", "\"Grace\""}));
  if (counts_calls()) {
    EXPECT_EQ(page_calls(), 1u + kDriftQuery);
    EXPECT_EQ(backend->all_pages(data_source).size(), 3u);  // trashed, not gone
  }
}

TEST_P(TargetTest, ForgetLeavesThePage) {
  const std::string data_source = create_people_database();
  auto options = user_options(data_source);
  options.on_delete = RemovalMode::forget;
  sync_people(options, kAdaGraceAlan);
  const auto report = sync_people(options, {kAdaGraceAlan[0], kAdaGraceAlan[1]});
  EXPECT_EQ(report.targets[0].forgotten, 1u);
  EXPECT_EQ(live_values(data_source, "Name").size(), 3u);
  if (counts_calls()) {
    EXPECT_EQ(page_calls(), 0u + kDriftQuery);
  }
  EXPECT_EQ(store->count_rows(store->targets("people-app").at(0).id), 2);
}

TEST_P(TargetTest, EraseDeletesTheBlock) {
  const std::string data_source = create_people_database();
  auto options = user_options(data_source);
  options.on_delete = RemovalMode::erase;
  sync_people(options, {kAdaGraceAlan[0], kAdaGraceAlan[1]});
  const auto report = sync_people(options, {kAdaGraceAlan[1]});
  EXPECT_EQ(report.targets[0].erased, 1u);
  EXPECT_EQ(live_values(data_source, "Name"), (std::vector<std::string>{"\"Grace\""}));
  if (counts_calls()) {
    EXPECT_EQ(count("DELETE", "/v1/blocks"), 1u);
    EXPECT_EQ(page_calls(), 1u + kDriftQuery);
  }
}

TEST_P(TargetTest, NoopWhenNothingChanged) {
  const auto options = system_options();
  sync_people(options, kAdaGraceAlan);
  const std::string data_source = tracked_data_source();
  std::vector<std::string> edited_before;
  for (const auto& page : backend->live_pages(data_source)) {
    edited_before.push_back(page.value("last_edited_time", ""));
  }
  const auto report = sync_people(options, kAdaGraceAlan);
  EXPECT_EQ(report.targets[0].unchanged, 3u);
  std::vector<std::string> edited_after;
  for (const auto& page : backend->live_pages(data_source)) {
    edited_after.push_back(page.value("last_edited_time", ""));
  }
  EXPECT_EQ(edited_before, edited_after);
  if (counts_calls()) {
    EXPECT_EQ(page_calls(), 0u + kDriftQuery);
    EXPECT_EQ(backend->total_requests(), 1u + kDriftQuery);  // the tracked data source
  }
}

DatabaseSchema every_type_schema() {
  DatabaseSchema schema;
  schema.add({.name = "Name", .type = PropertyType::title, .field = "name"})
      .add({.name = "Notes", .type = PropertyType::rich_text, .field = "notes"})
      .add({.name = "Score", .type = PropertyType::number, .field = "score"})
      .add({.name = "Count", .type = PropertyType::number, .field = "count"})
      .add({.name = "Site", .type = PropertyType::url, .field = "site"})
      .add({.name = "Email", .type = PropertyType::email, .field = "email"})
      .add({.name = "Phone", .type = PropertyType::phone_number, .field = "phone"})
      .add({.name = "Done", .type = PropertyType::checkbox, .field = "done"})
      .add({.name = "Level", .type = PropertyType::select, .field = "level"})
      .add({.name = "Tags", .type = PropertyType::multi_select, .field = "tags"})
      .add({.name = "Day", .type = PropertyType::date, .field = "day"})
      .add({.name = "Moment", .type = PropertyType::date, .field = "moment"})
      .add({.name = "Span", .type = PropertyType::date, .field = "span"})
      .add({.name = "Files", .type = PropertyType::files, .field = "files"})
      .key("name");
  return schema;
}

TEST_P(TargetTest, EveryPropertyTypeRoundTrips) {
  std::string long_text;
  for (int i = 0; i < 450; ++i) long_text += "notionsync ";  // 4950 characters: three text items
  const Row row{{"name", "Ünïcode 😀 row"},
                {"notes", long_text},
                {"score", 3.14},
                {"count", 42},
                {"site", "https://example.com/a?b=c"},
                {"email", "ada@example.com"},
                {"phone", "+1 555 0100"},
                {"done", true},
                {"level", "high"},
                {"tags", Value::List{"x", "y"}},
                {"day", Date{2026, 6, 1}},
                {"moment", DateTime{{2026, 6, 1}, 12, 34, 56, 0, 120}},
                {"span", Value::List{Date{2026, 6, 1}, Date{2026, 6, 3}}},
                {"files", Value::List{"https://example.com/a.pdf"}}};
  const auto options = system_options(every_type_schema());
  const auto report = sync(options, {row});
  ASSERT_TRUE(report.ok()) << report.to_string();
  const auto pages = backend->live_pages(tracked_data_source());
  ASSERT_EQ(pages.size(), 1u);
  const auto& properties = pages[0]["properties"];
  const DatabaseSchema schema = every_type_schema();
  for (const auto& binding : schema.properties()) {
    SCOPED_TRACE(binding.name);
    EXPECT_EQ(notion::decode_property_value(properties[binding.name]),
              notion::normalize_property_value(binding.type, *row.find(binding.field_name())));
  }
  EXPECT_EQ(properties["Notes"]["rich_text"].size(), 3u);

  // Read back into an empty state store, every value gives the fingerprint it was written with:
  // the page is adopted without a write.
  open_state_store("fresh-state.db");
  const auto adopted = sync(options, {row});
  EXPECT_EQ(adopted.targets[0].adopted, 1u);
  EXPECT_EQ(adopted.targets[0].updated, 0u);
  if (counts_calls()) {
    EXPECT_EQ(page_writes(), 0u);
  }
}

TEST_P(TargetTest, FirstRunAgainstExistingPagesAdoptsThem) {
  const std::string data_source = create_people_database();
  const auto schema = people_schema();
  // Pages created by hand before notionsync ever ran: Ada exactly as declared, Grace outdated.
  for (const auto& person : {kAdaGraceAlan[0], Person{"Grace", "old@example.com"}}) {
    const Row payload = person_row(person);
    nlohmann::json properties;
    for (const auto& binding : schema.properties()) {
      properties[binding.name] =
          notion::encode_property_value(binding.type, *payload.find(binding.field_name()));
    }
    client->call(notion::endpoints::create_page(data_source, properties));
  }
  const auto report = sync_people(user_options(data_source), kAdaGraceAlan);
  ASSERT_TRUE(report.ok()) << report.to_string();
  EXPECT_EQ(report.targets[0].adopted, 1u);
  EXPECT_EQ(report.targets[0].updated, 1u);
  EXPECT_EQ(report.targets[0].created, 1u);
  EXPECT_EQ(live_values(data_source, "Name").size(), 3u);  // no duplicates
  if (counts_calls()) {
    EXPECT_EQ(count("POST", "/v1/data_sources/"), 1u);  // one query reads both pages
    EXPECT_EQ(count("PATCH", "/v1/pages"), 1u);
    EXPECT_EQ(count("POST", "/v1/pages"), 1u);
  }
}

TEST_P(TargetTest, SchemaTypeMismatchStopsBeforeAnyWrite) {
  const std::string data_source = create_people_database();
  DatabaseSchema schema;
  schema.add({.name = "Name", .type = PropertyType::title, .field = "name"})
      .add({.name = "Email", .type = PropertyType::rich_text, .field = "email"})
      .key("name");
  try {
    sync_people(user_options(data_source, schema), kAdaGraceAlan);
    FAIL() << "a type mismatch was accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::schema_mismatch);
    EXPECT_NE(std::string(error.what())
                  .find("type mismatches: 'Email' declared rich_text but "
                        "Notion has email"),
              std::string::npos)
        << error.what();
  }
  EXPECT_TRUE(backend->live_pages(data_source).empty());
  if (counts_calls()) {
    EXPECT_EQ(page_calls(), 0u);
  }
}

TEST_P(TargetTest, SchemaMissingPropertyStopsBeforeAnyWrite) {
  const std::string data_source = create_people_database();
  DatabaseSchema schema = people_schema();
  schema.add({.name = "Ghost", .type = PropertyType::rich_text, .field = "ghost"});
  try {
    sync_people(user_options(data_source, schema), kAdaGraceAlan);
    FAIL() << "a missing property was accepted";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("missing properties ['Ghost']"), std::string::npos)
        << error.what();
  }
  if (counts_calls()) {
    EXPECT_EQ(page_calls(), 0u);
  }
}

TEST_P(TargetTest, SystemModeCreatesAndEvolvesTheDatabase) {
  sync_people(system_options(), {kAdaGraceAlan[0]}, "s1");
  if (counts_calls()) {
    EXPECT_EQ(count("POST", "/v1/databases"), 1u);
    EXPECT_EQ(count("POST", "/v1/pages"), 1u);
    // Find under the parent, create, one page; no scan of a database just created.
    EXPECT_EQ(backend->total_requests(), 3u);
  }
  const std::string data_source = tracked_data_source("s1");
  ASSERT_FALSE(data_source.empty());

  // Another app (no shared state) with one more property: the same database is found by title,
  // the property is added, and the existing page is adopted.
  DatabaseSchema evolved = people_schema();
  evolved.add({.name = "Notes", .type = PropertyType::rich_text, .field = "notes"});
  const auto report = sync_people(system_options(evolved), {kAdaGraceAlan[0]}, "s2");
  ASSERT_TRUE(report.ok()) << report.to_string();
  EXPECT_EQ(tracked_data_source("s2"), data_source);
  EXPECT_EQ(report.targets[0].adopted, 1u);
  const auto live = client->call(notion::endpoints::retrieve_data_source(data_source));
  EXPECT_EQ(live["properties"]["Notes"]["type"], "rich_text");
  if (counts_calls()) {
    EXPECT_EQ(count("POST", "/v1/databases"), 0u);
    EXPECT_EQ(count("PATCH", "/v1/data_sources"), 1u);
    EXPECT_EQ(page_writes(), 0u);
  }
}

TEST_P(TargetTest, SystemModeRefusesATypeChangeUnlessDestructiveIsAllowed) {
  sync_people(system_options(), {kAdaGraceAlan[0]});
  DatabaseSchema changed;
  changed.add({.name = "Name", .type = PropertyType::title, .field = "name"})
      .add({.name = "Email", .type = PropertyType::rich_text, .field = "email"})
      .key("name");
  auto options = system_options(changed);
  try {
    sync_people(options, {kAdaGraceAlan[0]});
    FAIL() << "a destructive change was applied";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("destructive schema change rejected"),
              std::string::npos)
        << error.what();
  }
  if (counts_calls()) {
    EXPECT_EQ(count("PATCH", "/v1/data_sources"), 0u);
  }
  options.allow_destructive = true;
  const auto report = sync_people(options, {kAdaGraceAlan[0]});
  ASSERT_TRUE(report.ok()) << report.to_string();
  const auto live = client->call(notion::endpoints::retrieve_data_source(tracked_data_source()));
  EXPECT_EQ(live["properties"]["Email"]["type"], "rich_text");
  EXPECT_FALSE(live["properties"].contains("Role"));  // undeclared columns removed too
}

TEST_P(TargetTest, SystemModeRenamesTheTitleAndAddsSelectOptions) {
  sync_people(system_options(), {kAdaGraceAlan[0]});
  DatabaseSchema renamed;
  renamed.add({.name = "Full name", .type = PropertyType::title, .field = "name"})
      .add({.name = "Email", .type = PropertyType::email, .field = "email"})
      .add({.name = "Role",
            .type = PropertyType::select,
            .field = "role",
            .options = {notion::SelectOption{"engineer", "blue", ""},
                        notion::SelectOption{"manager", "red", ""}}})
      .add({.name = "Active", .type = PropertyType::checkbox, .field = "active"})
      .add({.name = "Age", .type = PropertyType::number, .field = "age"})
      .key("name");
  const auto report = sync_people(system_options(renamed), {kAdaGraceAlan[0]});
  ASSERT_TRUE(report.ok()) << report.to_string();
  const auto live = client->call(notion::endpoints::retrieve_data_source(tracked_data_source()));
  EXPECT_EQ(live["properties"]["Full name"]["type"], "title");
  EXPECT_FALSE(live["properties"].contains("Name"));
  std::vector<std::string> options;
  for (const auto& option : live["properties"]["Role"]["select"]["options"]) {
    options.push_back(option["name"]);
  }
  EXPECT_NE(std::find(options.begin(), options.end(), "manager"), options.end());
  EXPECT_NE(std::find(options.begin(), options.end(), "engineer"), options.end());
  if (counts_calls()) {
    EXPECT_EQ(count("PATCH", "/v1/data_sources"), 1u);  // one schema change for both
  }
}

TEST_P(TargetTest, MultipleTargetsInOneAppStayIndependent) {
  auto first = system_options();
  auto second = system_options();
  second.title = title + "-b";
  Sync sync(sync_settings("multi"));
  auto a = add_database(sync, "a", first);
  auto b = add_database(sync, "b", second);
  a.declare(person_row(kAdaGraceAlan[0]));
  a.declare(person_row(kAdaGraceAlan[1]));
  b.declare(person_row(kAdaGraceAlan[2]));
  ASSERT_TRUE(sync.run().ok());
  remember_created_database();

  Sync again(sync_settings("multi"));  // as a new process
  auto a2 = add_database(again, "a", first);
  auto b2 = add_database(again, "b", second);
  a2.declare(person_row(kAdaGraceAlan[1]));  // Ada dropped from A only
  b2.declare(person_row(kAdaGraceAlan[2]));
  const auto report = again.run();
  EXPECT_EQ(report.targets[0].trashed + report.targets[1].trashed, 1u);
  std::string a_source;
  std::string b_source;
  for (const auto& record : store->targets("multi")) {
    (record.name == "a" ? a_source : b_source) = record.remote_id;
  }
  EXPECT_NE(a_source, b_source);
  EXPECT_EQ(live_values(a_source, "Name"), std::vector<std::string>{"\"Grace\""});
  EXPECT_EQ(live_values(b_source, "Name"), std::vector<std::string>{"\"Alan\""});
}

TEST_P(TargetTest, CallCountsScaleWithWhatChanged) {
  std::vector<Person> people;
  for (int i = 0; i < 30; ++i) {
    people.push_back({"P" + std::to_string(i), "p" + std::to_string(i) + "@example.com"});
  }
  const auto options = system_options();
  sync_people(options, people);
  if (counts_calls()) {
    EXPECT_EQ(count("POST", "/v1/pages"), 30u);
    EXPECT_EQ(backend->total_requests(), 30u + 2u);  // N creates + find + create database
  }
  sync_people(options, people);
  if (counts_calls()) {
    EXPECT_EQ(page_calls(), 0u + kDriftQuery);
  }

  for (int i = 0; i < 4; ++i) people[i].age = 99;  // K = 4 changed
  sync_people(options, people);
  if (counts_calls()) {
    EXPECT_EQ(page_calls(), 4u + kDriftQuery);
  }

  people.resize(25);  // K = 5 removed
  const auto report = sync_people(options, people);
  EXPECT_EQ(report.targets[0].trashed, 5u);
  if (counts_calls()) {
    EXPECT_EQ(page_calls(), 5u + kDriftQuery);
  }
}

TEST_P(TargetTest, AdoptingExistingPagesCostsOneQueryPerHundred) {
  std::vector<Person> people;
  for (int i = 0; i < 250; ++i) {
    people.push_back({"P" + std::to_string(i), "p" + std::to_string(i) + "@example.com"});
  }
  const auto options = system_options();
  sync_people(options, people, "writer");
  people[7].role = "manager";  // the only row whose content differs
  const auto report = sync_people(options, people, "adopter");  // empty state for this app
  EXPECT_EQ(report.targets[0].adopted, 249u);
  EXPECT_EQ(report.targets[0].updated, 1u);
  if (counts_calls()) {
    EXPECT_EQ(count("POST", "/v1/data_sources/"), 3u);  // ceil(250 / 100)
    EXPECT_EQ(page_writes(), 1u);
  }
}

TEST_P(TargetTest, KeysOfEveryTypeFindTheirPages) {
  DatabaseSchema schema;
  schema.add({.name = "Name", .type = PropertyType::title, .field = "name"})
      .add({.name = "Score", .type = PropertyType::number, .field = "score"})
      .add({.name = "Day", .type = PropertyType::date, .field = "day"})
      .add({.name = "Note", .type = PropertyType::rich_text, .field = "note"})
      .key("score")
      .key("day");
  const std::vector<Row> rows = {
      Row{{"name", "a"}, {"score", 1.5}, {"day", Date{2026, 1, 1}}, {"note", "x"}},
      Row{{"name", "b"},
          {"score", 2},
          {"day", DateTime{{2026, 1, 1}, 8, 0, 0, 0, 0}},
          {"note", "y"}},
      Row{{"name", "c"}, {"score", 2.0}, {"day", Date{2026, 1, 2}}, {"note", "z"}}};
  const auto options = system_options(schema);
  ASSERT_TRUE(sync(options, rows).ok());
  auto changed = rows;
  changed[1].set("note", "changed");
  const auto report = sync(options, changed);
  EXPECT_EQ(report.targets[0].updated, 1u);
  EXPECT_EQ(report.targets[0].unchanged, 2u);
  // With an empty state the float, date and date-time keys match the pages Notion holds.
  open_state_store("fresh-state.db");
  const auto adopted = sync(options, changed);
  EXPECT_EQ(adopted.targets[0].adopted, 3u);
  if (counts_calls()) {
    EXPECT_EQ(page_writes(), 0u);
  }
}

TEST_P(TargetTest, AKeyLongerThanNotionsTextLimitIsARowError) {
  const auto options = system_options();
  const auto report =
      sync_people(options, {{std::string(2001, 'k'), "long@example.com"}, kAdaGraceAlan[0]});
  EXPECT_EQ(report.targets[0].created, 1u);
  ASSERT_EQ(report.targets[0].errors.size(), 1u);
  EXPECT_EQ(report.targets[0].errors[0].column, "name");
  EXPECT_NE(report.targets[0].errors[0].message.find("2000"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, TargetTest, ::testing::Values(Where::emulator, Where::live),
                         where_name);

}  // namespace
}  // namespace notionsync::testing
