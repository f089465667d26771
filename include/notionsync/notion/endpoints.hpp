// Endpoints: one function per Notion API call, each building a Request value. Every request means
// the same under each supported Notion-Version (client.hpp).
//
// Pass the result to Client::submit() (asynchronous) or Client::call() (blocking):
//
//   auto page = client.call(endpoints::create_page(data_source_id, properties));
//   auto done = client.submit(endpoints::trash_page(page_id));   // std::future<json>
//
// Ids may be given with or without dashes. Property ids are passed as Notion returns them (already
// percent-encoded, e.g. "%5BJCR"); they are not encoded twice (seratch/notion-sdk-jvm#75).
// Functions that create something mark their request non-idempotent, so the client never re-sends
// it after it may have reached Notion (see retry_policy.hpp).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "notionsync/notion/request.hpp"

namespace notionsync::notion {

// Notion's largest page size; always sent explicitly because documentation disagrees on the
// default (10 or 100).
inline constexpr int max_page_size = 100;

// A data source query: filter, sorts and which properties to return.
struct DataSourceQuery {
  std::string data_source_id;
  nlohmann::json filter;  // null: every row
  nlohmann::json sorts;   // null or []: Notion's order (unspecified)
  // Property ids or names to return; empty returns all. Narrowing speeds queries up a lot.
  std::vector<std::string> filter_properties;
  int page_size = max_page_size;
  // Pages in the trash are answered too (Notion's `in_trash` query parameter; see
  // docs/notion-target.md, "Drift", for what is assumed of it).
  bool in_trash = false;
};

namespace endpoints {

// GET /v1/users/me: the integration's bot user (checks the token).
Request users_me();

// POST /v1/search. `object_type` is "page", "data_source" or empty for both. `cursor` continues a
// previous page; nullopt starts (start_cursor is then omitted: Notion rejects null).
Request search(std::string_view query, std::string_view object_type,
               const std::optional<std::string>& cursor = std::nullopt);

// GET /v1/databases/{id}: the database and its data_sources [{id, name}].
Request retrieve_database(std::string_view database_id);

// POST /v1/databases under a page, with its first data source's properties (a map of property
// name to encode_property_schema()). Not idempotent.
Request create_database(std::string_view parent_page_id, std::string_view title,
                        const nlohmann::json& initial_properties, bool is_inline = false);

// PATCH /v1/databases/{id} with `changes` (title, description, is_inline, in_trash, ...).
Request update_database(std::string_view database_id, nlohmann::json changes);

// GET /v1/data_sources/{id}: the data source with its property schemas.
Request retrieve_data_source(std::string_view data_source_id);

// POST /v1/data_sources: a new data source in an existing database. Not idempotent.
Request create_data_source(std::string_view database_id, std::string_view title,
                           const nlohmann::json& properties);

// PATCH /v1/data_sources/{id} with `changes`, e.g. {"properties": {"New": {...}, "Old": null}}.
Request update_data_source(std::string_view data_source_id, nlohmann::json changes);

// POST /v1/data_sources/{id}/query: one page of results, starting at `cursor`.
Request query_data_source(const DataSourceQuery& query,
                          const std::optional<std::string>& cursor = std::nullopt);

// POST /v1/pages: a row in a data source; `properties` maps property names (or ids) to
// encode_property_value() results; `markdown`, when given, is the page's content (Notion-flavored
// Markdown, in the same request). Not idempotent.
Request create_page(std::string_view data_source_id, const nlohmann::json& properties,
                    const std::optional<std::string>& markdown = std::nullopt);

// GET /v1/pages/{id}/markdown: the page's content as Markdown ({"object": "page_markdown",
// "markdown", "truncated", "unknown_block_ids"}).
Request retrieve_page_markdown(std::string_view page_id);

// PATCH /v1/pages/{id}/markdown replacing the whole content with `markdown`. Notion refuses to
// delete a child page or database the new content leaves out (validation_error) unless
// `allow_deleting_content`. Idempotent: the same content twice is the same page.
Request replace_page_markdown(std::string_view page_id, std::string_view markdown,
                              bool allow_deleting_content = false);

// GET /v1/pages/{id}; `filter_properties` narrows the properties returned.
Request retrieve_page(std::string_view page_id,
                      const std::vector<std::string>& filter_properties = {});

// PATCH /v1/pages/{id} setting `properties` (only those listed change).
Request update_page(std::string_view page_id, const nlohmann::json& properties);

// PATCH /v1/pages/{id} {"in_trash": in_trash}: moves the page to the trash or restores it. Uses
// in_trash, never `archived` (an error since Notion API 2026-03-11).
Request trash_page(std::string_view page_id, bool in_trash = true);

// GET /v1/pages/{page_id}/properties/{property_id}: one page of a property's items (the full
// value of relations and people past the 25 a page object lists).
Request retrieve_property_item(std::string_view page_id, std::string_view property_id,
                               const std::optional<std::string>& cursor = std::nullopt);

// GET /v1/blocks/{id}/children: one page of a block's children (child databases of a page).
Request list_block_children(std::string_view block_id,
                            const std::optional<std::string>& cursor = std::nullopt);

// DELETE /v1/blocks/{id}: moves a block (or page) to the trash.
Request delete_block(std::string_view block_id);

}  // namespace endpoints
}  // namespace notionsync::notion
