// The Notion database target's drift check: pages people changed since the last sync.
//
// One data source query asks for the pages edited since the target's mark (filtered on
// last_edited_time, trash included, only the bound properties), 100 pages a call. Each page is
// decoded as adoption decodes it and compared with what is declared for its row: equal values
// (an edit of an unbound property, or notionsync's own write) are no drift. A page moved to the
// trash is. With a page body, a page last edited by someone else has its body read (one call)
// when its properties match. A page that differs is told apart from a write of notionsync's own
// that was never recorded (a crash) by its last editor: the integration's own user id is kept in
// the state store, learnt from the answers to its writes (users/me only when none has told it).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "database_target_driver.hpp"
#include "notionsync/core/key.hpp"
#include "notionsync/notion/endpoints.hpp"
#include "notion/notion_id.hpp"
#include "notionsync/notion/pagination.hpp"
#include "page_body.hpp"
#include "page_markdown.hpp"
#include "page_properties.hpp"

namespace notionsync::notion {
namespace {

// Notion rounds last_edited_time down to the minute, and this machine's clock may run ahead of
// Notion's: the query reaches back this far before the mark.
constexpr std::int64_t drift_overlap_ms = 2 * 60 * 1000;

std::string iso_utc(std::int64_t epoch_ms) {
  const std::time_t seconds = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S.000Z", &utc);
  return text;
}

std::string normalized(std::string_view id) {
  return normalize_notion_id(id).value_or(std::string(id));
}

constexpr std::string_view own_user_scope = "notion.integration";
constexpr std::string_view own_user_key = "own_user_id";

}  // namespace

std::string kept_own_user_id(StateStore& store, std::string_view app) {
  // Kept without expiry, so any time reads it.
  const auto kept = store.read_cached(app, own_user_scope, own_user_key, /*now_ms=*/0);
  return kept ? kept->value : "";
}

void keep_own_user_id(StateStore& store, std::string_view app, const std::string& id) {
  if (id.empty()) return;
  CachedValue value;
  value.value = id;
  value.updated_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
  store.write_cached(app, own_user_scope, own_user_key, value);
}

std::vector<DriftedItem> DatabaseTargetDriver::find_drift(TargetContext& context,
                                                          std::int64_t since_ms,
                                                          const DeclaredRows& rows) {
  std::vector<DriftedItem> drift;
  if (data_source_id_.empty() || context.store == nullptr || context.record.id == 0) return drift;
  Client& client = *options_.client;
  StateStore& store = *context.store;
  RelationResolver relations(store, context.app_name);
  const DatabaseSchema& schema = options_.schema;
  const std::string schema_version = schema.version();
  const bool has_body = !schema.body_field().empty();

  DataSourceQuery query;
  query.data_source_id = data_source_id_;
  for (const auto& binding : schema.properties()) query.filter_properties.push_back(binding.name);
  query.filter = {{"timestamp", "last_edited_time"},
                  {"last_edited_time", {{"on_or_after", iso_utc(since_ms - drift_overlap_ms)}}}};
  query.in_trash = true;

  // This integration's bot user, to tell its own edits from people's: kept in the state store
  // (learnt from the answers to its writes), else read once, when needed.
  const auto own_user_id = [&]() -> const std::string& {
    if (own_user_id_.empty()) own_user_id_ = kept_own_user_id(store, context.app_name);
    if (own_user_id_.empty()) {
      own_user_id_ = normalized(client.call(endpoints::users_me()).value("id", ""));
      keep_own_user_id(store, context.app_name, own_user_id_);
    }
    return own_user_id_;
  };

  // Which row tracks a page, for a page whose key a person changed: one pass over the tracked
  // rows, only when needed.
  std::optional<std::map<std::string, std::string>> key_of_page;
  const auto tracked_key_of = [&](const std::string& page_id) -> std::optional<std::string> {
    if (!key_of_page) {
      key_of_page.emplace();
      store.for_each_row(context.record.id, [&](TrackedRow&& row) {
        if (!row.remote_id.empty()) (*key_of_page)[row.remote_id] = std::move(row.key);
      });
    }
    const auto found = key_of_page->find(page_id);
    if (found == key_of_page->end()) return std::nullopt;
    return found->second;
  };

  query_all_rows(client, query, [&](std::vector<nlohmann::json> results) {
    for (auto& page : results) {
      const std::string page_id = normalized(page.value("id", ""));
      complete_truncated_properties(client, page);
      Row remote = payload_of_page(schema, page, relations);
      std::optional<std::string> key;
      try {
        key = Key(key_parts(schema, remote)).encoded();
      } catch (const Error&) {
        // An emptied key: which row the page belongs to is found by its id below.
      }
      std::optional<TrackedRow> tracked;
      if (key) tracked = store.find_row(context.record.id, *key);
      if (!tracked || tracked->remote_id != page_id) {
        key = tracked_key_of(page_id);
        tracked = key ? store.find_row(context.record.id, *key) : std::nullopt;
      }
      // Pages notionsync does not track (made by people) and rows mid-write are not drift.
      if (!tracked || tracked->status != RowStatus::synced || tracked->remote_id != page_id) {
        continue;
      }
      const DeclaredRowView* declared = rows.find(*key);
      if (declared == nullptr) continue;  // no longer declared: the plan removes it
      const PagePayload wanted = split_page_payload(declared->payload);
      const Row wanted_values = decode_canonical_row(wanted.properties);
      // Files Notion hosts where notionsync attached local files read as those files.
      const bool files_assumed = take_declared_uploads(schema, remote, wanted_values);
      const std::string properties = canonical_encoding(remote);
      const bool trashed = page.value("in_trash", false);
      const Fingerprint& written = tracked->fingerprint;
      if (files_assumed && !trashed && declared->fingerprint != written) {
        // The row changed in the source (a new file, say): whether the page's hosted files are
        // those last written cannot be told, and a page that otherwise holds the declared values
        // is the plan's update, not drift.
        const bool holds_declared =
            has_body ? fingerprint_with_unknown_body(properties, schema_version).high ==
                           declared->fingerprint.high
                     : fingerprint_of(properties, schema_version) == declared->fingerprint;
        if (holds_declared) continue;
      }
      const std::string edited_by =
          page.contains("last_edited_by") ? page["last_edited_by"].value("id", "") : "";

      DriftedItem item;
      item.key = *key;
      item.remote_id = page_id;
      item.trashed = trashed;
      item.edited_by = edited_by;
      item.edited_at = page.value("last_edited_time", "");
      // Drift is a page that no longer holds what notionsync last wrote to it (the tracked
      // fingerprint): a row changed in the source is the plan's update, not drift.
      bool differs = trashed;
      bool body_differs = false;
      if (!has_body) {
        item.remote_fingerprint = fingerprint_of(properties, schema_version);
        differs = differs || item.remote_fingerprint != written;
      } else {
        item.remote_fingerprint = fingerprint_with_unknown_body(properties, schema_version);
        // A fingerprint from before the body was bound digests the properties alone.
        const bool properties_differ = item.remote_fingerprint.high != written.high &&
                                       fingerprint_of(properties, schema_version) != written;
        differs = differs || properties_differ;
        // The body is read only where it may have changed: a page whose properties already
        // differ has it read when restored, and a page whose last edit is notionsync's own
        // (this integration's) holds the body notionsync wrote.
        if (!differs) {
          if (normalized(edited_by) != own_user_id()) {
            const auto answer = client.call(endpoints::retrieve_page_markdown(page_id));
            std::string payload = properties;
            append_canonical_string(payload, normalize_page_markdown(answer.value("markdown", "")));
            item.remote_fingerprint =
                fingerprint_of_parts(payload, properties.size(), schema_version);
            body_differs = item.remote_fingerprint.low != written.low;
            differs = body_differs;
          }
        }
      }
      if (!differs) continue;
      item.own_write = normalized(edited_by) == own_user_id();
      // Which bound properties differ, by Notion name, then the icon and cover.
      std::vector<std::string> names;
      for (const auto& binding : schema.properties()) names.push_back(binding.name);
      if (!schema.icon_field().empty()) names.emplace_back(page_icon_entry);
      if (!schema.cover_field().empty()) names.emplace_back(page_cover_entry);
      for (const std::string& name : names) {
        const Value* now = remote.find(name);
        const Value* then = wanted_values.find(name);
        const bool now_empty = now == nullptr || now->is_null();
        const bool then_empty = then == nullptr || then->is_null();
        if (now_empty != then_empty || (!now_empty && !(*now == *then))) {
          item.fields.push_back(name);
        }
      }
      if (body_differs) item.fields.push_back("(page body)");
      drift.push_back(std::move(item));
    }
  });
  return drift;
}

}  // namespace notionsync::notion
