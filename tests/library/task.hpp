// The record the front door's tests declare: a task with a title (its key) and points.
#pragma once

#include <string>

#include "notionsync/notion/typed_schema.hpp"

namespace notionsync::testing {

struct Task {
  std::string title;
  int points = 0;
};

inline notion::Schema<Task> task_schema() {
  return notion::Schema<Task>()
      .title("Title", &Task::title)
      .number("Points", &Task::points)
      .key(&Task::title);
}

}  // namespace notionsync::testing
