// First sync of N rows, each with a page body of a few paragraphs and a list (about 500 bytes of
// Markdown), into a new database, at Notion's rate:
//   notionsync   the notionsync program (CLI, JSONL source, `body = { column = "notes" }`, SQLite
//                state) with its default pacing; measured. Then a re-sync of the same rows.
//   SDK pattern  bench/sdk_baseline/create_then_append.mjs, the way scripts write content with
//                @notionhq/client: pages.create with the properties, then blocks.children.append
//                with the body as blocks. Its creates are sent and measured; its appends are a
//                model: the emulator has no append endpoint, so the script builds each append
//                through the SDK and counts it without sending it (see the script). Its data
//                source is created by this harness (not counted).
// Each tool gets a fresh in-process emulator limiting like Notion (--rate, --burst) with
// --latency-ms added to every request. Calls are counted by endpoint from the emulator's log.
//
//   page_bodies [--rows 1000] [--rate 3] [--burst 10] [--latency-ms 300] [--skip-sdk]
//               [--notionsync PATH] [--sdk-dir DIR] [--node node]
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <notion_emulator/server.hpp>
#include <optional>
#include <string>
#include <vector>

#include "bench_flags.hpp"
#include "bench_process.hpp"
#include "notionsync/notion/client.hpp"
#include "notionsync/notion/endpoints.hpp"
#include "notionsync/notion/pagination.hpp"
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

// A meeting note: a heading, two paragraphs, a list of three and a closing line (about 500 bytes).
std::string body_of_row(int index) {
  const std::string n = std::to_string(index);
  return "## Visit " + n + "\n\n" + "Met the team of account " + n +
         " on site. They run the nightly import on three machines and want the sync to finish "
         "before their morning reports start at seven.\n\n"
         "Open questions: how long the old exports are kept, and who owns the mapping of regions "
         "to teams once the migration is done and the old importer is switched off.\n\n"
         "- Send the import logs of the last week\n"
         "- Check the region mapping of account " +
         n +
         "\n"
         "- Book a follow-up call in two weeks\n\n"
         "Next review after the follow-up call; these notes stay on the page until then.\n";
}

void write_rows(const std::string& path, int count) {
  std::ofstream out(path);
  for (int index = 0; index < count; ++index) {
    out << json{{"name", "Person " + std::to_string(index)},
                {"key", "k" + std::to_string(index)},
                {"score", index * 10},
                {"notes", body_of_row(index)}}
               .dump()
        << "\n";
  }
}

// "PATCH /v1/pages/{id}/markdown": the path with each id replaced and the query string dropped.
std::string endpoint_of(const std::string& method, const std::string& path) {
  std::string endpoint = method + " ";
  const std::string bare = path.substr(0, path.find('?'));
  std::size_t start = 1;
  while (start <= bare.size()) {
    std::size_t end = bare.find('/', start);
    if (end == std::string::npos) end = bare.size();
    const std::string segment = bare.substr(start, end - start);
    const bool is_id = segment.size() >= 32 &&
                       segment.find_first_not_of("0123456789abcdefABCDEF-") == std::string::npos;
    endpoint += "/" + (is_id ? std::string("{id}") : segment);
    start = end + 1;
  }
  return endpoint;
}

struct Measurement {
  std::map<std::string, std::size_t> calls_by_endpoint;  // answered 429 included
  std::size_t calls = 0;
  std::size_t rate_limited = 0;
  double seconds = 0;
  bool ok = true;
  json script_output;  // the SDK script's summary line
};

Measurement measure(const notion_emulator::Server& server, const bench::ProcessResult& result) {
  Measurement measurement;
  measurement.seconds = result.seconds;
  measurement.ok = result.exit_code == 0;
  for (const auto& request : server.requests()) {
    ++measurement.calls;
    if (request.status == 429) ++measurement.rate_limited;
    ++measurement.calls_by_endpoint[endpoint_of(request.method, request.path)];
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

std::string make_temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "notionsync-bench-XXXXXX");
  return mkdtemp(pattern.data());
}

