#include "computed_values.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>

#include "api_error.hpp"
#include "ids.hpp"
#include "request_checks.hpp"
#include "rich_text.hpp"

namespace notion_emulator {

using nlohmann::json;

namespace {

constexpr int kMaxDepth = 4;  // formulas and rollups reading formulas and rollups

// A formula value. Empty values remember the type they would have (Notion answers an empty number
// property read by a formula as {"type": "number", "number": null}).
struct Value {
  enum class Kind { empty, number, text, boolean, date, list };
  Kind kind = Kind::empty;
  Kind empty_as = Kind::text;
  double number = 0;
  std::string text;
  bool boolean = false;
  json date;  // {"start","end","time_zone"}
  std::vector<Value> items;

  static Value of_number(double n) {
    Value v;
    v.kind = Kind::number;
    v.number = n;
    return v;
  }
  static Value of_text(std::string t) {
    Value v;
    v.kind = Kind::text;
    v.text = std::move(t);
    return v;
  }
  static Value of_boolean(bool b) {
    Value v;
    v.kind = Kind::boolean;
    v.boolean = b;
    return v;
  }
  static Value empty(Kind as) {
    Value v;
    v.empty_as = as;
    return v;
  }
  bool is_empty() const {
    return kind == Kind::empty || (kind == Kind::text && text.empty()) ||
           (kind == Kind::list && items.empty());
  }
};

// An expression outside the supported subset.
struct Unsupported : std::runtime_error {
  using std::runtime_error::runtime_error;
};

json number_json(double n) {
  if (std::isfinite(n) && n == std::floor(n) && std::fabs(n) < 9.0e15) {
    return static_cast<std::int64_t>(n);
  }
  return n;
}

std::string format_number(double n) {
  const json number = number_json(n);
  return number.dump();
}

std::string format(const Value& value) {
  switch (value.kind) {
    case Value::Kind::empty:
      return "";
    case Value::Kind::number:
      return format_number(value.number);
    case Value::Kind::text:
      return value.text;
    case Value::Kind::boolean:
      return value.boolean ? "true" : "false";
    case Value::Kind::date:
      return value.date.value("start", "");
    case Value::Kind::list: {
      std::string out;
      for (const Value& item : value.items) out += (out.empty() ? "" : ",") + format(item);
      return out;
    }
  }
  return "";
}

double to_number(const Value& value) {
  switch (value.kind) {
    case Value::Kind::number:
      return value.number;
    case Value::Kind::boolean:
      return value.boolean ? 1 : 0;
    case Value::Kind::text:
      try {
        return value.text.empty() ? 0 : std::stod(value.text);
      } catch (const std::exception&) {
        throw Unsupported("not a number: " + value.text);
      }
    case Value::Kind::empty:
      return 0;  // Notion: an empty number property counts as 0 in arithmetic
    default:
      throw Unsupported("not a number");
  }
}

bool truthy(const Value& value) {
  switch (value.kind) {
    case Value::Kind::boolean:
      return value.boolean;
    case Value::Kind::number:
      return value.number != 0;
    default:
      return !value.is_empty();
  }
}

bool equal(const Value& a, const Value& b) {
  if (a.kind == Value::Kind::number || b.kind == Value::Kind::number) {
    if (a.kind == Value::Kind::text || b.kind == Value::Kind::text) return format(a) == format(b);
    return to_number(a) == to_number(b);
  }
  return format(a) == format(b);
}

// The value a property has on a page, as a formula reads it.
Value read_property(const PropertyDefinition& property, const Page& page,
                    const RenderContext& context);

Value from_rendered(const std::string& type, const json& value) {
  if (type == "number") {
    return value.is_number() ? Value::of_number(value.get<double>())
                             : Value::empty(Value::Kind::number);
  }
  if (type == "string")
    return value.is_string() ? Value::of_text(value) : Value::empty(Value::Kind::text);
  if (type == "boolean") return Value::of_boolean(value.is_boolean() && value.get<bool>());
  if (type == "date") {
    if (!value.is_object()) return Value::empty(Value::Kind::date);
    Value v;
    v.kind = Value::Kind::date;
    v.date = value;
    return v;
  }
  return Value::empty(Value::Kind::text);
}

Value read_property(const PropertyDefinition& property, const Page& page,
                    const RenderContext& context) {
  const std::string& type = property.type;
  const json rendered = render_value(property, page, context);
  const auto list_of = [](const json& items, auto&& text_of) {
    Value v;
    v.kind = Value::Kind::list;
    for (const json& item : items) v.items.push_back(Value::of_text(text_of(item)));
    return v;
  };
  if (type == "title" || type == "rich_text") return Value::of_text(plain_text(rendered));
  if (type == "url" || type == "email" || type == "phone_number") {
    return Value::of_text(rendered.is_string() ? rendered.get<std::string>() : "");
  }
  if (type == "number") return from_rendered("number", rendered);
  if (type == "checkbox") return Value::of_boolean(rendered.is_boolean() && rendered.get<bool>());
  if (type == "select" || type == "status") {
    return rendered.is_object() ? Value::of_text(rendered["name"]) : Value::of_text("");
  }
  if (type == "multi_select") {
    return list_of(rendered, [](const json& option) { return option["name"].get<std::string>(); });
  }
  if (type == "date") return from_rendered("date", rendered);
  if (type == "created_time" || type == "last_edited_time") {
    return from_rendered("date",
                         json{{"start", rendered}, {"end", nullptr}, {"time_zone", nullptr}});
  }
  if (type == "people") {
    return list_of(rendered,
                   [](const json& user) { return user.value("name", user.value("id", "")); });
  }
  if (type == "created_by" || type == "last_edited_by") {
    return Value::of_text(rendered.value("name", rendered.value("id", "")));
  }
  if (type == "files") {
    return list_of(rendered, [](const json& file) { return file.value("name", ""); });
  }
  if (type == "relation") {
    return list_of(rendered, [&](const json& reference) -> std::string {
      const Page* related = context.find_page ? context.find_page(reference["id"]) : nullptr;
      if (related == nullptr) return "";
      return plain_text(related->values.value("title", json::array()));
    });
  }
  if (type == "unique_id") {
    if (!rendered["number"].is_number()) return Value::empty(Value::Kind::number);
    if (rendered["prefix"].is_string()) {
      return Value::of_text(rendered["prefix"].get<std::string>() + "-" +
                            rendered["number"].dump());
    }
    return Value::of_number(rendered["number"].get<double>());
  }
  if (type == "formula")
    return from_rendered(rendered.value("type", ""), rendered[rendered.value("type", "string")]);
  if (type == "rollup") {
    const std::string kind = rendered.value("type", "number");
    if (kind == "array") {
      Value v;
      v.kind = Value::Kind::list;
      for (const json& item : rendered["array"]) {
        const std::string item_type = item.value("type", "");
        const json& inner = item[item_type];
        v.items.push_back(item_type == "title" || item_type == "rich_text"
                              ? Value::of_text(plain_text(inner))
                              : from_rendered(item_type == "number" ? "number" : "string", inner));
      }
      return v;
    }
    return from_rendered(kind, rendered[kind]);
  }
  throw Unsupported("property type " + type);
}

// ---- The expression language: a recursive-descent evaluator over the expression text.

class Evaluator {
 public:
  Evaluator(std::string_view text, const Page& page, const DataSource& source,
            const RenderContext& context)
      : text_(text), page_(page), source_(source), context_(context) {}

