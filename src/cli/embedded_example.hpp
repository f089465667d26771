// The files of examples/csv_people, built into the binary for `init` and `demo`.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace notionsync::cli {

// (file name, contents) of notionsync.toml, teams.csv and people.csv.
const std::vector<std::pair<std::string, std::string>>& example_files();

}  // namespace notionsync::cli
