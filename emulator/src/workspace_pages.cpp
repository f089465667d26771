// Workspace operations on pages: create, retrieve, update (trash included), property items, and
// data source queries.
#include <algorithm>

#include "ids.hpp"
#include "pagination.hpp"
#include "query_filter.hpp"
#include "request_checks.hpp"
#include "rich_text.hpp"
#include "timestamps.hpp"
#include "workspace.hpp"

namespace notion_emulator {

using nlohmann::json;

namespace {

constexpr std::size_t kPropertyItemPageSize = 25;

const std::string kArchivedMessage =
    "Can't edit block that is archived. You must unarchive the block before editing.";

}  // namespace

AttachUpload Workspace::attach_upload(std::vector<std::string>& attached) const {
  return [this, &attached](const std::string& id, const std::string& path) -> const FileUpload& {
    const FileUpload& upload = file_uploads_.attachable(id, path, now());
    attached.push_back(id);
    return upload;
  };
}

ValueContext Workspace::value_context(std::vector<std::string>& attached) {
  return ValueContext{generator_, [this](const std::string& id) { return pages_.contains(id); },
                      attach_upload(attached)};
}

void Workspace::apply_properties(Page& target, const json& properties,
                                 std::vector<std::string>& attached) {
  if (!properties.is_object())
    throw body_validation_error("body.properties", "an object", properties);
  if (target.data_source_id.empty()) {
    // A page outside a data source has one property: its title.
    for (const auto& [key, value] : properties.items()) {
      if (key != "title") throw validation_error(key + " is not a property that exists.");
      if (!value.is_object() || !value.contains("title"))
        throw validation_error("title is expected to be title.");
      target.values["title"] = normalize_rich_text(value["title"], "body.properties.title.title");
    }
    return;
  }
  DataSource& source = data_source(target.data_source_id);
  DataSource staged = source;  // select options added by values apply only if every value is valid
  json values = target.values;
  ValueContext context = value_context(attached);
  for (const auto& [key, value] : properties.items()) {
    PropertyDefinition* property = find_property(staged.properties, key);
    if (property == nullptr) throw validation_error(key + " is not a property that exists.");
    values[property->id] = store_value(*property, key, value, context);
  }
  for (const PropertyDefinition& property : staged.properties) {
    if (property.type == "relation" && values.contains(property.id)) {
      update_back_links(target.id, property, target.values.value(property.id, json()),
                        values[property.id]);
    }
  }
  target.values = std::move(values);
  source.properties = std::move(staged.properties);
}

json Workspace::query_data_source(const std::string& id, const json& body,
                                  const std::vector<std::string>& filter_properties) const {
  check_body_keys(body, {"archived", "sorts", "filter", "start_cursor", "page_size", "in_trash",
                         "result_type"});
  const DataSource& source = data_source(id);
  if (body.contains("result_type") && body["result_type"] != "page" &&
      body["result_type"] != "data_source") {
    throw body_validation_error("body.result_type", "`page` or `data_source`", body["result_type"]);
  }
  // in_trash: true (or the archived alias) also returns pages in the trash.
  const bool include_trashed =
      bool_field(body, "in_trash", false) || bool_field(body, "archived", false);
  const PagePredicate matches =
      compile_filter(body.value("filter", json(nullptr)), source, actor_, now_ms());
  const PageOrder order = compile_sorts(body.value("sorts", json(nullptr)), source);
  const std::size_t page_size = page_size_from_body(body, kMaxPageSize);
  const auto cursor = cursor_from_body(body);

  std::vector<const Page*> found;
  for (const auto& [page_id, p] : pages_) {
    if (p.data_source_id == id && (include_trashed || !p.in_trash) && matches(p))
      found.push_back(&p);
  }
  std::sort(found.begin(), found.end(),
            [&](const Page* a, const Page* b) { return order(*a, *b); });
  const bool incomplete = found.size() > query_result_limit_;
  if (incomplete) found.resize(query_result_limit_);
  std::vector<std::string> ids;
  ids.reserve(found.size());
  for (const Page* p : found) ids.push_back(p->id);
  const Window window = paginate(ids, cursor, page_size);
  json results = json::array();
  for (std::size_t i = window.begin; i < window.end; ++i) {
    results.push_back(page_object(*found[i], filter_properties));
  }
  json response = list_response(std::move(results), window, "page_or_data_source");
  if (incomplete && !window.has_more) {
    response["request_status"] = {{"type", "incomplete"},
                                  {"incomplete_reason", "query_result_limit_reached"}};
  }
  return response;
}

json Workspace::create_page(const json& body, const std::vector<std::string>& filter_properties) {
  check_body_keys(body, {"parent", "properties", "icon", "cover", "content", "children", "markdown",
                         "allow_async", "template", "position"});
  if (!body.contains("parent")) throw missing_field_error("body.parent");
  const json& parent = body["parent"];
  if (!parent.is_object()) throw body_validation_error("body.parent", "an object", parent);
  Page created;
  if (parent.contains("data_source_id")) {
    created.data_source_id = data_source(id_field(parent, "data_source_id", "body.parent")).id;
  } else if (parent.contains("database_id")) {
    const Database& db = database(id_field(parent, "database_id", "body.parent"));
    if (db.data_source_ids.size() != 1) {
      throw validation_error("Database " + db.id +
                             " has several data sources: give parent.data_source_id.");
    }
    created.data_source_id = db.data_source_ids.front();
  } else if (parent.contains("page_id")) {
    const std::string parent_id = id_field(parent, "page_id", "body.parent");
    if (page(parent_id).in_trash) throw validation_error(kArchivedMessage);
    created.parent = {{"type", "page_id"}, {"page_id", parent_id}};
  } else if (parent.contains("workspace")) {
    throw validation_error(
        "Internal integrations cannot create pages at workspace level: give a page_id parent.");
  } else {
    throw missing_field_error("body.parent.data_source_id");
  }
  if (!created.data_source_id.empty()) {
    const DataSource& source = data_source(created.data_source_id);
    if (source.in_trash || database(source.database_id).in_trash)
      throw validation_error(kArchivedMessage);
  }
  if (body.contains("children")) {
    const json& children = body["children"];
    if (!children.is_array()) throw body_validation_error("body.children", "an array", children);
    if (children.size() > 100) throw length_error("body.children", 100, children.size());
  }
  // "The markdown parameter is mutually exclusive with children and content" (guide "Working
  // with markdown content").
  if (body.contains("markdown")) {
    for (const char* other : {"children", "content"}) {
      if (body.contains(other)) {
        throw validation_error(std::string("body failed validation: body.markdown cannot be "
                                           "combined with body.") +
                               other + ".");
      }
    }
    if (!body["markdown"].is_string()) {
      throw body_validation_error("body.markdown", "a string", body["markdown"]);
    }
    if (bool_field(body, "allow_async", false)) {
      // Async tasks are not emulated; refused rather than answered as if synchronous.
      throw validation_error("allow_async is not supported by the emulator.");
    }
  }
  std::vector<std::string> attached;  // file uploads, marked attached once the page is written
  created.icon = icon_from(body.value("icon", json(nullptr)), "body.icon", attach_upload(attached));
  created.cover =
      cover_from(body.value("cover", json(nullptr)), "body.cover", attach_upload(attached));
  created.id = new_uuid(generator_);  // before the properties: back-links name it
  apply_properties(created, body.value("properties", json::object()), attached);
  created.created_ms = created.last_edited_ms = next_time();
  created.created_by = created.last_edited_by = actor_;
  created.sequence = ++sequence_;
  if (!created.data_source_id.empty()) {
    DataSource& source = data_source(created.data_source_id);
    for (const PropertyDefinition& property : source.properties) {
      if (property.type == "unique_id")
        created.values[property.id] = ++source.unique_id_counters[property.id];
    }
  }
  if (body.contains("markdown")) {
    std::vector<BodyBlock> blocks = parse_page_body(created, body["markdown"].get<std::string>());
    // Without a title among the properties, a leading "# heading" becomes the title (guide
    // "Working with markdown content").
    const auto title = created.values.find("title");
    const bool untitled = title == created.values.end() || plain_text(*title).empty();
    if (untitled && !blocks.empty() && blocks.front().text.rfind("# ", 0) == 0) {
      created.values["title"] = json::array({text_item(blocks.front().text.substr(2))});
      blocks.erase(blocks.begin());
    }
    created.body = std::move(blocks);
  }
  const std::string id = created.id;
  if (created.data_source_id.empty()) append_child(created.parent.value("page_id", ""), id);
  pages_[id] = std::move(created);
  file_uploads_.attach(attached, now());
  return page_object(pages_.at(id), filter_properties);
}

json Workspace::retrieve_page(const std::string& id,
                              const std::vector<std::string>& filter_properties) const {
  return page_object(page(id), filter_properties);
}

json Workspace::update_page(const std::string& id, const json& body,
                            const std::vector<std::string>& filter_properties) {
  check_body_keys(body, {"archived", "properties", "icon", "cover", "is_locked", "template",
                         "erase_content", "in_trash", "is_archived"});
  Page& target = page(id);
  if (body.contains("in_trash") && body.contains("archived") &&
      body["in_trash"] != body["archived"]) {
    throw validation_error("body failed validation: body.in_trash and body.archived disagree.");
  }
  // archived is the deprecated alias of in_trash in 2025-09-03.
  const bool in_trash = bool_field(body, "in_trash", bool_field(body, "archived", target.in_trash));
  const bool edits_content = body.contains("properties") || body.contains("icon") ||
                             body.contains("cover") || body.contains("is_locked") ||
                             body.contains("erase_content") || body.contains("template");
  if (target.in_trash && in_trash && edits_content) throw validation_error(kArchivedMessage);
  Page updated = target;
  updated.in_trash = in_trash;
  std::vector<std::string> attached;  // file uploads, marked attached once the page is written
  if (body.contains("icon")) {
    updated.icon = icon_from(body["icon"], "body.icon", attach_upload(attached));
  }
  if (body.contains("cover")) {
    updated.cover = cover_from(body["cover"], "body.cover", attach_upload(attached));
  }
  updated.is_locked = bool_field(body, "is_locked", target.is_locked);
  if (body.contains("properties")) apply_properties(updated, body["properties"], attached);
  touch(updated);
  target = std::move(updated);
  file_uploads_.attach(attached, now());
  return page_object(target, filter_properties);
}

json Workspace::retrieve_page_property(const std::string& page_id, const std::string& property_id,
                                       const Paging& paging) const {
  const Page& p = page(page_id);
  PropertyDefinition title_only{"title", "title", "title"};
  const PropertyDefinition* property = &title_only;
  if (!p.data_source_id.empty()) {
    property = find_property(data_source(p.data_source_id).properties, property_id);
  } else if (percent_decode(property_id) != "title") {
    property = nullptr;
  }
  if (property == nullptr) throw validation_error(property_id + " is not a property that exists.");
  const std::string& type = property->type;
  RenderContext render = render_context();
  render.max_references = static_cast<std::size_t>(-1);
  const json value = render_value(*property, p, render);
  const bool paginated =
      type == "title" || type == "rich_text" || type == "relation" || type == "people";
  if (!paginated) {
    return {{"object", "property_item"}, {"id", property->id}, {"type", type}, {type, value}};
  }
  const std::size_t page_size = page_size_from_query(paging.page_size, kPropertyItemPageSize);
  std::size_t begin = 0;
  if (paging.start_cursor) {
    const std::string& cursor = *paging.start_cursor;
    const bool digits =
        !cursor.empty() && cursor.size() < 10 &&
        std::all_of(cursor.begin(), cursor.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || std::stoul(cursor) >= value.size()) {
      throw validation_error("The start_cursor provided is invalid: " + cursor);
    }
    begin = std::stoul(cursor);
  }
  const std::size_t end = std::min(value.size(), begin + page_size);
  json results = json::array();
  for (std::size_t i = begin; i < end; ++i) {
    results.push_back(
        {{"object", "property_item"}, {"id", property->id}, {"type", type}, {type, value[i]}});
  }
  const bool has_more = end < value.size();
  const json next_cursor = has_more ? json(std::to_string(end)) : json(nullptr);
  return {{"object", "list"},
          {"results", results},
          {"next_cursor", next_cursor},
          {"has_more", has_more},
          {"type", "property_item"},
          {"property_item",
           {{"id", property->id},
            {"next_url", has_more ? json("/v1/pages/" + p.id + "/properties/" + property->id +
                                         "?start_cursor=" + next_cursor.get<std::string>())
                                  : json(nullptr)},
            {"type", type},
            {type, json::object()}}}};
}

}  // namespace notion_emulator
