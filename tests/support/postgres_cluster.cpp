#include "support/postgres_cluster.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <pqxx/pqxx>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "support/process_run.hpp"

namespace notionsync::testing {
namespace {

constexpr std::string_view kReadyLine = "database system is ready to accept connections";
constexpr std::size_t kKeptLogBytes = 64 * 1024;
constexpr int kPortAttempts = 5;
constexpr const char* kRole = "notionsync_test";
constexpr const char* kDatabase = "notionsync_test";

// Where clusters live: memory (/dev/shm) when there is one, since a cluster's files are copied,
// written and deleted for every test process; otherwise the system temp folder.
std::filesystem::path scratch_folder() {
  std::error_code error;
  if (std::filesystem::is_directory("/dev/shm", error) && ::access("/dev/shm", W_OK) == 0) {
    return "/dev/shm";
  }
  return std::filesystem::temp_directory_path();
}

[[noreturn]] void fail(const std::string& message) {
  throw std::runtime_error("PostgreSQL test cluster: " + message);
}

std::filesystem::path server_binaries() {
  if (const char* configured = std::getenv("NOTIONSYNC_PG_BIN"); configured && *configured) {
    if (!std::filesystem::exists(std::filesystem::path(configured) / "initdb")) {
      fail("NOTIONSYNC_PG_BIN is " + std::string(configured) + ", which has no initdb");
    }
    return configured;
  }
  std::optional<std::filesystem::path> best;
  int best_version = -1;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", error)) {
    const std::string name = entry.path().filename().string();
    const int version = std::atoi(name.c_str());
    if (version > best_version && std::filesystem::exists(entry.path() / "bin" / "initdb")) {
      best_version = version;
      best = entry.path() / "bin";
    }
  }
  if (!best) {
    fail(
        "no PostgreSQL server found in /usr/lib/postgresql/*/bin (install Debian's postgresql "
        "package, or set NOTIONSYNC_PG_BIN)");
  }
  return *best;
}

// Who runs the server: as root, the postgres system user (PostgreSQL refuses root).
struct ServerUser {
  bool switch_user = false;
  uid_t uid = 0;
  gid_t gid = 0;
};

ServerUser server_user() {
  ServerUser user;
  if (::geteuid() != 0) return user;
  const passwd* entry = ::getpwnam("postgres");
  if (entry == nullptr) fail("running as root and there is no 'postgres' user to run the server");
  user.switch_user = true;
  user.uid = entry->pw_uid;
  user.gid = entry->pw_gid;
  return user;
}

// In a forked child, before exec: become the server user. Only async-signal-safe calls.
void become(const ServerUser& user) {
  if (!user.switch_user) return;
  if (::setgroups(0, nullptr) != 0 || ::setgid(user.gid) != 0 || ::setuid(user.uid) != 0) {
    ::_exit(126);
  }
}

// Runs a program as the server user with its output in `output_path`; returns its exit status.
int run_as_server_user(const ServerUser& user, std::vector<std::string> args,
                       const std::filesystem::path& output_path) {
  SpawnSettings settings;
  settings.stdout_path = output_path.string();
  settings.stderr_to_stdout = true;
  settings.in_child = [&user] { become(user); };
  try {
    return BackgroundProcess(std::move(args), settings).wait();
  } catch (const std::runtime_error& error) {
    fail(error.what());
  }
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A port the kernel just handed out on 127.0.0.1. Another process may take it before the server
// binds it; launch() then retries with a new one.
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) fail(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    fail(std::string("cannot find a free port: ") + std::strerror(errno));
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

std::string percent_encode(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  return out;
}

constexpr std::string_view kFolderPrefix = "notionsync-pg-";
constexpr std::string_view kStagingPrefix = "notionsync-pgstaging-";
// Bump when the initdb options change, so an old template is not reused.
constexpr std::string_view kTemplatePrefix = "notionsync-pgtemplate-1";

// A folder of the server user's, created under the temp dir as <prefix><pid>-XXXXXX.
std::filesystem::path make_private_folder(const std::filesystem::path& parent,
                                          std::string_view prefix, const ServerUser& user) {
  std::string pattern =
      (parent / (std::string(prefix) + std::to_string(::getpid()) + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    fail("cannot create a temporary folder: " + std::string(std::strerror(errno)));
  }
  if (user.switch_user && ::chown(pattern.c_str(), user.uid, user.gid) != 0) {
    fail("cannot give " + pattern + " to the postgres user: " + std::strerror(errno));
  }
  return pattern;
}

// A freshly initialised data folder for the binaries in `bin`, made once and shared by every test
// process afterwards (read only: each cluster copies it). Made in a staging folder and renamed
// into place, so a process never sees half of one.
std::filesystem::path template_data_folder(const std::filesystem::path& bin,
                                           const ServerUser& user) {
  std::string tag = bin.string();
  std::replace(tag.begin(), tag.end(), '/', '_');
  // On disk, not in memory: it stays for later runs, and reading it back is fast anyway.
  const auto ready = std::filesystem::temp_directory_path() / (std::string(kTemplatePrefix) + tag);
  if (std::filesystem::exists(ready / "PG_VERSION")) return ready;

  const auto staging =
      make_private_folder(std::filesystem::temp_directory_path(), kStagingPrefix, user);
  const auto output = staging / "initdb.log";
  const int status = run_as_server_user(
      user,
      {(bin / "initdb").string(), "-D", (staging / "data").string(), "-U", "postgres",
       "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"},
      output);
  if (status != 0) {
    const std::string log = read_file(output);
    std::error_code ignored;
    std::filesystem::remove_all(staging, ignored);
    fail("initdb failed (exit " + std::to_string(status) + "):\n" + log);
  }
  // Another process may have won the race: its template is as good as this one.
  if (::rename((staging / "data").c_str(), ready.c_str()) != 0 && errno != EEXIST &&
      errno != ENOTEMPTY) {
    fail("cannot move the data folder into " + ready.string() + ": " + std::strerror(errno));
  }
  std::error_code ignored;  // the staging folder is empty or holds a spare copy
  std::filesystem::remove_all(staging, ignored);
  return ready;
}

// A test binary killed before its cleanup leaves its folder behind (its server died with it):
// remove the folders of processes that no longer exist.
void remove_abandoned_clusters() {
  std::error_code error;
  for (const auto& folder : {scratch_folder(), std::filesystem::temp_directory_path()}) {
    for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
      const std::string name = entry.path().filename().string();
      std::string_view prefix;
      for (const auto candidate : {kFolderPrefix, kStagingPrefix}) {
        if (name.starts_with(candidate)) prefix = candidate;
      }
      if (prefix.empty()) continue;
      const long owner = std::atol(name.c_str() + prefix.size());
      if (owner <= 0 || (::kill(static_cast<pid_t>(owner), 0) != 0 && errno == ESRCH)) {
        std::error_code ignored;  // best effort: a folder that cannot go now may go next time
        std::filesystem::remove_all(entry.path(), ignored);
      }
    }
  }
}

}  // namespace

const std::string& PostgresCluster::password() {
  // Characters that must be percent-encoded in a URL, so the tests cover decoding and redaction.
  static const std::string kPassword = "s3cret:p@ss/w%rd";
  return kPassword;
}

std::unique_ptr<PostgresCluster> PostgresCluster::start(std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const auto bin = server_binaries();
  const ServerUser user = server_user();

  remove_abandoned_clusters();
  std::unique_ptr<PostgresCluster> cluster(new PostgresCluster());
  cluster->dir_ = make_private_folder(scratch_folder(), kFolderPrefix, user);

  // initdb takes a second; copying a data folder made once takes a tenth of that, and ctest runs
  // every test case in a process of its own.
  const auto copy_output = cluster->dir_ / "copy.log";
  const auto data = template_data_folder(bin, user);
  const int copy_status = run_as_server_user(
      user, {"/bin/cp", "-a", data.string(), (cluster->dir_ / "data").string()}, copy_output);
  if (copy_status != 0) {
    fail("cannot copy the data folder " + data.string() + ":\n" + read_file(copy_output));
  }

  for (int attempt = 1;; ++attempt) {
    cluster->port_ = free_port();
    try {
      cluster->launch(deadline);
      break;
    } catch (const std::runtime_error&) {
      const bool port_taken = cluster->server_log().find("could not bind") != std::string::npos;
      if (!port_taken || attempt == kPortAttempts) throw;
    }
  }

  // The server said it is ready; a connection proves it, and sets up the role and database.
  std::string last_error;
  for (int attempt = 0; attempt < 20 && std::chrono::steady_clock::now() < deadline; ++attempt) {
    try {
      pqxx::connection admin(cluster->admin_conninfo());
      pqxx::nontransaction session(admin);
      session.exec("CREATE ROLE " + std::string(kRole) + " LOGIN PASSWORD " +
                   session.quote(password()));
      session.exec("CREATE DATABASE " + std::string(kDatabase) + " OWNER " + kRole);
      return cluster;
    } catch (const pqxx::broken_connection& error) {
      last_error = error.what();
    }
  }
  fail("the server does not accept connections: " + last_error + "\n" + cluster->server_log());
}

void PostgresCluster::launch(std::chrono::steady_clock::time_point deadline) {
  stop();
  {
    std::lock_guard guard(mutex_);
    log_.clear();
    ready_ = false;
    output_closed_ = false;
  }
  const ServerUser user = server_user();
  std::vector<std::string> args = {(server_binaries() / "postgres").string(), "-D",
                                   (dir_ / "data").string(), "-c", "listen_addresses=127.0.0.1",
                                   "-c", "port=" + std::to_string(port_), "-c",
                                   "unix_socket_directories=" + dir_.string(),
                                   // Durability is pointless for a throw-away cluster.
                                   "-c", "fsync=off", "-c", "synchronous_commit=off", "-c",
                                   "full_page_writes=off", "-c", "max_connections=200",
                                   // Segments in the data folder, deleted with it, even after
                                   // an immediate shutdown.
                                   "-c", "dynamic_shared_memory_type=mmap"};
  int output[2];
  if (::pipe2(output, O_CLOEXEC) != 0) fail(std::string("pipe: ") + std::strerror(errno));
  const pid_t parent = ::getpid();
  SpawnSettings settings;
  settings.stdout_fd = output[1];
  settings.stderr_to_stdout = true;
  settings.in_child = [&user, parent] {
    become(user);
    // After the user switch, which clears it: the server quits (immediate shutdown) when the test
    // process dies, even by SIGKILL.
    ::prctl(PR_SET_PDEATHSIG, SIGQUIT);
    if (::getppid() != parent) ::_exit(125);
  };
  pid_t pid = -1;
  const int failed = spawn_redirected(std::move(args), settings, pid);
  ::close(output[1]);
  if (failed != 0) {
    ::close(output[0]);
    fail(std::string("cannot start postgres: ") + std::strerror(failed));
  }
  server_pid_ = pid;
  reader_ = std::make_unique<std::thread>([this, fd = output[0]] { read_server_output(fd); });

  std::unique_lock lock(mutex_);
  const bool settled =
      changed_.wait_until(lock, deadline, [&] { return ready_ || output_closed_; });
  if (ready_) return;
  const std::string log = log_;
  lock.unlock();
  stop();
  fail(std::string(settled ? "the server stopped before it was ready"
                           : "the server was not ready in time") +
       " (port " + std::to_string(port_) + "):\n" + log);
}

void PostgresCluster::read_server_output(int fd) {
  char buffer[4096];
  std::string line;
  while (true) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    std::lock_guard guard(mutex_);
    log_.append(buffer, static_cast<std::size_t>(got));
    if (!ready_ && log_.find(kReadyLine) != std::string::npos) {
      ready_ = true;
      changed_.notify_all();
    }
    if (log_.size() > 2 * kKeptLogBytes) log_.erase(0, log_.size() - kKeptLogBytes);
  }
  ::close(fd);
  std::lock_guard guard(mutex_);
  output_closed_ = true;
  changed_.notify_all();
}

