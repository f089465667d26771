// The client's transport against a scripted HTTP server: headers, retries, errors, concurrency.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <future>
#include <mutex>

#include "notion/scripted_server.hpp"
#include "notionsync/notion/client.hpp"
#include "notionsync/notion/endpoints.hpp"

namespace notionsync::notion {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::notion_error;
using testing::ScriptedServer;
using testing::SeenRequest;

const std::string token = "ntn_transport_test_token_123";
const std::string data_source_id = "66666666-7777-8888-9999-000000000000";

// Fast retries so the tests spend little time waiting; jitter fixed by the seed.
ClientOptions fast_options(const std::string& base_url, std::vector<std::string>* log = nullptr) {
  ClientOptions options;
  options.token = token;
  options.base_url = base_url;
  options.rate = {1000, 1000};
  options.retry.base_delay = 1ms;
  options.retry.max_delay = 5ms;
  options.jitter_seed = 7;
  if (log) {
    auto mutex = std::make_shared<std::mutex>();
    options.log = [log, mutex](std::string_view line) {
      std::lock_guard lock(*mutex);
      log->emplace_back(line);
    };
  }
  return options;
}

void ok(httplib::Response& response, const json& body) {
  response.status = 200;
  response.set_content(body.dump(), "application/json");
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

TEST(ClientTransportTest, SendsNotionsHeadersAndBody) {
  ScriptedServer server([](const auto&, auto& response) { ok(response, {{"object", "page"}}); });
  Client client(fast_options(server.base_url() + "/"));
  EXPECT_EQ(client.base_url(), server.base_url());  // trailing slash dropped
  client.call(endpoints::users_me());
  client.call(endpoints::create_page(data_source_id, {{"Name", {{"title", json::array()}}}}));

  const auto seen = server.seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].path, "/v1/users/me");
  EXPECT_EQ(seen[0].body, "");
  auto header = [](const SeenRequest& r, const char* name) {
    auto it = r.headers.find(name);
    return it == r.headers.end() ? std::string("<absent>") : it->second;
  };
  EXPECT_EQ(header(seen[0], "Authorization"), "Bearer " + token);
  EXPECT_EQ(header(seen[0], "Notion-Version"), "2026-03-11");
  EXPECT_EQ(header(seen[0], "User-Agent"), "notionsync/0.1.0");
  EXPECT_EQ(header(seen[0], "Content-Type"), "<absent>");
  EXPECT_EQ(seen[1].method, "POST");
  EXPECT_EQ(header(seen[1], "Content-Type"), "application/json");
  EXPECT_EQ(json::parse(seen[1].body)["parent"]["data_source_id"], data_source_id);
}

TEST(ClientTransportTest, BaseUrlComesFromTheEnvironmentWhenNotConfigured) {
  ::setenv("NOTION_API_BASE_URL", "http://127.0.0.1:9/", 1);
  EXPECT_EQ(resolve_base_url(""), "http://127.0.0.1:9");
  ::unsetenv("NOTION_API_BASE_URL");
  EXPECT_EQ(resolve_base_url(""), "https://api.notion.com");
  EXPECT_EQ(resolve_base_url("http://x"), "http://x");
}

TEST(ClientTransportTest, RateLimitedWaitsRetryAfterGivenAsAnHttpDate) {
  std::atomic<int> calls{0};
  ScriptedServer server([&](const auto&, auto& response) {
    if (calls++ == 0) {
      // A date in the past: wait nothing, but the header must parse.
      response.set_header("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT");
      notion_error(response, 429, "rate_limited", "You have been rate limited.");
      return;
    }
    ok(response, {{"object", "user"}});
  });
  std::vector<std::string> log;
  Client client(fast_options(server.base_url(), &log));
  EXPECT_EQ(client.call(endpoints::users_me())["object"], "user");
  EXPECT_EQ(calls.load(), 2);
  EXPECT_EQ(client.stats().rate_limited_responses, 1u);
  EXPECT_EQ(client.stats().retries, 1u);
}

TEST(ClientTransportTest, ServerErrorsAreRetriedForIdempotentCalls) {
  std::atomic<int> calls{0};
  ScriptedServer server([&](const auto&, auto& response) {
    const int n = calls++;
    if (n == 0) return notion_error(response, 500, "internal_server_error", "Unexpected error.");
    if (n == 1) return notion_error(response, 502, "bad_gateway", "Bad Gateway");
    if (n == 2) return notion_error(response, 529, "service_overload", "Overloaded");
    if (n == 3) return notion_error(response, 409, "conflict_error", "Conflict occurred.");
    ok(response, {{"object", "page"}});
  });
  Client client(fast_options(server.base_url()));
  EXPECT_EQ(client.call(endpoints::update_page("11111111222233334444555555555555",
                                               json::object()))["object"],
            "page");
  EXPECT_EQ(calls.load(), 5);
}

