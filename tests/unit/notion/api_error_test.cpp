#include "notionsync/notion/api_error.hpp"

#include <gtest/gtest.h>

namespace notionsync::notion {
namespace {

TEST(ApiErrorTest, MapsStatusesToKinds) {
  EXPECT_EQ(error_kind_for_status(400), NotionErrorKind::validation);
  EXPECT_EQ(error_kind_for_status(401), NotionErrorKind::unauthorized);
  EXPECT_EQ(error_kind_for_status(403), NotionErrorKind::restricted);
  EXPECT_EQ(error_kind_for_status(404), NotionErrorKind::not_found);
  EXPECT_EQ(error_kind_for_status(409), NotionErrorKind::conflict);
  EXPECT_EQ(error_kind_for_status(413), NotionErrorKind::validation);
  EXPECT_EQ(error_kind_for_status(429), NotionErrorKind::rate_limited);
  EXPECT_EQ(error_kind_for_status(529), NotionErrorKind::rate_limited);
  EXPECT_EQ(error_kind_for_status(500), NotionErrorKind::server);
  EXPECT_EQ(error_kind_for_status(504), NotionErrorKind::server);
}

TEST(ApiErrorTest, MessageCarriesEverythingTheCallerNeeds) {
  const ApiError error({.kind = NotionErrorKind::validation,
                        .status = 400,
                        .code = "validation_error",
                        .message = "Tags is expected to be select.",
                        .request_id = "req-1",
                        .method = "PATCH",
                        .path = "/v1/pages/abc",
                        .attempts = 1});
  EXPECT_EQ(error.kind(), ErrorKind::remote);
  EXPECT_EQ(std::string(error.what()),
            "Notion API PATCH /v1/pages/abc: 400 validation_error: Tags is expected to be select. "
            "[request_id req-1]");
}

TEST(ApiErrorTest, NotFoundSaysToShareWithTheIntegration) {
  const ApiError error({.kind = NotionErrorKind::not_found,
                        .status = 404,
                        .code = "object_not_found",
                        .message = "Could not find database.",
                        .request_id = "",
                        .method = "GET",
                        .path = "/v1/data_sources/x",
                        .attempts = 1});
  EXPECT_NE(std::string(error.what()).find("Connections"), std::string::npos);
}

TEST(ApiErrorTest, OutcomeUnknownSaysSo) {
  const ApiError error({.kind = NotionErrorKind::outcome_unknown,
                        .status = 502,
                        .code = "bad_gateway",
                        .message = "Bad Gateway",
                        .request_id = "",
                        .method = "POST",
                        .path = "/v1/pages",
                        .attempts = 1});
  EXPECT_NE(std::string(error.what()).find("outcome unknown"), std::string::npos);
}

TEST(ApiErrorTest, RedactsEverySecretOccurrence) {
  EXPECT_EQ(redact("a ntn_123 b ntn_123", "ntn_123"), "a [redacted] b [redacted]");
  EXPECT_EQ(redact("nothing here", "ntn_123"), "nothing here");
  EXPECT_EQ(redact("text", ""), "text");
}

}  // namespace
}  // namespace notionsync::notion
