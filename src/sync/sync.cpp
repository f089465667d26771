#include "notionsync/sync.hpp"

#include <algorithm>
#include <filesystem>

#include "core/app_internals.hpp"
#include "notionsync/core/sqlite_state_store.hpp"
#include "notionsync/notion/database_target.hpp"
#if NOTIONSYNC_WITH_POSTGRES
#include "notionsync/postgres/state_store.hpp"
#endif

namespace notionsync {

std::unique_ptr<StateStore> open_state_store(std::string_view location, bool create) {
  if (location.starts_with("postgresql://") || location.starts_with("postgres://")) {
#if NOTIONSYNC_WITH_POSTGRES
    return PostgresStateStore::open(std::string(location));
#else
    throw Error(ErrorKind::invalid_argument,
                "this notionsync was built without PostgreSQL: the state cannot be a "
                "postgresql:// URL");
#endif
  }
  const std::string path(location.starts_with("sqlite:") ? location.substr(7) : location);
  if (path.empty()) {
    throw Error(ErrorKind::invalid_argument,
                "the state must be a SQLite file's path, \"sqlite:PATH\" or \"postgresql://...\"");
  }
  if (!create && path != ":memory:" && !std::filesystem::exists(path)) {
    return SqliteStateStore::open(":memory:");  // what a new file would hold: nothing
  }
  return SqliteStateStore::open(path);
}

struct Sync::Entry {
  std::string name;
  notion::DatabaseTargetOptions options;
};

// One round: the app the declarations of one run go to, with its locks.
struct Sync::Round {
  std::unique_ptr<App> app;
  std::vector<TargetHandle*> handles;  // by entry index
#if NOTIONSYNC_WITH_POSTGRES
  std::vector<std::unique_ptr<TargetLock>> target_locks;
#endif
};

namespace {

notion::ClientOptions client_options(SyncSettings& settings) {
  if (!settings.notion.token.empty()) {
    throw Error(ErrorKind::invalid_argument,
                "give the token as SyncSettings::token, not SyncSettings::notion.token");
  }
  notion::ClientOptions options = settings.notion;
  options.token = settings.token;
  return options;
}

}  // namespace

Sync::Sync(SyncSettings settings) : settings_(std::move(settings)) {
  if (settings_.app.empty()) throw Error(ErrorKind::invalid_argument, "the app name is empty");
  // The client first: it checks the token and where it would be sent before the store is opened.
  client_ = std::make_unique<notion::Client>(client_options(settings_));
  store_ = open_state_store(settings_.state, settings_.create_state);
}

Sync::Sync(SyncSettings settings, std::shared_ptr<StateStore> store,
           std::shared_ptr<notion::Client> client)
    : settings_(std::move(settings)),
      store_(std::move(store)),
      client_(std::move(client)),
      served_by_worker_(true) {}

Sync::~Sync() = default;

notion::Client& Sync::client() {
  return *client_;
}

StateStore& Sync::store() {
  return *store_;
}

Database<Row> Sync::database(DatabaseSchema schema, DatabaseLocation location,
                             DatabaseOptions options) {
  return Database<Row>(*this, add(std::move(schema), std::move(location), std::move(options)));
}

std::size_t Sync::add(DatabaseSchema schema, DatabaseLocation location, DatabaseOptions options) {
  notion::DatabaseTargetOptions target;
  target.client = client_.get();
  target.schema = std::move(schema);
  std::string default_name;
  if (auto* created = std::get_if<NewDatabase>(&location)) {
    target.managed_by = notion::ManagedBy::system;
    target.parent_page_id = std::move(created->parent_page);
    target.parent_database_id = std::move(created->parent_database);
    target.title = std::move(created->title);
    target.allow_destructive = created->allow_destructive;
    default_name = target.title;
  } else {
    auto& existing = std::get<ExistingDataSource>(location);
    target.managed_by = notion::ManagedBy::user;
    target.data_source_id = std::move(existing.id);
    default_name = target.data_source_id;
  }
  target.on_delete = options.on_delete;
  target.max_removals = options.max_removals;
  target.on_drift = options.on_drift;
  target.trash_duplicate_pages = options.trash_duplicate_pages;
  target.body_allow_deleting_content = options.body_allow_deleting_content;
  target.users_cache_ttl = options.users_cache_ttl;
  notion::validate_options(target);

  std::string name = options.name.empty() ? default_name : std::move(options.name);
  for (const Entry& entry : entries_) {
    if (entry.name == name) {
      throw Error(ErrorKind::invalid_argument, "two databases are named \"" + name +
                                                   "\": give one another "
                                                   "DatabaseOptions::name");
    }
  }
  entries_.push_back(Entry{std::move(name), std::move(target)});
  try {
    if (round_) {
      mount(*round_, entries_.back());
    } else if (!served_by_worker_) {
      open_round();
    }
  } catch (...) {
    entries_.pop_back();  // a database that could not be added is not there
    throw;
  }
  return entries_.size() - 1;
}

void Sync::mount(Round& round, const Entry& entry) {
#if NOTIONSYNC_WITH_POSTGRES
  // Workers lock targets, not apps: on a store they share, each database is held too, so a worker
  // never reconciles one at the same time as this program. (A worker holds its claim's lock.)
  auto* shared = dynamic_cast<PostgresStateStore*>(store_.get());
  if (shared != nullptr && !served_by_worker_) {
    round.target_locks.push_back(shared->lock_target(settings_.app, entry.name));
  }
#endif
  round.handles.push_back(&notion::mount_database_target(*round.app, entry.name, entry.options));
}

void Sync::open_round() {
  auto round = std::make_unique<Round>();
  round->app = std::make_unique<App>(settings_.app, *store_);
  // Locked before any row is declared: a second program syncing this app stops at once, and the
  // tracked rows are read while the rows are declared.
  AppInternals::hold_lock(*round->app);
  for (const Entry& entry : entries_) mount(*round, entry);
  round_ = std::move(round);
}

void Sync::close_round() {
  round_.reset();
}

TargetHandle& Sync::handle(std::size_t index) {
  if (!round_) {
    if (served_by_worker_) {
      throw Error(ErrorKind::invalid_argument,
                  "the rows of a worker's database are declared in its callback, when it runs");
    }
    open_round();
  }
  return *round_->handles.at(index);
}

const std::string& Sync::name_of(std::size_t index) const {
  return entries_.at(index).name;
}

std::string Sync::data_source_id_of(std::size_t index) {
  const Entry& entry = entries_.at(index);
  if (!entry.options.data_source_id.empty()) return entry.options.data_source_id;
  for (const TargetRecord& record : store_->targets(settings_.app, RowCounts::skipped)) {
    if (record.name == entry.name) return record.remote_id;
  }
  return "";
}

namespace {

SyncOptions sync_options(const RunOptions& options) {
  SyncOptions sync;
  sync.allow_removals = options.allow_removals;
  sync.only_targets = options.only;
  sync.prune_orphaned_targets = options.forget_undeclared_databases;
  sync.on_progress = options.on_progress;
  return sync;
}

}  // namespace

std::vector<Plan> Sync::plan(const RunOptions& options) {
  if (!round_) open_round();
  return round_->app->plan(sync_options(options));
}

SyncReport Sync::run(const RunOptions& options) {
  if (!round_) open_round();
  // The round ends with the run, whatever its outcome: the next declaration starts afresh.
  struct CloseRound {
    Sync& sync;
    ~CloseRound() { sync.close_round(); }
  } close{*this};
  return round_->app->sync(sync_options(options));
}

SyncReport Sync::run_claimed(std::size_t index, const std::function<void()>& declare_rows,
                             std::function<void(const SyncProgress&)> on_progress) {
  const Entry& claimed = entries_.at(index);
  round_ = std::make_unique<Round>();
  try {
    round_->app = std::make_unique<App>(settings_.app, *store_);
    for (const Entry& entry : entries_) mount(*round_, entry);
    // The claim's lock keeps other writers out of this database's rows: they are read while its
    // rows are declared.
    AppInternals::read_ahead(*round_->app, claimed.name);
    declare_rows();
    SyncOptions options;
    options.take_app_lock = false;  // the caller holds the database's lock instead
    options.only_targets = {claimed.name};
    options.on_progress = std::move(on_progress);
    SyncReport report = round_->app->sync(options);
    close_round();
    return report;
  } catch (...) {
    close_round();
    throw;
  }
}

std::vector<std::string> Sync::undeclared_databases() {
  if (!round_) open_round();
  return round_->app->orphaned_targets();
}

// Database<Row>.
std::optional<RowError> Database<Row>::declare(const Row& row, std::string_view origin) {
  return sync_->handle(index_).declare(row, origin);
}

void Database<Row>::reject(RowError error, const Row& row) {
  sync_->handle(index_).reject(std::move(error), row);
}

const std::string& Database<Row>::name() const {
  return sync_->name_of(index_);
}

std::string Database<Row>::data_source_id() const {
  return sync_->data_source_id_of(index_);
}

}  // namespace notionsync
