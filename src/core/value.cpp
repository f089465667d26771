#include "notionsync/core/value.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "notionsync/core/error.hpp"

namespace notionsync {
namespace {

bool is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

// Reads exactly `width` decimal digits at `pos`, advancing it.
std::optional<int> read_digits(std::string_view text, std::size_t& pos, std::size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  int result = 0;
  for (std::size_t i = 0; i < width; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    result = result * 10 + (c - '0');
  }
  pos += width;
  return result;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

std::optional<Date> parse_date_at(std::string_view text, std::size_t& pos) {
  const auto year = read_digits(text, pos, 4);
  if (!year || !expect(text, pos, '-')) return std::nullopt;
  const auto month = read_digits(text, pos, 2);
  if (!month || !expect(text, pos, '-')) return std::nullopt;
  const auto day = read_digits(text, pos, 2);
  if (!day) return std::nullopt;
  if (*year < 1 || *month < 1 || *month > 12 || *day < 1 || *day > days_in_month(*year, *month)) {
    return std::nullopt;
  }
  return Date{*year, *month, *day};
}

// Appends `number` with at least `width` digits, as printf's "%0*d" would. Dates and times are
// formatted on every encode, so this avoids printf's format parsing.
void append_padded(std::string& out, int number, int width) {
  // The usual case, a field of a real date or time: its digits in one append.
  static constexpr int kLimits[] = {1, 10, 100, 1000, 10000};
  if (width >= 1 && width <= 4 && number >= 0 && number < kLimits[width]) {
    char digits[4];
    for (int i = width - 1; i >= 0; --i, number /= 10)
      digits[i] = static_cast<char>('0' + number % 10);
    out.append(digits, static_cast<std::size_t>(width));
    return;
  }
  if (number < 0) {
    out += '-';
    --width;
  }
  char digits[16];
  const auto end = std::to_chars(digits, digits + sizeof digits, std::llabs(number)).ptr;
  const auto length = static_cast<int>(end - digits);
  if (length < width) out.append(static_cast<std::size_t>(width - length), '0');
  out.append(digits, end);
}

void append_offset(std::string& out, int offset_minutes) {
  if (offset_minutes == 0) {
    out += 'Z';
    return;
  }
  const int magnitude = std::abs(offset_minutes);
  out += offset_minutes < 0 ? '-' : '+';
  append_padded(out, magnitude / 60 % 100, 2);
  out += ':';
  append_padded(out, magnitude % 60, 2);
}

[[noreturn]] void throw_type_mismatch(Value::Type wanted, Value::Type actual) {
  throw Error(ErrorKind::invalid_argument, "expected a " + std::string(to_string(wanted)) +
                                               " value but found " +
                                               std::string(to_string(actual)));
}

// Doubles that hold an integer within int64 range encode as that integer, so 1 and 1.0 are one
// number everywhere (keys, fingerprints, equality).
std::optional<std::int64_t> integral_value(double number) {
  // 2^63 is exactly representable; anything at or beyond it does not fit an int64.
  constexpr double kTwoPow63 = 9223372036854775808.0;
  if (std::trunc(number) != number || number >= kTwoPow63 || number < -kTwoPow63) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(number);
}

void append_integer(std::string& out, std::int64_t number) {
  // Lengths and counts are mostly one or two digits: the common case without to_chars.
  if (number >= 0 && number < 100) {
    if (number >= 10) out += static_cast<char>('0' + number / 10);
    out += static_cast<char>('0' + number % 10);
    return;
  }
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
  out.append(buffer, result.ptr);
}

void append_real(std::string& out, double number) {
  if (!std::isfinite(number)) {
    throw Error(ErrorKind::invalid_value,
                std::isnan(number) ? "NaN is not a valid value" : "infinity is not a valid value");
  }
  if (const auto integral = integral_value(number)) {
    out += 'i';
    append_integer(out, *integral);
    out += ';';
    return;
  }
  // Shortest representation that round-trips: identical on every IEEE-754 platform.
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
  out += 'r';
  out.append(buffer, result.ptr);
  out += ';';
}

class CanonicalDecoder {
 public:
  explicit CanonicalDecoder(std::string_view input) : input_(input) {}

  Value decode_all() {
    Value value = decode_one();
    if (pos_ != input_.size()) fail("trailing bytes");
    return value;
  }

  Value decode_prefix(std::size_t& consumed) {
    Value value = decode_one();
    consumed = pos_;
    return value;
  }

 private:
  [[noreturn]] void fail(std::string_view reason) const {
    throw Error(ErrorKind::invalid_value, "malformed canonical encoding at byte " +
                                              std::to_string(pos_) + ": " + std::string(reason));
  }

  char next() {
    if (pos_ >= input_.size()) fail("unexpected end");
    return input_[pos_++];
  }

  std::string_view until(char terminator) {
    const auto end = input_.find(terminator, pos_);
    if (end == std::string_view::npos) fail("missing terminator");
    const auto piece = input_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return piece;
  }

  std::uint64_t read_count() {
    const auto digits = until(':');
    std::uint64_t count = 0;
    const auto result = std::from_chars(digits.data(), digits.data() + digits.size(), count);
    if (result.ec != std::errc() || result.ptr != digits.data() + digits.size()) fail("bad length");
    return count;
  }

  Value decode_one() {
    switch (next()) {
      case 'n':
        return Value();
      case 't':
        return Value(true);
      case 'f':
        return Value(false);
      case 'i': {
        const auto digits = until(';');
        std::int64_t number = 0;
        const auto result = std::from_chars(digits.data(), digits.data() + digits.size(), number);
        if (result.ec != std::errc() || result.ptr != digits.data() + digits.size()) {
          fail("bad integer");
        }
        return Value(number);
      }
      case 'r': {
        const auto digits = until(';');
        double number = 0;
        const auto result = std::from_chars(digits.data(), digits.data() + digits.size(), number);
        if (result.ec != std::errc() || result.ptr != digits.data() + digits.size()) {
          fail("bad real");
        }
        return Value(number);
      }
      case 's': {
        const auto length = read_count();
        if (length > input_.size() - pos_) fail("string longer than input");
        std::string text(input_.substr(pos_, length));
        pos_ += length;
        return Value(std::move(text));
      }
      case 'd': {
        const auto date = parse_date_at(input_, pos_);
        if (!date) fail("bad date");
        return Value(*date);
      }
      case 'T': {
        const auto date_time = DateTime::parse(until(';'));
        if (!date_time) fail("bad date-time");
        return Value(*date_time);
      }
      case 'l': {
        const auto count = read_count();
        Value::List items;
        for (std::uint64_t i = 0; i < count; ++i) items.push_back(decode_one());
        return Value(std::move(items));
      }
      default:
        --pos_;
        fail("unknown type tag");
    }
  }

  std::string_view input_;
  std::size_t pos_ = 0;
};

}  // namespace

std::optional<Date> Date::parse(std::string_view text) {
  std::size_t pos = 0;
  auto date = parse_date_at(text, pos);
  if (!date || pos != text.size()) return std::nullopt;
  return date;
}

std::string Date::to_iso() const {
  std::string text;
  append_iso(text);
  return text;
}

void Date::append_iso(std::string& out) const {
  append_padded(out, year, 4);
  out += '-';
  append_padded(out, month, 2);
  out += '-';
  append_padded(out, day, 2);
}

std::optional<DateTime> DateTime::parse(std::string_view text) {
  std::size_t pos = 0;
  DateTime result;
  const auto date = parse_date_at(text, pos);
  if (!date) return std::nullopt;
  result.date = *date;
  if (!expect(text, pos, 'T') && !expect(text, pos, ' ')) return std::nullopt;
  const auto hour = read_digits(text, pos, 2);
  if (!hour || !expect(text, pos, ':')) return std::nullopt;
  const auto minute = read_digits(text, pos, 2);
  if (!minute) return std::nullopt;
  int second = 0;
  int millisecond = 0;
  if (expect(text, pos, ':')) {
    const auto seconds = read_digits(text, pos, 2);
    if (!seconds) return std::nullopt;
    second = *seconds;
    if (expect(text, pos, '.')) {
      int digits = 0;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        if (digits < 3) millisecond = millisecond * 10 + (text[pos] - '0');
        ++digits;
        ++pos;
      }
      if (digits == 0) return std::nullopt;
      for (int scale = digits; scale < 3; ++scale) millisecond *= 10;
    }
  }
  if (*hour > 23 || *minute > 59 || second > 59) return std::nullopt;
  result.hour = *hour;
  result.minute = *minute;
  result.second = second;
  result.millisecond = millisecond;
  if (pos < text.size()) {
    const char sign = text[pos++];
    if (sign == 'Z' || sign == 'z') {
      result.offset_minutes = 0;
    } else if (sign == '+' || sign == '-') {
      const auto offset_hours = read_digits(text, pos, 2);
      if (!offset_hours) return std::nullopt;
      expect(text, pos, ':');
      const auto offset_minutes = read_digits(text, pos, 2);
      if (!offset_minutes || *offset_hours > 23 || *offset_minutes > 59) return std::nullopt;
      const int magnitude = *offset_hours * 60 + *offset_minutes;
      result.offset_minutes = sign == '-' ? -magnitude : magnitude;
    } else {
      return std::nullopt;
    }
  }
  if (pos != text.size()) return std::nullopt;
  return result;
}

std::string DateTime::to_iso() const {
  std::string text;
  append_iso(text);
  return text;
}

void DateTime::append_iso(std::string& out) const {
  date.append_iso(out);
  out += 'T';
  append_padded(out, hour, 2);
  out += ':';
  append_padded(out, minute, 2);
  out += ':';
  append_padded(out, second, 2);
  out += '.';
  append_padded(out, millisecond, 3);
  if (offset_minutes) append_offset(out, *offset_minutes);
}

bool Value::as_bool() const {
  if (type() != Type::boolean) throw_type_mismatch(Type::boolean, type());
  return std::get<bool>(data_);
}

std::int64_t Value::as_integer() const {
  if (type() == Type::real) {
    if (const auto integral = integral_value(std::get<double>(data_))) return *integral;
  }
  if (type() != Type::integer) throw_type_mismatch(Type::integer, type());
  return std::get<std::int64_t>(data_);
}

double Value::as_double() const {
  if (type() == Type::integer) return static_cast<double>(std::get<std::int64_t>(data_));
  if (type() != Type::real) throw_type_mismatch(Type::real, type());
  return std::get<double>(data_);
}

const std::string& Value::as_string() const {
  if (type() != Type::string) throw_type_mismatch(Type::string, type());
  return std::get<std::string>(data_);
}

const Date& Value::as_date() const {
  if (type() != Type::date) throw_type_mismatch(Type::date, type());
  return std::get<Date>(data_);
}

const DateTime& Value::as_date_time() const {
  if (type() != Type::date_time) throw_type_mismatch(Type::date_time, type());
  return std::get<DateTime>(data_);
}

const Value::List& Value::as_list() const {
  if (type() != Type::list) throw_type_mismatch(Type::list, type());
  return std::get<List>(data_);
}

std::string Value::to_display() const {
  switch (type()) {
    case Type::null:
      return "null";
    case Type::boolean:
      return as_bool() ? "true" : "false";
    case Type::integer:
      return std::to_string(std::get<std::int64_t>(data_));
    case Type::real: {
      char buffer[32];
      const auto result = std::to_chars(buffer, buffer + sizeof buffer, std::get<double>(data_));
      return std::string(buffer, result.ptr);
    }
    case Type::string:
      return '"' + as_string() + '"';
    case Type::date:
      return as_date().to_iso();
    case Type::date_time:
      return as_date_time().to_iso();
    case Type::list: {
      std::string text = "[";
      for (const auto& item : as_list()) {
        if (text.size() > 1) text += ", ";
        text += item.to_display();
      }
      return text + "]";
    }
  }
  return {};
}

bool operator==(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.type() == b.type()) return a.data_ == b.data_;
    const auto& real = a.type() == Value::Type::real ? a : b;
    const auto& integer = a.type() == Value::Type::real ? b : a;
    const auto integral = integral_value(std::get<double>(real.data_));
    return integral && *integral == std::get<std::int64_t>(integer.data_);
  }
  return a.data_ == b.data_;
}

