#include "page_properties.hpp"

#include "notionsync/core/error.hpp"
#include "notionsync/core/key.hpp"
#include "notionsync/notion/property_value_codec.hpp"

namespace notionsync::notion {

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
                               RelationResolver& relations) {
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
      } else {
        result.properties[binding.name] = encode_property_value(binding.type, value, binding.name);
      }
    } catch (const RowValueError&) {
      throw;
    } catch (const Error& error) {
      throw RowValueError(binding.field_name(), error.what());
    }
  }
  return result;
}

Row payload_of_page(const DatabaseSchema& schema, const nlohmann::json& page,
                    RelationResolver& relations) {
  Row payload;
  const auto& properties = page.at("properties");
  for (const auto& binding : schema.properties()) {
    const auto found = properties.find(binding.name);
    Value value = found != properties.end() ? decode_property_value(*found) : Value();
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
