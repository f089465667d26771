#include <notionsync/postgres/state_store.hpp>

#include <cstdio>

int main() {
  // No server: the schema version this notionsync writes is known without one.
  std::printf("postgres consumer ok: schema version %d\n",
              notionsync::PostgresStateStore::latest_schema_version());
  return 0;
}
