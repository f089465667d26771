#include "util/url.hpp"

#include <curl/curl.h>

#include <climits>
#include <memory>
#include <new>
#include <stdexcept>

namespace notionsync::util {
namespace {

struct CurlFree {
  void operator()(char* text) const { curl_free(text); }
};
using CurlString = std::unique_ptr<char, CurlFree>;

struct CurlUrlCleanup {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};

int curl_length(std::string_view text) {
  if (text.size() > static_cast<std::size_t>(INT_MAX)) {
    throw std::length_error("text too long for libcurl's percent encoding");
  }
  return static_cast<int>(text.size());
}

}  // namespace

std::string percent_encode(std::string_view text) {
  if (text.empty()) return {};
  // The handle argument is unused by libcurl (7.82 and later) and was only used for character
  // set conversion before.
  const CurlString encoded(curl_easy_escape(nullptr, text.data(), curl_length(text)));
  if (!encoded) throw std::bad_alloc();
  return encoded.get();
}

std::string percent_decode(std::string_view text) {
  if (text.empty()) return {};
  int length = 0;
  const CurlString decoded(curl_easy_unescape(nullptr, text.data(), curl_length(text), &length));
  if (!decoded) throw std::bad_alloc();
  return std::string(decoded.get(), static_cast<std::size_t>(length));
}

std::string url_with_query(std::string_view url, std::string_view query) {
  const std::unique_ptr<CURLU, CurlUrlCleanup> handle(curl_url());
  if (!handle) throw std::bad_alloc();
  const std::string url_text(url);
  if (const CURLUcode code = curl_url_set(handle.get(), CURLUPART_URL, url_text.c_str(), 0);
      code != CURLUE_OK) {
    throw std::invalid_argument(std::string("libcurl cannot read the URL: ") +
                                curl_url_strerror(code));
  }
  // The query is appended as written: libcurl would rewrite its %XX in lower case.
  curl_url_set(handle.get(), CURLUPART_QUERY, nullptr, 0);
  curl_url_set(handle.get(), CURLUPART_FRAGMENT, nullptr, 0);
  char* without_query = nullptr;
  if (const CURLUcode code = curl_url_get(handle.get(), CURLUPART_URL, &without_query, 0);
      code != CURLUE_OK) {
    throw std::invalid_argument(std::string("libcurl cannot write the URL: ") +
                                curl_url_strerror(code));
  }
  const CurlString owned(without_query);
  std::string result = owned.get();
  if (!query.empty()) {
    result += '?';
    result += query;
  }
  return result;
}

}  // namespace notionsync::util
