// Where the target tests run: the in-process emulator (always), or real Notion when
// NOTION_TEST_TOKEN and NOTION_TEST_PARENT_PAGE are set (live tests; skipped otherwise).
#pragma once

#include <cstdlib>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <notion_emulator/server.hpp>
#include <string>
#include <vector>

#include "notionsync/notion/client.hpp"
#include "notionsync/notion/pagination.hpp"

namespace notionsync::testing {

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string base_url() const = 0;
  virtual std::string token() const = 0;
  virtual std::string parent_page_id() const = 0;
  // Exact call counts are only known for the emulator.
  virtual bool counts_calls() const = 0;
  virtual std::size_t count(std::string_view method, std::string_view path_prefix) const = 0;
  virtual std::size_t total_requests() const = 0;
  virtual void reset_counts() = 0;
  // Live (not trashed) pages of a data source, without counting as calls of the code under test.
  virtual std::vector<nlohmann::json> live_pages(const std::string& data_source_id) = 0;
  virtual std::vector<nlohmann::json> all_pages(const std::string& data_source_id) = 0;
};

class EmulatorBackend : public Backend {
 public:
  // `configure` adjusts the emulator's options (its users, its upload limit) before it starts.
  explicit EmulatorBackend(const std::function<void(notion_emulator::Options&)>& configure = {})
      : server_(options(configure)) {
    server_.start();
  }

  std::string base_url() const override { return server_.base_url(); }
  std::string token() const override { return "secret_notionsync_emulator"; }
  std::string parent_page_id() const override { return server_.root_page_id(); }
  bool counts_calls() const override { return true; }
  std::size_t count(std::string_view method, std::string_view path_prefix) const override {
    return server_.count(method, path_prefix);
  }
  std::size_t total_requests() const override { return server_.requests().size(); }
  void reset_counts() override { server_.reset_requests(); }
  std::vector<nlohmann::json> live_pages(const std::string& data_source_id) override {
    return server_.pages(data_source_id, false);
  }
  std::vector<nlohmann::json> all_pages(const std::string& data_source_id) override {
    return server_.pages(data_source_id, true);
  }
  notion_emulator::Server& server() { return server_; }
  // A token that edits pages as the workspace's person does, as people edit them in Notion.
  static constexpr const char* person_token = "secret_notionsync_person";

 private:
  static notion_emulator::Options options(
      const std::function<void(notion_emulator::Options&)>& configure) {
    notion_emulator::Options options;
    options.rate = 0;  // unlimited: these tests count calls, the limiter is tested elsewhere
    options.person_token = person_token;
    if (configure) configure(options);
    return options;
  }
  notion_emulator::Server server_;
};

class LiveBackend : public Backend {
 public:
  static bool available() {
    return std::getenv("NOTION_TEST_TOKEN") != nullptr &&
           std::getenv("NOTION_TEST_PARENT_PAGE") != nullptr;
  }
  LiveBackend() : client_(client_options()) {}

  std::string base_url() const override {
    const char* url = std::getenv("NOTION_API_BASE_URL");
    return url != nullptr ? url : "https://api.notion.com";
  }
  std::string token() const override { return std::getenv("NOTION_TEST_TOKEN"); }
  std::string parent_page_id() const override { return std::getenv("NOTION_TEST_PARENT_PAGE"); }
  bool counts_calls() const override { return false; }
  std::size_t count(std::string_view, std::string_view) const override { return 0; }
  std::size_t total_requests() const override { return 0; }
  void reset_counts() override {}
  std::vector<nlohmann::json> live_pages(const std::string& data_source_id) override {
    std::vector<nlohmann::json> pages;
    notion::DataSourceQuery query;
    query.data_source_id = data_source_id;
    notion::query_all_rows(client_, query, [&](std::vector<nlohmann::json> rows) {
      for (auto& row : rows) pages.push_back(std::move(row));
    });
    return pages;
  }
  std::vector<nlohmann::json> all_pages(const std::string& data_source_id) override {
    return live_pages(data_source_id);  // Notion's query has no way to list trashed pages
  }

 private:
  notion::ClientOptions client_options() const {
    notion::ClientOptions options;
    options.token = token();
    options.base_url = base_url();
    return options;
  }
  notion::Client client_;
};

}  // namespace notionsync::testing
