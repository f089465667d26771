// The engine's overhead on a large no-op sync: `notionsync sync` of a 100,000-row CSV that is
// already in sync (end to end: process start, config, reading and converting the CSV, encoding,
// fingerprints, planning against the SQLite state, the one data source retrieve), against only
// parsing that CSV with notionsync::sources::open_csv. Goal: ratio <= 2.
//
// The emulator runs in-process without a rate limit; the first sync (100,000 creates) is timed but
// not part of the ratio. Each measurement is the best of --repeat runs.
//
//   csv_noop_ratio [--rows 100000] [--repeat 3] [--notionsync PATH]
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <notion_emulator/server.hpp>
#include <string>

#include "bench_process.hpp"
#include "notionsync/sources/csv_source.hpp"

namespace {

double parse_only_seconds(const std::string& path, std::size_t& records) {
  const auto start = std::chrono::steady_clock::now();
  auto source = notionsync::sources::open_csv(path);
  records = 0;
  while (source->next()) ++records;
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  int rows = 100000;
  int repeat = 3;
  std::string notionsync = NOTIONSYNC_PATH;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--rows") {
      rows = std::stoi(argv[i + 1]);
    } else if (flag == "--repeat") {
      repeat = std::stoi(argv[i + 1]);
    } else if (flag == "--notionsync") {
      notionsync = argv[i + 1];
    } else {
      std::cerr << "unknown flag " << flag << "\n";
      return 2;
    }
  }
  std::string pattern = (std::filesystem::temp_directory_path() / "notionsync-ratio-XXXXXX");
  const std::string dir = mkdtemp(pattern.data());
  {
    // Five columns of the kinds a people table has.
    std::ofstream csv(dir + "/people.csv");
    csv << "name,email,age,team,joined\n";
    for (int i = 0; i < rows; ++i) {
      csv << "Person " << i << ",person" << i << "@example.com," << (20 + i % 50) << ",team"
          << (i % 7) << ",2020-" << (1 + i % 12 < 10 ? "0" : "") << (1 + i % 12) << "-1" << (i % 9)
          << "\n";
    }
  }
  notion_emulator::Options options;
  options.rate = 0;
  notion_emulator::Server server(options);
  server.start();
  std::ofstream(dir + "/notionsync.toml")
      << "[app]\nname = \"ratio\"\nstate = \"sqlite:state.db\"\n\n"
      << "[notion]\ntoken_env = \"NOTION_TOKEN\"\nrate = 100000.0\nburst = 100000.0\n\n"
      << "[[target]]\nname = \"people\"\nparent_page_id = \"" << server.root_page_id()
      << "\"\ntitle = \"People\"\nsource = { type = \"csv\", path = \"people.csv\" }\n"
      << "key = [\"email\"]\n[target.properties]\n"
      << "Name   = { column = \"name\",   type = \"title\" }\n"
      << "Email  = { column = \"email\",  type = \"email\" }\n"
      << "Age    = { column = \"age\",    type = \"number\" }\n"
      << "Team   = { column = \"team\",   type = \"select\" }\n"
      << "Joined = { column = \"joined\", type = \"date\" }\n";
  const std::map<std::string, std::string> env = {{"NOTION_TOKEN", "secret_notionsync_emulator"},
                                                  {"NOTION_API_BASE_URL", server.base_url()}};
  const std::vector<std::string> sync = {notionsync, "sync", "--no-progress", "--quiet"};
  const auto first = notionsync::bench::run_process(sync, dir, env);
  if (first.exit_code != 0) {
    std::cerr << "first sync failed:\n" << first.out << first.err;
    return 1;
  }
  std::cerr << "first sync of " << rows << " rows: " << first.seconds << " s\n";

  // The two measurements alternate, so that a stretch of time when the machine is busy (other
  // tenants of a shared host) slows both sides of the ratio rather than one.
  double noop = 1e300;
  double parse = 1e300;
  std::size_t records = 0;
  std::size_t writes = 0;
  for (int i = 0; i < repeat; ++i) {
    server.reset_requests();
    const auto result = notionsync::bench::run_process(sync, dir, env);
    if (result.exit_code != 0) {
      std::cerr << "no-op sync failed:\n" << result.out << result.err;
      return 1;
    }
    noop = std::min(noop, result.seconds);
    writes += server.count("POST", "/v1/pages") + server.count("PATCH", "/v1/pages");
    const double parsed = parse_only_seconds(dir + "/people.csv", records);
    parse = std::min(parse, parsed);
    std::cerr << "round " << i + 1 << ": no-op sync " << result.seconds << " s, parse only "
              << parsed << " s\n";
  }
  std::filesystem::remove_all(dir);

  std::printf(
      "| rows | first sync | no-op sync (end to end) | parse only | ratio | page writes in no-op "
      "|\n");
  std::printf("| --- | --- | --- | --- | --- | --- |\n");
  std::printf("| %zu | %.1f s | %.3f s | %.3f s | %.2f | %zu |\n", records, first.seconds, noop,
              parse, noop / parse, writes);
  return writes == 0 ? 0 : 1;
}
