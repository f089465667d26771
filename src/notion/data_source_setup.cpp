// Database-level reconcile of a Notion database target, before any row is planned: validate the
// user's data source, or find, create and evolve the one notionsync manages.
#include <algorithm>

#include "database_target_driver.hpp"
#include "notionsync/core/error.hpp"
#include "notionsync/notion/endpoints.hpp"
#include "notion/notion_id.hpp"
#include "notionsync/notion/pagination.hpp"
#include "notionsync/notion/rich_text.hpp"

namespace notionsync::notion {
namespace {

std::string in_quotes(std::string_view text) {
  return "'" + std::string(text) + "'";
}

std::string in_quotes_list(const std::vector<std::string>& names) {
  std::string text = "[";
  for (const auto& name : names) text += (text.size() > 1 ? ", " : "") + in_quotes(name);
  return text + "]";
}

std::string normalized_id(std::string_view id) {
  return normalize_notion_id(id).value_or(std::string(id));
}

// Retrieves a data source; nullopt when it is gone or in the trash.
std::optional<nlohmann::json> retrieve_live_data_source(Client& client, const std::string& id) {
  try {
    auto data_source = client.call(endpoints::retrieve_data_source(id));
    if (data_source.value("in_trash", false) || data_source.value("archived", false)) {
      return std::nullopt;
    }
    return data_source;
  } catch (const ApiError& error) {
    if (error.notion_kind() == NotionErrorKind::not_found) return std::nullopt;
    throw;
  }
}

}  // namespace

std::map<std::string, std::string> DatabaseTargetDriver::relation_data_source_ids(
    TargetContext& context) const {
  std::map<std::string, std::string> ids;
  const auto targets = options_.schema.relation_targets();
  if (targets.empty() || context.store == nullptr) return ids;
  for (const auto& record : context.store->targets(context.app_name, RowCounts::skipped)) {
    if (std::find(targets.begin(), targets.end(), record.name) != targets.end()) {
      ids[record.name] = record.remote_id;
    }
  }
  // A relation to the target itself points at this data source.
  if (std::find(targets.begin(), targets.end(), context.record.name) != targets.end()) {
    ids[context.record.name] = data_source_id_;
  }
  return ids;
}

void DatabaseTargetDriver::prepare(TargetContext& context) {
  created_this_run_ = false;
  if (options_.managed_by == ManagedBy::user) {
    prepare_user_managed(context);
  } else {
    prepare_system_managed(context);
  }
  context.record.remote_id = data_source_id_;
}

void DatabaseTargetDriver::prepare_user_managed(TargetContext& context) {
  Client& client = *options_.client;
  nlohmann::json data_source;
  try {
    data_source = client.call(endpoints::retrieve_data_source(options_.data_source_id));
  } catch (const ApiError& error) {
    if (error.notion_kind() != NotionErrorKind::not_found) throw;
    ApiErrorInfo info = error.info();
    info.message = "Notion data source " + in_quotes(options_.data_source_id) +
                   " is not accessible. Check that it is a data source id (not a database id) and "
                   "that its page is shared with the integration (··· → Connections). " +
                   info.message;
    throw ApiError(info);
  }
  if (data_source.value("in_trash", false)) {
    throw Error(ErrorKind::schema_mismatch,
                "Notion data source " + in_quotes(options_.data_source_id) + " is in the trash");
  }
  const SchemaDiff diff = options_.schema.diff_against(data_source.at("properties"));
  std::vector<std::string> problems;
  std::vector<std::string> missing = diff.missing;
  if (diff.title_renamed) missing.push_back(options_.schema.title()->name);
  if (!missing.empty()) {
    std::vector<std::string> live_names;
    for (const auto& [name, property] : data_source.at("properties").items())
      live_names.push_back(name);
    problems.push_back("missing properties " + in_quotes_list(missing) +
                       " (data source has: " + in_quotes_list(live_names) + ")");
  }
  if (!diff.type_changes.empty()) {
    std::string text = "type mismatches:";
    for (const auto& change : diff.type_changes) {
      text += " " + in_quotes(change.name) + " declared " +
              std::string(to_string(change.declared)) + " but Notion has " + change.live + ";";
    }
    text.pop_back();
    problems.push_back(text);
  }
  const auto related = relation_data_source_ids(context);
  for (const auto& binding : options_.schema.properties()) {
    if (binding.type != PropertyType::relation) continue;
    const auto live = data_source.at("properties").find(binding.name);
    if (live == data_source.at("properties").end() || !live->contains("relation")) continue;
    const std::string live_target = normalized_id((*live)["relation"].value("data_source_id", ""));
    std::string declared_target = binding.relation_data_source_id;
    if (!binding.relation_target.empty()) {
      const auto found = related.find(binding.relation_target);
      declared_target = found != related.end() ? found->second : "";
    }
    if (!declared_target.empty() && normalized_id(declared_target) != live_target) {
      problems.push_back("relation " + in_quotes(binding.name) + " points to data source " +
                         in_quotes(live_target) + ", not " + in_quotes(declared_target));
    }
  }
  if (!problems.empty()) {
    std::string message = "Notion data source " + in_quotes(options_.data_source_id) +
                          " does not match the schema; nothing was written:";
    for (const auto& problem : problems) message += "\n  - " + problem;
    throw Error(ErrorKind::schema_mismatch, message);
  }
  data_source_id_ = normalized_id(data_source.value("id", options_.data_source_id));
}

void DatabaseTargetDriver::prepare_system_managed(TargetContext& context) {
  Client& client = *options_.client;
  std::optional<nlohmann::json> data_source;
  // The data source found or created by an earlier run: one call instead of a search.
  if (!context.record.remote_id.empty()) {
    data_source = retrieve_live_data_source(client, context.record.remote_id);
    if (!data_source) {
      context.notes.push_back("the data source tracked for this target (" +
                              context.record.remote_id +
                              ") is gone or in the trash; looking it up by title");
    }
  }
  if (!data_source) {
    const std::string found = find_data_source();
    if (!found.empty()) data_source = retrieve_live_data_source(client, found);
  }
  if (!data_source) {
    if (context.dry_run) {
      context.notes.push_back("database " + in_quotes(options_.title) +
                              " does not exist yet; the " + "sync creates it");
      data_source_id_.clear();
      return;
    }
    data_source_id_ = create_data_source(context);
    created_this_run_ = true;
    return;
  }
  data_source_id_ = normalized_id(data_source->value("id", ""));
  evolve_schema(context, *data_source);
}

std::string DatabaseTargetDriver::find_data_source() {
  Client& client = *options_.client;
  const std::string& title = options_.title;
  if (!options_.parent_database_id.empty()) {
    const auto database = client.call(endpoints::retrieve_database(options_.parent_database_id));
    std::vector<std::string> matches;
    for (const auto& entry : database.value("data_sources", nlohmann::json::array())) {
      if (entry.value("name", "") == title) matches.push_back(entry.value("id", ""));
    }
    if (matches.size() > 1) {
      throw Error(ErrorKind::schema_mismatch,
                  "database " + in_quotes(options_.parent_database_id) + " has " +
                      std::to_string(matches.size()) + " data sources named " + in_quotes(title) +
                      ": rename all but one, or use managed_by = user with a data_source_id");
    }
    return matches.empty() ? "" : matches.front();
  }
  // Data sources named `title` across the parent's child databases; else single-source databases
  // whose own title is `title` (a database renamed in Notion keeps its data source's name).
  std::vector<std::string> by_name;
  std::vector<std::string> by_database_title;
  for (const auto& child : list_all_block_children(client, options_.parent_page_id)) {
    if (child.value("type", "") != "child_database") continue;
    nlohmann::json database;
    try {
      database = client.call(endpoints::retrieve_database(child.value("id", "")));
    } catch (const ApiError& error) {
      if (error.notion_kind() != NotionErrorKind::not_found &&
          error.notion_kind() != NotionErrorKind::restricted) {
        throw;
      }
      continue;  // a database the integration cannot read is not ours
    }
    if (database.value("in_trash", false)) continue;
    const auto& sources = database.value("data_sources", nlohmann::json::array());
    for (const auto& entry : sources) {
      if (entry.value("name", "") == title) by_name.push_back(entry.value("id", ""));
    }
    if (sources.size() == 1 &&
        plain_text(database.value("title", nlohmann::json::array())) == title) {
      by_database_title.push_back(sources.front().value("id", ""));
    }
  }
  const auto pick = [&](const std::vector<std::string>& matches, const char* what) -> std::string {
    if (matches.size() > 1) {
      throw Error(ErrorKind::schema_mismatch,
                  "page " + in_quotes(options_.parent_page_id) + " holds " +
                      std::to_string(matches.size()) + " " + what + " " + in_quotes(title) +
                      "; rename or trash the extra ones, or use managed_by = user with a "
                      "data_source_id");
    }
    return matches.empty() ? "" : matches.front();
  };
  std::string found = pick(by_name, "data sources named");
  if (found.empty()) found = pick(by_database_title, "single-source databases titled");
  return found;
}

std::string DatabaseTargetDriver::create_data_source(TargetContext& context) {
  Client& client = *options_.client;
  // A relation to this target's own rows needs this data source's id: it is added once the data
  // source exists.
  nlohmann::json properties = nlohmann::json::object();
  nlohmann::json self_relations = nlohmann::json::object();
  auto related = relation_data_source_ids(context);
  for (const auto& binding : options_.schema.properties()) {
    if (!binding.relation_target.empty() && binding.relation_target == context.record.name) {
      self_relations[binding.name] = nullptr;
    } else {
      properties[binding.name] = options_.schema.to_notion_property(binding, related);
    }
  }
  std::string id;
  if (!options_.parent_database_id.empty()) {
    const auto created = client.call(
        endpoints::create_data_source(options_.parent_database_id, options_.title, properties));
    id = created.value("id", "");
  } else {
    const auto database = client.call(
        endpoints::create_database(options_.parent_page_id, options_.title, properties));
    const auto& sources = database.value("data_sources", nlohmann::json::array());
    if (sources.empty()) {
      throw Error(ErrorKind::remote, "Notion created database " + in_quotes(options_.title) +
                                         " without a data source");
    }
    id = sources.front().value("id", "");
  }
  id = normalized_id(id);
  context.notes.push_back("created database " + in_quotes(options_.title) + " (data source " + id +
                          ")");
  if (!self_relations.empty()) {
    related[context.record.name] = id;
    for (auto& [name, schema] : self_relations.items()) {
      schema = options_.schema.to_notion_property(*options_.schema.find_by_name(name), related);
    }
    client.call(endpoints::update_data_source(id, {{"properties", self_relations}}));
  }
  return id;
}

void DatabaseTargetDriver::evolve_schema(TargetContext& context,
                                         const nlohmann::json& data_source) {
  const DatabaseSchema& schema = options_.schema;
  const auto& live = data_source.at("properties");
  const SchemaDiff diff = schema.diff_against(live);
  for (const auto& change : diff.type_changes) {
    if (change.declared == PropertyType::title || change.live == "title") {
      throw Error(ErrorKind::schema_mismatch,
                  "property " + in_quotes(change.name) + " is declared " +
                      std::string(to_string(change.declared)) + " but Notion has " + change.live +
                      "; Notion does not let the API change a title property's type");
    }
  }
  if (diff.has_destructive_changes() && !options_.allow_destructive) {
    std::string message = "destructive schema change rejected for " + in_quotes(options_.title) +
                          " (set allow_destructive to apply it); nothing was written:";
    for (const auto& change : diff.type_changes) {
      message += "\n  - property " + in_quotes(change.name) + " would change from " + change.live +
                 " to " + std::string(to_string(change.declared));
    }
    throw Error(ErrorKind::schema_mismatch, message);
  }

  const auto related = relation_data_source_ids(context);
  nlohmann::json changes = nlohmann::json::object();
  std::vector<std::string> summary;
  if (diff.title_renamed) {
    changes[diff.live_title] = {{"name", schema.title()->name}};
    summary.push_back("renamed title " + in_quotes(diff.live_title) + " to " +
                      in_quotes(schema.title()->name));
  }
  for (const auto& name : diff.missing) {
    changes[name] = schema.to_notion_property(*schema.find_by_name(name), related);
    summary.push_back("added " + in_quotes(name));
  }
  for (const auto& change : diff.type_changes) {
    changes[change.name] = schema.to_notion_property(*schema.find_by_name(change.name), related);
    summary.push_back("changed " + in_quotes(change.name) + " to " +
                      std::string(to_string(change.declared)));
  }
  for (const auto& name : diff.extra) {
    if (options_.allow_destructive) {
      changes[name] = nullptr;
      summary.push_back("removed " + in_quotes(name));
    } else {
      context.notes.push_back("property " + in_quotes(name) +
                              " is not declared; left alone (allow_destructive removes it)");
    }
  }
  // New select options are added to the live ones; options are never removed.
  for (const auto& binding : schema.properties()) {
    if ((binding.type != PropertyType::select && binding.type != PropertyType::multi_select) ||
        binding.options.empty()) {
      continue;
    }
    const auto found = live.find(binding.name);
    const std::string type_name(to_string(binding.type));
    if (found == live.end() || found->value("type", "") != type_name) continue;
    nlohmann::json options = (*found)[type_name].value("options", nlohmann::json::array());
    std::vector<std::string> added;
    for (const auto& option : binding.options) {
      const bool known = std::any_of(options.begin(), options.end(), [&](const auto& existing) {
        return existing.value("name", "") == option.name;
      });
      if (known) continue;
      nlohmann::json entry = {{"name", option.name}};
      if (!option.color.empty()) entry["color"] = option.color;
      options.push_back(entry);
      added.push_back(option.name);
    }
    if (!added.empty()) {
      changes[binding.name] = {{type_name, {{"options", options}}}};
      summary.push_back("added options " + in_quotes_list(added) + " to " +
                        in_quotes(binding.name));
    }
  }
  if (changes.empty()) return;
  std::string text;
  for (const auto& item : summary) text += (text.empty() ? "" : ", ") + item;
  if (context.dry_run) {
    context.notes.push_back("schema change to apply: " + text);
    return;
  }
  options_.client->call(endpoints::update_data_source(data_source_id_, {{"properties", changes}}));
  context.notes.push_back("schema updated: " + text);
}

}  // namespace notionsync::notion
