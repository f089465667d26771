// Calls and wall time of the five sync scenarios of issue 9, side by side in one run:
//   notionsync   the notionsync program (CLI), its state in SQLite;
//   reference    the reference connector's call model (CocoIndex PR #2049, seed-semantics §2.4),
//                counted from its algorithm, not run: one query per new, changed or removed row
//                plus the write, no page ids stored, no call for unchanged rows, and 3
//                database-level calls per run (list the parent's children, retrieve the database,
//                retrieve the data source);
//   sdk script   bench/sdk_baseline/sync.mjs, a plain @notionhq/client script: for every row a
//                query by key then an update or a create, then a paginated listing that trashes
//                pages of removed rows. Its data source is created by this harness (not counted).
// Each of notionsync and the SDK script gets a fresh in-process emulator limiting like Notion
// (--rate, --burst) with --latency-ms added to every request. Scenarios, in order: first sync of
// N rows; no-op re-sync; adopting the N existing pages with an empty state (state file deleted);
// 10% of rows updated; 10% of rows removed.
//
//   sync_scenarios [--rows 1000] [--rate 3] [--burst 10] [--latency-ms 300] [--skip-sdk]
//                  [--notionsync PATH] [--sdk-dir DIR] [--node node]
#include <stdlib.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <notion_emulator/server.hpp>
#include <string>
#include <vector>

#include "bench_flags.hpp"
#include "bench_people.hpp"
#include "bench_process.hpp"
#include "notionsync/notion/client.hpp"
#include "notionsync/notion/endpoints.hpp"
#include "notionsync/notion/property_schema.hpp"

