// Plans N declared rows against N tracked rows with no changes, and reports time and peak RSS.
//
//   engine_noop [--rows N] [--store PATH] [--by-digest yes|no]
//
// Setup (not timed) writes N synced rows into a fresh SQLite store. Timed: declaring the N rows
// (encode, key, fingerprint) and planning them against the store (streamed tracked rows). With
// --by-digest yes, the store also holds the rows' digest, as a sync that found them unchanged
// leaves it, and the plan reads no row.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "notionsync/core/app.hpp"
#include "notionsync/core/sqlite_state_store.hpp"

namespace {

using notionsync::Row;

class NoWriteTarget : public notionsync::TargetDriver {
 public:
  notionsync::TargetSettings settings() const override {
    notionsync::TargetSettings settings;
    settings.kind = "bench";
    settings.key_columns = {"email"};
    settings.schema_version = "bench-v1";
    settings.removal_mode = notionsync::RemovalMode::trash;
    return settings;
  }
  void apply(notionsync::TargetContext&, std::span<const notionsync::Action>,
             const notionsync::DeclaredRows&, notionsync::ActionReporter&) override {
    std::fprintf(stderr, "a no-op plan must not apply anything\n");
    std::exit(1);
  }
};

Row person(long i) {
  return Row{{"email", "user" + std::to_string(i) + "@example.com"},
             {"name", "User " + std::to_string(i)},
             {"age", i % 90},
             {"score", static_cast<double>(i) / 7.0}};
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

long peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;  // Linux reports KiB
}

}  // namespace

int main(int argc, char** argv) {
  long rows = 1000000;
  bool by_digest = false;
  std::string store_path = (std::filesystem::temp_directory_path() / "notionsync-engine-noop.db");
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--rows") rows = std::atol(argv[i + 1]);
    if (flag == "--store") store_path = argv[i + 1];
    if (flag == "--by-digest") by_digest = std::string(argv[i + 1]) == "yes";
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(store_path + suffix);

  auto store = notionsync::SqliteStateStore::open(store_path);
  NoWriteTarget settings_source;
  const auto settings = settings_source.settings();
  {
    const auto target = store->ensure_target("bench", "people", settings.kind);
    std::vector<notionsync::RowChange> batch;
    notionsync::RowsDigest digest;
    for (long i = 0; i < rows; ++i) {
      const auto encoded = settings_source.encode(person(i), settings);
      const auto fingerprint = notionsync::fingerprint_of(encoded.payload, settings.schema_version);
      std::string key = encoded.key.encoded();
      digest.add(key, fingerprint);
      batch.push_back(
          notionsync::RowChange::upsert({std::move(key), fingerprint, "page-" + std::to_string(i),
                                         notionsync::RowStatus::synced, 1}));
      if (batch.size() == 100000) {
        store->commit(target.id, batch);
        batch.clear();
      }
    }
    store->commit(target.id, batch);
    // As a sync that found these rows unchanged leaves it: the plan then reads none of them.
    if (by_digest) store->record_rows_digest(target.id, digest);
  }
  const long setup_rss = peak_rss_mb();

  notionsync::App app("bench", *store);
  auto& handle = app.add_target("people", std::make_unique<NoWriteTarget>());
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < rows; ++i) handle.declare(person(i));
  const double declare_seconds = seconds_since(start);
  const auto plan_start = std::chrono::steady_clock::now();
  const auto plans = app.plan();
  const double plan_seconds = seconds_since(plan_start);
  const double total_seconds = seconds_since(start);

  const auto& plan = plans.at(0);
  const auto& counts = plan.counts;
  if (counts.unchanged != static_cast<std::size_t>(rows) || counts.writes() != 0 ||
      plan.unchanged_by_digest != by_digest) {
    std::fprintf(stderr, "expected %ld unchanged rows, got %zu (writes %zu, by digest %d)\n", rows,
                 counts.unchanged, counts.writes(), plan.unchanged_by_digest ? 1 : 0);
    return 1;
  }
  std::printf(
      "rows=%ld by_digest=%d declare_s=%.2f plan_s=%.2f total_s=%.2f peak_rss_mb=%ld "
      "setup_rss_mb=%ld\n",
      rows, by_digest ? 1 : 0, declare_seconds, plan_seconds, total_seconds, peak_rss_mb(),
      setup_rss);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(store_path + suffix);
  return 0;
}