// `markdown` as Notion keeps it: no empty line, no final newline (the bodies have no code fence).
std::string as_kept(const std::string& markdown) {
  std::string kept;
  std::size_t start = 0;
  while (start < markdown.size()) {
    std::size_t end = markdown.find('\n', start);
    if (end == std::string::npos) end = markdown.size();
    if (end > start) kept += (kept.empty() ? "" : "\n") + markdown.substr(start, end - start);
    start = end + 1;
  }
  return kept;
}

// Whether the last row's page holds its body: the calls counted did write the bodies. Three
// calls, made after the run was measured.
bool last_page_has_its_body(const notion_emulator::Server& server, const Settings& settings) {
  notion::ClientOptions client_options;
  client_options.token = "secret_notionsync_emulator";
  client_options.base_url = server.base_url();
  notion::Client client(client_options);
  for (const auto& child : notion::list_all_block_children(client, server.root_page_id())) {
    if (child.value("type", "") != "child_database") continue;
    const json database =
        client.call(notion::endpoints::retrieve_database(child.at("id").get<std::string>()));
    const std::string data_source_id = database.at("data_sources").at(0).at("id");
    const std::string last = "Person " + std::to_string(settings.rows - 1);
    for (const auto& page : server.pages(data_source_id, false)) {
      if (page["properties"]["Name"]["title"][0]["plain_text"] != last) continue;
      const json body =
          client.call(notion::endpoints::retrieve_page_markdown(page.at("id").get<std::string>()));
      if (body.at("markdown") == as_kept(body_of_row(settings.rows - 1))) return true;
      std::cerr << "the body of " << last << " is not the row's:\n" << body.dump(2) << "\n";
      return false;
    }
  }
  std::cerr << "no page for the last row\n";
  return false;
}

// The first sync, then a re-sync of the same rows.
std::vector<Measurement> run_notionsync(const Settings& settings) {
  notion_emulator::Server server(emulator_options(settings));
  server.start();
  const std::string dir = make_temp_dir();
  write_rows(dir + "/notes.jsonl", settings.rows);
  std::ofstream(dir + "/notionsync.toml")
      << "[app]\nname = \"bench\"\nstate = \"sqlite:state.db\"\n\n"
      << "[notion]\ntoken_env = \"NOTION_TOKEN\"\nrate = " << settings.rate
      << "\nburst = " << std::max(3.0, settings.rate) << "\n\n"
      << "[[target]]\nname = \"notes\"\nparent_page_id = \"" << server.root_page_id()
      << "\"\ntitle = \"Notes\"\nsource = { type = \"jsonl\", path = \"notes.jsonl\" }\n"
      << "key = [\"key\"]\nbody = { column = \"notes\" }\n[target.properties]\n"
      << "Name  = { column = \"name\",  type = \"title\" }\n"
      << "Key   = { column = \"key\",   type = \"rich_text\" }\n"
      << "Score = { column = \"score\", type = \"number\" }\n";
  const std::map<std::string, std::string> env = {{"NOTION_TOKEN", "secret_notionsync_emulator"},
                                                  {"NOTION_API_BASE_URL", server.base_url()}};
  std::vector<Measurement> results;
  for (const char* run : {"first sync", "re-sync"}) {
    server.reset_requests();
    const auto result =
        bench::run_process({settings.notionsync, "sync", "--no-progress", "--quiet"}, dir, env);
    if (result.exit_code != 0) std::cerr << "notionsync failed:\n" << result.out << result.err;
    results.push_back(measure(server, result));
    std::cerr << "notionsync " << run << ": " << results.back().calls << " calls, "
              << result.seconds << " s\n";
    if (results.size() == 1) results.back().ok &= last_page_has_its_body(server, settings);
  }
  std::filesystem::remove_all(dir);
  return results;
}

