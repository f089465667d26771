// Sync: the front door. One Sync keeps one state store, one Notion client and the databases its
// rows go to; declare the rows each database should hold, then run().
//
//   #include <notionsync/notionsync.hpp>
//
//   struct Person { std::string name, email; };
//
//   notionsync::Sync sync({.token = notionsync::Token::from_env()});   // NOTION_TOKEN
//   auto people = sync.database(
//       notionsync::Schema<Person>().title("Name", &Person::name)
//           .email("Email", &Person::email).key(&Person::email),
//       notionsync::NewDatabase{.parent_page = "<page id>", .title = "People"});
//   people.declare({"Ada", "ada@example.com"});
//   notionsync::SyncReport report = sync.run();     // creates, updates, trashes what differs
//   std::string id = people.data_source_id();       // known once a run found or created it
//
// A run writes only what changed since the last one: the state store (a SQLite file by default)
// remembers what was written. Rows not declared before run() are removed from Notion (trashed by
// default), within the removal guard's limit (DatabaseOptions::max_removals).
//
// Rounds: run() syncs what was declared since the Sync was made or since the last run(); the next
// declare() starts a new round, so a program that syncs in a loop keeps one Sync. From the first
// declaration of a round to the end of its run(), the Sync holds its app's lock in the store: a
// second program syncing the same app (same store, same SyncSettings::app) is refused with
// ErrorKind::state_store_locked rather than interleaved. While the rows are declared, what the
// store tracks is read in the background.
//
// Not thread-safe: one thread uses a Sync and its Database handles. A Sync must outlive its
// handles. Errors follow core/error.hpp: contradictory settings and options throw
// Error(invalid_argument) where they are given; rows that cannot be written are reported in the
// SyncReport, and the other rows still sync.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "notionsync/core/app.hpp"
#include "notionsync/core/error.hpp"
#include "notionsync/core/removal_limit.hpp"
#include "notionsync/core/row.hpp"
#include "notionsync/notion/client.hpp"
#include "notionsync/notion/database_schema.hpp"
#include "notionsync/notion/token.hpp"
#include "notionsync/notion/typed_schema.hpp"

namespace notionsync {

using notion::DatabaseSchema;
using notion::Schema;

struct SyncSettings {
  Token token{};  // required: the integration's secret (Token::from_env(), Token::from_file())
  // Where what was written is tracked: a SQLite file's path (its folder is created), "sqlite:PATH",
  // or "postgresql://user@host/db" for a store several machines share.
  std::string state = ".notionsync/state.db";
  // The name the store keeps these databases under: programs sharing one store use different
  // names (a database is tracked per app and per DatabaseOptions::name).
  std::string app = "notionsync";
  // The rest of the client: base_url, api_version, rate, log, on_pause... Its token must be left
  // empty: the token is `token`.
  notion::ClientOptions notion{};
  // false: a SQLite file that does not exist is not created; an empty store stands in for it
  // (for plan(), which writes nothing).
  bool create_state = true;
};

// A database notionsync finds by title under a parent, creates when missing, and evolves: new
// properties are added; a type change or the removal of an undeclared property needs
// allow_destructive.
struct NewDatabase {
  std::string parent_page{};      // a page shared with the integration; or
  std::string parent_database{};  // a database, to which the data source is added
  std::string title{};            // the data source's name (two with this name: an error)
  bool allow_destructive = false;
};

// A data source the user owns: notionsync checks the declared properties exist with their types
// before writing, and never changes its schema. In Notion: the database's ··· → Manage data
// sources → Copy data source ID (a database id is not a data source id).
struct ExistingDataSource {
  std::string id{};
};

using DatabaseLocation = std::variant<NewDatabase, ExistingDataSource>;

struct DatabaseOptions {
  // The name the store tracks the database under (and reports use). Empty: the title of a
  // NewDatabase, the id of an ExistingDataSource.
  std::string name{};
  // A page whose row is no longer declared: trash (Notion's trash, the default), erase
  // (DELETE /v1/blocks/{id}, which Notion also moves to the trash) or forget (left as it is).
  RemovalMode on_delete = RemovalMode::trash;
  // How many tracked pages one run may remove before it refuses to write anything:
  // RemovalLimit::percent(20), RemovalLimit::at_most(100), RemovalLimit::unlimited(). The
  // standard limit refuses more than half of the pages when that is more than 10, and any page
  // when no row is declared. RunOptions::allow_removals lifts it for one run.
  RemovalLimit max_removals{};
  // Pages people changed in Notion: restore (write the declared values back, bring trashed pages
  // back), report (list them in the report) or ignore (do not ask; saves one call per run).
  DriftPolicy on_drift = DriftPolicy::restore;
  // Several pages with one key: trash all but the first (else only report them).
  bool trash_duplicate_pages = false;
  // With a page body in the schema: let replacing a body delete the child pages and databases it
  // no longer names (Notion refuses that by default; the row fails, naming the page).
  bool body_allow_deleting_content = false;
  // How long the workspace's users, read for people given by email or name, are kept.
  std::chrono::seconds users_cache_ttl{3600};
};

struct RunOptions {
  // Let this run remove more pages than the databases' max_removals allow.
  bool allow_removals = false;
  // Sync only these databases (by name); empty: all of them.
  std::vector<std::string> only{};
  // Stop tracking databases the store holds for this app that were not declared in this round
  // (their pages are left as they are). Without it they are listed in SyncReport::orphaned_targets.
  bool forget_undeclared_databases = false;
  // Called as each database's writes progress. Quick, and without calls into the Sync.
  std::function<void(const SyncProgress&)> on_progress{};
};

class Sync;
class WorkerApp;

// Where the rows of one database are declared: records of T bound by a Schema<T>, or Rows
// (Database<Row>) for a DatabaseSchema.
template <typename T>
class Database {
 public:
  // Declares one record. Returns the error when it is refused (a value that cannot be encoded);
  // it is then left out of the run, and its page, if any, is left as it is. `origin` names the
  // record in messages ("people.csv:12"); defaults to "row N".
  std::optional<RowError> declare(const T& record, std::string_view origin = {});
  const std::string& name() const;
  // The Notion data source the rows go to; empty until a run has found or created it.
  std::string data_source_id() const;

