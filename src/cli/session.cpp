#include "session.hpp"

#include "notionsync/core/postgres_state_store.hpp"
#include "notionsync/core/sqlite_state_store.hpp"
#include "notionsync/notion/database_target.hpp"

namespace notionsync::cli {

std::unique_ptr<StateStore> open_state_store(const std::string& state) {
  if (state.starts_with("sqlite:")) return SqliteStateStore::open(state.substr(7));
  if (state.starts_with("postgresql://") || state.starts_with("postgres://")) {
    return PostgresStateStore::open(state);
  }
  throw ConfigError("state must be \"sqlite:PATH\" or \"postgresql://...\"");
}

Session::Session(Config config, SessionOptions options) : config_(std::move(config)) {
  notion::ClientOptions client_options = config_.client_options(read_token(config_));
  client_options.log = std::move(options.log);
  store_ = open_state_store(config_.state);
  client_ = std::make_unique<notion::Client>(client_options);
  app_ = std::make_unique<App>(config_.app_name, *store_);
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
