#include "notionsync/notion/client.hpp"

#include <curl/curl.h>

#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>
#include <utility>

#include "http_attempt.hpp"
#include "notion/version.hpp"
#include "notion/flow_control.hpp"

namespace notionsync::notion {
namespace {

using std::chrono::milliseconds;

void ensure_curl_initialised() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string format_seconds(milliseconds delay) {
  const long long ms = delay.count();
  return std::to_string(ms / 1000) + "." + std::to_string((ms % 1000) / 100) + " s";
}

// Reads Notion's error body ({"object":"error","status","code","message","request_id"}); edge
// proxies may answer with HTML instead, which keeps only the status.
void read_error_body(const std::string& body, ApiErrorInfo& info) {
  const auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_object()) {
    if (auto it = parsed.find("code"); it != parsed.end() && it->is_string()) info.code = *it;
    if (auto it = parsed.find("message"); it != parsed.end() && it->is_string()) {
      info.message = *it;
    }
    if (auto it = parsed.find("request_id"); it != parsed.end() && it->is_string()) {
      info.request_id = *it;
    }
  }
  if (info.message.empty()) {
    info.message = "HTTP " + std::to_string(info.status) + " without a Notion error body";
  }
}

struct Call {
  Request request;
  Client::Completion on_complete;
  int attempts = 0;
  std::unique_ptr<detail::HttpAttempt> attempt;
};

void check_api_version(std::string_view version) {
  std::string accepted;
  for (const std::string_view supported : supported_notion_api_versions) {
    if (version == supported) return;
    accepted += (accepted.empty() ? "" : " or ") + std::string(supported);
  }
  throw Error(ErrorKind::invalid_argument, "Notion API version \"" + std::string(version) +
                                               "\" is not supported: use " + accepted);
}

}  // namespace

