#include "page_body.hpp"

#include "notionsync/core/error.hpp"
#include "notionsync/core/value.hpp"
#include "page_markdown.hpp"

namespace notionsync::notion {
namespace {

// Not a canonical string (those start with 's'): the body part of no declared row.
constexpr std::string_view unknown_body_part = "?";

Fingerprint unknown_body_marker() {
  return fingerprint_of_parts(unknown_body_part, 0, "");
}

}  // namespace

void append_page_body(std::string& payload, const Row& row, const std::string& field) {
  const Value* value = row.find(field);
  if (value == nullptr || value->is_null()) {
    append_canonical_string(payload, "");
    return;
  }
  if (value->type() != Value::Type::string) {
    throw RowValueError(field, "the page body must be text (Markdown), not " +
                                   std::string(to_string(value->type())));
  }
  const std::string body = normalize_page_markdown(value->as_string());
  if (const auto problem = page_markdown_problem(body)) throw RowValueError(field, *problem);
  try {
    append_canonical_string(payload, body);
  } catch (const Error& error) {
    throw RowValueError(field, std::string("the page body: ") + error.what());
  }
}

PagePayload split_page_payload(std::string_view payload) {
  std::size_t used = 0;
  decode_canonical_prefix(payload, used);
  PagePayload split{payload.substr(0, used), std::nullopt};
  if (used < payload.size()) split.body = decode_canonical(payload.substr(used)).as_string();
  return split;
}

Fingerprint fingerprint_with_unknown_body(std::string_view properties_payload,
                                          std::string_view schema_version) {
  Fingerprint fingerprint =
      fingerprint_of_parts(properties_payload, properties_payload.size(), schema_version);
  fingerprint.low = unknown_body_marker().low;
  return fingerprint;
}

bool body_is_unknown(const Fingerprint& fingerprint) {
  return fingerprint.low == unknown_body_marker().low;
}

PageChanges changed_parts(const Fingerprint& tracked, const Fingerprint& declared,
                          std::string_view properties_payload, std::string_view schema_version) {
  PageChanges changes;
  changes.properties = tracked.high != declared.high &&
                       tracked != fingerprint_of(properties_payload, schema_version);
  changes.body_unknown = body_is_unknown(tracked);
  changes.body = !changes.body_unknown && tracked.low != declared.low;
  return changes;
}

}  // namespace notionsync::notion
