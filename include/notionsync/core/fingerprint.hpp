// Fingerprint: a 128-bit XXH3 digest of a row's canonical payload and its target's schema version.
//
// Equal fingerprints mean "nothing to write": the plan compares the fingerprint of each declared
// row with the one stored for it. The schema version is hashed in so that a change of mapping (a
// field bound to another property, a new property) rewrites every row once.
//
// A payload may come in two parts that are written apart (a Notion page's properties and its
// body): each half of the fingerprint then digests one part (XXH3-64), so a driver comparing a
// stored fingerprint with a new one half by half knows which part changed.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace notionsync {

struct Fingerprint {
  std::uint64_t high = 0;
  std::uint64_t low = 0;

  std::string to_hex() const;  // 32 lowercase hex digits
  static std::optional<Fingerprint> from_hex(std::string_view hex);
  std::array<unsigned char, 16> to_bytes() const;             // big-endian, for storage
  static Fingerprint from_bytes(const unsigned char* bytes);  // REQUIRES: 16 readable bytes

  friend bool operator==(const Fingerprint&, const Fingerprint&) = default;
};

// XXH3-128 over the schema version (length-prefixed) followed by the canonical payload.
Fingerprint fingerprint_of(std::string_view canonical_payload, std::string_view schema_version);

// fingerprint_of() over a payload too large to hold at once (a file's content), given in pieces:
// `read(buffer, capacity)` writes up to `capacity` bytes and returns how many, 0 at the end.
Fingerprint fingerprint_of_pieces(std::string_view schema_version,
                                  const std::function<std::size_t(char*, std::size_t)>& read);

// The fingerprint of a payload in two parts, the second starting at byte `second_part`: high is
// XXH3-64 over the schema version's prefix and the first part, low XXH3-64 over the second part
// alone (a change of mapping rewrites the first part, not a second that means the same under any).
// REQUIRES: second_part <= canonical_payload.size().
Fingerprint fingerprint_of_parts(std::string_view canonical_payload, std::size_t second_part,
                                 std::string_view schema_version);

// fingerprint_of() for many payloads of one schema version: the same digests, each hashed in one
// call over a buffer that starts with the version's prefix (written once) rather than in pieces.
class PayloadFingerprinter {
 public:
  explicit PayloadFingerprinter(std::string_view schema_version);
  Fingerprint operator()(std::string_view canonical_payload);
  // fingerprint_of_parts(), for a payload in two parts.
  Fingerprint operator()(std::string_view canonical_payload, std::size_t second_part);

 private:
  std::string input_;  // the schema version's prefix, then the payload being hashed
  std::size_t prefix_size_ = 0;
};

}  // namespace notionsync
