#include "notionsync/core/fingerprint.hpp"

#include <cstdio>

// Header-only xxHash keeps the library free of a link-time dependency on libxxhash.
#define XXH_INLINE_ALL
#include <xxhash.h>

namespace notionsync {

std::string Fingerprint::to_hex() const {
  char buffer[33];
  std::snprintf(buffer, sizeof buffer, "%016llx%016llx", static_cast<unsigned long long>(high),
                static_cast<unsigned long long>(low));
  return buffer;
}

std::optional<Fingerprint> Fingerprint::from_hex(std::string_view hex) {
  if (hex.size() != 32) return std::nullopt;
  Fingerprint result;
  for (std::size_t i = 0; i < 32; ++i) {
    const char c = hex[i];
    int digit = 0;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else {
      return std::nullopt;
    }
    auto& half = i < 16 ? result.high : result.low;
    half = (half << 4) | static_cast<std::uint64_t>(digit);
  }
  return result;
}

std::array<unsigned char, 16> Fingerprint::to_bytes() const {
  std::array<unsigned char, 16> bytes{};
  for (int i = 0; i < 8; ++i) {
    bytes[i] = static_cast<unsigned char>(high >> (56 - 8 * i));
    bytes[8 + i] = static_cast<unsigned char>(low >> (56 - 8 * i));
  }
  return bytes;
}

Fingerprint Fingerprint::from_bytes(const unsigned char* bytes) {
  Fingerprint result;
  for (int i = 0; i < 8; ++i) {
    result.high = (result.high << 8) | bytes[i];
    result.low = (result.low << 8) | bytes[8 + i];
  }
  return result;
}

namespace {

std::string schema_prefix(std::string_view schema_version) {
  return std::to_string(schema_version.size()) + ":" + std::string(schema_version);
}

}  // namespace

Fingerprint fingerprint_of(std::string_view canonical_payload, std::string_view schema_version) {
  XXH3_state_t state;
  XXH3_128bits_reset(&state);
  const std::string prefix = schema_prefix(schema_version);
  XXH3_128bits_update(&state, prefix.data(), prefix.size());
  XXH3_128bits_update(&state, canonical_payload.data(), canonical_payload.size());
  const XXH128_hash_t digest = XXH3_128bits_digest(&state);
  return Fingerprint{digest.high64, digest.low64};
}

Fingerprint fingerprint_of_pieces(std::string_view schema_version,
                                  const std::function<std::size_t(char*, std::size_t)>& read) {
  XXH3_state_t state;
  XXH3_128bits_reset(&state);
  const std::string prefix = schema_prefix(schema_version);
  XXH3_128bits_update(&state, prefix.data(), prefix.size());
  std::string buffer(std::size_t{1} << 20, '\0');
  while (const std::size_t n = read(buffer.data(), buffer.size())) {
    XXH3_128bits_update(&state, buffer.data(), n);
  }
  const XXH128_hash_t digest = XXH3_128bits_digest(&state);
  return Fingerprint{digest.high64, digest.low64};
}

Fingerprint fingerprint_of_parts(std::string_view canonical_payload, std::size_t second_part,
                                 std::string_view schema_version) {
  return PayloadFingerprinter(schema_version)(canonical_payload, second_part);
}

PayloadFingerprinter::PayloadFingerprinter(std::string_view schema_version)
    : input_(schema_prefix(schema_version)), prefix_size_(input_.size()) {}

Fingerprint PayloadFingerprinter::operator()(std::string_view canonical_payload) {
  // XXH3 gives the same digest for the same bytes, in one call or in pieces.
  input_.resize(prefix_size_);
  input_.append(canonical_payload);
  const XXH128_hash_t digest = XXH3_128bits(input_.data(), input_.size());
  return Fingerprint{digest.high64, digest.low64};
}

Fingerprint PayloadFingerprinter::operator()(std::string_view canonical_payload,
                                             std::size_t second_part) {
  const auto half = [&](std::string_view part) {
    input_.resize(prefix_size_);
    input_.append(part);
    return XXH3_64bits(input_.data(), input_.size());
  };
  const std::uint64_t first = half(canonical_payload.substr(0, second_part));
  // The schema version is hashed into the first part only: a change of mapping rewrites the
  // first part (a page's properties), not a second part that means the same under any mapping.
  const std::string_view second = canonical_payload.substr(second_part);
  return Fingerprint{first, XXH3_64bits(second.data(), second.size())};
}

}  // namespace notionsync
