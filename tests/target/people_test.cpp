// People values by user id, email or name: resolved through GET /v1/users, read once when needed
// and kept in the state store, with unknown and ambiguous values failing their row only, and
// fingerprints of the resolved ids (so adoption and drift, which read ids, compare equal).
#include "target_test_fixture.hpp"

namespace notionsync::testing {
namespace {

using notion::DatabaseSchema;
using notion::PropertyType;

const std::string kAda = "1a2b3c4d-0001-4000-8000-000000000001";
const std::string kGrace = "1a2b3c4d-0002-4000-8000-000000000002";
const std::string kAlanOne = "1a2b3c4d-0003-4000-8000-000000000003";
const std::string kAlanTwo = "1a2b3c4d-0004-4000-8000-000000000004";
const std::string kImporter = "1a2b3c4d-0005-4000-8000-000000000005";

DatabaseSchema owners_schema() {
  DatabaseSchema schema;
  schema.add({.name = "Name", .type = PropertyType::title, .field = "name"})
      .add({.name = "Owners", .type = PropertyType::people, .field = "owners"})
      .key("name");
  return schema;
}

Row owned(const std::string& name, Value::List owners) {
  return Row{{"name", name}, {"owners", Value(std::move(owners))}};
}

class PeopleTest : public TargetTest {
 protected:
  void configure_emulator(notion_emulator::Options& options) override {
    options.users = {{kAda, "person", "Ada Lovelace", "ada@example.com"},
                     {kGrace, "person", "Grace Hopper", "Grace@Example.com"},
                     {kAlanOne, "person", "Alan Turing", "alan@example.com"},
                     {kAlanTwo, "person", "Alan Turing", "turing@example.org"},
                     {kImporter, "bot", "Importer", ""}};
    options.user_emails = emails_visible_;
  }

  std::size_t user_list_calls() const {
    return count("GET", "/v1/users") - count("GET", "/v1/users/");
  }

  // Owner ids by page title.
  std::map<std::string, std::vector<std::string>> owners(const std::string& data_source) {
    std::map<std::string, std::vector<std::string>> by_name;
    for (const auto& page : backend->live_pages(data_source)) {
      std::vector<std::string> ids;
      const Value owners = notion::decode_property_value(page["properties"]["Owners"]);
      for (const auto& id : owners.as_list()) ids.push_back(id.as_string());
      by_name[notion::decode_property_value(page["properties"]["Name"]).as_string()] = ids;
    }
    return by_name;
  }

  bool emails_visible_ = true;
};

TEST_P(PeopleTest, AValueNamesAUserByIdEmailOrNameAndIsWrittenAsTheirId) {
  const std::string data_source = create_database(owners_schema().to_notion_properties());
  const auto options = user_options(data_source, owners_schema());
  const std::vector<Row> rows = {owned("By id", {kGrace}), owned("By email", {"ada@example.com"}),
                                 owned("Mixed", {"Ada Lovelace", " grace@example.com ", kAda})};
  auto report = sync(options, rows);
  ASSERT_TRUE(report.ok()) << report.to_string();
  EXPECT_EQ(owners(data_source),
            (std::map<std::string, std::vector<std::string>>{
                {"By email", {kAda}}, {"By id", {kGrace}}, {"Mixed", {kAda, kGrace}}}))
      << "emails match whatever their case; a user named twice is written once";
  EXPECT_EQ(user_list_calls(), 1u) << "the users are read once, in one page";

  // The next run finds the users in the state store and the fingerprints unchanged: Notion's
  // pages, read back as ids by the drift check, equal what was declared.
  report = sync(options, rows);
  EXPECT_EQ(report.targets[0].unchanged, 3u) << report.to_string();
  EXPECT_EQ(user_list_calls(), 0u);
  EXPECT_EQ(page_writes(), 0u);
  EXPECT_EQ(report.targets[0].drift.size(), 0u);

  // Rows of ids only never read the users.
  report = sync(options, {owned("By id", {kGrace})}, "ids-only");
  EXPECT_EQ(user_list_calls(), 0u);
}

TEST_P(PeopleTest, UnknownAmbiguousAndBotValuesFailTheirRowOnlyNamingTheValue) {
  const std::string data_source = create_database(owners_schema().to_notion_properties());
  const auto report = sync(user_options(data_source, owners_schema()),
                           {owned("Nobody", {"nobody@example.com"}),
                            owned("Two Alans", {"Alan Turing"}), owned("Robot", {"Importer"}),
                            owned("Typo", {"Ada Lovelce"}), owned("Fine", {"Ada Lovelace"})});
  EXPECT_EQ(report.targets[0].created, 1u);
  std::map<std::string, std::string> messages;
  for (const auto& error : report.targets[0].errors) {
    EXPECT_EQ(error.column, "owners") << error.message;
    messages[error.key] = error.message;
  }
  ASSERT_EQ(messages.size(), 4u) << report.to_string();
  const auto says = [&](const std::string& key, const std::string& text) {
    for (const auto& [row, message] : messages) {
      if (row.find(key) != std::string::npos) {
        EXPECT_NE(message.find(text), std::string::npos) << message;
        return;
      }
    }
    ADD_FAILURE() << "no error for " << key;
  };
  says("Nobody", "no person in the workspace has the email 'nobody@example.com'");
  says("Two Alans", "2 people have the name 'Alan Turing'");
  says("Robot", "'Importer' is an integration (a bot), not a person");
  says("Typo", "did you mean 'Ada Lovelace'?");
  EXPECT_EQ(owners(data_source),
            (std::map<std::string, std::vector<std::string>>{{"Fine", {kAda}}}));
  EXPECT_EQ(user_list_calls(), 1u) << "read in this run: no value reads them again";
}

TEST_P(PeopleTest, AValueTheKeptUsersDoNotHaveReadsThemAgainOncePerRun) {
  const std::string data_source = create_database(owners_schema().to_notion_properties());
  // Users kept by an earlier run, before Grace joined.
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  store->write_cached(
      "people-app", "notion.users", "all",
      CachedValue{R"([{"id":")" + kAda +
                      R"(","type":"person","name":"Ada Lovelace","email":"ada@example.com"}])",
                  now + 3'600'000, now});
  const auto report =
      sync(user_options(data_source, owners_schema()),
           {owned("Ada", {"Ada Lovelace"}), owned("Grace", {"Grace Hopper"}),
            owned("Ghost", {"ghost@example.com"}), owned("Other ghost", {"boo@example.com"})});
  EXPECT_EQ(report.targets[0].created, 2u) << report.to_string();
  EXPECT_EQ(report.targets[0].errors.size(), 2u);
  EXPECT_EQ(user_list_calls(), 1u);
}

