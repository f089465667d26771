// ISO 8601 times as Notion writes and compares them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace notion_emulator {

// Milliseconds since the Unix epoch, UTC.
std::int64_t now_ms();

// "2026-11-25T02:21:00.000Z": Notion rounds created_time and last_edited_time down to the minute.
std::string format_minute(std::int64_t epoch_ms);

// "2026-11-25T02:21:07.412+00:00": database objects carry their times to the millisecond, with an
// offset instead of Z (recorded: shapes cases create_db_A, get_database).
std::string format_milliseconds(std::int64_t epoch_ms);

// "2026-11-25T02:21:07.412Z": an instant to the millisecond, as Notion writes a file's
// expiry_time (reference "File", example of a Notion-hosted file).
std::string format_instant(std::int64_t epoch_ms);

// Parses "2024-01-31", "2024-01-31T10:00", "2024-01-31T10:00:00.123Z" or with a "+02:00" offset.
// Times without an offset count as UTC. Returns nullopt for anything else.
std::optional<std::int64_t> parse_instant(std::string_view text);

// True for a bare calendar date ("2024-01-31").
bool is_date_only(std::string_view text);

// Notion's relative filter values (today, tomorrow, yesterday, one_week_ago, one_week_from_now,
// one_month_ago, one_month_from_now) as the UTC midnight they name; nullopt for other text.
std::optional<std::int64_t> resolve_relative_date(std::string_view text, std::int64_t now);

constexpr std::int64_t kDayMs = 24LL * 60 * 60 * 1000;

}  // namespace notion_emulator
