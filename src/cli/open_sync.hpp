// The front door (notionsync::Sync) opened from a notionsync.toml: [app] and [notion] give its
// settings, each [[target]] a database declared from its source.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config.hpp"
#include "notionsync/core/state_store.hpp"
#include "notionsync/notion/database_target.hpp"
#include "notionsync/sync.hpp"
#include "source_rows.hpp"

namespace notionsync::cli {

// Opens the config's state ("sqlite:PATH" or "postgresql://..."); with `create` false, a SQLite
// file that does not exist is not created (plan, status and doctor write nothing).
std::unique_ptr<StateStore> open_state_store(const std::string& state, bool create = true);

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

// Passes the client's pauses (ClientOptions::on_pause) to whoever listens at the time: the
// progress display, while a sync runs. Thread-safe: the client calls it from its own thread.
class PauseRelay {
 public:
  void listen(std::function<void(std::chrono::milliseconds)> listener);
  void operator()(std::chrono::milliseconds pause);

 private:
  std::mutex mutex_;
  std::function<void(std::chrono::milliseconds)> listener_;
};

// Reads the config's token and checks where it would be sent. Throws ConfigError (no token, a base
// URL that would send it in clear text), naming the config file. Warns on stderr when
// allow_insecure_http lets the token go in clear text.
notion::Token read_checked_token(const Config& config);

struct OpenSyncOptions {
  std::function<void(std::string_view line)> log;  // client events (retries, pauses), verbose mode
  bool create_state = true;                        // false: plan, doctor
  PauseRelay* pauses = nullptr;                    // must outlive the Sync
};

// Reads the token (read_checked_token) and opens the Sync. Throws ConfigError as it does, and
// for a state that cannot be opened.
std::unique_ptr<Sync> open_sync(const Config& config, const OpenSyncOptions& options = {});

// Adds the [[target]]'s database through `add` (Sync::database, WorkerApp::database) called with
// its schema, location and options, after checking every setting with `client`'s options
// (notion::validate_options: also those a location has no place for, such as a parent page given
// with managed_by = "user"). Invalid settings become a ConfigError naming the config and the
// target.
template <typename Add>
Database<Row> add_database(const Config& config, const TargetConfig& target, notion::Client& client,
                           Add&& add) {
  try {
    notion::validate_options(target.target_options(client));
    return add(target.schema(), target.location(), target.database_options());
  } catch (const Error& error) {
    if (error.kind() != ErrorKind::invalid_argument) throw;
    throw ConfigError(config.path + ": target \"" + target.name + "\": " + error.what());
  }
}

// Adds a database per [[target]] and declares its source rows. Returns per-target read counts.
std::vector<DeclareStats> declare_targets(Sync& sync, const Config& config);

}  // namespace notionsync::cli