std::string_view to_string(Value::Type type) {
  switch (type) {
    case Value::Type::null:
      return "null";
    case Value::Type::boolean:
      return "boolean";
    case Value::Type::integer:
      return "integer";
    case Value::Type::real:
      return "number";
    case Value::Type::string:
      return "string";
    case Value::Type::date:
      return "date";
    case Value::Type::date_time:
      return "date-time";
    case Value::Type::list:
      return "list";
  }
  return "unknown";
}

void append_canonical(std::string& out, const Value& value) {
  switch (value.type()) {
    case Value::Type::null:
      out += 'n';
      return;
    case Value::Type::boolean:
      out += value.as_bool() ? 't' : 'f';
      return;
    case Value::Type::integer:
      out += 'i';
      append_integer(out, value.as_integer());
      out += ';';
      return;
    case Value::Type::real:
      append_real(out, value.as_double());
      return;
    case Value::Type::string:
      append_canonical_string(out, value.as_string());
      return;
    case Value::Type::date:
      out += 'd';
      value.as_date().append_iso(out);
      return;
    case Value::Type::date_time:
      out += 'T';
      value.as_date_time().append_iso(out);
      out += ';';
      return;
    case Value::Type::list: {
      const auto& items = value.as_list();
      append_canonical_list_header(out, items.size());
      for (const auto& item : items) append_canonical(out, item);
      return;
    }
  }
}

