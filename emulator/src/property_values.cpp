#include "property_values.hpp"

#include <algorithm>

#include "api_error.hpp"
#include "computed_values.hpp"
#include "ids.hpp"
#include "property_schema.hpp"
#include "rich_text.hpp"
#include "timestamps.hpp"

namespace notion_emulator {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxArray = 100;
constexpr std::size_t kMaxUrlLength = 2000;
// Notion's docs say 200, its OpenAPI schema says 100; the stricter limit keeps clients safe.
constexpr std::size_t kMaxEmailOrPhoneLength = 100;

ApiError expected_type(const std::string& key, const std::string& type) {
  return validation_error(key + " is expected to be " + type + ".");
}

json string_or_null(const json& value, const std::string& path, std::size_t max_length) {
  if (value.is_null()) return nullptr;
  if (!value.is_string()) throw body_validation_error(path, "a string or `null`", value);
  const std::size_t length = utf16_length(value.get_ref<const std::string&>());
  // Notion wants null, not "", to clear a value.
  if (length == 0) throw length_error(path, 1, 0, false);
  if (length > max_length) throw length_error(path, max_length, length);
  return value;
}

const json* find_option(const PropertyDefinition& property, const json& reference) {
  const json& options = property.config["options"];
  for (const json& option : options) {
    if (reference.contains("id") && option["id"] == reference["id"]) return &option;
  }
  for (const json& option : options) {
    if (reference.contains("name") && option["name"] == reference["name"]) return &option;
  }
  return nullptr;
}

// The option id a select-like request value refers to; adds select options Notion would add.
std::string option_id(PropertyDefinition& property, const json& reference, const std::string& path,
                      std::mt19937_64& generator) {
  if (!reference.is_object()) throw body_validation_error(path, "an object", reference);
  if (!reference.contains("id") && !reference.contains("name")) {
    throw missing_field_error(path + ".name");
  }
  if (reference.contains("name")) {
    const json& name = reference["name"];
    if (!name.is_string()) throw body_validation_error(path + ".name", "a string", name);
    if (name.get_ref<const std::string&>().find(',') != std::string::npos) {
      throw validation_error("Invalid select option, commas not allowed: " +
                             name.get<std::string>());
    }
  }
  if (const json* option = find_option(property, reference)) return (*option)["id"];
  if (property.type == "status" || !reference.contains("name")) {
    throw validation_error("Invalid " + property.type + " option " + reference.dump() + " for " +
                           property.name + ".");
  }
  json option = make_option(reference["name"].get<std::string>(),
                            reference.value("color", json(nullptr)), path, generator);
  property.config["options"].push_back(option);
  return option["id"];
}

json checked_array(const json& value, const std::string& path) {
  if (!value.is_array()) throw body_validation_error(path, "an array", value);
  if (value.size() > kMaxArray) throw length_error(path, kMaxArray, value.size());
  return value;
}

std::string checked_id(const json& item, const std::string& path) {
  if (!item.is_object() || !item.contains("id")) throw missing_field_error(path + ".id");
  const json& id = item["id"];
  const auto normalized = id.is_string() ? normalize_id(id.get<std::string>()) : std::nullopt;
  if (!normalized) throw body_validation_error(path + ".id", "a valid uuid", id);
  return *normalized;
}

json date_value(const json& value, const std::string& path) {
  if (value.is_null()) return nullptr;
  if (!value.is_object()) throw body_validation_error(path, "an object or `null`", value);
  if (!value.contains("start")) throw missing_field_error(path + ".start");
  json out = {{"start", nullptr}, {"end", nullptr}, {"time_zone", nullptr}};
  for (const char* field : {"start", "end"}) {
    if (!value.contains(field) || value[field].is_null()) continue;
    const json& text = value[field];
    if (!text.is_string() || !parse_instant(text.get<std::string>())) {
      throw body_validation_error(path + "." + field, "a valid ISO 8601 date string", text);
    }
    out[field] = text;
  }
  if (out["start"].is_null()) throw body_validation_error(path + ".start", "a string", nullptr);
  if (value.contains("time_zone") && !value["time_zone"].is_null()) {
    const json& zone = value["time_zone"];
    if (!zone.is_string() || zone.get_ref<const std::string&>().empty()) {
      throw body_validation_error(path + ".time_zone", "an IANA time zone name", zone);
    }
    out["time_zone"] = zone;
  }
  return out;
}

// A file's name in a files value: 1 to 100 characters.
void check_file_name(const json& name, const std::string& path) {
  if (!name.is_string()) throw body_validation_error(path, "a string", name);
  const std::size_t length = utf16_length(name.get<std::string>());
  if (length == 0 || length > 100) {
    throw length_error(path, length == 0 ? 1 : 100, length, length != 0);
  }
}

json files_value(const json& value, const std::string& path, ValueContext& context) {
  json out = json::array();
  const json& items = checked_array(value, path);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const json& item = items[i];
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    if (!item.is_object()) throw body_validation_error(item_path, "an object", item);
    if (item.contains("file_upload") && context.attach_upload) {
      // {file_upload: {id}, name?}: the name defaults to the upload's filename (SDK type
      // FileUploadWithOptionalNameRequest).
      if (item.contains("type") && item["type"] != "file_upload") {
        throw body_validation_error(item_path + ".type", "`file_upload`", item["type"]);
      }
      const std::string id = id_field(item["file_upload"], "id", item_path + ".file_upload");
      const FileUpload& upload = context.attach_upload(id, item_path + ".file_upload.id");
      json name = item.value("name", json(upload.filename));
      check_file_name(name, item_path + ".name");
      out.push_back({{"name", name}, {"type", "file_upload"}, {"file_upload", {{"id", id}}}});
      continue;
    }
    if (!item.contains("name") || !item["name"].is_string()) {
      throw missing_field_error(item_path + ".name");
    }
    check_file_name(item["name"], item_path + ".name");
    if (item.contains("external")) {
      const json url = item["external"].is_object() ? item["external"].value("url", json(nullptr))
                                                    : json(nullptr);
      if (url.is_null()) throw missing_field_error(item_path + ".external.url");
      string_or_null(url, item_path + ".external.url", kMaxUrlLength);
      out.push_back({{"name", item["name"]}, {"type", "external"}, {"external", {{"url", url}}}});
    } else if (item.contains("file")) {
      const json url =
          item["file"].is_object() ? item["file"].value("url", json(nullptr)) : json(nullptr);
      if (url.is_null()) throw missing_field_error(item_path + ".file.url");
      string_or_null(url, item_path + ".file.url", kMaxUrlLength);
      out.push_back({{"name", item["name"]},
                     {"type", "file"},
                     {"file", {{"url", url}, {"expiry_time", format_minute(now_ms() + 3600000)}}}});
    } else {
      throw validation_error("body failed validation: " + item_path +
                             ".external should be defined, instead was `undefined`.");
    }
  }
  return out;
}

