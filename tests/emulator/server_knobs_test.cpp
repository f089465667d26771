// The test knobs: faults, rate limiting, latency, recording, state persistence and admin endpoints.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "api_client.hpp"

namespace notion_emulator::testing {
namespace {

class KnobsTest : public EmulatorTest {
 protected:
  std::string create_simple() {
    return create_database("Simple", {{"Name", {{"title", json::object()}}}});
  }

  std::size_t page_count(const std::string& data_source_id) {
    return server_->pages(data_source_id, true).size();
  }
};

TEST_F(KnobsTest, StatusFaultsAnswerNotionErrorsWithoutApplyingTheWrite) {
  const std::string id = create_simple();
  const std::vector<std::pair<int, std::string>> kinds = {
      {500, "internal_server_error"}, {502, "bad_gateway"},      {503, "service_unavailable"},
      {504, "gateway_timeout"},       {529, "service_overload"}, {409, "conflict_error"}};
  for (const auto& [status, code] : kinds) {
    server_->set_faults(std::to_string(status) + "@POST /v1/pages#1", 1);
    const Reply reply = create_page(id, json::object());
    EXPECT_EQ(reply.status, status);
    EXPECT_EQ(reply.code(), code);
    EXPECT_EQ(reply.body["object"], "error");
  }
  EXPECT_EQ(page_count(id), 0u);
  EXPECT_EQ(create_page(id, json::object()).status, 200);
}

TEST_F(KnobsTest, ThreeRateLimitFaultsCarryRetryAfter) {
  server_->set_faults("429(1)#3", 1);
  for (int i = 0; i < 3; ++i) {
    const Reply reply = api_->get("/v1/users/me");
    EXPECT_EQ(reply.status, 429);
    EXPECT_EQ(reply.code(), "rate_limited");
    EXPECT_EQ(reply.headers.find("Retry-After")->second, "1");
  }
  EXPECT_EQ(api_->get("/v1/users/me").status, 200);
  std::size_t faulted = 0;
  for (const RecordedRequest& request : server_->requests()) faulted += request.fault == "429";
  EXPECT_EQ(faulted, 3u);
}

TEST_F(KnobsTest, ResetAfterAppliesTheWriteThenDropsTheConnection) {
  const std::string id = create_simple();
  server_->set_faults("reset_after@POST /v1/pages#1", 1);
  const Reply reply = create_page(id, {{"Name", {{"title", text("ghost")}}}});
  EXPECT_EQ(reply.status, 0);  // no HTTP response at all
  EXPECT_NE(reply.error, httplib::Error::Success);
  EXPECT_EQ(page_count(id), 1u);
  EXPECT_EQ(create_page(id, json::object()).status, 200);  // only the first one
  EXPECT_EQ(page_count(id), 2u);
}

TEST_F(KnobsTest, ResetBeforeDropsTheConnectionWithoutApplyingTheWrite) {
  const std::string id = create_simple();
  server_->set_faults("reset_before@POST /v1/pages#1", 1);
  const Reply reply = create_page(id, json::object());
  EXPECT_EQ(reply.status, 0);
  EXPECT_EQ(page_count(id), 0u);
  const auto requests = server_->requests();
  EXPECT_EQ(requests.back().fault, "reset_before");
}

TEST_F(KnobsTest, StallAppliesTheWriteAndHoldsTheResponsePastTheClientTimeout) {
  const std::string id = create_simple();
  server_->set_faults("stall(2000)@POST /v1/pages#1", 1);
  api_->set_read_timeout_ms(200);
  const Reply reply = create_page(id, json::object());
  EXPECT_EQ(reply.status, 0);
  EXPECT_EQ(reply.error, httplib::Error::Read);
  EXPECT_EQ(page_count(id), 1u);
}

TEST_F(KnobsTest, RateLimitAnswers429AfterTheBurst) {
  server_->set_rate(0.001, 3);  // so slow that no token comes back during the test
  for (int i = 0; i < 3; ++i) EXPECT_EQ(api_->get("/v1/users/me").status, 200);
  const Reply reply = api_->get("/v1/users/me");
  EXPECT_EQ(reply.status, 429);
  EXPECT_EQ(reply.code(), "rate_limited");
  EXPECT_EQ(reply.body["additional_data"]["rate_limit_reason"], "public_api_request_rate_limit");
  const std::string retry_after = reply.headers.find("Retry-After")->second;
  EXPECT_EQ(retry_after, "1000");  // whole seconds until the next token
  // Admin endpoints are never rate limited.
  httplib::Client admin(server_->base_url());
  EXPECT_EQ(admin.Get("/__emulator/requests")->status, 200);
}

TEST_F(KnobsTest, AdminEndpointsCountRequestsAndSetFaults) {
  const std::string id = create_simple();
  create_page(id, json::object());
  create_page(id, {{"Nope", {{"title", text("x")}}}});
  httplib::Client admin(server_->base_url());
  json summary = json::parse(admin.Get("/__emulator/requests")->body);
  EXPECT_EQ(summary["total"], 3);
  EXPECT_EQ(summary["counts"]["POST /v1/pages"], 2);
  EXPECT_EQ(summary["counts_by_status"]["POST /v1/pages 400"], 1);
  EXPECT_EQ(summary["statuses"]["200"], 2);
  EXPECT_EQ(server_->count("POST", "/v1/pages"), 2u);
  EXPECT_EQ(server_->count("POST", "/v1/"), 3u);

  ASSERT_EQ(
      admin.Post("/__emulator/faults", R"({"spec":"503#1","seed":3})", "application/json")->status,
      200);
  EXPECT_EQ(api_->get("/v1/users/me").status, 503);
  EXPECT_EQ(admin.Post("/__emulator/faults", R"({"spec":"bogus#1"})", "application/json")->status,
            400);

  ASSERT_EQ(admin.Post("/__emulator/reset", "", "application/json")->status, 200);
  EXPECT_EQ(json::parse(admin.Get("/__emulator/requests")->body)["total"], 0);
  EXPECT_EQ(api_->get("/v1/data_sources/" + id).status, 200);
  ASSERT_EQ(admin.Post("/__emulator/reset?workspace=1", "", "application/json")->status, 200);
  EXPECT_EQ(api_->get("/v1/data_sources/" + id).status, 404);
  EXPECT_EQ(api_->get("/v1/pages/" + server_->root_page_id()).status, 200);  // shared pages stay
}

TEST_F(KnobsTest, ConcurrentWritersAreAllAppliedOnce) {
  const std::string id = create_database(
      "Busy", {{"Name", {{"title", json::object()}}}, {"Key", {{"unique_id", json::object()}}}});
  constexpr int kThreads = 8;
  constexpr int kPagesPerThread = 20;
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      Api api(*server_);
      for (int i = 0; i < kPagesPerThread; ++i) {
        const json body = {
            {"parent", {{"data_source_id", id}}},
            {"properties",
             {{"Name", {{"title", text(std::to_string(t) + "/" + std::to_string(i))}}}}}};
        if (api.post("/v1/pages", body).status != 200) ++failures;
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  EXPECT_EQ(failures, 0);
  const std::vector<json> pages = server_->pages(id, false);
  ASSERT_EQ(pages.size(), std::size_t{kThreads * kPagesPerThread});
  EXPECT_EQ(server_->count("POST", "/v1/pages"), std::size_t{kThreads * kPagesPerThread});
  std::set<std::int64_t> numbers;
  for (const json& page : pages)
    numbers.insert(page["properties"]["Key"]["unique_id"]["number"].get<std::int64_t>());
  EXPECT_EQ(numbers.size(), pages.size());
  EXPECT_EQ(*numbers.rbegin(), kThreads * kPagesPerThread);
}

class LatencyTest : public EmulatorTest {
  void configure(Options& options) override { options.latency_ms = 150; }
};

TEST_F(LatencyTest, EveryRequestIsDelayed) {
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(api_->get("/v1/users/me").status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(150));
}

TEST_F(LatencyTest, LatencyCanBeChangedWhileRunning) {
  server_->set_latency_ms(0);
  httplib::Client admin(server_->base_url());
  ASSERT_EQ(admin.Post("/__emulator/latency", R"({"ms":300})", "application/json")->status, 200);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(api_->get("/v1/users/me").status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(300));
}

std::string temporary_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid())))
      .string();
}

TEST(RecordingTest, RecordsEveryExchangeWithoutTheToken) {
  const std::string path = temporary_path("emulator-recording.jsonl");
  Options options;
  options.rate = 0;
  options.token = "secret_do_not_leak";
  options.record_path = path;
  {
    Server server(options);
    server.start();
    Api api(server, options.token);
    api.get("/v1/users/me");
    api.post("/v1/search", {{"query", "x"}});
    Api stranger(server, "secret_wrong");
    stranger.get("/v1/users/me");
  }
  std::ifstream in(path);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content.find("secret_do_not_leak"), std::string::npos);
  EXPECT_EQ(content.find("Authorization"), std::string::npos);
  std::istringstream lines(content);
  std::vector<json> exchanges;
  for (std::string line; std::getline(lines, line);) exchanges.push_back(json::parse(line));
  ASSERT_EQ(exchanges.size(), 3u);
  EXPECT_EQ(exchanges[1]["method"], "POST");
  EXPECT_EQ(exchanges[1]["path"], "/v1/search");
  EXPECT_EQ(exchanges[1]["request_body"], json({{"query", "x"}}));
  EXPECT_EQ(exchanges[1]["status"], 200);
  EXPECT_EQ(exchanges[1]["response_body"]["object"], "list");
  EXPECT_TRUE(exchanges[1].contains("time"));
  EXPECT_TRUE(exchanges[1].contains("query"));
  EXPECT_TRUE(exchanges[1]["fault"].is_null());
  EXPECT_EQ(exchanges[2]["status"], 401);
  std::filesystem::remove(path);
}

