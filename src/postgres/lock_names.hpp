// Names and keys of the store's advisory locks. PostgreSQL advisory locks are per database, not
// per schema, so every name includes the schema: stores in different schemas never contend.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace notionsync::postgres {

// An unambiguous name built from length-prefixed parts: {"app", "ops", "people"} ->
// "3:app 3:ops 6:people".
inline std::string lock_name(std::initializer_list<std::string_view> parts) {
  std::string name;
  for (const auto part : parts) {
    if (!name.empty()) name += ' ';
    name += std::to_string(part.size()) + ':' + std::string(part);
  }
  return name;
}

// The 64-bit advisory lock key of a name (FNV-1a): stable across builds and platforms, since
// processes on different machines must agree on it.
inline std::int64_t advisory_key(std::string_view name) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return static_cast<std::int64_t>(hash);
}

}  // namespace notionsync::postgres
