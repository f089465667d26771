#include "user_directory.hpp"

#include <algorithm>
#include <cctype>

#include "notionsync/core/error.hpp"
#include "core/suggest.hpp"
#include "notionsync/notion/endpoints.hpp"
#include "notion/notion_id.hpp"
#include "notionsync/notion/pagination.hpp"
#include "util/clock.hpp"

namespace notionsync::notion {
namespace {

using util::now_ms;

constexpr std::string_view cache_scope = "notion.users";
constexpr std::string_view cache_key = "all";
constexpr std::string_view email_capability =
    "give the integration the capability \"Read user information including email addresses\" "
    "(notion.so/profile/integrations → Capabilities)";

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

nlohmann::json to_json(const std::vector<DirectoryUser>& users) {
  nlohmann::json list = nlohmann::json::array();
  for (const DirectoryUser& user : users) {
    list.push_back(
        {{"id", user.id}, {"type", user.type}, {"name", user.name}, {"email", user.email}});
  }
  return list;
}

std::optional<std::vector<DirectoryUser>> from_json(const std::string& text) {
  const auto list = nlohmann::json::parse(text, nullptr, false);
  if (!list.is_array()) return std::nullopt;
  std::vector<DirectoryUser> users;
  for (const auto& entry : list) {
    if (!entry.is_object()) return std::nullopt;
    users.push_back({entry.value("id", ""), entry.value("type", ""), entry.value("name", ""),
                     entry.value("email", "")});
  }
  return users;
}

}  // namespace

std::vector<DirectoryUser> users_of(const std::vector<nlohmann::json>& results) {
  std::vector<DirectoryUser> users;
  for (const auto& user : results) {
    if (!user.is_object()) continue;
    DirectoryUser entry;
    entry.id = normalize_notion_id(user.value("id", "")).value_or("");
    entry.type = user.value("type", "");
    const auto name = user.find("name");
    if (name != user.end() && name->is_string()) entry.name = *name;
    const auto person = user.find("person");
    if (person != user.end() && person->is_object()) {
      const auto email = person->find("email");
      if (email != person->end() && email->is_string()) entry.email = *email;
    }
    if (!entry.id.empty()) users.push_back(std::move(entry));
  }
  return users;
}

UserDirectory::UserDirectory(Client& client, StateStore* store, std::string app_name,
                             std::chrono::seconds ttl)
    : client_(client), store_(store), app_name_(std::move(app_name)), ttl_(ttl) {}

std::size_t UserDirectory::list_calls() const {
  const std::lock_guard lock(mutex_);
  return list_calls_;
}

void UserDirectory::load(bool fresh) {
  const std::int64_t now = now_ms();
  if (!fresh && store_ != nullptr) {
    if (const auto kept = store_->read_cached(app_name_, cache_scope, cache_key, now)) {
      if (auto users = from_json(kept->value)) {
        users_ = std::move(users);
        return;
      }
    }
  }
  read_this_run_ = true;
  try {
    std::vector<nlohmann::json> results;
    Pager pager(client_, [](const std::optional<std::string>& cursor) {
      return endpoints::list_users(cursor);
    });
    while (auto page = pager.next()) {
      ++list_calls_;
      for (auto& user : page->results) results.push_back(std::move(user));
    }
    users_ = users_of(results);
  } catch (const ApiError& error) {
    std::string message = error.what();
    if (error.notion_kind() == NotionErrorKind::restricted) {
      message += "; give the integration the capability to read user information";
    }
    if (!users_) read_error_ = std::move(message);
    return;  // a failed refresh keeps the users in hand
  }
  if (store_ != nullptr && ttl_.count() > 0) {
    store_->write_cached(app_name_, cache_scope, cache_key,
                         CachedValue{to_json(*users_).dump(), now + ttl_.count() * 1000, now});
  }
}

std::optional<std::string> UserDirectory::find(std::string_view value, std::string& problem) const {
  std::vector<const DirectoryUser*> matches;
  const bool by_email = value.find('@') != std::string_view::npos;
  const std::string wanted = by_email ? lowercase(value) : std::string(value);
  for (const DirectoryUser& user : *users_) {
    if (user.type != "person") continue;  // bots are not people
    if (by_email ? lowercase(user.email) == wanted : user.name == wanted) matches.push_back(&user);
  }
  if (matches.size() == 1) return matches.front()->id;
  const std::string quoted = "'" + std::string(value) + "'";
  if (matches.size() > 1) {
    problem = std::to_string(matches.size()) + " people have the " +
              (by_email ? "email " : "name ") + quoted + ": give their " +
              (by_email ? "user id" : "email or user id") + " instead";
    return std::nullopt;
  }
  if (by_email) {
    const bool emails_hidden = std::none_of(
        users_->begin(), users_->end(),
        [](const DirectoryUser& user) { return user.type == "person" && !user.email.empty(); });
    problem = "no person in the workspace has the email " + quoted;
    if (emails_hidden) {
      problem += " (Notion answered the workspace's users without email addresses: " +
                 std::string(email_capability) + ")";
    }
    return std::nullopt;
  }
  std::vector<std::string> names;
  for (const DirectoryUser& user : *users_) {
    if (user.name == wanted) {
      problem = quoted + " is an integration (a bot), not a person";
      return std::nullopt;
    }
    if (user.type == "person") names.push_back(user.name);
  }
  problem = "no person in the workspace is named " + quoted;
  if (const auto closest = closest_match(wanted, names)) {
    problem += " (did you mean '" + *closest + "'?)";
  }
  return std::nullopt;
}

std::string UserDirectory::resolve(std::string_view given) {
  const std::string_view value = trimmed(given);
  if (auto id = normalize_notion_id(value)) return *id;
  const std::lock_guard lock(mutex_);
  if (!users_ && !read_error_) load(false);
  if (read_error_) {
    throw Error(ErrorKind::invalid_value,
                "people value '" + std::string(value) +
                    "': the workspace's users cannot be read: " + *read_error_);
  }
  std::string problem;
  if (auto id = find(value, problem)) return *id;
  if (!read_this_run_) {
    // The users were kept from an earlier run: whoever the value names may have joined since.
    load(true);
    if (auto id = find(value, problem)) return *id;
  }
  throw Error(ErrorKind::invalid_value, "people value '" + std::string(value) + "': " + problem);
}

}  // namespace notionsync::notion
