// Keeping passwords out of messages about PostgreSQL connections.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace notionsync::sources::detail {

// `url` (postgresql:// URL or key=value connection string) with its password replaced by "***".
std::string redact_connection_url(std::string_view url);
// The password of `url` as written and, for URLs, percent-decoded: what must never be shown.
std::vector<std::string> connection_secrets(std::string_view url);

}  // namespace notionsync::sources::detail
