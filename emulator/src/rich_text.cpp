#include "rich_text.hpp"

#include "api_error.hpp"
#include "ids.hpp"

namespace notion_emulator {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxItems = 100;
constexpr std::size_t kMaxTextLength = 2000;
constexpr std::size_t kMaxEquationLength = 1000;

json default_annotations() {
  return {{"bold", false},      {"italic", false}, {"strikethrough", false},
          {"underline", false}, {"code", false},   {"color", "default"}};
}

json annotations_from(const json& item, const std::string& path) {
  json annotations = default_annotations();
  if (!item.contains("annotations")) return annotations;
  const json& given = item["annotations"];
  if (!given.is_object()) throw body_validation_error(path + ".annotations", "an object", given);
  for (const auto& [key, value] : given.items()) {
    if (!annotations.contains(key)) {
      throw body_validation_error(path + ".annotations." + key, "not present", value);
    }
    const bool ok = key == "color" ? value.is_string() : value.is_boolean();
    if (!ok) {
      throw body_validation_error(path + ".annotations." + key,
                                  key == "color" ? "a string" : "a boolean", value);
    }
    annotations[key] = value;
  }
  return annotations;
}

const std::string& string_field(const json& object, const char* key, const std::string& path) {
  if (!object.is_object() || !object.contains(key)) throw missing_field_error(path + "." + key);
  const json& value = object[key];
  if (!value.is_string()) throw body_validation_error(path + "." + key, "a string", value);
  return value.get_ref<const std::string&>();
}

json text_response(const json& item, const std::string& path) {
  const json& text = item["text"];
  if (!text.is_object()) throw body_validation_error(path + ".text", "an object", text);
  const std::string& content = string_field(text, "content", path + ".text");
  if (const std::size_t length = utf16_length(content); length > kMaxTextLength) {
    throw length_error(path + ".text.content", kMaxTextLength, length);
  }
  json link = nullptr;
  if (text.contains("link") && !text["link"].is_null()) {
    const std::string& url = string_field(text["link"], "url", path + ".text.link");
    if (const std::size_t length = utf16_length(url); length > kMaxTextLength) {
      throw length_error(path + ".text.link.url", kMaxTextLength, length);
    }
    link = {{"url", url}};
  }
  return {{"type", "text"},
          {"text", {{"content", content}, {"link", link}}},
          {"annotations", annotations_from(item, path)},
          {"plain_text", content},
          {"href", link.is_null() ? json(nullptr) : link["url"]}};
}

json equation_response(const json& item, const std::string& path) {
  const std::string& expression = string_field(item["equation"], "expression", path + ".equation");
  if (const std::size_t length = utf16_length(expression); length > kMaxEquationLength) {
    throw length_error(path + ".equation.expression", kMaxEquationLength, length);
  }
  return {{"type", "equation"},
          {"equation", {{"expression", expression}}},
          {"annotations", annotations_from(item, path)},
          {"plain_text", expression},
          {"href", nullptr}};
}

std::string mention_id(const json& mention, const char* kind, const std::string& path) {
  const std::string& id = string_field(mention[kind], "id", path + ".mention." + kind);
  const auto normalized = normalize_id(id);
  if (!normalized) {
    throw body_validation_error(path + ".mention." + kind + ".id", "a valid uuid", id);
  }
  return *normalized;
}

json mention_response(const json& item, const std::string& path) {
  const json& mention = item["mention"];
  if (!mention.is_object()) throw body_validation_error(path + ".mention", "an object", mention);
  json response;
  std::string plain = "Untitled";
  json href = nullptr;
  if (mention.contains("user")) {
    response = {{"type", "user"},
                {"user", {{"object", "user"}, {"id", mention_id(mention, "user", path)}}}};
    plain = "@Anonymous";
  } else if (mention.contains("page")) {
    const std::string id = mention_id(mention, "page", path);
    response = {{"type", "page"}, {"page", {{"id", id}}}};
    href = "https://www.notion.so/" + undashed(id);
  } else if (mention.contains("database")) {
    const std::string id = mention_id(mention, "database", path);
    response = {{"type", "database"}, {"database", {{"id", id}}}};
    href = "https://www.notion.so/" + undashed(id);
  } else if (mention.contains("date")) {
    const json& date = mention["date"];
    const std::string& start = string_field(date, "start", path + ".mention.date");
    response = {{"type", "date"},
                {"date",
                 {{"start", start},
                  {"end", date.value("end", json(nullptr))},
                  {"time_zone", date.value("time_zone", json(nullptr))}}}};
    plain = start;
  } else {
    throw validation_error("body failed validation: " + path +
                           ".mention should be one of user, page, database, date mentions.");
  }
  return {{"type", "mention"},
          {"mention", response},
          {"annotations", annotations_from(item, path)},
          {"plain_text", plain},
          {"href", href}};
}

// Request items carry one content key, optional "type" naming it and optional annotations. Notion
// also takes, and ignores, the response fields `plain_text` and `href` a client echoes back from an
// answer (recorded: shapes case request_plain_text_accepted); any other key is refused.
void check_item_keys(const json& item, const std::string& path) {
  for (const auto& [key, value] : item.items()) {
    if (key != "type" && key != "annotations" && key != "text" && key != "mention" &&
        key != "equation" && key != "plain_text" && key != "href") {
      throw validation_error("body failed validation: " + path + "." + key +
                             " should be not present, instead was `" + value.dump() + "`.");
    }
  }
  for (const char* echoed : {"plain_text", "href"}) {
    if (item.contains(echoed) && !item[echoed].is_string() && !item[echoed].is_null()) {
      throw body_validation_error(path + "." + echoed, "a string", item[echoed]);
    }
  }
  if (item.contains("type") &&
      (!item["type"].is_string() || !item.contains(item["type"].get<std::string>()))) {
    throw body_validation_error(path + ".type", "the item's content key", item["type"]);
  }
  if (item.contains("text") && item["text"].is_object()) {
    for (const auto& [key, value] : item["text"].items()) {
      if (key != "content" && key != "link") {
        throw validation_error("body failed validation: " + path + ".text." + key +
                               " should be not present, instead was `" + value.dump() + "`.");
      }
    }
  }
}

}  // namespace

