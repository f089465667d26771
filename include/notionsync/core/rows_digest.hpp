// RowsDigest: what a set of rows adds up to, so a run can tell without reading the state store
// that its declared rows are exactly the rows the store holds as synced.
//
//   RowsDigest digest;
//   for (const auto& row : rows) digest.add(row.key, row.fingerprint);
//
// Each row contributes XXH3-128 of its fingerprint and key; the digest is the sum of those
// modulo 2^128, with the number of rows. The order rows are added in does not matter, so the
// store's rows (read in key order) and the declared rows (in source order) give the same digest
// when they hold the same (key, fingerprint) pairs. Keys are unique on both sides, so two
// different sets of rows give the same digest with odds of 2^-128, those of two payloads sharing
// a fingerprint.
#pragma once

#include <cstdint>
#include <string_view>

#include "notionsync/core/fingerprint.hpp"

namespace notionsync {

struct RowsDigest {
  Fingerprint sum;  // the 128-bit sum, as a Fingerprint for its byte and hex forms
  std::int64_t count = 0;

  void add(std::string_view key, const Fingerprint& fingerprint);

  friend bool operator==(const RowsDigest&, const RowsDigest&) = default;
};

}  // namespace notionsync
