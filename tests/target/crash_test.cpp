// kill -9 of a sync at chosen moments (inside the intents transaction, inside result batches,
// with creates or updates applied in Notion but not yet recorded), each followed by a normal run:
// the run converges, no page is duplicated or lost, and the run after it is a no-op. With page
// bodies too: a first sync that creates pages with their bodies, and a second generation of rows
// that changes every body (and some properties) of pages already synced.
#include <signal.h>

#include <map>
#include <set>

#include "crash_rows.hpp"
#include "notionsync/core/key.hpp"
#include "support/process_run.hpp"
#include "target_test_fixture.hpp"

namespace notionsync::testing {
namespace {

constexpr int kRows = 20;
constexpr std::size_t kResultBatch = 4;  // the child's SyncOptions::commit_batch_size

// A run's calls, by what they do. Paths are those the client wrote (no query string on these).
struct Calls {
  std::size_t creates = 0;           // POST /v1/pages
  std::size_t property_writes = 0;   // PATCH /v1/pages/{id}
  std::size_t body_writes = 0;       // PATCH /v1/pages/{id}/markdown
  std::size_t body_reads = 0;        // GET /v1/pages/{id}/markdown
  std::size_t queries = 0;           // POST /v1/data_sources/{id}/query
  std::size_t database_creates = 0;  // POST /v1/databases
  std::size_t page_writes() const { return creates + property_writes + body_writes; }
};

class KilledSyncFixture : public ::testing::Test {
 protected:
  // A client of the emulator as it listens now (its port changes when it restarts).
  std::unique_ptr<notion::Client> make_client() const {
    notion::ClientOptions options;
    options.token = emulator.token();
    options.base_url = emulator.base_url();
    options.rate = {1000.0, 1000.0};
    return std::make_unique<notion::Client>(options);
  }

  // The requests a killed child had sent may still be in the emulator's hands, and handled
  // after it died: during the next run, where they would be counted as that run's calls (a
  // create applied late could even escape its lookup). Stopping the emulator waits for every
  // request it has begun (one not read yet is dropped, as a network would); it then listens again,
  // on a new port, with the same workspace: Notion is done with whatever it received.
  void let_the_emulator_finish() {
    emulator.server().stop();
    emulator.server().start();
    client = make_client();
  }

  // Runs the child and returns how it ended: the signal that killed it, or 0 for a normal exit.
  // `kill_after` 0 lets it finish; `create_batch` > 0: creates are recorded pending in batches of
  // that many (else the engine's 100); `body_generation` > 0: rows with bodies (crash_rows.hpp).
  int run_child(int kill_after, int create_batch = 0, int body_generation = 0) {
    std::vector<std::string> args = {
        CRASH_CHILD_PATH,      emulator.base_url(),        emulator.parent_page_id(),   state_path,
        std::to_string(kRows), std::to_string(kill_after), std::to_string(create_batch)};
    if (body_generation > 0) args.push_back(std::to_string(body_generation));
    return run_until_signalled(args);
  }

  // A normal run of the child's rows, in this process; counts start from zero.
  SyncReport sync_in_process(int body_generation = 0) {
    emulator.reset_counts();
    SyncSettings settings;
    settings.token = emulator.token();
    settings.state = state_path;
    settings.app = "crash";
    settings.notion.base_url = emulator.base_url();
    settings.notion.rate = {1000.0, 1000.0};
    Sync sync(std::move(settings));
    auto people =
        sync.database(crash_schema(body_generation),
                      NewDatabase{.parent_page = emulator.parent_page_id(), .title = "Crash"},
                      {.name = "people"});
    for (int i = 0; i < kRows; ++i) people.declare(crash_row(i, body_generation));
    data_source = "";
    const auto report = sync.run();
    data_source = people.data_source_id();
    return report;
  }

  // The rows the store tracks, by key, as the next run will read them.
  std::map<std::string, TrackedRow> tracked_rows() {
    auto store = SqliteStateStore::open(state_path);
    std::map<std::string, TrackedRow> rows;
    const auto targets = store->targets("crash");
    if (targets.empty()) return rows;
    store->for_each_row(targets.at(0).id, [&](TrackedRow&& row) { rows[row.key] = row; });
    return rows;
  }

