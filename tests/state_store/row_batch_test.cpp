// How commit() groups row changes into multi-row statements (src/postgres/row_batch.cpp).
#include "postgres/row_batch.hpp"

#include <gtest/gtest.h>

#include "notionsync/core/error.hpp"

namespace notionsync::postgres {
namespace {

TrackedRow tracked(std::string key, std::int64_t updated_at_ms = 7) {
  return TrackedRow{std::move(key), Fingerprint{1, 2}, "page", RowStatus::synced, updated_at_ms};
}

std::vector<RowBatch> batches_of(const std::vector<RowChange>& changes, std::size_t max_rows = 100,
                                 std::int64_t now_ms = 1000) {
  std::vector<RowBatch> batches;
  for_each_batch(changes, max_rows, now_ms,
                 [&](const RowBatch& batch) { batches.push_back(batch); });
  return batches;
}

TEST(RowBatch, WritesArrayLiteralsOfOneKindOfChange) {
  const auto batches =
      batches_of({RowChange::upsert(tracked("a")), RowChange::upsert(tracked("b"))});
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].kind, RowChange::Kind::upsert);
  EXPECT_EQ(batches[0].size, 2u);
  EXPECT_EQ(batches[0].keys, R"({"a","b"})");
  EXPECT_EQ(batches[0].fingerprints,
            "{00000000000000010000000000000002,00000000000000010000000000000002}");
  EXPECT_EQ(batches[0].remote_ids, R"({"page","page"})");
  EXPECT_EQ(batches[0].statuses, "{synced,synced}");
  EXPECT_EQ(batches[0].updated_at, "{7,7}");
}

TEST(RowBatch, QuotesEveryTextElementAndEscapesQuotesAndBackslashes) {
  const auto batches =
      batches_of({RowChange::upsert(tracked(R"(say "hi" \ {x,y})")),
                  RowChange::upsert(tracked("NULL")), RowChange::upsert(tracked(""))});
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].keys, R"({"say \"hi\" \\ {x,y}","NULL",""})");
}

TEST(RowBatch, ARowWithoutATimeGetsNow) {
  const auto batches = batches_of({RowChange::upsert(tracked("a", 0))}, 100, 1234);
  ASSERT_EQ(batches.size(), 1u);
  EXPECT_EQ(batches[0].updated_at, "{1234}");
}

TEST(RowBatch, SplitsWhereTheKindChangesAKeyRepeatsOrTheBatchIsFull) {
  const auto batches = batches_of(
      {RowChange::upsert(tracked("a")), RowChange::upsert(tracked("b")), RowChange::erase("a"),
       RowChange::erase("c"), RowChange::upsert(tracked("a")), RowChange::upsert(tracked("a")),
       RowChange::upsert(tracked("d")), RowChange::upsert(tracked("e"))},
      2);
  ASSERT_EQ(batches.size(), 5u);
  EXPECT_EQ(batches[0].keys, R"({"a","b"})");
  EXPECT_EQ(batches[1].kind, RowChange::Kind::erase);
  EXPECT_EQ(batches[1].keys, R"({"a","c"})");
  EXPECT_EQ(batches[2].keys, R"({"a"})");  // the repeated key starts a new batch
  EXPECT_EQ(batches[3].keys, R"({"a","d"})");
  EXPECT_EQ(batches[4].keys, R"({"e"})");  // full at two rows
}

TEST(RowBatch, NothingToWriteWritesNothing) {
  EXPECT_TRUE(batches_of({}).empty());
}

TEST(RowBatch, TextWithANulCharacterIsRefused) {
  const std::vector<RowChange> changes = {RowChange::upsert(tracked(std::string("a\0b", 3)))};
  try {
    batches_of(changes);
    FAIL() << "accepted a NUL character";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::state_store);
  }
}

}  // namespace
}  // namespace notionsync::postgres
