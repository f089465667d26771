// People values by email or name: the workspace's users, read once when a value needs them.
//
// A people value may name a user by id (taken as given, no call), by email (case-insensitive) or
// by exact name. The users come from GET /v1/users (all pages), read the first time a value is
// not an id, and are kept in the state store (scope "notion.users") for a time to live, so the
// next runs within it make no call. A value that no person matches is looked up once more in a
// fresh list (someone may have joined since it was kept), at most once per run. Bots are not
// people. Without the capability to read email addresses Notion answers no emails, and a value
// by email then names the capability in its error.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "notionsync/core/state_store.hpp"
#include "notionsync/notion/client.hpp"

namespace notionsync::notion {

struct DirectoryUser {
  std::string id;
  std::string type;  // person or bot
  std::string name;
  std::string email;  // empty when Notion did not say
};

// The users of GET /v1/users answers, in order.
std::vector<DirectoryUser> users_of(const std::vector<nlohmann::json>& results);

class UserDirectory {
 public:
  // `store` may be null (nothing kept between runs).
  UserDirectory(Client& client, StateStore* store, std::string app_name, std::chrono::seconds ttl);

  // The user id `value` names. Throws Error(invalid_value) naming the value when no person or
  // several people match it, and when the users cannot be read. Thread-safe.
  std::string resolve(std::string_view value);

  // GET /v1/users calls made by this directory.
  std::size_t list_calls() const;

 private:
  // The users, from the store or Notion; `fresh` reads Notion even when the store has them.
  void load(bool fresh);
  std::optional<std::string> find(std::string_view value, std::string& problem) const;

  Client& client_;
  StateStore* store_;
  std::string app_name_;
  std::chrono::seconds ttl_;
  mutable std::mutex mutex_;
  std::optional<std::vector<DirectoryUser>> users_;
  bool read_this_run_ = false;  // the users in hand were read from Notion by this directory
  std::optional<std::string> read_error_;
  std::size_t list_calls_ = 0;
};

}  // namespace notionsync::notion
