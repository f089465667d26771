// notionsync status: what the state store knows, without calling Notion.
#include <iostream>

#include "cli_support.hpp"
#include "exit_codes.hpp"
#if NOTIONSYNC_WITH_POSTGRES
#include "notionsync/postgres/state_store.hpp"
#include "notionsync/postgres/worker_board.hpp"
#include "worker_status.hpp"
#endif

namespace notionsync::cli {

int run_status(const GlobalOptions& global) {
  // The store alone: no token, no target, nor the environment variables they name; and a store
  // that does not exist yet is not created.
  const Config config = load_config(global.config_path, ConfigParts::app_only);
  const auto store = open_state_store(config.state, /*create=*/false);
  std::vector<AppStatus> apps;
  for (const auto& name : store->apps()) {
    apps.push_back(AppStatus{name, store->targets(name), store->last_run(name)});
  }
#if NOTIONSYNC_WITH_POSTGRES
  // A PostgreSQL store also shows its workers, and its URL without the password.
  auto* postgres = dynamic_cast<PostgresStateStore*>(store.get());
  const std::string state = postgres ? postgres->redacted_url() : config.state;
  std::optional<WorkersStatus> workers;
  if (postgres) {
    const auto board = WorkerBoard::open(config.state, {.schema = postgres->schema()});
    workers = WorkersStatus{board->workers(), board->claims()};
  }
  if (global.json) {
    auto json = status_json(state, apps);
    if (workers) json.update(workers_json(*workers));
    std::cout << json.dump(2) << "\n";
  } else {
    std::cout << render_status(state, apps, stdout_style(global));
    if (workers) std::cout << render_workers(*workers, stdout_style(global));
  }
#else
  if (global.json) {
    std::cout << status_json(config.state, apps).dump(2) << "\n";
  } else {
    std::cout << render_status(config.state, apps, stdout_style(global));
  }
#endif
  return exit_ok;
}

}  // namespace notionsync::cli
