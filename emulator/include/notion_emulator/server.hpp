// A local HTTP server that speaks the subset of the Notion API a database sync needs, in versions
// 2025-09-03 and 2026-03-11 (chosen by each request's Notion-Version header).
//
// Tests and demos run it in-process:
//
//   notion_emulator::Server server({.rate = 0});   // unlimited rate
//   server.start();                                // listening on a free port
//   client.set_base_url(server.base_url());        // "http://127.0.0.1:PORT"
//   ... create a database under server.root_page_id() ...
//   EXPECT_EQ(server.count("POST", "/v1/pages"), 3u);
//
// It validates bodies as Notion does and answers Notion's error JSON, rate-limits like Notion, and
// injects faults on demand (see fault_spec.hpp). The `notion-emulator` binary wraps this class;
// docs/emulator.md describes every knob and what is not emulated.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace notion_emulator {

// A member of the emulated workspace besides the integration's own bot: a person (with an email)
// or another integration (a bot).
struct WorkspaceUser {
  std::string id;               // empty = a fresh id
  std::string type = "person";  // "person" or "bot"
  std::string name;
  std::string email;  // people only
};

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;                                      // 0 = pick a free port
  std::string token = "secret_notionsync_emulator";  // the integration's bearer token
  // A second bearer token that acts as the workspace's first person: what it writes shows that
  // person as last_edited_by. Empty = none.
  std::string person_token;
  // The workspace's people and other integrations (GET /v1/users, people values), in this order.
  // Empty = one person, the workspace's owner (default_workspace_users()).
  std::vector<WorkspaceUser> users;
  double rate = 3.0;  // requests/s average; 0 = unlimited
  int burst = 10;
  int latency_ms = 0;  // added to each request
  std::string faults;  // fault spec, see fault_spec.hpp
  std::uint64_t seed = 1;
  // JSONL recording of every exchange; empty = none, unless NOTION_EMULATOR_RECORD_DIR is set, in
  // which case each server records to a fresh <dir>/emulator-<pid>-<n>.jsonl.
  std::string record_path;
  std::string state_path;    // persist/reload the workspace; empty = memory only
  std::string root_page_id;  // empty = a fixed default id
  std::vector<std::pair<std::string, std::string>> extra_pages;  // id -> title
  // Results one query (filter + sorts) may page through before Notion reports it incomplete.
  std::size_t query_result_limit = 10000;
  // The largest file one upload may hold: users/me's bot.workspace_limits
  // .max_file_upload_size_in_bytes. 5 MiB is a free workspace's limit; paid ones have 5 GiB.
  std::uint64_t max_file_upload_size = 5242880;
  // Whether people's emails are shown (person.email). Without the "read user information
  // including email addresses" capability Notion leaves them out: false emulates that.
  bool user_emails = true;
};

// The users a workspace has when Options::users is empty: its owner, a person.
std::vector<WorkspaceUser> default_workspace_users();

// Reads users from a JSON file: {"users": [{"type": "person", "name": …, "email": …, "id"?: …},
// {"type": "bot", "name": …}]}. Throws std::runtime_error naming the file and the problem.
std::vector<WorkspaceUser> read_workspace_users(const std::string& path);

// One request as the request log saw it (admin endpoints are never logged).
struct RecordedRequest {
  std::string method;
  std::string path;  // percent-decoded, ids as the client wrote them
  // The status the emulator computed: also for reset_after, whose client receives nothing;
  // 0 for reset_before.
  int status = 0;
  std::string fault;           // fault name ("429", "reset_after", ...) or empty
  std::string notion_version;  // the Notion-Version header as sent; empty when absent
  std::multimap<std::string, std::string> query;  // the query string's parameters, decoded
};

class Server {
 public:
  explicit Server(Options options);
  ~Server();  // stops
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and serves on background threads; returns once listening. Ignores SIGPIPE process-wide
  // (a dropped connection must not kill the process).
  // Throws std::runtime_error if the port cannot be bound or the state file cannot be read, and
  // std::invalid_argument for a bad fault spec or page id.
  void start();
  // Stops serving and writes the state file (if any). Idempotent.
  void stop();

  int port() const;
  std::string base_url() const;      // "http://127.0.0.1:PORT" (no trailing slash)
  std::string root_page_id() const;  // dashed lowercase

  // Call counting for tests (the same data as GET /__emulator/requests).
  std::vector<RecordedRequest> requests() const;
  // Requests whose method equals `method` and whose path starts with `path_prefix`.
  std::size_t count(std::string_view method, std::string_view path_prefix) const;
  void reset_requests();

  // Replaces the fault rules. Throws std::invalid_argument for a bad spec.
  void set_faults(std::string spec, std::uint64_t seed);
  // Replaces the rate limit (0 = unlimited); the bucket starts full.
  void set_rate(double rate, int burst);
  // Replaces the latency added to each request.
  void set_latency_ms(int latency_ms);
  // Moves the workspace's clock forward (file uploads expire an hour after their creation; page
  // times follow the same clock).
  void advance_clock(std::chrono::milliseconds by);

  // Page objects (as GET /v1/pages/{id} returns them) of a data source, in creation order.
  // Throws std::invalid_argument for an unknown data source.
  std::vector<nlohmann::json> pages(std::string_view data_source_id, bool include_trashed) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace notion_emulator
