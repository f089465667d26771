// notionsync demo: the csv_people example against the Notion API emulator started in-process.
// A first sync creates two databases; then two rows change (one in its properties and body, one in
// its body alone: the page content) and one is removed, and a second sync shows the reconcile:
// three calls for the two updates, one page trashed, everything else untouched.
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <notion_emulator/server.hpp>
#include <regex>
#include <sstream>

#include "cli_support.hpp"
#include "embedded_example.hpp"
#include "exit_codes.hpp"

namespace notionsync::cli {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// The demo's change between the two syncs: Grace Hopper turns 86 and her notes (the page's body)
// gain a line, Donald Knuth's notes change, Alan Turing leaves.
void edit_people(const fs::path& path) {
  std::string text = read_file(path);
  text = std::regex_replace(text, std::regex("grace@example.com,85,"), "grace@example.com,86,");
  text = std::regex_replace(text, std::regex("- COBOL, later\""),
                            "- COBOL, later\n- Rear admiral, 1985\"");
  text = std::regex_replace(text, std::regex("TeX\\."), "TeX and METAFONT.");
  text = std::regex_replace(text, std::regex("Alan Turing,[^\n]*\n"), "");
  std::ofstream(path) << text;
}

}  // namespace

int run_demo(const GlobalOptions& global, const DemoOptions& options) {
  const bool stay_up = !options.exit_at_once && !global.json && isatty(STDIN_FILENO) == 1 &&
                       isatty(STDOUT_FILENO) == 1;
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  // Before the emulator's threads start, so that only the sigwait below receives Ctrl-C.
  if (stay_up) pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  notion_emulator::Options emulator_options;
  emulator_options.port = options.port;
  notion_emulator::Server emulator(emulator_options);
  emulator.start();

  std::string folder_template = (fs::temp_directory_path() / "notionsync-demo-XXXXXX").string();
  const fs::path folder = mkdtemp(folder_template.data());
  for (const auto& [name, contents] : example_files()) std::ofstream(folder / name) << contents;
  // The example's config reads these, as it would for real Notion; here they point at the emulator.
  setenv("NOTION_TOKEN", emulator_options.token.c_str(), 1);
  setenv("NOTION_PARENT_PAGE", emulator.root_page_id().c_str(), 1);
  setenv("NOTION_API_BASE_URL", emulator.base_url().c_str(), 1);

  GlobalOptions run_options = global;
  run_options.config_path = (folder / "notionsync.toml").string();
  const Style style = stdout_style(global);
  nlohmann::json reports = nlohmann::json::array();
  bool all_ok = true;
  const auto sync_once = [&](const std::string& title) {
    if (!global.json) std::cout << "\n" << style.bold("== " + title) << "\n";
    notion::ClientStats stats;
    const SyncReport report =
        sync_config(load_config(run_options.config_path), run_options, {}, stats);
    all_ok = all_ok && report.ok();
    if (global.json) {
      reports.push_back(report_json(report, stats));
    } else {
      std::cout << render_report(report, stats, style);
    }
  };

  if (!global.json) {
    std::cout << style.bold("notionsync demo")
              << ": examples/csv_people synced into the Notion API "
              << "emulator at " << emulator.base_url() << "\n"
              << style.dim("files and state store in " + folder.string()) << "\n";
  }
  sync_once("1. First sync: teams.csv and people.csv into two new databases");
  edit_people(folder / "people.csv");
  sync_once(
      "2. Grace Hopper's age and notes changed, Donald Knuth's notes changed, and Alan Turing "
      "removed from people.csv");
  sync_once("3. Nothing changed: nothing is written");

  if (global.json) {
    std::cout << nlohmann::json{{"emulator", emulator.base_url()},
                                {"folder", folder.string()},
                                {"runs", reports}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << "\nThe emulator's workspace: " << style.bold(emulator.base_url() + "/") << "\n";
    if (stay_up) std::cout << "It stays up until Ctrl-C.\n";
  }
  std::cout.flush();
  if (stay_up) {
    int received = 0;
    sigwait(&stop_signals, &received);
  }
  emulator.stop();
  return all_ok ? exit_ok : exit_rows_failed;
}

}  // namespace notionsync::cli
