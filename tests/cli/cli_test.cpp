// End to end: the notionsync program against the Notion API emulator, as a user runs it.
#include <gtest/gtest.h>
#include <sqlite3.h>

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
      "people.csv:8 (key \"dup@example.com\"): duplicate key: also declared by ",
      "people.csv:9; no row with this key is written",
      "people.csv:9 (key \"dup@example.com\"): duplicate key: also declared by ",
      "people.csv:8; no row with this key is written",
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

// --json counts the rows that failed (source errors included) apart from the messages: a row with
// two bad values is one failed row and two errors.
TEST_F(CliTest, JsonCountsFailedRowsApartFromTheirErrors) {
  init_example();
  drop_bodies();
  write("people.csv",
        "name,email,age,tags,team,joined\n"
        "Good One,good1@example.com,30,a,eng,2020-01-01\n"
        "Two Bad,twobad@example.com,old,a,eng,2020-13-45\n"
        "Dup A,dup@example.com,30,a,eng,2020-01-01\n"
        "Dup B,dup@example.com,31,a,eng,2020-01-01\n"
        "Ragged,ragged@example.com,30\n"
        "Bad Team,badteam@example.com,30,a,nowhere,2020-01-01\n");
  const auto sync = cli({"sync", "--json"});
  EXPECT_EQ(sync.exit_code, 1) << sync.out << sync.err;
  const auto report = nlohmann::json::parse(sync.out);
  const auto& people = report["targets"][1];
  ASSERT_EQ(people["name"], "people");
  EXPECT_EQ(people["counts"]["created"], 1);
  // Two Bad, Dup A, Dup B, Ragged and Bad Team (its relation fails when it is written).
  EXPECT_EQ(people["counts"]["failed"], 5) << people.dump(2);
  EXPECT_EQ(people["counts"]["errors"], 6) << people.dump(2);
  EXPECT_EQ(people["errors"].size(), 6u);
  EXPECT_EQ(names("people"), (std::vector<std::string>{"Good One"}));
}

