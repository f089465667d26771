// The page body in a Notion database target's rows: how it sits in a row's payload, and how a
// driver tells, from two fingerprints, which parts of a page an update must write.
//
// A row's payload is its properties (a canonical list) followed, when the schema binds a body, by
// the body as a canonical string of normalised Markdown (page_markdown.hpp). The two parts are
// fingerprinted apart (fingerprint_of_parts): the high half for the properties, the low half for
// the body.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "notionsync/core/fingerprint.hpp"
#include "notionsync/core/row.hpp"

namespace notionsync::notion {

// Appends the body part: the row's `field`, normalised (null or absent: an empty body). Throws
// RowValueError(field) for a value that is not text or a body Notion would refuse in one request.
void append_page_body(std::string& payload, const Row& row, const std::string& field);

struct PagePayload {
  std::string_view properties;      // the canonical list of name/value pairs
  std::optional<std::string> body;  // normalised Markdown; nullopt without a body part
};
// Splits a payload written by the driver. Throws Error(invalid_value) on malformed input.
PagePayload split_page_payload(std::string_view payload);

// The fingerprint of a page whose properties are `properties_payload` and whose body is not read
// yet (adoption): it never equals a declared row's, and body_is_unknown() tells it apart.
Fingerprint fingerprint_with_unknown_body(std::string_view properties_payload,
                                          std::string_view schema_version);
bool body_is_unknown(const Fingerprint& fingerprint);

// What an update of a page must write, from the fingerprint tracked (or adopted) for it and the
// declared row's. A fingerprint from before the body was bound (one digest of the properties
// alone) still tells whether the properties changed.
struct PageChanges {
  bool properties = true;
  bool body = true;
  bool body_unknown = false;  // read the page's body and write it only if it differs
};
PageChanges changed_parts(const Fingerprint& tracked, const Fingerprint& declared,
                          std::string_view properties_payload, std::string_view schema_version);

}  // namespace notionsync::notion
