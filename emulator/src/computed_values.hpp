// Values Notion computes: formulas (a subset of Notion's formula language) and rollups.
//
// Notion stores a formula's property references in its own form: `prop("Number") * 2` is answered
// as `{{notion:block_property:<property id>:<data source id>:<workspace id>}} * 2` (recorded in
// ../shared/reference/notion-shapes-*.json, case get_ds_B_all_props), so a reference survives a
// rename. Formula values are typed as Notion types them ({"type": "number", "number": 84}), rollup
// values too ({"type": "number", "number": 2, "function": "count"}).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model.hpp"
#include "property_values.hpp"

namespace notion_emulator {

// Rewrites each prop("Name") of a formula expression into Notion's reference form, naming
// `data_source_id`. References already in that form are kept. Throws ApiError(validation_error)
// for a property the data source does not have.
std::string rewrite_formula_references(const std::string& expression,
                                       const std::vector<PropertyDefinition>& properties,
                                       const std::string& data_source_id,
                                       const std::string& formula_name);

// The value of a formula property on `page`: {"type": "number"|"string"|"boolean"|"date", …}.
// Expressions outside the supported subset (docs/emulator.md) read as {"type": "string",
// "string": null}.
nlohmann::json formula_value(const PropertyDefinition& formula, const Page& page,
                             const RenderContext& context);

// The value of a rollup property on `page`, computed over its related pages.
nlohmann::json rollup_value(const PropertyDefinition& rollup, const Page& page,
                            const RenderContext& context);

}  // namespace notion_emulator
