// Files from disk at Notion's rate: N rows with one image of S bytes each, synced for the first
// time, then again with nothing changed, then with one image changed. Each run reports the Notion
// calls by kind and the wall time. Beside them, a model of csv2notion's calls, run against the
// same emulator: csv2notion (the CLI peer users know) uploads a row's file each time it writes
// the row, so each run costs, per row, one upload (create and send) and one page write. It is a
// model of its calls, not csv2notion itself.
//
//   file_uploads [--rows 100] [--bytes 1048576] [--rate 3] [--burst 10] [--latency-ms 300]
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
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
  int rows = 100;
  std::size_t bytes = 1 << 20;
  double rate = 3.0;
  int burst = 10;
  int latency_ms = 300;
};

notion::DatabaseSchema schema() {
  notion::DatabaseSchema schema;
  schema.add({.name = "Name", .type = notion::PropertyType::title, .field = "name"})
      .add({.name = "Image", .type = notion::PropertyType::files, .field = "image"})
      .key("name");
  return schema;
}

class Bench {
 public:
  explicit Bench(const Settings& settings) : settings_(settings), server_(emulator_options()) {
    server_.start();
    folder_ = std::filesystem::temp_directory_path() /
              ("file-uploads-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(folder_);
    for (int i = 0; i < settings_.rows; ++i) write_image(i, 'a');
    notion::ClientOptions options;
    options.token = "secret_notionsync_emulator";
    options.base_url = server_.base_url();
    client_ = std::make_unique<notion::Client>(options);  // the defaults: Notion's rate
    store_ = SqliteStateStore::open((folder_ / "state.db").string());
  }
  ~Bench() {
    store_.reset();
    std::filesystem::remove_all(folder_);
  }

  void write_image(int row, char fill) {
    std::ofstream out(image(row), std::ios::binary | std::ios::trunc);
    std::string bytes(settings_.bytes, fill);
    bytes[0] = static_cast<char>(row);  // every image differs
    out << bytes;
  }
  std::string image(int row) const {
    return (folder_ / ("image-" + std::to_string(row) + ".png")).string();
  }

  SyncReport sync() {
    App app("uploads", *store_);
    notion::DatabaseTargetOptions options;
    options.client = client_.get();
    options.schema = schema();
    options.parent_page_id = server_.root_page_id();
    options.title = "Images";
    auto& target = notion::mount_database_target(app, "images", options);
    for (int i = 0; i < settings_.rows; ++i) {
      target.declare(Row{{"name", "Row " + std::to_string(i)}, {"image", Value::List{image(i)}}});
    }
    return app.sync();
  }

  // The model: per row, an upload (create, send) then the page's create (first run) or update.
  void model_run(const std::string& data_source, std::vector<std::string>& page_ids) {
    const bool first = page_ids.empty();
    if (first) page_ids.resize(static_cast<std::size_t>(settings_.rows));
    std::atomic<int> next = 0;
    const auto work = [&] {
      for (int i = next++; i < settings_.rows; i = next++) {
        std::ifstream in(image(i), std::ios::binary);
        const std::string bytes{std::istreambuf_iterator<char>(in), {}};
        const std::string id =
            client_->call(notion::endpoints::create_file_upload("image.png", "image/png"))["id"];
        client_->call(notion::endpoints::send_file_upload(id, "image.png", "image/png", bytes));
        const nlohmann::json properties = {
            {"Name", notion::encode_property_value(notion::PropertyType::title,
                                                   Value("Model " + std::to_string(i)))},
            {"Image",
             {{"files", nlohmann::json::array(
                            {{{"type", "file_upload"}, {"file_upload", {{"id", id}}}}})}}}};
        auto& page_id = page_ids[static_cast<std::size_t>(i)];
        if (first) {
          page_id = client_->call(notion::endpoints::create_page(data_source, properties))["id"];
        } else {
          client_->call(notion::endpoints::update_page(page_id, properties));
        }
      }
    };
    // A few rows at a time, as csv2notion's worker threads do.
    std::vector<std::thread> workers;
    for (int i = 0; i < 4; ++i) workers.emplace_back(work);
    for (auto& worker : workers) worker.join();
  }

  void meter() {
    server_.set_rate(settings_.rate, settings_.burst);
    server_.set_latency_ms(settings_.latency_ms);
    server_.reset_requests();
  }

  void print(const std::string& scenario, double seconds) {
    std::size_t uploads = 0, pages = 0, other = 0;
    for (const auto& request : server_.requests()) {
      if (request.path.starts_with("/v1/file_uploads")) {
        ++uploads;
      } else if (request.path.starts_with("/v1/pages")) {
        ++pages;
      } else {
        ++other;
      }
    }
    std::printf("| %s | %zu | %zu | %zu | %zu | %.1f s |\n", scenario.c_str(),
                uploads + pages + other, uploads, pages, other, seconds);
    std::fflush(stdout);
  }

  std::string model_data_source() {
    server_.set_rate(0, 1);
    server_.set_latency_ms(0);
    const auto database = client_->call(
        notion::endpoints::create_database(server_.root_page_id(), "Model",
                                           {{"Name", {{"title", nlohmann::json::object()}}},
                                            {"Image", {{"files", nlohmann::json::object()}}}}));
    return database["data_sources"][0]["id"];
  }

 private:
  notion_emulator::Options emulator_options() const {
    notion_emulator::Options options;
    options.rate = 0;
    options.max_file_upload_size = 5ULL << 30;  // a paid workspace
    return options;
  }

  Settings settings_;
  notion_emulator::Server server_;
  std::filesystem::path folder_;
  std::unique_ptr<notion::Client> client_;
  std::unique_ptr<SqliteStateStore> store_;
};

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  bench::Flags flags("file_uploads");
  flags.rate_flags(settings)
      .value("--bytes", settings.bytes);
  flags.parse(argc, argv);
  Bench bench(settings);
  std::printf(
      "%d rows with one %zu-byte image each, emulator at %.0f requests/s (burst %d) with "
      "%d ms added latency\n\n",
      settings.rows, settings.bytes, settings.rate, settings.burst, settings.latency_ms);
  std::printf(
      "| run | calls | file upload calls | page calls | other | time |\n"
      "| --- | --- | --- | --- | --- | --- |\n");
  const auto timed = [&](const std::string& scenario, const auto& run) {
    bench.meter();
    const auto started = std::chrono::steady_clock::now();
    run();
    bench.print(scenario,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  };
  timed("notionsync, first sync", [&] {
    const auto report = bench.sync();
    if (!report.ok()) std::cerr << report.to_string() << "\n";
  });
  timed("notionsync, nothing changed", [&] { bench.sync(); });
  bench.write_image(0, 'b');
  timed("notionsync, one image changed", [&] { bench.sync(); });
  const std::string data_source = bench.model_data_source();
  std::vector<std::string> page_ids;
  timed("csv2notion model, first run", [&] { bench.model_run(data_source, page_ids); });
  timed("csv2notion model, next run", [&] { bench.model_run(data_source, page_ids); });
  return 0;
}
