#include "core/byte_arena.hpp"

#include <algorithm>

namespace notionsync {
namespace {

// The first block is small, so a small run costs little; the later ones are large, so a large run
// makes few allocations.
constexpr std::size_t first_block_size = std::size_t{64} << 10;
constexpr std::size_t block_size = std::size_t{1} << 20;
// Anything larger than this gets a block of its own, so it never wastes the rest of a block.
constexpr std::size_t own_block_above = first_block_size / 4;

}  // namespace

char* ByteArena::new_block(std::size_t size) {
  blocks_.push_back(std::make_unique_for_overwrite<char[]>(size));
  return blocks_.back().get();
}

std::string_view ByteArena::keep(std::string_view bytes) {
  if (bytes.empty()) return {};
  if (bytes.size() > left_) {
    if (bytes.size() > own_block_above) {
      // The open block stays the open one.
      char* own = new_block(bytes.size());
      std::copy(bytes.begin(), bytes.end(), own);
      return {own, bytes.size()};
    }
    const std::size_t size = blocks_.empty() ? first_block_size : block_size;
    cursor_ = new_block(size);
    left_ = size;
  }
  char* start = cursor_;
  std::copy(bytes.begin(), bytes.end(), start);
  cursor_ += bytes.size();
  left_ -= bytes.size();
  return {start, bytes.size()};
}

}  // namespace notionsync