  Calls calls() {
    Calls calls;
    for (const auto& request : emulator.server().requests()) {
      const bool page = request.path.starts_with("/v1/pages");
      const bool markdown = request.path.ends_with("/markdown");
      if (request.method == "POST" && request.path == "/v1/pages") ++calls.creates;
      if (request.method == "PATCH" && page && !markdown) ++calls.property_writes;
      if (request.method == "PATCH" && page && markdown) ++calls.body_writes;
      if (request.method == "GET" && page && markdown) ++calls.body_reads;
      if (request.method == "POST" && request.path.ends_with("/query")) ++calls.queries;
      if (request.method == "POST" && request.path == "/v1/databases") ++calls.database_creates;
    }
    return calls;
  }

  // Live pages by title (the key); a title seen twice fails the test.
  std::map<std::string, nlohmann::json> live_pages_by_name() {
    std::map<std::string, nlohmann::json> pages;
    for (auto& page : emulator.live_pages(data_source)) {
      const std::string name =
          notion::decode_property_value(page["properties"]["Name"]).as_string();
      EXPECT_TRUE(pages.emplace(name, std::move(page)).second) << "duplicated page " << name;
    }
    return pages;
  }

  std::string body_of(const std::string& page_id) {
    return client->call(notion::endpoints::retrieve_page_markdown(page_id))["markdown"];
  }

  // Every row of `body_generation` has exactly one page, with its properties and its body.
  void expect_pages_of_generation(int body_generation) {
    const auto pages = live_pages_by_name();
    EXPECT_EQ(pages.size(), static_cast<std::size_t>(kRows)) << "duplicated or lost pages";
    for (int i = 0; i < kRows; ++i) {
      const Person person = crash_person(i, body_generation);
      const auto page = pages.find(person.name);
      if (page == pages.end()) {
        ADD_FAILURE() << "no page for " << person.name;
        continue;
      }
      const auto& properties = page->second["properties"];
      EXPECT_EQ(notion::decode_property_value(properties["Role"]).as_string(), person.role)
          << person.name;
      EXPECT_EQ(body_of(page->second["id"]), crash_body_as_kept(i, body_generation)) << person.name;
    }
  }

  // The run after a converged one writes nothing and reads no body.
  void expect_next_run_is_a_noop(int body_generation) {
    const auto report = sync_in_process(body_generation);
    EXPECT_TRUE(report.ok()) << report.to_string();
    EXPECT_EQ(report.targets.at(0).unchanged, static_cast<std::size_t>(kRows));
    EXPECT_EQ(calls().page_writes(), 0u);
    EXPECT_EQ(calls().body_reads, 0u);
  }

  // Runs the child's rows again: no duplicate and no lost page, and the run after writes nothing.
  void expect_the_next_run_converges();

