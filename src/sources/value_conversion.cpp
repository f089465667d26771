#include "notionsync/sources/value_conversion.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <utility>

#include "notionsync/core/error.hpp"

namespace notionsync::sources {
namespace {

constexpr std::array<std::pair<ValueKind, std::string_view>, 9> kKindNames{{
    {ValueKind::text, "text"},
    {ValueKind::number, "number"},
    {ValueKind::boolean, "boolean"},
    {ValueKind::date, "date"},
    {ValueKind::email, "email"},
    {ValueKind::url, "url"},
    {ValueKind::phone, "phone"},
    {ValueKind::list, "list"},
    {ValueKind::id_list, "id_list"},
}};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
char to_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::string lower(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = to_lower(c);
  return result;
}

bool has_space(std::string_view text) {
  for (const char c : text) {
    if (is_space(c)) return true;
  }
  return false;
}

std::string quoted(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

ConversionResult failure(std::string error) {
  return {Value(), std::move(error)};
}
ConversionResult success(Value value) {
  return {std::move(value), {}};
}

std::string type_phrase(const Value& value) {
  switch (value.type()) {
    case Value::Type::null:
      return "null";
    case Value::Type::boolean:
      return "a boolean";
    case Value::Type::integer:
      return "an integer";
    case Value::Type::real:
      return "a number";
    case Value::Type::string:
      return "a string";
    case Value::Type::date:
      return "a date";
    case Value::Type::date_time:
      return "a date-time";
    case Value::Type::list:
      return "a list";
  }
  return "a value";
}

ConversionResult wrong_type(const Value& raw, ValueKind kind) {
  return failure("expected " + std::string(to_string(kind)) + ", found " + type_phrase(raw) + " (" +
                 raw.to_display() + ")");
}

// Shortest decimal text that reads back as the same double.
std::string double_text(double number) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
  return std::string(buffer, result.ptr);
}

// Decimal notation only: optional sign, digits with an optional fraction, optional exponent.
// std::from_chars alone would also take "inf", "nan" and hexadecimal forms.
std::optional<Value> parse_number(std::string_view text) {
  std::size_t pos = 0;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) ++pos;
  std::size_t digits = 0;
  while (pos < text.size() && is_digit(text[pos])) ++pos, ++digits;
  bool integral = true;
  if (pos < text.size() && text[pos] == '.') {
    integral = false;
    ++pos;
    while (pos < text.size() && is_digit(text[pos])) ++pos, ++digits;
  }
  if (digits == 0) return std::nullopt;
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    integral = false;
    ++pos;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) ++pos;
    std::size_t exponent_digits = 0;
    while (pos < text.size() && is_digit(text[pos])) ++pos, ++exponent_digits;
    if (exponent_digits == 0) return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  // from_chars rejects a leading '+'.
  const std::string_view unsigned_text = text.front() == '+' ? text.substr(1) : text;
  const char* const first = unsigned_text.data();
  const char* const last = first + unsigned_text.size();
  if (integral) {
    std::int64_t integer = 0;
    const auto result = std::from_chars(first, last, integer);
    if (result.ec == std::errc() && result.ptr == last) return Value(integer);
  }
  double real = 0;
  const auto result = std::from_chars(first, last, real);
  if (result.ec != std::errc() || result.ptr != last || !std::isfinite(real)) {
    return std::nullopt;
  }
  return Value(real);
}

ConversionResult to_text(const Value& raw) {
  switch (raw.type()) {
    case Value::Type::string:
      return success(raw);
    case Value::Type::integer:
      return success(Value(std::to_string(raw.as_integer())));
    case Value::Type::real:
      if (!std::isfinite(raw.as_double())) return failure("not a finite number");
      return success(Value(double_text(raw.as_double())));
    case Value::Type::boolean:
      return success(Value(raw.as_bool() ? "true" : "false"));
    case Value::Type::date:
      return success(Value(raw.as_date().to_iso()));
    case Value::Type::date_time:
      return success(Value(raw.as_date_time().to_iso()));
    default:
      return wrong_type(raw, ValueKind::text);
  }
}

ConversionResult to_number(const Value& raw, std::string_view text) {
  switch (raw.type()) {
    case Value::Type::integer:
      return success(raw);
    case Value::Type::real:
      if (!std::isfinite(raw.as_double())) return failure("not a finite number");
      return success(raw);
    case Value::Type::string:
      if (auto number = parse_number(text)) return success(std::move(*number));
      return failure(quoted(text) + " is not a number");
    default:
      return wrong_type(raw, ValueKind::number);
  }
}

