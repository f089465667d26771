// Fuzzes the emulator's request handling below HTTP: notion_emulator::route() (emulator/src/
// routes.hpp), the function every API request reaches after the token, version, rate-limit and
// fault checks. Each input runs against a fresh workspace holding one database with a property
// of most types and one page, so page, data source and query routes have something to act on.
//
// Input: "METHOD PATH[?QUERY]\nBODY". Ids "$DB", "$DS" and "$PAGE" in PATH or BODY are replaced
// by the fixture's ids. Contract (as the server treats it): ApiError is an answer to the client and
// nlohmann::json::type_error a 400; any other exception would be a 500 "Unexpected error", so it
// is a bug, and so is a crash or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "api_error.hpp"
#include "routes.hpp"
#include "workspace.hpp"

namespace {

using nlohmann::json;

constexpr const char* kRootPage = "6e1f3c9a-2b7d-4c58-9a41-7d0e5b2c8f13";

struct Fixture {
  notion_emulator::Workspace workspace;
  std::string database_id;
  std::string data_source_id;
  std::string page_id;
};

void build(Fixture& fixture) {
  fixture.workspace.set_query_result_limit(50);
  fixture.workspace.add_shared_page(kRootPage, "Root");
  const json properties = {
      {"Name", {{"title", json::object()}}},
      {"Notes", {{"rich_text", json::object()}}},
      {"Score", {{"number", {{"format", "number"}}}}},
      {"Link", {{"url", json::object()}}},
      {"Mail", {{"email", json::object()}}},
      {"Phone", {{"phone_number", json::object()}}},
      {"Kind", {{"select", {{"options", json::array({{{"name", "a"}}})}}}}},
      {"Tags", {{"multi_select", {{"options", json::array({{{"name", "x"}}})}}}}},
      {"When", {{"date", json::object()}}},
      {"Done", {{"checkbox", json::object()}}},
      {"People", {{"people", json::object()}}},
      {"Files", {{"files", json::object()}}},
  };
  const json database = fixture.workspace.create_database(
      {{"parent", {{"type", "page_id"}, {"page_id", kRootPage}}},
       {"title", json::array({{{"type", "text"}, {"text", {{"content", "Fuzz"}}}}})},
       {"initial_data_source", {{"properties", properties}}}});
  fixture.database_id = database["id"];
  fixture.data_source_id = database["data_sources"][0]["id"];
  const json page = fixture.workspace.create_page(
      {{"parent", {{"type", "data_source_id"}, {"data_source_id", fixture.data_source_id}}},
       {"properties",
        {{"Name", {{"title", json::array({{{"text", {{"content", "Ada"}}}}})}}},
         {"Score", {{"number", 3}}}}}},
      {});
  fixture.page_id = page["id"];
}

std::string substitute(std::string text, const Fixture& fixture) {
  const std::pair<std::string, std::string> names[] = {
      {"$DB", fixture.database_id}, {"$DS", fixture.data_source_id}, {"$PAGE", fixture.page_id}};
  for (const auto& [name, id] : names) {
    for (auto at = text.find(name); at != std::string::npos; at = text.find(name, at + id.size())) {
      text.replace(at, name.size(), id);
    }
  }
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const auto line_end = input.find('\n');
  const std::string request_line = input.substr(0, line_end);
  const std::string body_text = line_end == std::string::npos ? "" : input.substr(line_end + 1);
  const auto space = request_line.find(' ');
  if (space == std::string::npos) return 0;

  Fixture fixture;
  build(fixture);
  notion_emulator::ApiRequest request;
  request.method = request_line.substr(0, space);
  std::string target = substitute(request_line.substr(space + 1), fixture);
  if (const auto question = target.find('?'); question != std::string::npos) {
    std::string query = target.substr(question + 1);
    target.resize(question);
    std::size_t start = 0;
    while (start <= query.size()) {
      const auto amp = std::min(query.find('&', start), query.size());
      const std::string pair = query.substr(start, amp - start);
      const auto equals = pair.find('=');
      request.params.emplace(pair.substr(0, equals),
                             equals == std::string::npos ? "" : pair.substr(equals + 1));
      start = amp + 1;
    }
  }
  request.path = target;
  if (!body_text.empty()) {
    request.body = json::parse(substitute(body_text, fixture), nullptr, false);
    if (request.body.is_discarded()) return 0;  // the server answers invalid_json before routing
  }
  try {
    (void)notion_emulator::route(fixture.workspace, request);
  } catch (const notion_emulator::ApiError&) {
  } catch (const json::type_error&) {
  }
  return 0;
}
