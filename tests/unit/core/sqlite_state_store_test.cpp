// What only the SQLite store has: its file. The StateStore contract both stores share (migrations,
// locks, a process killed during a commit, the file's integrity after it) is tested against each
// in tests/state_store.
#include "notionsync/core/sqlite_state_store.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "notionsync/core/error.hpp"
#include "support/temp_dir.hpp"

namespace notionsync {
namespace {

using testing::TempDir;

TEST(SqliteStateStore, RefusesAFileThatIsNotAStore) {
  TempDir dir;
  const std::string path = dir.file("not-a-db");
  std::ofstream(path) << "this is a text file, not a database";
  try {
    SqliteStateStore::open(path);
    FAIL() << "opened a text file as a store";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::state_store);
    EXPECT_NE(std::string(error.what()).find("not-a-db"), std::string::npos) << error.what();
  }
}

// A path in folders that do not exist yet: they are created, and the store is at the latest
// version.
TEST(SqliteStateStore, CreatesTheFoldersOfANewStore) {
  TempDir dir;
  auto store = SqliteStateStore::open(dir.file("nested/deeper/state.db"));
  EXPECT_EQ(store->schema_version(), SqliteStateStore::latest_schema_version());
  EXPECT_TRUE(store->apps().empty());
}

}  // namespace
}  // namespace notionsync
