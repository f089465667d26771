// The read-only HTML page the emulator serves at `/`: each database with each data source as a
// table, trashed pages in a section of their own.
#pragma once

#include <string>
#include <string_view>

#include "workspace_view.hpp"

namespace notion_emulator {

// `text` with &, <, >, " and ' replaced by character references, safe in element content and in
// quoted attribute values.
std::string escape_html(std::string_view text);

// A complete HTML document for `view`. Every text from the workspace is escaped.
std::string render_html(const WorkspaceView& view);

}  // namespace notion_emulator
