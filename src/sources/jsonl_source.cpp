#include "notionsync/sources/jsonl_source.hpp"

#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "notionsync/core/error.hpp"
#include "sources/file_reader.hpp"

namespace notionsync::sources {
namespace {

// ordered_json keeps members in document order, so columns() lists keys as they first appear.
using json = nlohmann::ordered_json;

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t\r\f\v") == std::string_view::npos;
}

// Maps one JSON value; a nested object (or one inside an array) is not a row value.
std::optional<Value> to_value(const json& item, std::string& problem) {
  switch (item.type()) {
    case json::value_t::null:
      return Value();
    case json::value_t::boolean:
      return Value(item.get<bool>());
    case json::value_t::number_integer:
      return Value(item.get<std::int64_t>());
    case json::value_t::number_unsigned: {
      const auto number = item.get<std::uint64_t>();
      if (number > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        problem = "integer " + std::to_string(number) + " is out of range (beyond 2^63 - 1)";
        return std::nullopt;
      }
      return Value(static_cast<std::int64_t>(number));
    }
    case json::value_t::number_float:
      return Value(item.get<double>());
    case json::value_t::string:
      return Value(item.get<std::string>());
    case json::value_t::array: {
      Value::List items;
      for (const json& element : item) {
        auto value = to_value(element, problem);
        if (!value) return std::nullopt;
        items.push_back(std::move(*value));
      }
      return Value(std::move(items));
    }
    case json::value_t::object:
      problem = "nested objects are not supported";
      return std::nullopt;
    default:
      problem = "unsupported JSON value";
      return std::nullopt;
  }
}

// nlohmann's messages start with "[json.exception.parse_error.101] "; the rest is for people.
std::string parse_message(const json::parse_error& error) {
  std::string_view text = error.what();
  if (const auto end = text.find("] ");
      text.starts_with("[json.") && end != std::string_view::npos) {
    text.remove_prefix(end + 2);
  }
  // The parser sees one line, so its "line 1" says nothing: keep the column.
  constexpr std::string_view kLinePrefix = "parse error at line 1, ";
  if (text.starts_with(kLinePrefix)) {
    text.remove_prefix(kLinePrefix.size());
    return "malformed JSON at " + std::string(text);
  }
  return "malformed JSON: " + std::string(text);
}

std::string_view type_name(const json& item) {
  if (item.is_array()) return "an array";
  if (item.is_string()) return "a string";
  if (item.is_number()) return "a number";
  if (item.is_boolean()) return "a boolean";
  return "null";
}

class JsonlSource final : public RowSource {
 public:
  explicit JsonlSource(const std::string& path) : reader_(path) {}

  const std::vector<std::string>& columns() const override { return columns_; }

  std::optional<SourceRecord> next() override {
    std::string line;
    while (true) {
      if (!reader_.read_line(line)) return std::nullopt;
      ++line_number_;
      if (!is_blank(line)) break;
    }
    if (line.back() == '\r') line.pop_back();
    SourceRecord record;
    record.origin = reader_.path() + ":" + std::to_string(line_number_);
    json object;
    // The parser keeps the last of two equal keys without a word; a repeated key is a data bug.
    std::set<std::string> keys;
    std::string repeated_key;
    const auto find_repeated_keys = [&](int depth, json::parse_event_t event, json& parsed) {
      if (depth == 1 && event == json::parse_event_t::key && repeated_key.empty() &&
          !keys.insert(parsed.get<std::string>()).second) {
        repeated_key = parsed.get<std::string>();
      }
      return true;
    };
    try {
      object = json::parse(line, find_repeated_keys);
    } catch (const json::parse_error& error) {
      record.errors.push_back({record.origin, "", "", parse_message(error)});
      return record;
    }
    if (!object.is_object()) {
      record.errors.push_back({record.origin, "", "",
                               "expected a JSON object, found " + std::string(type_name(object))});
      return record;
    }
    if (!repeated_key.empty()) {
      record.errors.push_back({record.origin, "", repeated_key, "the key appears twice"});
    }
    for (const auto& [name, item] : object.items()) {
      if (name == repeated_key) {
        if (known_columns_.insert(name).second) columns_.push_back(name);
        continue;
      }
      if (known_columns_.insert(name).second) columns_.push_back(name);
      std::string problem;
      if (auto value = to_value(item, problem)) {
        record.row.set(name, std::move(*value));
      } else {
        record.errors.push_back({record.origin, "", name, problem});
      }
    }
    return record;
  }

 private:
  detail::FileReader reader_;
  std::size_t line_number_ = 0;
  std::vector<std::string> columns_;
  std::set<std::string> known_columns_;
};

}  // namespace

std::unique_ptr<RowSource> open_jsonl(const std::string& path) {
  return std::make_unique<JsonlSource>(path);
}

}  // namespace notionsync::sources