TEST_P(PeopleTest, TheUsersAreReadAgainOnceTheirTimeToLiveIsOver) {
  const std::string data_source = create_database(owners_schema().to_notion_properties());
  auto options = user_options(data_source, owners_schema());
  options.users_cache_ttl = std::chrono::seconds(0);
  sync(options, {owned("Ada", {"Ada Lovelace"})});
  EXPECT_EQ(user_list_calls(), 1u);
  sync(options, {owned("Ada", {"Ada Lovelace"})});
  EXPECT_EQ(user_list_calls(), 1u) << "expired: read again";
}

TEST_P(PeopleTest, AdoptingPagesComparesTheResolvedIds) {
  const std::string data_source = create_database(owners_schema().to_notion_properties());
  const auto options = user_options(data_source, owners_schema());
  const std::vector<Row> rows = {owned("Ada", {"ada@example.com"}), owned("Grace", {kGrace})};
  ASSERT_TRUE(sync(options, rows, "first-app").ok());
  // Another app (an empty state) finds the pages and adopts them without a write.
  const auto report = sync(options, rows, "second-app");
  EXPECT_EQ(report.targets[0].adopted, 2u) << report.to_string();
  EXPECT_EQ(page_writes(), 0u);
}

class PeopleWithoutEmailsTest : public PeopleTest {
 protected:
  PeopleWithoutEmailsTest() { emails_visible_ = false; }
};

TEST_P(PeopleWithoutEmailsTest, AnEmailValueNamesTheCapabilityNotionNeeds) {
  const std::string data_source = create_database(owners_schema().to_notion_properties());
  const auto report = sync(user_options(data_source, owners_schema()),
                           {owned("Ada", {"ada@example.com"}), owned("Grace", {"Grace Hopper"})});
  EXPECT_EQ(report.targets[0].created, 1u) << "by name still works";
  ASSERT_EQ(report.targets[0].errors.size(), 1u);
  EXPECT_NE(
      report.targets[0].errors[0].message.find("Read user information including email addresses"),
      std::string::npos)
      << report.targets[0].errors[0].message;
}

// The emulator's users are set by these tests: they do not run against live Notion.
INSTANTIATE_TEST_SUITE_P(Emulator, PeopleTest, ::testing::Values(Where::emulator), where_name);
INSTANTIATE_TEST_SUITE_P(Emulator, PeopleWithoutEmailsTest, ::testing::Values(Where::emulator),
                         where_name);

}  // namespace
}  // namespace notionsync::testing