std::size_t utf16_length(std::string_view utf8) {
  std::size_t units = 0;
  for (const char c : utf8) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte & 0xC0) == 0x80) continue;  // continuation byte
    units += byte >= 0xF0 ? 2 : 1;        // 4-byte sequences are surrogate pairs in UTF-16
  }
  return units;
}

json normalize_rich_text(const json& items, const std::string& path) {
  if (!items.is_array()) throw body_validation_error(path, "an array", items);
  if (items.size() > kMaxItems) throw length_error(path, kMaxItems, items.size());
  json out = json::array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const json& item = items[i];
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    if (!item.is_object()) throw body_validation_error(item_path, "an object", item);
    check_item_keys(item, item_path);
    if (item.contains("text")) {
      out.push_back(text_response(item, item_path));
    } else if (item.contains("equation")) {
      out.push_back(equation_response(item, item_path));
    } else if (item.contains("mention")) {
      out.push_back(mention_response(item, item_path));
    } else {
      throw validation_error("body failed validation. Fix one:\n" + item_path +
                             ".text should be defined, instead was `undefined`.\n" + item_path +
                             ".mention should be defined, instead was `undefined`.\n" + item_path +
                             ".equation should be defined, instead was `undefined`.");
    }
  }
  return out;
}

json text_item(const std::string& content) {
  return {{"type", "text"},
          {"text", {{"content", content}, {"link", nullptr}}},
          {"annotations", default_annotations()},
          {"plain_text", content},
          {"href", nullptr}};
}

std::string plain_text(const json& response_items) {
  std::string out;
  if (!response_items.is_array()) return out;
  for (const json& item : response_items) out += item.value("plain_text", "");
  return out;
}

}  // namespace notion_emulator
