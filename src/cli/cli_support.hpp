// Small pieces shared by the commands: output style, session options, the sync itself.
#pragma once

#include "commands.hpp"
#include "notionsync/core/app.hpp"
#include "output.hpp"
#include "session.hpp"

namespace notionsync::cli {

// Colour on stdout per --color (auto: a terminal, and NO_COLOR unset).
Style stdout_style(const GlobalOptions& global);

// Client log lines go to stderr in verbose mode.
SessionOptions session_options(const GlobalOptions& global);

// Declares the session's rows and syncs them, drawing progress on stderr when enabled.
SyncReport sync_session(Session& session, const GlobalOptions& global,
                        const SyncCommandOptions& options);

}  // namespace notionsync::cli
