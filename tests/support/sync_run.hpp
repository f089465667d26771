// One run of a test app ("people-app" with one target "people" keyed by "id", on a
// RecordingTarget) in a fresh App object, as a new process would do it: the engine tests' unit of
// work, shared by the SQLite-only and the every-store suites.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "notionsync/core/app.hpp"
#include "notionsync/core/key.hpp"
#include "support/recording_target.hpp"

namespace notionsync::testing {

struct Person {
  std::string id;
  std::string name;
};

class SyncRun {
 public:
  SyncRun(StateStore& store, FakeRemote& remote, RemovalMode mode = RemovalMode::trash,
          std::string schema_version = "v1")
      : app("people-app", store) {
    auto driver = std::make_unique<RecordingTarget>(
        remote, test_settings({"id"}, mode, std::move(schema_version)));
    target = driver.get();
    handle = &app.add_target("people", std::move(driver));
  }

  SyncRun& declare(const std::vector<Person>& people) {
    for (const auto& person : people) {
      handle->declare(Row{{"id", person.id}, {"name", person.name}});
    }
    return *this;
  }

  SyncReport sync() { return app.sync(); }

  App app;
  RecordingTarget* target = nullptr;
  TargetHandle* handle = nullptr;
};

// The encoded key of a person.
inline std::string key(const std::string& id) {
  return Key{id}.encoded();
}

}  // namespace notionsync::testing
