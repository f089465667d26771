// Notion database target: keeps one Notion data source in sync with the rows an app declares.
//
//   notion::Client client({.token = token});
//   notion::DatabaseTargetOptions options;
//   options.client = &client;
//   options.schema = schema;                     // see database_schema.hpp / typed_schema.hpp
//   options.parent_page_id = "…";                // managed_by = system (the default): notionsync
//   options.title = "People";                    // finds or creates "People" under that page
//   TargetHandle& people = notion::mount_database_target(app, "people", options);
//   people.declare(Row{{"name", "Ada"}, {"email", "ada@example.com"}});
//   app.sync();
//
// managed_by = user validates a data source the user owns (data_source_id) and stops before any
// write if a bound property is missing or has another type. managed_by = system finds the data
// source by title under the parent (a duplicate title is an error), creates it if missing, adds
// new properties, and refuses type changes and removals unless allow_destructive.
//
// Rows: a page is created for each new row, updated (every bound property) when its row changed,
// and trashed (RemovalMode::trash), deleted (erase: DELETE /blocks, which Notion also moves to
// the trash) or left in place (forget) when its row is no longer declared; a sync that would
// remove more pages than max_removals allows writes nothing (SyncReport::refused()). Unchanged
// rows cost no call.
// Page ids are tracked, so one changed row costs one call. A first run with an empty state adopts
// the pages already there (one query per 100 pages) and writes only those that differ.
//
// People values may name users by id, email or exact name: the workspace's users are read
// (GET /v1/users) the first time a value is not an id, and kept in the state store for
// users_cache_ttl. Files values may name local files besides URLs, and the page icon and cover
// (schema.icon(field), schema.cover(field)) an emoji, a URL or a local image: a local file is
// uploaded once through the File Upload API (kept in the state store by its content hash) and its
// content is what the row's fingerprint holds, so it is uploaded again only when it changes.
//
// Page bodies (schema.body(field)): a new row's body goes with its page (one call); a changed
// body is replaced with PATCH /v1/pages/{id}/markdown (one call), apart from its properties, so
// a row whose properties and body both changed costs two calls and one whose body alone changed
// costs one. Adopted pages whose properties match have their body read (one call) and written
// only where it differs.
#pragma once

#include <chrono>
#include <string>

#include "notionsync/core/app.hpp"
#include "notionsync/notion/client.hpp"
#include "notionsync/notion/database_schema.hpp"

namespace notionsync::notion {

enum class ManagedBy {
  system,  // notionsync finds or creates the data source and evolves its schema
  user,    // the user owns the data source; notionsync only validates it
};

std::string_view to_string(ManagedBy managed_by);

struct DatabaseTargetOptions {
  Client* client = nullptr;  // REQUIRED; must outlive every sync of the app
  DatabaseSchema schema;     // REQUIRED
  ManagedBy managed_by = ManagedBy::system;
  std::string data_source_id;  // user: required; system: not allowed
  std::string parent_page_id;  // system: exactly one of parent_page_id, parent_database_id
  std::string parent_database_id;
  std::string title;  // system: required (the data source's name)
  // A page whose row is no longer declared: RemovalMode::trash (in_trash), erase
  // (DELETE /v1/blocks/{id}, which Notion also moves to the trash) or forget (left in place).
  RemovalMode on_delete = RemovalMode::trash;
  bool allow_destructive = false;  // system: allow type changes and removal of undeclared columns
  // When several pages carry one key, keep the first and trash the others (else only report).
  bool trash_duplicate_pages = false;
  // With a page body in the schema: let replacing a body delete the child pages and databases it
  // no longer names (Notion refuses that by default, and the row fails, naming the page).
  bool body_allow_deleting_content = false;
  // Each sync asks Notion which tracked pages changed since the last one (one query, more only
  // when over 100 changed): restore writes the declared values back and brings trashed pages
  // back; report lists them and writes nothing; ignore does not ask.
  DriftPolicy on_drift = DriftPolicy::restore;
  // How long the workspace's users, read for people values given by email or name, are kept in
  // the state store before they are read again (0: not kept, read in every run that needs them).
  // A value no kept user matches reads them again at once (once per run).
  std::chrono::seconds users_cache_ttl{3600};
  // How many tracked pages one sync may remove (trash, delete or stop tracking) before it refuses
  // to run, writing nothing: RemovalLimit::percent(20), RemovalLimit::at_most(100), ... The
  // standard limit refuses more than half of the pages when that is more than 10, and any page
  // when no row is declared. SyncOptions::allow_removals lifts it for one run.
  RemovalLimit max_removals;
};

// Throws Error(ErrorKind::invalid_argument) for contradictory or missing options (with every
// problem listed) and for an invalid schema.
void validate_options(const DatabaseTargetOptions& options);

// Adds a Notion database target named `name` to `app` and returns the handle rows are declared
// through. Validates the options first (see validate_options()).
TargetHandle& mount_database_target(App& app, std::string name, DatabaseTargetOptions options);

}  // namespace notionsync::notion
