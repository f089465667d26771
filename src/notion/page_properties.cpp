#include "page_properties.hpp"

#include "local_files.hpp"
#include "notionsync/core/error.hpp"
#include "notionsync/core/key.hpp"
#include "notionsync/notion/property_value_codec.hpp"
#include "notionsync/notion/rich_text.hpp"

namespace notionsync::notion {
namespace {

// Notion requires a name of 1 to 100 characters for each file of a files value.
std::string notion_file_name(std::string_view name) {
  const std::vector<std::string> pieces = split_text(name, 100);
  return pieces.empty() ? std::string("file") : pieces.front();
}

const std::string& upload_id_for(const std::string& token,
                                 const std::map<std::string, UploadResult>& uploads,
                                 const std::string& field) {
  const auto found = uploads.find(token);
  if (found == uploads.end()) {
    throw RowValueError(field, "file '" + std::string(file_name_of(token)) + "' was not uploaded");
  }
  if (found->second.upload_id.empty()) throw RowValueError(field, found->second.error);
  return found->second.upload_id;
}

// A files value in a request: URLs as external files, local files by their upload.
nlohmann::json files_request(const Value& value, const PropertyBinding& binding,
                             const std::map<std::string, UploadResult>& uploads,
                             std::vector<std::string>& tokens) {
  nlohmann::json files = nlohmann::json::array();
  const Value normal = normalize_property_value(PropertyType::files, value, binding.name);
  for (const Value& item : normal.as_list()) {
    const std::string& text = item.as_string();
    if (!is_upload_token(text)) {
      files.push_back(encode_property_value(PropertyType::files, Value(Value::List{item}),
                                            binding.name)["files"][0]);
      continue;
    }
    files.push_back(
        {{"name", notion_file_name(file_name_of(text))},
         {"type", "file_upload"},
         {"file_upload", {{"id", upload_id_for(text, uploads, binding.field_name())}}}});
    tokens.push_back(text);
  }
  return {{"files", std::move(files)}};
}

// A page icon or cover in a request, from its payload value (null, an emoji, a URL or a token).
nlohmann::json visual_request(const Value* value, const std::string& field,
                              const std::map<std::string, UploadResult>& uploads,
                              std::vector<std::string>& tokens) {
  if (value == nullptr || value->is_null()) return nullptr;
  const std::string& text = value->as_string();
  if (is_upload_token(text)) {
    tokens.push_back(text);
    return {{"type", "file_upload"},
            {"file_upload", {{"id", upload_id_for(text, uploads, field)}}}};
  }
  if (is_url(text)) return {{"type", "external"}, {"external", {{"url", text}}}};
  return {{"type", "emoji"}, {"emoji", text}};
}

// A files value read back from a page: external files by URL, files Notion hosts by name.
Value files_in_payload(const nlohmann::json& property_value) {
  Value::List items;
  const auto files = property_value.find("files");
  if (files == property_value.end() || !files->is_array()) return Value(std::move(items));
  for (const auto& file : *files) {
    if (!file.is_object()) continue;
    const std::string type = file.value("type", "");
    if (type == "external") {
      const auto& external = file.value("external", nlohmann::json::object());
      if (external.is_object() && external.contains("url") && external["url"].is_string()) {
        items.emplace_back(external["url"].get<std::string>());
      }
    } else if (type == "file" || type == "file_upload") {
      const auto name = file.find("name");
      items.emplace_back(hosted_file_marker(
          name != file.end() && name->is_string() ? name->get<std::string>() : ""));
    }
  }
  return Value(std::move(items));
}

// A page's icon or cover read back: null, the emoji, the external URL, or a hosted file's marker
// (Notion's own icons read as "notion-icon:<type>", which no declared value equals).
Value visual_in_payload(const nlohmann::json& page, const char* key) {
  const auto visual = page.find(key);
  if (visual == page.end() || !visual->is_object()) return Value();
  const std::string type = visual->value("type", "");
  const auto text_at = [&](const char* inner, const char* field) -> Value {
    const auto object = visual->find(inner);
    if (object == visual->end()) return Value();
    if (field == nullptr) return object->is_string() ? Value(object->get<std::string>()) : Value();
    const auto found = object->is_object() ? object->find(field) : object->end();
    return found != object->end() && found->is_string() ? Value(found->get<std::string>())
                                                        : Value();
  };
  if (type == "emoji") return text_at("emoji", nullptr);
  if (type == "external") return text_at("external", "url");
  if (type == "file" || type == "file_upload") return Value(hosted_file_marker());
  return Value("notion-icon:" + type);
}

}  // namespace

RelationResolver::RelationResolver(StateStore& store, std::string app_name)
    : store_(store), app_name_(std::move(app_name)) {}

RelationResolver::TargetIndex& RelationResolver::index(const std::string& target) {
  auto found = targets_.find(target);
  if (found != targets_.end()) return found->second;
  TargetIndex entry;
  for (const auto& record : store_.targets(app_name_, RowCounts::skipped)) {
    if (record.name == target) entry.id = record.id;
  }
  return targets_.emplace(target, std::move(entry)).first->second;
}

std::optional<std::string> RelationResolver::page_id(const std::string& target,
                                                     const Value& key_value) {
  const TargetIndex& entry = index(target);
  if (entry.id == 0) return std::nullopt;
  std::vector<std::string> candidates;
  try {
    candidates.push_back(Key{key_value}.encoded());
    // A composite key is given as the list of its parts.
    if (key_value.type() == Value::Type::list)
      candidates.push_back(Key(key_value.as_list()).encoded());
  } catch (const Error&) {
    return std::nullopt;
  }
  for (const auto& key : candidates) {
    const auto row = store_.find_row(entry.id, key);
    // Only a synced row has a page that is meant to exist; a pending create has no id yet and a
    // pending delete is on its way to the trash.
    if (row && row->status == RowStatus::synced && !row->remote_id.empty()) return row->remote_id;
  }
  return std::nullopt;
}

std::optional<Value> RelationResolver::key_value(const std::string& target,
                                                 const std::string& page_id) {
  TargetIndex& entry = index(target);
  if (entry.id == 0) return std::nullopt;
  if (!entry.loaded_reverse) {
    store_.for_each_row(entry.id, [&](TrackedRow&& row) {
      if (!row.remote_id.empty()) entry.page_to_key.emplace(row.remote_id, std::move(row.key));
    });
    entry.loaded_reverse = true;
  }
  const auto found = entry.page_to_key.find(page_id);
  if (found == entry.page_to_key.end()) return std::nullopt;
  const Key key = Key::decode(found->second);
  if (key.parts().size() == 1) return key.parts().front();
  return Value(key.parts());
}

Value::List relation_key_values(const Value& value) {
  if (value.is_null()) return {};
  if (value.type() == Value::Type::list) return value.as_list();
  return {value};
}

PageProperties page_properties(const DatabaseSchema& schema, const Row& payload,
                               RelationResolver& relations,
                               const std::map<std::string, UploadResult>& uploads) {
  PageProperties result;
  for (const auto& binding : schema.properties()) {
    const Value* stored = payload.find(binding.name);
    const Value value = stored != nullptr ? *stored : Value();
    try {
      if (!binding.relation_target.empty()) {
        Value::List page_ids;
        for (const auto& key_value : relation_key_values(value)) {
          if (auto id = relations.page_id(binding.relation_target, key_value)) {
            page_ids.emplace_back(std::move(*id));
          } else {
            result.unresolved.push_back(binding.name + ": " + key_value.to_display());
          }
        }
        result.properties[binding.name] =
            encode_property_value(PropertyType::relation, Value(std::move(page_ids)), binding.name);
      } else if (binding.type == PropertyType::files) {
        result.properties[binding.name] =
            files_request(value, binding, uploads, result.upload_tokens);
      } else {
        result.properties[binding.name] = encode_property_value(binding.type, value, binding.name);
      }
    } catch (const RowValueError&) {
      throw;
    } catch (const Error& error) {
      throw RowValueError(binding.field_name(), error.what());
    }
  }
  if (!schema.icon_field().empty()) {
    result.appearance.icon = visual_request(payload.find(page_icon_entry), schema.icon_field(),
                                            uploads, result.upload_tokens);
  }
  if (!schema.cover_field().empty()) {
    result.appearance.cover = visual_request(payload.find(page_cover_entry), schema.cover_field(),
                                             uploads, result.upload_tokens);
  }
  return result;
}

std::vector<std::string> upload_tokens(const DatabaseSchema& schema, const Row& payload) {
  std::vector<std::string> tokens;
  const auto add = [&](const Value* value) {
    if (value == nullptr) return;
    for (const Value& item :
         value->type() == Value::Type::list ? value->as_list() : Value::List{*value}) {
      if (item.type() == Value::Type::string && is_upload_token(item.as_string())) {
        tokens.push_back(item.as_string());
      }
    }
  };
  for (const auto& binding : schema.properties()) {
    if (binding.type == PropertyType::files) add(payload.find(binding.name));
  }
  add(payload.find(page_icon_entry));
  add(payload.find(page_cover_entry));
  return tokens;
}

bool take_declared_uploads(const DatabaseSchema& schema, Row& remote, const Row& declared) {
  bool taken = false;
  const auto same_file = [](const Value& hosted, const Value& local, bool named) {
    return hosted.type() == Value::Type::string && local.type() == Value::Type::string &&
           is_hosted_file_marker(hosted.as_string()) && is_upload_token(local.as_string()) &&
           (!named ||
            file_name_of(hosted.as_string()) == notion_file_name(file_name_of(local.as_string())));
  };
  for (const auto& binding : schema.properties()) {
    if (binding.type != PropertyType::files) continue;
    Value* now = remote.find(binding.name);
    const Value* wanted = declared.find(binding.name);
    if (now == nullptr || wanted == nullptr || now->type() != Value::Type::list ||
        wanted->type() != Value::Type::list || now->as_list().size() != wanted->as_list().size()) {
      continue;
    }
    Value::List items = now->as_list();
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (same_file(items[i], wanted->as_list()[i], true)) {
        items[i] = wanted->as_list()[i];
        taken = true;
      }
    }
    *now = Value(std::move(items));
  }
  for (const std::string_view entry : {page_icon_entry, page_cover_entry}) {
    Value* now = remote.find(entry);
    const Value* wanted = declared.find(entry);
    if (now != nullptr && wanted != nullptr && same_file(*now, *wanted, false)) {
      *now = *wanted;
      taken = true;
    }
  }
  return taken;
}

