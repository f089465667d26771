#include "notion/http_attempt.hpp"

#include <gtest/gtest.h>

#include "notionsync/notion/client.hpp"

namespace notionsync::notion {
namespace {

TEST(HttpAttemptTest, BuildsUrlWithRepeatedQueryParameters) {
  Request request{.method = Method::post,
                  .path = "/v1/data_sources/ds/query",
                  .query = {{"filter_properties", "title"}, {"filter_properties", "U%3AC%3C"}},
                  .body = std::nullopt,
                  .idempotent = true};
  // The already-encoded id is decoded first, so it is not encoded twice (notion-sdk-js#402).
  EXPECT_EQ(detail::build_url("http://127.0.0.1:8080", request),
            "http://127.0.0.1:8080/v1/data_sources/ds/query"
            "?filter_properties=title&filter_properties=U%3AC%3C");
}

TEST(HttpAttemptTest, EncodesReservedCharacters) {
  Request request;
  request.path = "/v1/x";
  request.query = {{"start_cursor", "a b/c"}};
  EXPECT_EQ(detail::build_url("https://api.notion.com", request),
            "https://api.notion.com/v1/x?start_cursor=a%20b%2Fc");
}

TEST(HttpAttemptTest, BaseUrlLosesTrailingSlashes) {
  EXPECT_EQ(resolve_base_url("http://127.0.0.1:1234/"), "http://127.0.0.1:1234");
  EXPECT_EQ(resolve_base_url("https://api.notion.com"), "https://api.notion.com");
}

}  // namespace
}  // namespace notionsync::notion
