#include "core/byte_arena.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace notionsync {
namespace {

// Every kept copy stays valid and unchanged while many more are kept: small ones filling blocks,
// ones too large for the rest of a block, and ones larger than a block.
TEST(ByteArenaTest, KeepsEveryCopyInPlaceAsItGrows) {
  ByteArena arena;
  std::vector<std::string> originals;
  std::vector<std::string_view> kept;
  std::string buffer;
  for (int i = 0; i < 40000; ++i) {
    const std::size_t size = i % 4999 == 3  ? (std::size_t{3} << 20) + 7  // larger than any block
                             : i % 997 == 1 ? 20000                       // a block of its own
                                            : static_cast<std::size_t>(i % 300);
    buffer.assign(size, static_cast<char>('a' + i % 26));
    buffer += std::to_string(i);
    kept.push_back(arena.keep(buffer));
    originals.push_back(buffer);
    buffer.assign(buffer.size(), '#');  // the caller's buffer is reused: the copy must not change
  }
  for (std::size_t i = 0; i < kept.size(); ++i) {
    ASSERT_EQ(kept[i], originals[i]) << i;
    ASSERT_NE(kept[i].data(), buffer.data());
  }
  EXPECT_TRUE(arena.keep("").empty());
}

}  // namespace
}  // namespace notionsync
