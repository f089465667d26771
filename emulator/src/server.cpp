// The HTTP side of the emulator: the request pipeline (auth, version, rate limit, faults, latency,
// routing, recording) and the /__emulator/ admin endpoints.
#include "notion_emulator/server.hpp"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "api_error.hpp"
#include "connection_drop.hpp"
#include "html_view.hpp"
#include "ids.hpp"
#include "notion_emulator/fault_spec.hpp"
#include "rate_limiter.hpp"
#include "recorder.hpp"
#include "request_log.hpp"
#include "routes.hpp"
#include "state_file.hpp"
#include "timestamps.hpp"
#include "workspace.hpp"

namespace notion_emulator {

using nlohmann::json;

namespace {

const std::string kDefaultRootPageId = "6e1f3c9a-2b7d-4c58-9a41-7d0e5b2c8f13";
// The Notion-Version values answered (developers.notion.com/reference/versioning, and the upgrade
// guide for 2026-03-11): 2026-03-11 drops `archived` for `in_trash` in requests and answers.
const std::string kVersion20250903 = "2025-09-03";
const std::string kVersion20260311 = "2026-03-11";

bool is_trash_bearing(const json& value) {
  if (!value.is_object()) return false;
  const auto object = value.find("object");
  return object != value.end() && object->is_string() &&
         (*object == "page" || *object == "database" || *object == "data_source" ||
          *object == "block" || *object == "file_upload");
}

// Under 2026-03-11 answers carry in_trash only: `archived` goes from every page, database, data
// source and block, alone or in a list's results.
void drop_archived(json& body) {
  if (is_trash_bearing(body)) body.erase("archived");
  if (body.is_object() && body.contains("results") && body["results"].is_array()) {
    for (json& item : body["results"]) {
      if (is_trash_bearing(item)) item.erase("archived");
    }
  }
}
constexpr std::size_t kWorkerThreads = 64;
constexpr auto kListenerPoll = std::chrono::milliseconds(1);

// What the pipeline decided to send for one request.
struct Outcome {
  int status = 200;
  json body;
  std::string fault;
  int retry_after = 0;  // seconds; 0 = no Retry-After header
  bool drop = false;
  int stall_ms = 0;
  std::string version;  // the Notion-Version answered, once checked
};

json error_body(const ApiError& error, const std::string& request_id) {
  json body = {{"object", "error"},
               {"status", error.status()},
               {"code", error.code()},
               {"message", error.what()},
               {"request_id", request_id}};
  if (!error.additional_data().is_null()) body["additional_data"] = error.additional_data();
  return body;
}

ApiError fault_error(FaultKind kind) {
  switch (kind) {
    case FaultKind::rate_limited:
      return ApiError(429, "rate_limited",
                      "You have been rate limited. Please try again in a few minutes.");
    case FaultKind::internal_server_error:
      return ApiError(500, "internal_server_error", "Unexpected error occurred.");
    case FaultKind::bad_gateway:
      return ApiError(502, "bad_gateway", "Bad Gateway");
    case FaultKind::service_unavailable:
      return ApiError(503, "service_unavailable", "Notion is unavailable, please try again later.");
    case FaultKind::gateway_timeout:
      return ApiError(504, "gateway_timeout", "Gateway Timeout");
    case FaultKind::service_overload:
      return ApiError(529, "service_overload", "Notion is overloaded, please try again later.");
    case FaultKind::conflict:
      return ApiError(409, "conflict_error", "Conflict occurred while saving. Please try again.");
    default:
      throw std::logic_error("not a status fault");
  }
}

// The form parts of a multipart/form-data request, in order.
std::vector<FormPart> form_of(const httplib::Request& request) {
  std::vector<FormPart> form;
  for (const auto& [name, part] : request.files) {
    form.push_back({part.name, part.filename, part.content_type, part.content});
  }
  return form;
}

// What the recording keeps of a multipart request: its fields, and of a file its name, type and
// size (never the bytes).
json recorded_form(const std::vector<FormPart>& form) {
  json fields = json::object();
  for (const FormPart& part : form) {
    if (part.filename.empty() && part.content_type.empty()) {
      fields[part.name] = part.content;
    } else {
      fields[part.name] = {{"filename", part.filename},
                           {"content_type", part.content_type},
                           {"length", part.content.size()}};
    }
  }
  return fields;
}

json query_of(const httplib::Request& request) {
  json query = json::object();
  for (const auto& [key, value] : request.params) query[key].push_back(value);
  return query;
}

}  // namespace

struct Server::Impl {
  explicit Impl(Options given)
      : options(std::move(given)),
        root_page_id(options.root_page_id.empty()
                         ? kDefaultRootPageId
                         : normalize_id(options.root_page_id).value_or("")),
        limiter(options.rate, options.burst),
        latency_ms(options.latency_ms) {}

