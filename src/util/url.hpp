// Percent encoding and URL building through libcurl's own URL API (curl_easy_escape,
// curl_easy_unescape, curl_url), so every URL notionsync makes follows libcurl's reading of it.
#pragma once

#include <string>
#include <string_view>

namespace notionsync::util {

// `text` with every byte other than A-Z a-z 0-9 - . _ ~ written as %XX (upper-case hex).
std::string percent_encode(std::string_view text);

// `text` with every %XX (two hex digits) replaced by its byte; a '%' not followed by two hex
// digits stays as written. Never fails.
std::string percent_decode(std::string_view text);

// `url` as libcurl reads it, without its query or fragment, then "?" and `query` as written
// (already encoded, without the '?'; empty: no query). Throws std::invalid_argument when libcurl
// cannot parse `url`.
std::string url_with_query(std::string_view url, std::string_view query);

}  // namespace notionsync::util
