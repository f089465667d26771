// Drift: pages a person changed in Notion behind notionsync's back. Each sync asks Notion once
// which pages changed since the last one and, by the target's policy, writes the declared values
// back (restore), lists them (report), or does not ask (ignore). A person edits through the
// emulator's person token, as people edit pages in Notion.
#include "target_test_fixture.hpp"

namespace notionsync::testing {
namespace {

using notion::DatabaseSchema;
using notion::PropertyType;

class DriftTest : public TargetTest {
 protected:
  void SetUp() override {
    TargetTest::SetUp();
    notion::ClientOptions options;
    options.token = EmulatorBackend::person_token;
    options.base_url = backend->base_url();
    options.rate = {1000.0, 1000.0};
    person = std::make_unique<notion::Client>(options);
  }

  notion_emulator::Server& emulator() { return static_cast<EmulatorBackend&>(*backend).server(); }
  std::string person_id() { return person->call(notion::endpoints::users_me())["id"]; }

  // The page of the row named `name`, as Notion holds it now.
  nlohmann::json page_of(const std::string& data_source, const std::string& name,
                         bool include_trashed = false) {
    const auto pages =
        include_trashed ? backend->all_pages(data_source) : backend->live_pages(data_source);
    for (const auto& page : pages) {
      if (notion::decode_property_value(page["properties"]["Name"]) == Value(name)) return page;
    }
    return nullptr;
  }
  // A person's edit of one property of the row named `name`.
  void person_sets(const std::string& data_source, const std::string& name,
                   const std::string& property, PropertyType type, const Value& value) {
    const std::string id = page_of(data_source, name)["id"];
    person->call(notion::endpoints::update_page(
        id, {{property, notion::encode_property_value(type, value, property)}}));
  }
  Value value_of(const std::string& data_source, const std::string& name,
                 const std::string& property) {
    return notion::decode_property_value(page_of(data_source, name)["properties"][property]);
  }
  std::size_t drift_queries() const { return count("POST", "/v1/data_sources/"); }
  std::size_t data_source_reads() const { return count("GET", "/v1/data_sources/"); }
  // The plan a new process would show (Sync::plan, nothing written).
  Plan plan_people(const notion::DatabaseTargetOptions& options,
                   const std::vector<Person>& people) {
    backend->reset_counts();
    Sync sync(sync_settings("people-app"));
    auto target = add_database(sync, "people", options);
    for (const auto& row : people) target.declare(person_row(row));
    return sync.plan().at(0);
  }

