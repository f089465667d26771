#include "notionsync/postgres/query_source.hpp"

#include <cctype>
#include <pqxx/pqxx>
#include <set>
#include <string_view>

#include "notionsync/core/error.hpp"
#include "postgres/values.hpp"
#include "util/connection_url.hpp"

namespace notionsync::sources {
namespace {

// Rows fetched per round trip: large enough to amortise the round trip, small enough that a wide
// result stays a few megabytes.
constexpr int kFetchBatchRows = 500;
constexpr std::string_view kCursorName = "notionsync_source";

std::string_view trim_query(std::string_view sql) {
  // DECLARE ... FOR <query> takes one query without its terminating semicolon.
  while (!sql.empty() &&
         (sql.back() == ';' || std::isspace(static_cast<unsigned char>(sql.back())))) {
    sql.remove_suffix(1);
  }
  while (!sql.empty() && std::isspace(static_cast<unsigned char>(sql.front())))
    sql.remove_prefix(1);
  return sql;
}

std::string trim_message(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

class PostgresQuerySource final : public RowSource {
 public:
  PostgresQuerySource(const std::string& url, std::string sql)
      : redacted_url_(redact_connection_url(url)),
        secrets_(util::connection_secrets(url)),
        sql_(std::move(sql)) {
    try {
      connection_ = std::make_unique<pqxx::connection>(url);
    } catch (const std::exception& error) {
      throw Error(ErrorKind::remote,
                  "cannot connect to PostgreSQL at " + redacted_url_ + ": " + clean(error.what()));
    }
    try {
      // Text forms of dates depend on these session settings; fix them so values parse the same
      // whatever the server's defaults are.
      connection_->set_client_encoding("UTF8");
      connection_->set_variable("TimeZone", "'UTC'");
      connection_->set_variable("DateStyle", "'ISO, YMD'");
      connection_->set_variable("IntervalStyle", "'iso_8601'");
      connection_->set_variable("extra_float_digits", "3");
      transaction_ = std::make_unique<pqxx::read_transaction>(*connection_);
    } catch (const std::exception& error) {
      throw Error(ErrorKind::remote, "cannot start a read-only transaction on " + redacted_url_ +
                                         ": " + clean(error.what()));
    }
    try {
      transaction_->exec("DECLARE " + std::string(kCursorName) + " NO SCROLL CURSOR FOR " +
                         std::string(trim_query(sql_)));
      fetch();
    } catch (const pqxx::sql_error& error) {
      throw Error(ErrorKind::invalid_argument, "PostgreSQL query failed on " + redacted_url_ +
                                                   ": " + clean(error.what()) + " (query: " + sql_ +
                                                   ")");
    } catch (const pqxx::broken_connection& error) {
      throw Error(ErrorKind::remote, "PostgreSQL connection to " + redacted_url_ + " lost: " +
                                         clean(error.what()) + " (query: " + sql_ + ")");
    }
    std::set<std::string> seen;
    for (pqxx::row::size_type i = 0; i < batch_.columns(); ++i) {
      std::string name = batch_.column_name(i);
      if (!seen.insert(name).second) {
        throw Error(ErrorKind::invalid_argument,
                    "PostgreSQL query on " + redacted_url_ + ": two result columns are named \"" +
                        name + "\"; give them distinct names with AS (query: " + sql_ + ")");
      }
      columns_.push_back(std::move(name));
      column_types_.push_back(batch_.column_type(i));
    }
  }

  const std::vector<std::string>& columns() const override { return columns_; }

  std::optional<SourceRecord> next() override {
    if (position_ == batch_.size()) {
      if (batch_.size() < static_cast<pqxx::result::size_type>(kFetchBatchRows))
        return std::nullopt;
      try {
        fetch();
      } catch (const pqxx::sql_error& error) {
        // The query itself failed part-way (a division by zero in row 1200, say).
        throw Error(ErrorKind::invalid_argument,
                    "PostgreSQL query on " + redacted_url_ + " failed after " +
                        std::to_string(row_number_) + " rows: " + clean(error.what()) +
                        " (query: " + sql_ + ")");
      } catch (const std::exception& error) {
        throw Error(ErrorKind::remote, "PostgreSQL connection to " + redacted_url_ +
                                           " lost after " + std::to_string(row_number_) +
                                           " rows: " + clean(error.what()) + " (query: " + sql_ +
                                           ")");
      }
      if (batch_.empty()) return std::nullopt;
    }
    const pqxx::row row = batch_[static_cast<pqxx::result::size_type>(position_++)];
    ++row_number_;
    SourceRecord record;
    record.origin = "query row " + std::to_string(row_number_);
    record.row.reserve(columns_.size());
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      const pqxx::field field = row[static_cast<pqxx::row::size_type>(i)];
      if (field.is_null()) {
        record.row.set(columns_[i], Value());
        continue;
      }
      detail::PostgresValue converted =
          detail::postgres_value(column_types_[i], std::string_view(field.c_str(), field.size()));
      if (converted.error.empty()) {
        record.row.set(columns_[i], std::move(converted.value));
      } else {
        record.errors.push_back({record.origin, "", columns_[i], std::move(converted.error)});
      }
    }
    return record;
  }

 private:
  void fetch() {
    batch_ = transaction_->exec("FETCH FORWARD " + std::to_string(kFetchBatchRows) + " FROM " +
                                std::string(kCursorName));
    position_ = 0;
  }

  // Server and libpq messages never carry the password in practice; this makes sure of it.
  std::string clean(std::string message) const {
    for (const std::string& secret : secrets_) {
      for (auto at = message.find(secret); at != std::string::npos; at = message.find(secret)) {
        message.replace(at, secret.size(), "***");
      }
    }
    return trim_message(std::move(message));
  }

  std::string redacted_url_;
  std::vector<std::string> secrets_;
  std::string sql_;
  std::unique_ptr<pqxx::connection> connection_;
  std::unique_ptr<pqxx::read_transaction> transaction_;
  std::vector<std::string> columns_;
  std::vector<pqxx::oid> column_types_;
  pqxx::result batch_;
  std::size_t position_ = 0;
  std::size_t row_number_ = 0;
};

}  // namespace

std::unique_ptr<RowSource> open_postgres_query(const std::string& url, const std::string& sql) {
  return std::make_unique<PostgresQuerySource>(url, sql);
}

std::string redact_connection_url(const std::string& url) {
  return util::redact_connection_url(url);
}

}  // namespace notionsync::sources
