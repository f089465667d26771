// The emulator's flags and its run-until-a-stop-signal loop.
#include "notion_emulator/command_line.hpp"

#include <arpa/inet.h>
#include <pthread.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>

namespace notion_emulator {
namespace {

// True for the addresses only this machine reaches: 127.0.0.0/8, ::1 and localhost.
bool is_loopback_host(const std::string& host) {
  if (host == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

// Writes the port to a temporary file and renames it, so a reader never sees a partial number.
void write_port_file(const std::string& path, int port) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary);
    out << port << '\n';
  }
  std::rename(temporary.c_str(), path.c_str());
}

}  // namespace

void add_command_line_options(CLI::App& app, CommandLine& command_line) {
  Options& options = command_line.options;
  app.add_option("--host", options.host, "Address to bind")->capture_default_str();
  app.add_option("--port", options.port, "Port to listen on; 0 picks a free port")
      ->capture_default_str();
  app.add_option("--port-file", command_line.port_file,
                 "Write the port to this file once listening");
  app.add_option("--token", options.token, "The integration's bearer token")->capture_default_str();
  app.add_option("--person-token", options.person_token,
                 "A second token that acts as the workspace's first person");
  app.add_option("--users", command_line.users_file,
                 "JSON file of the workspace's people and other bots: {\"users\": [...]}");
  app.add_option("--rate", options.rate, "Average requests per second; 0 = unlimited")
      ->capture_default_str();
  app.add_option("--burst", options.burst, "Requests allowed in a burst")->capture_default_str();
  app.add_option("--latency-ms", options.latency_ms, "Added to each request")
      ->capture_default_str();
  app.add_option("--faults", options.faults,
                 "Fault spec, e.g. '429:0.1,reset_after@POST /v1/pages#1'");
  app.add_option("--seed", options.seed, "Seed for random faults")->capture_default_str();
  app.add_option("--record", options.record_path, "Record every exchange to this JSONL file");
  app.add_option("--state", options.state_path, "Load the workspace from and save it to this file");
  app.add_option("--root-page", options.root_page_id, "Id of the shared root page");
  app.add_option("--page", command_line.pages, "Another shared page, as ID=TITLE (repeatable)");
  app.add_option("--query-limit", options.query_result_limit,
                 "Results one query may page through before it is reported incomplete")
      ->capture_default_str();
  app.add_option("--max-upload-size", options.max_file_upload_size,
                 "Largest file one upload may hold, in bytes (users/me's workspace limit)")
      ->capture_default_str();
  app.add_flag("!--no-user-emails", options.user_emails,
               "Leave people's emails out, as Notion does for an integration without the "
               "capability to read them");
  app.set_version_flag("-V,--version",
                       "notion-emulator: the Notion API emulator of notionsync (Notion API "
                       "2025-09-03 and 2026-03-11)");
}

int run_command_line(const CommandLine& command_line, std::ostream& out, std::ostream& err) {
  Options options = command_line.options;
  for (const std::string& page : command_line.pages) {
    const auto equals = page.find('=');
    if (equals == std::string::npos) {
      err << "notion-emulator: --page wants ID=TITLE, got " << page << '\n';
      return 2;
    }
    options.extra_pages.emplace_back(page.substr(0, equals), page.substr(equals + 1));
  }

  if (!command_line.users_file.empty()) {
    try {
      options.users = read_workspace_users(command_line.users_file);
    } catch (const std::exception& error) {
      err << "notion-emulator: " << error.what() << '\n';
      return 2;
    }
  }

  if (!is_loopback_host(options.host)) {
    // Said before binding, so it is said even when the bind fails.
    err << "notion-emulator: warning: --host " << options.host
        << " is not a loopback address: the emulator's admin endpoints (/__emulator/...) have no "
           "authentication, so anyone who can reach it can read, change or reset the workspace; "
           "use 127.0.0.1 unless this network is yours alone\n";
  }

  // Block the stop signals before any thread starts, so only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  Server server(options);
  try {
    server.start();
  } catch (const std::exception& error) {
    err << "notion-emulator: " << error.what() << '\n';
    return 1;
  }
  out << "notion-emulator listening on " << server.base_url() << '\n'
      << "root page: " << server.root_page_id() << std::endl;
  if (!command_line.port_file.empty()) write_port_file(command_line.port_file, server.port());

  int received = 0;
  sigwait(&stop_signals, &received);
  server.stop();
  return 0;
}

}  // namespace notion_emulator
