// notionsync's Notion database target from C++: Person rows kept in sync with a Notion database.
//
// Three runs, each with a fresh Sync (a new process would do the same):
//   1. insert Ada, Grace and Alan            -> 3 pages created
//   2. the same rows again                   -> nothing written
//   3. Ada's role changes, Alan is dropped   -> 1 page updated, 1 page trashed
//
// By default it runs against notionsync's Notion API emulator, started in this process. With
// NOTION_TOKEN and NOTION_PARENT_PAGE set (a page shared with your integration), it runs against
// real Notion and creates the database "notionsync example: people" under that page.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <notion_emulator/server.hpp>
#include <string>
#include <vector>

#include "notionsync/notion/pagination.hpp"
#include "notionsync/notion/property_value_codec.hpp"
#include "notionsync/notionsync.hpp"

namespace {

using namespace notionsync;

struct Person {
  std::string name;
  std::string email;
  std::string role;
  bool active = true;
};

Schema<Person> person_schema() {
  return Schema<Person>()
      .title("Name", &Person::name)
      .email("Email", &Person::email)
      .select("Role", &Person::role)
      .checkbox("Active", &Person::active)
      .key(&Person::name);
}

void print_database(notion::Client& client, const std::string& data_source_id) {
  notion::DataSourceQuery query;
  query.data_source_id = data_source_id;
  query.sorts = nlohmann::json::array({{{"property", "Name"}, {"direction", "ascending"}}});
  std::printf("    %-8s %-20s %-15s %s\n", "Name", "Email", "Role", "Active");
  notion::query_all_rows(client, query, [](std::vector<nlohmann::json> pages) {
    for (const auto& page : pages) {
      const auto& properties = page["properties"];
      const auto text = [&](const char* name) {
        const Value value = notion::decode_property_value(properties[name]);
        if (value.is_null()) return std::string("-");
        return value.type() == Value::Type::string ? value.as_string() : value.to_display();
      };
      std::printf("    %-8s %-20s %-15s %s\n", text("Name").c_str(), text("Email").c_str(),
                  text("Role").c_str(), text("Active").c_str());
    }
  });
}

}  // namespace

int main() {
  const char* token = std::getenv("NOTION_TOKEN");
  const char* parent_page = std::getenv("NOTION_PARENT_PAGE");
  const bool live =
      token != nullptr && *token != '\0' && parent_page != nullptr && *parent_page != '\0';

  std::unique_ptr<notion_emulator::Server> emulator;
  SyncSettings settings;
  std::string parent_page_id;
  if (live) {
    settings.token = Token::from_env("NOTION_TOKEN");
    parent_page_id = parent_page;
    std::printf("Syncing with Notion under page %s\n", parent_page);
  } else {
    emulator = std::make_unique<notion_emulator::Server>(notion_emulator::Options{});
    emulator->start();
    settings.token = "secret_notionsync_emulator";
    settings.notion.base_url = emulator->base_url();
    parent_page_id = emulator->root_page_id();
    std::printf(
        "Syncing with the Notion API emulator at %s (set NOTION_TOKEN and "
        "NOTION_PARENT_PAGE to use Notion)\n",
        emulator->base_url().c_str());
  }
  const auto state_dir = std::filesystem::temp_directory_path() / "notionsync-example-people";
  if (!live) std::filesystem::remove_all(state_dir);
  settings.state = (state_dir / "state.db").string();
  settings.app = "notion-target-basics";

  const auto run = [&](const char* title, const std::vector<Person>& people) {
    std::printf("\n== %s\n", title);
    Sync sync(settings);
    auto target = sync.database(
        person_schema(),
        NewDatabase{.parent_page = parent_page_id, .title = "notionsync example: people"},
        {.name = "people"});
    for (const auto& person : people) target.declare(person);
    const SyncReport report = sync.run();
    std::printf("%s", report.to_string().c_str());
    const notion::ClientStats calls = sync.client().stats();
    std::printf("  Notion calls: %llu (%llu succeeded)\n",
                static_cast<unsigned long long>(calls.attempts),
                static_cast<unsigned long long>(calls.succeeded));
    print_database(sync.client(), target.data_source_id());
  };

  try {
    run("run 1: insert three people", {{"Ada", "ada@example.com", "engineer"},
                                       {"Grace", "grace@example.com", "admiral"},
                                       {"Alan", "alan@example.com", "researcher"}});
    run("run 2: same rows, nothing to write", {{"Ada", "ada@example.com", "engineer"},
                                               {"Grace", "grace@example.com", "admiral"},
                                               {"Alan", "alan@example.com", "researcher"}});
    run("run 3: Ada changes role, Alan is dropped (his page goes to the trash)",
        {{"Ada", "ada@example.com", "mathematician"}, {"Grace", "grace@example.com", "admiral"}});
  } catch (const Error& error) {
    std::fprintf(stderr, "error: %s\n", error.what());
    return 1;
  }
  return 0;
}
