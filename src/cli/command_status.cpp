// notionsync status: what the state store knows, without calling Notion.
#include <iostream>

#include "cli_support.hpp"
#include "exit_codes.hpp"

namespace notionsync::cli {

int run_status(const GlobalOptions& global) {
  const Config config = load_config(global.config_path);
  const auto store = open_state_store(config.state);
  std::vector<AppStatus> apps;
  for (const auto& name : store->apps()) {
    apps.push_back(AppStatus{name, store->targets(name), store->last_run(name)});
  }
  if (global.json) {
    std::cout << status_json(config.state, apps).dump(2) << "\n";
  } else {
    std::cout << render_status(config.state, apps, stdout_style(global));
  }
  return exit_ok;
}

}  // namespace notionsync::cli
