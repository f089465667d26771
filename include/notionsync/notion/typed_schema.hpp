// Schema<T>: a DatabaseSchema for a C++ struct, bound through member pointers.
//
//   struct Person { std::string name; std::string email; int age; std::vector<std::string> tags; };
//
//   auto schema = Schema<Person>()
//                     .title("Name", &Person::name)
//                     .email("Email", &Person::email)
//                     .number("Age", &Person::age)
//                     .multi_select("Tags", &Person::tags)
//                     .key(&Person::email);              // .body(&Person::notes) for page content
//                                                        // .icon(&Person::avatar): "🚀", a URL
//                                                        // or a local image's path
//   auto people = mount_database_target(app, "people", schema, options);
//   people.declare(Person{"Ada", "ada@example.com", 36, {"math"}});
//
// Members may be std::string, bool, integers, floating point, Date, DateTime, Value, and
// std::optional or std::vector of those. Each property's row field is its Notion name. People
// members hold user ids, emails or names; files members URLs or local paths (as given).
#pragma once

#include <any>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "notionsync/core/app.hpp"
#include "notionsync/core/error.hpp"
#include "notionsync/notion/database_schema.hpp"
#include "notionsync/notion/database_target.hpp"

namespace notionsync::notion {

namespace detail {

template <typename M>
Value to_value(const M& member) {
  if constexpr (std::is_same_v<M, Value>) {
    return member;
  } else if constexpr (std::is_same_v<M, std::string> || std::is_same_v<M, bool> ||
                       std::is_arithmetic_v<M> || std::is_same_v<M, Date> ||
                       std::is_same_v<M, DateTime>) {
    return Value(member);
  } else if constexpr (requires {
                         member.has_value();
                         *member;
                       }) {
    return member.has_value() ? to_value(*member) : Value();
  } else if constexpr (requires {
                         member.begin();
                         member.end();
                       }) {
    Value::List items;
    for (const auto& item : member) items.push_back(to_value(item));
    return Value(std::move(items));
  } else {
    static_assert(sizeof(M) == 0, "this member type cannot be bound to a Notion property");
  }
}

}  // namespace detail

template <typename T>
class Schema {
 public:
  template <typename M>
  Schema& title(std::string name, M T::*member) {
    return bind({.name = std::move(name), .type = PropertyType::title}, member);
  }
  template <typename M>
  Schema& rich_text(std::string name, M T::*member) {
    return bind({.name = std::move(name), .type = PropertyType::rich_text}, member);
  }
  template <typename M>
  Schema& number(std::string name, M T::*member) {
    return bind({.name = std::move(name), .type = PropertyType::number}, member);
  }
  template <typename M>
  Schema& url(std::string name, M T::*member) {
    return bind({.name = std::move(name), .type = PropertyType::url}, member);
  }
  template <typename M>
  Schema& email(std::string name, M T::*member) {
    return bind({.name = std::move(name), .type = PropertyType::email}, member);
  }
  template <typename M>
  Schema& phone_number(std::string name, M T::*member) {
    return bind({.name = std::move(name), .type = PropertyType::phone_number}, member);
  }
  template <typename M>
  Schema& checkbox(std::string name, M T::*member) {
    return bind({.name = std::move(name), .type = PropertyType::checkbox}, member);
  }
  template <typename M>
  Schema& date(std::string name, M T::*member) {
    return bind({.name = std::move(name), .type = PropertyType::date}, member);
  }
  template <typename M>
  Schema& select(std::string name, M T::*member, std::vector<SelectOption> options = {}) {
    return bind(
        {.name = std::move(name), .type = PropertyType::select, .options = std::move(options)},
        member);
  }
  template <typename M>
  Schema& multi_select(std::string name, M T::*member, std::vector<SelectOption> options = {}) {
    return bind({.name = std::move(name),
                 .type = PropertyType::multi_select,
                 .options = std::move(options)},
                member);
  }
  template <typename M>
  Schema& status(std::string name, M T::*member, std::vector<SelectOption> options = {}) {
    return bind(
        {.name = std::move(name), .type = PropertyType::status, .options = std::move(options)},
        member);
  }
  template <typename M>
  Schema& people(std::string name, M T::*member) {
    return bind({.name = std::move(name), .type = PropertyType::people}, member);
  }
  template <typename M>
  Schema& files(std::string name, M T::*member) {
    return bind({.name = std::move(name), .type = PropertyType::files}, member);
  }
  // A relation whose values are keys of rows of `target` (another target of the app).
  template <typename M>
  Schema& relation_to_target(std::string name, M T::*member, std::string target) {
    return bind({.name = std::move(name),
                 .type = PropertyType::relation,
                 .relation_target = std::move(target)},
                member);
  }
  // A relation whose values are Notion page ids of rows of the data source `data_source_id`.
  template <typename M>
  Schema& relation_to_data_source(std::string name, M T::*member, std::string data_source_id) {
    return bind({.name = std::move(name),
                 .type = PropertyType::relation,
                 .relation_data_source_id = std::move(data_source_id)},
                member);
  }

