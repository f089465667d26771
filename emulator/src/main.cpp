// notion-emulator: runs the Notion API emulator until SIGINT or SIGTERM.
#include <CLI/CLI.hpp>
#include <iostream>

#include "notion_emulator/command_line.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Notion API emulator (API version 2025-09-03 subset). See docs/emulator.md."};
  notion_emulator::CommandLine command_line;
  notion_emulator::add_command_line_options(app, command_line);
  CLI11_PARSE(app, argc, argv);
  return notion_emulator::run_command_line(command_line, std::cout, std::cerr);
}