  Options options;
  httplib::Server http;
  std::thread listener;
  std::atomic<bool> listener_done = false;
  int port = -1;
  bool running = false;
  std::string root_page_id;

  mutable std::mutex workspace_mutex;
  Workspace workspace;
  RateLimiter limiter;
  std::atomic<int> latency_ms;
  std::mutex faults_mutex;
  FaultInjector faults;
  std::unique_ptr<Recorder> recorder;
  RequestLog log;
  std::mutex id_mutex;
  std::mt19937_64 id_generator{std::random_device{}()};

  // Stalls, latency and the state flusher wait on this so stop() never waits for them.
  std::mutex wait_mutex;
  std::condition_variable wake;
  bool stopping = false;
  bool dirty = false;
  std::thread flusher;

  void start();
  void stop();
  void handle(const httplib::Request& request, httplib::Response& response);
  void handle_admin(const httplib::Request& request, httplib::Response& response);
  void serve_view(httplib::Response& response);
  // GET /files/{upload id}/{name}?expires=…: an uploaded file's bytes, while the link is valid.
  void serve_file(const httplib::Request& request, httplib::Response& response);
  Outcome run(const httplib::Request& request, const std::string& request_id,
              const json& request_body);
  // The user a request's bearer token acts as; throws ApiError(401) for any other token.
  std::string caller(const httplib::Request& request) const;
  void sleep_for(int ms);
  void save_state();
  void flush_loop();
  std::string new_request_id();
};

void Server::Impl::start() {
  if (running) return;
  faults = FaultInjector(parse_fault_spec(options.faults), options.seed);
  if (root_page_id.empty()) {
    throw std::invalid_argument("root page id is not a UUID: " + options.root_page_id);
  }
  if (!options.state_path.empty()) {
    if (auto state = read_state(options.state_path)) workspace.load_state(*state);
  }
  workspace.set_query_result_limit(options.query_result_limit);
  workspace.users().set_members(options.users.empty() ? default_workspace_users() : options.users,
                                options.seed);
  workspace.users().set_max_file_upload_size(options.max_file_upload_size);
  workspace.users().set_emails_visible(options.user_emails);
  workspace.file_uploads().set_max_file_size(options.max_file_upload_size);
  if (!options.person_token.empty()) {
    if (options.person_token == options.token) {
      throw std::invalid_argument("the person token must differ from the integration's token");
    }
    if (!workspace.users().first_person()) {
      throw std::invalid_argument("a person token needs a person among the workspace's users");
    }
  }
  workspace.add_shared_page(root_page_id, "Emulator root");
  for (const auto& [raw_id, title] : options.extra_pages) {
    const auto id = normalize_id(raw_id);
    if (!id) throw std::invalid_argument("page id is not a UUID: " + raw_id);
    workspace.add_shared_page(*id, title);
  }
  recorder = std::make_unique<Recorder>(recording_path(options.record_path));

  // A dropped connection makes the server's next write fail; that must not kill the process.
  std::signal(SIGPIPE, SIG_IGN);
  // Many workers, so added latency and stalls do not cap a concurrent client's throughput.
  http.new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  http.set_keep_alive_max_count(1000);
  // Headers and body go out in separate writes; without TCP_NODELAY the body waits for a delayed
  // ACK.
  http.set_tcp_nodelay(true);
  // A file upload part may hold 20 MB (guide "Sending larger files"); larger ones must reach the
  // handler to be answered with Notion's validation_error.
  http.set_payload_max_length(64 * 1024 * 1024);
  const auto handler = [this](const httplib::Request& request, httplib::Response& response) {
    handle(request, response);
  };
  http.Get(".*", handler);
  http.Post(".*", handler);
  http.Patch(".*", handler);
  http.Delete(".*", handler);
  http.Put(".*", handler);
  port = options.port == 0 ? http.bind_to_any_port(options.host)
                           : (http.bind_to_port(options.host, options.port) ? options.port : -1);
  if (port <= 0) {
    throw std::runtime_error("cannot listen on " + options.host + ":" +
                             std::to_string(options.port));
  }
  workspace.file_uploads().set_base_url("http://" + options.host + ":" + std::to_string(port));
  stopping = false;
  listener_done = false;
  listener = std::thread([this] {
    http.listen_after_bind();
    listener_done = true;
  });
  // httplib's stop() does nothing until listen has started: a stop right after start (a signal
  // as soon as the port is known) would leave the listener running and stop() joining it forever.
  while (!http.is_running() && !listener_done) std::this_thread::sleep_for(kListenerPoll);
  if (!options.state_path.empty()) flusher = std::thread([this] { flush_loop(); });
  running = true;
}

void Server::Impl::stop() {
  if (!running) return;
  {
    const std::lock_guard lock(wait_mutex);
    stopping = true;
  }
  wake.notify_all();
  http.stop();
  drop_all_connections(port);
  if (listener.joinable()) listener.join();
  if (flusher.joinable()) flusher.join();
  if (!options.state_path.empty()) save_state();
  running = false;
}

void Server::Impl::sleep_for(int ms) {
  std::unique_lock lock(wait_mutex);
  wake.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping; });
}