 private:
  friend class Sync;
  Database(Sync& sync, std::size_t index, std::shared_ptr<const Schema<T>> schema)
      : sync_(&sync), index_(index), schema_(std::move(schema)) {}
  Sync* sync_;
  std::size_t index_;
  std::shared_ptr<const Schema<T>> schema_;
};

template <>
class Database<Row> {
 public:
  // Declares one row: field names are the schema's field names (by default the property names).
  std::optional<RowError> declare(const Row& row, std::string_view origin = {});
  // Records a row that could not be read (see TargetHandle::reject): no page is removed for it.
  void reject(RowError error, const Row& row = {});
  const std::string& name() const;
  std::string data_source_id() const;

 private:
  friend class Sync;
  Database(Sync& sync, std::size_t index) : sync_(&sync), index_(index) {}
  Sync* sync_;
  std::size_t index_;
};

class Sync {
 public:
  // Opens (or creates) the state store and starts the Notion client. Throws Error: no token
  // (invalid_argument), a state the store cannot open, a base URL that would send the token in
  // clear text (see notion::check_base_url).
  explicit Sync(SyncSettings settings);
  ~Sync();
  Sync(const Sync&) = delete;
  Sync& operator=(const Sync&) = delete;

  // Adds a database. Throws Error(invalid_argument) for a name already used, an invalid schema or
  // a location missing what it needs (every problem listed), and Error(state_store_locked) when it
  // opens a round while another program syncs this app (declare() may too, for the same reason).
  template <typename T>
  Database<T> database(Schema<T> schema, DatabaseLocation location, DatabaseOptions options = {}) {
    auto typed = std::make_shared<const Schema<T>>(std::move(schema));
    const std::size_t index = add(typed->schema(), std::move(location), std::move(options));
    return Database<T>(*this, index, std::move(typed));
  }
  Database<Row> database(DatabaseSchema schema, DatabaseLocation location,
                         DatabaseOptions options = {});

  // What run(options) would write, database by database; writes nothing (it asks Notion which
  // pages people changed, as a run does). The declarations stay for run().
  std::vector<Plan> plan(const RunOptions& options = {});
  // Syncs every database with the rows declared in this round, then starts a new round.
  SyncReport run(const RunOptions& options = {});
  // Databases the store tracks for this app that were not added to this Sync (a program that
  // stopped syncing one): run() leaves them alone unless RunOptions::forget_undeclared_databases.
  std::vector<std::string> undeclared_databases();

  // The client every database writes through: for reading Notion in the same paced budget.
  notion::Client& client();
  StateStore& store();
  const SyncSettings& settings() const { return settings_; }

 private:
  template <typename T>
  friend class Database;
  friend class WorkerApp;  // serves a Sync's databases one claim at a time (postgres/worker.hpp)
  struct Entry;
  std::size_t add(DatabaseSchema schema, DatabaseLocation location, DatabaseOptions options);
  // The handle of database `index` in the current round (opening the round when needed).
  TargetHandle& handle(std::size_t index);
  const std::string& name_of(std::size_t index) const;
  std::string data_source_id_of(std::size_t index);
  struct Round;
  // Adds database `entry` to `round`: its target lock on a shared store, then its target.
  void mount(Round& round, const Entry& entry);
  void open_round();
  void close_round();

  // A Sync a worker serves: it shares the worker's store and the client of its integration, and
  // neither locks its app nor opens a round when a database is added.
  Sync(SyncSettings settings, std::shared_ptr<StateStore> store,
       std::shared_ptr<notion::Client> client);
  // Syncs database `index` alone, whose lock the caller holds: a round of every database (a
  // relation names others) in which `declare_rows` declares the rows of `index` only.
  SyncReport run_claimed(std::size_t index, const std::function<void()>& declare_rows,
                         std::function<void(const SyncProgress&)> on_progress);

  SyncSettings settings_;
  std::shared_ptr<StateStore> store_;
  std::shared_ptr<notion::Client> client_;
  std::vector<Entry> entries_;
  std::unique_ptr<Round> round_;
  bool served_by_worker_ = false;
};

template <typename T>
std::optional<RowError> Database<T>::declare(const T& record, std::string_view origin) {
  return sync_->handle(index_).declare(schema_->row(record), origin);
}
template <typename T>
const std::string& Database<T>::name() const {
  return sync_->name_of(index_);
}
template <typename T>
std::string Database<T>::data_source_id() const {
  return sync_->data_source_id_of(index_);
}

// Opens a state store: a SQLite file's path, "sqlite:PATH" or "postgresql://...". With
// `create` false, a SQLite file that does not exist is not created: an empty store in memory
// stands in for it. Throws Error(invalid_argument) for a PostgreSQL URL when notionsync was built
// without PostgreSQL.
std::unique_ptr<StateStore> open_state_store(std::string_view location, bool create = true);

}  // namespace notionsync
