// Fuzzes notionsync::notion::decode_property_value, which reads every property value of every
// page Notion returns. The input is JSON; it is decoded as is, and wrapped as the value of each
// property type Notion documents ({"type": T, T: input}), so the fuzzer reaches every decoder.
// Contract: a value not shaped as Notion documents throws notionsync::Error; anything else
// (another exception, a crash, a sanitizer report) is a bug.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "notionsync/core/error.hpp"
#include "notionsync/notion/property_value_codec.hpp"

namespace {

constexpr std::string_view kTypes[] = {
    "title",  "rich_text",    "number", "url",      "email",   "phone_number",
    "select", "multi_select", "status", "date",     "checkbox", "relation",
    "people", "files",        "formula", "rollup",  "created_time", "last_edited_time",
    "created_by", "last_edited_by", "unique_id", "button"};

void decode(const nlohmann::json& property_value) {
  try {
    (void)notionsync::notion::decode_property_value(property_value);
  } catch (const notionsync::Error&) {
    // Malformed values are reported as Error: the documented outcome.
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (input.is_discarded()) return 0;
  decode(input);
  for (const auto type : kTypes) {
    decode(nlohmann::json{{"id", "abcd"}, {"type", type}, {std::string(type), input}});
  }
  return 0;
}
