#include "notionsync/notion/property_value_codec.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "notionsync/core/error.hpp"

namespace notionsync {
inline void PrintTo(const Value& value, std::ostream* out) {
  *out << value.to_display();
}
}  // namespace notionsync

namespace notionsync::notion {
namespace {

using nlohmann::json;

// What Notion answers in a page object for a property written with `request` ({"<type>": v}):
// rich text gains plain_text and annotations, options gain ids and colors, date-times come back
// with milliseconds and "+00:00", relations gain has_more. Mirrors the shapes in the API reference.
json notion_echo(PropertyType type, const json& request) {
  const std::string name(to_string(type));
  json value = request.at(name);
  switch (type) {
    case PropertyType::title:
    case PropertyType::rich_text:
      for (json& item : value) {
        item["plain_text"] = item["text"]["content"];
        item["text"]["link"] = nullptr;
        item["href"] = nullptr;
        item["annotations"] = {{"bold", false},      {"italic", false}, {"strikethrough", false},
                               {"underline", false}, {"code", false},   {"color", "default"}};
      }
      break;
    case PropertyType::select:
    case PropertyType::status:
      if (!value.is_null()) value.update({{"id", "abc"}, {"color", "blue"}});
      break;
    case PropertyType::multi_select:
      for (json& option : value) option.update({{"id", "abc"}, {"color", "blue"}});
      break;
    case PropertyType::date:
      if (!value.is_null()) {
        for (const char* key : {"start", "end"}) {
          if (value.contains(key) && value[key].is_string()) {
            std::string text = value[key];
            if (text.ends_with("Z")) text = text.substr(0, text.size() - 1) + "+00:00";
            value[key] = text;
          }
        }
        if (!value.contains("end")) value["end"] = nullptr;
        if (!value.contains("time_zone")) value["time_zone"] = nullptr;
      }
      break;
    case PropertyType::people:
      for (json& user : value) user["name"] = "Someone";
      break;
    default:
      break;
  }
  json response = {{"id", "a%3Bb"}, {"type", name}, {name, value}};
  if (type == PropertyType::relation) response["has_more"] = false;
  return response;
}

struct RoundTrip {
  PropertyType type;
  Value value;
};

DateTime date_time(std::string_view text) {
  return DateTime::parse(text).value();
}
Date date(std::string_view text) {
  return Date::parse(text).value();
}

std::vector<RoundTrip> round_trips() {
  const std::string long_text(4500, 'x');
  std::string emoji_text;
  for (int i = 0; i < 1500; ++i) emoji_text += "\xF0\x9F\x98\x80";  // 3000 UTF-16 units
  return {
      {PropertyType::title, Value("Ada Lovelace")},
      {PropertyType::title, Value()},
      {PropertyType::title, Value("")},
      {PropertyType::rich_text, Value(long_text)},
      {PropertyType::rich_text, Value(emoji_text)},
      {PropertyType::rich_text, Value("caf\xC3\xA9, \xE6\x97\xA5\xE6\x9C\xAC")},
      {PropertyType::number, Value(3)},
      {PropertyType::number, Value(3.0)},
      {PropertyType::number, Value(-0.125)},
      {PropertyType::number, Value(std::int64_t{9007199254740992})},
      {PropertyType::number, Value()},
      {PropertyType::checkbox, Value(true)},
      {PropertyType::checkbox, Value(false)},
      {PropertyType::checkbox, Value()},
      {PropertyType::url, Value("https://example.com/a?b=c")},
      {PropertyType::url, Value("")},
      {PropertyType::email, Value("ada@example.com")},
      {PropertyType::phone_number, Value("+44 20 7946 0000")},
      {PropertyType::phone_number, Value()},
      {PropertyType::select, Value("High")},
      {PropertyType::select, Value()},
      {PropertyType::status, Value("In progress")},
      {PropertyType::multi_select, Value(Value::List{"a", "b", "a"})},
      {PropertyType::multi_select, Value()},
      {PropertyType::date, Value(date("2026-06-01"))},
      {PropertyType::date, Value(date_time("2026-06-01T10:30:00Z"))},
      {PropertyType::date, Value(date_time("2026-06-01T10:30:00.123+02:00"))},
      {PropertyType::date, Value(date_time("2026-06-01T10:30:00"))},  // floating: UTC
      {PropertyType::date, Value(Value::List{date("2026-06-01"), date("2026-06-03")})},
      {PropertyType::date, Value(Value::List{date("2026-06-01"), Value()})},
      {PropertyType::date, Value(Value::List{date_time("2026-06-01T09:00:00"),
                                             date_time("2026-06-01T17:00:00"), "Europe/Berlin"})},
      {PropertyType::date,
       Value(Value::List{date_time("2026-06-01T09:00:00"), Value(), "America/New_York"})},
      {PropertyType::date, Value()},
      {PropertyType::relation,
       Value(Value::List{"9BC30AD4937346A584AB0A7845EE52E6", "9bc30ad4-9373-46a5-84ab-0a7845ee52e6",
                         "11111111-2222-3333-4444-555555555555"})},
      {PropertyType::relation, Value()},
      {PropertyType::people, Value(Value::List{"11111111-2222-3333-4444-555555555555"})},
      {PropertyType::files,
       Value(Value::List{"https://example.com/report.pdf", "https://example.com/"})},
      {PropertyType::files, Value()},
  };
}

TEST(PropertyValueCodecTest, DecodeOfNotionsAnswerEqualsTheNormalForm) {
  for (const RoundTrip& c : round_trips()) {
    const json request = encode_property_value(c.type, c.value, "P");
    const Value normal = normalize_property_value(c.type, c.value);
    EXPECT_EQ(decode_property_value(notion_echo(c.type, request)), normal)
        << to_string(c.type) << " " << c.value.to_display() << " -> " << request.dump();
    EXPECT_EQ(normalize_property_value(c.type, normal), normal)
        << "normal form is not stable for " << c.value.to_display();
  }
}

TEST(PropertyValueCodecTest, NormalisingWithoutCopiesGivesTheSameValues) {
  for (const RoundTrip& c : round_trips()) {
    Value storage;
    const Value& normal = normalize_property_value(c.type, c.value, "P", storage);
    EXPECT_EQ(normal, normalize_property_value(c.type, c.value, "P"))
        << to_string(c.type) << " " << c.value.to_display();
  }
  // A value already in normal form comes back as itself: declaring copies nothing to normalise it.
  const Value email("ada.lovelace@analytical-engine.example");
  Value storage;
  EXPECT_EQ(&normalize_property_value(PropertyType::email, email, "E", storage), &email);
  const Value team("Research");
  EXPECT_EQ(&normalize_property_value(PropertyType::select, team, "T", storage), &team);
  const Value title("A title long enough to live on the heap");
  EXPECT_EQ(&normalize_property_value(PropertyType::title, title, "N", storage), &title);
  // One that changes is written to the storage.
  const Value floating(DateTime::parse("2024-05-01T10:00:00").value());
  const Value& utc = normalize_property_value(PropertyType::date, floating, "D", storage);
  EXPECT_EQ(&utc, &storage);
  EXPECT_EQ(utc.as_date_time().offset_minutes, 0);
  // The checks still run.
  EXPECT_THROW(normalize_property_value(PropertyType::select, Value("a,b"), "T", storage), Error);
}

TEST(PropertyValueCodecTest, EncodesTheDocumentedShapes) {
  EXPECT_EQ(encode_property_value(PropertyType::number, Value(3)), json::parse(R"({"number":3})"));
  EXPECT_EQ(encode_property_value(PropertyType::url, Value("")), json::parse(R"({"url":null})"));
  EXPECT_EQ(encode_property_value(PropertyType::email, Value()), json::parse(R"({"email":null})"));
  EXPECT_EQ(encode_property_value(PropertyType::rich_text, Value("")),
            json::parse(R"({"rich_text":[]})"));
  EXPECT_EQ(encode_property_value(PropertyType::select, Value("A")),
            json::parse(R"({"select":{"name":"A"}})"));
  EXPECT_EQ(encode_property_value(PropertyType::checkbox, Value()),
            json::parse(R"({"checkbox":false})"));
  EXPECT_EQ(encode_property_value(PropertyType::date, Value(date("2026-01-31"))),
            json::parse(R"({"date":{"start":"2026-01-31"}})"));
  EXPECT_EQ(
      encode_property_value(PropertyType::date, Value(date_time("2026-01-31T08:00:00+01:00"))),
      json::parse(R"({"date":{"start":"2026-01-31T08:00:00.000+01:00"}})"));
  EXPECT_EQ(
      encode_property_value(PropertyType::date, Value(Value::List{date_time("2026-01-31T08:00:00"),
                                                                  Value(), "Europe/Paris"})),
      json::parse(
          R"({"date":{"start":"2026-01-31T08:00:00.000","end":null,"time_zone":"Europe/Paris"}})"));
  EXPECT_EQ(
      encode_property_value(PropertyType::people,
                            Value(Value::List{"11111111222233334444555555555555"})),
      json::parse(R"({"people":[{"object":"user","id":"11111111-2222-3333-4444-555555555555"}]})"));
  EXPECT_EQ(encode_property_value(PropertyType::relation,
                                  Value(Value::List{"11111111222233334444555555555555"})),
            json::parse(R"({"relation":[{"id":"11111111-2222-3333-4444-555555555555"}]})"));
  EXPECT_EQ(encode_property_value(PropertyType::files,
                                  Value(Value::List{"https://example.com/a/report.pdf?x=1"})),
            json::parse(R"({"files":[{"name":"report.pdf","type":"external",
                                      "external":{"url":"https://example.com/a/report.pdf?x=1"}}]})"));
}