  Value run() {
    Value result = ternary();
    skip_space();
    if (position_ != text_.size()) throw Unsupported("trailing text");
    return result;
  }

 private:
  void skip_space() {
    while (position_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[position_])))
      ++position_;
  }
  bool accept(std::string_view token) {
    skip_space();
    if (text_.substr(position_, token.size()) != token) return false;
    // Word operators must not run into an identifier ("and" is not "android").
    if (std::isalpha(static_cast<unsigned char>(token.front())) &&
        position_ + token.size() < text_.size() &&
        (std::isalnum(static_cast<unsigned char>(text_[position_ + token.size()])) ||
         text_[position_ + token.size()] == '_')) {
      return false;
    }
    position_ += token.size();
    return true;
  }
  void expect(std::string_view token) {
    if (!accept(token)) throw Unsupported("expected " + std::string(token));
  }

  Value ternary() {
    Value condition = disjunction();
    if (!accept("?")) return condition;
    Value yes = ternary();
    expect(":");
    Value no = ternary();
    return truthy(condition) ? yes : no;
  }
  Value disjunction() {
    Value left = conjunction();
    while (accept("||") || accept("or")) {
      Value right = conjunction();
      left = Value::of_boolean(truthy(left) || truthy(right));
    }
    return left;
  }
  Value conjunction() {
    Value left = negation();
    while (accept("&&") || accept("and")) {
      Value right = negation();
      left = Value::of_boolean(truthy(left) && truthy(right));
    }
    return left;
  }
  Value negation() {
    skip_space();
    if (text_.substr(position_, 2) != "!=" && accept("!"))
      return Value::of_boolean(!truthy(negation()));
    if (accept("not")) return Value::of_boolean(!truthy(negation()));
    return comparison();
  }
  Value comparison() {
    Value left = additive();
    for (;;) {
      if (accept("==")) {
        left = Value::of_boolean(equal(left, additive()));
      } else if (accept("!=")) {
        left = Value::of_boolean(!equal(left, additive()));
      } else if (accept(">=")) {
        left = Value::of_boolean(compare(left, additive()) >= 0);
      } else if (accept("<=")) {
        left = Value::of_boolean(compare(left, additive()) <= 0);
      } else if (accept(">")) {
        left = Value::of_boolean(compare(left, additive()) > 0);
      } else if (accept("<")) {
        left = Value::of_boolean(compare(left, additive()) < 0);
      } else {
        return left;
      }
    }
  }
  static int compare(const Value& a, const Value& b) {
    if (a.kind == Value::Kind::text || b.kind == Value::Kind::text || a.kind == Value::Kind::date ||
        b.kind == Value::Kind::date) {
      return format(a).compare(format(b));
    }
    const double x = to_number(a);
    const double y = to_number(b);
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  Value additive() {
    Value left = multiplicative();
    for (;;) {
      if (accept("+")) {
        Value right = multiplicative();
        if (left.kind == Value::Kind::text || right.kind == Value::Kind::text) {
          left = Value::of_text(format(left) + format(right));
        } else {
          left = Value::of_number(to_number(left) + to_number(right));
        }
      } else if (accept("-")) {
        left = Value::of_number(to_number(left) - to_number(multiplicative()));
      } else {
        return left;
      }
    }
  }
  Value multiplicative() {
    Value left = power();
    for (;;) {
      if (accept("*")) {
        left = Value::of_number(to_number(left) * to_number(power()));
      } else if (accept("/")) {
        left = Value::of_number(to_number(left) / to_number(power()));
      } else if (accept("%")) {
        left = Value::of_number(std::fmod(to_number(left), to_number(power())));
      } else {
        return left;
      }
    }
  }
  Value power() {
    Value base = unary();
    if (accept("^")) return Value::of_number(std::pow(to_number(base), to_number(power())));
    return base;
  }
  Value unary() {
    if (accept("-")) return Value::of_number(-to_number(unary()));
    return postfix();
  }
  Value postfix() {
    Value value = primary();
    while (accept(".")) {
      const std::string name = identifier();
      std::vector<Value> arguments{value};
      expect("(");
      if (!accept(")")) {
        do arguments.push_back(ternary());
        while (accept(","));
        expect(")");
      }
      value = call(name, arguments);
    }
    return value;
  }
  std::string identifier() {
    skip_space();
    const std::size_t start = position_;
    while (position_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[position_])) || text_[position_] == '_'))
      ++position_;
    if (start == position_) throw Unsupported("expected a name");
    return std::string(text_.substr(start, position_ - start));
  }
  std::string string_literal() {
    const char quote = text_[position_++];
    std::string out;
    while (position_ < text_.size() && text_[position_] != quote) {
      if (text_[position_] == '\\' && position_ + 1 < text_.size()) ++position_;
      out += text_[position_++];
    }
    if (position_ >= text_.size()) throw Unsupported("unterminated string");
    ++position_;
    return out;
  }
  Value primary() {
    skip_space();
    if (position_ >= text_.size()) throw Unsupported("unexpected end");
    const char c = text_[position_];
    if (accept("(")) {
      Value inner = ternary();
      expect(")");
      return inner;
    }
    if (c == '"' || c == '\'') return Value::of_text(string_literal());
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      std::size_t used = 0;
      const double number = std::stod(std::string(text_.substr(position_)), &used);
      position_ += used;
      return Value::of_number(number);
    }
    if (text_.substr(position_, 2) == "{{") return reference();
    if (accept("[")) {
      Value list;
      list.kind = Value::Kind::list;
      if (!accept("]")) {
        do list.items.push_back(ternary());
        while (accept(","));
        expect("]");
      }
      return list;
    }
    const std::string name = identifier();
    if (name == "true" || name == "false") return Value::of_boolean(name == "true");
    if (name == "prop") {
      expect("(");
      skip_space();
      if (position_ >= text_.size() || (text_[position_] != '"' && text_[position_] != '\''))
        throw Unsupported("prop() wants a name");
      const std::string property_name = string_literal();
      expect(")");
      return property(find_property(source_.properties, property_name));
    }
    std::vector<Value> arguments;
    expect("(");
    if (!accept(")")) {
      do arguments.push_back(ternary());
      while (accept(","));
      expect(")");
    }
    return call(name, arguments);
  }
  Value reference() {
    const std::size_t end = text_.find("}}", position_);
    if (end == std::string_view::npos) throw Unsupported("unterminated reference");
    const std::string_view inner = text_.substr(position_ + 2, end - position_ - 2);
    position_ = end + 2;
    constexpr std::string_view prefix = "notion:block_property:";
    if (inner.substr(0, prefix.size()) != prefix) throw Unsupported("unknown reference");
    const std::string_view rest = inner.substr(prefix.size());
    return property(find_property(source_.properties, std::string(rest.substr(0, rest.find(':')))));
  }
  Value property(const PropertyDefinition* found) {
    if (found == nullptr) throw Unsupported("a referenced property is gone");
    return read_property(*found, page_, context_);
  }

  static Value call(const std::string& name, const std::vector<Value>& a) {
    const auto arity = [&](std::size_t n) {
      if (a.size() != n) throw Unsupported(name + " takes " + std::to_string(n) + " arguments");
    };
    const auto numbers = [&](auto&& fold) {
      std::vector<double> values;
      for (const Value& v : a) {
        if (v.kind == Value::Kind::list) {
          for (const Value& item : v.items) values.push_back(to_number(item));
        } else {
          values.push_back(to_number(v));
        }
      }
      if (values.empty()) throw Unsupported(name + " of nothing");
      return Value::of_number(fold(values));
    };
    if (name == "if") {
      arity(3);
      return truthy(a[0]) ? a[1] : a[2];
    }
    if (name == "format") {
      arity(1);
      return Value::of_text(format(a[0]));
    }
    if (name == "toNumber") {
      arity(1);
      return Value::of_number(to_number(a[0]));
    }
    if (name == "length") {
      arity(1);
      if (a[0].kind == Value::Kind::list)
        return Value::of_number(static_cast<double>(a[0].items.size()));
      return Value::of_number(static_cast<double>(utf16_length(format(a[0]))));
    }
    if (name == "empty") {
      arity(1);
      return Value::of_boolean(a[0].is_empty());
    }
    if (name == "includes" || name == "contains") {
      arity(2);
      if (a[0].kind == Value::Kind::list) {
        return Value::of_boolean(std::any_of(a[0].items.begin(), a[0].items.end(),
                                             [&](const Value& item) { return equal(item, a[1]); }));
      }
      return Value::of_boolean(format(a[0]).find(format(a[1])) != std::string::npos);
    }
    if (name == "lower" || name == "upper") {
      arity(1);
      std::string text = format(a[0]);
      for (char& c : text) {
        c = static_cast<char>(name == "lower" ? std::tolower(static_cast<unsigned char>(c))
                                              : std::toupper(static_cast<unsigned char>(c)));
      }
      return Value::of_text(text);
    }
    if (name == "concat") {
      Value list;
      list.kind = Value::Kind::list;
      for (const Value& v : a) {
        if (v.kind == Value::Kind::list) {
          list.items.insert(list.items.end(), v.items.begin(), v.items.end());
        } else {
          list.items.push_back(v);
        }
      }
      return list;
    }
    if (name == "join") {
      arity(2);
      std::string out;
      for (const Value& item : a[0].items) out += (out.empty() ? "" : format(a[1])) + format(item);
      return Value::of_text(out);
    }
    if (name == "abs" || name == "floor" || name == "ceil" || name == "sqrt") {
      arity(1);
      const double x = to_number(a[0]);
      return Value::of_number(name == "abs"     ? std::fabs(x)
                              : name == "floor" ? std::floor(x)
                              : name == "ceil"  ? std::ceil(x)
                                                : std::sqrt(x));
    }
    if (name == "round") {
      const double places = a.size() > 1 ? to_number(a[1]) : 0;
      if (a.empty() || a.size() > 2) throw Unsupported("round takes 1 or 2 arguments");
      const double scale = std::pow(10.0, places);
      return Value::of_number(std::round(to_number(a[0]) * scale) / scale);
    }
    if (name == "sum") {
      return numbers([](const std::vector<double>& v) {
        double total = 0;
        for (double x : v) total += x;
        return total;
      });
    }
    if (name == "min")
      return numbers(
          [](const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); });
    if (name == "max")
      return numbers(
          [](const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); });
    throw Unsupported("function " + name);
  }

  std::string_view text_;
  std::size_t position_ = 0;
  const Page& page_;
  const DataSource& source_;
  const RenderContext& context_;
};

