// Test helpers: a small Notion API client over cpp-httplib (deliberately not the project's own
// client, so the emulator is checked independently), and a fixture that runs an emulator with a
// database holding one property of every type.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "notion_emulator/server.hpp"

namespace notion_emulator::testing {

using nlohmann::json;

struct Reply {
  int status = 0;  // 0 = transport failure (no HTTP response)
  json body;
  httplib::Headers headers;
  httplib::Error error = httplib::Error::Success;

  std::string code() const { return body.is_object() ? body.value("code", "") : ""; }
  // The body without its request_id, which differs between two answers about one object.
  json answer() const {
    json copy = body;
    if (copy.is_object()) copy.erase("request_id");
    return copy;
  }
  std::string message() const { return body.is_object() ? body.value("message", "") : ""; }
};

class Api {
 public:
  explicit Api(const Server& server, std::string token = "secret_notionsync_emulator")
      : client_(server.base_url()), token_(std::move(token)) {
    client_.set_read_timeout(10, 0);
  }

  Reply get(const std::string& path) { return raw("GET", path, "", headers()); }
  Reply post(const std::string& path, const json& body) {
    return raw("POST", path, body.dump(), headers());
  }
  Reply patch(const std::string& path, const json& body) {
    return raw("PATCH", path, body.dump(), headers());
  }
  Reply del(const std::string& path) { return raw("DELETE", path, "", headers()); }

  // Sends `body` as is (e.g. invalid JSON) with exactly `headers`.
  Reply raw(const std::string& method, const std::string& path, const std::string& body,
            const httplib::Headers& headers) {
    httplib::Result result =
        method == "POST"     ? client_.Post(path, headers, body, "application/json")
        : method == "PATCH"  ? client_.Patch(path, headers, body, "application/json")
        : method == "DELETE" ? client_.Delete(path, headers)
                             : client_.Get(path, headers);
    return reply_of(std::move(result), method, path);
  }

  // POSTs `parts` as multipart/form-data (the File Upload API's send).
  Reply post_form(const std::string& path, const httplib::MultipartFormDataItems& parts) {
    return reply_of(client_.Post(path, headers(), parts), "POST", path);
  }

  httplib::Headers headers() const {
    return {{"Authorization", "Bearer " + token_}, {"Notion-Version", "2025-09-03"}};
  }
  void set_read_timeout_ms(int ms) { client_.set_read_timeout(ms / 1000, (ms % 1000) * 1000); }

 private:
  Reply reply_of(httplib::Result result, const std::string& method, const std::string& path) {
    Reply reply;
    if (!result) {
      reply.error = result.error();
      return reply;
    }
    reply.status = result->status;
    reply.headers = result->headers;
    reply.body = json::parse(result->body, nullptr, false);
    // Notion repeats the x-notion-request-id header in every body, answers and errors alike.
    if (reply.body.is_object() && result->has_header("x-notion-request-id")) {
      EXPECT_EQ(reply.body.value("request_id", ""), result->get_header_value("x-notion-request-id"))
          << method << " " << path;
    }
    return reply;
  }

  httplib::Client client_;
  std::string token_;
};

// Text value helpers for request bodies.
inline json text(const std::string& content) {
  return json::array({{{"type", "text"}, {"text", {{"content", content}}}}});
}

// An emulator (unlimited rate) with a database "Everything" under the root page whose data source
// has one property of each type, plus a second data source "Other" for relations.
class EmulatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Options options;
    options.rate = 0;
    configure(options);
    server_ = std::make_unique<Server>(options);
    server_->start();
    api_ = std::make_unique<Api>(*server_);
  }

  virtual void configure(Options&) {}

  // Creates a database under the root page and returns its first data source id.
  std::string create_database(const std::string& title, const json& properties) {
    const Reply reply = api_->post(
        "/v1/databases", {{"parent", {{"type", "page_id"}, {"page_id", server_->root_page_id()}}},
                          {"title", text(title)},
                          {"initial_data_source", {{"properties", properties}}}});
    EXPECT_EQ(reply.status, 200) << reply.body.dump();
    return reply.body["data_sources"][0]["id"].get<std::string>();
  }

  std::string create_everything() {
    other_ = create_database("Other", {{"Name", {{"title", json::object()}}}});
    return create_database(
        "Everything",
        {{"Name", {{"title", json::object()}}},
         {"Notes", {{"rich_text", json::object()}}},
         {"Qty", {{"number", {{"format", "number"}}}}},
         {"Link", {{"url", json::object()}}},
         {"Mail", {{"email", json::object()}}},
         {"Phone", {{"phone_number", json::object()}}},
         {"Tag",
          {{"select",
            {{"options", json::array({{{"name", "A"}, {"color", "red"}}, {{"name", "B"}}})}}}}},
         {"Tags",
          {{"multi_select", {{"options", json::array({{{"name", "x"}}, {{"name", "y"}}})}}}}},
         {"Stage", {{"status", json::object()}}},
         {"When", {{"date", json::object()}}},
         {"Done", {{"checkbox", json::object()}}},
         {"Rel", {{"relation", {{"data_source_id", other_}, {"single_property", json::object()}}}}},
         {"Owner", {{"people", json::object()}}},
         {"Att", {{"files", json::object()}}},
         {"Calc", {{"formula", {{"expression", "prop(\"Qty\") * 2"}}}}},
         {"Created", {{"created_time", json::object()}}},
         {"Edited", {{"last_edited_time", json::object()}}},
         {"By", {{"created_by", json::object()}}},
         {"EditedBy", {{"last_edited_by", json::object()}}},
         {"Key", {{"unique_id", {{"prefix", "ROW"}}}}}});
  }

  Reply create_page(const std::string& data_source_id, const json& properties) {
    return api_->post("/v1/pages",
                      {{"parent", {{"data_source_id", data_source_id}}},
                       {"properties", properties.is_null() ? json::object() : properties}});
  }

  std::string create_row(const std::string& data_source_id, const json& properties) {
    const Reply reply = create_page(data_source_id, properties);
    EXPECT_EQ(reply.status, 200) << reply.body.dump();
    return reply.body.value("id", "");
  }

  std::unique_ptr<Server> server_;
  std::unique_ptr<Api> api_;
  std::string other_;
};

}  // namespace notion_emulator::testing
