// Fault runs against the emulator: rate limiting, server errors, dropped connections, stalls.
#include <gtest/gtest.h>

#include <chrono>

#include "notion/emulator_fixture.hpp"
#include "notionsync/notion/property_schema.hpp"
#include "notionsync/notion/property_value_codec.hpp"

namespace notionsync::notion {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::EmulatorTest;

class EmulatorFaultsTest : public EmulatorTest {
 protected:
  void SetUp() override {
    EmulatorTest::SetUp();
    PropertySchema title;
    title.type = PropertyType::title;
    PropertySchema number;
    number.type = PropertyType::number;
    data_source_id_ = create_data_source(
        {{"Name", encode_property_schema(title)}, {"Qty", encode_property_schema(number)}});
  }

  Request create_row(const std::string& name) {
    return endpoints::create_page(
        data_source_id_, {{"Name", encode_property_value(PropertyType::title, Value(name))}});
  }

  std::size_t responses_with_status(int status) {
    std::size_t n = 0;
    for (const auto& request : server_->requests()) n += request.status == status ? 1 : 0;
    return n;
  }

  ApiError error_of(std::future<json> future) {
    try {
      future.get();
    } catch (const ApiError& e) {
      return e;
    }
    ADD_FAILURE() << "the call succeeded";
    return ApiError(ApiErrorInfo{});
  }

