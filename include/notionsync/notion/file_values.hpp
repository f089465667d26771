// Values that name files: the items of a files value, a page icon and a page cover.
//
// Each is read as a URL when it starts with a scheme ("https://…"), as an emoji when it is one
// (icons only: at most 32 bytes, with no ASCII letter, digit, dot, slash or space), and otherwise
// as the path of a local file, which a Notion database target uploads once (File Upload API) and
// fingerprints by its content. A relative path is taken from the current directory;
// rebase_local_path() makes it relative to another folder, as the notionsync command does with the
// folder of its config file:
//
//   Value photo = rebase_local_path("photos/ada.png", "/srv/sync", /*icon=*/false);
//   // "/srv/sync/photos/ada.png"; "https://…" and "🚀" (as an icon) come back unchanged
#pragma once

#include <string>
#include <string_view>

namespace notionsync::notion {

enum class FileValueKind { url, emoji, local_file };

// What `value` names; `icon`: whether it is a page icon (the only place an emoji may be).
FileValueKind file_value_kind(std::string_view value, bool icon);

// `value` with a relative local path made absolute against `folder`; URLs, emoji, absolute paths
// and empty values come back unchanged.
std::string rebase_local_path(std::string_view value, std::string_view folder, bool icon);

}  // namespace notionsync::notion
