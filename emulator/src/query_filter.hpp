// Data source query filters and sorts, compiled once per query into predicates over stored pages.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "model.hpp"

namespace notion_emulator {

using PagePredicate = std::function<bool(const Page&)>;
using PageOrder = std::function<bool(const Page&, const Page&)>;  // strict weak order

// A query's `filter`: property filters for every type, timestamp filters and and/or compounds
// nested up to two levels, as Notion allows. `now` resolves relative dates ("today", "past_week").
// Throws ApiError(validation_error) for unknown properties, conditions that do not fit the property
// type and nesting deeper than Notion allows.
// `me_id` is the caller's user id, which a people filter's "me" names.
PagePredicate compile_filter(const nlohmann::json& filter, const DataSource& data_source,
                             const std::string& me_id, std::int64_t now);

// A query's `sorts`; earlier sorts take precedence, empty values sort last, ties (and a query
// without sorts) list the newest page first, as Notion does. Throws ApiError(validation_error).
PageOrder compile_sorts(const nlohmann::json& sorts, const DataSource& data_source);

}  // namespace notion_emulator
