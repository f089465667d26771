// A sync that kills itself (SIGKILL, as an OOM killer or `kill -9` would) after writing a given
// number of rows to the state store, to test that the next run converges without duplicates.
//
//   crash_sync_child BASE_URL PARENT_PAGE_ID STATE_PATH ROWS KILL_AFTER_ROW_WRITES
//   [CREATE_BATCH [BODY_GENERATION]]
//
// KILL_AFTER_ROW_WRITES 0 never kills. CREATE_BATCH (default 0: the engine's) records creates
// pending that many at a time. BODY_GENERATION (default 0: no body) binds the page body and
// declares the bodies of that generation (crash_rows.hpp).
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "crash_rows.hpp"
#include "notionsync/core/app.hpp"
#include "notionsync/core/sqlite_state_store.hpp"
#include "notionsync/notion/database_target.hpp"

int main(int argc, char** argv) {
  if (argc < 6 || argc > 8) {
    std::fprintf(stderr,
                 "usage: %s BASE_URL PARENT_PAGE STATE ROWS KILL_AFTER [CREATE_BATCH "
                 "[BODY_GENERATION]]\n",
                 argv[0]);
    return 2;
  }
  using namespace notionsync;
  const int rows = std::atoi(argv[4]);
  const long kill_after = std::atol(argv[5]);
  const long create_batch = argc >= 7 ? std::atol(argv[6]) : 0;
  const int body_generation = argc == 8 ? std::atoi(argv[7]) : 0;
  long written = 0;
  SqliteStateStore::Options store_options;
  store_options.commit_observer = [&](std::size_t) {
    if (++written == kill_after) std::raise(SIGKILL);
  };
  auto store = SqliteStateStore::open(argv[3], store_options);
  notion::ClientOptions client_options;
  client_options.token = "secret_notionsync_emulator";
  client_options.base_url = argv[1];
  client_options.rate = {1000.0, 1000.0};
  notion::Client client(client_options);

  App app("crash", *store);
  notion::DatabaseTargetOptions options;
  options.client = &client;
  options.schema = testing::crash_schema(body_generation);
  options.parent_page_id = argv[2];
  options.title = "Crash";
  auto& target = notion::mount_database_target(app, "people", options);
  for (int i = 0; i < rows; ++i) target.declare(testing::crash_row(i, body_generation));
  SyncOptions sync_options;
  sync_options.commit_batch_size = 4;  // many small result commits: many places to die
  if (create_batch > 0) sync_options.create_batch_size = static_cast<std::size_t>(create_batch);
  app.sync(sync_options);
  return 0;
}
