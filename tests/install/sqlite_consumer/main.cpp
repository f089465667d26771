#include <cstdio>
#include <notionsync/core/sqlite_state_store.hpp>
#include <notionsync/notion/client.hpp>
#include <string>

int main() {
  auto store = notionsync::SqliteStateStore::open(":memory:");
  const auto target = store->ensure_target("consumer", "people", "test");
  // A client is made without a call: it needs libcurl, not a server.
  notionsync::notion::Client client({.token = "secret_consumer"});
  std::printf("sqlite consumer ok: target %lld, notion %s\n", static_cast<long long>(target.id),
              std::string(notionsync::notion::notion_api_version).c_str());
  return 0;
}
