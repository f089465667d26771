// The people rows most target tests declare: Name (title, the key), Email, Role, Active, Age.
#pragma once

#include <string>
#include <vector>

#include "notionsync/core/row.hpp"
#include "notionsync/notion/database_schema.hpp"

namespace notionsync::testing {

struct Person {
  std::string name;
  std::string email;
  std::string role = "engineer";
  bool active = true;
  double age = 30;
};

inline Row person_row(const Person& person) {
  return Row{{"name", person.name},
             {"email", person.email},
             {"role", person.role},
             {"active", person.active},
             {"age", person.age}};
}

// Name (title, the key), Email, Role (select), Active (checkbox), Age (number).
inline notion::DatabaseSchema people_schema() {
  using notion::PropertyType;
  notion::DatabaseSchema schema;
  schema.add({.name = "Name", .type = PropertyType::title, .field = "name"})
      .add({.name = "Email", .type = PropertyType::email, .field = "email"})
      .add({.name = "Role", .type = PropertyType::select, .field = "role"})
      .add({.name = "Active", .type = PropertyType::checkbox, .field = "active"})
      .add({.name = "Age", .type = PropertyType::number, .field = "age"})
      .key("name");
  return schema;
}

inline const std::vector<Person> kAdaGraceAlan = {
    {"Ada", "ada@example.com"}, {"Grace", "grace@example.com"}, {"Alan", "alan@example.com"}};

inline std::vector<Person> with_changed_role(std::vector<Person> people, std::size_t index,
                                             std::string role) {
  people.at(index).role = std::move(role);
  return people;
}

}  // namespace notionsync::testing
