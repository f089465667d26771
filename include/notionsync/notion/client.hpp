// Client: sends Notion API requests concurrently, paced, and retried.
//
// One Client per token. All requests made through it share one rate limiter (3 requests/s average
// with a small burst by default) and one cap on requests in flight (8), so several targets syncing
// through one client together stay under Notion's per-integration limit. One background thread
// drives libcurl's multi interface, which reuses connections and runs the requests in parallel.
//
//   notion::Client client({.token = token});
//   auto created = client.submit(endpoints::create_page(data_source_id, properties));  // async
//   nlohmann::json me = client.call(endpoints::users_me());                           // blocking
//   try { nlohmann::json page = created.get(); }
//   catch (const notion::ApiError& e) { if (e.notion_kind() == NotionErrorKind::outcome_unknown) …
//   }
//
// Retries follow retry_policy.hpp: 429/529 wait Retry-After; 5xx, 409 and network failures are
// retried for idempotent calls; a create that may have reached Notion fails with outcome_unknown
// and is never re-sent by the client.
//
// The token is sent only in the Authorization header, only over https:// or to this machine (see
// check_base_url), and it never appears in errors or log lines.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "notionsync/notion/api_error.hpp"
#include "notionsync/notion/rate_limiter.hpp"
#include "notionsync/notion/request.hpp"
#include "notionsync/notion/retry_policy.hpp"
#include "notionsync/notion/token.hpp"

namespace notionsync::notion {

// The Notion API version a client speaks by default (the Notion-Version header of every request).
inline constexpr std::string_view notion_api_version = "2026-03-11";
// The versions a client may be asked to speak (ClientOptions::api_version). Every request the
// library builds means the same under each: trash is `in_trash`, never `archived`, and every query
// names the properties it reads (filter_properties).
inline constexpr std::string_view supported_notion_api_versions[] = {"2025-09-03", "2026-03-11"};

struct ClientOptions {
  Token token{};  // required: the integration's secret (Token::from_env() reads NOTION_TOKEN)
  // The Notion-Version header: one of supported_notion_api_versions (else the constructor throws
  // Error invalid_argument naming the accepted ones).
  std::string api_version{notion_api_version};
  // Empty: the environment variable NOTION_API_BASE_URL, else https://api.notion.com. A trailing
  // slash is removed (Notion would see "//v1/..."). Must be https://, or http:// to this machine
  // (127.0.0.0/8, ::1, localhost: the emulator) unless allow_insecure_http: see check_base_url().
  std::string base_url{};
  // Send requests, and so the token, over plain http:// to another machine: only for a proxy
  // you trust on a network you trust. TLS certificates are always verified for https://.
  bool allow_insecure_http = false;
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds request_timeout{60'000};  // whole attempt, connect included
  RateLimit rate{3.0, 3.0};
  int max_in_flight = 8;
  RetryPolicy retry{};
  // Receives one line per notable event (retry, pause after 429, outcome unknown). Called from the
  // client's thread; must not block. Lines never contain the token.
  std::function<void(std::string_view line)> log{};
  // Called when Notion makes every request wait (a 429 or 529: Retry-After, capped at
  // retry.max_retry_after, or a backoff when it gives none), with how long, so a program can show
  // a long pause as it starts. Called from the client's thread; must not block.
  std::function<void(std::chrono::milliseconds pause)> on_pause{};
  // Seed for backoff jitter; 0 draws one from std::random_device.
  std::uint64_t jitter_seed = 0;
};

// Counters since the client was created.
struct ClientStats {
  std::uint64_t attempts = 0;                // HTTP requests started, retries included
  std::uint64_t retries = 0;                 // attempts that were re-sends
  std::uint64_t rate_limited_responses = 0;  // 429 and 529 responses received
  std::uint64_t succeeded = 0;               // calls completed with a 2xx
  std::uint64_t failed = 0;                  // calls completed with an ApiError
  // Time calls were ready to go but held back by the rate limiter (pacing and pauses after 429).
  std::chrono::milliseconds rate_limit_wait{0};
  std::uint64_t pauses = 0;                    // times Notion made every request wait (429, 529)
  std::chrono::milliseconds longest_pause{0};  // the longest of those waits
};

// The result of one call: exactly one of `value` (the response JSON) and `error` is set.
struct CallResult {
  std::optional<nlohmann::json> value;
  std::optional<ApiError> error;
};

class Client {
 public:
  using Completion = std::function<void(CallResult result)>;

  // Starts the request thread. REQUIRES: options.token not empty; a supported api_version; a base
  // URL check_base_url() accepts; valid rate and max_in_flight (else throws Error
  // invalid_argument, before any request).
  explicit Client(ClientOptions options);
  // Cancels calls that have not finished (their results are ApiError cancelled, or outcome_unknown
  // for a create already sent) and joins the thread.
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Queues `request`; `on_complete` runs once, on the client's thread, when it succeeds or fails
  // for good. The callback must not block or wait for another call of this client.
  void submit(Request request, Completion on_complete);

  // Queues `request`; the future yields the response JSON or throws ApiError.
  std::future<nlohmann::json> submit(Request request);

  // Sends `request` and waits. Returns the response JSON; throws ApiError.
  // REQUIRES: not called from a completion callback.
  nlohmann::json call(Request request) { return submit(std::move(request)).get(); }

  ClientStats stats() const;
  const std::string& base_url() const;
  const std::string& api_version() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// The base URL `options` resolve to (see ClientOptions::base_url).
std::string resolve_base_url(std::string_view configured);

// Refuses to send the token to `base_url` (as resolve_base_url() gives it) in clear text: accepts
// https://, and http:// to a loopback host (127.0.0.0/8, ::1, localhost) or, with
// `allow_insecure_http`, to any host. Throws Error(ErrorKind::invalid_argument) naming `setting`
// (where the URL came from, e.g. "base_url" or "NOTION_API_BASE_URL") and the way out otherwise.
void check_base_url(std::string_view base_url, bool allow_insecure_http,
                    std::string_view setting = "base_url");

// True when `url` is http(s):// to a loopback host: 127.0.0.0/8, ::1 (or ::ffff:127.x.y.z) or
// localhost. Names that merely resolve to one (other than localhost) do not count.
bool is_loopback_url(std::string_view url);

}  // namespace notionsync::notion