Row payload_of_page(const DatabaseSchema& schema, const nlohmann::json& page,
                    RelationResolver& relations) {
  Row payload;
  const auto& properties = page.at("properties");
  for (const auto& binding : schema.properties()) {
    const auto found = properties.find(binding.name);
    Value value = found == properties.end()             ? Value()
                  : binding.type == PropertyType::files ? files_in_payload(*found)
                                                        : decode_property_value(*found);
    if (!binding.relation_target.empty()) {
      Value::List keys;
      bool all_known = true;
      for (const auto& page_id : relation_key_values(value)) {
        if (auto key = relations.key_value(binding.relation_target, page_id.as_string())) {
          keys.push_back(std::move(*key));
        } else {
          all_known = false;  // a page the related target does not track: content differs
          keys.push_back(page_id);
        }
      }
      value = all_known ? Value(std::move(keys)) : value;
    } else {
      value = normalize_property_value(binding.type, value, binding.name);
    }
    payload.set(binding.name, std::move(value));
  }
  if (!schema.icon_field().empty())
    payload.set(std::string(page_icon_entry), visual_in_payload(page, "icon"));
  if (!schema.cover_field().empty()) {
    payload.set(std::string(page_cover_entry), visual_in_payload(page, "cover"));
  }
  return payload;
}