TEST(ClientTransportTest, ServerErrorOnACreateIsOutcomeUnknownAndNotResent) {
  ScriptedServer server([](const auto&, auto& response) {
    notion_error(response, 502, "bad_gateway", "Bad Gateway");
  });
  Client client(fast_options(server.base_url()));
  const ApiError error =
      error_of(client.submit(endpoints::create_page(data_source_id, json::object())));
  EXPECT_EQ(error.notion_kind(), NotionErrorKind::outcome_unknown);
  EXPECT_EQ(error.status(), 502);
  EXPECT_EQ(error.code(), "bad_gateway");
  EXPECT_EQ(error.method(), "POST");
  EXPECT_EQ(error.path(), "/v1/pages");
  EXPECT_EQ(server.seen().size(), 1u);
}

TEST(ClientTransportTest, RateLimitOnACreateIsRetried) {
  std::atomic<int> calls{0};
  ScriptedServer server([&](const auto&, auto& response) {
    if (calls++ == 0) {
      response.set_header("Retry-After", "0");
      return notion_error(response, 429, "rate_limited", "slow down");
    }
    ok(response, {{"object", "page"}, {"id", "p1"}});
  });
  Client client(fast_options(server.base_url()));
  EXPECT_EQ(client.call(endpoints::create_page(data_source_id, json::object()))["id"], "p1");
  EXPECT_EQ(calls.load(), 2);
}

TEST(ClientTransportTest, RetriesAreBounded) {
  ScriptedServer server(
      [](const auto&, auto& response) { notion_error(response, 503, "service_unavailable", "x"); });
  ClientOptions options = fast_options(server.base_url());
  options.retry.max_attempts = 3;
  Client client(options);
  const ApiError error = error_of(client.submit(endpoints::users_me()));
  EXPECT_EQ(error.notion_kind(), NotionErrorKind::server);
  EXPECT_EQ(error.attempts(), 3);
  EXPECT_EQ(server.seen().size(), 3u);
}

TEST(ClientTransportTest, FinalErrorsCarryNotionsDetails) {
  ScriptedServer server([](const httplib::Request& request, auto& response) {
    if (request.path == "/v1/users/me")
      return notion_error(response, 401, "unauthorized", "API token is invalid.");
    if (request.path.starts_with("/v1/databases"))
      return notion_error(response, 403, "restricted_resource", "No access.");
    if (request.path.starts_with("/v1/data_sources"))
      return notion_error(response, 404, "object_not_found", "Could not find data source.");
    if (request.path.starts_with("/v1/blocks")) {
      response.status = 502;
      return response.set_content("<html>Bad gateway</html>", "text/html");
    }
    notion_error(response, 400, "validation_error", "Tags is expected to be select.");
  });
  ClientOptions options = fast_options(server.base_url());
  options.retry.max_attempts = 1;
  Client client(options);

  EXPECT_EQ(error_of(client.submit(endpoints::users_me())).notion_kind(),
            NotionErrorKind::unauthorized);
  EXPECT_EQ(error_of(client.submit(endpoints::retrieve_database(data_source_id))).notion_kind(),
            NotionErrorKind::restricted);
  const ApiError not_found =
      error_of(client.submit(endpoints::retrieve_data_source(data_source_id)));
  EXPECT_EQ(not_found.notion_kind(), NotionErrorKind::not_found);
  EXPECT_EQ(not_found.request_id(), "req-404");
  EXPECT_NE(std::string(not_found.what()).find("Connections"), std::string::npos);
  const ApiError validation =
      error_of(client.submit(endpoints::update_page(data_source_id, json::object())));
  EXPECT_EQ(validation.notion_kind(), NotionErrorKind::validation);
  EXPECT_EQ(validation.notion_message(), "Tags is expected to be select.");
  const ApiError html = error_of(client.submit(endpoints::delete_block(data_source_id)));
  EXPECT_EQ(html.notion_kind(), NotionErrorKind::server);
  EXPECT_EQ(html.status(), 502);
}