TEST(PropertyValueCodecTest, SplitsLongTextIntoItemsOf2000Utf16Units) {
  std::string text(2000, 'a');
  text += "\xF0\x9F\x98\x80";  // an emoji is 2 UTF-16 units and must not be cut in half
  text += std::string(1999, 'b');
  const json encoded = encode_property_value(PropertyType::rich_text, Value(text));
  const json& items = encoded["rich_text"];
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0]["text"]["content"].get<std::string>().size(), 2000u);
  EXPECT_EQ(items[1]["text"]["content"].get<std::string>(),
            "\xF0\x9F\x98\x80" + std::string(1998, 'b'));
  EXPECT_EQ(items[2]["text"]["content"].get<std::string>(), "b");
}

struct Refusal {
  PropertyType type;
  Value value;
  std::string message_part;
};

TEST(PropertyValueCodecTest, RefusesWhatNotionWouldRejectBeforeSending) {
  const std::vector<Refusal> refusals = {
      {PropertyType::rich_text, Value(std::string(200'001, 'x')), "200000"},
      {PropertyType::title, Value("bad \xC3"), "UTF-8"},
      {PropertyType::title, Value(12), "expects a string"},
      {PropertyType::url, Value("https://x/" + std::string(2000, 'a')), "at most 2000"},
      {PropertyType::email, Value(std::string(95, 'a') + "@x.com"), "at most 100"},
      {PropertyType::phone_number, Value(std::string(101, '1')), "at most 100"},
      {PropertyType::select, Value("High, really"), "comma"},
      {PropertyType::multi_select, Value(Value::List{"ok", "a,b"}), "comma"},
      {PropertyType::multi_select, Value(Value::List(101, Value("x"))), "at most 100"},
      {PropertyType::relation, Value(Value::List{"not-an-id"}), "not a Notion page id"},
      {PropertyType::people, Value(Value::List(101, Value("11111111222233334444555555555555"))),
       "at most 100"},
      {PropertyType::number, Value(std::numeric_limits<double>::quiet_NaN()), "NaN"},
      {PropertyType::number, Value(std::int64_t{9007199254740993}), "2^53"},
      {PropertyType::checkbox, Value("yes"), "expects a bool"},
      {PropertyType::date, Value("2026-01-01"), "Date or DateTime"},
      {PropertyType::date, Value(Value::List{date("2026-01-01"), Value(), "Europe/Paris"}),
       "needs a time of day"},
      {PropertyType::date,
       Value(Value::List{date_time("2026-01-01T10:00:00Z"), Value(), "Europe/Paris"}),
       "UTC offset"},
      {PropertyType::date,
       Value(Value::List{date("2026-01-01"), date_time("2026-01-02T00:00:00Z")}), "mixes"},
      {PropertyType::files, Value(Value::List{"https://x/" + std::string(2000, 'a')}),
       "at most 2000"},
      {PropertyType::formula, Value(1), "computed by Notion"},
      {PropertyType::created_time, Value(), "computed by Notion"},
  };
  for (const Refusal& r : refusals) {
    try {
      encode_property_value(r.type, r.value, "Col");
      ADD_FAILURE() << "accepted " << to_string(r.type) << " "
                    << r.value.to_display().substr(0, 80);
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::invalid_value);
      const std::string message = e.what();
      EXPECT_NE(message.find(r.message_part), std::string::npos) << message;
      EXPECT_NE(message.find("\"Col\""), std::string::npos) << message;
    }
  }
}

TEST(PropertyValueCodecTest, DecodesReadOnlyTypes) {
  EXPECT_EQ(decode_property_value(
                json::parse(R"({"type":"formula","formula":{"type":"number","number":42}})")),
            Value(42));
  EXPECT_EQ(decode_property_value(
                json::parse(R"({"type":"formula","formula":{"type":"string","string":"hi"}})")),
            Value("hi"));
  EXPECT_EQ(decode_property_value(
                json::parse(R"({"type":"formula","formula":{"type":"boolean","boolean":true}})")),
            Value(true));
  EXPECT_EQ(
      decode_property_value(json::parse(
          R"({"type":"formula","formula":{"type":"date","date":{"start":"2026-01-02","end":null}}})")),
      Value(date("2026-01-02")));
  EXPECT_EQ(decode_property_value(json::parse(
                R"({"type":"rollup","rollup":{"type":"number","number":7.5,"function":"sum"}})")),
            Value(7.5));
  EXPECT_EQ(decode_property_value(json::parse(
                R"({"type":"rollup","rollup":{"type":"array","function":"show_original",
                    "array":[{"type":"number","number":1},{"type":"title","title":[{"plain_text":"x"}]}]}})")),
            Value(Value::List{1, "x"}));
  EXPECT_EQ(decode_property_value(json::parse(
                R"({"type":"created_time","created_time":"2026-01-02T03:04:00.000Z"})")),
            Value(date_time("2026-01-02T03:04:00Z")));
  EXPECT_EQ(
      decode_property_value(json::parse(
          R"({"type":"last_edited_by","last_edited_by":{"object":"user","id":"11111111-2222-3333-4444-555555555555"}})")),
      Value("11111111-2222-3333-4444-555555555555"));
  EXPECT_EQ(decode_property_value(
                json::parse(R"({"type":"unique_id","unique_id":{"prefix":"TASK","number":12}})")),
            Value("TASK-12"));
  EXPECT_EQ(decode_property_value(
                json::parse(R"({"type":"unique_id","unique_id":{"prefix":null,"number":12}})")),
            Value(12));
  EXPECT_EQ(decode_property_value(json::parse(R"({"type":"button","button":{}})")), Value());
}

TEST(PropertyValueCodecTest, SpotsValuesNotionTruncatedAt25) {
  EXPECT_TRUE(property_value_may_be_truncated(
      json::parse(R"({"type":"relation","relation":[],"has_more":true})")));
  EXPECT_FALSE(property_value_may_be_truncated(
      json::parse(R"({"type":"relation","relation":[],"has_more":false})")));
  json people = {{"type", "people"}, {"people", json::array()}};
  for (int i = 0; i < 25; ++i) people["people"].push_back({{"id", "x"}});
  EXPECT_TRUE(property_value_may_be_truncated(people));
  people["people"].erase(0);
  EXPECT_FALSE(property_value_may_be_truncated(people));
}

}  // namespace
}  // namespace notionsync::notion

namespace notionsync::notion {
namespace {

// Inputs the property-decoding fuzzer found (fuzz/regressions/property_decode): each must be
// reported as a notionsync Error, never as a JSON library exception.
TEST(PropertyValueDecodeRegressions, MalformedValuesThrowTheDocumentedError) {
  for (const char* text :
       {R"({"type":"formula","formula":{"type":3}})", R"({"type":"rollup","rollup":{"type":[]}})",
        R"({"type":"files","files":[{"external":{"url":3}}]})"}) {
    SCOPED_TRACE(text);
    try {
      decode_property_value(nlohmann::json::parse(text));
      FAIL() << "decoded a malformed value";
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::invalid_value);
    }
  }
}

}  // namespace
}  // namespace notionsync::notion
