// Typed conversion of source values: turns what a source read (often a string) into the Value a
// property of a given kind expects, or says why it cannot.
//
//   ConversionResult age = try_convert_value(Value("42"), ValueKind::number);   // Value(42)
//   if (!age.ok()) report(age.error);                                           // "not a number"
//   Value tags = convert_value(Value("a; b;;c"), ValueKind::list, {.separator = ";"});
//
// Rules (strings are trimmed of surrounding whitespace first, except for text):
//   every kind: null → null; "" (after trimming) → null, except text where "" stays "".
//   text:     strings as they are; integers, doubles, bools, dates and date-times → their text
//             form ("42", "3.5", "true", ISO 8601); a list is an error.
//   number:   integers and finite doubles pass; strings in decimal notation ("42", "-3.5", "1e3",
//             "+7") → int64 when integral without a fraction or exponent and within range, else a
//             finite double; anything else → "not a number".
//   boolean:  bools pass; integers 0 and 1; strings true/yes/1/x → true and false/no/0 → false,
//             case-insensitive; anything else → "not a boolean".
//   date:     Date and DateTime pass; strings "YYYY-MM-DD" → Date and ISO 8601 date-times
//             ("YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH:MM]", space allowed for T) → DateTime; an
//             impossible day (2026-02-30) → "no such date"; other text → "not a date".
//   email:    one "@", a non-empty local part, a domain with a dot that neither starts nor ends
//             it, no whitespace → the string; else "not an email address".
//   url:      "scheme://host..." where the scheme is a letter followed by letters, digits, "+",
//             "-" or ".", the host is non-empty, and there is no whitespace; else "not a URL".
//   phone:    digits, spaces and + - ( ) . / characters, with at least one digit, optionally
//             followed by an extension ("x12", "ext. 12"); integers → their digits; else
//             "not a phone number".
//   list:     a string is split on options.separator, items trimmed, empty items dropped → list
//             of strings; a list passes with its items made strings (integers and doubles by their
//             text form, nulls and empty strings dropped); a lone integer or double → one-item
//             list; anything else (bools, dates, nested lists) → error.
//   id_list:  like list, but integer and double items keep their type (they may be the keys of
//             another target's rows).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "notionsync/core/value.hpp"

namespace notionsync::sources {

enum class ValueKind { text, number, boolean, date, email, url, phone, list, id_list };

std::string_view to_string(ValueKind kind);
// The kind named by `name` ("text", "number", ... as to_string() spells them), or nullopt.
std::optional<ValueKind> parse_value_kind(std::string_view name);

struct ConversionOptions {
  // Splits list and id_list strings. REQUIRES: not empty.
  std::string separator = ",";
};

// The outcome of one conversion: a value, or the reason it could not be converted.
struct ConversionResult {
  Value value;        // null when the conversion failed
  std::string error;  // empty on success, else e.g. "\"abc\" is not a number"
  bool ok() const { return error.empty(); }
};

// Converts `raw` to what `kind` expects (see the rules above). Never throws for a bad value: that
// is an expected per-row outcome, reported in the result. Throws Error(ErrorKind::invalid_argument)
// only when options.separator is empty.
ConversionResult try_convert_value(const Value& raw, ValueKind kind,
                                   const ConversionOptions& options = {});
// As above, taking the value over where it can be kept as it is (text).
ConversionResult try_convert_value(Value&& raw, ValueKind kind,
                                   const ConversionOptions& options = {});

// As try_convert_value(), but throws Error(ErrorKind::invalid_value) with the reason when `raw`
// cannot be converted. Callers turn that into a RowValueError or RowError naming the column.
Value convert_value(const Value& raw, ValueKind kind, const ConversionOptions& options = {});

}  // namespace notionsync::sources
