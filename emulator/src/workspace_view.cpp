// Workspace::view: the snapshot the HTML view renders, with every value turned into text.
#include "workspace_view.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "rich_text.hpp"
#include "workspace.hpp"

namespace notion_emulator {

using nlohmann::json;

namespace {

std::string number_text(const json& number) {
  if (number.is_number_float()) {
    const double value = number.get<double>();
    // A number written as 86 may come back as 86.0; people read it as 86.
    if (std::trunc(value) == value && std::fabs(value) < 1e15) {
      return std::to_string(static_cast<long long>(value));
    }
  }
  return number.dump();
}

std::string joined(const json& items, const std::function<std::string(const json&)>& text_of) {
  std::string text;
  for (const json& item : items) {
    if (!text.empty()) text += ", ";
    text += text_of(item);
  }
  return text;
}

std::string user_text(const json& user) {
  if (user.contains("name") && user["name"].is_string()) return user["name"];
  return user.value("id", "");
}

}  // namespace

std::string value_text(const std::string& type, const json& value,
                       const std::function<std::string(const std::string& page_id)>& title_of) {
  if (value.is_null()) return "";
  if (type == "title" || type == "rich_text") return plain_text(value);
  if (type == "number") return number_text(value);
  if (type == "checkbox") return value.get<bool>() ? "Yes" : "No";
  if (type == "select" || type == "status") return value.value("name", "");
  if (type == "multi_select") {
    return joined(value, [](const json& option) { return option.value("name", ""); });
  }
  if (type == "date") {
    std::string text = value.value("start", "");
    if (value.contains("end") && value["end"].is_string())
      text += " → " + value["end"].get<std::string>();
    return text;
  }
  if (type == "relation") {
    return joined(value,
                  [&](const json& reference) { return title_of(reference.value("id", "")); });
  }
  if (type == "people") return joined(value, user_text);
  if (type == "created_by" || type == "last_edited_by") return user_text(value);
  if (type == "files") {
    return joined(value, [](const json& file) { return file.value("name", ""); });
  }
  if (type == "unique_id") {
    if (value["number"].is_null()) return "";
    const std::string number = value["number"].dump();
    return value["prefix"].is_string() ? value["prefix"].get<std::string>() + "-" + number : number;
  }
  if (type == "formula" || type == "rollup") {
    // {"type": "number", "number": 3}: the result's own type says how to read it.
    const std::string result_type = value.value("type", "");
    if (result_type == "array")
      return joined(value["array"], [](const json& item) { return item.dump(); });
    if (result_type == "string") return value["string"].is_string() ? value["string"] : "";
    if (result_type == "boolean")
      return value["boolean"].is_boolean() ? (value["boolean"].get<bool>() ? "Yes" : "No") : "";
    return value_text(result_type, value.value(result_type, json(nullptr)), title_of);
  }
  if (value.is_string()) return value;  // url, email, phone_number, created_time, ...
  return value.dump();
}

WorkspaceView Workspace::view() const {
  const auto title_of = [this](const std::string& page_id) {
    const auto found = pages_.find(page_id);
    return found == pages_.end() ? page_id : page_title(found->second);
  };
  // Rows list every related page, not the 25 a page object shows.
  RenderContext render = render_context();
  render.max_references = std::numeric_limits<std::size_t>::max();

  std::vector<const Page*> pages_in_order;
  for (const auto& [id, page] : pages_) {
    if (!page.data_source_id.empty()) pages_in_order.push_back(&page);
  }
  std::sort(pages_in_order.begin(), pages_in_order.end(),
            [](const Page* a, const Page* b) { return a->sequence < b->sequence; });
  std::vector<const Database*> databases_in_order;
  for (const auto& [id, database] : databases_) databases_in_order.push_back(&database);
  std::sort(databases_in_order.begin(), databases_in_order.end(),
            [](const Database* a, const Database* b) { return a->sequence < b->sequence; });

  WorkspaceView view;
  for (const Database* database : databases_in_order) {
    ViewDatabase shown{database->id, plain_text(database->title), database->in_trash, {}};
    for (const std::string& data_source_id : database->data_source_ids) {
      const auto found = data_sources_.find(data_source_id);
      if (found == data_sources_.end()) continue;
      const DataSource& source = found->second;
      ViewDataSource table{source.id, plain_text(source.title), source.in_trash, {}, {}, {}};
      std::vector<const PropertyDefinition*> columns;
      for (const PropertyDefinition& property : source.properties) {
        if (property.type == "title")
          columns.insert(columns.begin(), &property);
        else
          columns.push_back(&property);
      }
      for (const PropertyDefinition* property : columns) table.columns.push_back(property->name);
      for (const Page* page : pages_in_order) {
        if (page->data_source_id != source.id) continue;
        ViewRow row{page->id, {}};
        for (const PropertyDefinition* property : columns) {
          row.cells.push_back(
              value_text(property->type, render_value(*property, *page, render), title_of));
        }
        (page->in_trash ? table.trashed_rows : table.rows).push_back(std::move(row));
      }
      shown.data_sources.push_back(std::move(table));
    }
    view.databases.push_back(std::move(shown));
  }
  return view;
}

}  // namespace notion_emulator
