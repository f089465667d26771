// Session: everything a command needs from one config: the state store, the Notion client and
// the app with its targets mounted and their source rows declared.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config.hpp"
#include "notionsync/core/app.hpp"
#include "notionsync/core/state_store.hpp"
#include "notionsync/notion/client.hpp"
#include "source_rows.hpp"

namespace notionsync::cli {

// Whether opening a store may create it.
enum class StoreOpening {
  create,  // sync: a new store is created (with its folder)
  // plan, status, doctor, which write nothing: a SQLite file that does not exist is not created;
  // an empty store in memory stands for it.
  existing_only,
};

// Opens "sqlite:PATH" or "postgresql://..." (throws ConfigError for anything else).
std::unique_ptr<StateStore> open_state_store(const std::string& state,
                                             StoreOpening opening = StoreOpening::create);

// Where the config sends requests (base_url, else NOTION_API_BASE_URL, else Notion), and the
// setting that says so, for messages.
struct NotionAddress {
  std::string url;
  std::string setting;  // "[notion] base_url", "NOTION_API_BASE_URL" or "the default"
};
NotionAddress notion_address(const Config& config);
// A warning when the config sends the token in clear text to another machine (allowed by
// allow_insecure_http); empty otherwise.
std::string insecure_http_warning(const Config& config);

struct SessionOptions {
  std::function<void(std::string_view line)> log;  // client events (retries, pauses), verbose mode
  StoreOpening store_opening = StoreOpening::create;
};

class Session {
 public:
  // Reads the token and opens the store and client. Throws ConfigError (missing token, bad state,
  // a base URL that would send the token in clear text). Warns on stderr when allow_insecure_http
  // lets it do so.
  Session(Config config, SessionOptions options = {});

  // Mounts every target and declares its source rows. Returns per-target read statistics.
  std::vector<DeclareStats> declare_all();

  // Receives the client's pauses (ClientOptions::on_pause) from now on; an empty function stops
  // them. Thread-safe: the client calls it from its own thread.
  void on_pause(std::function<void(std::chrono::milliseconds)> listener);

  const Config& config() const { return config_; }
  StateStore& store() { return *store_; }
  notion::Client& client() { return *client_; }
  App& app() { return *app_; }

 private:
  Config config_;
  std::mutex pause_listener_mutex_;
  std::function<void(std::chrono::milliseconds)> pause_listener_;
  std::unique_ptr<StateStore> store_;
  std::unique_ptr<notion::Client> client_;
  std::unique_ptr<App> app_;
};

}  // namespace notionsync::cli