  // The page body: `member` holds the page's content as Notion-flavored Markdown (a string; an
  // empty one is an empty page). Its row field is named body_field_name.
  template <typename M>
  Schema& body(M T::*member) {
    add_field(std::string(body_field_name), member);
    schema_.body(std::string(body_field_name));
    return *this;
  }
  // The page icon: `member` holds an emoji ("🚀"), a URL, or the path of a local image, uploaded
  // once (an empty one: no icon).
  template <typename M>
  Schema& icon(M T::*member) {
    add_field(std::string(icon_field_name), member);
    schema_.icon(std::string(icon_field_name));
    return *this;
  }
  // The page cover: `member` holds a URL or the path of a local image (an empty one: no cover).
  template <typename M>
  Schema& cover(M T::*member) {
    add_field(std::string(cover_field_name), member);
    schema_.cover(std::string(cover_field_name));
    return *this;
  }
  // The row fields a struct's body, icon and cover members are declared under.
  static constexpr std::string_view body_field_name = "(page body)";
  static constexpr std::string_view icon_field_name = "(page icon)";
  static constexpr std::string_view cover_field_name = "(page cover)";

  // Adds a bound member to the primary key. A member that is not bound is reported by validate().
  template <typename M>
  Schema& key(M T::*member) {
    for (const auto& field : fields_) {
      if (const auto* bound = std::any_cast<M T::*>(&field.member); bound && *bound == member) {
        schema_.key(field.name);
        return *this;
      }
    }
    schema_.key("(a member that is not bound to a property)");
    return *this;
  }

  const DatabaseSchema& schema() const { return schema_; }

  // The row a record declares: one field per bound member, named after its property.
  Row row(const T& record) const {
    Row result;
    for (const auto& field : fields_) result.set(field.name, field.get(record));
    return result;
  }

 private:
  struct Field {
    std::string name;
    std::function<Value(const T&)> get;
    std::any member;  // the member pointer, to find it again in key()
  };

  template <typename M>
  void add_field(std::string name, M T::*member) {
    fields_.push_back(Field{std::move(name),
                            [member](const T& record) { return detail::to_value(record.*member); },
                            member});
  }

  template <typename M>
  Schema& bind(PropertyBinding binding, M T::*member) {
    add_field(binding.name, member);
    schema_.add(std::move(binding));
    return *this;
  }

  DatabaseSchema schema_;
  std::vector<Field> fields_;
};

// A target handle that declares records of T.
template <typename T>
class TypedTargetHandle {
 public:
  TypedTargetHandle(TargetHandle& handle, Schema<T> schema)
      : handle_(handle), schema_(std::move(schema)) {}

  // See TargetHandle::declare().
  std::optional<RowError> declare(const T& record, std::string origin = {}) {
    return handle_.declare(schema_.row(record), std::move(origin));
  }
  TargetHandle& handle() { return handle_; }

 private:
  TargetHandle& handle_;
  Schema<T> schema_;
};

// mount_database_target() for a struct: the schema is `schema`'s. Throws
// Error(ErrorKind::invalid_argument) when options.schema is set to another schema (one of the two
// would be lost).
template <typename T>
TypedTargetHandle<T> mount_database_target(App& app, std::string name, Schema<T> schema,
                                           DatabaseTargetOptions options) {
  const DatabaseSchema& typed = schema.schema();
  if (!options.schema.properties().empty() &&
      (options.schema.version() != typed.version() ||
       options.schema.key_fields() != typed.key_fields() ||
       options.schema.body_field() != typed.body_field())) {
    throw Error(ErrorKind::invalid_argument,
                "target \"" + name + "\": options.schema differs from the Schema<T> given; the "
                "schema comes from the Schema<T>: leave options.schema empty");
  }
  options.schema = schema.schema();
  return TypedTargetHandle<T>(mount_database_target(app, std::move(name), std::move(options)),
                              std::move(schema));
}

}  // namespace notionsync::notion