// A source that comes back empty (a CSV with its header alone, an empty JSONL export, a query
// over an emptied table) looks like a source whose rows were all deleted: `plan` says the sync
// would be refused, `sync` refuses with exit code 5 and writes nothing, and --allow-removals lets
// a deliberate removal through.
class EmptySourceTest : public CliTest, public ::testing::WithParamInterface<std::string> {
 protected:
  void write_source(bool with_rows) {
    const std::vector<std::pair<std::string, std::string>> rows = {
        {"Ada", "ada@example.com"},
        {"Grace", "grace@example.com"},
        {"Alan", "alan@example.com"},
        {"Edsger", "edsger@example.com"}};
    const std::string& kind = GetParam();
    if (kind == "csv") {
      std::string text = "name,email\n";
      for (const auto& [name, email] : rows) text += with_rows ? name + "," + email + "\n" : "";
      write("people.csv", text);
    } else if (kind == "jsonl") {
      std::string text;
      for (const auto& [name, email] : rows) {
        if (with_rows) text += nlohmann::json{{"name", name}, {"email", email}}.dump() + "\n";
      }
      write("people.jsonl", text);
    } else {
      sqlite3* database = nullptr;
      ASSERT_EQ(sqlite3_open(dir.file("people.db").c_str(), &database), SQLITE_OK);
      std::string script = "CREATE TABLE IF NOT EXISTS people (name TEXT, email TEXT);";
      script += "DELETE FROM people;";
      for (const auto& [name, email] : rows) {
        if (with_rows) script += "INSERT INTO people VALUES ('" + name + "', '" + email + "');";
      }
      EXPECT_EQ(sqlite3_exec(database, script.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
      sqlite3_close(database);
    }
  }

  void write_config() {
    const std::string& kind = GetParam();
    const std::string source =
        kind == "csv"     ? "{ type = \"csv\", path = \"people.csv\" }"
        : kind == "jsonl" ? "{ type = \"jsonl\", path = \"people.jsonl\" }"
                          : "{ type = \"sqlite\", path = \"people.db\", query = \"SELECT name, "
                            "email FROM people\" }";
    write("notionsync.toml",
          "[app]\nname = \"guarded\"\n[notion]\nrate = 1000.0\nburst = 1000.0\n"
          "[[target]]\nname = \"people\"\nparent_page_id = \"${NOTION_PARENT_PAGE}\"\n"
          "title = \"People\"\nsource = " +
              source +
              "\nkey = [\"email\"]\n[target.properties]\n"
              "Name = { column = \"name\", type = \"title\" }\n"
              "Email = { column = \"email\", type = \"email\" }\n");
  }

  std::size_t page_writes() const {
    return emulator.count("POST", "/v1/pages") + emulator.count("PATCH", "/v1/pages") +
           emulator.count("DELETE", "/v1/blocks");
  }

  std::size_t live_pages() {
    auto store = SqliteStateStore::open(dir.file(".notionsync/state.db"));
    return emulator.live_pages(store->targets("guarded").at(0).remote_id).size();
  }
};

TEST_P(EmptySourceTest, RefusesToRemoveEveryPageUnlessAllowed) {
  write_config();
  write_source(/*with_rows=*/true);
  ASSERT_EQ(cli({"sync"}).exit_code, 0);
  write_source(/*with_rows=*/false);
  emulator.reset_counts();

  const auto plan = cli({"plan", "--json"});
  EXPECT_EQ(plan.exit_code, 5) << plan.out << plan.err;
  const auto planned = nlohmann::json::parse(plan.out)["targets"][0];
  EXPECT_EQ(planned["counts"]["trash"], 4);
  EXPECT_EQ(planned["removal_check"]["removals"], 4);
  EXPECT_EQ(planned["removal_check"]["tracked"], 4);
  EXPECT_EQ(planned["removal_check"]["stops_sync"], true);
  const auto human_plan = cli({"plan"});
  EXPECT_EQ(human_plan.exit_code, 5);
  EXPECT_NE(human_plan.out.find("sync refused: target \"people\" would remove 4 of its 4 tracked "
                                "pages"),
            std::string::npos)
      << human_plan.out;

  const auto refused = cli({"sync"});
  EXPECT_EQ(refused.exit_code, 5) << refused.out << refused.err;
  EXPECT_NE(refused.out.find("target \"people\" would remove 4 of its 4 tracked pages"),
            std::string::npos)
      << refused.out;
  EXPECT_NE(refused.out.find("--allow-removals"), std::string::npos) << refused.out;
  EXPECT_NE(refused.out.find("max_removals"), std::string::npos) << refused.out;
  const auto refused_json = cli({"sync", "--json"});
  EXPECT_EQ(refused_json.exit_code, 5);
  const auto report = nlohmann::json::parse(refused_json.out);
  EXPECT_EQ(report["refused"], true);
  EXPECT_EQ(report["ok"], false);
  EXPECT_EQ(report["targets"][0]["removal_check"]["stops_sync"], true);
  EXPECT_NE(report["error"].get<std::string>().find("--allow-removals"), std::string::npos);
  EXPECT_EQ(page_writes(), 0u);
  // Each plan asked Notion once for drift; the refused syncs asked nothing, not even a look-up.
  EXPECT_EQ(emulator.count("POST", "/v1/data_sources/"), 2u);
  EXPECT_EQ(live_pages(), 4u);

  // A deliberate removal: allowed for this run, every page is trashed, one call each.
  const auto allowed = cli({"sync", "--allow-removals", "--json"});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.out << allowed.err;
  EXPECT_EQ(nlohmann::json::parse(allowed.out)["targets"][0]["counts"]["trashed"], 4);
  EXPECT_EQ(emulator.count("PATCH", "/v1/pages"), 4u);
  EXPECT_EQ(page_writes(), 4u);
  EXPECT_EQ(live_pages(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Sources, EmptySourceTest, ::testing::Values("csv", "jsonl", "sqlite"),
                         [](const auto& info) { return info.param; });

// max_removals in the target's config replaces the standard limit: 1 of 4 pages is 25%.
TEST_F(CliTest, MaxRemovalsInTheConfigSetsTheLimit) {
  init_example();
  ASSERT_EQ(cli({"sync"}).exit_code, 0);
  std::string config = read("notionsync.toml");
  const auto people_target = config.find("name = \"people\"");
  ASSERT_NE(people_target, std::string::npos);
  config.insert(people_target, "max_removals = \"10%\"\n");
  write("notionsync.toml", config);
  std::string people = read("people.csv");
  people = std::regex_replace(people, std::regex("Alan Turing,[^\n]*\n"), "");
  write("people.csv", people);
  emulator.reset_counts();
  EXPECT_EQ(cli({"sync"}).exit_code, 5);  // 1 of 8 is 12.5%
  EXPECT_EQ(emulator.count("PATCH", "/v1/pages"), 0u);
  write("notionsync.toml", std::regex_replace(config, std::regex("\"10%\""), "1"));
  EXPECT_EQ(cli({"sync"}).exit_code, 0);
  EXPECT_EQ(emulator.count("PATCH", "/v1/pages"), 1u);

  write("notionsync.toml", std::regex_replace(config, std::regex("\"10%\""), "\"ten\""));
  const auto broken = cli({"plan"});
  EXPECT_EQ(broken.exit_code, 2);
  EXPECT_NE(broken.err.find("max_removals: expected a number of pages"), std::string::npos)
      << broken.err;
}

// Notion may ask for minutes of Retry-After: the wait shows as it starts, on the progress output,
// and in the summary, without -v.
TEST_F(CliTest, ALongRetryAfterIsShownWithoutVerbose) {
  init_example();
  emulator.server().set_faults("429(2)@POST /v1/pages#1", 1);
  const auto sync = cli({"sync"});
  ASSERT_EQ(sync.exit_code, 0) << sync.out << sync.err;
  EXPECT_NE(sync.err.find("Notion asked to wait 2s before any further request (429, "
                          "Retry-After); resuming at "),
            std::string::npos)
      << sync.err;
  EXPECT_NE(sync.out.find("Notion paused every request 1 time (429, Retry-After), the longest "
                          "for 2.0 s"),
            std::string::npos)
      << sync.out;
  EXPECT_EQ(sync.err.find("notion: "), std::string::npos);  // no verbose log lines
  const auto json = cli({"sync", "--json"});
  EXPECT_EQ(nlohmann::json::parse(json.out)["notion_calls"]["pauses"], 0);
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
      std::regex_replace(config, std::regex("on_delete = \"trash\""), "on_delete = \"trahs\"");
  write("notionsync.toml", config);
  const auto result = cli({"sync"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("notionsync.toml:"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("on_delete"), std::string::npos) << result.err;
  EXPECT_EQ(emulator.total_requests(), 0u);
}

// A notionsync built without the PostgreSQL component (NOTIONSYNC_WITH_POSTGRES=OFF) refuses a
// postgresql:// state and the worker command by saying so; one built with it tries the server.
TEST_F(CliTest, APostgresStateNeedsAProgramBuiltWithPostgres) {
  init_example();
  const std::string config = read("notionsync.toml");
  write("notionsync.toml", std::regex_replace(config, std::regex("state = \"sqlite:[^\"]*\""),
                                              "state = \"postgresql://sync@127.0.0.1:1/none\""));
  const auto status = cli({"status"});
  const auto worker = cli({"worker", "--once", "--state", "postgresql://sync@127.0.0.1:1/none"});
  if (NOTIONSYNC_WITH_POSTGRES) {
    EXPECT_NE(status.exit_code, 0);
    EXPECT_EQ(status.err.find("built without PostgreSQL"), std::string::npos) << status.err;
    EXPECT_NE(status.err.find("127.0.0.1"), std::string::npos) << status.err;
  } else {
    EXPECT_EQ(status.exit_code, 2);
    EXPECT_NE(status.err.find("state: this notionsync was built without PostgreSQL"),
              std::string::npos)
        << status.err;
    EXPECT_EQ(worker.exit_code, 2);
    EXPECT_NE(worker.err.find("worker: this notionsync was built without PostgreSQL"),
              std::string::npos)
        << worker.err;
  }
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

// "nmu" is one swap from the column "num" (and two edits from "name"): the suggestion is "num",
// and the message names the config line of the property.
TEST_F(CliTest, ABindingToAMissingColumnSuggestsTheClosestAndNamesTheConfigLine) {
  init_example();
  std::string config = read("notionsync.toml");
  config = std::regex_replace(config, std::regex("column = \"age\""), "column = \"nmu\"");
  write("notionsync.toml", config);
  std::string people = read("people.csv");
  people.replace(people.find(",age,"), 5, ",num,");
  write("people.csv", people);
  std::size_t line = 1;
  for (std::size_t i = 0; i < config.find("column = \"nmu\""); ++i) line += config[i] == '\n';
  const auto result = cli({"plan"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("notionsync.toml:" + std::to_string(line) +
                            ": property 'Age' is bound to unknown field 'nmu' (did you mean "
                            "'num'?)"),
            std::string::npos)
      << result.err;
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

// status reads the state store alone: no token, no variable the targets name; and neither status
// nor plan creates a state file that does not exist.
TEST_F(CliTest, StatusAndPlanNeedNoNotionSettingsAndCreateNoStateFile) {
  init_example();
  const auto status =
      cli({"status", "--json"},
          {{"NOTION_TOKEN", ""}, {"NOTION_PARENT_PAGE", ""}, {"NOTION_API_BASE_URL", ""}});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_TRUE(nlohmann::json::parse(status.out)["apps"].empty()) << status.out;
  EXPECT_FALSE(std::filesystem::exists(dir.file(".notionsync")));
  const auto plan = cli({"plan"});
  EXPECT_EQ(plan.exit_code, 0) << plan.err;
  const auto doctor = cli({"doctor"});
  EXPECT_EQ(doctor.exit_code, 0) << doctor.out << doctor.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file(".notionsync")));

  ASSERT_EQ(cli({"sync"}).exit_code, 0);
  const auto synced = cli({"status", "--json"}, {{"NOTION_TOKEN", ""}, {"NOTION_PARENT_PAGE", ""}});
  EXPECT_EQ(synced.exit_code, 0) << synced.err;
  EXPECT_EQ(nlohmann::json::parse(synced.out)["apps"][0]["targets"][0]["rows"], 8);
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
  EXPECT_NE(result.out.find("target people: source: 4 rows read, 3 with errors"), std::string::npos)
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
  for (const std::string flag : {"--version", "-V"}) {
    const auto flagged = cli({flag});
    EXPECT_EQ(flagged.exit_code, 0) << flag << flagged.err;
    EXPECT_EQ(flagged.out, "notionsync 0.1.0 (Notion API 2026-03-11)\n") << flag;
  }
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
  // per target, the data source check and the drift query (4). notionsync's own user, to tell its
  // edits from people's, was learnt from the answers to the first run's writes: no users/me.
  EXPECT_EQ(demo["runs"][1]["notion_calls"]["requests"], 8);
  EXPECT_EQ(demo["runs"][2]["notion_calls"]["requests"], 4);
}

}  // namespace
}  // namespace notionsync::testing
