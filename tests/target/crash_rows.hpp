// The rows crash_sync_child declares and crash_test checks: people P0 … P(n-1), and, with a body
// generation g >= 1, a page body for each that names g. Generation 2 changes every body and the
// role of every third row, so killing its sync leaves updates of the body alone and of both parts
// half done. Generation 0 is the rows without a body (the schema binds none).
#pragma once

#include <string>

#include "people.hpp"

namespace notionsync::testing {

inline notion::DatabaseSchema crash_schema(int body_generation) {
  notion::DatabaseSchema schema = people_schema();
  if (body_generation > 0) schema.body("notes");
  return schema;
}

inline bool crash_role_changes(int index) {
  return index % 3 == 0;
}

inline Person crash_person(int index, int body_generation) {
  Person person{"P" + std::to_string(index), "p@example.com"};
  if (body_generation >= 2 && crash_role_changes(index)) person.role = "lead";
  return person;
}

// Written loosely (an empty line, a trailing newline), as a source would hand it over.
inline std::string crash_body(int index, int body_generation) {
  return "Notes of P" + std::to_string(index) + ", version " + std::to_string(body_generation) +
         "\n\n- a\n- b\n";
}

// crash_body() as Notion keeps it: one newline between blocks, no empty line, none at the end.
inline std::string crash_body_as_kept(int index, int body_generation) {
  return "Notes of P" + std::to_string(index) + ", version " + std::to_string(body_generation) +
         "\n- a\n- b";
}

inline Row crash_row(int index, int body_generation) {
  Row row = person_row(crash_person(index, body_generation));
  if (body_generation > 0) row.set("notes", crash_body(index, body_generation));
  return row;
}

}  // namespace notionsync::testing