ConversionResult to_boolean(const Value& raw, std::string_view text) {
  switch (raw.type()) {
    case Value::Type::boolean:
      return success(raw);
    case Value::Type::integer:
      if (raw.as_integer() == 0 || raw.as_integer() == 1)
        return success(Value(raw.as_integer() == 1));
      return failure(raw.to_display() + " is not a boolean (expected 0 or 1)");
    case Value::Type::string: {
      const std::string word = lower(text);
      if (word == "true" || word == "yes" || word == "1" || word == "x")
        return success(Value(true));
      if (word == "false" || word == "no" || word == "0") return success(Value(false));
      return failure(quoted(text) + " is not a boolean (expected true/false, yes/no, 1/0 or x)");
    }
    default:
      return wrong_type(raw, ValueKind::boolean);
  }
}

// True for "NNNN-NN-NN" optionally followed by a time: the shape of a date, valid or not.
bool looks_like_date(std::string_view text) {
  if (text.size() < 10) return false;
  for (std::size_t i = 0; i < 10; ++i) {
    const bool want_dash = i == 4 || i == 7;
    if (want_dash ? text[i] != '-' : !is_digit(text[i])) return false;
  }
  return true;
}

ConversionResult to_date(const Value& raw, std::string_view text) {
  switch (raw.type()) {
    case Value::Type::date:
    case Value::Type::date_time:
      return success(raw);
    case Value::Type::string:
      if (auto date = Date::parse(text)) return success(Value(*date));
      if (auto date_time = DateTime::parse(text)) return success(Value(*date_time));
      if (looks_like_date(text) && !Date::parse(text.substr(0, 10))) {
        return failure(quoted(text) + " is no such date");
      }
      return failure(quoted(text) +
                     " is not a date (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM])");
    default:
      return wrong_type(raw, ValueKind::date);
  }
}

bool is_email(std::string_view text) {
  const auto at = text.find('@');
  if (at == std::string_view::npos || text.find('@', at + 1) != std::string_view::npos)
    return false;
  const std::string_view local = text.substr(0, at);
  const std::string_view domain = text.substr(at + 1);
  if (local.empty() || has_space(text)) return false;
  const auto dot = domain.find('.');
  return dot != std::string_view::npos && domain.front() != '.' && domain.back() != '.' &&
         domain.find("..") == std::string_view::npos;
}

bool is_url(std::string_view text) {
  const auto separator = text.find("://");
  if (separator == std::string_view::npos || separator == 0 || has_space(text)) return false;
  const std::string_view scheme = text.substr(0, separator);
  if (!is_alpha(scheme.front())) return false;
  for (const char c : scheme) {
    if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.') return false;
  }
  std::string_view rest = text.substr(separator + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  // "[::1]" hosts contain colons: a bracketed host is taken whole.
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    return close != std::string_view::npos && close > 1;
  }
  return !authority.substr(0, authority.find(':')).empty();
}

bool is_phone(std::string_view text) {
  // An extension ("x12", "ext 12", "ext. 12") may follow the number.
  const std::string lowered = lower(text);
  std::string_view number = lowered;
  for (const std::string_view marker : {"ext.", "ext", "x"}) {
    const auto cut = number.rfind(marker);
    if (cut == std::string_view::npos) continue;
    const std::string_view extension = trim(number.substr(cut + marker.size()));
    if (extension.empty()) return false;
    for (const char c : extension) {
      if (!is_digit(c)) return false;
    }
    number = trim(number.substr(0, cut));
    break;
  }
  bool has_digit = false;
  for (const char c : number) {
    if (is_digit(c)) {
      has_digit = true;
    } else if (c != ' ' && c != '+' && c != '-' && c != '(' && c != ')' && c != '.' && c != '/') {
      return false;
    }
  }
  return has_digit;
}

bool is_checked_string_kind(ValueKind kind) {
  return kind == ValueKind::email || kind == ValueKind::url || kind == ValueKind::phone;
}

// Why `text` is not a valid `kind` (email, url or phone), or nullopt when it is.
std::optional<std::string> checked_string_problem(std::string_view text, ValueKind kind) {
  switch (kind) {
    case ValueKind::email:
      if (!is_email(text)) return quoted(text) + " is not an email address";
      break;
    case ValueKind::url:
      if (!is_url(text)) return quoted(text) + " is not a URL (expected scheme://host...)";
      break;
    default:
      if (!is_phone(text)) return quoted(text) + " is not a phone number";
      break;
  }
  return std::nullopt;
}

