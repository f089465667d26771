// notionsync's reconcile engine on its own: three runs of one app against an in-memory table.
//
// Run 1 creates every row, run 2 changes one row, removes one and adds one, run 3 changes nothing.
// Each run is a fresh App, as a new process would be: only the SQLite state store carries what was
// written, and it is what makes run 3 cost zero writes.
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

#include "notionsync/core/app.hpp"
#include "notionsync/core/key.hpp"
#include "notionsync/core/sqlite_state_store.hpp"

namespace {

using namespace notionsync;

// The destination: a table of items by id, each holding a row, kept across runs.
struct MemoryTable {
  std::map<std::string, Row> items;
  int next_id = 1;
  int writes = 0;
};

// A TargetDriver writes declared rows into a destination; this one writes into a MemoryTable.
class MemoryTableTarget : public TargetDriver {
 public:
  explicit MemoryTableTarget(MemoryTable& table) : table_(table) {}

  TargetSettings settings() const override {
    TargetSettings settings;
    settings.kind = "memory_table";
    settings.key_columns = {"email"};
    settings.schema_version = "people-v1";
    settings.removal_mode = RemovalMode::trash;
    return settings;
  }

  void apply(TargetContext&, std::span<const Action> actions, const DeclaredRows& rows,
             ActionReporter& reporter) override {
    for (const auto& action : actions) {
      std::string id = action.remote_id;
      if (action.kind == ActionKind::create) id = "item-" + std::to_string(table_.next_id++);
      std::printf("    %-6s %s\n", std::string(to_string(action.kind)).c_str(),
                  display_encoded_key(action.key).c_str());
      if (action.kind == ActionKind::create || action.kind == ActionKind::update) {
        table_.items[id] = decode_canonical_row(rows.at(action.declared_index).payload);
      } else {
        table_.items.erase(id);
      }
      ++table_.writes;
      reporter.report(action, ActionOutcome::done(id));
    }
  }

 private:
  MemoryTable& table_;
};

void print_indented(const std::string& text, const char* indent) {
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    std::printf("%s%s\n", indent, text.substr(start, end - start).c_str());
    if (end == std::string::npos) break;
    start = end + 1;
  }
}

struct Person {
  const char* email;
  const char* name;
  int age;
};

void run(StateStore& store, MemoryTable& table, const char* title,
         std::initializer_list<Person> people) {
  std::printf("\n== %s\n", title);
  App app("demo", store);
  auto& target = app.add_target("people", std::make_unique<MemoryTableTarget>(table));
  for (const auto& person : people) {
    target.declare(Row{{"email", person.email}, {"name", person.name}, {"age", person.age}});
  }
  std::printf("  plan:\n");
  for (const auto& plan : app.plan()) print_indented(to_string(plan), "    ");
  const int writes_before = table.writes;
  std::printf("  apply:\n");
  const SyncReport report = app.sync();
  std::printf("  result:\n");
  print_indented(report.to_string(), "    ");
  std::printf("  writes this run: %d; the table now holds:\n", table.writes - writes_before);
  for (const auto& [id, row] : table.items) {
    std::printf("    %s  %-22s %-24s %s\n", id.c_str(), row.find("email")->to_display().c_str(),
                row.find("name")->to_display().c_str(), row.find("age")->to_display().c_str());
  }
}

}  // namespace

int main() {
  const auto folder = std::filesystem::temp_directory_path() / "notionsync-core-demo";
  std::filesystem::remove_all(folder);
  const std::string state_path = (folder / "state.db").string();
  auto store = SqliteStateStore::open(state_path);
  MemoryTable table;
  std::printf("notionsync core demo (state store: %s)\n", state_path.c_str());

  run(*store, table, "run 1: first sync creates every row",
      {{"ada@example.com", "Ada Lovelace", 36},
       {"grace@example.com", "Grace Hopper", 85},
       {"alan@example.com", "Alan Turing", 41},
       {"edsger@example.com", "Edsger Dijkstra", 72}});
  run(*store, table, "run 2: Grace changes, Alan is removed, Barbara is added",
      {{"ada@example.com", "Ada Lovelace", 36},
       {"grace@example.com", "Grace Brewster Hopper", 85},
       {"edsger@example.com", "Edsger Dijkstra", 72},
       {"barbara@example.com", "Barbara Liskov", 86}});
  run(*store, table, "run 3: nothing changed, nothing is written",
      {{"ada@example.com", "Ada Lovelace", 36},
       {"grace@example.com", "Grace Brewster Hopper", 85},
       {"edsger@example.com", "Edsger Dijkstra", 72},
       {"barbara@example.com", "Barbara Liskov", 86}});
  return 0;
}