  std::string data_source_id_;
};

TEST_F(EmulatorFaultsTest, RateLimitStormHonoursRetryAfter) {
  // The next four requests are answered 429 with Retry-After: 1. Every call still succeeds, and
  // the client pauses all requests, so the storm costs at least the one second Notion asked for.
  client();
  server_->reset_requests();
  server_->set_faults("429(1)#4", 1);
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::future<json>> calls;
  for (int i = 0; i < 6; ++i) calls.push_back(client().submit(create_row("r" + std::to_string(i))));
  for (auto& call : calls) EXPECT_EQ(call.get().at("object"), "page");
  EXPECT_GE(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_EQ(responses_with_status(429), 4u);
  EXPECT_EQ(client().stats().rate_limited_responses, 4u);
  EXPECT_EQ(server_->pages(data_source_id_, false).size(), 6u);  // 429s are never duplicates
  bool logged_wait = false;
  for (const auto& line : log_.snapshot())
    logged_wait |= line.find("retrying in 1.0 s") != std::string::npos;
  EXPECT_TRUE(logged_wait);
}

TEST_F(EmulatorFaultsTest, ServerErrorsAndConflictsAreRetriedForUpdates) {
  ClientOptions options = client_options();
  options.retry.max_attempts = 7;
  client_ = std::make_unique<Client>(options);
  const std::string page_id = client().call(create_row("x")).at("id");
  server_->reset_requests();
  server_->set_faults("500@PATCH#1,502@PATCH#1,503@PATCH#1,504@PATCH#1,529(0)@PATCH#1,409@PATCH#1",
                      1);
  const json updated = client().call(endpoints::update_page(
      page_id, {{"Qty", encode_property_value(PropertyType::number, Value(7))}}));
  EXPECT_EQ(decode_property_value(updated["properties"]["Qty"]), Value(7));
  EXPECT_EQ(server_->count("PATCH", "/v1/pages"), 7u);
}

TEST_F(EmulatorFaultsTest, ResetAfterAnAppliedCreateIsOutcomeUnknownAndThePageExistsOnce) {
  // Warm the connection pool first: a reused connection is where libcurl would silently re-send.
  client().call(create_row("warm-up"));
  client().call(endpoints::users_me());
  server_->reset_requests();
  server_->set_faults("reset_after@POST /v1/pages#1", 1);
  const ApiError error = error_of(client().submit(create_row("once")));
  EXPECT_EQ(error.notion_kind(), NotionErrorKind::outcome_unknown);
  EXPECT_EQ(error.method(), "POST");
  EXPECT_EQ(error.path(), "/v1/pages");
  EXPECT_EQ(server_->count("POST", "/v1/pages"), 1u);
  std::size_t named_once = 0;
  for (const json& page : server_->pages(data_source_id_, false)) {
    named_once += decode_property_value(page["properties"]["Name"]) == Value("once") ? 1 : 0;
  }
  EXPECT_EQ(named_once, 1u);
}

TEST_F(EmulatorFaultsTest, ResetBeforeACreateIsStillUnknownToTheClient) {
  // The client cannot tell a drop before the write from one after it: both are outcome unknown,
  // and here the row really does not exist.
  client().call(endpoints::users_me());
  server_->set_faults("reset_before@POST /v1/pages#1", 1);
  EXPECT_EQ(error_of(client().submit(create_row("never"))).notion_kind(),
            NotionErrorKind::outcome_unknown);
  EXPECT_TRUE(server_->pages(data_source_id_, false).empty());
}

TEST_F(EmulatorFaultsTest, DroppedConnectionsAreRetriedForUpdates) {
  const std::string page_id = client().call(create_row("x")).at("id");
  server_->reset_requests();
  server_->set_faults("reset_after@PATCH#1,reset_before@PATCH#1", 1);
  client().call(endpoints::update_page(
      page_id, {{"Qty", encode_property_value(PropertyType::number, Value(3))}}));
  EXPECT_EQ(server_->count("PATCH", "/v1/pages"), 3u);
}

TEST_F(EmulatorFaultsTest, TimeoutsRetryReadsAndMakeCreatesUnknown) {
  ClientOptions options = client_options();
  options.request_timeout = 300ms;
  Client client(options);
  server_->set_faults("stall(2000)@GET /v1/users/me#1,stall(2000)@POST /v1/pages#1", 1);
  EXPECT_EQ(client.call(endpoints::users_me()).at("object"), "user");
  EXPECT_EQ(server_->count("GET", "/v1/users/me"), 2u);
  EXPECT_EQ(error_of(client.submit(create_row("slow"))).notion_kind(),
            NotionErrorKind::outcome_unknown);
  EXPECT_EQ(server_->count("POST", "/v1/pages"), 1u);
}

TEST_F(EmulatorFaultsTest, TokenNeverAppearsInErrorsOrLogs) {
  ClientOptions options = client_options();
  options.token = "ntn_wrong_token_that_must_stay_secret";
  Client wrong(options);
  const ApiError error = error_of(wrong.submit(endpoints::users_me()));
  EXPECT_EQ(error.notion_kind(), NotionErrorKind::unauthorized);
  EXPECT_EQ(std::string(error.what()).find(options.token.reveal()), std::string::npos);

  // Faults on the right token: every log line and error stays clean.
  server_->set_faults("503#2,reset_after@POST /v1/pages#1", 3);
  client().call(endpoints::users_me());
  const ApiError unknown = error_of(client().submit(create_row("x")));
  EXPECT_EQ(std::string(unknown.what()).find(testing::emulator_token), std::string::npos);
  const auto lines = log_.snapshot();
  EXPECT_FALSE(lines.empty());
  for (const auto& line : lines) {
    EXPECT_EQ(line.find(testing::emulator_token), std::string::npos) << line;
    EXPECT_EQ(line.find(options.token.reveal()), std::string::npos) << line;
  }
}

TEST_F(EmulatorFaultsTest, ClientPacingAvoidsNotionsRateLimit) {
  // The emulator limits like Notion (3/s, burst 10); a client with its defaults never hits it.
  server_->set_rate(3, 10);
  server_->reset_requests();
  ClientOptions options = client_options();
  options.rate = RateLimit{};
  Client paced(options);
  std::vector<std::future<json>> calls;
  for (int i = 0; i < 15; ++i) calls.push_back(paced.submit(endpoints::users_me()));
  for (auto& call : calls) call.get();
  EXPECT_EQ(responses_with_status(429), 0u);
  EXPECT_EQ(paced.stats().attempts, 15u);
  // 15 calls through a bucket of 3 at 3/s: the last 12 each waited for a token.
  EXPECT_GT(paced.stats().rate_limit_wait.count(), 0);
}

TEST_F(EmulatorFaultsTest, AnUnthrottledClientReportsNoRateLimitWait) {
  Client fast(client_options());
  std::vector<std::future<json>> calls;
  for (int i = 0; i < 5; ++i) calls.push_back(fast.submit(endpoints::users_me()));
  for (auto& call : calls) call.get();
  EXPECT_EQ(fast.stats().rate_limit_wait.count(), 0);
}

}  // namespace
}  // namespace notionsync::notion
