#include "notionsync/core/fingerprint.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "notionsync/core/row.hpp"
#include "notionsync/core/rows_digest.hpp"

namespace notionsync {
namespace {

TEST(Fingerprint, IsStableAcrossRunsAndPlatforms) {
  // Pinned digests: if these change, every stored fingerprint would be rewritten once.
  EXPECT_EQ(fingerprint_of("", "").to_hex(), "d3d6486a90aeaa167eda146a64d327f8");
  EXPECT_EQ(fingerprint_of("l2:s4:names3:Ada", "v1").to_hex(), "0c4f96156f5fc05e2cf7815bf7003f12");
}

TEST(Fingerprint, DependsOnPayloadAndSchemaVersion) {
  const auto base = fingerprint_of("payload", "v1");
  EXPECT_EQ(base, fingerprint_of("payload", "v1"));
  EXPECT_NE(base, fingerprint_of("payload", "v2"));
  EXPECT_NE(base, fingerprint_of("payloae", "v1"));
  // The version is length-prefixed: moving bytes between version and payload changes the digest.
  EXPECT_NE(fingerprint_of("1payload", "v"), fingerprint_of("payload", "v1"));
}

TEST(Fingerprint, RowFieldOrderDoesNotMatter) {
  const Row a{{"name", "Ada"}, {"age", 36}};
  const Row b{{"age", 36.0}, {"name", "Ada"}};
  EXPECT_EQ(fingerprint_of(canonical_encoding(a), "v1"),
            fingerprint_of(canonical_encoding(b), "v1"));
}

TEST(Fingerprint, HexAndBytesRoundTrip) {
  const auto digest = fingerprint_of("x", "y");
  EXPECT_EQ(Fingerprint::from_hex(digest.to_hex()), digest);
  const auto bytes = digest.to_bytes();
  EXPECT_EQ(Fingerprint::from_bytes(bytes.data()), digest);
  EXPECT_FALSE(Fingerprint::from_hex("xyz"));
  EXPECT_FALSE(Fingerprint::from_hex(std::string(32, 'G')));
}

TEST(RowEncoding, RoundTripsAndNamesTheBadColumn) {
  const Row row{{"name", "Ada"}, {"tags", Value::List{"a", "b"}}, {"when", Date{2026, 1, 1}}};
  EXPECT_EQ(decode_canonical_row(canonical_encoding(row)), row);
  try {
    canonical_encoding(Row{{"score", std::nan("")}});
    FAIL();
  } catch (const std::exception& error) {
    EXPECT_NE(std::string(error.what()).find("column 'score'"), std::string::npos);
  }
}

// The fingerprinter of many payloads gives fingerprint_of's digests, whatever the payload sizes
// in turn (its buffer keeps the version's prefix between them).
TEST(Fingerprint, APayloadFingerprinterAgreesWithFingerprintOf) {
  PayloadFingerprinter fingerprint("people-v3");
  for (const std::size_t size : {0u, 1u, 17u, 240u, 241u, 5000u, 3u, 100000u, 0u}) {
    const std::string payload(size, static_cast<char>('a' + size % 26));
    EXPECT_EQ(fingerprint(payload), fingerprint_of(payload, "people-v3")) << size;
    EXPECT_NE(fingerprint(payload), fingerprint_of(payload, "people-v4")) << size;
  }
}

RowsDigest digest_of(const std::vector<std::pair<std::string, std::string>>& rows) {
  RowsDigest digest;
  for (const auto& [key, payload] : rows) digest.add(key, fingerprint_of(payload, "v1"));
  return digest;
}

// The store's rows (in key order) and the declared rows (in source order) must add up alike, and
// any difference in which key has which fingerprint must show.
TEST(RowsDigest, DependsOnTheRowsNotOnTheirOrder) {
  const std::string long_key(1000, 'k');  // past the one-call buffer: hashed in pieces
  const auto rows = digest_of({{"a", "1"}, {"b", "2"}, {"c", "3"}, {long_key, "4"}});
  EXPECT_EQ(rows.count, 4);
  EXPECT_EQ(digest_of({{long_key, "4"}, {"c", "3"}, {"a", "1"}, {"b", "2"}}), rows);
  EXPECT_EQ(RowsDigest{}.count, 0);
  EXPECT_NE(digest_of({{"a", "1"}, {"b", "2"}, {"c", "3"}}), rows);                   // one fewer
  EXPECT_NE(digest_of({{"a", "1"}, {"b", "2"}, {"c", "9"}, {long_key, "4"}}), rows);  // payload
  EXPECT_NE(digest_of({{"a", "1"}, {"b", "2"}, {"d", "3"}, {long_key, "4"}}), rows);  // key
  EXPECT_NE(digest_of({{"a", "2"}, {"b", "1"}, {"c", "3"}, {long_key, "4"}}), rows);  // swapped
  EXPECT_NE(digest_of({{"a", "1"}, {"b", "2"}, {"c", "3"}, {long_key + "k", "4"}}), rows);
  // Without the count, the sums alone differ too.
  auto fewer = digest_of({{"a", "1"}, {"b", "2"}, {"c", "3"}});
  fewer.count = rows.count;
  EXPECT_NE(fewer, rows);
}

// Digests are stored: the same rows give the same digest on every platform and in every release.
TEST(RowsDigest, IsStableAcrossRunsAndPlatforms) {
  const auto digest = digest_of({{"l1:s3:Ada", "1"}, {"l1:s5:Grace", "2"}});
  EXPECT_EQ(digest.sum.to_hex(), "9f100933e57fa8712b7230092c65006f");
  EXPECT_EQ(digest.count, 2);
}

// Content given in pieces (a file read a block at a time) hashes as if given whole, whatever the
// pieces, over more than one of its internal buffers.
TEST(Fingerprint, InPiecesEqualsWhole) {
  std::string content(3'000'000, 'x');
  for (std::size_t i = 0; i < content.size(); i += 977) content[i] = static_cast<char>(i % 251);
  for (const std::size_t piece : {std::size_t{1} << 20, std::size_t{4096}, std::size_t{999'999}}) {
    std::size_t offset = 0;
    const Fingerprint in_pieces = fingerprint_of_pieces("v1", [&](char* buffer, std::size_t room) {
      const std::size_t n = std::min({piece, room, content.size() - offset});
      content.copy(buffer, n, offset);
      offset += n;
      return n;
    });
    EXPECT_EQ(in_pieces, fingerprint_of(content, "v1")) << piece;
  }
  EXPECT_EQ(fingerprint_of_pieces("v1", [](char*, std::size_t) { return std::size_t{0}; }),
            fingerprint_of("", "v1"));
  EXPECT_NE(fingerprint_of_pieces("v2", [](char*, std::size_t) { return std::size_t{0}; }),
            fingerprint_of("", "v1"));
}

}  // namespace
}  // namespace notionsync