class Client::Impl {
 public:
  explicit Impl(ClientOptions options)
      : options_(std::move(options)),
        flow_({options_.rate, options_.max_in_flight}, std::chrono::steady_clock::now()),
        random_(options_.jitter_seed != 0 ? options_.jitter_seed : std::random_device{}()) {
    if (options_.token.empty()) {
      throw Error(ErrorKind::invalid_argument, "the Notion client needs an API token");
    }
    // A token travels in a header line: a line break in it would end that line.
    for (const char c : options_.token.reveal()) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
        throw Error(ErrorKind::invalid_argument,
                    "the Notion token holds a line break or another control character");
      }
    }
    settings_.base_url = resolve_base_url(options_.base_url);
    // Before anything is sent: the token travels in every request's Authorization header.
    check_base_url(settings_.base_url, options_.allow_insecure_http,
                   options_.base_url.empty() ? "NOTION_API_BASE_URL" : "base_url");
    ensure_curl_initialised();
    settings_.authorization_header = "Authorization: Bearer " + std::string(options_.token.reveal());
    check_api_version(options_.api_version);
    settings_.version_header = "Notion-Version: " + options_.api_version;
    settings_.user_agent = "notionsync/" + std::string(detail::notionsync_version);
    settings_.connect_timeout = options_.connect_timeout;
    settings_.request_timeout = options_.request_timeout;
    multi_ = curl_multi_init();
    if (!multi_) throw Error(ErrorKind::internal, "curl_multi_init failed");
    curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(options_.max_in_flight * 2));
    thread_ = std::thread([this] { run(); });
  }

  ~Impl() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    curl_multi_wakeup(multi_);
    thread_.join();
    curl_multi_cleanup(multi_);
  }

  void submit(Request request, Completion on_complete) {
    auto call = std::make_unique<Call>();
    call->request = std::move(request);
    call->on_complete = std::move(on_complete);
    bool refused = false;
    {
      std::lock_guard lock(mutex_);
      refused = stopping_;
      if (!refused) submitted_.push_back(std::move(call));
    }
    if (refused) {
      complete_with_error(*call, NotionErrorKind::cancelled, 0, "", "the client is shutting down",
                          "");
      return;
    }
    curl_multi_wakeup(multi_);
  }

  ClientStats stats() const {
    ClientStats s;
    s.attempts = attempts_.load();
    s.retries = retries_.load();
    s.rate_limited_responses = rate_limited_.load();
    s.succeeded = succeeded_.load();
    s.failed = failed_.load();
    s.rate_limit_wait = milliseconds(rate_limit_wait_ms_.load());
    s.pauses = pauses_.load();
    s.longest_pause = milliseconds(longest_pause_ms_.load());
    return s;
  }

  const std::string& base_url() const { return settings_.base_url; }
  const std::string& api_version() const { return options_.api_version; }

 private:
  void run() {
    while (true) {
      {
        std::lock_guard lock(mutex_);
        if (stopping_) break;
        const auto now = std::chrono::steady_clock::now();
        for (auto& call : submitted_) waiting_.emplace(now, std::move(call));
        submitted_.clear();
      }
      int running = 0;
      curl_multi_perform(multi_, &running);
      collect_finished();
      // After collecting: a finished call frees a slot and a retry may be due at once.
      const auto wake_at = start_ready_calls();

      int timeout_ms = 1000;
      if (wake_at != SteadyTime::max()) {
        const auto until =
            std::chrono::ceil<milliseconds>(wake_at - std::chrono::steady_clock::now());
        timeout_ms = static_cast<int>(std::clamp<long long>(until.count(), 0, 1000));
      }
      long curl_timeout = -1;
      curl_multi_timeout(multi_, &curl_timeout);
      if (curl_timeout >= 0 && curl_timeout < timeout_ms)
        timeout_ms = static_cast<int>(curl_timeout);
      if (timeout_ms > 0) curl_multi_poll(multi_, nullptr, 0, timeout_ms, nullptr);
    }
    cancel_everything();
  }

  // Starts every waiting call that is due while flow control admits it. Returns when the loop
  // should look again (SteadyTime::max() when only a finishing request or a submit can help).
  SteadyTime start_ready_calls() {
    while (!waiting_.empty()) {
      const auto now = std::chrono::steady_clock::now();
      auto first = waiting_.begin();
      if (first->first > now) return first->first;
      const Admission admission = flow_.try_start(now);
      if (!admission.admitted) {
        // A call is due but the rate limiter holds it back (not the in-flight cap, which answers
        // SteadyTime::max()): that time is reported as waiting on rate limits.
        if (admission.retry_at != SteadyTime::max() && !throttled_since_) throttled_since_ = now;
        return admission.retry_at;
      }
      if (throttled_since_) {
        rate_limit_wait_ms_ += static_cast<std::uint64_t>(
            std::chrono::duration_cast<milliseconds>(now - *throttled_since_).count());
        throttled_since_.reset();
      }
      std::unique_ptr<Call> call = std::move(first->second);
      waiting_.erase(first);
      start(std::move(call));
    }
    return SteadyTime::max();
  }

  void start(std::unique_ptr<Call> call) {
    ++call->attempts;
    ++attempts_;
    if (call->attempts > 1) ++retries_;
    try {
      call->attempt = std::make_unique<detail::HttpAttempt>(settings_, call->request,
                                                            !call->request.idempotent);
    } catch (const Error& e) {
      flow_.finish();
      complete_with_error(*call, NotionErrorKind::network, 0, "", e.what(), "");
      return;
    }
    CURL* easy = call->attempt->handle();
    const CURLMcode added = curl_multi_add_handle(multi_, easy);
    if (added != CURLM_OK) {
      flow_.finish();
      complete_with_error(*call, NotionErrorKind::network, 0, "", curl_multi_strerror(added), "");
      return;
    }
    running_.emplace(easy, std::move(call));
  }

  void collect_finished() {
    int remaining = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_, &remaining)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* easy = message->easy_handle;
      const CURLcode code = message->data.result;
      curl_multi_remove_handle(multi_, easy);
      auto found = running_.find(easy);
      if (found == running_.end()) continue;
      std::unique_ptr<Call> call = std::move(found->second);
      running_.erase(found);
      flow_.finish();
      const detail::AttemptResult result = call->attempt->finish(code);
      call->attempt.reset();
      handle_result(std::move(call), result);
    }
  }

  void handle_result(std::unique_ptr<Call> call, const detail::AttemptResult& result) {
    const auto now = std::chrono::steady_clock::now();
    if (result.status == 429 || result.status == 529) ++rate_limited_;

    if (result.curl_code == CURLE_OK && result.status >= 200 && result.status < 300) {
      auto parsed = result.body.empty() ? nlohmann::json::object()
                                        : nlohmann::json::parse(result.body, nullptr, false);
      if (parsed.is_discarded()) {
        complete_with_error(*call, NotionErrorKind::server, result.status, "",
                            "the response body is not JSON", result.request_id);
        return;
      }
      ++succeeded_;
      deliver(*call, CallResult{std::move(parsed), std::nullopt});
      return;
    }

    if (result.curl_code != CURLE_OK && !result.retryable_transport_failure) {
      complete_with_error(*call, NotionErrorKind::network, 0, "", result.curl_message, "");
      return;
    }

    AttemptOutcome outcome;
    outcome.status = result.status;
    outcome.request_may_have_been_sent = result.request_may_have_been_sent;
    if (!result.retry_after.empty()) {
      outcome.retry_after = parse_retry_after(result.retry_after, std::chrono::system_clock::now());
    }
    const double jitter = std::uniform_real_distribution<double>(0.0, 1.0)(random_);
    const RetryDecision decision =
        decide_retry(options_.retry, outcome, call->request.idempotent, call->attempts, jitter);

    ApiErrorInfo info;
    info.status = result.status;
    info.request_id = result.request_id;
    if (result.curl_code != CURLE_OK) {
      info.message = result.curl_message;
    } else {
      read_error_body(result.body, info);
    }

    switch (decision.action) {
      case RetryAction::retry: {
        if (outcome.status == 429 || outcome.status == 529) {
          // Notion's limit is per integration: when one request is refused, all of them would be.
          flow_.pause_until(now + decision.delay);
          ++pauses_;
          longest_pause_ms_ = std::max<std::uint64_t>(
              longest_pause_ms_, static_cast<std::uint64_t>(decision.delay.count()));
          if (options_.on_pause) options_.on_pause(decision.delay);
        }
        log(std::string(to_string(call->request.method)) + " " + call->request.path + ": " +
            describe_failure(info) + "; retrying in " + format_seconds(decision.delay) +
            " (attempt " + std::to_string(call->attempts + 1) + ")");
        waiting_.emplace(now + decision.delay, std::move(call));
        return;
      }
      case RetryAction::outcome_unknown:
        log(std::string(to_string(call->request.method)) + " " + call->request.path + ": " +
            describe_failure(info) + "; not re-sent because it may have been applied");
        complete_with_error(*call, NotionErrorKind::outcome_unknown, info.status, info.code,
                            info.message, info.request_id);
        return;
      case RetryAction::done:
      case RetryAction::fail: {
        const NotionErrorKind kind = result.curl_code != CURLE_OK
                                         ? NotionErrorKind::network
                                         : error_kind_for_status(result.status);
        complete_with_error(*call, kind, info.status, info.code, info.message, info.request_id);
        return;
      }
    }
  }

  static std::string describe_failure(const ApiErrorInfo& info) {
    if (info.status == 0) return "network failure (" + info.message + ")";
    return std::to_string(info.status) + (info.code.empty() ? "" : " " + info.code);
  }

  void complete_with_error(Call& call, NotionErrorKind kind, int status, std::string code,
                           std::string message, std::string request_id) {
    ApiErrorInfo info;
    info.kind = kind;
    info.status = status;
    info.code = std::move(code);
    info.message = redact(std::move(message), options_.token.reveal());
    info.request_id = std::move(request_id);
    info.method = std::string(to_string(call.request.method));
    info.path = call.request.path;
    info.attempts = std::max(call.attempts, 1);
    ++failed_;
    deliver(call, CallResult{std::nullopt, ApiError(std::move(info))});
  }

  void deliver(Call& call, CallResult result) {
    if (!call.on_complete) return;
    try {
      call.on_complete(std::move(result));
    } catch (const std::exception& e) {
      log(std::string("a completion callback threw: ") + e.what());
    }
  }

  void log(const std::string& line) {
    if (options_.log) options_.log(redact(line, options_.token.reveal()));
  }

  void cancel_everything() {
    for (auto& [easy, call] : running_) {
      curl_multi_remove_handle(multi_, easy);
      call->attempt.reset();
      flow_.finish();
      if (call->request.idempotent) {
        complete_with_error(*call, NotionErrorKind::cancelled, 0, "",
                            "the client was destroyed before the call finished", "");
      } else {
        complete_with_error(*call, NotionErrorKind::outcome_unknown, 0, "",
                            "the client was destroyed while the request was in flight", "");
      }
    }
    running_.clear();
    for (auto& [when, call] : waiting_) {
      complete_with_error(*call, NotionErrorKind::cancelled, 0, "",
                          "the client was destroyed before the call was sent", "");
    }
    waiting_.clear();
    std::deque<std::unique_ptr<Call>> not_started;
    {
      std::lock_guard lock(mutex_);
      not_started.swap(submitted_);
    }
    for (auto& call : not_started) {
      complete_with_error(*call, NotionErrorKind::cancelled, 0, "",
                          "the client was destroyed before the call was sent", "");
    }
  }

  ClientOptions options_;
  detail::TransportSettings settings_;
  CURLM* multi_ = nullptr;

  std::mutex mutex_;
  bool stopping_ = false;
  std::deque<std::unique_ptr<Call>> submitted_;  // guarded by mutex_

  // Owned by the loop thread. multimap keeps submission order among calls due at the same time.
  std::multimap<SteadyTime, std::unique_ptr<Call>> waiting_;
  std::unordered_map<CURL*, std::unique_ptr<Call>> running_;
  FlowControl flow_;
  std::mt19937_64 random_;

  std::atomic<std::uint64_t> attempts_{0}, retries_{0}, rate_limited_{0}, succeeded_{0}, failed_{0};
  std::atomic<std::uint64_t> rate_limit_wait_ms_{0};
  std::atomic<std::uint64_t> pauses_{0}, longest_pause_ms_{0};  // written by the loop thread only
  std::optional<SteadyTime> throttled_since_;  // touched by the request thread only
  std::thread thread_;
};

std::string_view to_string(Method method) {
  switch (method) {
    case Method::get:
      return "GET";
    case Method::post:
      return "POST";
    case Method::patch:
      return "PATCH";
    case Method::del:
      return "DELETE";
  }
  return "GET";
}

Client::Client(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Client::~Client() = default;

void Client::submit(Request request, Completion on_complete) {
  impl_->submit(std::move(request), std::move(on_complete));
}

std::future<nlohmann::json> Client::submit(Request request) {
  auto promise = std::make_shared<std::promise<nlohmann::json>>();
  auto future = promise->get_future();
  impl_->submit(std::move(request), [promise](CallResult result) {
    if (result.value) {
      promise->set_value(std::move(*result.value));
    } else {
      promise->set_exception(std::make_exception_ptr(std::move(*result.error)));
    }
  });
  return future;
}

ClientStats Client::stats() const {
  return impl_->stats();
}
const std::string& Client::api_version() const {
  return impl_->api_version();
}

const std::string& Client::base_url() const {
  return impl_->base_url();
}

}  // namespace notionsync::notion
