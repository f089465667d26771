// A snapshot of the workspace as the HTML view shows it: databases, their data sources as tables of
// text cells, live and trashed pages apart. A plain value, so rendering it is a pure function
// (html_view.hpp) that can be tested without a server.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace notion_emulator {

struct ViewRow {
  std::string page_id;
  std::vector<std::string> cells;  // one per column of its table
};

struct ViewDataSource {
  std::string id;
  std::string title;
  bool in_trash = false;
  std::vector<std::string> columns;   // property names, the title property first
  std::vector<ViewRow> rows;          // live pages, in creation order
  std::vector<ViewRow> trashed_rows;  // pages in the trash, in creation order
};

struct ViewDatabase {
  std::string id;
  std::string title;
  bool in_trash = false;
  std::vector<ViewDataSource> data_sources;
};

struct WorkspaceView {
  std::vector<ViewDatabase> databases;  // in creation order
};

// The text a person reads for a bare property value (what sits under the type key of a page
// property), e.g. a multi_select as "a, b" and a checkbox as "Yes"/"No"; empty values read as "".
// `title_of` names a related page for relation values.
std::string value_text(const std::string& type, const nlohmann::json& value,
                       const std::function<std::string(const std::string& page_id)>& title_of);

}  // namespace notion_emulator
