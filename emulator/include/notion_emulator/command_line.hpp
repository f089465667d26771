// The emulator's command line, shared by the `notion-emulator` program and `notionsync emulator`,
// so both accept the same flags (docs/emulator.md, "Knobs") and stop the same way:
//
//   CLI::App app{"Notion API emulator"};
//   notion_emulator::CommandLine command_line;
//   notion_emulator::add_command_line_options(app, command_line);
//   CLI11_PARSE(app, argc, argv);
//   return notion_emulator::run_command_line(command_line, std::cout, std::cerr);
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "notion_emulator/server.hpp"

namespace CLI {
class App;
}

namespace notion_emulator {

// What the flags set: the server options plus what only the command line knows.
struct CommandLine {
  Options options;
  std::string port_file;           // written with the port once listening; empty = none
  std::vector<std::string> pages;  // --page values, "ID=TITLE"
  std::string users_file;          // --users: read into options.users
};

// Adds --host --port --port-file --token --person-token --users --rate --burst --latency-ms
// --faults --seed --record --state --root-page --page --query-limit --max-upload-size
// --no-user-emails to `app`, each writing into `command_line`.
void add_command_line_options(CLI::App& app, CommandLine& command_line);

// Serves until SIGINT or SIGTERM, then stops (saving the state file, if any).
// REQUIRES: no other thread of the process may take SIGINT/SIGTERM, i.e. call it before starting
// threads: it blocks both signals in the calling thread before the server's threads start, and
// waits for them with sigwait.
// Prints the base URL and root page id to `out` once listening, then writes the port file
// (atomically). Returns 0 after a signal, 2 for a malformed --page or an unreadable --users file
// (message on `err`), 1 if the server cannot start (message on `err`).
int run_command_line(const CommandLine& command_line, std::ostream& out, std::ostream& err);

}  // namespace notion_emulator
