// notionsync doctor: checks the token, access to every parent page and data source, the schema
// and the sources, and says how to fix each problem. Writes nothing.
#include <algorithm>
#include <iostream>
#include <string>

#include "cli_support.hpp"
#include "exit_codes.hpp"
#include "notionsync/notion/endpoints.hpp"
#include "notionsync/notion/rich_text.hpp"
#include "source_rows.hpp"

namespace notionsync::cli {
namespace {

struct Check {
  std::string subject;
  bool ok = false;
  std::string detail;  // what was found, or what is wrong
  std::string fix;     // empty when ok
  int exit_code = exit_ok;
  bool warning = false;  // ok, but something may not work: the fix says what to do
};

constexpr const char* user_capability_fix =
    "in notion.so/profile/integrations, open the integration, Capabilities → User information: "
    "choose \"Read user information including email addresses\" (people values given by email "
    "need it; values given by user id do not)";

// Whether the integration may read the workspace's users and their emails, which people values
// given by email or name need.
Check users_check(notion::Client& client) {
  Check check{"users (people values)", true, "", "", exit_ok};
  try {
    const auto answer = client.call(notion::endpoints::list_users());
    std::size_t people = 0;
    std::size_t with_email = 0;
    for (const auto& user : answer.value("results", nlohmann::json::array())) {
      if (user.value("type", "") != "person") continue;
      ++people;
      const auto person = user.value("person", nlohmann::json::object());
      if (person.is_object() && person.value("email", "") != "") ++with_email;
    }
    check.detail = std::to_string(people) + (people == 1 ? " person" : " people") + " read";
    if (people > 0 && with_email == 0) {
      check.warning = true;
      check.detail +=
          ", without email addresses: Notion leaves them out for an integration "
          "without the capability to read them";
      check.fix = user_capability_fix;
    } else {
      check.detail += ", email addresses included";
    }
  } catch (const notion::ApiError& error) {
    check.warning = true;
    check.detail =
        std::string("the integration cannot read the workspace's users: ") + error.what();
    check.fix = user_capability_fix;
  }
  return check;
}

Check api_check(const std::string& subject, const std::function<std::string()>& probe) {
  try {
    return {subject, true, probe(), "", exit_ok};
  } catch (const std::exception& error) {
    const Failure failure = describe_failure(error);
    const auto fix_at = failure.message.find("\nfix: ");
    if (fix_at == std::string::npos) return {subject, false, failure.message, "", failure.code};
    return {subject, false, failure.message.substr(0, fix_at), failure.message.substr(fix_at + 6),
            failure.code};
  }
}

// A database's title, or a page's title property.
std::string title_of(const nlohmann::json& object) {
  if (object.contains("title") && object["title"].is_array()) {
    return notion::plain_text(object["title"]);
  }
  const auto properties = object.find("properties");
  if (properties == object.end() || !properties->is_object()) return "";
  for (const auto& [name, property] : properties->items()) {
    if (property.is_object() && property.value("type", "") == "title" &&
        property.contains("title") && property["title"].is_array()) {
      return notion::plain_text(property["title"]);
    }
  }
  return "";
}

}  // namespace

int run_doctor(const GlobalOptions& global) {
  std::vector<Check> checks;
  Config config;
  try {
    config = load_config(global.config_path);
    checks.push_back({"config " + global.config_path, true,
                      std::to_string(config.targets.size()) + " targets", "", exit_ok});
  } catch (const std::exception& error) {
    checks.push_back({"config " + global.config_path, false, error.what(),
                      "correct the file (`notionsync init` writes a commented example)",
                      exit_usage});
  }
  if (checks.back().ok) {
    // Before the token is read: where it would go, and whether it would go there in clear text.
    const NotionAddress address = notion_address(config);
    try {
      notion::check_base_url(address.url, config.allow_insecure_http, address.setting);
      std::string detail = address.url + " (" + address.setting + "): ";
      if (const std::string warning = insecure_http_warning(config); !warning.empty()) {
        detail += "WARNING: " + warning;
      } else if (address.url.starts_with("https://")) {
        detail += "HTTPS, certificate verified";
      } else {
        detail += "plain HTTP to this machine (an emulator)";
      }
      checks.push_back({"Notion API address", true, detail, "", exit_ok});
    } catch (const Error& error) {
      checks.push_back({"Notion API address", false, error.what(),
                        "use https://, or set allow_insecure_http = true in [notion] for a proxy "
                        "you trust",
                        exit_usage});
    }
  }
  std::unique_ptr<Sync> sync;
  if (checks.back().ok) {
    try {
      OpenSyncOptions opening = open_sync_options(global);
      opening.create_state = false;  // doctor writes nothing
      sync = open_sync(config, opening);
      checks.push_back(
          {"token", true,
           "read from " + (config.token_file.empty() ? "$" + config.token_env : config.token_file),
           "", exit_ok});
    } catch (const std::exception& error) {
      checks.push_back({"token", false, error.what(), "", exit_usage});
    }
  }
  if (sync) {
    notion::Client& client = sync->client();
    checks.push_back(api_check("Notion API " + client.base_url(), [&] {
      const auto me = client.call(notion::endpoints::users_me());
      std::string workspace;
      if (me.contains("bot") && me["bot"].is_object())
        workspace = me["bot"].value("workspace_name", "");
      return "token accepted: integration \"" + me.value("name", "") + "\"" +
             (workspace.empty() ? "" : " in workspace \"" + workspace + "\"");
    }));
    const bool token_ok = checks.back().ok;
    const bool binds_people =
        std::any_of(config.targets.begin(), config.targets.end(), [](const TargetConfig& target) {
          return std::any_of(
              target.properties.begin(), target.properties.end(),
              [](const PropertyConfig& p) { return p.type == notion::PropertyType::people; });
        });
    if (token_ok && binds_people) checks.push_back(users_check(client));
    for (const auto& target : config.targets) {
      const std::string name = "target " + target.name;
      if (token_ok && !target.parent_page_id.empty()) {
        checks.push_back(api_check(name + ": parent page", [&] {
          const auto page = client.call(notion::endpoints::retrieve_page(target.parent_page_id));
          return "shared: \"" + title_of(page) + "\"";
        }));
      }
      if (token_ok && !target.parent_database_id.empty()) {
        checks.push_back(api_check(name + ": parent database", [&] {
          const auto database =
              client.call(notion::endpoints::retrieve_database(target.parent_database_id));
          return "shared: \"" + title_of(database) + "\"";
        }));
      }
      if (token_ok && !target.data_source_id.empty()) {
        checks.push_back(api_check(name + ": data source", [&] {
          const auto data_source =
              client.call(notion::endpoints::retrieve_data_source(target.data_source_id));
          const auto diff = target.schema().diff_against(data_source.at("properties"));
          std::string problems = diff.to_string();
          if (diff.missing.empty() && diff.type_changes.empty() && !diff.title_renamed) {
            return "shared, schema matches (" + std::to_string(target.properties.size()) +
                   " properties)";
          }
          throw ConfigError("schema differs:\n" + problems +
                            "\nfix: add or retype those properties in Notion, or change "
                            "[target.properties] to match");
        }));
      }
      checks.push_back(api_check(name + ": source", [&] {
        App scratch(config.app_name, sync->store());
        notion::DatabaseTargetOptions options = target.target_options(client);
        auto& handle = notion::mount_database_target(scratch, target.name, options);
        const DeclareStats stats = declare_source_rows(target, handle);
        std::string detail = std::to_string(stats.read) + " rows read";
        // Duplicate keys included: errors() looks for them.
        if (const std::size_t failed = count_rows_with_errors(handle.declared().errors())) {
          detail += ", " + std::to_string(failed) + " with errors (`notionsync plan` lists them)";
        }
        return detail;
      }));
    }
  }
  int code = exit_ok;
  const Style style = stdout_style(global);
  nlohmann::json json = nlohmann::json::array();
  for (const auto& check : checks) {
    if (!check.ok && code == exit_ok)
      code = check.exit_code == exit_ok ? exit_usage : check.exit_code;
    if (global.json) {
      json.push_back({{"check", check.subject},
                      {"ok", check.ok},
                      {"warning", check.warning},
                      {"detail", check.detail},
                      {"fix", check.fix}});
      continue;
    }
    std::cout << (!check.ok       ? style.red("FAIL ")
                  : check.warning ? style.yellow("warn ")
                                  : style.green("  ok "))
              << check.subject << ": " << check.detail << "\n";
    if (!check.fix.empty()) std::cout << "     fix: " << check.fix << "\n";
  }
  if (global.json)
    std::cout << nlohmann::json{{"ok", code == exit_ok}, {"checks", json}}.dump(2) << "\n";
  return code;
}

}  // namespace notionsync::cli