json truncated(const json& items, std::size_t limit) {
  if (items.size() <= limit) return items;
  return json(std::vector<json>(items.begin(), items.begin() + static_cast<long>(limit)));
}

bool is_text_like(const std::string& type) {
  return type == "title" || type == "rich_text" || type == "url" || type == "email" ||
         type == "phone_number";
}

}  // namespace

json store_value(PropertyDefinition& property, const std::string& key, const json& request_value,
                 ValueContext& context) {
  const std::string& type = property.type;
  if (is_read_only_type(type)) {
    throw validation_error("Cannot update " + key + ": " + type +
                           " properties are computed by Notion and read-only.");
  }
  const std::string object_path = "body.properties." + key;
  if (!request_value.is_object()) {
    throw body_validation_error(object_path, "an object", request_value);
  }
  for (const auto& [field, field_value] : request_value.items()) {
    // The SDK's request types admit only the type key and "type" (not the "id" of responses).
    if (field == "id" || field == "name") {
      throw validation_error("body failed validation: " + object_path + "." + field +
                             " should be not present, instead was `" + field_value.dump() + "`.");
    }
    // A relation value echoed from an answer carries has_more; Notion takes and ignores it
    // (recorded: shapes case request_relation_has_more_accepted).
    if (field == "has_more" && type == "relation") {
      if (!field_value.is_boolean()) {
        throw body_validation_error(object_path + ".has_more", "a boolean", field_value);
      }
      continue;
    }
    if (field != "type" && field != type) throw expected_type(key, type);
  }
  if (request_value.contains("type") && request_value["type"] != type) {
    throw expected_type(key, type);
  }
  if (!request_value.contains(type)) throw expected_type(key, type);
  const json& value = request_value[type];
  const std::string path = object_path + "." + type;

  if (type == "title" || type == "rich_text") return normalize_rich_text(value, path);
  if (type == "number") {
    if (!value.is_null() && !value.is_number()) {
      throw body_validation_error(path, "a number or `null`", value);
    }
    return value;
  }
  if (type == "url") return string_or_null(value, path, kMaxUrlLength);
  if (type == "email" || type == "phone_number") {
    return string_or_null(value, path, kMaxEmailOrPhoneLength);
  }
  if (type == "checkbox") {
    if (!value.is_boolean()) throw body_validation_error(path, "a boolean", value);
    return value;
  }
  if (type == "select" || type == "status") {
    if (value.is_null()) return nullptr;
    return option_id(property, value, path, context.generator);
  }
  if (type == "multi_select") {
    json ids = json::array();
    const json& items = checked_array(value, path);
    for (std::size_t i = 0; i < items.size(); ++i) {
      const json id =
          option_id(property, items[i], path + "[" + std::to_string(i) + "]", context.generator);
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    }
    return ids;
  }
  if (type == "date") return date_value(value, path);
  if (type == "people") {
    json users = json::array();
    const json& items = checked_array(value, path);
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string item_path = path + "[" + std::to_string(i) + "]";
      const std::string id = checked_id(items[i], item_path);
      const std::string object = items[i].value("object", "user");
      if (object != "user" && object != "group") {
        throw body_validation_error(item_path + ".object", "`user` or `group`", object);
      }
      users.push_back({{"object", object}, {"id", id}});
    }
    return users;
  }
  if (type == "relation") {
    json relations = json::array();
    const json& items = checked_array(value, path);
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string id = checked_id(items[i], path + "[" + std::to_string(i) + "]");
      if (!context.page_exists(id)) {
        throw validation_error("Could not find page with ID: " + id + " for relation " + key + ".");
      }
      const json entry = {{"id", id}};
      if (std::find(relations.begin(), relations.end(), entry) == relations.end()) {
        relations.push_back(entry);
      }
    }
    return relations;
  }
  if (type == "files") return files_value(value, path, context);
  throw validation_error(key + " has unsupported type " + type + ".");
}

