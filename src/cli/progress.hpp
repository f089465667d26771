// Progress of a sync on the terminal: per target, a bar with rows done of total, requests per
// second and an ETA, redrawn in place; plain lines (start, every 10 %, end) when the output is
// not a terminal, so logs stay readable.
#pragma once

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

#include "notionsync/core/app.hpp"
#include "notionsync/notion/client.hpp"

namespace notionsync::cli {

class ProgressDisplay {
 public:
  // `client` gives the request counters; `out` is usually stderr.
  ProgressDisplay(std::FILE* out, bool terminal, const notion::Client& client);
  ~ProgressDisplay();

  // Thread-safe. Redraws at most ten times a second on a terminal.
  void update(const SyncProgress& progress);
  // Notion made every request wait `pause` (a 429's Retry-After). Thread-safe. A pause of 2 s or
  // more gets a line of its own at once, saying when requests resume: with Notion's cap of minutes,
  // a bar that stops moving must say why.
  void paused(std::chrono::milliseconds pause);
  // Ends the current bar's line.
  void finish();

 private:
  void draw(bool final_line);

  std::FILE* out_;
  bool terminal_;
  const notion::Client& client_;
  std::mutex mutex_;
  std::string target_;
  std::size_t done_ = 0;
  std::size_t total_ = 0;
  std::size_t last_decile_ = 0;
  std::uint64_t requests_at_start_ = 0;
  std::uint64_t rate_limited_at_start_ = 0;
  std::chrono::milliseconds wait_at_start_{0};
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_draw_;
  bool line_open_ = false;
};

}  // namespace notionsync::cli
