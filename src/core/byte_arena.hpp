// ByteArena: keeps copies of many small byte strings in large blocks that never move.
//
// A large sync holds a few strings per row (key, payload, origin, remote id) for the whole run.
// One allocation per block rather than one per string saves the allocations, their headers, and
// most of the fresh pages a run touches; everything is freed at once with the arena.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace notionsync {

class ByteArena {
 public:
  // A copy of `bytes`, valid (and in place) for as long as the arena lives.
  std::string_view keep(std::string_view bytes);

 private:
  char* new_block(std::size_t size);

  std::vector<std::unique_ptr<char[]>> blocks_;
  char* cursor_ = nullptr;  // the free end of the open block
  std::size_t left_ = 0;    // bytes free in the open block
};

}  // namespace notionsync
