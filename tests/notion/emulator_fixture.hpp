// Shared setup for client tests against the in-process Notion API emulator.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <notion_emulator/server.hpp>
#include <string>
#include <vector>

#include "notionsync/core/value.hpp"
#include "notionsync/notion/client.hpp"
#include "notionsync/notion/endpoints.hpp"

namespace notionsync {
// Lets GoogleTest print Values in failure messages.
inline void PrintTo(const Value& value, std::ostream* out) {
  *out << value.to_display();
}
}  // namespace notionsync

namespace notionsync::notion::testing {

inline const std::string emulator_token = "secret_notionsync_emulator";

// Collects the client's log lines (thread-safe).
struct LogLines {
  std::mutex mutex;
  std::vector<std::string> lines;
  std::function<void(std::string_view)> sink() {
    return [this](std::string_view line) {
      std::lock_guard lock(mutex);
      lines.emplace_back(line);
    };
  }
  std::vector<std::string> snapshot() {
    std::lock_guard lock(mutex);
    return lines;
  }
};

class EmulatorTest : public ::testing::Test {
 protected:
  // An unlimited emulator and a client with fast retries; tests tune both before use.
  void SetUp() override {
    notion_emulator::Options options;
    options.rate = 0;
    server_ = std::make_unique<notion_emulator::Server>(options);
    server_->start();
  }

  ClientOptions client_options() {
    ClientOptions options;
    options.token = emulator_token;
    options.base_url = server_->base_url();
    options.rate = {1000, 1000};
    options.retry.base_delay = std::chrono::milliseconds(1);
    options.retry.max_delay = std::chrono::milliseconds(10);
    options.jitter_seed = 11;
    options.log = log_.sink();
    return options;
  }

  Client& client() {
    if (!client_) client_ = std::make_unique<Client>(client_options());
    return *client_;
  }

  // Creates a database under the root page with `properties` (name -> schema JSON) and returns
  // its data source id.
  std::string create_data_source(const nlohmann::json& properties, const std::string& title = "T") {
    const nlohmann::json database =
        client().call(endpoints::create_database(server_->root_page_id(), title, properties));
    return database.at("data_sources").at(0).at("id").get<std::string>();
  }

  // Declared so that the client goes first, then the server, then the log it writes to.
  LogLines log_;
  std::unique_ptr<notion_emulator::Server> server_;
  std::unique_ptr<Client> client_;
};

}  // namespace notionsync::notion::testing
