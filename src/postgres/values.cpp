#include "postgres/values.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <pqxx/array>

namespace notionsync::sources::detail {
namespace {

// Type oids from pg_type.dat; they are fixed for built-in types.
enum : PostgresTypeOid {
  kBool = 16,
  kBytea = 17,
  kInt8 = 20,
  kInt2 = 21,
  kInt4 = 23,
  kFloat4 = 700,
  kFloat8 = 701,
  kDate = 1082,
  kTimestamp = 1114,
  kTimestampTz = 1184,
  kNumeric = 1700,
  kBoolArray = 1000,
  kInt2Array = 1005,
  kInt4Array = 1007,
  kTextArray = 1009,
  kBpcharArray = 1014,
  kVarcharArray = 1015,
  kInt8Array = 1016,
  kFloat4Array = 1021,
  kFloat8Array = 1022,
  kNumericArray = 1231,
  kText = 25,
};

PostgresValue ok(Value value) {
  return {std::move(value), {}};
}
PostgresValue fail(std::string error) {
  return {Value(), std::move(error)};
}

std::string quoted(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

PostgresValue integer_value(std::string_view text) {
  std::int64_t number = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), number);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size()) {
    return fail(quoted(text) + " is not an integer");
  }
  return ok(Value(number));
}

PostgresValue float_value(std::string_view text) {
  double number = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), number);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size() ||
      !std::isfinite(number)) {
    return fail(quoted(text) + " is not a finite number");
  }
  return ok(Value(number));
}

// numeric is exact decimal; a double holds any decimal of up to 15 significant digits exactly
// enough to read back as the same decimal (DBL_DIG), so those become doubles, whole numbers that
// fit become integers, and the rest stays exact text rather than losing digits silently.
PostgresValue numeric_value(std::string_view text) {
  std::size_t pos = text.starts_with('-') ? 1 : 0;
  const std::size_t integer_begin = pos;
  while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
  const std::string_view integer_digits = text.substr(integer_begin, pos - integer_begin);
  std::string_view fraction_digits;
  if (pos < text.size() && text[pos] == '.') {
    const std::size_t fraction_begin = ++pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
    fraction_digits = text.substr(fraction_begin, pos - fraction_begin);
  }
  if (pos != text.size() || integer_digits.empty()) {
    return fail(quoted(text) + " is not a finite number");
  }
  while (!fraction_digits.empty() && fraction_digits.back() == '0')
    fraction_digits.remove_suffix(1);
  if (fraction_digits.empty()) {
    std::int64_t number = 0;
    const std::string_view whole = text.substr(0, integer_begin + integer_digits.size());
    const auto result = std::from_chars(whole.data(), whole.data() + whole.size(), number);
    if (result.ec == std::errc()) return ok(Value(number));
  }
  std::string significant = std::string(integer_digits) + std::string(fraction_digits);
  significant.erase(0, std::min(significant.find_first_not_of('0'), significant.size()));
  if (fraction_digits.empty()) {
    while (!significant.empty() && significant.back() == '0') significant.pop_back();
  }
  if (significant.size() <= 15) return float_value(text);
  return ok(Value(std::string(text)));
}

PostgresValue date_value(std::string_view text) {
  if (auto date = Date::parse(text)) return ok(Value(*date));
  return fail(quoted(text) + " is outside the dates notionsync supports (years 1 to 9999)");
}

PostgresValue timestamp_value(std::string_view text, bool with_time_zone) {
  std::string normal(text);
  // timestamptz prints its offset as "+00" when it is whole hours; ISO 8601 wants "+00:00".
  if (with_time_zone && normal.size() > 3) {
    const std::size_t sign = normal.size() - 3;
    if ((normal[sign] == '+' || normal[sign] == '-') &&
        std::isdigit(static_cast<unsigned char>(normal[sign + 1])) &&
        std::isdigit(static_cast<unsigned char>(normal[sign + 2]))) {
      normal += ":00";
    }
  }
  if (auto date_time = DateTime::parse(normal)) return ok(Value(*date_time));
  return fail(quoted(text) + " is outside the date-times notionsync supports (years 1 to 9999)");
}

PostgresValue text_value(std::string_view text) {
  if (!is_valid_utf8(text)) return fail("value is not valid UTF-8");
  return ok(Value(std::string(text)));
}

std::optional<PostgresTypeOid> element_type(PostgresTypeOid array_type) {
  switch (array_type) {
    case kBoolArray:
      return kBool;
    case kInt2Array:
      return kInt2;
    case kInt4Array:
      return kInt4;
    case kInt8Array:
      return kInt8;
    case kFloat4Array:
      return kFloat4;
    case kFloat8Array:
      return kFloat8;
    case kNumericArray:
      return kNumeric;
    case kTextArray:
    case kBpcharArray:
    case kVarcharArray:
      return kText;
    default:
      return std::nullopt;
  }
}

PostgresValue array_value(PostgresTypeOid element, std::string_view text) {
  const std::string input(text);
  pqxx::array_parser parser(input.c_str());
  Value::List items;
  int depth = 0;
  while (true) {
    auto [juncture, item] = parser.get_next();
    switch (juncture) {
      case pqxx::array_parser::row_start:
        if (++depth > 1) return fail("multi-dimensional arrays are not supported");
        break;
      case pqxx::array_parser::row_end:
        --depth;
        break;
      case pqxx::array_parser::null_value:
        items.emplace_back();
        break;
      case pqxx::array_parser::string_value: {
        PostgresValue converted = postgres_value(element, item);
        if (!converted.error.empty()) return fail("array item: " + converted.error);
        items.push_back(std::move(converted.value));
        break;
      }
      case pqxx::array_parser::done:
        return ok(Value(std::move(items)));
    }
  }
}

}  // namespace

PostgresValue postgres_value(PostgresTypeOid type_oid, std::string_view text) {
  switch (type_oid) {
    case kBool:
      if (text == "t") return ok(Value(true));
      if (text == "f") return ok(Value(false));
      return fail(quoted(text) + " is not a boolean");
    case kInt2:
    case kInt4:
    case kInt8:
      return integer_value(text);
    case kFloat4:
    case kFloat8:
      return float_value(text);
    case kNumeric:
      return numeric_value(text);
    case kDate:
      return date_value(text);
    case kTimestamp:
      return timestamp_value(text, false);
    case kTimestampTz:
      return timestamp_value(text, true);
    case kBytea:
      return fail("bytea values are not supported; select text or a number instead");
    default:
      if (const auto element = element_type(type_oid)) return array_value(*element, text);
      return text_value(text);
  }
}

}  // namespace notionsync::sources::detail
