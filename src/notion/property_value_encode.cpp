// Encoding and normalising property values: Notion's limits are checked here, before sending.
#include <cmath>
#include <set>
#include <string>

#include "notionsync/core/error.hpp"
#include "notion/notion_id.hpp"
#include "notionsync/notion/property_value_codec.hpp"
#include "notionsync/notion/rich_text.hpp"

namespace notionsync::notion {
namespace {

// Notion numbers are JavaScript doubles: integers beyond 2^53 would come back changed.
constexpr std::int64_t max_exact_integer = 9007199254740992;
// Request limits (developers.notion.com, request limits; email/phone use the OpenAPI's 100, the
// stricter of the two documented values).
constexpr std::size_t max_url_units = 2000;
constexpr std::size_t max_email_units = 100;
constexpr std::size_t max_phone_units = 100;
constexpr std::size_t max_file_name_units = 100;

class Context {
 public:
  Context(PropertyType type, std::string_view property_name)
      : type_(type), property_name_(property_name) {}

  [[noreturn]] void fail(const std::string& problem) const {
    std::string what = "property";
    if (!property_name_.empty()) what += " \"" + std::string(property_name_) + "\"";
    what += " (" + std::string(to_string(type_)) + "): " + problem;
    throw Error(ErrorKind::invalid_value, what);
  }

  std::string label() const {
    std::string what = "property";
    if (!property_name_.empty()) what += " \"" + std::string(property_name_) + "\"";
    return what;
  }

  const std::string& string_of(const Value& value) const {
    if (value.type() != Value::Type::string) {
      fail("expects a string, got " + std::string(to_string(value.type())));
    }
    if (!is_valid_utf8(value.as_string())) fail("text is not valid UTF-8");
    return value.as_string();
  }

  void check_length(const std::string& text, std::size_t max_units, const char* what) const {
    if (text.size() <= max_units) return;  // a UTF-16 unit takes at least one UTF-8 byte
    const std::size_t units = utf16_length(text);
    if (units > max_units) {
      fail(std::string(what) + " is " + std::to_string(units) +
           " characters long; Notion accepts " + "at most " + std::to_string(max_units));
    }
  }

  const Value::List& list_of(const Value& value) const {
    if (value.type() != Value::Type::list) {
      fail("expects a list, got " + std::string(to_string(value.type())));
    }
    if (value.as_list().size() > max_array_items) {
      fail("has " + std::to_string(value.as_list().size()) +
           " items; Notion accepts at most 100 per request");
    }
    return value.as_list();
  }

  PropertyType type() const { return type_; }

