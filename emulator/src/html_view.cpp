// The HTML view at `/`: plain server-side HTML, no script, so any browser (or curl) shows it.
#include "html_view.hpp"

namespace notion_emulator {
namespace {

constexpr std::string_view kStyle = R"(
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #37352f; }
h1 { font-size: 1.5em; } h2 { font-size: 1.25em; margin-top: 2em; } h3 { font-size: 1.05em; }
h4 { font-size: 0.95em; color: #787774; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { border: 1px solid #e9e9e7; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f7f6f3; font-weight: 600; }
.trash table { color: #787774; }
.note, .empty, .id { color: #787774; }
.id { font: 12px monospace; }
)";

void append_table(std::string& html, std::string_view css_class,
                  const std::vector<std::string>& columns, const std::vector<ViewRow>& rows) {
  html += "<table class=\"";
  html += css_class;
  html += "\">\n<thead><tr>";
  for (const std::string& column : columns) html += "<th>" + escape_html(column) + "</th>";
  html += "</tr></thead>\n<tbody>\n";
  for (const ViewRow& row : rows) {
    html += "<tr data-page-id=\"" + escape_html(row.page_id) + "\">";
    for (const std::string& cell : row.cells) html += "<td>" + escape_html(cell) + "</td>";
    html += "</tr>\n";
  }
  html += "</tbody>\n</table>\n";
}

void append_data_source(std::string& html, const ViewDataSource& source) {
  const std::string id = escape_html(source.id);
  html += "<section class=\"data-source\" id=\"data-source-" + id + "\">\n<h3>" +
          escape_html(source.title.empty() ? "Untitled" : source.title) +
          (source.in_trash ? " (in the trash)" : "") + " <span class=\"id\">" + id +
          "</span></h3>\n";
  if (source.rows.empty()) {
    html += "<p class=\"empty\">No pages.</p>\n";
  } else {
    append_table(html, "pages", source.columns, source.rows);
  }
  html += "<section class=\"trash\">\n<h4>In the trash (" +
          std::to_string(source.trashed_rows.size()) + ")</h4>\n";
  if (!source.trashed_rows.empty()) {
    append_table(html, "trashed-pages", source.columns, source.trashed_rows);
  }
  html += "</section>\n</section>\n";
}

}  // namespace

std::string escape_html(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&#39;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

std::string render_html(const WorkspaceView& view) {
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      // An empty icon, so the browser does not ask for /favicon.ico.
      "<title>Notion API emulator</title>\n<link rel=\"icon\" href=\"data:,\">\n<style>";
  html += kStyle;
  html +=
      "</style>\n</head>\n<body>\n<h1>Notion API emulator: workspace</h1>\n"
      "<p class=\"note\">Read-only. Reload to see the latest changes.</p>\n";
  if (view.databases.empty()) html += "<p class=\"empty\">No databases yet.</p>\n";
  for (const ViewDatabase& database : view.databases) {
    const std::string id = escape_html(database.id);
    html += "<section class=\"database\" id=\"database-" + id + "\">\n<h2>" +
            escape_html(database.title.empty() ? "Untitled" : database.title) +
            (database.in_trash ? " (in the trash)" : "") + " <span class=\"id\">" + id +
            "</span></h2>\n";
    for (const ViewDataSource& source : database.data_sources) append_data_source(html, source);
    html += "</section>\n";
  }
  html += "</body>\n</html>\n";
  return html;
}

}  // namespace notion_emulator
