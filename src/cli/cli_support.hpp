// Small pieces shared by the commands: output style, how a Sync is opened, the sync itself.
#pragma once

#include "commands.hpp"
#include "notionsync/core/app.hpp"
#include "output.hpp"
#include "open_sync.hpp"

namespace notionsync::cli {

// Colour on stdout per --color (auto: a terminal, and NO_COLOR unset).
Style stdout_style(const GlobalOptions& global);

// Client log lines go to stderr in verbose mode; the client's pauses to `pauses`.
OpenSyncOptions open_sync_options(const GlobalOptions& global, PauseRelay* pauses = nullptr);

// Opens the config's Sync, declares its targets' rows and syncs them, drawing progress on stderr
// when enabled. `stats` receives the client's counters after the sync.
SyncReport sync_config(const Config& config, const GlobalOptions& global,
                       const SyncCommandOptions& options, notion::ClientStats& stats);

}  // namespace notionsync::cli
