// A sync that kills itself (SIGKILL) right after recording a file upload in the state store,
// before the page that attaches it is written: the next run must reuse or abandon the upload and
// write the page once.
//
//   crash_upload_child BASE_URL DATA_SOURCE_ID STATE_PATH FILE KILL_AT_STATE
//
// KILL_AT_STATE is the upload's recorded state to die at: "pending" (created, its bytes not all
// sent) or "uploaded" (sent, not attached).
#include <csignal>
#include <cstdio>
#include <string>

#include "attachments.hpp"
#include "notionsync/core/app.hpp"
#include "notionsync/core/sqlite_state_store.hpp"
#include "notionsync/notion/database_target.hpp"

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s BASE_URL DATA_SOURCE STATE FILE KILL_AT_STATE\n", argv[0]);
    return 2;
  }
  using namespace notionsync;
  const std::string kill_at = std::string("\"state\":\"") + argv[5] + "\"";
  SqliteStateStore::Options store_options;
  store_options.cached_observer = [&](std::string_view scope, const CachedValue& value) {
    if (scope == "notion.file_uploads" && value.value.find(kill_at) != std::string::npos) {
      std::raise(SIGKILL);
    }
  };
  auto store = SqliteStateStore::open(argv[3], store_options);
  notion::ClientOptions client_options;
  client_options.token = "secret_notionsync_emulator";
  client_options.base_url = argv[1];
  client_options.rate = {1000.0, 1000.0};
  notion::Client client(client_options);

  App app("uploads", *store);
  notion::DatabaseTargetOptions options;
  options.client = &client;
  options.schema = testing::attachments_schema();
  options.managed_by = notion::ManagedBy::user;
  options.data_source_id = argv[2];
  auto& target = notion::mount_database_target(app, "files", options);
  target.declare(testing::attachment_row("Report", {argv[4]}));
  app.sync();
  return 0;
}