 private:
  PropertyType type_;
  std::string_view property_name_;
};

// The normal forms that are constants, returned by reference like a value already in normal form.
const Value null_value;
const Value false_value(false);

// The normalisers of values that are usually in normal form already return a reference (to the
// value itself or a constant): declaring a large source copies no value to normalise it.
const Value& normalize_text(const Context& context, const Value& value) {
  if (value.is_null()) return null_value;
  const std::string& text = context.string_of(value);
  if (text.empty()) return null_value;
  // Each piece holds at least max_text_units - 1 units (only a surrogate pair ends one early), and
  // a unit takes at least one byte: shorter texts fit without splitting them to count.
  constexpr std::size_t always_fits = (max_text_units - 1) * max_array_items;
  if (text.size() > always_fits && split_text(text).size() > max_array_items) {
    context.fail("text is " + std::to_string(utf16_length(text)) +
                 " characters long; Notion accepts at most 100 items of 2000 characters "
                 "(200000 characters)");
  }
  return value;
}

const Value& normalize_number(const Context& context, const Value& value) {
  switch (value.type()) {
    case Value::Type::null:
      return value;
    case Value::Type::integer:
      if (value.as_integer() > max_exact_integer || value.as_integer() < -max_exact_integer) {
        context.fail("integer " + std::to_string(value.as_integer()) +
                     " is beyond 2^53; Notion stores numbers as doubles and would change it");
      }
      return value;
    case Value::Type::real:
      if (!std::isfinite(value.as_double())) context.fail("NaN and infinities cannot be stored");
      return value;
    default:
      context.fail("expects a number, got " + std::string(to_string(value.type())));
  }
}

const Value& normalize_short_string(const Context& context, const Value& value,
                                    std::size_t max_units, const char* what) {
  if (value.is_null()) return value;
  const std::string& text = context.string_of(value);
  // Notion rejects "": an empty url, email or phone number is sent as null (API intro).
  if (text.empty()) return null_value;
  context.check_length(text, max_units, what);
  return value;
}

const std::string& checked_option_name(const Context& context, const Value& value) {
  const std::string& name = context.string_of(value);
  if (name.empty()) context.fail("an option name cannot be empty");
  // Notion: "Invalid select option, commas not allowed" (egordm/notionsci#13).
  if (context.type() != PropertyType::status && name.find(',') != std::string::npos) {
    context.fail("option name \"" + name + "\" contains a comma; Notion does not allow commas");
  }
  context.check_length(name, max_text_units, "an option name");
  return name;
}

const Value& normalize_select(const Context& context, const Value& value) {
  if (value.is_null()) return value;
  if (value.type() == Value::Type::string && value.as_string().empty()) return null_value;
  checked_option_name(context, value);
  return value;
}

Value normalize_multi_select(const Context& context, const Value& value) {
  if (value.is_null()) return Value(Value::List{});
  Value::List names;
  std::set<std::string> seen;
  for (const Value& item : context.list_of(value)) {
    std::string name = checked_option_name(context, item);
    if (seen.insert(name).second) names.emplace_back(std::move(name));
  }
  return Value(std::move(names));
}

Value normalize_ids(const Context& context, const Value& value, const char* what) {
  if (value.is_null()) return Value(Value::List{});
  Value::List ids;
  std::set<std::string> seen;
  for (const Value& item : context.list_of(value)) {
    const std::string& text = context.string_of(item);
    std::optional<std::string> id = normalize_notion_id(text);
    if (!id) context.fail("\"" + text + "\" is not a Notion " + what + " id");
    if (seen.insert(*id).second) ids.emplace_back(std::move(*id));
  }
  return Value(std::move(ids));
}

Value normalize_files(const Context& context, const Value& value) {
  if (value.is_null()) return Value(Value::List{});
  Value::List urls;
  for (const Value& item : context.list_of(value)) {
    const std::string& url = context.string_of(item);
    if (url.empty()) context.fail("a file URL cannot be empty");
    context.check_length(url, max_url_units, "a file URL");
    urls.emplace_back(url);
  }
  return Value(std::move(urls));
}

// One end of a date range in normal form: a Date, or a DateTime. Without a time zone a floating
// DateTime becomes UTC, as Notion reads it ("missing timezone defaults to UTC", filter docs).
Value normalize_date_point(const Context& context, const Value& value, bool has_time_zone) {
  switch (value.type()) {
    case Value::Type::date:
      if (has_time_zone) {
        context.fail("a date with a time zone needs a time of day (Notion rejects dates there)");
      }
      return value;
    case Value::Type::date_time: {
      DateTime point = value.as_date_time();
      if (has_time_zone) {
        if (point.offset_minutes) {
          context.fail("a date-time with a time zone must not carry a UTC offset");
        }
      } else if (!point.offset_minutes) {
        point.offset_minutes = 0;
      }
      return Value(point);
    }
    default:
      context.fail("a date expects a Date or DateTime, got " +
                   std::string(to_string(value.type())));
  }
}

Value normalize_date(const Context& context, const Value& value) {
  if (value.is_null()) return value;
  if (value.type() != Value::Type::list) return normalize_date_point(context, value, false);
  const Value::List& parts = value.as_list();
  if (parts.size() < 2 || parts.size() > 3) {
    context.fail("a date range is [start, end] or [start, end, time_zone]");
  }
  bool has_time_zone = false;
  if (parts.size() == 3) {
    if (!parts[2].is_null()) {
      const std::string& zone = context.string_of(parts[2]);
      has_time_zone = !zone.empty();
    }
  }
  const Value start = normalize_date_point(context, parts[0], has_time_zone);
  if (parts[1].is_null()) {
    if (!has_time_zone) return start;
    return Value(Value::List{start, Value(), parts[2]});
  }
  const Value end = normalize_date_point(context, parts[1], has_time_zone);
  if (start.type() != end.type()) context.fail("a date range mixes a date and a date-time");
  if (has_time_zone) return Value(Value::List{start, end, parts[2]});
  return Value(Value::List{start, end});
}

std::string date_point_text(const Value& point) {
  return point.type() == Value::Type::date ? point.as_date().to_iso()
                                           : point.as_date_time().to_iso();
}

std::string file_name_for(const std::string& url) {
  // Notion requires a name for every file (1..100 characters); the URL's last segment reads best.
  std::string_view path = url;
  if (auto cut = path.find_first_of("?#"); cut != std::string_view::npos)
    path = path.substr(0, cut);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  std::string_view name = path;
  if (auto slash = path.rfind('/'); slash != std::string_view::npos) name = path.substr(slash + 1);
  if (name.empty()) name = url;
  std::vector<std::string> pieces = split_text(name, max_file_name_units);
  return pieces.empty() ? std::string("file") : pieces.front();
}

}  // namespace

const Value& normalize_property_value(PropertyType type, const Value& value,
                                      std::string_view property_name, Value& storage) {
  const Context context(type, property_name);
  switch (type) {
    case PropertyType::title:
    case PropertyType::rich_text:
      return normalize_text(context, value);
    case PropertyType::number:
      return normalize_number(context, value);
    case PropertyType::checkbox:
      if (value.is_null()) return false_value;
      if (value.type() != Value::Type::boolean) {
        context.fail("expects a bool, got " + std::string(to_string(value.type())));
      }
      return value;
    case PropertyType::url:
      return normalize_short_string(context, value, max_url_units, "the URL");
    case PropertyType::email:
      return normalize_short_string(context, value, max_email_units, "the email");
    case PropertyType::phone_number:
      return normalize_short_string(context, value, max_phone_units, "the phone number");
    case PropertyType::select:
    case PropertyType::status:
      return normalize_select(context, value);
    case PropertyType::multi_select:
      return storage = normalize_multi_select(context, value);
    case PropertyType::date:
      // A Date is already normal; a DateTime may gain its UTC offset, a range is rebuilt.
      if (value.type() == Value::Type::date) return value;
      return storage = normalize_date(context, value);
    case PropertyType::relation:
      return storage = normalize_ids(context, value, "page");
    case PropertyType::people:
      return storage = normalize_ids(context, value, "user");
    case PropertyType::files:
      return storage = normalize_files(context, value);
    default:
      context.fail("is computed by Notion and cannot be written");
  }
}

Value normalize_property_value(PropertyType type, const Value& value,
                               std::string_view property_name) {
  Value storage;
  const Value& normal = normalize_property_value(type, value, property_name, storage);
  if (&normal == &storage) return storage;
  return normal;
}

nlohmann::json encode_property_value(PropertyType type, const Value& value,
                                     std::string_view property_name) {
  const Value normal = normalize_property_value(type, value, property_name);
  const Context context(type, property_name);
  using nlohmann::json;
  json encoded;
  switch (type) {
    case PropertyType::title:
    case PropertyType::rich_text:
      encoded =
          normal.is_null() ? json::array() : encode_rich_text(normal.as_string(), context.label());
      break;
    case PropertyType::number:
      if (normal.is_null()) {
        encoded = nullptr;
      } else if (normal.type() == Value::Type::integer) {
        encoded = normal.as_integer();
      } else {
        encoded = normal.as_double();
      }
      break;
    case PropertyType::checkbox:
      encoded = normal.as_bool();
      break;
    case PropertyType::url:
    case PropertyType::email:
    case PropertyType::phone_number:
      encoded = normal.is_null() ? json(nullptr) : json(normal.as_string());
      break;
    case PropertyType::select:
    case PropertyType::status:
      encoded = normal.is_null() ? json(nullptr) : json{{"name", normal.as_string()}};
      break;
    case PropertyType::multi_select:
      encoded = json::array();
      for (const Value& name : normal.as_list()) encoded.push_back({{"name", name.as_string()}});
      break;
    case PropertyType::date:
      if (normal.is_null()) {
        encoded = nullptr;
      } else if (normal.type() != Value::Type::list) {
        encoded = {{"start", date_point_text(normal)}};
      } else {
        const Value::List& parts = normal.as_list();
        encoded = {{"start", date_point_text(parts[0])},
                   {"end", parts[1].is_null() ? json(nullptr) : json(date_point_text(parts[1]))}};
        if (parts.size() == 3) encoded["time_zone"] = parts[2].as_string();
      }
      break;
    case PropertyType::relation:
      encoded = json::array();
      for (const Value& id : normal.as_list()) encoded.push_back({{"id", id.as_string()}});
      break;
    case PropertyType::people:
      encoded = json::array();
      for (const Value& id : normal.as_list()) {
        encoded.push_back({{"object", "user"}, {"id", id.as_string()}});
      }
      break;
    case PropertyType::files:
      encoded = json::array();
      for (const Value& url : normal.as_list()) {
        encoded.push_back({{"name", file_name_for(url.as_string())},
                           {"type", "external"},
                           {"external", {{"url", url.as_string()}}}});
      }
      break;
    default:
      context.fail("is computed by Notion and cannot be written");
  }
  return json{{std::string(to_string(type)), std::move(encoded)}};
}

}  // namespace notionsync::notion