TEST(ClientTransportTest, TokenNeverAppearsInErrorsOrLogs) {
  // A hostile or buggy server echoing the Authorization header back in its message.
  ScriptedServer server([](const httplib::Request& request, auto& response) {
    const std::string echoed = request.get_header_value("Authorization");
    notion_error(response, request.method == "GET" ? 503 : 400, "validation_error",
                 "you sent " + echoed);
  });
  std::vector<std::string> log;
  Client client(fast_options(server.base_url(), &log));
  const ApiError retried = error_of(client.submit(endpoints::users_me()));
  const ApiError rejected =
      error_of(client.submit(endpoints::update_page(data_source_id, json::object())));
  for (const ApiError& e : {retried, rejected}) {
    EXPECT_EQ(std::string(e.what()).find(token), std::string::npos) << e.what();
    EXPECT_EQ(e.notion_message().find(token), std::string::npos);
    EXPECT_NE(e.notion_message().find("[redacted]"), std::string::npos);
  }
  ASSERT_FALSE(log.empty());
  for (const std::string& line : log) EXPECT_EQ(line.find(token), std::string::npos) << line;
}

TEST(ClientTransportTest, ConnectionRefusedOnACreateIsRetriedThenANetworkError) {
  // Nothing listens on the port: the create certainly never reached a server, so it is safe to
  // try again and the result is a definite network error, not "outcome unknown".
  std::string base_url;
  {
    ScriptedServer closed([](const auto&, auto&) {});
    base_url = closed.base_url();
  }
  ClientOptions options = fast_options(base_url);
  options.retry.max_attempts = 3;
  Client client(options);
  const ApiError error =
      error_of(client.submit(endpoints::create_page(data_source_id, json::object())));
  EXPECT_EQ(error.notion_kind(), NotionErrorKind::network);
  EXPECT_EQ(error.attempts(), 3);
  EXPECT_EQ(error.status(), 0);
}

TEST(ClientTransportTest, RunsUpToMaxInFlightRequestsAtOnce) {
  // Each request is held until eight are inside the server together: only a client that really
  // runs eight at once gets answers. None may ever see a ninth.
  std::mutex mutex;
  std::condition_variable changed;
  int inside = 0;
  int most_inside = 0;
  bool released = false;
  ScriptedServer server([&](const auto&, auto& response) {
    std::unique_lock lock(mutex);
    ++inside;
    most_inside = std::max(most_inside, inside);
    if (inside == 8) released = true;
    changed.notify_all();
    changed.wait_for(lock, 30s, [&] { return released; });  // bound only against a hang
    --inside;
    lock.unlock();
    ok(response, {{"object", "user"}});
  });
  ClientOptions options = fast_options(server.base_url());
  options.max_in_flight = 8;
  Client client(options);
  std::vector<std::future<json>> futures;
  for (int i = 0; i < 20; ++i) futures.push_back(client.submit(endpoints::users_me()));
  for (auto& future : futures) EXPECT_EQ(future.get()["object"], "user");
  EXPECT_EQ(most_inside, 8);
  EXPECT_EQ(client.stats().succeeded, 20u);
}

TEST(ClientTransportTest, CallbacksReportEveryOutcome) {
  ScriptedServer server([](const httplib::Request& request, auto& response) {
    if (request.method == "GET") return ok(response, {{"object", "user"}});
    notion_error(response, 400, "validation_error", "bad");
  });
  Client client(fast_options(server.base_url()));
  std::promise<CallResult> good;
  std::promise<CallResult> bad;
  client.submit(endpoints::users_me(), [&](CallResult r) { good.set_value(std::move(r)); });
  client.submit(endpoints::update_page(data_source_id, json::object()),
                [&](CallResult r) { bad.set_value(std::move(r)); });
  const CallResult good_result = good.get_future().get();
  const CallResult bad_result = bad.get_future().get();
  ASSERT_TRUE(good_result.value.has_value());
  EXPECT_FALSE(good_result.error.has_value());
  ASSERT_TRUE(bad_result.error.has_value());
  EXPECT_EQ(bad_result.error->notion_kind(), NotionErrorKind::validation);
}

TEST(ClientTransportTest, DestroyingTheClientCancelsQueuedCalls) {
  ScriptedServer server([](const auto&, auto& response) { ok(response, {{"object", "user"}}); });
  ClientOptions options = fast_options(server.base_url());
  options.rate = {0.001, 1};  // one request now, the next in ~17 minutes
  std::future<json> first;
  std::future<json> second;
  {
    Client client(options);
    first = client.submit(endpoints::users_me());
    EXPECT_EQ(first.get()["object"], "user");
    second = client.submit(endpoints::users_me());
  }
  EXPECT_EQ(error_of(std::move(second)).notion_kind(), NotionErrorKind::cancelled);
}

}  // namespace
}  // namespace notionsync::notion
