// notionsync init: writes a commented notionsync.toml and sample CSV files to start from.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "commands.hpp"
#include "embedded_example.hpp"
#include "exit_codes.hpp"

namespace notionsync::cli {

int run_init(const GlobalOptions&, const std::string& directory, bool force) {
  namespace fs = std::filesystem;
  const fs::path folder = directory.empty() ? fs::path(".") : fs::path(directory);
  if (!force) {
    for (const auto& [name, contents] : example_files()) {
      if (fs::exists(folder / name)) {
        std::cerr << "notionsync: " << (folder / name).string()
                  << " already exists; pass --force to overwrite it\n";
        return exit_usage;
      }
    }
  }
  fs::create_directories(folder);
  for (const auto& [name, contents] : example_files()) {
    std::ofstream(folder / name) << contents;
    std::cout << "wrote " << (folder / name).string() << "\n";
  }
  std::cout << "\nNext:\n"
               "  export NOTION_TOKEN=ntn_...            # your integration's secret\n"
               "  export NOTION_PARENT_PAGE=<page id>    # a page shared with the integration\n"
               "  notionsync doctor                      # checks access and the config\n"
               "  notionsync plan                        # what a sync would do\n"
               "  notionsync sync\n";
  return exit_ok;
}

}  // namespace notionsync::cli