json typed(const Value& value) {
  switch (value.kind) {
    case Value::Kind::number:
      return {{"type", "number"}, {"number", number_json(value.number)}};
    case Value::Kind::text:
      return {{"type", "string"}, {"string", value.text}};
    case Value::Kind::boolean:
      return {{"type", "boolean"}, {"boolean", value.boolean}};
    case Value::Kind::date:
      return {{"type", "date"}, {"date", value.date}};
    case Value::Kind::list:
      return {{"type", "string"}, {"string", format(value)}};
    case Value::Kind::empty:
      break;
  }
  switch (value.empty_as) {
    case Value::Kind::number:
      return {{"type", "number"}, {"number", nullptr}};
    case Value::Kind::date:
      return {{"type", "date"}, {"date", nullptr}};
    default:
      return {{"type", "string"}, {"string", nullptr}};
  }
}

const DataSource* source_of(const Page& page, const RenderContext& context) {
  if (page.data_source_id.empty() || !context.find_data_source) return nullptr;
  return context.find_data_source(page.data_source_id);
}

}  // namespace

std::string rewrite_formula_references(const std::string& expression,
                                       const std::vector<PropertyDefinition>& properties,
                                       const std::string& data_source_id,
                                       const std::string& formula_name) {
  std::string out;
  std::size_t position = 0;
  while (position < expression.size()) {
    const std::size_t found = expression.find("prop(", position);
    const bool word_start =
        found != std::string::npos &&
        (found == 0 || !(std::isalnum(static_cast<unsigned char>(expression[found - 1])) ||
                         expression[found - 1] == '_' || expression[found - 1] == '.'));
    if (found == std::string::npos) break;
    if (!word_start) {
      out += expression.substr(position, found + 5 - position);
      position = found + 5;
      continue;
    }
    std::size_t cursor = found + 5;
    while (cursor < expression.size() && expression[cursor] == ' ') ++cursor;
    const char quote = cursor < expression.size() ? expression[cursor] : '\0';
    if (quote != '"' && quote != '\'') {
      out += expression.substr(position, cursor - position);
      position = cursor;
      continue;
    }
    std::string name;
    std::size_t end = cursor + 1;
    while (end < expression.size() && expression[end] != quote) {
      if (expression[end] == '\\' && end + 1 < expression.size()) ++end;
      name += expression[end++];
    }
    std::size_t close = end + 1;
    while (close < expression.size() && expression[close] == ' ') ++close;
    if (end >= expression.size() || close >= expression.size() || expression[close] != ')') {
      throw validation_error("Formula " + formula_name + " has an unterminated prop() reference.");
    }
    const PropertyDefinition* property = find_property(properties, name);
    if (property == nullptr || property->name != name) {
      throw validation_error("Formula " + formula_name + " refers to property \"" + name +
                             "\", which does not exist.");
    }
    out += expression.substr(position, found - position);
    out += "{{notion:block_property:" + property->id + ":" + data_source_id + ":" + kWorkspaceId +
           "}}";
    position = close + 1;
  }
  out += expression.substr(std::min(position, expression.size()));
  return out;
}