void PostgresCluster::stop() {
  if (::getpid() != owner_pid_) return;
  if (server_pid_ > 0) {
    // Immediate shutdown: nothing here is worth a checkpoint.
    ::kill(server_pid_, SIGQUIT);
    while (::waitpid(server_pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
    server_pid_ = -1;
  }
  if (reader_ && reader_->joinable()) reader_->join();
  reader_.reset();
}

PostgresCluster::~PostgresCluster() {
  if (::getpid() != owner_pid_) {
    // A forked copy: the reader thread does not exist in this process; leave its handle alone.
    [[maybe_unused]] auto* abandoned = reader_.release();
    return;
  }
  stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string PostgresCluster::url() const {
  return url_with_password(password());
}

std::string PostgresCluster::url_with_password(const std::string& password) const {
  return std::string("postgresql://") + kRole + ":" + percent_encode(password) +
         "@127.0.0.1:" + std::to_string(port_) + "/" + kDatabase + "?sslmode=disable";
}

std::string PostgresCluster::database() {
  return kDatabase;
}

std::string PostgresCluster::role() {
  return kRole;
}

std::string PostgresCluster::admin_conninfo(const std::string& database) const {
  return "host=" + dir_.string() + " port=" + std::to_string(port_) +
         " user=postgres dbname=" + database;
}

void PostgresCluster::execute(const std::string& sql) const {
  pqxx::connection connection(url());
  pqxx::nontransaction work(connection);
  work.exec(sql);
}

std::string PostgresCluster::server_log() const {
  std::lock_guard guard(mutex_);
  return log_;
}

namespace {

struct SharedCluster {
  std::unique_ptr<PostgresCluster> cluster;
  std::optional<std::string> failure;
};

SharedCluster& shared() {
  static SharedCluster instance;
  return instance;
}

// Stops the shared cluster when the tests end, before static destruction.
class PostgresClusterEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { shared().cluster.reset(); }
};

[[maybe_unused]] const auto* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new PostgresClusterEnvironment);

}  // namespace

PostgresCluster& shared_postgres_cluster() {
  auto& state = shared();
  if (state.cluster) return *state.cluster;
  if (state.failure) throw std::runtime_error(*state.failure);
  try {
    state.cluster = PostgresCluster::start();
  } catch (const std::exception& error) {
    state.failure = error.what();
    throw;
  }
  return *state.cluster;
}

}  // namespace notionsync::testing
