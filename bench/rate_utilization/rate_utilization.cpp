// Measures the write throughput the Notion client sustains under Notion's rate limit.
//
// For each added latency, starts the emulator limiting like Notion (3 requests/s, burst 10),
// creates a data source, then submits N page creations at once through one client with its
// default pacing (3/s, burst 3, 8 in flight) and waits for all of them. Reports requests per
// second (N / time from first submit to last answer) and the 429 responses the emulator sent.
// Goal: >= 2.85 requests/s and zero 429s at 300 ms and at 1000 ms latency.
//
//   rate_utilization [--writes 300] [--latency-ms 300,1000]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <notion_emulator/server.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "notionsync/notion/client.hpp"
#include "notionsync/notion/endpoints.hpp"
#include "notionsync/notion/property_schema.hpp"
#include "notionsync/notion/property_value_codec.hpp"

namespace {

using namespace notionsync;
using namespace notionsync::notion;
using nlohmann::json;

struct Result {
  int latency_ms = 0;
  int writes = 0;
  double seconds = 0;
  std::size_t rate_limited = 0;
  std::size_t failed = 0;
};

Result run(int writes, int latency_ms) {
  notion_emulator::Options options;
  options.rate = 3.0;
  options.burst = 10;
  options.latency_ms = latency_ms;
  notion_emulator::Server server(options);
  server.start();

  ClientOptions client_options;
  client_options.token = options.token;
  client_options.base_url = server.base_url();
  Client client(client_options);

  PropertySchema title;
  title.type = PropertyType::title;
  PropertySchema number;
  number.type = PropertyType::number;
  const json database = client.call(endpoints::create_database(
      server.root_page_id(), "Bench",
      {{"Name", encode_property_schema(title)}, {"Qty", encode_property_schema(number)}}));
  const std::string data_source_id = database.at("data_sources").at(0).at("id");
  server.reset_requests();

  Result result;
  result.latency_ms = latency_ms;
  result.writes = writes;
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::future<json>> calls;
  calls.reserve(writes);
  for (int i = 0; i < writes; ++i) {
    calls.push_back(client.submit(endpoints::create_page(
        data_source_id,
        {{"Name", encode_property_value(PropertyType::title, Value("row " + std::to_string(i)))},
         {"Qty", encode_property_value(PropertyType::number, Value(i))}})));
  }
  for (auto& call : calls) {
    try {
      call.get();
    } catch (const ApiError& e) {
      ++result.failed;
      std::fprintf(stderr, "%s\n", e.what());
    }
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const auto& request : server.requests()) result.rate_limited += request.status == 429;
  return result;
}

std::vector<int> parse_list(const std::string& text) {
  std::vector<int> values;
  std::stringstream stream(text);
  for (std::string item; std::getline(stream, item, ',');) values.push_back(std::stoi(item));
  return values;
}

}  // namespace

int main(int argc, char** argv) {
  int writes = 300;
  std::vector<int> latencies = {300, 1000};
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--writes") {
      writes = std::stoi(argv[i + 1]);
    } else if (flag == "--latency-ms") {
      latencies = parse_list(argv[i + 1]);
    } else {
      std::fprintf(stderr, "usage: rate_utilization [--writes N] [--latency-ms 300,1000]\n");
      return 2;
    }
  }
  bool met = true;
  std::printf("| added latency | writes | time | requests/s | 429 responses | failed |\n");
  std::printf("| --- | --- | --- | --- | --- | --- |\n");
  for (int latency_ms : latencies) {
    const Result r = run(writes, latency_ms);
    const double per_second = r.writes / r.seconds;
    std::printf("| %d ms | %d | %.1f s | %.2f | %zu | %zu |\n", r.latency_ms, r.writes, r.seconds,
                per_second, r.rate_limited, r.failed);
    std::fflush(stdout);
    met = met && per_second >= 2.85 && r.rate_limited == 0 && r.failed == 0;
  }
  std::printf("goal (>= 2.85 requests/s, zero 429s): %s\n", met ? "met" : "NOT met");
  return met ? 0 : 1;
}
