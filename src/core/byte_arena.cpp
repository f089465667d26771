#include "notionsync/core/byte_arena.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>

namespace notionsync {
namespace {

// The first block is small, so a small run costs little; later blocks are one huge page each.
constexpr std::size_t first_block_size = std::size_t{64} << 10;
constexpr std::size_t huge_page_size = std::size_t{2} << 20;
// Anything larger than this gets a block of its own, so it never wastes the rest of a block.
constexpr std::size_t own_block_above = first_block_size / 4;

}  // namespace

void ByteArena::BlockDeleter::operator()(char* block) const {
  std::free(block);
}

char* ByteArena::new_block(std::size_t size) {
  char* block = nullptr;
  if (size == huge_page_size) {
    // One page fault per 2 MiB rather than 512 where the kernel allows it (transparent huge pages
    // in "madvise" or "always" mode): on a large run, faulting in fresh pages was a tenth of all
    // the work.
    block = static_cast<char*>(std::aligned_alloc(huge_page_size, huge_page_size));
    if (block != nullptr) madvise(block, huge_page_size, MADV_HUGEPAGE);
  } else {
    block = static_cast<char*>(std::malloc(size));
  }
  if (block == nullptr) throw std::bad_alloc();
  blocks_.emplace_back(block);
  return block;
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
    const std::size_t size = blocks_.empty() ? first_block_size : huge_page_size;
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
