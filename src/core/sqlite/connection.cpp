#include "core/sqlite/connection.hpp"

#include "notionsync/core/error.hpp"

namespace notionsync::sqlite {

void throw_error(sqlite3* db, std::string_view what) {
  std::string message = "state store: " + std::string(what);
  if (db != nullptr) message += ": " + std::string(sqlite3_errmsg(db));
  throw Error(ErrorKind::state_store, message);
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &raw, nullptr) != SQLITE_OK) {
    throw_error(db, "preparing a statement");
  }
  statement_.reset(raw);
}

Statement& Statement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(statement_.get(), index, value) != SQLITE_OK) throw_error(db_, "binding");
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  if (sqlite3_bind_text64(statement_.get(), index, text.data(), text.size(), SQLITE_TRANSIENT,
                          SQLITE_UTF8) != SQLITE_OK) {
    throw_error(db_, "binding");
  }
  return *this;
}

Statement& Statement::bind_blob(int index, std::span<const unsigned char> bytes) {
  if (sqlite3_bind_blob64(statement_.get(), index, bytes.data(), bytes.size(), SQLITE_TRANSIENT) !=
      SQLITE_OK) {
    throw_error(db_, "binding");
  }
  return *this;
}

Statement& Statement::bind_null(int index) {
  if (sqlite3_bind_null(statement_.get(), index) != SQLITE_OK) throw_error(db_, "binding");
  return *this;
}

bool Statement::step() {
  const int result = sqlite3_step(statement_.get());
  if (result == SQLITE_ROW) return true;
  if (result == SQLITE_DONE) return false;
  const std::string message = sqlite3_errmsg(db_);
  sqlite3_reset(statement_.get());
  throw Error(ErrorKind::state_store, "state store: " + message);
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(statement_.get());
  sqlite3_clear_bindings(statement_.get());
}

std::int64_t Statement::column_int(int index) const {
  return sqlite3_column_int64(statement_.get(), index);
}

std::string Statement::column_text(int index) const {
  return std::string(column_text_view(index));
}

std::string_view Statement::column_text_view(int index) const {
  const auto* text = sqlite3_column_text(statement_.get(), index);
  if (text == nullptr) return {};
  return {reinterpret_cast<const char*>(text),
          static_cast<std::size_t>(sqlite3_column_bytes(statement_.get(), index))};
}

bool Statement::column_is_null(int index) const {
  return sqlite3_column_type(statement_.get(), index) == SQLITE_NULL;
}

std::span<const unsigned char> Statement::column_blob(int index) const {
  const auto* data =
      static_cast<const unsigned char*>(sqlite3_column_blob(statement_.get(), index));
  return {data, static_cast<std::size_t>(sqlite3_column_bytes(statement_.get(), index))};
}

Connection::Connection(const std::string& path) {
  sqlite3* raw = nullptr;
  // No mutex of SQLite's own: a connection is used by one thread at a time (the state store holds
  // its mutex around every use), and SQLite's per-call locking cost a lock and an unlock for every
  // column of every tracked row read.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int result = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  db_.reset(raw);
  if (result != SQLITE_OK) throw_error(raw, "opening '" + path + "'");
  sqlite3_extended_result_codes(raw, 1);
}

void Connection::execute(std::string_view sql) {
  const std::string statement(sql);
  char* message = nullptr;
  if (sqlite3_exec(db_.get(), statement.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string text = message != nullptr ? message : "unknown error";
    sqlite3_free(message);
    throw Error(ErrorKind::state_store, "state store: " + text);
  }
}

Transaction::Transaction(Connection& connection) : connection_(connection) {
  connection_.execute("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
  if (!done_) sqlite3_exec(connection_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  connection_.execute("COMMIT");
  done_ = true;
}

}  // namespace notionsync::sqlite
