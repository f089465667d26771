// The workspace's users: the integration's own bot, people and other integrations. Answers
// GET /v1/users, GET /v1/users/{id} and users/me, and renders users in page values.
//
// Notion answers users in two forms (recorded in ../shared/reference/notion-shapes-*.json):
// partial ({"object": "user", "id"}) as a page's created_by/last_edited_by, and full
// ({object, id, name, avatar_url, type, person: {email} | bot: {...}}) in people, created_by and
// last_edited_by property values and in the users endpoints.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "notion_emulator/server.hpp"

namespace notion_emulator {

struct Paging;

class Users {
 public:
  explicit Users(std::string bot_id);

  // Replaces the people and other bots; ids are normalized, missing ones generated from `seed`.
  // Throws std::invalid_argument for a malformed entry.
  void set_members(const std::vector<WorkspaceUser>& members, std::uint64_t seed);

  const std::string& bot_id() const { return bot_id_; }
  // users/me's bot.workspace_limits.max_file_upload_size_in_bytes.
  void set_max_file_upload_size(std::uint64_t bytes) { max_file_upload_size_ = bytes; }
  // Whether people's emails are shown (the integration has the capability to read them).
  void set_emails_visible(bool visible) { emails_visible_ = visible; }
  // The first person, whom a person token acts as; nullopt when the workspace has none.
  std::optional<std::string> first_person() const;
  bool contains(const std::string& id) const;

  // users/me for the caller: the bot with its workspace details, or the person a token acts as.
  nlohmann::json me(const std::string& caller_id) const;
  // The full user object of property values; unknown ids (and groups) stay partial.
  nlohmann::json value_object(const std::string& id) const;
  // GET /v1/users: every user, the calling bot last with its workspace details.
  nlohmann::json list(const Paging& paging) const;
  // GET /v1/users/{id}. Throws ApiError(404 object_not_found) with Notion's message for users.
  nlohmann::json retrieve(const std::string& id) const;

 private:
  nlohmann::json bot_object() const;
  const WorkspaceUser* find(const std::string& id) const;

  std::string bot_id_;
  std::vector<WorkspaceUser> members_;
  std::uint64_t max_file_upload_size_ = 5242880;
  bool emails_visible_ = true;
};

// {"object": "user", "id": id}, as page objects name their creator and last editor.
nlohmann::json partial_user(const std::string& id);

}  // namespace notion_emulator