std::vector<Value> key_parts(const DatabaseSchema& schema, const Row& payload) {
  std::vector<Value> parts;
  for (const auto& field : schema.key_fields()) {
    const PropertyBinding* binding = schema.find_by_field(field);
    const Value* value = binding != nullptr ? payload.find(binding->name) : nullptr;
    if (value == nullptr || value->is_null()) {
      throw RowValueError(field, "the key field '" + field + "' is empty");
    }
    parts.push_back(*value);
  }
  return parts;
}

nlohmann::json key_filter(const DatabaseSchema& schema, const std::vector<Value>& parts) {
  nlohmann::json conditions = nlohmann::json::array();
  for (std::size_t i = 0; i < parts.size() && i < schema.key_fields().size(); ++i) {
    const PropertyBinding& binding = *schema.find_by_field(schema.key_fields()[i]);
    const Value& value = parts[i];
    nlohmann::json equals;
    switch (value.type()) {
      case Value::Type::boolean:
        equals = value.as_bool();
        break;
      case Value::Type::integer:
        equals = value.as_integer();
        break;
      case Value::Type::real:
        equals = value.as_double();
        break;
      case Value::Type::date:
        equals = value.as_date().to_iso();
        break;
      case Value::Type::date_time:
        equals = value.as_date_time().to_iso();
        break;
      default:
        equals = value.as_string();
        break;
    }
    conditions.push_back(
        {{"property", binding.name}, {std::string(to_string(binding.type)), {{"equals", equals}}}});
  }
  if (conditions.size() == 1) return conditions.front();
  return {{"and", conditions}};
}

}  // namespace notionsync::notion
