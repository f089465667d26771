#include "notionsync/sources/sqlite_query_source.hpp"

#include <sqlite3.h>

#include <cmath>
#include <set>
#include <string_view>

#include "notionsync/core/error.hpp"

namespace notionsync::sources {
namespace {

// A source file may be written by its owner while we read (WAL readers never block, but a
// rollback-journal writer holds the file briefly): wait this long for a lock.
constexpr int kBusyTimeoutMilliseconds = 10000;

struct DatabaseCloser {
  void operator()(sqlite3* database) const { sqlite3_close_v2(database); }
};
struct StatementFinalizer {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n\f\v;") == std::string_view::npos;
}

class SqliteQuerySource final : public RowSource {
 public:
  SqliteQuerySource(std::string path, std::string sql)
      : path_(std::move(path)), sql_(std::move(sql)) {
    // SQLite opens a private temporary database for "": a source would silently read nothing.
    if (path_.empty()) fail("no database file given", "cannot open");
    sqlite3* database = nullptr;
    const int opened = sqlite3_open_v2(path_.c_str(), &database, SQLITE_OPEN_READONLY, nullptr);
    database_.reset(database);
    if (opened != SQLITE_OK) {
      fail(database ? sqlite3_errmsg(database) : sqlite3_errstr(opened), "cannot open");
    }
    sqlite3_busy_timeout(database, kBusyTimeoutMilliseconds);
    // Opening is lazy: a file that is not a database only fails when read, so read its schema
    // version now rather than report "SELECT 1" as working on a text file.
    if (sqlite3_exec(database, "PRAGMA schema_version", nullptr, nullptr, nullptr) != SQLITE_OK) {
      fail(sqlite3_errmsg(database), "cannot open");
    }
    sqlite3_stmt* statement = nullptr;
    const char* tail = nullptr;
    if (sqlite3_prepare_v2(database, sql_.c_str(), static_cast<int>(sql_.size() + 1), &statement,
                           &tail) != SQLITE_OK) {
      fail(sqlite3_errmsg(database), "query failed on");
    }
    statement_.reset(statement);
    if (statement == nullptr) fail("the query is empty", "query failed on");
    if (tail != nullptr && !is_blank(tail)) fail("give one statement only", "query failed on");
    if (!sqlite3_stmt_readonly(statement)) {
      fail("the query would modify the database; a source only reads", "query failed on");
    }
    std::set<std::string> seen;
    const int count = sqlite3_column_count(statement);
    for (int i = 0; i < count; ++i) {
      std::string name = sqlite3_column_name(statement, i);
      if (!seen.insert(name).second) {
        fail("two result columns are named \"" + name + "\"; give them distinct names with AS",
             "query failed on");
      }
      columns_.push_back(std::move(name));
    }
  }

  const std::vector<std::string>& columns() const override { return columns_; }

  std::optional<SourceRecord> next() override {
    if (done_) return std::nullopt;
    sqlite3_stmt* const statement = statement_.get();
    const int stepped = sqlite3_step(statement);
    if (stepped == SQLITE_DONE) {
      done_ = true;
      return std::nullopt;
    }
    if (stepped != SQLITE_ROW) fail(sqlite3_errmsg(database_.get()), "query failed on");
    ++row_number_;
    SourceRecord record;
    record.origin = "query row " + std::to_string(row_number_);
    record.row.reserve(columns_.size());
    for (int i = 0; i < static_cast<int>(columns_.size()); ++i) {
      const std::string& column = columns_[static_cast<std::size_t>(i)];
      const auto problem = [&](std::string message) {
        record.errors.push_back({record.origin, "", column, std::move(message)});
      };
      switch (sqlite3_column_type(statement, i)) {
        case SQLITE_NULL:
          record.row.set(column, Value());
          break;
        case SQLITE_INTEGER:
          record.row.set(column, Value(sqlite3_column_int64(statement, i)));
          break;
        case SQLITE_FLOAT: {
          const double number = sqlite3_column_double(statement, i);
          if (std::isfinite(number)) {
            record.row.set(column, Value(number));
          } else {
            problem("not a finite number");
          }
          break;
        }
        case SQLITE_TEXT: {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, i));
          std::string value(text, static_cast<std::size_t>(sqlite3_column_bytes(statement, i)));
          if (is_valid_utf8(value)) {
            record.row.set(column, Value(std::move(value)));
          } else {
            problem("value is not valid UTF-8");
          }
          break;
        }
        default:
          problem("BLOB values are not supported; select a text or number instead");
          break;
      }
    }
    return record;
  }

 private:
  [[noreturn]] void fail(const std::string& reason, std::string_view what) const {
    throw Error(ErrorKind::invalid_argument, "SQLite " + std::string(what) + " " + path_ + ": " +
                                                 reason + " (query: " + sql_ + ")");
  }

  std::string path_;
  std::string sql_;
  std::unique_ptr<sqlite3, DatabaseCloser> database_;
  std::unique_ptr<sqlite3_stmt, StatementFinalizer> statement_;
  std::vector<std::string> columns_;
  std::size_t row_number_ = 0;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<RowSource> open_sqlite_query(const std::string& path, const std::string& sql) {
  return std::make_unique<SqliteQuerySource>(path, sql);
}

}  // namespace notionsync::sources
