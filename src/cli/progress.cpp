#include "progress.hpp"

#include <ctime>

namespace notionsync::cli {
namespace {

std::string format_duration(double seconds) {
  const long total = static_cast<long>(seconds + 0.5);
  char buffer[32];
  if (total >= 3600) {
    std::snprintf(buffer, sizeof buffer, "%ldh%02ldm", total / 3600, total / 60 % 60);
  } else if (total >= 60) {
    std::snprintf(buffer, sizeof buffer, "%ldm%02lds", total / 60, total % 60);
  } else {
    std::snprintf(buffer, sizeof buffer, "%lds", total);
  }
  return buffer;
}

}  // namespace

ProgressDisplay::ProgressDisplay(std::FILE* out, bool terminal, const notion::Client& client)
    : out_(out), terminal_(terminal), client_(client) {}

ProgressDisplay::~ProgressDisplay() {
  finish();
}

void ProgressDisplay::update(const SyncProgress& progress) {
  std::lock_guard guard(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (progress.target != target_) {
    if (line_open_) draw(true);
    target_ = std::string(progress.target);
    started_ = now;
    last_draw_ = {};
    last_decile_ = 0;
    const auto stats = client_.stats();
    requests_at_start_ = stats.attempts;
    rate_limited_at_start_ = stats.rate_limited_responses;
    wait_at_start_ = stats.rate_limit_wait;
  }
  done_ = progress.done;
  total_ = progress.total;
  if (total_ == 0) return;  // nothing to write for this target: no bar
  const bool complete = done_ == total_;
  if (terminal_) {
    if (complete || now - last_draw_ >= std::chrono::milliseconds(100)) {
      last_draw_ = now;
      draw(complete);
    }
    return;
  }
  const std::size_t decile = done_ * 10 / total_;
  if (done_ == 0 || complete || decile > last_decile_) {
    last_decile_ = decile;
    draw(true);
  }
}

void ProgressDisplay::paused(std::chrono::milliseconds pause) {
  if (pause < std::chrono::seconds(2)) return;  // ordinary pacing: the bar's wait time shows it
  std::lock_guard guard(mutex_);
  const std::time_t resume = std::chrono::system_clock::to_time_t(
      std::chrono::system_clock::now() + std::chrono::ceil<std::chrono::seconds>(pause));
  std::tm local{};
  localtime_r(&resume, &local);
  char at[16];
  std::strftime(at, sizeof at, "%H:%M:%S", &local);
  if (line_open_) std::fputc('\n', out_);
  line_open_ = false;
  std::fprintf(out_,
               "%sNotion asked to wait %s before any further request (429, Retry-After); "
               "resuming at %s\n",
               target_.empty() ? "" : (target_ + ": ").c_str(),
               format_duration(std::chrono::duration<double>(pause).count()).c_str(), at);
  std::fflush(out_);
}

void ProgressDisplay::finish() {
  std::lock_guard guard(mutex_);
  if (line_open_) {
    std::fputc('\n', out_);
    line_open_ = false;
  }
  std::fflush(out_);
}

void ProgressDisplay::draw(bool final_line) {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  const auto stats = client_.stats();
  const double requests = static_cast<double>(stats.attempts - requests_at_start_);
  const double rate = elapsed > 0.05 ? requests / elapsed : 0.0;
  std::string line = target_ + " ";
  if (terminal_) {
    constexpr std::size_t kWidth = 24;
    const std::size_t filled = total_ == 0 ? kWidth : done_ * kWidth / total_;
    line += "[" + std::string(filled, '#') + std::string(kWidth - filled, '.') + "] ";
  }
  char numbers[160];
  std::snprintf(numbers, sizeof numbers, "%zu/%zu rows  %.1f req/s", done_, total_, rate);
  line += numbers;
  const double waited =
      static_cast<double>((stats.rate_limit_wait - wait_at_start_).count()) / 1000.0;
  if (waited >= 0.1) {
    char wait_text[48];
    std::snprintf(wait_text, sizeof wait_text, "  %.1fs waiting on rate limits", waited);
    line += wait_text;
  }
  const auto rate_limited = stats.rate_limited_responses - rate_limited_at_start_;
  if (rate_limited > 0) line += "  " + std::to_string(rate_limited) + " answered 429";
  if (done_ > 0 && done_ < total_) {
    line += "  ETA " + format_duration(elapsed / static_cast<double>(done_) *
                                       static_cast<double>(total_ - done_));
  } else if (done_ == total_) {
    line += "  in " + format_duration(elapsed);
  }
  if (terminal_) {
    std::fprintf(out_, "\r\033[K%s", line.c_str());
    line_open_ = !final_line;
    if (final_line) std::fputc('\n', out_);
  } else {
    std::fprintf(out_, "%s\n", line.c_str());
  }
  std::fflush(out_);
}

}  // namespace notionsync::cli
