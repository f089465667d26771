#include "timestamps.hpp"

#include <chrono>
#include <cstdio>

namespace notion_emulator {
namespace {

// Howard Hinnant's days_from_civil.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool digits(std::string_view text, std::size_t at, std::size_t count, int& value) {
  if (at + count > text.size()) return false;
  value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

}  // namespace

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string format_milliseconds(std::int64_t epoch_ms) {
  const std::chrono::sys_time<std::chrono::milliseconds> time{std::chrono::milliseconds(epoch_ms)};
  const auto day = std::chrono::floor<std::chrono::days>(time);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{time - day};
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%03d+00:00", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                int(hms.minutes().count()), int(hms.seconds().count()),
                int(hms.subseconds().count()));
  return buffer;
}

std::string format_instant(std::int64_t epoch_ms) {
  std::string text = format_milliseconds(epoch_ms);  // "....T02:21:07.412+00:00"
  return text.replace(text.size() - 6, 6, "Z");
}

std::string format_minute(std::int64_t epoch_ms) {
  const std::chrono::sys_time<std::chrono::milliseconds> time{std::chrono::milliseconds(epoch_ms)};
  const auto day = std::chrono::floor<std::chrono::days>(time);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{time - day};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:00.000Z", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                int(hms.minutes().count()));
  return buffer;
}

bool is_date_only(std::string_view text) {
  int value = 0;
  return text.size() == 10 && digits(text, 0, 4, value) && text[4] == '-' &&
         digits(text, 5, 2, value) && text[7] == '-' && digits(text, 8, 2, value);
}

std::optional<std::int64_t> parse_instant(std::string_view text) {
  int year = 0, month = 0, day = 0;
  if (text.size() < 10 || !digits(text, 0, 4, year) || text[4] != '-' ||
      !digits(text, 5, 2, month) || text[7] != '-' || !digits(text, 8, 2, day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  std::int64_t ms = days_from_civil(year, unsigned(month), unsigned(day)) * kDayMs;
  if (text.size() == 10) return ms;
  int hour = 0, minute = 0, second = 0;
  if (text[10] != 'T' || !digits(text, 11, 2, hour) || text.size() < 16 || text[13] != ':' ||
      !digits(text, 14, 2, minute) || hour > 23 || minute > 59) {
    return std::nullopt;
  }
  std::size_t at = 16;
  if (at < text.size() && text[at] == ':') {
    if (!digits(text, at + 1, 2, second) || second > 60) return std::nullopt;
    at += 3;
    if (at < text.size() && text[at] == '.') {
      ++at;
      int fraction = 0, scale = 1000, count = 0;
      while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
        if (count < 3) {
          fraction = fraction * 10 + (text[at] - '0');
          scale /= 10;
        }
        ++count;
        ++at;
      }
      if (count == 0) return std::nullopt;
      ms += std::int64_t(fraction) * scale;
    }
  }
  ms += (std::int64_t(hour) * 3600 + minute * 60 + second) * 1000;
  if (at == text.size()) return ms;
  if (text[at] == 'Z' && at + 1 == text.size()) return ms;
  int offset_hours = 0, offset_minutes = 0;
  if ((text[at] == '+' || text[at] == '-') && text.size() == at + 6 &&
      digits(text, at + 1, 2, offset_hours) && text[at + 3] == ':' &&
      digits(text, at + 4, 2, offset_minutes)) {
    const std::int64_t offset = (std::int64_t(offset_hours) * 60 + offset_minutes) * 60 * 1000;
    return text[at] == '+' ? ms - offset : ms + offset;
  }
  return std::nullopt;
}

std::optional<std::int64_t> resolve_relative_date(std::string_view text, std::int64_t now) {
  const std::int64_t today = now - ((now % kDayMs) + kDayMs) % kDayMs;
  if (text == "today") return today;
  if (text == "tomorrow") return today + kDayMs;
  if (text == "yesterday") return today - kDayMs;
  if (text == "one_week_ago") return today - 7 * kDayMs;
  if (text == "one_week_from_now") return today + 7 * kDayMs;
  if (text == "one_month_ago") return today - 30 * kDayMs;
  if (text == "one_month_from_now") return today + 30 * kDayMs;
  return std::nullopt;
}

}  // namespace notion_emulator
