#include "notionsync/core/fingerprint.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "notionsync/core/row.hpp"

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
  EXPECT_EQ(fingerprint_of(canonical_encoding(a), "v1"), fingerprint_of(canonical_encoding(b), "v1"));
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

}  // namespace
}  // namespace notionsync
