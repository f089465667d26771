// A program that runs a notionsync worker: two databases of one app, served from a PostgreSQL
// state store that any number of such programs, on any number of machines, may share.
//
//   NOTIONSYNC_STATE=postgresql://user@host/db ./worker_example
//
// Each database's rows are declared by its callback, called when this worker has claimed the
// database: the source is read where and when it is synced. With --once the program syncs what is
// due and exits (run it again at once: nothing is due, nothing is sent); without it, it keeps
// serving until Ctrl-C (or SIGTERM), finishing the database in hand first.
//
// By default it runs against notionsync's Notion API emulator, started in this process. With
// NOTION_TOKEN and NOTION_PARENT_PAGE set (a page shared with your integration), it writes to
// Notion.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <notion_emulator/server.hpp>
#include <string>
#include <vector>

#include "notionsync/notionsync.hpp"
#include "notionsync/postgres/worker.hpp"

namespace {

using namespace notionsync;

struct Task {
  std::string title;
  std::string owner;
  int points = 0;
};

Schema<Task> task_schema() {
  return Schema<Task>()
      .title("Title", &Task::title)
      .rich_text("Owner", &Task::owner)
      .number("Points", &Task::points)
      .key(&Task::title);
}

// Where the tasks come from: a file, a query, a service. Read when the database runs.
std::vector<Task> load_tasks() {
  return {{"Write the report", "Ada", 3}, {"Review the draft", "Grace", 2}, {"Ship", "Alan", 1}};
}

Worker* running = nullptr;

extern "C" void stop_running(int) {
  if (running != nullptr) running->stop();  // safe in a signal handler
}

}  // namespace

int main(int argc, char** argv) {
  const bool once = argc > 1 && std::strcmp(argv[1], "--once") == 0;
  const char* state = std::getenv("NOTIONSYNC_STATE");
  if (state == nullptr || *state == '\0') {
    std::fprintf(stderr, "set NOTIONSYNC_STATE to a PostgreSQL URL (postgresql://user@host/db)\n");
    return 2;
  }
  const char* token = std::getenv("NOTION_TOKEN");
  const char* parent = std::getenv("NOTION_PARENT_PAGE");
  const bool live = token != nullptr && *token != '\0' && parent != nullptr && *parent != '\0';

  std::unique_ptr<notion_emulator::Server> emulator;
  WorkerAppSettings app;
  app.app = "worker-example";
  std::string parent_page;
  if (live) {
    app.token = Token::from_env("NOTION_TOKEN");
    parent_page = parent;
  } else {
    emulator = std::make_unique<notion_emulator::Server>(notion_emulator::Options{});
    emulator->start();
    app.token = "secret_notionsync_emulator";
    app.notion.base_url = emulator->base_url();
    parent_page = emulator->root_page_id();
  }

  try {
    Worker worker({.state = state,
                   .interval = std::chrono::minutes(5),
                   .once = once,
                   .on_run =
                       [](const WorkerRunReport& run) {
                         std::printf("%s/%s: %s in %.1f s\n", run.app.c_str(), run.database.c_str(),
                                     run.outcome.c_str(), run.seconds);
                         if (run.report) std::printf("%s", run.report->to_string().c_str());
                       },
                   .log =
                       [](std::string_view line) {
                         std::fprintf(stderr, "worker: %.*s\n", static_cast<int>(line.size()),
                                      line.data());
                       }});
    WorkerApp& example = worker.app(std::move(app));
    example.database(task_schema(), NewDatabase{.parent_page = parent_page, .title = "Tasks"}, {},
                     [](Database<Task>& tasks) {
                       for (const Task& task : load_tasks()) tasks.declare(task);
                     });
    DatabaseSchema tags;
    tags.add({.name = "Name", .type = notion::PropertyType::title}).key("Name");
    example.database(tags, NewDatabase{.parent_page = parent_page, .title = "Tags"}, {},
                     [](Database<Row>& rows) {
                       for (const char* tag : {"urgent", "later"})
                         rows.declare(Row{{"Name", Value(tag)}});
                     });
    running = &worker;
    std::signal(SIGINT, stop_running);
    std::signal(SIGTERM, stop_running);
    const bool ok = worker.run();
    running = nullptr;
    std::printf("worker %s: %s\n", worker.id().c_str(), ok ? "every run ok" : "some runs failed");
    return ok ? 0 : 1;
  } catch (const Error& error) {
    std::fprintf(stderr, "error: %s\n", error.what());
    return 1;
  }
}
