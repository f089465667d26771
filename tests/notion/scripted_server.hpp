// A tiny HTTP server whose answers a test scripts, to check the client's transport behaviour
// (headers, retries, error parsing, concurrency) independently of the emulator.
#pragma once

#include <httplib.h>

#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace notionsync::notion::testing {

struct SeenRequest {
  std::string method;
  std::string path;
  std::string query;  // raw, as sent
  std::string body;
  httplib::Headers headers;
};

class ScriptedServer {
 public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

  // `handler` answers every request; it runs on one of 32 server threads.
  explicit ScriptedServer(Handler handler) : handler_(std::move(handler)) {
    server_.new_task_queue = [] { return new httplib::ThreadPool(32); };
    auto record_and_answer = [this](const httplib::Request& request, httplib::Response& response) {
      {
        std::lock_guard lock(mutex_);
        std::string query;
        const auto at = request.target.find('?');
        if (at != std::string::npos) query = request.target.substr(at + 1);
        seen_.push_back({request.method, request.path, query, request.body, request.headers});
      }
      handler_(request, response);
    };
    server_.Get(".*", record_and_answer);
    server_.Post(".*", record_and_answer);
    server_.Patch(".*", record_and_answer);
    server_.Delete(".*", record_and_answer);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() is a no-op until the accept loop runs, so wait for it before anyone can stop us.
    while (!server_.is_running()) std::this_thread::yield();
  }

  ~ScriptedServer() {
    server_.stop();
    thread_.join();
  }

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  std::vector<SeenRequest> seen() const {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  Handler handler_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<SeenRequest> seen_;
};

// Answers like Notion's error JSON.
inline void notion_error(httplib::Response& response, int status, const std::string& code,
                         const std::string& message) {
  response.status = status;
  const std::string body = R"({"object":"error","status":)" + std::to_string(status) +
                           R"(,"code":")" + code + R"(","message":")" + message +
                           R"(","request_id":"req-)" + std::to_string(status) + R"("})";
  response.set_content(body, "application/json");
}

}  // namespace notionsync::notion::testing
