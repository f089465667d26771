// Value: one cell of a declared row, independent of Notion.
//
// A Value is null, a bool, a 64-bit integer, a double, a UTF-8 string, a calendar date, a date-time
// (with an optional UTC offset) or a list of values. Rows, primary keys and fingerprints are all
// built from Values, so two runs (or two machines) that declare the same data compute the same
// encodings:
//
//   Value age = 42;                       // integer
//   Value when = Date::parse("2026-06-01").value();
//   std::string bytes = canonical_encoding(Value::List{"Ada", 1.0});   // 1.0 encodes as 1
//
// Numbers compare and encode by numeric value: Value(1) == Value(1.0). NaN and infinities have no
// canonical form and are rejected by canonical_encoding() with Error(ErrorKind::invalid_value).
#pragma once

#include <compare>
#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace notionsync {

// A calendar date in the proleptic Gregorian calendar, years 1..9999.
struct Date {
  int year = 1970;
  int month = 1;
  int day = 1;

  // Parses "YYYY-MM-DD"; nullopt when malformed or not a real day (2026-02-30).
  static std::optional<Date> parse(std::string_view text);
  std::string to_iso() const;  // "YYYY-MM-DD"
  void append_iso(std::string& out) const;
  friend auto operator<=>(const Date&, const Date&) = default;
};

// A date and time of day with millisecond precision. offset_minutes is the UTC offset the time was
// given in (0 for "Z"); nullopt is a floating local time, which Notion pairs with a time zone name.
struct DateTime {
  Date date;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int millisecond = 0;
  std::optional<int> offset_minutes;

  // Parses ISO 8601 "YYYY-MM-DDTHH:MM[:SS[.fff]][Z|+HH:MM|-HH:MM]" (a space may replace the T).
  // Fractions beyond milliseconds are truncated. nullopt when malformed or out of range.
  static std::optional<DateTime> parse(std::string_view text);
  // "YYYY-MM-DDTHH:MM:SS.mmm" followed by "Z", "+HH:MM" or nothing for a floating time.
  std::string to_iso() const;
  void append_iso(std::string& out) const;
  friend auto operator<=>(const DateTime&, const DateTime&) = default;
};

class Value {
 public:
  using List = std::vector<Value>;
  enum class Type { null, boolean, integer, real, string, date, date_time, list };

  Value() = default;
  Value(std::nullptr_t) {}
  Value(bool b) : data_(b) {}
  template <std::integral T>
  requires(!std::same_as<T, bool> && !std::same_as<T, char>) Value(T number)
      : data_(static_cast<std::int64_t>(number)) {}
  template <std::floating_point T>
  Value(T number) : data_(static_cast<double>(number)) {}
  Value(std::string text) : data_(std::move(text)) {}
  Value(std::string_view text) : data_(std::string(text)) {}
  Value(const char* text) : data_(std::string(text)) {}
  Value(Date date) : data_(date) {}
  Value(DateTime date_time) : data_(date_time) {}
  Value(List items) : data_(std::move(items)) {}

  Type type() const { return static_cast<Type>(data_.index()); }
  bool is_null() const { return type() == Type::null; }
  bool is_number() const { return type() == Type::integer || type() == Type::real; }

  // Typed access. Each throws Error(ErrorKind::invalid_argument) naming both types on a mismatch.
  bool as_bool() const;
  std::int64_t as_integer() const;
  double as_double() const;  // accepts integers too
  const std::string& as_string() const;
  const Date& as_date() const;
  const DateTime& as_date_time() const;
  const List& as_list() const;

  // Human-readable form for messages and plans: strings quoted, lists in brackets.
  std::string to_display() const;

  // Structural equality where numbers compare by value (1 == 1.0).
  friend bool operator==(const Value& a, const Value& b);

 private:
  std::variant<std::monostate, bool, std::int64_t, double, std::string, Date, DateTime, List> data_;
};

std::string_view to_string(Value::Type type);

// Appends the canonical encoding of `value` to `out`: a compact, self-delimiting byte string that
// is identical for equal values on every platform. Throws Error(ErrorKind::invalid_value) for NaN,
// infinities and strings that are not valid UTF-8; `out` is then left unspecified.
void append_canonical(std::string& out, const Value& value);
std::string canonical_encoding(const Value& value);
// The pieces of append_canonical, for encoders that write a list or a string without building a
// Value first: a string (UTF-8 checked as above) and the header of a list of `size` items.
void append_canonical_string(std::string& out, std::string_view text);
void append_canonical_list_header(std::string& out, std::size_t size);

// Inverse of canonical_encoding(). Throws Error(ErrorKind::invalid_value) on malformed input.
Value decode_canonical(std::string_view encoded);
// The first value encoded at the start of `encoded`; `consumed` receives its size in bytes (the
// rest may hold further values). Throws Error(ErrorKind::invalid_value) on malformed input.
Value decode_canonical_prefix(std::string_view encoded, std::size_t& consumed);

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_valid_utf8(std::string_view text);

}  // namespace notionsync
