// Property values: a notionsync Value to Notion's request JSON and back.
//
//   nlohmann::json body = {{"properties", {
//       {"Name", encode_property_value(PropertyType::title, Value("Ada"), "Name")},
//       {"Born", encode_property_value(PropertyType::date, Date::parse("1815-12-10").value(),
//       "Born")},
//   }}};
//   Value born = decode_property_value(page["properties"]["Born"]);   // Date 1815-12-10
//
// Round trip: decode(what Notion returns for encode(type, v)) == normalize_property_value(type, v),
// and normalize is the identity on values already in normal form. Compare and fingerprint
// normalised values. The Value each type uses, and its normal form:
//
//   title, rich_text  string; "" and null are both empty text: encode [] and decode as null.
//                     Formatting (bold, links, mentions) is not kept: decode gives the plain text.
//   number            integer or double (3 == 3.0); null. Integers beyond ±2^53 are refused:
//                     Notion stores numbers as doubles and would change them.
//   checkbox          bool; null normalises to false (Notion has no empty checkbox).
//   url, email, phone_number   string; "" normalises to null (Notion rejects "").
//   select, status    the option name; "" normalises to null.
//   multi_select      list of option names, duplicates dropped; null normalises to [].
//   date              Date, or DateTime; a DateTime without offset normalises to UTC (offset 0),
//                     which is how Notion reads it. A range is [start, end]; a range whose end
//                     is null is just its start. A time zone is [start, end-or-null, "Area/City"]
//                     with floating (offset-less) DateTimes. Notion answers with milliseconds
//                     (".000") and explicit offsets, which decode to equal values.
//   relation, people  list of ids (page ids, user ids), normalised to dashed lowercase, duplicates
//                     dropped; null normalises to []. Page objects list at most 25 of them: read
//                     the rest with read_property_items() (pagination.hpp).
//   files             list of external URLs; null normalises to []. Files uploaded to Notion
//                     decode to their (expiring) download URL.
//   read-only types   decoded only: formula and rollup to their result, created/last_edited
//                     time to DateTime, created/last_edited by to the user id, unique_id to
//                     "PREFIX-12" (or 12 without a prefix).
//
// Encoding checks Notion's limits first and throws Error(ErrorKind::invalid_value) naming the
// property and the limit: text over 100 items of 2000 characters, arrays over 100 items, url over
// 2000 and email/phone over 100 characters, select names with commas, invalid UTF-8, malformed
// ids, NaN, and a value of the wrong type.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "notionsync/core/value.hpp"
#include "notionsync/notion/property_type.hpp"

namespace notionsync::notion {

// The request JSON for one property, e.g. {"number": 3}. `property_name` is for messages.
// Throws Error(invalid_value) as described above, and for read-only types.
nlohmann::json encode_property_value(PropertyType type, const Value& value,
                                     std::string_view property_name = "");

// The Value of one property value object from a page ({"id","type","<type>": ...}), per the table
// above. Unknown types (button, place, ...) decode as null. Throws Error(invalid_value) when the
// JSON is not shaped as Notion documents.
Value decode_property_value(const nlohmann::json& property_value);

// The normal form of `value` for `type` (see above). Throws like encode_property_value().
Value normalize_property_value(PropertyType type, const Value& value,
                               std::string_view property_name = "");
// The same without a copy when none is needed: returns `value` itself when it is already in
// normal form, a constant (an empty text's null), or `storage` holding the new value. The result
// lives as long as the shorter-lived of `value` and `storage`.
const Value& normalize_property_value(PropertyType type, const Value& value,
                                      std::string_view property_name, Value& storage);

// True when the page object may list only part of this property's value: a relation with
// has_more, or a people array of exactly 25 users (Notion truncates it at 25 without saying so).
// Read the full value with read_property_items().
bool property_value_may_be_truncated(const nlohmann::json& property_value);

}  // namespace notionsync::notion
