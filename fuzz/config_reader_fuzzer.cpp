// Fuzzes the notionsync.toml reader (notionsync::cli::parse_config). Contract: a bad file throws
// ConfigError naming the key and line; anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)notionsync::cli::parse_config(text, "/tmp/notionsync-fuzz/notionsync.toml");
  } catch (const notionsync::Error&) {
    // ConfigError (a notionsync::Error): the documented outcome.
  }
  return 0;
}
