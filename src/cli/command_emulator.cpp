// notionsync emulator: the Notion API emulator with the notion-emulator program's flags, until
// Ctrl-C or SIGTERM. Its view of the workspace is at the printed URL.
#include <iostream>
#include <notion_emulator/command_line.hpp>

#include "commands.hpp"
#include "exit_codes.hpp"

namespace notionsync::cli {

int run_emulator(const notion_emulator::CommandLine& command_line) {
  // run_command_line's codes already mean what notionsync's do: 0 stopped by a signal, 1 could not
  // start (a run-time failure), 2 a malformed flag.
  static_assert(exit_rows_failed == 1 && exit_usage == 2);
  return notion_emulator::run_command_line(command_line, std::cout, std::cerr);
}

}  // namespace notionsync::cli
