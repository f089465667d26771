#include "session.hpp"

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "notionsync/core/sqlite_state_store.hpp"
#include "notionsync/notion/database_target.hpp"
#if NOTIONSYNC_WITH_POSTGRES
#include "notionsync/postgres/state_store.hpp"
#endif

namespace notionsync::cli {

std::unique_ptr<StateStore> open_state_store(const std::string& state, StoreOpening opening) {
  if (state.starts_with("sqlite:")) {
    const std::string path = state.substr(7);
    if (opening == StoreOpening::existing_only && !std::filesystem::exists(path)) {
      return SqliteStateStore::open(":memory:");  // what a new file would hold: nothing
    }
    return SqliteStateStore::open(path);
  }
  if (state.starts_with("postgresql://") || state.starts_with("postgres://")) {
#if NOTIONSYNC_WITH_POSTGRES
    return PostgresStateStore::open(state);
#else
    throw ConfigError(kBuiltWithoutPostgres);
#endif
  }
  throw ConfigError("state must be \"sqlite:PATH\" or \"postgresql://...\"");
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

Session::Session(Config config, SessionOptions options) : config_(std::move(config)) {
  notion::ClientOptions client_options = config_.client_options(read_token(config_));
  client_options.log = std::move(options.log);
  client_options.on_pause = [this](std::chrono::milliseconds pause) {
    std::lock_guard guard(pause_listener_mutex_);
    if (pause_listener_) pause_listener_(pause);
  };
  const NotionAddress address = notion_address(config_);
  try {
    notion::check_base_url(address.url, config_.allow_insecure_http, address.setting);
  } catch (const Error& error) {
    throw ConfigError(config_.path + ": " + error.what());
  }
  if (const std::string warning = insecure_http_warning(config_); !warning.empty()) {
    std::cerr << "notionsync: warning: " << warning << "\n";
  }
  store_ = open_state_store(config_.state, options.store_opening);
  client_ = std::make_unique<notion::Client>(client_options);
  app_ = std::make_unique<App>(config_.app_name, *store_);
}

void Session::on_pause(std::function<void(std::chrono::milliseconds)> listener) {
  std::lock_guard guard(pause_listener_mutex_);
  pause_listener_ = std::move(listener);
}

std::vector<DeclareStats> Session::declare_all() {
  std::vector<DeclareStats> stats;
  for (const auto& target : config_.targets) {
    notion::DatabaseTargetOptions options = target.target_options(*client_);
    TargetHandle* handle = nullptr;
    try {
      handle = &notion::mount_database_target(*app_, target.name, std::move(options));
    } catch (const Error& error) {
      throw ConfigError(config_.path + ": target \"" + target.name + "\": " + error.what());
    }
    stats.push_back(declare_source_rows(target, *handle));
  }
  return stats;
}

}  // namespace notionsync::cli
