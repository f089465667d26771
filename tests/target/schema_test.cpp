// Offline checks of schemas and target options: no Notion needed.
#include <gtest/gtest.h>

#include "notionsync/core/error.hpp"
#include "notionsync/core/key.hpp"
#include "notionsync/notion/database_target.hpp"
#include "notionsync/notion/typed_schema.hpp"

namespace notionsync::notion {
namespace {

std::string error_of(const std::function<void()>& body) {
  try {
    body();
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

DatabaseSchema basic_schema() {
  DatabaseSchema schema;
  schema.add({.name = "Name", .type = PropertyType::title, .field = "name"})
      .add({.name = "Email", .type = PropertyType::email, .field = "email"})
      .key("name");
  return schema;
}

TEST(DatabaseSchema, APropertyBoundToAMisspeltFieldIsReportedWithASuggestion) {
  DatabaseSchema schema;
  schema.add({.name = "Name", .type = PropertyType::title, .field = "name"})
      .add({.name = "Email", .type = PropertyType::email, .field = "emial"})
      .key("name");
  const std::vector<std::string> fields = {"name", "email", "age"};
  const auto message = error_of([&] { schema.check_fields(fields); });
  EXPECT_TRUE(contains(message, "unknown field 'emial' (did you mean 'email'?)")) << message;
  EXPECT_EQ(error_of([&] { basic_schema().check_fields(fields); }), "");
}

TEST(DatabaseSchema, AllowsAtMostOneTitle) {
  DatabaseSchema schema = basic_schema();
  schema.add({.name = "Other", .type = PropertyType::title, .field = "other"});
  const auto message = error_of([&] { schema.validate(false); });
  EXPECT_TRUE(contains(message, "only one title property is allowed, found 2")) << message;
}

TEST(DatabaseSchema, NeedsATitleWhenNotionsyncCreatesTheDatabase) {
  DatabaseSchema schema;
  schema.add({.name = "Email", .type = PropertyType::email, .field = "email"}).key("email");
  EXPECT_EQ(error_of([&] { schema.validate(false); }), "");
  EXPECT_TRUE(contains(error_of([&] { schema.validate(true); }), "needs a title property"));
}

TEST(DatabaseSchema, RejectsTwoFieldsBoundToOneNotionProperty) {
  DatabaseSchema schema = basic_schema();
  schema.add({.name = "Email", .type = PropertyType::rich_text, .field = "email2"});
  EXPECT_TRUE(contains(error_of([&] { schema.validate(false); }),
                       "two fields are bound to the same Notion property 'Email'"));
}

TEST(DatabaseSchema, KeysMustBeBoundAndAbleToIdentifyARow) {
  DatabaseSchema schema = basic_schema();
  schema.add({.name = "Tags", .type = PropertyType::multi_select, .field = "tags"})
      .key("tags")
      .key("ghost");
  const auto message = error_of([&] { schema.validate(false); });
  EXPECT_TRUE(contains(message, "key field 'tags' is a multi_select property")) << message;
  EXPECT_TRUE(contains(message, "key field 'ghost' is not bound")) << message;
  DatabaseSchema no_key;
  no_key.add({.name = "Name", .type = PropertyType::title});
  EXPECT_TRUE(contains(error_of([&] { no_key.validate(false); }), "no primary key"));
}

TEST(DatabaseSchema, ARelationNeedsExactlyOneTarget) {
  DatabaseSchema schema = basic_schema();
  schema.add({.name = "Team", .type = PropertyType::relation, .field = "team"});
  EXPECT_TRUE(
      contains(error_of([&] { schema.validate(false); }), "relation 'Team' needs exactly one"));
}

TEST(DatabaseSchema, DiffListsMissingTypeChangesExtrasAndARenamedTitle) {
  DatabaseSchema schema = basic_schema();
  schema.add({.name = "Age", .type = PropertyType::number, .field = "age"});
  const nlohmann::json live = {
      {"Title", {{"id", "title"}, {"type", "title"}, {"title", nlohmann::json::object()}}},
      {"Email", {{"id", "a"}, {"type", "rich_text"}, {"rich_text", nlohmann::json::object()}}},
      {"Button", {{"id", "b"}, {"type", "button"}, {"button", nlohmann::json::object()}}}};
  const SchemaDiff diff = schema.diff_against(live);
  EXPECT_TRUE(diff.title_renamed);
  EXPECT_EQ(diff.live_title, "Title");
  EXPECT_EQ(diff.missing, std::vector<std::string>{"Age"});
  ASSERT_EQ(diff.type_changes.size(), 1u);
  EXPECT_EQ(diff.type_changes[0].name, "Email");
  EXPECT_EQ(diff.type_changes[0].live, "rich_text");
  EXPECT_EQ(diff.extra, std::vector<std::string>{"Button"});
  EXPECT_TRUE(diff.has_destructive_changes());
}

TEST(DatabaseSchema, VersionChangesWithTheMappingButNotWithOptions) {
  DatabaseSchema a = basic_schema();
  DatabaseSchema b = basic_schema();
  EXPECT_EQ(a.version(), b.version());
  DatabaseSchema remapped;
  remapped.add({.name = "Name", .type = PropertyType::title, .field = "full_name"})
      .add({.name = "Email", .type = PropertyType::email, .field = "email"})
      .key("full_name");
  EXPECT_NE(a.version(), remapped.version());
  DatabaseSchema with_options = basic_schema();
  with_options.add({.name = "Role",
                    .type = PropertyType::select,
                    .field = "role",
                    .options = {SelectOption{"admin", "", ""}}});
  DatabaseSchema without_options = basic_schema();
  without_options.add({.name = "Role", .type = PropertyType::select, .field = "role"});
  EXPECT_EQ(with_options.version(), without_options.version());
}

DatabaseTargetOptions options_with(ManagedBy managed_by) {
  static Client* const kNoClientNeeded = reinterpret_cast<Client*>(0x1);
  DatabaseTargetOptions options;
  options.client = kNoClientNeeded;  // validate_options() only checks that one is given
  options.schema = basic_schema();
  options.managed_by = managed_by;
  return options;
}

TEST(DatabaseSchema, IconAndCoverTakeFieldsOfTheirOwnAndChangeTheVersionOnlyWhenBound) {
  const std::string plain_version = basic_schema().version();
  DatabaseSchema with_icon = basic_schema();
  with_icon.icon("logo");
  EXPECT_NE(with_icon.version(), plain_version) << "binding an icon rewrites the pages once";
  DatabaseSchema with_cover = basic_schema();
  with_cover.cover("logo");
  EXPECT_NE(with_cover.version(), with_icon.version());
  EXPECT_EQ(error_of([&] { with_icon.validate(true); }), "");

  DatabaseSchema clash = basic_schema();
  clash.icon("email").cover("banner").body("banner");
  const std::string problems = error_of([&] { clash.validate(true); });
  EXPECT_TRUE(
      contains(problems, "field 'email' is bound both to the page icon and to something else"))
      << problems;
  EXPECT_TRUE(contains(problems, "field 'banner' is bound both to the page cover")) << problems;
  const std::vector<std::string> fields = {"name", "email", "logo"};
  DatabaseSchema misspelt = basic_schema();
  misspelt.cover("lgo");
  EXPECT_TRUE(contains(error_of([&] { misspelt.check_fields(fields); }),
                       "the page cover is bound to unknown field 'lgo' (did you mean 'logo'?)"));
}

TEST(DatabaseTargetOptions, DefaultIsSystemManaged) {
  EXPECT_EQ(DatabaseTargetOptions().managed_by, ManagedBy::system);
  EXPECT_EQ(DatabaseTargetOptions().on_delete, RemovalMode::trash);
}

TEST(DatabaseTargetOptions, ManagedByArgumentsAreValidated) {
  const std::string id = "9bc30ad4937346a584ab0a7845ee52e6";
  auto user = options_with(ManagedBy::user);
  EXPECT_TRUE(contains(error_of([&] { validate_options(user); }), "needs a data_source_id"));
  user.data_source_id = id;
  EXPECT_EQ(error_of([&] { validate_options(user); }), "");
  user.parent_page_id = id;
  user.title = "People";
  const auto user_message = error_of([&] { validate_options(user); });
  EXPECT_TRUE(contains(user_message, "takes no parent_page_id")) << user_message;
  EXPECT_TRUE(contains(user_message, "takes no title")) << user_message;

  auto system = options_with(ManagedBy::system);
  system.data_source_id = id;
  const auto system_message = error_of([&] { validate_options(system); });
  EXPECT_TRUE(contains(system_message, "takes no data_source_id")) << system_message;
  EXPECT_TRUE(contains(system_message, "needs a title")) << system_message;
  EXPECT_TRUE(contains(system_message, "exactly one of parent_page_id and parent_database_id"));
  system.data_source_id.clear();
  system.title = "People";
  system.parent_page_id = id;
  EXPECT_EQ(error_of([&] { validate_options(system); }), "");
  system.parent_database_id = id;
  EXPECT_TRUE(contains(error_of([&] { validate_options(system); }), "exactly one of"));
  system.parent_database_id = "not-an-id";
  EXPECT_TRUE(contains(error_of([&] { validate_options(system); }), "is not a Notion id"));
  system.client = nullptr;
  EXPECT_TRUE(contains(error_of([&] { validate_options(system); }), "a client is required"));
}

struct Member {
  std::string name;
  std::string email;
  std::optional<double> score;
  std::vector<std::string> tags;
  Date joined;
  bool active = false;
};

TEST(TypedSchema, BindsMembersAndBuildsRows) {
  auto schema = Schema<Member>()
                    .title("Name", &Member::name)
                    .email("Email", &Member::email)
                    .number("Score", &Member::score)
                    .multi_select("Tags", &Member::tags)
                    .date("Joined", &Member::joined)
                    .checkbox("Active", &Member::active)
                    .key(&Member::email);
  EXPECT_EQ(schema.schema().key_fields(), std::vector<std::string>{"Email"});
  EXPECT_EQ(error_of([&] { schema.schema().validate(true); }), "");
  const Row row = schema.row(
      Member{"Ada", "ada@example.com", std::nullopt, {"a", "b"}, Date{2026, 6, 1}, true});
  EXPECT_EQ(*row.find("Name"), Value("Ada"));
  EXPECT_TRUE(row.find("Score")->is_null());
  EXPECT_EQ(*row.find("Tags"), Value(Value::List{"a", "b"}));
  EXPECT_EQ(*row.find("Joined"), Value(Date{2026, 6, 1}));
  EXPECT_EQ(*row.find("Active"), Value(true));
}

TEST(TypedSchema, IconAndCoverMembersAreRowFieldsOfTheirOwn) {
  struct Product {
    std::string name;
    std::string icon;
    std::string cover;
  };
  const auto schema = Schema<Product>()
                          .title("Name", &Product::name)
                          .icon(&Product::icon)
                          .cover(&Product::cover)
                          .key(&Product::name);
  EXPECT_EQ(schema.schema().icon_field(), "(page icon)");
  EXPECT_EQ(schema.schema().cover_field(), "(page cover)");
  const Row row = schema.row({"Lamp", "💡", "https://example.com/lamp.jpg"});
  EXPECT_EQ(*row.find("(page icon)"), Value("💡"));
  EXPECT_EQ(*row.find("(page cover)"), Value("https://example.com/lamp.jpg"));
  EXPECT_EQ(error_of([&] { schema.schema().validate(true); }), "");
}

TEST(TypedSchema, AKeyOnAnUnboundMemberIsReported) {
  auto schema = Schema<Member>().title("Name", &Member::name).key(&Member::email);
  EXPECT_TRUE(contains(error_of([&] { schema.schema().validate(false); }), "is not bound"));
}

}  // namespace
}  // namespace notionsync::notion