TEST(StateTest, WorkspaceSurvivesARestart) {
  const std::string path = temporary_path("emulator-state.json");
  std::filesystem::remove(path);
  Options options;
  options.rate = 0;
  options.state_path = path;
  std::string data_source_id, page_id;
  {
    Server server(options);
    server.start();
    Api api(server);
    const Reply db = api.post(
        "/v1/databases",
        {{"parent", {{"type", "page_id"}, {"page_id", server.root_page_id()}}},
         {"title", text("Kept")},
         {"initial_data_source",
          {{"properties",
            {{"Name", {{"title", json::object()}}}, {"Tag", {{"select", json::object()}}}}}}}});
    data_source_id = db.body["data_sources"][0]["id"];
    page_id =
        api.post("/v1/pages",
                 {{"parent", {{"data_source_id", data_source_id}}},
                  {"properties",
                   {{"Name", {{"title", text("row")}}}, {"Tag", {{"select", {{"name", "T"}}}}}}}})
            .body["id"];
  }
  ASSERT_TRUE(std::filesystem::exists(path));
  Server server(options);
  server.start();
  Api api(server);
  const Reply page = api.get("/v1/pages/" + page_id);
  ASSERT_EQ(page.status, 200) << page.body.dump();
  EXPECT_EQ(page.body["properties"]["Name"]["title"][0]["plain_text"], "row");
  EXPECT_EQ(page.body["properties"]["Tag"]["select"]["name"], "T");
  EXPECT_EQ(api.post("/v1/data_sources/" + data_source_id + "/query", json::object())
                .body["results"]
                .size(),
            1u);
  server.stop();
  std::filesystem::remove(path);
}

TEST(ServerTest, RootAndExtraPagesAreShared) {
  Options options;
  options.rate = 0;
  options.root_page_id = "AAAAAAAABBBB4CCC8DDDEEEEEEEEEEEE";
  options.extra_pages = {{"12345678-1234-4234-8234-123456789abc", "Second"}};
  Server server(options);
  server.start();
  EXPECT_EQ(server.root_page_id(), "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");
  EXPECT_EQ(server.base_url(), "http://127.0.0.1:" + std::to_string(server.port()));
  Api api(server);
  const Reply extra = api.get("/v1/pages/12345678123442348234123456789abc");
  ASSERT_EQ(extra.status, 200);
  EXPECT_EQ(extra.body["properties"]["title"]["title"][0]["plain_text"], "Second");
  EXPECT_EQ(extra.body["parent"]["type"], "workspace");
}

TEST(ServerTest, BadFaultSpecIsRejectedAtStart) {
  Options options;
  options.faults = "nonsense";
  Server server(options);
  EXPECT_THROW(server.start(), std::invalid_argument);
}

}  // namespace
}  // namespace notion_emulator::testing
