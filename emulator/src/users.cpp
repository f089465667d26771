#include "users.hpp"

#include <algorithm>
#include <fstream>
#include <random>
#include <stdexcept>

#include "api_error.hpp"
#include "ids.hpp"
#include "pagination.hpp"
#include "request_checks.hpp"

namespace notion_emulator {

using nlohmann::json;

namespace {

// GET /v1/users answers 100 users a page unless page_size says fewer (reference/get-users).
constexpr std::size_t kUsersPageSize = 100;

}  // namespace

std::vector<WorkspaceUser> default_workspace_users() {
  return {
      {"8d3f1b2a-5c4e-4f6a-9b7c-2e1d0a9f8c7b", "person", "Workspace Owner", "owner@example.com"}};
}

std::vector<WorkspaceUser> read_workspace_users(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read users file " + path);
  const json parsed = json::parse(in, nullptr, false);
  const json& list = parsed.is_object() ? parsed.value("users", json()) : parsed;
  if (parsed.is_discarded() || !list.is_array()) {
    throw std::runtime_error("users file " + path + " is not {\"users\": [...]}");
  }
  std::vector<WorkspaceUser> users;
  for (const json& entry : list) {
    if (!entry.is_object())
      throw std::runtime_error("users file " + path + ": an entry is not an object");
    WorkspaceUser user;
    user.id = entry.value("id", "");
    user.type = entry.value("type", "person");
    user.name = entry.value("name", "");
    user.email = entry.value("email", "");
    users.push_back(std::move(user));
  }
  return users;
}

json partial_user(const std::string& id) {
  return {{"object", "user"}, {"id", id}};
}

Users::Users(std::string bot_id) : bot_id_(std::move(bot_id)) {}

void Users::set_members(const std::vector<WorkspaceUser>& members, std::uint64_t seed) {
  std::mt19937_64 generator(seed);
  std::vector<WorkspaceUser> checked;
  for (WorkspaceUser user : members) {
    if (user.type != "person" && user.type != "bot") {
      throw std::invalid_argument("a workspace user's type is person or bot, not " + user.type);
    }
    if (user.name.empty()) throw std::invalid_argument("a workspace user needs a name");
    if (user.type == "person" && user.email.empty()) {
      throw std::invalid_argument("person " + user.name + " needs an email");
    }
    if (user.id.empty()) {
      user.id = new_uuid(generator);
    } else {
      const auto id = normalize_id(user.id);
      if (!id) throw std::invalid_argument("user id is not a UUID: " + user.id);
      user.id = *id;
    }
    if (user.id == bot_id_ || std::any_of(checked.begin(), checked.end(),
                                          [&](const auto& other) { return other.id == user.id; })) {
      throw std::invalid_argument("two workspace users share the id " + user.id);
    }
    checked.push_back(std::move(user));
  }
  members_ = std::move(checked);
}

std::optional<std::string> Users::first_person() const {
  for (const WorkspaceUser& user : members_) {
    if (user.type == "person") return user.id;
  }
  return std::nullopt;
}

bool Users::contains(const std::string& id) const {
  return id == bot_id_ || find(id) != nullptr;
}

const WorkspaceUser* Users::find(const std::string& id) const {
  for (const WorkspaceUser& user : members_) {
    if (user.id == id) return &user;
  }
  return nullptr;
}

json Users::bot_object() const {
  return {{"object", "user"},
          {"id", bot_id_},
          {"name", kBotName},
          {"avatar_url", nullptr},
          {"type", "bot"},
          {"bot",
           {{"owner", {{"type", "workspace"}, {"workspace", true}}},
            {"workspace_name", "Emulated workspace"},
            {"workspace_id", kWorkspaceId},
            // users/me carries the largest file an upload may hold (reference/get-self).
            {"workspace_limits", {{"max_file_upload_size_in_bytes", max_file_upload_size_}}}}}};
}

json Users::me(const std::string& caller_id) const {
  if (caller_id == bot_id_) return bot_object();
  return value_object(caller_id);
}

json Users::value_object(const std::string& id) const {
  if (id == bot_id_) {
    // In page values Notion shows the integration itself with an empty bot object.
    return {{"object", "user"},      {"id", id},      {"name", kBotName},
            {"avatar_url", nullptr}, {"type", "bot"}, {"bot", json::object()}};
  }
  const WorkspaceUser* user = find(id);
  if (user == nullptr) return partial_user(id);
  json object = {{"object", "user"},
                 {"id", user->id},
                 {"name", user->name},
                 {"avatar_url", nullptr},
                 {"type", user->type}};
  if (user->type == "person") {
    // Without the capability to read emails Notion keeps the person object, empty (reference
    // "User").
    object["person"] = emails_visible_ ? json{{"email", user->email}} : json::object();
  } else {
    object["bot"] = json::object();
  }
  return object;
}

json Users::list(const Paging& paging) const {
  std::vector<std::string> ids;
  for (const WorkspaceUser& user : members_) ids.push_back(user.id);
  ids.push_back(bot_id_);
  const Window window =
      paginate(ids, paging.start_cursor, page_size_from_query(paging.page_size, kUsersPageSize));
  json results = json::array();
  for (std::size_t i = window.begin; i < window.end; ++i) {
    results.push_back(ids[i] == bot_id_ ? bot_object() : value_object(ids[i]));
  }
  return list_response(std::move(results), window, "user");
}

json Users::retrieve(const std::string& id) const {
  if (id == bot_id_) return bot_object();
  if (find(id) == nullptr) {
    throw ApiError(404, "object_not_found",
                   "Could not find user with ID: " + id +
                       ". Make sure your integration has capabilities to read user information. "
                       "With those capabilities, only members and guests in the integration's "
                       "workspace are visible.",
                   {{"integration_id", bot_id_}});
  }
  return value_object(id);
}

}  // namespace notion_emulator
