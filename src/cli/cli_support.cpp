#include "cli_support.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

namespace notionsync::cli {

Style stdout_style(const GlobalOptions& global) {
  Style style;
  switch (global.color) {
    case ColorMode::always:
      style.color = true;
      break;
    case ColorMode::never:
      style.color = false;
      break;
    case ColorMode::automatic: {
      const char* term = std::getenv("TERM");
      style.color = isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr &&
                    (term == nullptr || std::string(term) != "dumb");
      break;
    }
  }
  return style;
}

OpenSyncOptions open_sync_options(const GlobalOptions& global, PauseRelay* pauses) {
  OpenSyncOptions options;
  options.pauses = pauses;
  if (global.verbosity > 0) {
    options.log = [](std::string_view line) { std::cerr << "notion: " << line << "\n"; };
  }
  return options;
}

}  // namespace notionsync::cli
