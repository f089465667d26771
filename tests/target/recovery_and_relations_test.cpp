// Emulator-only scenarios: lost responses, pages changed behind notionsync's back, duplicates,
// relations by key (across targets and within one), and plans that write nothing.
#include <set>

#include "notionsync/notion/typed_schema.hpp"
#include "target_test_fixture.hpp"

namespace notionsync::testing {
namespace {

using notion::DatabaseSchema;
using notion::PropertyType;

class EmulatorTargetTest : public TargetTest {
 protected:
  notion_emulator::Server& emulator() { return static_cast<EmulatorBackend&>(*backend).server(); }
};

TEST_P(EmulatorTargetTest, ALostCreateResponseIsVerifiedNextRunWithoutADuplicate) {
  const auto options = system_options();
  sync_people(options, {});  // creates the database
  emulator().set_faults("reset_after@POST /v1/pages#1", 1);
  auto report = sync_people(options, kAdaGraceAlan);
  EXPECT_EQ(report.targets[0].unknown, 1u);
  EXPECT_EQ(report.targets[0].created, 2u);
  const std::string data_source = tracked_data_source();
  EXPECT_EQ(backend->live_pages(data_source).size(), 3u);  // the lost one was applied

  report = sync_people(options, kAdaGraceAlan);
  ASSERT_TRUE(report.ok()) << report.to_string();
  EXPECT_EQ(backend->live_pages(data_source).size(), 3u);  // found and kept, not created again
  EXPECT_EQ(count("POST", "/v1/data_sources/"), 1u + kDriftQuery);  // the key lookup
  EXPECT_EQ(count("POST", "/v1/pages"), 0u);
  EXPECT_EQ(count("PATCH", "/v1/pages"), 1u);
  report = sync_people(options, kAdaGraceAlan);
  EXPECT_EQ(page_calls(), 0u + kDriftQuery);
}

// Thirty creates whose responses were lost: the next run finds their pages with one listing (one
// query per 100 pages) instead of a query each, and adopts them without a write, since each page
// holds what its row declares.
TEST_P(EmulatorTargetTest, ManyLostCreatesAreFoundByOneListingNotAQueryEach) {
  const auto options = system_options();
  sync_people(options, {});  // creates the database
  std::vector<Person> people;
  for (int i = 0; i < 30; ++i) {
    people.push_back({"P" + std::to_string(i), "p" + std::to_string(i) + "@example.com"});
  }
  emulator().set_faults("reset_after@POST /v1/pages:1", 1);
  auto report = sync_people(options, people);
  EXPECT_EQ(report.targets[0].unknown, 30u) << report.to_string();
  const std::string data_source = tracked_data_source();
  EXPECT_EQ(backend->live_pages(data_source).size(), 30u);  // every create was applied

  emulator().set_faults("", 1);
  report = sync_people(options, people);
  ASSERT_TRUE(report.ok()) << report.to_string();
  EXPECT_EQ(report.targets[0].adopted, 30u);
  EXPECT_EQ(count("POST", "/v1/data_sources/"), 1u + kDriftQuery);  // the listing
  EXPECT_EQ(page_writes(), 0u);
  EXPECT_EQ(backend->live_pages(data_source).size(), 30u);
  sync_people(options, people);
  EXPECT_EQ(page_calls(), kDriftQuery);
}

// Every data source query a sync makes names the properties it reads in filter_properties (from
// Notion-Version 2026-12-01 on, a query without it answers the title alone): the drift query and
// an adopting or verifying listing name every bound property, a look-up by key names the key's.
TEST_P(EmulatorTargetTest, EveryQueryNamesThePropertiesItNeeds) {
  std::vector<std::multiset<std::string>> named;
  const auto collect = [&] {
    for (const auto& request : emulator().requests()) {
      if (request.method != "POST" || !request.path.ends_with("/query")) continue;
      std::multiset<std::string> properties;
      const auto [begin, end] = request.query.equal_range("filter_properties");
      for (auto it = begin; it != end; ++it) properties.insert(it->second);
      named.push_back(std::move(properties));
    }
  };
  const std::multiset<std::string> all = {"Name", "Email", "Role", "Active", "Age"};
  const auto options = system_options();
  sync_people(options, {});  // creates the database
  emulator().set_faults("reset_after@POST /v1/pages#1", 1);
  sync_people(options, kAdaGraceAlan);  // one create's outcome is lost
  collect();
  // The drift query, and the listing that adopts (nothing was tracked yet).
  EXPECT_EQ(named, (std::vector<std::multiset<std::string>>{all, all}));
  named.clear();
  emulator().set_faults("", 1);
  ASSERT_TRUE(sync_people(options, kAdaGraceAlan).ok());  // drift, then the look-up by key
  collect();
  EXPECT_EQ(named, (std::vector<std::multiset<std::string>>{all, {"Name"}}));
  named.clear();
  // Another app adopting the same pages lists them.
  ASSERT_TRUE(sync_people(user_options(tracked_data_source()), kAdaGraceAlan, "other-app").ok());
  collect();
  EXPECT_EQ(named, (std::vector<std::multiset<std::string>>{all}));
}

// A few are cheaper to look up one by one than a large data source is to list.
// (Without drift checks: the 152 pages were all edited within the drift query's two minutes of
// slack, and its two pages of answers would blur what is counted here.)
TEST_P(EmulatorTargetTest, AFewLostCreatesAreLookedUpOneByOne) {
  auto options = system_options();
  options.on_drift = DriftPolicy::ignore;
  std::vector<Person> people;
  for (int i = 0; i < 150; ++i) {
    people.push_back({"P" + std::to_string(i), "p" + std::to_string(i) + "@example.com"});
  }
  sync_people(options, people);
  auto more = people;
  more.push_back({"New1", "new1@example.com"});
  more.push_back({"New2", "new2@example.com"});
  emulator().set_faults("reset_after@POST /v1/pages:1", 1);
  EXPECT_EQ(sync_people(options, more).targets[0].unknown, 2u);
  emulator().set_faults("", 1);
  const auto report = sync_people(options, more);
  ASSERT_TRUE(report.ok()) << report.to_string();
  EXPECT_EQ(count("POST", "/v1/data_sources/"), 2u);  // one query by key each
  EXPECT_EQ(count("POST", "/v1/pages"), 0u);
}

// Keys compare in Unicode NFC: "Café" with a composed "é", then with "e" and a combining accent,
// is one row and one page; the page holds the composed form either way.
TEST_P(EmulatorTargetTest, AKeyTypedInTwoUnicodeFormsIsOneRow) {
  const auto options = system_options();
  const std::string composed = "Caf\u00e9";
  const std::string decomposed = "Cafe\u0301";
  sync_people(options, {{decomposed, "cafe@example.com"}});
  const std::string data_source = tracked_data_source();
  EXPECT_EQ(live_values(data_source, "Name"), (std::vector<std::string>{"\"" + composed + "\""}));
  const auto report = sync_people(options, {{composed, "cafe@example.com"}});
  EXPECT_EQ(report.targets[0].unchanged, 1u);
  EXPECT_EQ(page_calls(), kDriftQuery);
  const auto both =
      sync_people(options, {{composed, "a@example.com"}, {decomposed, "b@example.com"}});
  ASSERT_EQ(both.targets[0].errors.size(), 2u) << both.to_string();
  EXPECT_NE(both.targets[0].errors[0].message.find("duplicate key"), std::string::npos);
  EXPECT_EQ(page_calls(), kDriftQuery);
}

// Without drift checks (on_drift = ignore), a trashed page is noticed only when its row is next
// written: the write is refused, and the page is re-created. (With the default, restore, the
// drift check brings the same page back instead: drift_test.cpp.)
TEST_P(EmulatorTargetTest, APageTrashedInNotionIsRecreatedAndReported) {
  auto options = system_options();
  options.on_drift = DriftPolicy::ignore;
  sync_people(options, kAdaGraceAlan);
  const std::string data_source = tracked_data_source();
  std::string ada_page;  // pages are created concurrently: find Ada's by name
  for (const auto& page : backend->live_pages(data_source)) {
    if (notion::decode_property_value(page["properties"]["Name"]) == Value("Ada")) {
      ada_page = page["id"];
    }
  }
  ASSERT_FALSE(ada_page.empty());
  client->call(notion::endpoints::trash_page(ada_page));

  const auto report = sync_people(options, with_changed_role(kAdaGraceAlan, 0, "manager"));
  EXPECT_TRUE(report.ok()) << report.to_string();
  ASSERT_EQ(report.targets[0].notes.size(), 1u) << report.to_string();
  EXPECT_NE(report.targets[0].notes[0].find("re-created: the page had been trashed"),
            std::string::npos);
  EXPECT_EQ(live_values(data_source, "Role"),
            (std::vector<std::string>{"\"engineer\"", "\"engineer\"", "\"manager\""}));
  // The new page is tracked: the next run is a no-op.
  sync_people(options, with_changed_role(kAdaGraceAlan, 0, "manager"));
  EXPECT_EQ(page_calls(), 0u);
}

TEST_P(EmulatorTargetTest, APageIdNotionRefusesFailsTheRowAndIsNeverTakenForDeleted) {
  // Notion answers 400 validation_error for an id that is not a valid UUID (recorded: shapes case
  // error_page_invalid_uuid), where a missing page is a 404. Only the 404 may re-create a page.
  const auto options = system_options();
  sync_people(options, kAdaGraceAlan);
  const std::string data_source = tracked_data_source();
  const TargetRecord target = store->targets("people-app").at(0);
  std::optional<TrackedRow> refused;
  store->for_each_row(target.id, [&](TrackedRow&& row) {
    if (!refused) refused = std::move(row);
  });
  ASSERT_TRUE(refused.has_value());
  const std::string kept_page = refused->remote_id;
  refused->remote_id = "12345678-1234-1234-1234-123456789abc";
  const RowChange change = RowChange::upsert(*refused);
  store->commit(target.id, std::span<const RowChange>(&change, 1));

  std::vector<Person> changed = kAdaGraceAlan;
  for (auto& person : changed) person.role = "manager";
  const auto report = sync_people(options, changed);
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(report.targets[0].failed, 1u) << report.to_string();
  EXPECT_EQ(report.targets[0].updated, 2u);
  ASSERT_EQ(report.targets[0].errors.size(), 1u);
  EXPECT_NE(report.targets[0].errors[0].message.find("should be a valid uuid"), std::string::npos)
      << report.targets[0].errors[0].message;
  EXPECT_EQ(count("POST", "/v1/pages"), 0u);  // nothing re-created
  EXPECT_EQ(backend->live_pages(data_source).size(), 3u);
  // The row keeps what it had: the next run tries the same page again, and nothing is lost.
  EXPECT_EQ(store->find_row(target.id, refused->key)->remote_id, refused->remote_id);
  EXPECT_NE(kept_page, refused->remote_id);
}

TEST_P(EmulatorTargetTest, DuplicatePagesAreReportedAndTrashedOnlyWhenAsked) {
  const std::string data_source = create_people_database();
  const auto schema = people_schema();
  nlohmann::json properties;
  const Row ada = person_row(kAdaGraceAlan[0]);
  for (const auto& binding : schema.properties()) {
    properties[binding.name] =
        notion::encode_property_value(binding.type, *ada.find(binding.field_name()));
  }
  client->call(notion::endpoints::create_page(data_source, properties));
  client->call(notion::endpoints::create_page(data_source, properties));

  auto report = sync_people(user_options(data_source), {kAdaGraceAlan[0]}, "reporting");
  EXPECT_EQ(report.targets[0].adopted, 1u);
  bool reported = false;
  for (const auto& note : report.targets[0].notes) {
    reported = reported || note.find("2 remote items share key \"Ada\"") != std::string::npos;
  }
  EXPECT_TRUE(reported) << report.to_string();
  EXPECT_EQ(backend->live_pages(data_source).size(), 2u);

  auto cleaning = user_options(data_source);
  cleaning.trash_duplicate_pages = true;
  report = sync_people(cleaning, {kAdaGraceAlan[0]}, "cleaning");
  EXPECT_EQ(backend->live_pages(data_source).size(), 1u);
  EXPECT_EQ(report.targets[0].adopted, 1u);
}

struct Team {
  std::string name;
};

struct Member {
  std::string name;
  std::vector<std::string> teams;
};

TEST_P(EmulatorTargetTest, RelationsByKeyAcrossTwoTargets) {
  auto team_schema = notion::Schema<Team>().title("Name", &Team::name).key(&Team::name);
  auto member_schema = notion::Schema<Member>()
                           .title("Name", &Member::name)
                           .relation_to_target("Teams", &Member::teams, "teams")
                           .key(&Member::name);
  auto team_options = system_options();
  team_options.title = title + "-teams";
  auto member_options = system_options();
  member_options.title = title + "-members";

  Sync sync(sync_settings("org"));
  // Members are declared first; the engine applies teams first because members refer to them.
  auto members = add_database(sync, "members", member_schema, member_options);
  auto teams = add_database(sync, "teams", team_schema, team_options);
  members.declare(Member{"Ada", {"Math", "Engines"}});
  members.declare(Member{"Grace", {"Navy"}});
  const auto unknown = std::string("Nowhere");
  members.declare(Member{"Alan", {unknown}});
  teams.declare(Team{"Math"});
  teams.declare(Team{"Engines"});
  teams.declare(Team{"Navy"});
  const auto report = sync.run();

  std::map<std::string, std::string> team_pages;  // page id -> team name
  std::string members_source;
  for (const auto& record : store->targets("org")) {
    if (record.name == "teams") {
      for (const auto& page : backend->live_pages(record.remote_id)) {
        team_pages[page["id"]] =
            notion::decode_property_value(page["properties"]["Name"]).as_string();
      }
    } else {
      members_source = record.remote_id;
    }
  }
  ASSERT_EQ(team_pages.size(), 3u);
  std::map<std::string, std::vector<std::string>> member_teams;
  for (const auto& page : backend->live_pages(members_source)) {
    const std::string name = notion::decode_property_value(page["properties"]["Name"]).as_string();
    const Value related = notion::decode_property_value(page["properties"]["Teams"]);
    for (const auto& id : related.as_list()) {
      member_teams[name].push_back(team_pages[id.as_string()]);
    }
  }
  EXPECT_EQ(member_teams["Ada"], (std::vector<std::string>{"Math", "Engines"}));
  EXPECT_EQ(member_teams["Grace"], std::vector<std::string>{"Navy"});
  EXPECT_FALSE(member_teams.contains("Alan"));  // an unknown key is that row's error only
  const auto& member_report = report.targets[1];
  EXPECT_EQ(member_report.target_name, "members");
  EXPECT_EQ(member_report.created, 2u);
  ASSERT_EQ(member_report.errors.size(), 1u);
  EXPECT_EQ(member_report.errors[0].column, "Teams");
  EXPECT_NE(member_report.errors[0].message.find("\"Nowhere\""), std::string::npos);
}

struct Colleague {
  std::string name;
  std::optional<std::string> manager;
};

TEST_P(EmulatorTargetTest, ARelationWithinOneTargetIsCreatedThenPatched) {
  auto schema = notion::Schema<Colleague>()
                    .title("Name", &Colleague::name)
                    .relation_to_target("Manager", &Colleague::manager, "people")
                    .key(&Colleague::name);
  const auto run = [&] {
    Sync sync(sync_settings("colleagues"));
    auto people = add_database(sync, "people", schema, system_options());
    people.declare(Colleague{"Ada", "Grace"});  // Grace's page does not exist yet
    people.declare(Colleague{"Grace", "Ada"});
    people.declare(Colleague{"Alan", std::nullopt});
    backend->reset_counts();
    return sync.run();
  };
  const auto report = run();
  ASSERT_TRUE(report.ok()) << report.to_string();
  EXPECT_EQ(report.targets[0].created, 3u);
  EXPECT_EQ(count("POST", "/v1/pages"), 3u);
  EXPECT_EQ(count("PATCH", "/v1/pages"), 2u);  // the two rows that waited for a page

  std::map<std::string, std::string> name_of;
  std::map<std::string, std::string> manager_page_of;
  for (const auto& page : backend->live_pages(tracked_data_source("colleagues"))) {
    const std::string name = notion::decode_property_value(page["properties"]["Name"]).as_string();
    name_of[page["id"]] = name;
    const auto managers = notion::decode_property_value(page["properties"]["Manager"]).as_list();
    if (!managers.empty()) manager_page_of[name] = managers.front().as_string();
  }
  EXPECT_EQ(name_of[manager_page_of["Ada"]], "Grace");
  EXPECT_EQ(name_of[manager_page_of["Grace"]], "Ada");
  EXPECT_FALSE(manager_page_of.contains("Alan"));
  run();
  EXPECT_EQ(page_calls(), 0u + kDriftQuery);
}

TEST_P(EmulatorTargetTest, ARelationMayBeGivenAsPageIds) {
  const auto teams = create_database({{"Name", {{"title", nlohmann::json::object()}}}}, "-teams");
  const auto team_page = client->call(notion::endpoints::create_page(
      teams, {{"Name", notion::encode_property_value(PropertyType::title, Value("Math"))}}));
  DatabaseSchema schema;
  schema.add({.name = "Name", .type = PropertyType::title, .field = "name"})
      .add({.name = "Team",
            .type = PropertyType::relation,
            .field = "team",
            .relation_data_source_id = teams})
      .key("name");
  const auto report = sync(system_options(schema),
                           {Row{{"name", "Ada"}, {"team", team_page["id"].get<std::string>()}}});
  ASSERT_TRUE(report.ok()) << report.to_string();
  const auto pages = backend->live_pages(tracked_data_source());
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(notion::decode_property_value(pages[0]["properties"]["Team"]),
            Value(Value::List{team_page["id"].get<std::string>()}));
}

TEST_P(EmulatorTargetTest, APlanWritesNothingEvenWhenTheDatabaseIsMissing) {
  Sync sync(sync_settings("planner"));
  auto people = add_database(sync, "people", system_options());
  for (const auto& person : kAdaGraceAlan) people.declare(person_row(person));
  backend->reset_counts();
  const auto plans = sync.plan();
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_EQ(plans[0].counts.create, 3u);
  EXPECT_EQ(count("POST", ""), 0u);
  EXPECT_EQ(count("PATCH", ""), 0u);
  EXPECT_TRUE(store->targets("planner").empty());
}

INSTANTIATE_TEST_SUITE_P(Emulator, EmulatorTargetTest, ::testing::Values(Where::emulator),
                         where_name);

}  // namespace
}  // namespace notionsync::testing