void Server::Impl::save_state() {
  json state;
  {
    const std::lock_guard lock(workspace_mutex);
    state = workspace.to_state();
  }
  write_state(options.state_path, state);
}

void Server::Impl::flush_loop() {
  std::unique_lock lock(wait_mutex);
  while (!stopping) {
    wake.wait_for(lock, std::chrono::milliseconds(200), [this] { return stopping; });
    if (!dirty) continue;
    dirty = false;
    lock.unlock();
    try {
      save_state();
    } catch (const std::exception& error) {
      std::cerr << "notion-emulator: " << error.what() << '\n';
    }
    lock.lock();
  }
}

std::string Server::Impl::new_request_id() {
  const std::lock_guard lock(id_mutex);
  return new_uuid(id_generator);
}

Outcome Server::Impl::run(const httplib::Request& request, const std::string& request_id,
                          const json& request_body) {
  Outcome outcome;
  try {
    const std::string actor = caller(request);
    if (!request.has_header("Notion-Version")) {
      throw ApiError(400, "missing_version",
                     "Notion-Version header failed validation: Notion-Version header should be "
                     "defined, instead was `undefined`.");
    }
    const std::string version = request.get_header_value("Notion-Version");
    if (version != kVersion20250903 && version != kVersion20260311) {
      // Notion's docs do not say how it answers a version it does not know; a validation_error
      // naming the versions it does is the stricter choice (docs/emulator.md).
      throw validation_error("Notion-Version header failed validation: Notion-Version should be `" +
                             kVersion20250903 + "` or `" + kVersion20260311 + "`, instead was `" +
                             version + "`.");
    }
    outcome.version = version;
    if (const int retry_after = limiter.acquire(); retry_after > 0) {
      outcome.retry_after = retry_after;
      throw ApiError(429, "rate_limited",
                     "You have been rate limited. Please try again in a few minutes.",
                     {{"rate_limit_reason", "public_api_request_rate_limit"}});
    }
    std::optional<Fault> fault;
    {
      const std::lock_guard lock(faults_mutex);
      fault = faults.decide(request.method, request.path);
    }
    if (fault) {
      outcome.fault = fault_name(fault->kind);
      switch (fault->kind) {
        case FaultKind::reset_before:
          outcome.drop = true;
          outcome.status = 0;
          outcome.body = nullptr;
          return outcome;
        case FaultKind::reset_after:
          outcome.drop = true;
          break;
        case FaultKind::stall:
          outcome.stall_ms = fault->argument;
          break;
        case FaultKind::rate_limited:
        case FaultKind::service_overload:
          outcome.retry_after = fault->argument;
          throw fault_error(fault->kind);
        default:
          throw fault_error(fault->kind);
      }
    }
    ApiRequest api{request.method, request.path, request.params};
    api.multipart = request.is_multipart_form_data();
    if (api.multipart) api.form = form_of(request);
    if (!request.body.empty()) {
      if (request_body.is_discarded())
        throw ApiError(400, "invalid_json", "Error parsing JSON body.");
      api.body = request_body;
    }
    // 2026-03-11 accepts only in_trash: `archived` is an unknown key (upgrade guide, step 2).
    if (version == kVersion20260311 && api.body.is_object() && api.body.contains("archived")) {
      throw validation_error(
          "body failed validation: body.archived should be not present, "
          "instead was `" +
          api.body["archived"].dump() + "`.");
    }
    {
      const std::lock_guard lock(workspace_mutex);
      workspace.set_actor(actor);
      outcome.body = route(workspace, api);
    }
    if (version == kVersion20260311) drop_archived(outcome.body);
    // Notion puts the request id in every answer's body too (recorded in every shapes case).
    outcome.body["request_id"] = request_id;
    if (request.method != "GET" && !options.state_path.empty()) {
      const std::lock_guard lock(wait_mutex);
      dirty = true;
    }
  } catch (const ApiError& error) {
    outcome.status = error.status();
    outcome.body = error_body(error, request_id);
  } catch (const json::type_error& error) {
    // A request value of an unexpected JSON type that a check did not name more precisely.
    outcome.status = 400;
    outcome.body = error_body(
        validation_error(std::string("body failed validation: ") + error.what()), request_id);
  } catch (const std::exception& error) {
    std::cerr << "notion-emulator: " << request.method << ' ' << request.path << ": "
              << error.what() << '\n';
    outcome.status = 500;
    outcome.body = error_body(ApiError(500, "internal_server_error", "Unexpected error occurred."),
                              request_id);
  }
  return outcome;
}

