#include <notionsync/core/key.hpp>
#include <notionsync/core/sqlite_state_store.hpp>

#include <cstdio>

int main() {
  auto store = notionsync::SqliteStateStore::open(":memory:");
  const auto target = store->ensure_target("consumer", "people", "test");
  const notionsync::Key key{"ada@example.com", 1.0};
  std::printf("consumer ok: target %lld, key %s\n", static_cast<long long>(target.id),
              key.encoded().c_str());
  return 0;
}
