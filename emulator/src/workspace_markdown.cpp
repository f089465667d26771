// Workspace operations on page content as Markdown: GET and PATCH /v1/pages/{id}/markdown
// (developers.notion.com/reference/retrieve-page-markdown and update-page-markdown; the guide
// "Working with markdown content").
#include <algorithm>
#include <set>

#include "ids.hpp"
#include "request_checks.hpp"
#include "rich_text.hpp"
#include "workspace.hpp"

namespace notion_emulator {

using nlohmann::json;

namespace {

const std::string kArchivedMessage =
    "Can't edit block that is archived. You must unarchive the block before editing.";
constexpr std::size_t kMaxContentUpdates = 100;  // update_content.content_updates: maxItems 100

const std::string& string_member(const json& object, const char* key, const std::string& path) {
  if (!object.is_object() || !object.contains(key)) throw missing_field_error(path + "." + key);
  if (!object[key].is_string())
    throw body_validation_error(path + "." + key, "a string", object[key]);
  return object[key].get_ref<const std::string&>();
}

std::size_t count_occurrences(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

// An "ellipsis selection" ("start text...end text", or one piece of text): the range of
// `markdown` it names. Throws validation_error when it names nothing.
std::pair<std::size_t, std::size_t> find_selection(const std::string& markdown,
                                                   const std::string& selection,
                                                   const std::string& path) {
  const std::size_t dots = selection.find("...");
  const std::string start = dots == std::string::npos ? selection : selection.substr(0, dots);
  const std::string end = dots == std::string::npos ? "" : selection.substr(dots + 3);
  const std::size_t begin = start.empty() ? std::string::npos : markdown.find(start);
  if (begin == std::string::npos) {
    throw validation_error("body failed validation: " + path +
                           " does not match the page's content.");
  }
  std::size_t finish = begin + start.size();
  if (!end.empty()) {
    const std::size_t found = markdown.find(end, finish);
    if (found == std::string::npos) {
      throw validation_error("body failed validation: " + path +
                             " does not match the page's content.");
    }
    finish = found + end.size();
  }
  return {begin, finish};
}

}  // namespace

std::string Workspace::child_tag(const std::string& child_id) const {
  if (const auto database = databases_.find(child_id); database != databases_.end()) {
    if (database->second.in_trash) return "";
    return "<database url=\"" + page_url("", child_id) + "\">" +
           plain_text(database->second.title) + "</database>";
  }
  const auto child = pages_.find(child_id);
  if (child == pages_.end() || child->second.in_trash) return "";
  const std::string title = page_title(child->second);
  return "<page url=\"" + page_url(title, child_id) + "\">" + title + "</page>";
}

json Workspace::page_markdown_object(const Page& page) const {
  return {
      {"object", "page_markdown"},
      {"id", page.id},
      {"markdown", render_body(page.body, [this](const std::string& id) { return child_tag(id); })},
      {"truncated", false},
      {"unknown_block_ids", json::array()}};
}

std::vector<BodyBlock> Workspace::parse_page_body(const Page& page,
                                                  std::string_view markdown) const {
  if (const std::size_t blocks = count_body_blocks(markdown); blocks > kMaxBodyBlocks) {
    throw validation_error("body failed validation: the content has " + std::to_string(blocks) +
                           " blocks; a request may hold at most " + std::to_string(kMaxBodyBlocks) +
                           ".");
  }
  // A tag names a child when its URL ends in the id of one of this page's live children.
  return parse_body(markdown, [&](std::string_view url) -> std::string {
    const std::string text(url);
    if (text.size() < 32) return "";
    const auto id = normalize_id(text.substr(text.size() - 32));
    if (!id) return "";
    if (const auto database = databases_.find(*id);
        database != databases_.end() && !database->second.in_trash &&
        database->second.parent.value("page_id", "") == page.id) {
      return *id;
    }
    if (const auto child = pages_.find(*id); child != pages_.end() && !child->second.in_trash &&
                                             child->second.data_source_id.empty() &&
                                             child->second.parent.value("page_id", "") == page.id) {
      return *id;
    }
    return "";
  });
}

void Workspace::replace_page_body(Page& page, std::vector<BodyBlock> blocks, bool allow_deleting) {
  std::set<std::string> kept;
  for (const BodyBlock& block : blocks) {
    if (!block.child_id.empty()) kept.insert(block.child_id);
  }
  std::vector<std::string> dropped;
  std::string listed;
  for (const BodyBlock& block : page.body) {
    if (block.child_id.empty() || kept.contains(block.child_id) ||
        child_tag(block.child_id).empty()) {
      continue;
    }
    dropped.push_back(block.child_id);
    const bool database = databases_.contains(block.child_id);
    const std::string title = database ? plain_text(databases_.at(block.child_id).title)
                                       : page_title(pages_.at(block.child_id));
    listed += std::string("\n- ") + (database ? "database" : "page") + ": \"" + title +
              "\" (id: " + block.child_id + ")";
  }
  // Notion refuses to delete child pages and databases unless asked to (update-page-markdown:
  // "a validation_error is returned listing the affected items").
  if (!dropped.empty() && !allow_deleting) {
    throw validation_error(
        "This operation would delete " + std::to_string(dropped.size()) +
        " child page(s) or database(s):" + listed +
        "\nTo proceed, either: 1. Include these items in the new content using <page url=\"...\"> "
        "or <database url=\"...\"> tags, OR 2. Set allow_deleting_content: true to confirm "
        "deletion.");
  }
  for (const std::string& id : dropped) {
    if (const auto database = databases_.find(id); database != databases_.end()) {
      database->second.in_trash = true;
      database->second.last_edited_ms = next_time();
    } else {
      Page& child = pages_.at(id);
      child.in_trash = true;
      touch(child);
    }
  }
  page.body = std::move(blocks);
}

void Workspace::append_child(const std::string& parent_page_id, const std::string& child_id) {
  const auto parent = pages_.find(parent_page_id);
  if (parent != pages_.end()) parent->second.body.push_back({"", child_id});
}

json Workspace::retrieve_page_markdown(const std::string& id) const {
  if (databases_.contains(id)) {
    throw validation_error("Provided ID " + id + " is a database, not a page.");
  }
  return page_markdown_object(page(id));
}

json Workspace::update_page_markdown(const std::string& id, const json& body) {
  check_body_keys(body, {"type", "insert_content", "replace_content_range", "update_content",
                         "replace_content", "allow_async"});
  if (databases_.contains(id)) {
    throw validation_error("Provided ID " + id + " is a database, not a page.");
  }
  if (bool_field(body, "allow_async", false)) {
    // Async tasks (GET /v1/async_tasks/{id}) are not emulated: refused rather than answered
    // synchronously, so a client never takes a 200 for what Notion would answer 202.
    throw validation_error("allow_async is not supported by the emulator.");
  }
  Page& target = page(id);
  if (target.in_trash) throw validation_error(kArchivedMessage);
  if (!body.contains("type")) throw missing_field_error("body.type");
  const json& type = body["type"];
  static const std::set<std::string> kinds = {"insert_content", "replace_content_range",
                                              "update_content", "replace_content"};
  if (!type.is_string() || !kinds.contains(type.get<std::string>())) {
    throw body_validation_error(
        "body.type",
        "`insert_content`, `replace_content_range`, `update_content` or `replace_content`", type);
  }
  const std::string kind = type.get<std::string>();
  for (const std::string& other : kinds) {
    if (other != kind && body.contains(other)) {
      throw validation_error("body failed validation: body." + other +
                             " should be not present, instead was `" + body[other].dump() + "`.");
    }
  }
  if (!body.contains(kind)) throw missing_field_error("body." + kind);
  const json& command = body[kind];
  const std::string path = "body." + kind;
  if (!command.is_object()) throw body_validation_error(path, "an object", command);
  const bool allow_deleting = bool_field(command, "allow_deleting_content", false);
  std::string markdown = page_markdown_object(target)["markdown"];

  if (kind == "replace_content") {
    check_body_keys(command, {"new_str", "allow_deleting_content"});
    markdown = string_member(command, "new_str", path);
  } else if (kind == "update_content") {
    check_body_keys(command, {"content_updates", "allow_deleting_content"});
    if (!command.contains("content_updates")) throw missing_field_error(path + ".content_updates");
    const json& updates = command["content_updates"];
    if (!updates.is_array())
      throw body_validation_error(path + ".content_updates", "an array", updates);
    if (updates.size() > kMaxContentUpdates) {
      throw length_error(path + ".content_updates", kMaxContentUpdates, updates.size());
    }
    for (std::size_t i = 0; i < updates.size(); ++i) {
      const std::string item = path + ".content_updates[" + std::to_string(i) + "]";
      check_body_keys(updates[i], {"old_str", "new_str", "replace_all_matches"});
      const std::string& old_str = string_member(updates[i], "old_str", item);
      const std::string& new_str = string_member(updates[i], "new_str", item);
      const bool all = bool_field(updates[i], "replace_all_matches", false);
      const std::size_t matches = old_str.empty() ? 0 : count_occurrences(markdown, old_str);
      if (matches == 0) {
        throw validation_error("body failed validation: " + item +
                               ".old_str does not match the page's content.");
      }
      if (matches > 1 && !all) {
        throw validation_error("body failed validation: " + item + ".old_str matches " +
                               std::to_string(matches) +
                               " locations; set replace_all_matches to replace them all.");
      }
      for (std::size_t at = markdown.find(old_str); at != std::string::npos;
           at = all ? markdown.find(old_str, at + new_str.size()) : std::string::npos) {
        markdown.replace(at, old_str.size(), new_str);
      }
    }
  } else if (kind == "insert_content") {
    check_body_keys(command, {"content", "after", "position"});
    const std::string& content = string_member(command, "content", path);
    if (command.contains("after") && command.contains("position")) {
      throw validation_error("body failed validation: " + path + ".after cannot be combined with " +
                             path + ".position.");
    }
    if (command.contains("after")) {
      const auto [begin, end] =
          find_selection(markdown, string_member(command, "after", path), path + ".after");
      (void)begin;
      markdown.insert(end, "\n" + content);
    } else {
      const json position = command.value("position", json{{"type", "end"}});
      const json at = position.is_object() ? position.value("type", json()) : json();
      if (at != "start" && at != "end") {
        throw body_validation_error(path + ".position.type", "`start` or `end`", at);
      }
      markdown = at == "start" ? content + "\n" + markdown : markdown + "\n" + content;
    }
  } else {  // replace_content_range, deprecated
    check_body_keys(command, {"content", "content_range", "allow_deleting_content"});
    const std::string& content = string_member(command, "content", path);
    const auto [begin, end] = find_selection(
        markdown, string_member(command, "content_range", path), path + ".content_range");
    markdown.replace(begin, end - begin, content);
  }
  replace_page_body(target, parse_page_body(target, markdown), allow_deleting);
  touch(target);
  return page_markdown_object(target);
}

}  // namespace notion_emulator
