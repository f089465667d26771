// The workspace's users: GET /v1/users and /v1/users/{id}, full user objects in page values,
// and the person token that edits pages as a person does.
#include <filesystem>
#include <fstream>

#include "api_client.hpp"

namespace notion_emulator::testing {
namespace {

const std::string kBot = "5f0b9ad7-3e2c-4c55-9f6c-0d6b1c3e0b07";

class UsersTest : public EmulatorTest {
 protected:
  void configure(Options& options) override {
    options.person_token = "secret_person";
    options.users = {{"", "person", "Ada Lovelace", "ada@example.com"},
                     {"4b1c2d3e-5f60-4718-9a2b-3c4d5e6f7a8b", "bot", "Importer", ""},
                     {"", "person", "Grace Hopper", "grace@example.com"}};
  }
  json users() { return api_->get("/v1/users").body["results"]; }
};

TEST_F(UsersTest, TheListHasThePeopleAndBotsThenTheIntegration) {
  const json all = users();
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0]["name"], "Ada Lovelace");
  EXPECT_EQ(all[0]["person"], json({{"email", "ada@example.com"}}));
  EXPECT_EQ(all[1], json({{"object", "user"},
                          {"id", "4b1c2d3e-5f60-4718-9a2b-3c4d5e6f7a8b"},
                          {"name", "Importer"},
                          {"avatar_url", nullptr},
                          {"type", "bot"},
                          {"bot", json::object()}}));
  EXPECT_EQ(all[3]["id"], kBot);
  EXPECT_EQ(all[3]["bot"]["workspace_limits"]["max_file_upload_size_in_bytes"], 5242880);

  const Reply first = api_->get("/v1/users?page_size=3");
  EXPECT_EQ(first.body["results"].size(), 3u);
  EXPECT_EQ(first.body["has_more"], true);
  EXPECT_EQ(first.body["type"], "user");
  const Reply rest = api_->get("/v1/users?page_size=3&start_cursor=" +
                               first.body["next_cursor"].get<std::string>());
  ASSERT_EQ(rest.body["results"].size(), 1u);
  EXPECT_EQ(rest.body["results"][0]["id"], kBot);
}

TEST_F(UsersTest, OneUserByIdOrNotionsNotFound) {
  const json ada = users()[0];
  EXPECT_EQ(api_->get("/v1/users/" + ada["id"].get<std::string>()).answer(), ada);
  const Reply missing = api_->get("/v1/users/745e79dd-3e43-40de-9d51-39357c1c428f");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.code(), "object_not_found");
  EXPECT_NE(missing.message().find("capabilities to read user information"), std::string::npos);
  EXPECT_EQ(missing.body["additional_data"]["integration_id"], kBot);
  EXPECT_EQ(api_->get("/v1/users/12345678-1234-1234-1234-123456789abc").code(), "validation_error");
}

TEST_F(UsersTest, APersonTokenWritesAsTheFirstPerson) {
  const std::string ada = users()[0]["id"];
  const std::string source =
      create_database("Team", {{"Name", {{"title", json::object()}}},
                               {"Owner", {{"people", json::object()}}},
                               {"By", {{"created_by", json::object()}}},
                               {"EditedBy", {{"last_edited_by", json::object()}}}});
  const std::string page = create_row(
      source, {{"Owner",
                {{"people", json::array({{{"id", ada}},
                                         {{"id", "9a9a9a9a-0000-4000-8000-000000000001"}}})}}}});
  Api person(*server_, "secret_person");
  const Reply edited =
      person.patch("/v1/pages/" + page, {{"properties", {{"Name", {{"title", text("mine")}}}}}});
  ASSERT_EQ(edited.status, 200) << edited.body.dump();
  EXPECT_EQ(edited.body["created_by"], json({{"object", "user"}, {"id", kBot}}));
  EXPECT_EQ(edited.body["last_edited_by"], json({{"object", "user"}, {"id", ada}}));
  const json& properties = edited.body["properties"];
  EXPECT_EQ(properties["EditedBy"]["last_edited_by"]["person"]["email"], "ada@example.com");
  EXPECT_EQ(properties["By"]["created_by"]["bot"], json::object());
  // People the workspace has are full objects; an id it does not have stays partial.
  EXPECT_EQ(properties["Owner"]["people"][0]["name"], "Ada Lovelace");
  EXPECT_EQ(properties["Owner"]["people"][1],
            json({{"object", "user"}, {"id", "9a9a9a9a-0000-4000-8000-000000000001"}}));
  EXPECT_EQ(person.get("/v1/users/me").body["id"], ada);
}

TEST(UsersOptionsTest, BadUsersAreRefusedAtStart) {
  const auto refused = [](std::vector<WorkspaceUser> users, std::string person_token = "") {
    Options options;
    options.rate = 0;
    options.users = std::move(users);
    options.person_token = std::move(person_token);
    Server server(options);
    EXPECT_THROW(server.start(), std::invalid_argument);
  };
  refused({{"", "person", "No Mail", ""}});
  refused({{"", "robot", "Who", ""}});
  refused({{"not-a-uuid", "person", "Ada", "ada@example.com"}});
  refused({{"", "bot", "Only a bot", ""}}, "secret_person");  // no person to act as
  refused({}, "secret_notionsync_emulator");                  // the integration's own token
}

class UsersWithoutEmailsTest : public UsersTest {
 protected:
  void configure(Options& options) override {
    UsersTest::configure(options);
    options.user_emails = false;
  }
};

TEST_F(UsersWithoutEmailsTest, PeopleAreListedWithoutTheirEmails) {
  // Without the capability to read emails Notion keeps the person object, empty.
  const json all = users();
  EXPECT_EQ(all[0]["name"], "Ada Lovelace");
  EXPECT_EQ(all[0]["person"], json::object());
  EXPECT_EQ(api_->get("/v1/users/" + all[0]["id"].get<std::string>()).body["person"],
            json::object());
}

TEST(UsersOptionsTest, AUsersFileIsReadOrRefusedByName) {
  const auto dir = std::filesystem::temp_directory_path() / "notion-emulator-users-test";
  std::filesystem::create_directories(dir);
  const auto path = (dir / "users.json").string();
  std::ofstream(path) << R"({"users": [{"type": "person", "name": "Ada", "email": "a@x.test"}]})";
  const auto users = read_workspace_users(path);
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0].email, "a@x.test");
  std::ofstream(path) << R"({"people": []})";
  try {
    read_workspace_users(path);
    FAIL() << "a file without users was read";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find(path), std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace notion_emulator::testing
