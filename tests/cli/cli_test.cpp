// End to end: the notionsync program against the Notion API emulator, as a user runs it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "cli_runner.hpp"
#include "notionsync/core/sqlite_state_store.hpp"
#include "notionsync/notion/property_value_codec.hpp"
#include "support/temp_dir.hpp"
#include "target/backend.hpp"

namespace notionsync::testing {
namespace {

class CliTest : public ::testing::Test {
 protected:
  CliResult cli(const std::vector<std::string>& args,
                std::map<std::string, std::string> extra_env = {}) {
    std::map<std::string, std::string> env = {{"NOTION_TOKEN", emulator.token()},
                                              {"NOTION_API_BASE_URL", emulator.base_url()},
                                              {"NOTION_PARENT_PAGE", emulator.parent_page_id()},
                                              {"NO_COLOR", "1"}};
    for (auto& [name, value] : extra_env) env[name] = value;
    return run_cli(args, dir.path().string(), env);
  }

  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir.file(name)) << text;
  }
  std::string read(const std::string& name) { return slurp(dir.file(name)); }

  // `notionsync init`, with a rate fast enough for tests (the limiter is tested elsewhere).
  void init_example() {
    ASSERT_EQ(cli({"init"}).exit_code, 0);
    std::string config = read("notionsync.toml");
    config = std::regex_replace(config, std::regex("token_env = \"NOTION_TOKEN\""),
                                "token_env = \"NOTION_TOKEN\"\nrate = 1000.0\nburst = 1000.0");
    write("notionsync.toml", config);
  }

  // The example without its page bodies, for tests that write people.csv without a notes column.
  void drop_bodies() {
    const std::string config = read("notionsync.toml");
    write("notionsync.toml", std::regex_replace(config, std::regex("\nbody = [^\n]*"), ""));
    ASSERT_EQ(read("notionsync.toml").find("body ="), std::string::npos);
  }

  std::string data_source(const std::string& target) {
    auto store = SqliteStateStore::open(dir.file(".notionsync/state.db"));
    for (const auto& record : store->targets("csv-people")) {
      if (record.name == target) return record.remote_id;
    }
    return "";
  }

  std::vector<std::string> names(const std::string& target) {
    std::vector<std::string> values;
    for (const auto& page : emulator.live_pages(data_source(target))) {
      values.push_back(notion::decode_property_value(page["properties"]["Name"]).as_string());
    }
    std::sort(values.begin(), values.end());
    return values;
  }

  EmulatorBackend emulator;
  TempDir dir;
};

