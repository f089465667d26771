// What drift checking costs, at Notion's rate: N synced rows, then syncs after people changed
// none, ten, or every page in Notion (through the emulator's person token), with on_drift =
// restore, and a no-op with on_drift = ignore. Each scenario reports the Notion calls by kind, the
// wall time and whether Notion ends up holding the declared rows. The reference connector's model
// (CocoIndex PR #2049) never looks: its calls are those of a no-op, and edited pages stay edited.
//
// The drift query asks for pages edited since two minutes before the last check (Notion rounds
// last_edited_time down to the minute, and clocks differ), and the last check comes before that
// sync's writes: the sync after one that wrote W pages reads them back once (W/100 queries). The
// first scenario is that read-back of the first sync's pages; the bench waits first (--settle-s,
// more than the two minutes) so that the next no-op is the steady state: one sync after another,
// each more than two minutes after the last write, with nothing written in between.
//
//   drift_costs [--rows 1000] [--rate 3] [--burst 10] [--latency-ms 300] [--edited 10]
//               [--settle-s 125]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <notion_emulator/server.hpp>
#include <string>
#include <thread>
#include <vector>

#include "bench_flags.hpp"
#include "notionsync/core/app.hpp"
#include "notionsync/core/sqlite_state_store.hpp"
#include "notionsync/notion/database_target.hpp"
#include "notionsync/notion/endpoints.hpp"
#include "notionsync/notion/property_value_codec.hpp"

namespace {

using namespace notionsync;

struct Settings {
  int rows = 1000;
  double rate = 3.0;
  int burst = 10;
  int latency_ms = 300;
  int edited = 10;
  int settle_s = 125;
};

constexpr const char* kPersonToken = "secret_drift_bench_person";

notion::DatabaseSchema schema() {
  notion::DatabaseSchema schema;
  schema.add({.name = "Name", .type = notion::PropertyType::title, .field = "name"})
      .add({.name = "Age", .type = notion::PropertyType::number, .field = "age"})
      .key("name");
  return schema;
}

class Bench {
 public:
  explicit Bench(const Settings& settings) : settings_(settings), server_(emulator_options()) {
    server_.start();
    notion::ClientOptions options;
    options.token = "secret_notionsync_emulator";
    options.base_url = server_.base_url();
    client_ = std::make_unique<notion::Client>(options);  // the defaults: Notion's rate
    options.rate = {1000.0, 1000.0};
    setup_client_ = std::make_unique<notion::Client>(options);  // setting up, not measured
    options.token = kPersonToken;
    person_ = std::make_unique<notion::Client>(options);
    state_ = std::filesystem::temp_directory_path() /
             ("drift-costs-" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(state_);
    store_ = SqliteStateStore::open(state_.string());
  }
  ~Bench() {
    store_.reset();
    std::filesystem::remove(state_);
  }

  SyncReport sync(DriftPolicy policy, bool setting_up = false) {
    App app("drift", *store_);
    notion::DatabaseTargetOptions options;
    options.client = setting_up ? setup_client_.get() : client_.get();
    options.schema = schema();
    options.parent_page_id = server_.root_page_id();
    options.title = "Drift costs";
    options.on_drift = policy;
    auto& target = notion::mount_database_target(app, "people", options);
    for (int i = 0; i < settings_.rows; ++i) {
      target.declare(Row{{"name", "P" + std::to_string(i)}, {"age", static_cast<std::int64_t>(i % 90)}});
    }
    return app.sync();
  }

  // A person changes the Age of the first `count` pages (unmetered: setting up, not measured).
  void people_edit(int count) {
    server_.set_rate(0, 1);
    const auto pages = server_.pages(data_source(), false);
    for (int i = 0; i < count && i < static_cast<int>(pages.size()); ++i) {
      person_->call(notion::endpoints::update_page(
          pages[static_cast<std::size_t>(i)]["id"].get<std::string>(),
          {{"Age", notion::encode_property_value(notion::PropertyType::number, Value(1000))}}));
    }
    meter();
  }

  // Whether Notion holds the declared rows: no page keeps a person's Age.
  bool converged() {
    for (const auto& page : server_.pages(data_source(), false)) {
      if (notion::decode_property_value(page["properties"]["Age"]) == Value(1000)) return false;
    }
    return true;
  }

  void meter() {
    server_.set_rate(settings_.rate, settings_.burst);
    server_.set_latency_ms(settings_.latency_ms);
    server_.reset_requests();
  }
  void unmetered() {
    server_.set_rate(0, 1);
    server_.set_latency_ms(0);
  }

  void print(const std::string& scenario, const SyncReport& report, double seconds) {
    std::size_t reads = 0, queries = 0, writes = 0, other = 0;
    for (const auto& request : server_.requests()) {
      if (request.method == "GET" && request.path.starts_with("/v1/data_sources/")) {
        ++reads;
      } else if (request.method == "POST" && request.path.ends_with("/query")) {
        ++queries;
      } else if (request.path.starts_with("/v1/pages")) {
        ++writes;
      } else {
        ++other;
      }
    }
    std::printf("| %s | %zu | %zu | %zu | %zu | %zu | %.1f s | %zu | %s |\n", scenario.c_str(),
                reads + queries + writes + other, reads, queries, writes, other, seconds,
                report.targets.at(0).restored, converged() ? "yes" : "no");
    std::fflush(stdout);
  }

 private:
  notion_emulator::Options emulator_options() const {
    notion_emulator::Options options;
    options.rate = 0;
    options.person_token = kPersonToken;
    return options;
  }
  std::string data_source() { return store_->targets("drift").at(0).remote_id; }

  Settings settings_;
  notion_emulator::Server server_;
  std::unique_ptr<notion::Client> client_;
  std::unique_ptr<notion::Client> setup_client_;
  std::unique_ptr<notion::Client> person_;
  std::filesystem::path state_;
  std::unique_ptr<SqliteStateStore> store_;
};

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  bench::Flags flags("drift_costs");
  flags.rate_flags(settings)
      .value("--edited", settings.edited)
      .value("--settle-s", settings.settle_s);
  flags.parse(argc, argv);
  Bench bench(settings);
  bench.unmetered();
  bench.sync(DriftPolicy::restore, /*setting_up=*/true);  // the pages, and the drift mark
  std::printf("%d rows, emulator at %.0f requests/s (burst %d) with %d ms added latency\n\n",
              settings.rows, settings.rate, settings.burst, settings.latency_ms);
  std::printf("| scenario | calls | data source reads | queries | page writes | other | time | "
              "restored | converged |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
  const auto measure = [&](const std::string& scenario, DriftPolicy policy) {
    const auto started = std::chrono::steady_clock::now();
    const SyncReport report = bench.sync(policy);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    bench.print(scenario, report, seconds);
  };
  // Past the two minutes, the first sync's pages are older than the window of the check after the
  // next one reaches back (the read-back below is the one sync that sees them).
  std::this_thread::sleep_for(std::chrono::seconds(settings.settle_s));
  bench.meter();
  measure("no-op after the first sync (its pages read back once)", DriftPolicy::restore);
  bench.meter();
  measure("no-op after a no-op, on_drift = restore", DriftPolicy::restore);
  bench.meter();
  measure("no-op, on_drift = ignore", DriftPolicy::ignore);
  bench.people_edit(settings.edited);
  measure(std::to_string(settings.edited) + " pages edited by people, restore",
          DriftPolicy::restore);
  bench.people_edit(settings.rows);
  measure(std::to_string(settings.rows) + " pages edited by people, restore", DriftPolicy::restore);
  return 0;
}
