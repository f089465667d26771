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

// GET /v1/users/me: the integration's bot user (checks the token), with the workspace's largest
// file upload in bot.workspace_limits.max_file_upload_size_in_bytes.
Request users_me();

// GET /v1/users: one page (100) of the workspace's people and bots, guests left out. Without the
// capability to read email addresses Notion leaves person.email out.
Request list_users(const std::optional<std::string>& cursor = std::nullopt);

// The File Upload API (guides "Uploading small files", "Sending larger files"). A file of at
// most 20 MB goes in one part: create, then send it. A larger one is created with its number of
// parts (1..1000), each part sent (at least 5 MB and at most 20 MB but the last), then completed.
// Every answer is the file_upload object; it is `uploaded` once its bytes are in, and may then be
// attached by id (a files value {"file_upload": {"id"}}, a page icon or cover) until it expires,
// an hour after its creation, unless attached.
//
// POST /v1/file_uploads. `number_of_parts` 0: mode single_part; else multi_part with that many
// parts. Idempotent: an upload a re-send made in vain is never attached and expires.
Request create_file_upload(std::string_view filename, std::string_view content_type,
                           int number_of_parts = 0);
// POST /v1/file_uploads/{id}/send as multipart/form-data: `bytes` under `file` and, for a
// multi_part upload, `part_number` (1-based; 0 leaves it out).
Request send_file_upload(std::string_view file_upload_id, std::string_view filename,
                         std::string_view content_type, std::string bytes, int part_number = 0);
// POST /v1/file_uploads/{id}/complete: ends a multi_part upload once every part is sent.
Request complete_file_upload(std::string_view file_upload_id);
// GET /v1/file_uploads/{id}.
Request retrieve_file_upload(std::string_view file_upload_id);

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

// A page's icon and cover as a request sets them ({"emoji"}, {"external": {"url"}} or
// {"file_upload": {"id"}}); nullopt leaves one out of the request, null removes it.
struct PageAppearance {
  std::optional<nlohmann::json> icon;
  std::optional<nlohmann::json> cover;
};
// POST /v1/pages as create_page() above, with an icon and a cover. Not idempotent.
Request create_page(std::string_view data_source_id, const nlohmann::json& properties,
                    const std::optional<std::string>& markdown, const PageAppearance& appearance);
// PATCH /v1/pages/{id} setting `properties`, and the icon and cover `appearance` gives.
Request update_page(std::string_view page_id, const nlohmann::json& properties,
                    const PageAppearance& appearance);

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