json formula_value(const PropertyDefinition& formula, const Page& page,
                   const RenderContext& context) {
  const DataSource* source = source_of(page, context);
  const json unknown = {{"type", "string"}, {"string", nullptr}};
  if (source == nullptr || context.depth >= kMaxDepth) return unknown;
  RenderContext inner = context;
  inner.depth += 1;
  inner.max_references = static_cast<std::size_t>(-1);
  try {
    return typed(Evaluator(formula.config.value("expression", ""), page, *source, inner).run());
  } catch (const Unsupported&) {
    return unknown;
  } catch (const std::invalid_argument&) {
    return unknown;
  } catch (const std::out_of_range&) {
    return unknown;
  }
}

json rollup_value(const PropertyDefinition& rollup, const Page& page,
                  const RenderContext& context) {
  const std::string function = rollup.config.value("function", "count");
  json result = {{"type", "number"}, {"number", nullptr}, {"function", function}};
  if (function == "show_original" || function == "show_unique") {
    result = {{"type", "array"}, {"array", json::array()}, {"function", function}};
  } else if (function == "earliest_date" || function == "latest_date" || function == "date_range") {
    result = {{"type", "date"}, {"date", nullptr}, {"function", function}};
  }
  const DataSource* source = source_of(page, context);
  if (source == nullptr || context.depth >= kMaxDepth || !context.find_page) return result;
  const PropertyDefinition* relation =
      find_property(source->properties, rollup.config.value("relation_property_id", ""));
  if (relation == nullptr || relation->type != "relation") return result;
  const DataSource* related_source =
      context.find_data_source(relation->config.value("data_source_id", ""));
  const PropertyDefinition* rolled =
      related_source
          ? find_property(related_source->properties, rollup.config.value("rollup_property_id", ""))
          : nullptr;
  RenderContext inner = context;
  inner.depth += 1;
  inner.max_references = static_cast<std::size_t>(-1);
  std::vector<const Page*> related;
  if (const auto found = page.values.find(relation->id); found != page.values.end()) {
    for (const json& reference : *found) {
      if (const Page* other = context.find_page(reference["id"]); other && !other->in_trash)
        related.push_back(other);
    }
  }
  const double total = static_cast<double>(related.size());
  if (function == "count") {
    result["number"] = number_json(total);
    return result;
  }
  if (rolled == nullptr) return result;
  std::vector<json> rendered;
  std::vector<Value> values;
  for (const Page* other : related) {
    rendered.push_back(render_property_value(*rolled, *other, inner));
    try {
      values.push_back(read_property(*rolled, *other, inner));
    } catch (const Unsupported&) {
      values.push_back(Value::empty(Value::Kind::text));
    }
  }
  if (function == "show_original" || function == "show_unique") {
    std::set<std::string> seen;
    for (json& item : rendered) {
      item.erase("id");
      if (item.contains("has_more")) item.erase("has_more");
      if (function == "show_unique" && !seen.insert(item.dump()).second) continue;
      result["array"].push_back(item);
    }
    return result;
  }
  std::size_t empty = 0;
  std::set<std::string> unique;
  std::vector<double> numbers;
  std::vector<std::string> dates;
  std::size_t checked = 0;
  for (const Value& value : values) {
    if (value.is_empty())
      ++empty;
    else
      unique.insert(format(value));
    if (value.kind == Value::Kind::number) numbers.push_back(value.number);
    if (value.kind == Value::Kind::date) dates.push_back(value.date.value("start", ""));
    if (value.kind == Value::Kind::boolean && value.boolean) ++checked;
  }
  const auto percent = [&](double part) { return total == 0 ? 0.0 : part / total; };
  double number = 0;
  if (function == "count_values") {
    for (const Value& value : values)
      number += value.kind == Value::Kind::list ? static_cast<double>(value.items.size())
                                                : (value.is_empty() ? 0 : 1);
  } else if (function == "unique" || function == "count_unique_values") {
    number = static_cast<double>(unique.size());
  } else if (function == "empty" || function == "count_empty") {
    number = static_cast<double>(empty);
  } else if (function == "not_empty" || function == "count_not_empty") {
    number = total - static_cast<double>(empty);
  } else if (function == "percent_empty") {
    number = percent(static_cast<double>(empty));
  } else if (function == "percent_not_empty") {
    number = percent(total - static_cast<double>(empty));
  } else if (function == "checked") {
    number = static_cast<double>(checked);
  } else if (function == "unchecked") {
    number = total - static_cast<double>(checked);
  } else if (function == "percent_checked") {
    number = percent(static_cast<double>(checked));
  } else if (function == "percent_unchecked") {
    number = percent(total - static_cast<double>(checked));
  } else if (function == "earliest_date" || function == "latest_date" || function == "date_range") {
    if (dates.empty()) return result;
    std::sort(dates.begin(), dates.end());
    const std::string& start = function == "latest_date" ? dates.back() : dates.front();
    const json end = function == "date_range" ? json(dates.back()) : json(nullptr);
    result["date"] = {{"start", start}, {"end", end}, {"time_zone", nullptr}};
    return result;
  } else {
    if (numbers.empty()) return result;
    std::sort(numbers.begin(), numbers.end());
    double sum = 0;
    for (double x : numbers) sum += x;
    if (function == "sum")
      number = sum;
    else if (function == "average")
      number = sum / static_cast<double>(numbers.size());
    else if (function == "min")
      number = numbers.front();
    else if (function == "max")
      number = numbers.back();
    else if (function == "range")
      number = numbers.back() - numbers.front();
    else if (function == "median") {
      const std::size_t n = numbers.size();
      number = n % 2 ? numbers[n / 2] : (numbers[n / 2 - 1] + numbers[n / 2]) / 2;
    } else {
      return result;  // count_per_group, percent_per_group: not computed
    }
  }
  result["number"] = number_json(number);
  return result;
}

}  // namespace notion_emulator