std::string Server::Impl::caller(const httplib::Request& request) const {
  const std::string authorization = request.get_header_value("Authorization");
  if (authorization == "Bearer " + options.token) return workspace.bot_id();
  if (!options.person_token.empty() && authorization == "Bearer " + options.person_token) {
    return *workspace.users().first_person();
  }
  throw ApiError(401, "unauthorized", "API token is invalid.");
}

void Server::Impl::handle(const httplib::Request& request, httplib::Response& response) {
  // The HTML view is for a person at a local browser: no token, and it never shows up in the
  // request log, the recording or the rate limit, so looking never changes what a test counts.
  if (request.path == "/" && request.method == "GET") {
    serve_view(response);
    return;
  }
  // Browsers that ignore the view's icon link ask for this; it is not an API request either.
  if (request.path == "/favicon.ico" && request.method == "GET") {
    response.status = 404;
    return;
  }
  if (request.path.rfind("/__emulator/", 0) == 0) {
    handle_admin(request, response);
    return;
  }
  // Downloads of uploaded files stand for Notion's signed storage links: not API requests.
  if (request.path.rfind("/files/", 0) == 0 && request.method == "GET") {
    serve_file(request, response);
    return;
  }
  if (const int latency = latency_ms.load(); latency > 0) sleep_for(latency);
  const std::string request_id = new_request_id();
  json request_body =
      request.body.empty() ? json(nullptr) : json::parse(request.body, nullptr, false);
  const Outcome outcome = run(request, request_id, request_body);

  log.add({request.method, request.path, outcome.status, outcome.fault,
           request.get_header_value("Notion-Version"),
           {request.params.begin(), request.params.end()}});
  // The recording never holds headers, so the Authorization token cannot leak into it.
  recorder->write(
      {{"time", format_instant(now_ms())},
       {"method", request.method},
       {"path", request.path},
       {"query", query_of(request)},
       {"request_body", request.is_multipart_form_data()
                            ? recorded_form(form_of(request))
                            : (request_body.is_discarded() ? json(request.body) : request_body)},
       {"status", outcome.status},
       {"response_body", outcome.body},
       {"fault", outcome.fault.empty() ? json(nullptr) : json(outcome.fault)},
       {"request_id", request_id},
       {"notion_version", request.has_header("Notion-Version")
                              ? json(request.get_header_value("Notion-Version"))
                              : json(nullptr)}});

  if (outcome.drop) {
    drop_connection(request.local_port, request.remote_port);
    response.status = 500;
    response.set_header("Connection", "close");
    return;
  }
  if (outcome.stall_ms > 0) sleep_for(outcome.stall_ms);
  response.status = outcome.status;
  response.set_header("x-notion-request-id", request_id);
  if (outcome.retry_after > 0)
    response.set_header("Retry-After", std::to_string(outcome.retry_after));
  response.set_content(outcome.body.dump(-1, ' ', false, json::error_handler_t::replace),
                       "application/json; charset=utf-8");
}

void Server::Impl::serve_view(httplib::Response& response) {
  WorkspaceView view;
  {
    const std::lock_guard lock(workspace_mutex);
    view = workspace.view();
  }
  response.status = 200;
  // Built from the live workspace on every request; a cached copy would hide the latest sync.
  response.set_header("Cache-Control", "no-store");
  response.set_content(render_html(view), "text/html; charset=utf-8");
}