  std::unique_ptr<notion::Client> person;
};

TEST_P(DriftTest, AValueAPersonChangedIsWrittenBackAtTheNextSync) {
  const auto options = system_options();
  sync_people(options, kAdaGraceAlan);
  const std::string data_source = tracked_data_source();
  // A no-op sync with drift checking: the data source and one empty query.
  auto report = sync_people(options, kAdaGraceAlan);
  EXPECT_EQ(data_source_reads(), 1u);
  EXPECT_EQ(drift_queries(), 1u);
  EXPECT_EQ(page_writes(), 0u);
  EXPECT_TRUE(report.targets[0].drift.empty());

  person_sets(data_source, "Ada", "Age", PropertyType::number, Value(99));
  person_sets(data_source, "Grace", "Role", PropertyType::select, Value());  // cleared
  const Plan plan = plan_people(options, kAdaGraceAlan);
  ASSERT_EQ(plan.drift.size(), 2u) << to_string(plan);
  EXPECT_EQ(plan.counts.restore, 2u);
  EXPECT_EQ(plan.counts.unchanged, 1u);
  std::map<std::string, DriftedItem> by_key;
  for (const auto& item : plan.drift) by_key[display_encoded_key(item.key)] = item;
  EXPECT_EQ(by_key["\"Ada\""].fields, std::vector<std::string>{"Age"});
  EXPECT_EQ(by_key["\"Grace\""].fields, std::vector<std::string>{"Role"});
  EXPECT_EQ(by_key["\"Ada\""].edited_by, person_id());
  EXPECT_FALSE(by_key["\"Ada\""].edited_at.empty());
  EXPECT_EQ(page_writes(), 0u);  // a plan writes nothing

  report = sync_people(options, kAdaGraceAlan);
  ASSERT_TRUE(report.ok()) << report.to_string();
  EXPECT_EQ(report.targets[0].restored, 2u);
  EXPECT_EQ(report.targets[0].updated, 0u);
  EXPECT_EQ(report.targets[0].drift.size(), 2u);
  EXPECT_EQ(value_of(data_source, "Ada", "Age"), Value(30));
  EXPECT_EQ(value_of(data_source, "Grace", "Role"), Value("engineer"));
  EXPECT_EQ(data_source_reads() + drift_queries() + page_writes(), 4u);  // 1 + 1 + 2 writes
  EXPECT_EQ(count("PATCH", "/v1/pages"), 2u);

  // notionsync's own writes come back in the next query and are no drift.
  report = sync_people(options, kAdaGraceAlan);
  EXPECT_TRUE(report.targets[0].drift.empty());
  EXPECT_EQ(data_source_reads() + drift_queries(), 2u);
  EXPECT_EQ(page_writes(), 0u);
}

// Telling notionsync's own edits from people's needs the integration's user id: learnt from the
// answers to its page writes and kept in the state store, else read (users/me) once and kept.
TEST_P(DriftTest, TheIntegrationsOwnUserIsLearntFromItsWritesElseReadOnceAndKept) {
  const auto options = system_options();
  sync_people(options, kAdaGraceAlan);
  const std::string data_source = tracked_data_source();
  person_sets(data_source, "Ada", "Age", PropertyType::number, Value(99));
  auto report = sync_people(options, kAdaGraceAlan);
  EXPECT_EQ(report.targets[0].restored, 1u) << report.to_string();
  EXPECT_EQ(count("GET", "/v1/users/me"), 0u) << "learnt from the first sync's creates";
  EXPECT_EQ(backend->total_requests(), 1u + 1u + 1u);  // data source, drift query, one write

  // Without the kept id (a store from before it was kept), users/me is read once, then kept.
  store->erase_cached("people-app", "notion.integration", "own_user_id");
  person_sets(data_source, "Ada", "Age", PropertyType::number, Value(98));
  report = sync_people(options, kAdaGraceAlan);
  EXPECT_EQ(report.targets[0].restored, 1u) << report.to_string();
  EXPECT_EQ(count("GET", "/v1/users/me"), 1u);
  person_sets(data_source, "Grace", "Age", PropertyType::number, Value(97));
  report = sync_people(options, kAdaGraceAlan);
  EXPECT_EQ(report.targets[0].restored, 1u) << report.to_string();
  EXPECT_EQ(count("GET", "/v1/users/me"), 0u);
  EXPECT_EQ(backend->total_requests(), 3u);
}

TEST_P(DriftTest, ATrashedPageIsBroughtBackNotRecreated) {
  const auto options = system_options();
  sync_people(options, kAdaGraceAlan);
  const std::string data_source = tracked_data_source();
  const std::string grace = page_of(data_source, "Grace")["id"];
  person->call(notion::endpoints::trash_page(grace));

  const auto report = sync_people(options, kAdaGraceAlan);
  ASSERT_TRUE(report.ok()) << report.to_string();
  ASSERT_EQ(report.targets[0].drift.size(), 1u);
  EXPECT_TRUE(report.targets[0].drift[0].trashed);
  EXPECT_EQ(report.targets[0].restored, 1u);
  EXPECT_EQ(count("POST", "/v1/pages"), 0u);   // the same page, not a new one
  EXPECT_EQ(count("PATCH", "/v1/pages"), 1u);  // in_trash: false, and nothing else to write
  EXPECT_EQ(page_of(data_source, "Grace")["id"], grace);
  EXPECT_EQ(backend->all_pages(data_source).size(), 3u);
}

TEST_P(DriftTest, WhatLeavesTheDeclaredValuesAsTheyWereIsNoDrift) {
  auto options = system_options();
  sync_people(options, kAdaGraceAlan);
  const std::string data_source = tracked_data_source();
  // An unbound property a person added and filled in.
  client->call(notion::endpoints::update_data_source(
      data_source, {{"properties", {{"Comments", {{"rich_text", nlohmann::json::object()}}}}}}));
  person_sets(data_source, "Ada", "Comments", PropertyType::rich_text, Value("great"));
  // A page trashed and restored by the person before the sync.
  const std::string alan = page_of(data_source, "Alan")["id"];
  person->call(notion::endpoints::trash_page(alan));
  person->call(notion::endpoints::trash_page(alan, false));
  // A value changed and changed back.
  person_sets(data_source, "Grace", "Age", PropertyType::number, Value(31));
  person_sets(data_source, "Grace", "Age", PropertyType::number, Value(30));

  const auto report = sync_people(options, kAdaGraceAlan);
  EXPECT_TRUE(report.targets[0].drift.empty()) << report.to_string();
  EXPECT_EQ(drift_queries(), 1u);
  EXPECT_EQ(page_writes(), 0u);
}

TEST_P(DriftTest, AnEditInTheMinuteOfNotionsyncsOwnWriteIsFound) {
  const auto options = system_options();
  sync_people(options, kAdaGraceAlan);
  const std::string data_source = tracked_data_source();
  // notionsync writes Ada, and a person edits her page right after, in the same minute (Notion
  // shows both as the same last_edited_time).
  auto changed = with_changed_role(kAdaGraceAlan, 0, "manager");
  sync_people(options, changed);
  person_sets(data_source, "Ada", "Age", PropertyType::number, Value(77));
  const auto report = sync_people(options, changed);
  ASSERT_EQ(report.targets[0].drift.size(), 1u) << report.to_string();
  EXPECT_EQ(report.targets[0].restored, 1u);
  EXPECT_EQ(value_of(data_source, "Ada", "Age"), Value(30));
}

TEST_P(DriftTest, ARowChangedInTheSourceAndInNotionCostsOneWriteAndTheSourceWins) {
  const auto options = system_options();
  sync_people(options, kAdaGraceAlan);
  const std::string data_source = tracked_data_source();
  person_sets(data_source, "Ada", "Age", PropertyType::number, Value(99));
  const auto report = sync_people(options, with_changed_role(kAdaGraceAlan, 0, "manager"));
  ASSERT_TRUE(report.ok()) << report.to_string();
  EXPECT_EQ(report.targets[0].updated, 1u);
  EXPECT_EQ(report.targets[0].restored, 0u);
  EXPECT_EQ(report.targets[0].drift.size(), 1u);
  EXPECT_EQ(count("PATCH", "/v1/pages"), 1u);
  EXPECT_EQ(value_of(data_source, "Ada", "Age"), Value(30));
  EXPECT_EQ(value_of(data_source, "Ada", "Role"), Value("manager"));
}

TEST_P(DriftTest, ReportModeListsDriftAndWritesNothing) {
  auto options = system_options();
  options.on_drift = DriftPolicy::report;
  sync_people(options, kAdaGraceAlan);
  const std::string data_source = tracked_data_source();
  person_sets(data_source, "Ada", "Age", PropertyType::number, Value(99));
  person->call(
      notion::endpoints::trash_page(page_of(data_source, "Alan")["id"].get<std::string>()));
  for (int run = 0; run < 2; ++run) {
    const auto report = sync_people(options, kAdaGraceAlan);
    EXPECT_EQ(report.targets[0].drift.size(), 2u) << report.to_string();
    EXPECT_EQ(report.targets[0].restored, 0u);
    EXPECT_EQ(page_writes(), 0u);
    EXPECT_EQ(drift_queries(), 1u);
  }
  EXPECT_EQ(value_of(data_source, "Ada", "Age"), Value(99));
}

TEST_P(DriftTest, IgnoreModeMakesNoDriftQuery) {
  auto options = system_options();
  options.on_drift = DriftPolicy::ignore;
  sync_people(options, kAdaGraceAlan);
  const std::string data_source = tracked_data_source();
  person_sets(data_source, "Ada", "Age", PropertyType::number, Value(99));
  const auto report = sync_people(options, kAdaGraceAlan);
  EXPECT_TRUE(report.targets[0].drift.empty());
  EXPECT_EQ(backend->total_requests(), 1u);  // the data source, as before drift checking
  EXPECT_EQ(value_of(data_source, "Ada", "Age"), Value(99));
}

TEST_P(DriftTest, APageBodyAPersonRewroteIsWrittenBack) {
  DatabaseSchema schema = people_schema();
  schema.body("notes");
  const auto options = system_options(schema);
  std::vector<Row> rows;
  for (const auto& person_row_values : kAdaGraceAlan) {
    Row row = person_row(person_row_values);
    row.set("notes", "Notes of " + person_row_values.name);
    rows.push_back(std::move(row));
  }
  sync(options, rows);
  const std::string data_source = tracked_data_source();
  const std::string ada = page_of(data_source, "Ada")["id"];
  person->call(notion::endpoints::replace_page_markdown(ada, "Rewritten by hand"));

  const auto report = sync(options, rows);
  ASSERT_TRUE(report.ok()) << report.to_string();
  ASSERT_EQ(report.targets[0].drift.size(), 1u);
  EXPECT_EQ(report.targets[0].drift[0].fields, std::vector<std::string>{"(page body)"});
  EXPECT_EQ(report.targets[0].restored, 1u);
  // One query, the body read of the page a person edited, its body written back; no property
  // write. The integration's own user, to tell its edits from people's, was learnt from the
  // answers to the first sync's writes: no users/me.
  EXPECT_EQ(drift_queries(), 1u);
  EXPECT_EQ(count("GET", "/v1/pages/" + ada + "/markdown"), 1u);
  EXPECT_EQ(count("PATCH", "/v1/pages/" + ada + "/markdown"), 1u);
  EXPECT_EQ(count("PATCH", "/v1/pages/"), 1u);
  EXPECT_EQ(count("GET", "/v1/users/me"), 0u);
  EXPECT_EQ(client->call(notion::endpoints::retrieve_page_markdown(ada))["markdown"],
            "Notes of Ada");
}

INSTANTIATE_TEST_SUITE_P(Emulator, DriftTest, ::testing::Values(Where::emulator), where_name);

}  // namespace
}  // namespace notionsync::testing