namespace {

using namespace notionsync;
using nlohmann::json;

struct Settings {
  int rows = 1000;
  double rate = 3.0;
  int burst = 10;
  int latency_ms = 300;
  bool skip_sdk = false;
  std::string notionsync = NOTIONSYNC_PATH;
  std::string sdk_dir = SDK_BASELINE_DIR;
  std::string node = "node";
};

using bench::PersonRow;

enum class Scenario { first, noop, adopt, updated, removed };
constexpr Scenario kScenarios[] = {Scenario::first, Scenario::noop, Scenario::adopt,
                                   Scenario::updated, Scenario::removed};

const char* name_of(Scenario scenario, int rows) {
  static std::string names[5];
  const std::string n = std::to_string(rows);
  names[0] = "first sync of " + n + " rows";
  names[1] = "no-op re-sync";
  names[2] = "adopt " + n + " existing pages, empty state";
  names[3] = "10% updated";
  names[4] = "10% removed";
  return names[static_cast<int>(scenario)].c_str();
}

// The declared rows after each scenario: v1 for the first three, then every tenth row changed,
// then every tenth row (another tenth) removed.
std::vector<PersonRow> rows_for(Scenario scenario, int count) {
  std::vector<PersonRow> rows;
  for (int index = 0; index < count; ++index) {
    PersonRow row{index, index * 10};
    if (scenario == Scenario::updated || scenario == Scenario::removed) {
      if (index % 10 == 3) row.score += 1;
    }
    if (scenario == Scenario::removed && index % 10 == 7) continue;
    rows.push_back(row);
  }
  return rows;
}

struct Measurement {
  std::size_t calls = 0;
  std::size_t queries = 0;
  std::size_t writes = 0;  // POST /v1/pages, PATCH /v1/pages
  std::size_t rate_limited = 0;
  double seconds = 0;
  bool ok = true;
};

Measurement count(const notion_emulator::Server& server, double seconds, bool ok) {
  Measurement measurement;
  measurement.seconds = seconds;
  measurement.ok = ok;
  for (const auto& request : server.requests()) {
    ++measurement.calls;
    if (request.status == 429) ++measurement.rate_limited;
    if (request.method == "POST" && request.path.find("/query") != std::string::npos) {
      ++measurement.queries;
    }
    if (request.path.rfind("/v1/pages", 0) == 0 && request.method != "GET") ++measurement.writes;
  }
  return measurement;
}

notion_emulator::Options emulator_options(const Settings& settings) {
  notion_emulator::Options options;
  options.rate = settings.rate;
  options.burst = settings.burst;
  options.latency_ms = settings.latency_ms;
  return options;
}

std::vector<Measurement> run_notionsync(const Settings& settings) {
  notion_emulator::Server server(emulator_options(settings));
  server.start();
  const std::string dir = bench::make_temp_dir();
  bench::write_people_config(dir, server.root_page_id(), settings.rate,
                             std::max(3.0, settings.rate));
  const std::map<std::string, std::string> env = {{"NOTION_TOKEN", "secret_notionsync_emulator"},
                                                  {"NOTION_API_BASE_URL", server.base_url()}};
  std::vector<Measurement> results;
  for (const auto scenario : kScenarios) {
    bench::write_people_csv(dir + "/people.csv", rows_for(scenario, settings.rows));
    if (scenario == Scenario::adopt) {
      for (const char* suffix : {"", "-wal", "-shm"}) {
        std::filesystem::remove(dir + "/state.db" + suffix);
      }
    }
    server.reset_requests();
    const auto result =
        bench::run_process({settings.notionsync, "sync", "--no-progress", "--quiet"}, dir, env);
    if (result.exit_code != 0) std::cerr << "notionsync failed:\n" << result.out << result.err;
    results.push_back(count(server, result.seconds, result.exit_code == 0));
    std::cerr << "notionsync: " << name_of(scenario, settings.rows) << ": " << results.back().calls
              << " calls, " << result.seconds << " s\n";
  }
  std::filesystem::remove_all(dir);
  return results;
}

std::vector<Measurement> run_sdk(const Settings& settings) {
  notion_emulator::Server server(emulator_options(settings));
  server.start();
  notion::ClientOptions client_options;
  client_options.token = "secret_notionsync_emulator";
  client_options.base_url = server.base_url();
  notion::Client client(client_options);
  const auto schema = [](notion::PropertyType type) {
    notion::PropertySchema property;
    property.type = type;
    return notion::encode_property_schema(property);
  };
  const json database = client.call(
      notion::endpoints::create_database(server.root_page_id(), "People",
                                         {{"Name", schema(notion::PropertyType::title)},
                                          {"Key", schema(notion::PropertyType::rich_text)},
                                          {"Score", schema(notion::PropertyType::number)}}));
  const std::string data_source_id = database.at("data_sources").at(0).at("id");
  const std::string dir = bench::make_temp_dir();
  const std::map<std::string, std::string> env = {{"NOTION_TOKEN", "secret_notionsync_emulator"},
                                                  {"NOTION_API_BASE_URL", server.base_url()}};
  std::vector<Measurement> results;
  for (const auto scenario : kScenarios) {
    bench::write_people_csv(dir + "/people.csv", rows_for(scenario, settings.rows));
    server.reset_requests();
    const auto result = bench::run_process(
        {settings.node, settings.sdk_dir + "/sync.mjs", data_source_id, dir + "/people.csv"}, dir,
        env);
    if (result.exit_code != 0) std::cerr << "sdk script failed:\n" << result.out << result.err;
    results.push_back(count(server, result.seconds, result.exit_code == 0));
    std::cerr << "sdk script: " << name_of(scenario, settings.rows) << ": " << results.back().calls
              << " calls, " << result.seconds << " s\n";
  }
  std::filesystem::remove_all(dir);
  return results;
}

// The reference connector's calls, from its algorithm (see the header comment).
std::vector<Measurement> model_reference(const Settings& settings) {
  const std::size_t rows = static_cast<std::size_t>(settings.rows);
  const std::size_t tenth = rows / 10;
  const std::size_t database_level = 3;
  // Row-level calls per scenario: first sync: every row new (query miss + create); no-op: none;
  // adopt with empty state: every row an upsert (query hit + update); updated/removed: query +
  // write per row.
  const std::size_t row_calls[] = {2 * rows, 0, 2 * rows, 2 * tenth, 2 * tenth};
  std::vector<Measurement> results;
  for (const std::size_t calls : row_calls) {
    Measurement measurement;
    measurement.calls = calls + database_level;
    measurement.queries = calls / 2;
    measurement.writes = calls / 2;
    // A lower bound: the rate limit, or its concurrency cap of 3 with the added latency.
    measurement.seconds =
        std::max(static_cast<double>(measurement.calls) / settings.rate,
                 static_cast<double>(measurement.calls) * settings.latency_ms / 1000.0 / 3.0);
    results.push_back(measurement);
  }
  return results;
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  bench::Flags flags("sync_scenarios");
  flags.rate_flags(settings).program_flags(settings);
  flags.parse(argc, argv);
  const auto ours = run_notionsync(settings);
  const auto reference = model_reference(settings);
  const auto sdk = settings.skip_sdk ? std::vector<Measurement>{} : run_sdk(settings);

  std::cout << "Emulator: " << settings.rate << " requests/s, burst " << settings.burst << ", "
            << settings.latency_ms << " ms added latency; " << settings.rows << " rows.\n\n";
  std::cout << "| scenario | notionsync calls | notionsync time | reference model calls | "
               "reference model time (lower bound) | SDK script calls | SDK script time |\n"
            << "| --- | --- | --- | --- | --- | --- | --- |\n";
  bool ok = true;
  for (std::size_t i = 0; i < ours.size(); ++i) {
    const auto scenario = kScenarios[i];
    std::cout << "| " << name_of(scenario, settings.rows) << " | " << ours[i].calls << " ("
              << ours[i].queries << " queries) | " << bench::seconds_text(ours[i].seconds) << " | "
              << reference[i].calls << " | " << bench::seconds_text(reference[i].seconds) << " | ";
    if (sdk.empty()) {
      std::cout << "- | - |\n";
    } else {
      std::cout << sdk[i].calls << " (" << sdk[i].queries << " queries, " << sdk[i].rate_limited
                << " answered 429) | " << bench::seconds_text(sdk[i].seconds) << " |\n";
      ok = ok && sdk[i].ok;
    }
    ok = ok && ours[i].ok;
  }
  return ok ? 0 : 1;
}