void Server::Impl::serve_file(const httplib::Request& request, httplib::Response& response) {
  // /files/{id}/{name}
  const std::string rest = request.path.substr(std::string("/files/").size());
  const auto id = normalize_id(rest.substr(0, rest.find('/')));
  const std::string expires = request.get_param_value("expires");
  const bool digits = !expires.empty() && expires.size() < 19 &&
                      expires.find_first_not_of("0123456789") == std::string::npos;
  const std::lock_guard lock(workspace_mutex);
  const FileUpload* upload = id ? workspace.file_uploads().downloadable(*id) : nullptr;
  if (upload == nullptr || !digits) {
    response.status = 404;
    response.set_content("No such file.", "text/plain");
    return;
  }
  // Notion's links expire after an hour (reference "File"); so do these, by the workspace's clock.
  if (workspace.now() > std::stoll(expires)) {
    response.status = 403;
    response.set_content("Request has expired.", "text/plain");
    return;
  }
  response.status = 200;
  response.set_content(upload->content, upload->content_type);
}

void Server::Impl::handle_admin(const httplib::Request& request, httplib::Response& response) {
  const auto reply = [&](int status, const json& body) {
    response.status = status;
    response.set_content(body.dump(), "application/json; charset=utf-8");
  };
  const std::string& path = request.path;
  try {
    if (path == "/__emulator/requests" && request.method == "GET") return reply(200, log.summary());
    if (path == "/__emulator/health" && request.method == "GET") {
      return reply(200, {{"ok", true}, {"root_page_id", root_page_id}});
    }
    if (path == "/__emulator/reset" && request.method == "POST") {
      log.clear();
      if (request.get_param_value("workspace") == "1") {
        const std::lock_guard lock(workspace_mutex);
        workspace.clear();
      }
      return reply(200, {{"ok", true}});
    }
    const json body = request.body.empty() ? json::object() : json::parse(request.body);
    if (path == "/__emulator/faults" && request.method == "POST") {
      FaultInjector replacement(parse_fault_spec(body.value("spec", "")),
                                body.value("seed", std::uint64_t{1}));
      const std::lock_guard lock(faults_mutex);
      faults = std::move(replacement);
      return reply(200, {{"ok", true}});
    }
    if (path == "/__emulator/latency" && request.method == "POST") {
      latency_ms = body.value("ms", 0);
      return reply(200, {{"ok", true}});
    }
    if (path == "/__emulator/clock" && request.method == "POST") {
      const std::lock_guard lock(workspace_mutex);
      workspace.advance_clock(body.value("advance_ms", std::int64_t{0}));
      return reply(200, {{"ok", true}, {"now", format_instant(workspace.now())}});
    }
    if (path == "/__emulator/rate" && request.method == "POST") {
      limiter.reset(body.value("rate", 3.0), body.value("burst", 10));
      return reply(200, {{"ok", true}});
    }
    reply(404, {{"error", "unknown admin endpoint " + request.method + " " + path}});
  } catch (const std::exception& error) {
    reply(400, {{"error", error.what()}});
  }
}

Server::Server(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Server::~Server() {
  stop();
}
void Server::start() {
  impl_->start();
}
void Server::stop() {
  impl_->stop();
}
int Server::port() const {
  return impl_->port;
}
std::string Server::base_url() const {
  return "http://" + impl_->options.host + ":" + std::to_string(impl_->port);
}
std::string Server::root_page_id() const {
  return impl_->root_page_id;
}
std::vector<RecordedRequest> Server::requests() const {
  return impl_->log.all();
}
std::size_t Server::count(std::string_view method, std::string_view path_prefix) const {
  return impl_->log.count(method, path_prefix);
}
void Server::reset_requests() {
  impl_->log.clear();
}
void Server::set_faults(std::string spec, std::uint64_t seed) {
  FaultInjector replacement(parse_fault_spec(spec), seed);
  const std::lock_guard lock(impl_->faults_mutex);
  impl_->faults = std::move(replacement);
}
void Server::set_rate(double rate, int burst) {
  impl_->limiter.reset(rate, burst);
}
void Server::set_latency_ms(int latency_ms) {
  impl_->latency_ms = latency_ms;
}
void Server::advance_clock(std::chrono::milliseconds by) {
  const std::lock_guard lock(impl_->workspace_mutex);
  impl_->workspace.advance_clock(by.count());
}
std::vector<json> Server::pages(std::string_view data_source_id, bool include_trashed) const {
  const auto id = normalize_id(data_source_id);
  if (!id) throw std::invalid_argument("data source id is not a UUID");
  const std::lock_guard lock(impl_->workspace_mutex);
  return impl_->workspace.pages_of(*id, include_trashed);
}

}  // namespace notion_emulator
