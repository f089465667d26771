// notion-emulator: runs the Notion API emulator until SIGINT or SIGTERM.
#include <CLI/CLI.hpp>
#include <iostream>

#include "notion_emulator/command_line.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Notion API emulator (API version 2025-09-03 subset). See docs/emulator.md."};
  notion_emulator::CommandLine command_line;
  notion_emulator::add_command_line_options(app, command_line);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help and --version end here too, with 0; a bad flag is a usage error, 2, as for
    // notionsync (CLI11's own codes differ per kind of mistake).
    return app.exit(error) == 0 ? 0 : 2;
  }
  return notion_emulator::run_command_line(command_line, std::cout, std::cerr);
}
