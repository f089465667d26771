#include "notionsync/core/rows_digest.hpp"

#include <array>
#include <cstring>

// Header-only xxHash, as in fingerprint.cpp.
#define XXH_INLINE_ALL
#include <xxhash.h>

namespace notionsync {
namespace {

// XXH3-128 of the fingerprint's 16 bytes followed by the key: a key the buffer holds (nearly all)
// is hashed in one call, a longer one through the streaming interface.
XXH128_hash_t row_hash(std::string_view key, const Fingerprint& fingerprint) {
  const auto bytes = fingerprint.to_bytes();
  std::array<unsigned char, 256> buffer;
  if (key.size() <= buffer.size() - bytes.size()) {
    std::memcpy(buffer.data(), bytes.data(), bytes.size());
    std::memcpy(buffer.data() + bytes.size(), key.data(), key.size());
    return XXH3_128bits(buffer.data(), bytes.size() + key.size());
  }
  XXH3_state_t state;
  XXH3_128bits_reset(&state);
  XXH3_128bits_update(&state, bytes.data(), bytes.size());
  XXH3_128bits_update(&state, key.data(), key.size());
  return XXH3_128bits_digest(&state);
}

}  // namespace

void RowsDigest::add(std::string_view key, const Fingerprint& fingerprint) {
  const XXH128_hash_t hash = row_hash(key, fingerprint);
  // 128-bit addition: the low halves' carry goes into the high half.
  const std::uint64_t low = sum.low + hash.low64;
  sum.high += hash.high64 + (low < sum.low ? 1 : 0);
  sum.low = low;
  ++count;
}

}  // namespace notionsync
