// Session: everything a command needs from one config: the state store, the Notion client and
// the app with its targets mounted and their source rows declared.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config.hpp"
#include "notionsync/core/app.hpp"
#include "notionsync/core/state_store.hpp"
#include "notionsync/notion/client.hpp"
#include "source_rows.hpp"

namespace notionsync::cli {

// Opens "sqlite:PATH" or "postgresql://..." (throws ConfigError for anything else).
std::unique_ptr<StateStore> open_state_store(const std::string& state);

struct SessionOptions {
  std::function<void(std::string_view line)> log;  // client events (retries, pauses), verbose mode
};

class Session {
 public:
  // Reads the token and opens the store and client. Throws ConfigError (missing token, bad state).
  Session(Config config, SessionOptions options = {});

  // Mounts every target and declares its source rows. Returns per-target read statistics.
  std::vector<DeclareStats> declare_all();

  const Config& config() const { return config_; }
  StateStore& store() { return *store_; }
  notion::Client& client() { return *client_; }
  App& app() { return *app_; }

 private:
  Config config_;
  std::unique_ptr<StateStore> store_;
  std::unique_ptr<notion::Client> client_;
  std::unique_ptr<App> app_;
};

}  // namespace notionsync::cli