  TempDir dir;
  EmulatorBackend emulator;
  std::unique_ptr<notion::Client> client = make_client();
  std::string state_path = dir.file("state.db");
  std::string data_source;
};

class KilledSyncTest : public KilledSyncFixture, public ::testing::WithParamInterface<int> {};

TEST_P(KilledSyncTest, TheNextRunConvergesWithoutDuplicates) {
  ASSERT_EQ(run_child(GetParam()), SIGKILL)
      << "the child was meant to die at row write " << GetParam();
  let_the_emulator_finish();
  expect_the_next_run_converges();
}

// Creates recorded pending in batches of 6: row writes alternate between a batch's intents and
// results, and a kill between two batches leaves the later rows untracked (never sent).
TEST_P(KilledSyncTest, TheNextRunConvergesWhenCreatesAreRecordedInBatches) {
  ASSERT_EQ(run_child(GetParam(), 6), SIGKILL)
      << "the child was meant to die at row write " << GetParam();
  let_the_emulator_finish();
  expect_the_next_run_converges();
}

void KilledSyncFixture::expect_the_next_run_converges() {
  const auto report = sync_in_process();
  ASSERT_TRUE(report.ok()) << report.to_string();
  const auto pages = emulator.live_pages(data_source);
  std::set<std::string> names;
  for (const auto& page : pages) {
    names.insert(notion::decode_property_value(page["properties"]["Name"]).as_string());
  }
  EXPECT_EQ(pages.size(), static_cast<std::size_t>(kRows)) << "duplicated or lost pages";
  EXPECT_EQ(names.size(), static_cast<std::size_t>(kRows));

  sync_in_process();
  EXPECT_EQ(emulator.count("POST", "/v1/pages") + emulator.count("PATCH", "/v1/pages"), 0u);
}

// In batches of 100, row writes 1..20 are the intents (one transaction), 21..40 the results in
// batches of 4; in batches of 6, every point falls in a batch's intents or results.
INSTANTIATE_TEST_SUITE_P(KillPoints, KilledSyncTest,
                         ::testing::Values(1, 10, 20, 21, 23, 27, 33, 40));

// A first sync of rows with bodies (each page created with its body in one POST /v1/pages),
// killed at row write N.
class KilledFirstSyncWithBodiesTest : public KilledSyncFixture,
                                      public ::testing::WithParamInterface<int> {};

TEST_P(KilledFirstSyncWithBodiesTest, TheNextRunWritesEveryBodyOnceAndNoPageTwice) {
  const int kill_after = GetParam();
  ASSERT_EQ(run_child(kill_after, 0, 1), SIGKILL) << "meant to die at row write " << kill_after;
  let_the_emulator_finish();
  const bool intents_committed = kill_after > kRows;
  // Results are committed in whole batches: the batch being written when the child died is lost.
  const std::size_t recorded =
      intents_committed
          ? kResultBatch * (static_cast<std::size_t>(kill_after - kRows - 1) / kResultBatch)
          : 0;
  const auto tracked = tracked_rows();
  EXPECT_EQ(tracked.size(), intents_committed ? static_cast<std::size_t>(kRows) : 0u);
  EXPECT_EQ(std::count_if(tracked.begin(), tracked.end(),
                          [](const auto& row) { return row.second.status == RowStatus::synced; }),
            static_cast<std::ptrdiff_t>(recorded));

  const auto report = sync_in_process(1);
  ASSERT_TRUE(report.ok()) << report.to_string();
  const Calls recovery = calls();
  EXPECT_EQ(recovery.database_creates, 0u);  // the database is found by its title
  if (!intents_committed) {
    // No page call comes before the intents: a first run again, whose scan finds no page, then
    // one create per row with its body.
    EXPECT_EQ(recovery.queries, 1u);
    EXPECT_EQ(recovery.creates, static_cast<std::size_t>(kRows));
    EXPECT_EQ(recovery.property_writes + recovery.body_writes, 0u);
    EXPECT_EQ(recovery.body_reads, 0u);
  } else {
    // At least 4 creates wait to be verified (results are lost a batch of 4 at a time), more than
    // the one query a listing of the data source costs: one listing settles them all. A page it
    // finds holds its row's properties, and has its body read (1 call) to see that it holds the
    // body too: it is adopted, with no write. A row whose page is not found is created with it.
    const std::size_t unrecorded = static_cast<std::size_t>(kRows) - recorded;
    const std::size_t found = recovery.body_reads;
    EXPECT_EQ(recovery.queries, 1u);
    EXPECT_EQ(recovery.creates + found, unrecorded);
    EXPECT_EQ(recovery.property_writes + recovery.body_writes, 0u);
    EXPECT_EQ(report.targets.at(0).adopted, found) << report.to_string();
    EXPECT_EQ(report.targets.at(0).created, recovery.creates) << report.to_string();
    // The batch the child was writing when it died reported 4 creates that Notion had applied.
    EXPECT_GE(found, kResultBatch);
    if (kill_after == 2 * kRows) {
      EXPECT_EQ(found, unrecorded);  // every create had answered
    }
  }
  expect_pages_of_generation(1);
  expect_next_run_is_a_noop(1);
}

// Row writes 1..20 are the intents of the 20 creates (one transaction: a kill there leaves none of
// them, and no page, since every page call comes after it); 21..40 the results, committed in
// batches of 4 (21..24, 25..28, ...): a kill at 21 or 24 loses the first batch whole, at 25 keeps
// it and loses the second, at 40 loses the last while all 20 pages exist.
INSTANTIATE_TEST_SUITE_P(KillPoints, KilledFirstSyncWithBodiesTest,
                         ::testing::Values(1, 10, 20, 21, 24, 25, 31, 40));

// A complete first sync, then the second generation of rows (every body changed, the role of
// every third row too) killed at row write N.
class KilledBodyUpdateTest : public KilledSyncFixture, public ::testing::WithParamInterface<int> {};

TEST_P(KilledBodyUpdateTest, TheNextRunFinishesEveryUpdateInPlace) {
  ASSERT_TRUE(sync_in_process(1).ok());
  std::map<std::string, std::string> first_page_ids;
  for (const auto& [name, page] : live_pages_by_name()) first_page_ids[name] = page["id"];
  const auto first_generation = tracked_rows();
  ASSERT_EQ(first_generation.size(), static_cast<std::size_t>(kRows));

  const int kill_after = GetParam();
  ASSERT_EQ(run_child(kill_after, 0, 2), SIGKILL) << "meant to die at row write " << kill_after;
  let_the_emulator_finish();
  // An update has no intent: what the killed run recorded is the results of its whole batches.
  // The rows still tracked with their first fingerprint are the updates to finish; Notion may
  // hold some of their parts already (the killed run wrote them, and never recorded it).
  const auto live = live_pages_by_name();
  std::size_t unrecorded = 0;
  std::size_t expected_body_writes = 0;
  std::size_t expected_property_writes = 0;
  std::size_t expected_body_reads = 0;
  for (const auto& [key, row] : tracked_rows()) {
    if (row.fingerprint != first_generation.at(key).fingerprint) continue;
    ++unrecorded;
    const std::string name = Key::decode(key).parts().at(0).as_string();
    const int index = std::stoi(name.substr(1));
    const auto& page = live.at(name);
    const bool role_written =
        notion::decode_property_value(page["properties"]["Role"]).as_string() ==
        crash_person(index, 2).role;
    const bool body_written = body_of(page["id"]) == crash_body_as_kept(index, 2);
    if (crash_role_changes(index) && role_written) {
      // Its properties differ from what was recorded, and its last editor is this integration:
      // the drift check takes it for what it is, a write of the killed run, not a person's edit.
      // Its properties are known to match; its body is read, and written only if it differs.
      ++expected_body_reads;
      if (!body_written) ++expected_body_writes;
    } else {
      // Nothing tells it apart from a page the killed run never reached: each part that changed
      // is written (a body the killed run wrote already is written again, with the same text).
      ++expected_body_writes;
      if (crash_role_changes(index)) ++expected_property_writes;
    }
  }
  EXPECT_EQ(unrecorded,
            static_cast<std::size_t>(kRows) -
                kResultBatch * (static_cast<std::size_t>(kill_after - 1) / kResultBatch));

  const auto report = sync_in_process(2);
  ASSERT_TRUE(report.ok()) << report.to_string();
  EXPECT_EQ(report.targets.at(0).updated, unrecorded);
  EXPECT_EQ(report.targets.at(0).restored, 0u);  // the killed run's writes are not drift
  EXPECT_TRUE(report.targets.at(0).drift.empty()) << report.to_string();
  const Calls recovery = calls();
  EXPECT_EQ(recovery.body_writes, expected_body_writes);
  EXPECT_EQ(recovery.property_writes, expected_property_writes);
  EXPECT_EQ(recovery.body_reads, expected_body_reads);
  EXPECT_EQ(recovery.queries, 1u);  // the drift check; no look-up
  EXPECT_EQ(recovery.creates, 0u);
  expect_pages_of_generation(2);
  std::map<std::string, std::string> page_ids;
  for (const auto& [name, page] : live_pages_by_name()) page_ids[name] = page["id"];
  EXPECT_EQ(page_ids, first_page_ids);  // updated in place, none re-created
  expect_next_run_is_a_noop(2);
}

// Updates commit no intent, so row writes 1..20 are the results of the 20 updates in batches of 4
// (1..4, 5..8, ...): a kill at 1 or 4 records none, at 5 the first batch, at 20 all but the last
// batch while every update has been applied in Notion.
INSTANTIATE_TEST_SUITE_P(KillPoints, KilledBodyUpdateTest, ::testing::Values(1, 4, 5, 11, 17, 20));

// A complete first sync, then a person changes 12 pages in Notion and moves 2 to the trash, and
// the sync that restores them (on_drift = restore, the default) is killed at row write N. The
// drift mark moves only when a sync completes, so the next run asks again for everything changed
// since the first sync, and restores exactly the pages the killed run had not: the others hold
// what notionsync last wrote, and are no drift.
class KilledRestoreTest : public KilledSyncFixture, public ::testing::WithParamInterface<int> {};

TEST_P(KilledRestoreTest, TheNextRunRestoresWhatTheKilledRunHadNot) {
  ASSERT_TRUE(sync_in_process().ok());
  std::map<std::string, std::string> first_page_ids;
  for (const auto& [name, page] : live_pages_by_name()) first_page_ids[name] = page["id"];
  {
    notion::ClientOptions options;
    options.token = EmulatorBackend::person_token;
    options.base_url = emulator.base_url();
    options.rate = {1000.0, 1000.0};
    notion::Client person(options);
    for (int i = 0; i < 12; ++i) {
      person.call(notion::endpoints::update_page(
          first_page_ids.at("P" + std::to_string(i)),
          {{"Role",
            notion::encode_property_value(notion::PropertyType::select, Value("intern"))}}));
    }
    person.call(notion::endpoints::trash_page(first_page_ids.at("P12")));
    person.call(notion::endpoints::trash_page(first_page_ids.at("P13")));
  }

  const int kill_after = GetParam();
  ASSERT_EQ(run_child(kill_after), SIGKILL) << "meant to die at row write " << kill_after;
  let_the_emulator_finish();
  // What the killed run restored in Notion, recorded or not.
  std::size_t still_changed = 0;
  const auto live = live_pages_by_name();
  for (int i = 0; i < 14; ++i) {
    const std::string name = "P" + std::to_string(i);
    const auto page = live.find(name);
    if (page == live.end()) {
      ++still_changed;  // still in the trash
    } else if (notion::decode_property_value(page->second["properties"]["Role"]).as_string() !=
               crash_person(i, 0).role) {
      ++still_changed;
    }
  }
  // Restores are recorded in batches of 4: at least the batch the child died in is unrecorded,
  // and not every restore had been sent.
  EXPECT_LE(still_changed,
            14 - kResultBatch * (static_cast<std::size_t>(kill_after - 1) / kResultBatch));

  const auto report = sync_in_process();
  ASSERT_TRUE(report.ok()) << report.to_string();
  EXPECT_EQ(report.targets.at(0).restored, still_changed) << report.to_string();
  EXPECT_EQ(report.targets.at(0).drift.size(), still_changed);
  const Calls recovery = calls();
  EXPECT_EQ(recovery.queries, 1u);  // the drift query
  // One write each: a PATCH of the role, or one bringing the page back from the trash.
  EXPECT_EQ(recovery.property_writes, still_changed);
  EXPECT_EQ(recovery.creates, 0u);
  const auto pages = live_pages_by_name();
  std::map<std::string, std::string> page_ids;
  for (const auto& [name, page] : pages) {
    page_ids[name] = page["id"];
    const int index = std::stoi(name.substr(1));
    EXPECT_EQ(notion::decode_property_value(page["properties"]["Role"]).as_string(),
              crash_person(index, 0).role)
        << name;
  }
  EXPECT_EQ(page_ids, first_page_ids);  // restored in place, none re-created
  const auto after = sync_in_process();
  EXPECT_TRUE(after.targets.at(0).drift.empty()) << after.to_string();
  EXPECT_EQ(calls().page_writes(), 0u);
}

// Restores commit no intent: row writes 1..14 are their results, in batches of 4.
INSTANTIATE_TEST_SUITE_P(KillPoints, KilledRestoreTest, ::testing::Values(1, 4, 5, 9, 13, 14));

}  // namespace
}  // namespace notionsync::testing