Measurement run_sdk(const Settings& settings) {
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
      notion::endpoints::create_database(server.root_page_id(), "Notes",
                                         {{"Name", schema(notion::PropertyType::title)},
                                          {"Key", schema(notion::PropertyType::rich_text)},
                                          {"Score", schema(notion::PropertyType::number)}}));
  const std::string data_source_id = database.at("data_sources").at(0).at("id");
  const std::string dir = make_temp_dir();
  write_rows(dir + "/notes.jsonl", settings.rows);
  const std::map<std::string, std::string> env = {{"NOTION_TOKEN", "secret_notionsync_emulator"},
                                                  {"NOTION_API_BASE_URL", server.base_url()}};
  server.reset_requests();
  const auto result =
      bench::run_process({settings.node, settings.sdk_dir + "/create_then_append.mjs",
                          data_source_id, dir + "/notes.jsonl"},
                         dir, env);
  if (result.exit_code != 0) std::cerr << "sdk script failed:\n" << result.out << result.err;
  Measurement measurement = measure(server, result);
  const auto line = result.out.find('{');
  measurement.script_output = line == std::string::npos
                                  ? json::object()
                                  : json::parse(result.out.substr(line), nullptr, false);
  if (measurement.script_output.is_discarded()) measurement.script_output = json::object();
  std::cerr << "sdk pattern: " << measurement.calls << " calls sent, " << result.seconds << " s, "
            << result.out;
  std::filesystem::remove_all(dir);
  return measurement;
}

std::string count_text(const Measurement& measurement, const std::string& endpoint) {
  const auto found = measurement.calls_by_endpoint.find(endpoint);
  return std::to_string(found == measurement.calls_by_endpoint.end() ? 0 : found->second);
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  bench::Flags flags("page_bodies");
  flags.rate_flags(settings).program_flags(settings);
  flags.parse(argc, argv);
  const auto ours = run_notionsync(settings);
  std::optional<Measurement> sdk;
  if (!settings.skip_sdk) sdk = run_sdk(settings);

  std::cout << "Emulator: " << settings.rate << " requests/s, burst " << settings.burst << ", "
            << settings.latency_ms << " ms added latency; " << settings.rows << " rows, bodies of "
            << body_of_row(0).size() << " to " << body_of_row(settings.rows - 1).size()
            << " bytes of Markdown.\n\n";

  std::cout << "Calls by endpoint (429 answers included):\n\n"
            << "| endpoint | notionsync, first sync | notionsync, re-sync |"
            << (sdk ? " SDK pattern |" : "") << "\n| --- | --- | --- |" << (sdk ? " --- |" : "")
            << "\n";
  std::map<std::string, bool> endpoints;
  for (const auto& run : ours) {
    for (const auto& [endpoint, n] : run.calls_by_endpoint) endpoints[endpoint] = true;
  }
  if (sdk) {
    for (const auto& [endpoint, n] : sdk->calls_by_endpoint) endpoints[endpoint] = true;
  }
  for (const auto& [endpoint, unused] : endpoints) {
    std::cout << "| `" << endpoint << "` | " << count_text(ours[0], endpoint) << " | "
              << count_text(ours[1], endpoint) << " |";
    if (sdk) std::cout << " " << count_text(*sdk, endpoint) << " |";
    std::cout << "\n";
  }
  std::size_t appends = 0;
  if (sdk) {
    appends = sdk->script_output.value("appends_not_sent", std::size_t{0});
    std::cout << "| `PATCH /v1/blocks/{id}/children` (model: built by the SDK, not sent) | 0 | 0 | "
              << appends << " (" << sdk->script_output.value("append_blocks", std::size_t{0})
              << " blocks, " << sdk->script_output.value("append_bytes", std::size_t{0})
              << " bytes) |\n";
  }
  std::cout << "| all | " << ours[0].calls << " (" << ours[0].rate_limited << " answered 429) | "
            << ours[1].calls << " |";
  if (sdk) {
    std::cout << " " << sdk->calls + appends << " (" << sdk->calls << " sent, " << sdk->rate_limited
              << " answered 429; " << appends << " modelled) |";
  }
  std::cout << "\n\nTime:\n\n| | time |\n| --- | --- |\n"
            << "| notionsync, first sync (measured) | " << bench::seconds_text(ours[0].seconds) << " |\n"
            << "| notionsync, re-sync (measured) | " << bench::seconds_text(ours[1].seconds) << " |\n";
  if (sdk) {
    const double model = static_cast<double>(sdk->calls + appends) / settings.rate;
    std::cout << "| SDK pattern, its creates alone (measured, appends answered without sending) | "
              << bench::seconds_text(sdk->seconds) << " |\n"
              << "| SDK pattern, creates and appends (model: all its calls / " << settings.rate
              << " per s, a lower bound) | " << bench::seconds_text(model) << " |\n";
  }
  const bool ok = ours[0].ok && ours[1].ok && (!sdk || sdk->ok);
  return ok ? 0 : 1;
}
