#include "notionsync/notion/database_target.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <span>

#include "database_target_driver.hpp"
#include "file_uploader.hpp"
#include "notionsync/core/error.hpp"
#include "notionsync/core/key.hpp"
#include "notionsync/notion/endpoints.hpp"
#include "notion/notion_id.hpp"
#include "notionsync/notion/pagination.hpp"
#include "notionsync/notion/property_value_codec.hpp"
#include "notionsync/notion/rich_text.hpp"
#include "page_body.hpp"
#include "page_properties.hpp"
#include "page_writer.hpp"

namespace notionsync::notion {
std::string_view to_string(ManagedBy managed_by) {
  return managed_by == ManagedBy::system ? "system" : "user";
}

void validate_options(const DatabaseTargetOptions& options) {
  std::vector<std::string> problems;
  if (options.client == nullptr) problems.push_back("a client is required");
  const auto check_id = [&](const std::string& id, const char* what) {
    if (!id.empty() && !normalize_notion_id(id)) {
      problems.push_back(std::string(what) + " '" + id + "' is not a Notion id (32 hex digits)");
    }
  };
  check_id(options.data_source_id, "data_source_id");
  check_id(options.parent_page_id, "parent_page_id");
  check_id(options.parent_database_id, "parent_database_id");
  if (options.managed_by == ManagedBy::user) {
    if (options.data_source_id.empty())
      problems.push_back("managed_by = user needs a data_source_id");
    if (!options.parent_page_id.empty() || !options.parent_database_id.empty()) {
      problems.push_back(
          "managed_by = user takes no parent_page_id or parent_database_id: the data "
          "source already exists");
    }
    if (!options.title.empty()) {
      problems.push_back("managed_by = user takes no title: the data source already has one");
    }
  } else {
    if (!options.data_source_id.empty()) {
      problems.push_back(
          "managed_by = system takes no data_source_id: notionsync finds the data "
          "source by title (use managed_by = user to sync an existing one)");
    }
    if (options.title.empty()) problems.push_back("managed_by = system needs a title");
    if (options.parent_page_id.empty() == options.parent_database_id.empty()) {
      problems.push_back(
          "managed_by = system needs exactly one of parent_page_id and "
          "parent_database_id");
    }
  }
  try {
    options.schema.validate(/*creating=*/options.managed_by == ManagedBy::system);
  } catch (const Error& error) {
    problems.push_back(error.what());
  }
  if (problems.empty()) return;
  std::string message = "invalid Notion database target:";
  for (const auto& problem : problems) message += "\n  - " + problem;
  throw Error(ErrorKind::invalid_argument, message);
}

TargetHandle& mount_database_target(App& app, std::string name, DatabaseTargetOptions options) {
  validate_options(options);
  return app.add_target(std::move(name),
                        std::make_unique<DatabaseTargetDriver>(std::move(options), &app.store(),
                                                               std::string(app.name())));
}

DatabaseTargetDriver::DatabaseTargetDriver(DatabaseTargetOptions options, StateStore* store,
                                           std::string app_name)
    : options_(std::move(options)), app_name_(std::move(app_name)) {
  users_ =
      std::make_unique<UserDirectory>(*options_.client, store, app_name_, options_.users_cache_ttl);
  // encode() writes the payload's canonical encoding itself, in name order (the order
  // canonical_encoding(Row) uses), with each name's encoding prepared here once.
  const auto& properties = options_.schema.properties();
  const auto add_entry = [&](PayloadEntry entry) {
    try {
      append_canonical_string(entry.encoded_name, entry.name);
    } catch (const Error&) {
      throw Error(ErrorKind::invalid_argument,
                  "property name \"" + entry.name + "\" is not valid UTF-8");
    }
    entries_.push_back(std::move(entry));
  };
  for (std::size_t i = 0; i < properties.size(); ++i) {
    add_entry({PayloadEntry::Kind::property, i, properties[i].name, {}});
  }
  if (!options_.schema.icon_field().empty()) {
    add_entry({PayloadEntry::Kind::icon, 0, std::string(page_icon_entry), {}});
  }
  if (!options_.schema.cover_field().empty()) {
    add_entry({PayloadEntry::Kind::cover, 0, std::string(page_cover_entry), {}});
  }
  std::sort(entries_.begin(), entries_.end(),
            [](const PayloadEntry& a, const PayloadEntry& b) { return a.name < b.name; });
  key_slots_.assign(properties.size(), no_key_slot);
  const auto& key_fields = options_.schema.key_fields();
  for (std::size_t slot = 0; slot < key_fields.size(); ++slot) {
    if (const PropertyBinding* binding = options_.schema.find_by_field(key_fields[slot])) {
      key_slots_[static_cast<std::size_t>(binding - properties.data())] = slot;
    }
  }
}

TargetSettings DatabaseTargetDriver::settings() const {
  TargetSettings settings;
  settings.kind = "notion_database";
  settings.key_columns = options_.schema.key_fields();
  settings.schema_version = options_.schema.version();
  settings.removal_mode = options_.on_delete;
  settings.depends_on = options_.schema.relation_targets();
  settings.drift_policy = options_.on_drift;
  settings.removal_limit = options_.max_removals;
  settings.remote_rows_per_scan_call = static_cast<std::size_t>(max_page_size);
  return settings;
}

EncodedRow DatabaseTargetDriver::encode(const Row& row, const TargetSettings& settings) const {
  EncodedRow encoded;
  encode_into(row, settings, encoded);
  encoded.key = Key::decode(encoded.encoded_key);
  return encoded;
}

void DatabaseTargetDriver::encode_into(const Row& row, const TargetSettings&,
                                       EncodedRow& out) const {
  // The payload holds each property's normalised value, so what is fingerprinted is what Notion
  // will hold, and a page read back from Notion gives the same payload: the bytes are those of
  // canonical_encoding(payload_of_page(...)), written here without building that Row.
  static const Value absent;
  const auto& properties = options_.schema.properties();
  const auto& key_fields = options_.schema.key_fields();
  std::string& payload = out.payload;
  payload.clear();
  append_canonical_list_header(payload, 2 * entries_.size());
  // Each key value: where its encoding lies in the payload (the key's encoding is made of the same
  // bytes, so it is copied rather than encoded again), and whether it can serve as a key. Most keys
  // have one or two parts, kept here without an allocation.
  enum class KeyProblem { none, missing, empty, too_long };
  struct KeyPart {
    std::size_t start = 0, length = 0;
    KeyProblem problem = KeyProblem::missing;
  };
  constexpr std::size_t inline_key_parts = 4;
  std::array<KeyPart, inline_key_parts> inline_key_parts_storage{};
  std::vector<KeyPart> more_key_parts;
  if (key_fields.size() > inline_key_parts) more_key_parts.resize(key_fields.size());
  const std::span<KeyPart> key_parts =
      key_fields.size() > inline_key_parts
          ? std::span(more_key_parts)
          : std::span(inline_key_parts_storage).first(key_fields.size());
  for (const PayloadEntry& entry : entries_) {
    if (entry.kind != PayloadEntry::Kind::property) {
      const bool icon = entry.kind == PayloadEntry::Kind::icon;
      payload += entry.encoded_name;
      append_canonical(
          payload,
          page_visual(row, icon ? options_.schema.icon_field() : options_.schema.cover_field(),
                      icon));
      continue;
    }
    const std::size_t index = entry.property;
    const PropertyBinding& binding = properties[index];
    const Value* given = row.find(binding.field_name());
    const Value& value = given != nullptr ? *given : absent;
    Value storage;  // a normal form that differs from the value given
    const Value* normal = &storage;
    try {
      if (!binding.relation_target.empty()) {
        Value::List keys = relation_key_values(value);
        for (auto& key : keys) {
          if (key.is_null() || (key.type() == Value::Type::string && is_blank(key.as_string()))) {
            throw Error(ErrorKind::invalid_value, "a related key is empty");
          }
          // Keys compare in NFC: the related row's key is stored so, and a page read back gives it.
          Value nfc_storage;
          if (&nfc_value(key, nfc_storage) == &nfc_storage) key = std::move(nfc_storage);
          canonical_encoding(key);
        }
        storage = Value(std::move(keys));
      } else if (binding.type == PropertyType::relation && !value.is_null() &&
                 value.type() != Value::Type::list) {
        storage = normalize_property_value(binding.type, Value(Value::List{value}), binding.name);
      } else if (binding.type == PropertyType::people && !value.is_null()) {
        storage =
            normalize_property_value(binding.type, resolved_people(value, binding), binding.name);
      } else if (binding.type == PropertyType::files && !value.is_null()) {
        storage =
            normalize_property_value(binding.type, with_local_files(value, binding), binding.name);
      } else {
        normal = &normalize_property_value(binding.type, value, binding.name, storage);
      }
    } catch (const RowValueError&) {
      throw;
    } catch (const Error& error) {
      throw RowValueError(binding.field_name(), error.what());
    }
    if (key_slots_[index] != no_key_slot && normal->type() == Value::Type::string) {
      // Keys compare in NFC (key.hpp), and the key is copied from the payload below: the value
      // written is the key's, so "é" typed either way is one page with one content.
      if (auto nfc = to_nfc(normal->as_string())) {
        storage = Value(std::move(*nfc));
        normal = &storage;
      }
    }
    payload += entry.encoded_name;
    const std::size_t value_start = payload.size();
    try {
      append_canonical(payload, *normal);
    } catch (const Error& error) {
      throw RowValueError(binding.name, "column '" + binding.name + "': " + error.what());
    }
    if (const std::size_t slot = key_slots_[index]; slot != no_key_slot) {
      KeyProblem problem = KeyProblem::none;
      if (normal->is_null() ||
          (normal->type() == Value::Type::string && is_blank(normal->as_string()))) {
        problem = KeyProblem::empty;
      } else if (normal->type() == Value::Type::string &&
                 utf16_length(normal->as_string()) > max_text_units) {
        problem = KeyProblem::too_long;
      }
      key_parts[slot] = {value_start, payload.size() - value_start, problem};
    }
  }
  // The key is checked once every value converted, so a bad value is the error a row reports.
  for (std::size_t slot = 0; slot < key_fields.size(); ++slot) {
    switch (key_parts[slot].problem) {
      case KeyProblem::none:
        break;
      case KeyProblem::missing:  // a key field no property reads
      case KeyProblem::empty:
        throw RowValueError(key_fields[slot], "the key field '" + key_fields[slot] + "' is empty");
      case KeyProblem::too_long:
        // A longer text is stored split into several pieces, which an "equals" filter cannot
        // find: refusing it beats a duplicate on every run.
        throw RowValueError(key_fields[slot],
                            "the key is longer than Notion's 2000 characters per text");
    }
  }
  out.key = Key();
  out.encoded_key.clear();
  append_canonical_list_header(out.encoded_key, key_fields.size());
  for (const KeyPart& part : key_parts) out.encoded_key.append(payload, part.start, part.length);
  out.second_part = std::string::npos;
  if (!options_.schema.body_field().empty()) {
    // The body follows the properties as a second part, fingerprinted apart (page_body.hpp).
    out.second_part = payload.size();
    append_page_body(payload, row, options_.schema.body_field());
  }
}

namespace {

// A value that may be one item or a list of them, as a list.
Value::List items_of(const Value& value) {
  if (value.is_null()) return {};
  if (value.type() == Value::Type::list) return value.as_list();
  return {value};
}

}  // namespace

Value DatabaseTargetDriver::resolved_people(const Value& value,
                                            const PropertyBinding& binding) const {
  Value::List ids;
  for (const Value& item : items_of(value)) {
    if (item.type() != Value::Type::string) {
      ids.push_back(item);  // refused by normalisation, with the property's name
      continue;
    }
    try {
      ids.emplace_back(users_->resolve(item.as_string()));
    } catch (const Error& error) {
      throw RowValueError(binding.field_name(), error.what());
    }
  }
  return Value(std::move(ids));
}

Value DatabaseTargetDriver::with_local_files(const Value& value,
                                             const PropertyBinding& binding) const {
  Value::List files;
  for (const Value& item : items_of(value)) {
    if (item.type() != Value::Type::string || item.as_string().empty() ||
        is_url(item.as_string())) {
      files.push_back(item);
      continue;
    }
    try {
      files.emplace_back(local_files_.token_for(item.as_string(), /*image_only=*/false));
    } catch (const Error& error) {
      throw RowValueError(binding.field_name(), error.what());
    }
  }
  return Value(std::move(files));
}

Value DatabaseTargetDriver::page_visual(const Row& row, const std::string& field, bool icon) const {
  const Value* value = row.find(field);
  if (value == nullptr || value->is_null()) return Value();
  const char* what = icon ? "the page icon" : "the page cover";
  if (value->type() != Value::Type::string) {
    throw RowValueError(field, std::string(what) +
                                   " must be text (an emoji, a URL or a file), not " +
                                   std::string(to_string(value->type())));
  }
  const std::string& text = value->as_string();
  if (text.empty()) return Value();
  if (!is_valid_utf8(text)) throw RowValueError(field, std::string(what) + " is not valid UTF-8");
  if (is_url(text)) {
    if (utf16_length(text) > 2000) {
      throw RowValueError(field,
                          std::string(what) + "'s URL is longer than Notion's 2000 characters");
    }
    return *value;
  }
  if (icon && looks_like_emoji(text)) return *value;
  try {
    return Value(local_files_.token_for(text, /*image_only=*/true));
  } catch (const Error& error) {
    throw RowValueError(field, std::string(what) + ": " + error.what());
  }
}

std::optional<std::vector<RemoteRow>> DatabaseTargetDriver::scan_remote(TargetContext& context) {
  if (data_source_id_.empty() || context.store == nullptr) return std::nullopt;  // created later
  if (created_this_run_) return std::vector<RemoteRow>{};
  Client& client = *options_.client;
  RelationResolver relations(*context.store, context.app_name);
  const std::string schema_version = options_.schema.version();

  DataSourceQuery query;
  query.data_source_id = data_source_id_;
  for (const auto& binding : options_.schema.properties()) {
    query.filter_properties.push_back(binding.name);
  }
  std::vector<RemoteRow> rows;
  std::map<std::string, std::vector<std::string>> pages_by_key;
  std::size_t without_key = 0;
  std::size_t pages = 0;
  const QueryStats stats = query_all_rows(client, query, [&](std::vector<nlohmann::json> results) {
    for (auto& page : results) {
      ++pages;
      complete_truncated_properties(client, page);
      const Row payload = payload_of_page(options_.schema, page, relations);
      std::string key;
      try {
        key = Key(key_parts(options_.schema, payload)).encoded();
      } catch (const Error&) {
        ++without_key;  // a page with an empty key cannot be a declared row: left alone
        continue;
      }
      const std::string page_id = normalize_notion_id(page.value("id", "")).value_or("");
      pages_by_key[key].push_back(page_id);
      const std::string encoded = canonical_encoding(payload);
      // With a body, the page's is not read here: its half of the fingerprint says "unknown",
      // and apply() reads the body of each page whose properties match (page_body.hpp).
      rows.push_back(RemoteRow{key, page_id,
                               options_.schema.body_field().empty()
                                   ? fingerprint_of(encoded, schema_version)
                                   : fingerprint_with_unknown_body(encoded, schema_version)});
    }
  });
  const bool verifying = context.scan_purpose == TargetContext::ScanPurpose::verify;
  context.notes.push_back(
      "read " + std::to_string(pages) + " existing pages in " + std::to_string(stats.pages) +
      " queries to " +
      (verifying ? "find the pages of creates whose outcome was unknown" : "adopt them"));
  if (without_key > 0) {
    context.notes.push_back(std::to_string(without_key) + " pages have no key value; left alone");
  }
  // When verifying, the tracked page of a key is the one kept, not the listing's first: only a
  // first run trashes duplicates here.
  if (options_.trash_duplicate_pages && !context.dry_run && !verifying) {
    std::set<std::string> trashed;
    for (const auto& [key, ids] : pages_by_key) {
      for (std::size_t i = 1; i < ids.size(); ++i) {
        client.call(endpoints::trash_page(ids[i]));
        trashed.insert(ids[i]);
      }
    }
    if (!trashed.empty()) {
      std::erase_if(rows, [&](const RemoteRow& row) { return trashed.contains(row.remote_id); });
      context.notes.push_back("trashed " + std::to_string(trashed.size()) +
                              " duplicate pages (pages sharing a key with an older page)");
    }
  }
  return rows;
}

void DatabaseTargetDriver::apply(TargetContext& context, std::span<const Action> actions,
                                 const DeclaredRows& rows, ActionReporter& reporter) {
  if (data_source_id_.empty()) {
    throw Error(ErrorKind::internal, "target '" + context.record.name + "' has no data source");
  }
  if (context.store == nullptr) throw Error(ErrorKind::internal, "apply needs the state store");
  RelationResolver relations(*context.store, context.app_name);
  PageWriterSettings settings;
  settings.data_source_id = data_source_id_;
  settings.target_name = context.record.name;
  settings.applied_targets = context.applied_targets;
  settings.trash_duplicate_pages = options_.trash_duplicate_pages;
  settings.schema_version = options_.schema.version();
  settings.body_allow_deleting_content = options_.body_allow_deleting_content;
  // Local files go up before the pages that attach them: each once, whatever number of rows
  // names it; a file that cannot be uploaded fails its rows only.
  std::vector<std::string> tokens;
  for (const Action& action : actions) {
    if (action.kind != ActionKind::create && action.kind != ActionKind::update) continue;
    try {
      const PagePayload parts = split_page_payload(rows.at(action.declared_index).payload);
      for (auto& token : upload_tokens(options_.schema, decode_canonical_row(parts.properties))) {
        tokens.push_back(std::move(token));
      }
    } catch (const Error&) {
      // A payload that does not decode fails its action in the writer, which says why.
    }
  }
  FileUploader uploader(*options_.client, *context.store, context.app_name, local_files_);
  if (!tokens.empty()) settings.uploads = uploader.prepare(tokens);
  if (uploader.uploaded() + uploader.reused() > 0) {
    context.notes.push_back("uploaded " + std::to_string(uploader.uploaded()) + " files, reused " +
                            std::to_string(uploader.reused()) + " uploads");
  }
  PageWriter writer(*options_.client, options_.schema, std::move(settings), relations, rows,
                    reporter, incomplete_keys_);
  const auto record_uploads = [&] {
    uploader.mark_attached(writer.attached_uploads);
    uploader.forget(writer.refused_uploads);
    for (auto& note : writer.notes) context.notes.push_back(std::move(note));
  };
  try {
    writer.run(actions);
  } catch (...) {
    record_uploads();
    throw;
  }
  record_uploads();
  if (!writer.editor.empty()) {
    const std::string editor = normalize_notion_id(writer.editor).value_or(writer.editor);
    if (own_user_id_.empty()) own_user_id_ = kept_own_user_id(*context.store, context.app_name);
    if (editor != own_user_id_) {
      own_user_id_ = editor;
      keep_own_user_id(*context.store, context.app_name, own_user_id_);
    }
  }
}

}  // namespace notionsync::notion