TEST_F(CliTest, InitPlanSyncEditSyncStatus) {
  init_example();
  auto plan = cli({"plan"});
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_NE(plan.out.find("teams        3"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("people       8"), std::string::npos) << plan.out;
  EXPECT_EQ(emulator.count("POST", "") + emulator.count("PATCH", ""), 0u);  // a plan writes nothing

  auto sync = cli({"sync"});
  ASSERT_EQ(sync.exit_code, 0) << sync.out << sync.err;
  EXPECT_EQ(names("teams"),
            (std::vector<std::string>{"Engineering", "Mathematics", "Navy Research"}));
  EXPECT_EQ(names("people").size(), 8u);
  EXPECT_EQ(emulator.count("POST", "/v1/pages"), 11u);
  EXPECT_EQ(emulator.count("POST", "/v1/databases"), 2u);

  std::string people = read("people.csv");
  people = std::regex_replace(people, std::regex("grace@example.com,85,"), "grace@example.com,86,");
  people = std::regex_replace(people, std::regex("Alan Turing,[^\n]*\n"), "");
  write("people.csv", people);
  emulator.reset_counts();
  sync = cli({"sync", "--json"});
  ASSERT_EQ(sync.exit_code, 0) << sync.err;
  const auto report = nlohmann::json::parse(sync.out);
  EXPECT_TRUE(report["ok"]);
  const auto& people_report = report["targets"][1];
  EXPECT_EQ(people_report["name"], "people");
  EXPECT_EQ(people_report["counts"]["updated"], 1);
  EXPECT_EQ(people_report["counts"]["trashed"], 1);
  EXPECT_EQ(people_report["counts"]["unchanged"], 6);
  EXPECT_EQ(emulator.count("PATCH", "/v1/pages"), 2u);  // one update, one trash
  EXPECT_EQ(emulator.count("POST", "/v1/pages"), 0u);
  EXPECT_EQ(names("people").size(), 7u);

  // The sync left the digest of the rows it wrote: planning the same rows reads none of them.
  const auto replan = cli({"plan", "--json"});
  ASSERT_EQ(replan.exit_code, 0) << replan.err;
  const auto replanned = nlohmann::json::parse(replan.out);
  for (const auto& target : replanned["targets"]) {
    EXPECT_EQ(target["compared_by"], "digest") << target["name"];
    EXPECT_TRUE(target["actions"].empty()) << target["name"];
  }
  EXPECT_EQ(replanned["targets"][1]["counts"]["unchanged"], 7);

  const auto status = cli({"status", "--json"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  const auto state = nlohmann::json::parse(status.out);
  ASSERT_EQ(state["apps"].size(), 1u);
  EXPECT_EQ(state["apps"][0]["last_run"]["outcome"], "ok");
  EXPECT_EQ(state["apps"][0]["targets"][0]["name"], "people");
  EXPECT_EQ(state["apps"][0]["targets"][0]["rows"], 7);
  EXPECT_EQ(state["apps"][0]["targets"][1]["rows"], 3);
}

TEST_F(CliTest, PlanOutputMatchesTheGoldenFiles) {
  init_example();
  const auto plan = cli({"plan"});
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_EQ(plan.out, slurp(GOLDEN_DIR "/plan.txt"));
  const auto plan_json = cli({"plan", "--json"});
  EXPECT_EQ(nlohmann::json::parse(plan_json.out),
            nlohmann::json::parse(slurp(GOLDEN_DIR "/plan.json")));
}

TEST_F(CliTest, BadRowsAreReportedWithLineAndColumnAndTheOthersSync) {
  init_example();
  drop_bodies();
  write("people.csv",
        "name,email,age,tags,team,joined\n"
        "Good One,good1@example.com,30,a,eng,2020-01-01\n"
        "Bad Age,badage@example.com,thirty,a,eng,2020-01-01\n"
        "Bad Email,not-an-email,30,a,eng,2020-01-01\n"
        "Bad Date,baddate@example.com,30,a,eng,2020-02-30\n"
        "No Key,,30,a,eng,2020-01-01\n"
        "Ragged,ragged@example.com,30\n"
        "Dup A,dup@example.com,30,a,eng,2020-01-01\n"
        "Dup B,dup@example.com,31,a,eng,2020-01-01\n"
        "Bad Team,badteam@example.com,30,a,nowhere,2020-01-01\n"
        "Bad \xff UTF8,utf@example.com,30,a,eng,2020-01-01\n"
        "Good Two,good2@example.com,40,b,math,2021-01-01\n");
  const auto sync = cli({"sync"});
  EXPECT_EQ(sync.exit_code, 1) << sync.out << sync.err;
  const std::vector<std::string> expected = {
      "people.csv:3 (key \"badage@example.com\"), column 'age'",
      "people.csv:4, column 'email'",
      "people.csv:5 (key \"baddate@example.com\"), column 'joined'",
      "people.csv:6",
      "people.csv:7",
      "people.csv:9 (key \"dup@example.com\")",
      "(key \"badteam@example.com\"), column 'team'",
      "people.csv:11",
  };
  for (const auto& part : expected)
    EXPECT_NE(sync.out.find(part), std::string::npos) << part << "\n" << sync.out;
  EXPECT_EQ(names("people"), (std::vector<std::string>{"Good One", "Good Two"}));
  auto store = SqliteStateStore::open(dir.file(".notionsync/state.db"));
  for (const auto& record : store->targets("csv-people")) {
    if (record.name == "people") {
      EXPECT_EQ(record.row_count, 2);  // nothing tracked for bad rows
    }
  }
}

// A config of its own: people by email, files and icons from paths relative to the config file.
constexpr const char* kAssetsConfig = R"([app]
name = "assets"
[notion]
rate = 1000.0
burst = 1000.0
[[target]]
name = "assets"
parent_page_id = "${NOTION_PARENT_PAGE}"
title = "Assets"
source = { type = "csv", path = "data/assets.csv" }
key = ["name"]
icon = { column = "icon" }
cover = { column = "cover" }
[target.properties]
Name  = { column = "name", type = "title" }
Owner = { column = "owner", type = "people" }
Files = { column = "files", type = "files", separator = ";" }
)";

TEST_F(CliTest, PeopleByEmailAndLocalFilesIconsAndCoversRelativeToTheConfig) {
  std::filesystem::create_directories(dir.file("data"));
  std::filesystem::create_directories(dir.file("files"));
  write("notionsync.toml", kAssetsConfig);
  write("files/spec.txt", "spec");
  write("files/logo.png", "PNG");
  write("data/assets.csv",
        "name,owner,files,icon,cover\n"
        "Spec,owner@example.com,files/spec.txt;https://example.com/a.pdf,🚀,files/logo.png\n"
        "Logo,Workspace Owner,files/logo.png,files/logo.png,\n"
        "Lost,owner@example.com,files/missing.txt,,\n");
  // Run from another folder: paths are the config file's, not the working directory's.
  std::filesystem::create_directories(dir.file("elsewhere"));
  const auto result = run_cli({"-c", dir.file("notionsync.toml"), "sync"}, dir.file("elsewhere"),
                              {{"NOTION_TOKEN", emulator.token()},
                               {"NOTION_API_BASE_URL", emulator.base_url()},
                               {"NOTION_PARENT_PAGE", emulator.parent_page_id()},
                               {"NO_COLOR", "1"}});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("data/assets.csv:4 (key \"Lost\"), column 'files': file '" +
                            dir.file("files/missing.txt") + "' does not exist"),
            std::string::npos)
      << result.out;
  auto store = SqliteStateStore::open(dir.file(".notionsync/state.db"));
  const std::string data_source = store->targets("assets").at(0).remote_id;
  std::map<std::string, nlohmann::json> pages;
  for (const auto& page : emulator.live_pages(data_source)) {
    pages[notion::decode_property_value(page["properties"]["Name"]).as_string()] = page;
  }
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(pages["Spec"]["properties"]["Owner"]["people"][0]["name"], "Workspace Owner");
  EXPECT_EQ(pages["Logo"]["properties"]["Owner"]["people"][0]["name"], "Workspace Owner");
  EXPECT_EQ(pages["Spec"]["properties"]["Files"]["files"].size(), 2u);
  EXPECT_EQ(pages["Spec"]["icon"]["emoji"], "🚀");
  EXPECT_EQ(pages["Spec"]["cover"]["type"], "file");
  EXPECT_EQ(pages["Logo"]["icon"]["type"], "file");
  EXPECT_EQ(emulator.count("POST", "/v1/file_uploads"), 4u)
      << "two files, each created and sent once";
}

TEST_F(CliTest, DoctorWarnsWhenNotionLeavesEmailsOut) {
  EmulatorBackend without_emails(
      [](notion_emulator::Options& options) { options.user_emails = false; });
  write("notionsync.toml", kAssetsConfig);
  std::filesystem::create_directories(dir.file("data"));
  write("data/assets.csv", "name,owner,files,icon,cover\nA,,,,\n");
  const auto result = run_cli({"doctor"}, dir.path().string(),
                              {{"NOTION_TOKEN", without_emails.token()},
                               {"NOTION_API_BASE_URL", without_emails.base_url()},
                               {"NOTION_PARENT_PAGE", without_emails.parent_page_id()},
                               {"NO_COLOR", "1"}});
  EXPECT_EQ(result.exit_code, 0) << "a warning, not a failure: " << result.out;
  EXPECT_NE(result.out.find("warn users (people values): 1 person read, without email addresses"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("Read user information including email addresses"), std::string::npos)
      << result.out;
  // With emails, the same check passes.
  const auto good = cli({"doctor"});
  EXPECT_NE(good.out.find("ok users (people values): 1 person read, email addresses included"),
            std::string::npos)
      << good.out;
}

TEST_F(CliTest, ATargetRemovedFromTheConfigIsShownAndLeftAloneUnlessPruned) {
  init_example();
  ASSERT_EQ(cli({"sync"}).exit_code, 0);
  const auto team_pages = names("teams");
  const std::string teams_source = data_source("teams");
  // Drop the teams target and the relation to it: everything from the first [[target]] up to
  // the second one goes, and so does the Team property.
  std::string config = read("notionsync.toml");
  const auto first = config.find("[[target]]");
  const auto second = config.find("[[target]]", first + 1);
  config.erase(first, second - first);
  config = std::regex_replace(config, std::regex("Team +=[^\n]*\n"), "");
  write("notionsync.toml", config);
  const auto plan = cli({"plan"});
  ASSERT_EQ(plan.exit_code, 0) << plan.err << config;
  EXPECT_NE(plan.out.find("target \"teams\" is tracked but no longer configured"),
            std::string::npos)
      << plan.out;
  emulator.reset_counts();
  ASSERT_EQ(cli({"sync"}).exit_code, 0);
  EXPECT_EQ(names("teams"), team_pages);  // left alone
  ASSERT_EQ(cli({"sync", "--prune"}).exit_code, 0);
  EXPECT_EQ(data_source("teams"), "");                      // forgotten by the store...
  EXPECT_EQ(emulator.live_pages(teams_source).size(), 3u);  // ...and its pages still there
}

TEST_F(CliTest, ABrokenConfigIsOneClearMessageAndExitTwo) {
  init_example();
  std::string config = read("notionsync.toml");
  config =
      std::regex_replace(config, std::regex("on_delete = \"archive\""), "on_delete = \"archiv\"");
  write("notionsync.toml", config);
  const auto result = cli({"sync"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("notionsync.toml:"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("on_delete"), std::string::npos) << result.err;
  EXPECT_EQ(emulator.total_requests(), 0u);
}

// Each column feeds one property: the values of a record are converted in place, so a column bound
// twice is refused before anything is read or sent.
TEST_F(CliTest, AColumnBoundToTwoPropertiesIsAConfigError) {
  init_example();
  std::string config = read("notionsync.toml");
  config = std::regex_replace(
      config, std::regex("Age    = \\{ column = \"age\",    type = \"number\" \\}"),
      "Age    = { column = \"age\", type = \"number\" }\nAgeText = { column = "
      "\"age\", type = \"rich_text\" }");
  ASSERT_NE(config.find("AgeText"), std::string::npos);
  write("notionsync.toml", config);
  const auto result = cli({"sync"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("field 'age' is bound twice"), std::string::npos) << result.err;
  EXPECT_EQ(emulator.total_requests(), 0u);
}

TEST_F(CliTest, AnUnknownConfigKeyGetsASuggestion) {
  init_example();
  std::string config = read("notionsync.toml");
  config = std::regex_replace(config, std::regex("on_delete = "), "on_delte = ");
  write("notionsync.toml", config);
  const auto result = cli({"plan"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("unknown key (did you mean 'on_delete'?)"), std::string::npos)
      << result.err;
}

TEST_F(CliTest, TheNotionApiVersionIsTheCurrentOneUnlessTheConfigNamesTheOlder) {
  const auto versions = [&] {
    std::set<std::string> sent;
    for (const auto& request : emulator.server().requests()) sent.insert(request.notion_version);
    return sent;
  };
  init_example();
  ASSERT_EQ(cli({"sync"}).exit_code, 0);
  EXPECT_EQ(versions(), std::set<std::string>{"2026-03-11"});

  std::string config = read("notionsync.toml");
  const std::string current = config;
  config = std::regex_replace(config, std::regex("token_env = \"NOTION_TOKEN\""),
                              "token_env = \"NOTION_TOKEN\"\napi_version = \"2025-09-03\"");
  write("notionsync.toml", config);
  write("people.csv", read("people.csv") +
                          "Linus Torvalds,linus@example.com,54,os,math,1969-12-28,Wrote Linux.\n");
  emulator.server().reset_requests();
  ASSERT_EQ(cli({"sync"}).exit_code, 0);
  EXPECT_EQ(versions(), std::set<std::string>{"2025-09-03"});

  write("notionsync.toml",
        std::regex_replace(current, std::regex("token_env = \"NOTION_TOKEN\""),
                           "token_env = \"NOTION_TOKEN\"\napi_version = \"2022-06-28\""));
  emulator.server().reset_requests();
  const auto refused = cli({"plan"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("api_version: Notion API version \"2022-06-28\" is not supported: "
                             "use \"2025-09-03\" or \"2026-03-11\""),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(emulator.total_requests(), 0u);
}

TEST_F(CliTest, AMissingTokenSaysHowToFixIt) {
  init_example();
  const auto result = cli({"sync"}, {{"NOTION_TOKEN", ""}});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("no Notion token: set NOTION_TOKEN"), std::string::npos) << result.err;
}

TEST_F(CliTest, AWrongTokenIsAnAccessErrorAndNeverPrinted) {
  init_example();
  const std::string wrong = "secret_wrong_token_1234567890";
  const auto result = cli({"sync"}, {{"NOTION_TOKEN", wrong}});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.err.find("fix: the token was refused"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find(wrong), std::string::npos);
  EXPECT_EQ(result.out.find(wrong), std::string::npos);
}

TEST_F(CliTest, AnUnsharedPageIsAnAccessErrorWithTheFix) {
  init_example();
  const auto result = cli({"sync"}, {{"NOTION_PARENT_PAGE", "0123456789ab4def8123456789abcdef"}});
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.err.find("share the page with the integration"), std::string::npos)
      << result.err;
}

TEST_F(CliTest, ALockedStateStoreIsExitFour) {
  init_example();
  ASSERT_EQ(cli({"sync"}).exit_code, 0);
  auto store = SqliteStateStore::open(dir.file(".notionsync/state.db"));
  const auto lock = store->lock_app("csv-people");
  const auto result = cli({"sync"});
  EXPECT_EQ(result.exit_code, 4);
  EXPECT_NE(
      result.err.find("app 'csv-people' is being synced by process " + std::to_string(getpid())),
      std::string::npos)
      << result.err;
}

TEST_F(CliTest, DoctorPassesOnAGoodSetUp) {
  init_example();
  const auto result = cli({"doctor"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("token accepted"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("target people: source: 8 rows read"), std::string::npos) << result.out;
  EXPECT_EQ(emulator.count("POST", "/v1/pages") + emulator.count("POST", "/v1/databases"), 0u);
}

// Rows with errors: a value that does not convert, and both rows of a key declared twice (found
// once the rows are indexed).
TEST_F(CliTest, DoctorCountsTheRowsWithErrorsDuplicateKeysIncluded) {
  init_example();
  drop_bodies();
  write("people.csv",
        "name,email,age,tags,team,joined\n"
        "Ada Lovelace,ada@example.com,36,math,math,1842-09-01\n"
        "Grace Hopper,grace@example.com,old,navy,navy,1944-07-02\n"
        "Ada Again,ada@example.com,37,math,math,1842-09-01\n"
        "Alan Turing,alan@example.com,41,math,math,1936-05-28\n");
  const auto result = cli({"doctor"});
  EXPECT_NE(result.out.find("target people: source: 4 rows read, 2 with errors"), std::string::npos)
      << result.out;
  EXPECT_EQ(emulator.count("POST", "/v1/pages"), 0u);
}

TEST_F(CliTest, DoctorExplainsEachFailure) {
  init_example();
  auto result = cli({"doctor"}, {{"NOTION_TOKEN", "secret_wrong"}});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.out.find("FAIL Notion API"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("fix: the token was refused"), std::string::npos) << result.out;

  result = cli({"doctor"}, {{"NOTION_PARENT_PAGE", "0123456789ab4def8123456789abcdef"}});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.out.find("FAIL target teams: parent page"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("fix: share the page"), std::string::npos) << result.out;

  write("people.csv", "name,mail\nAda,ada@example.com\n");
  result = cli({"doctor"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.out.find("FAIL target people: source"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("unknown field 'email' (did you mean 'mail'?)"), std::string::npos)
      << result.out;

  result = cli({"doctor"}, {{"NOTION_TOKEN", ""}});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.out.find("FAIL token"), std::string::npos) << result.out;
}

TEST_F(CliTest, DoctorReportsASchemaMismatchOfAUserDatabase) {
  const auto database =
      nlohmann::json::parse(R"({"Name": {"title": {}}, "Email": {"rich_text": {}}})");
  notion::ClientOptions options;
  options.token = emulator.token();
  options.base_url = emulator.base_url();
  notion::Client client(options);
  const auto created =
      client.call(notion::endpoints::create_database(emulator.parent_page_id(), "Owned", database));
  const std::string data_source = created["data_sources"][0]["id"];
  write("people.csv", "name,email\nAda,ada@example.com\n");
  write(
      "notionsync.toml",
      "[app]\nname = \"owned\"\n[[target]]\nname = \"people\"\nmanaged_by = \"user\"\n"
      "data_source_id = \"" +
          data_source +
          "\"\nsource = { type = \"csv\", path = \"people.csv\" }\n"
          "key = [\"email\"]\n[target.properties]\nName = { column = \"name\", type = \"title\" }\n"
          "Email = { column = \"email\", type = \"email\" }\n");
  const auto result = cli({"doctor"});
  EXPECT_EQ(result.exit_code, 2) << result.out;
  EXPECT_NE(result.out.find("property 'Email' is declared email but Notion has rich_text"),
            std::string::npos)
      << result.out;
  const auto sync = cli({"sync"});
  EXPECT_EQ(sync.exit_code, 2);
  EXPECT_EQ(emulator.count("POST", "/v1/pages"), 0u);
}

TEST_F(CliTest, VersionAndUsage) {
  const auto version = cli({"version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.out.find("notionsync 0.1.0 (Notion API 2026-03-11)"), std::string::npos);
  EXPECT_EQ(cli({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(cli({}).exit_code, 2);
}

TEST_F(CliTest, DemoShowsTheReconcile) {
  const auto result = cli({"demo", "--exit", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto demo = nlohmann::json::parse(result.out);
  ASSERT_EQ(demo["runs"].size(), 3u);
  EXPECT_EQ(demo["runs"][0]["targets"][1]["counts"]["created"], 8);
  EXPECT_EQ(demo["runs"][1]["targets"][1]["counts"]["updated"], 2);
  EXPECT_EQ(demo["runs"][1]["targets"][1]["counts"]["trashed"], 1);
  // Grace: her properties and her body (2 calls); Donald: his body alone (1); Alan: the trash (1);
  // per target, the data source check and the drift query (4); and, as the people target binds a
  // page body, users/me once, to tell notionsync's own edits from people's (1).
  EXPECT_EQ(demo["runs"][1]["notion_calls"]["requests"], 9);
  EXPECT_EQ(demo["runs"][2]["notion_calls"]["requests"], 5);
}

}  // namespace
}  // namespace notionsync::testing
