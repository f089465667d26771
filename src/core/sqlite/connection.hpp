// Thin RAII wrappers over the SQLite C API, used by the SQLite state store only.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace notionsync::sqlite {

// Throws Error(ErrorKind::state_store) with `what` and SQLite's message for `db`.
[[noreturn]] void throw_error(sqlite3* db, std::string_view what);

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  Statement(Statement&&) noexcept = default;
  Statement& operator=(Statement&&) noexcept = default;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view text);
  Statement& bind_blob(int index, std::span<const unsigned char> bytes);
  Statement& bind_null(int index);

  // Advances; true while a row is available. Throws on error.
  bool step();
  // Runs a statement that returns no rows, then resets it for reuse.
  void run();
  void reset();

  std::int64_t column_int(int index) const;
  std::string column_text(int index) const;
  // The same without a copy: valid until the statement steps, resets or is destroyed.
  std::string_view column_text_view(int index) const;
  bool column_is_null(int index) const;
  std::span<const unsigned char> column_blob(int index) const;

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
  };
  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, Finalizer> statement_;
};

class Connection {
 public:
  explicit Connection(const std::string& path);
  sqlite3* handle() const { return db_.get(); }
  void execute(std::string_view sql);  // one or more statements, no results
  Statement prepare(std::string_view sql) { return Statement(db_.get(), sql); }

 private:
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  std::unique_ptr<sqlite3, Closer> db_;
};

// Begins an IMMEDIATE transaction (taking the write lock up front, so two writers wait on
// busy_timeout instead of failing mid-way) and rolls it back unless commit() is called.
class Transaction {
 public:
  explicit Transaction(Connection& connection);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& connection_;
  bool done_ = false;
};

}  // namespace notionsync::sqlite
