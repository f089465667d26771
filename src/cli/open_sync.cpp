#include "open_sync.hpp"

#include <cstdlib>
#include <iostream>

#include "notionsync/notion/client.hpp"
#include "notionsync/notion/database_target.hpp"

namespace notionsync::cli {

std::unique_ptr<StateStore> open_state_store(const std::string& state, bool create) {
  if (!state.starts_with("sqlite:") && !state.starts_with("postgresql://") &&
      !state.starts_with("postgres://")) {
    throw ConfigError("state must be \"sqlite:PATH\" or \"postgresql://...\"");
  }
  try {
    return notionsync::open_state_store(state, create);
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::invalid_argument) throw;
    throw ConfigError(error.what());
  }
}

NotionAddress notion_address(const Config& config) {
  const std::string url = notion::resolve_base_url(config.base_url);
  if (!config.base_url.empty()) return {url, "[notion] base_url"};
  const char* from_env = std::getenv("NOTION_API_BASE_URL");
  return {url, from_env != nullptr && *from_env != '\0' ? "NOTION_API_BASE_URL" : "the default"};
}

std::string insecure_http_warning(const Config& config) {
  const NotionAddress address = notion_address(config);
  if (!config.allow_insecure_http || !address.url.starts_with("http://") ||
      notion::is_loopback_url(address.url)) {
    return "";
  }
  return "the Notion token is sent in clear text to " + address.url + " (" + address.setting +
         ", allowed by allow_insecure_http): anyone on the way can read it";
}

void PauseRelay::listen(std::function<void(std::chrono::milliseconds)> listener) {
  std::lock_guard guard(mutex_);
  listener_ = std::move(listener);
}

void PauseRelay::operator()(std::chrono::milliseconds pause) {
  std::lock_guard guard(mutex_);
  if (listener_) listener_(pause);
}

notion::Token read_checked_token(const Config& config) {
  notion::Token token;
  try {
    token = read_token(config);
  } catch (const ConfigError& error) {
    throw ConfigError(config.path + ": " + error.what());
  }
  // Checked here to name the setting the address came from.
  const NotionAddress address = notion_address(config);
  try {
    notion::check_base_url(address.url, config.allow_insecure_http, address.setting);
  } catch (const Error& error) {
    throw ConfigError(config.path + ": " + error.what());
  }
  if (const std::string warning = insecure_http_warning(config); !warning.empty()) {
    std::cerr << "notionsync: warning: " << warning << "\n";
  }
  return token;
}

std::unique_ptr<Sync> open_sync(const Config& config, const OpenSyncOptions& options) {
  SyncSettings settings;
  settings.notion = config.client_options({});
  settings.notion.log = options.log;
  if (options.pauses != nullptr) {
    settings.notion.on_pause = [relay = options.pauses](std::chrono::milliseconds pause) {
      (*relay)(pause);
    };
  }
  settings.token = read_checked_token(config);
  settings.state = config.state;
  settings.app = config.app_name;
  settings.create_state = options.create_state;
  return std::make_unique<Sync>(std::move(settings));
}

std::vector<DeclareStats> declare_targets(Sync& sync, const Config& config) {
  std::vector<DeclareStats> stats;
  for (const auto& target : config.targets) {
    Database<Row> database =
        add_database(config, target, sync.client(), [&](auto schema, auto location, auto options) {
          return sync.database(std::move(schema), std::move(location), std::move(options));
        });
    stats.push_back(declare_source_rows(target, database));
  }
  return stats;
}

}  // namespace notionsync::cli