ConversionResult to_checked_string(const Value& raw, std::string_view text, ValueKind kind) {
  if (kind == ValueKind::phone && raw.type() == Value::Type::integer) {
    return success(Value(std::to_string(raw.as_integer())));
  }
  if (raw.type() != Value::Type::string) return wrong_type(raw, kind);
  if (auto problem = checked_string_problem(text, kind)) return failure(std::move(*problem));
  return success(Value(std::string(text)));
}

// One item of a list: strings trimmed (empty → dropped, reported as nullopt), numbers kept as
// numbers for id lists and turned into text for plain lists.
std::optional<ConversionResult> list_item(const Value& item, ValueKind kind) {
  switch (item.type()) {
    case Value::Type::null:
      return std::nullopt;
    case Value::Type::string: {
      const std::string_view text = trim(item.as_string());
      if (text.empty()) return std::nullopt;
      return success(Value(std::string(text)));
    }
    case Value::Type::integer:
    case Value::Type::real:
      if (!std::isfinite(item.as_double())) return failure("not a finite number");
      if (kind == ValueKind::id_list) return success(item);
      return to_text(item);
    default:
      return failure("a list item must be text or a number, found " + type_phrase(item) + " (" +
                     item.to_display() + ")");
  }
}

ConversionResult to_list(const Value& raw, ValueKind kind, const ConversionOptions& options) {
  Value::List items;
  const auto add = [&](const Value& item) -> std::optional<ConversionResult> {
    auto converted = list_item(item, kind);
    if (!converted) return std::nullopt;
    if (!converted->ok()) return converted;
    items.push_back(std::move(converted->value));
    return std::nullopt;
  };
  switch (raw.type()) {
    case Value::Type::string: {
      std::string_view rest = raw.as_string();
      while (true) {
        const auto cut = rest.find(options.separator);
        add(Value(rest.substr(0, cut)));
        if (cut == std::string_view::npos) break;
        rest.remove_prefix(cut + options.separator.size());
      }
      break;
    }
    case Value::Type::list:
      for (const Value& item : raw.as_list()) {
        if (auto problem = add(item)) return std::move(*problem);
      }
      break;
    case Value::Type::integer:
    case Value::Type::real:
      if (auto problem = add(raw)) return std::move(*problem);
      break;
    default:
      return wrong_type(raw, kind);
  }
  return success(Value(std::move(items)));
}

}  // namespace

std::string_view to_string(ValueKind kind) {
  for (const auto& [candidate, name] : kKindNames) {
    if (candidate == kind) return name;
  }
  return "unknown";
}

std::optional<ValueKind> parse_value_kind(std::string_view name) {
  for (const auto& [kind, candidate] : kKindNames) {
    if (candidate == name) return kind;
  }
  return std::nullopt;
}

ConversionResult try_convert_value(const Value& raw, ValueKind kind,
                                   const ConversionOptions& options) {
  if (options.separator.empty()) {
    throw Error(ErrorKind::invalid_argument, "the list separator cannot be empty");
  }
  if (raw.is_null()) return success(Value());
  if (kind == ValueKind::text) return to_text(raw);
  std::string_view text;
  if (raw.type() == Value::Type::string) {
    text = trim(raw.as_string());
    // An empty cell is "no value" for every typed kind.
    if (text.empty()) return success(Value());
  }
  switch (kind) {
    case ValueKind::number:
      return to_number(raw, text);
    case ValueKind::boolean:
      return to_boolean(raw, text);
    case ValueKind::date:
      return to_date(raw, text);
    case ValueKind::email:
    case ValueKind::url:
    case ValueKind::phone:
      return to_checked_string(raw, text, kind);
    case ValueKind::list:
    case ValueKind::id_list:
      return to_list(raw, kind, options);
    case ValueKind::text:
      break;
  }
  return to_text(raw);
}

ConversionResult try_convert_value(Value&& raw, ValueKind kind, const ConversionOptions& options) {
  // Text, and an email, URL or phone number with nothing to trim, keep the source's string as
  // it is: take it instead of copying it.
  if (raw.type() == Value::Type::string && !options.separator.empty()) {
    if (kind == ValueKind::text) return success(std::move(raw));
    const std::string& whole = raw.as_string();
    if (is_checked_string_kind(kind) && !whole.empty() && trim(whole).size() == whole.size()) {
      if (auto problem = checked_string_problem(whole, kind)) return failure(std::move(*problem));
      return success(std::move(raw));
    }
  }
  return try_convert_value(std::as_const(raw), kind, options);
}

Value convert_value(const Value& raw, ValueKind kind, const ConversionOptions& options) {
  ConversionResult result = try_convert_value(raw, kind, options);
  if (!result.ok()) throw Error(ErrorKind::invalid_value, result.error);
  return std::move(result.value);
}

}  // namespace notionsync::sources