void append_canonical_string(std::string& out, std::string_view text) {
  if (!is_valid_utf8(text)) throw Error(ErrorKind::invalid_value, "text is not valid UTF-8");
  out += 's';
  append_integer(out, static_cast<std::int64_t>(text.size()));
  out += ':';
  out += text;
}

void append_canonical_list_header(std::string& out, std::size_t size) {
  out += 'l';
  append_integer(out, static_cast<std::int64_t>(size));
  out += ':';
}

std::string canonical_encoding(const Value& value) {
  std::string out;
  append_canonical(out, value);
  return out;
}

Value decode_canonical(std::string_view encoded) {
  return CanonicalDecoder(encoded).decode_all();
}

Value decode_canonical_prefix(std::string_view encoded, std::size_t& consumed) {
  return CanonicalDecoder(encoded).decode_prefix(consumed);
}

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  const auto byte = [&](std::size_t at) { return static_cast<unsigned char>(text[at]); };
  while (i < text.size()) {
    // Most text is ASCII: skip it eight bytes at a time.
    std::uint64_t word = 0;
    while (i + sizeof word <= text.size()) {
      std::memcpy(&word, text.data() + i, sizeof word);
      if ((word & 0x8080808080808080ULL) != 0) break;
      i += sizeof word;
    }
    if (i >= text.size()) break;
    const unsigned char lead = byte(i);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    std::uint32_t code_point = 0;
    if ((lead & 0xE0) == 0xC0) {
      length = 2;
      code_point = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      code_point = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      code_point = lead & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((byte(i + k) & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (byte(i + k) & 0x3F);
    }
    static constexpr std::uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < kMinimum[length] || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

}  // namespace notionsync