json render_value(const PropertyDefinition& property, const Page& page,
                  const RenderContext& context) {
  const std::string& type = property.type;
  const auto found = page.values.find(property.id);
  const json* stored = found == page.values.end() ? nullptr : &*found;
  if (type == "title" || type == "rich_text") return stored ? *stored : json::array();
  if (type == "files") {
    json files = json::array();
    if (!stored) return files;
    for (const json& file : *stored) {
      if (file.value("type", "") == "file_upload" && context.file_object) {
        // An attached upload reads as a Notion-hosted file with a fresh, expiring link.
        files.push_back({{"name", file["name"]},
                         {"type", "file"},
                         {"file", context.file_object(file["file_upload"]["id"])}});
      } else {
        files.push_back(file);
      }
    }
    return files;
  }
  if (type == "relation") {
    return stored ? truncated(*stored, context.max_references) : json::array();
  }
  if (type == "people") {
    json people = json::array();
    if (!stored) return people;
    for (const json& person : truncated(*stored, context.max_references)) {
      const bool user = person.value("object", "user") == "user";
      people.push_back(user && context.users ? context.users->value_object(person["id"]) : person);
    }
    return people;
  }
  if (type == "number" || type == "url" || type == "email" || type == "phone_number" ||
      type == "date") {
    return stored ? *stored : json(nullptr);
  }
  if (type == "checkbox") return stored ? *stored : json(false);
  if (type == "select" || type == "status") {
    if (!stored || stored->is_null()) return nullptr;
    const json* option = find_option(property, json{{"id", *stored}});
    return option ? json{{"id", (*option)["id"]},
                         {"name", (*option)["name"]},
                         {"color", (*option)["color"]}}
                  : json(nullptr);
  }
  if (type == "multi_select") {
    json options = json::array();
    if (!stored) return options;
    for (const json& id : *stored) {
      if (const json* option = find_option(property, json{{"id", id}})) {
        options.push_back(
            {{"id", (*option)["id"]}, {"name", (*option)["name"]}, {"color", (*option)["color"]}});
      }
    }
    return options;
  }
  if (type == "created_time") return format_minute(page.created_ms);
  if (type == "last_edited_time") return format_minute(page.last_edited_ms);
  if (type == "created_by" || type == "last_edited_by") {
    const std::string& id = type == "created_by" ? page.created_by : page.last_edited_by;
    const std::string& who = id.empty() && context.users ? context.users->bot_id() : id;
    return context.users ? context.users->value_object(who) : partial_user(who);
  }
  if (type == "unique_id") {
    return {{"prefix", property.config.value("prefix", json(nullptr))},
            {"number", stored ? *stored : json(nullptr)}};
  }
  if (type == "formula") return formula_value(property, page, context);
  if (type == "rollup") return rollup_value(property, page, context);
  return nullptr;
}

json render_visual(const json& stored, const RenderContext& context) {
  if (!stored.is_object() || stored.value("type", "") != "file_upload" || !context.file_object) {
    return stored;
  }
  return {{"type", "file"}, {"file", context.file_object(stored["file_upload"]["id"])}};
}

json render_property_value(const PropertyDefinition& property, const Page& page,
                           const RenderContext& context) {
  json value = {{"id", property.id},
                {"type", property.type},
                {property.type, render_value(property, page, context)}};
  if (property.type == "relation") {
    const auto found = page.values.find(property.id);
    value["has_more"] = found != page.values.end() && found->size() > context.max_references;
  }
  return value;
}

json convert_value(const json& stored, const std::string& from_type, const std::string& to_type) {
  const auto select_like = [](const std::string& type) {
    return type == "select" || type == "status" || type == "multi_select";
  };
  if (select_like(from_type) && select_like(to_type)) {
    // Option ids carry over (see update_schema); a multi_select keeps its first option.
    const json first = stored.is_array() ? (stored.empty() ? json(nullptr) : stored[0]) : stored;
    if (to_type == "multi_select") return first.is_null() ? json(nullptr) : json::array({first});
    return first;
  }
  if (!is_text_like(from_type) || !is_text_like(to_type)) return nullptr;
  const std::string text = stored.is_string() ? stored.get<std::string>() : plain_text(stored);
  if (text.empty()) return nullptr;
  if (to_type == "title" || to_type == "rich_text") return json::array({text_item(text)});
  return text;
}

}  // namespace notion_emulator
