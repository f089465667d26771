// Page property values: request values checked the way Notion checks them and stored; stored values
// rendered as Notion answers them (every schema property present, empty ones as null or []).
#pragma once

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "model.hpp"
#include "request_checks.hpp"
#include "users.hpp"

namespace notion_emulator {

struct ValueContext {
  std::mt19937_64& generator;
  std::function<bool(const std::string& page_id)> page_exists;  // for relation targets
  AttachUpload attach_upload;                                   // files given as file uploads
};

// The stored form of a request value for `property` (request key `key`, used in messages).
// May add a select/multi_select option to `property`, as Notion does for unknown option names.
// Throws ApiError(validation_error) for read-only types, wrong shapes and Notion's limits.
nlohmann::json store_value(PropertyDefinition& property, const std::string& key,
                           const nlohmann::json& request_value, ValueContext& context);

struct RenderContext {
  const Users* users = nullptr;     // people and authors render as full user objects
  std::size_t max_references = 25;  // page objects truncate relations and people at 25
  // Formulas and rollups are computed from other values: the pages and data sources they read.
  std::function<const Page*(const std::string& page_id)> find_page;
  std::function<const DataSource*(const std::string& data_source_id)> find_data_source;
  int depth = 0;  // formulas and rollups reading each other stop after a few levels
  // A fresh download link ({url, expiry_time}) for an attached file upload.
  std::function<nlohmann::json(const std::string& upload_id)> file_object;
};

// An icon or cover as a page object shows it: an attached upload becomes a Notion-hosted file
// ({type: "file", file: {url, expiry_time}}), anything else is shown as stored.
nlohmann::json render_visual(const nlohmann::json& stored, const RenderContext& context);

// The bare value of `property` on `page` (what sits under the type key).
nlohmann::json render_value(const PropertyDefinition& property, const Page& page,
                            const RenderContext& context);

// {"id","type","<type>": value} plus "has_more" for relations.
nlohmann::json render_property_value(const PropertyDefinition& property, const Page& page,
                                     const RenderContext& context);

// The stored value converted for a property whose type changed (text survives between text-like
// types; everything else is cleared, as Notion loses it).
nlohmann::json convert_value(const nlohmann::json& stored, const std::string& from_type,
                             const std::string& to_type);

}  // namespace notion_emulator
