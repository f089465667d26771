#include "sources/postgres_cluster.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace notionsync::testing {
namespace {

using Clock = std::chrono::steady_clock;

// Bounds for waiting on the server. Generous: a loaded CI machine may take a while, and they only
// cap a failure, they never delay a success.
constexpr auto kStartTimeout = std::chrono::seconds(60);
constexpr auto kStopTimeout = std::chrono::seconds(30);
constexpr auto kPollInterval = std::chrono::milliseconds(20);
constexpr int kPortAttempts = 5;

[[noreturn]] void fail(const std::string& message) {
  throw std::runtime_error("PostgresCluster: " + message);
}

// The account the server runs as: the postgres system user when we are root, else ourselves.
struct Account {
  bool switch_user = false;
  uid_t uid = 0;
  gid_t gid = 0;
};

Account server_account() {
  if (geteuid() != 0) return {};
  const passwd* user = getpwnam("postgres");
  if (user == nullptr) {
    fail(
        "running as root, and initdb refuses root, but there is no 'postgres' system user to run "
        "the server as");
  }
  return {true, user->pw_uid, user->pw_gid};
}

std::filesystem::path find_bin_directory() {
  if (const char* configured = std::getenv("NOTIONSYNC_PG_BINDIR")) return configured;
  std::vector<std::filesystem::path> candidates;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", error)) {
    if (std::filesystem::exists(entry.path() / "bin" / "initdb")) {
      candidates.push_back(entry.path() / "bin");
    }
  }
  if (candidates.empty()) {
    fail(
        "no PostgreSQL server binaries: /usr/lib/postgresql/<version>/bin/initdb not found "
        "(install Debian's 'postgresql' package or set NOTIONSYNC_PG_BINDIR)");
  }
  // Newest version: compare the version folder numerically ("9.6" < "15").
  std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
    return std::atof(a.parent_path().filename().c_str()) <
           std::atof(b.parent_path().filename().c_str());
  });
  return candidates.back();
}

std::string read_tail(const std::filesystem::path& path, std::size_t bytes = 2000) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  std::string text = content.str();
  if (text.size() > bytes) text = "..." + text.substr(text.size() - bytes);
  return text;
}

// Starts `argv` with stdout and stderr appended to `log`, in `directory`, as `account` when it
// asks for a switch. With `die_with_parent` the child gets SIGQUIT (immediate shutdown for
// postgres) when this process dies.
pid_t spawn(const std::vector<std::string>& argv, const std::filesystem::path& log,
            const std::filesystem::path& directory, const Account& account, bool die_with_parent) {
  // Everything the child needs is prepared before fork: after it only async-signal-safe calls.
  std::vector<char*> arguments;
  for (const std::string& argument : argv) arguments.push_back(const_cast<char*>(argument.c_str()));
  arguments.push_back(nullptr);
  const std::string log_path = log.string();
  const std::string directory_path = directory.string();
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) fail(std::string("fork failed: ") + std::strerror(errno));
  if (pid > 0) return pid;
  const int null_input = open("/dev/null", O_RDONLY);
  const int output = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (null_input < 0 || output < 0 || dup2(null_input, 0) < 0 || dup2(output, 1) < 0 ||
      dup2(output, 2) < 0 || chdir(directory_path.c_str()) != 0) {
    _exit(126);
  }
  if (account.switch_user) {
    if (setgroups(0, nullptr) != 0 || setgid(account.gid) != 0 || setuid(account.uid) != 0) {
      _exit(126);
    }
  }
  // After the user switch: a credential change clears the parent-death signal.
  if (die_with_parent && (prctl(PR_SET_PDEATHSIG, SIGQUIT) != 0 || getppid() != parent)) _exit(126);
  execv(arguments[0], arguments.data());
  _exit(127);
}

// Waits for `pid` to exit; its exit status, or -1 when it died of a signal.
int wait_for_exit(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) fail(std::string("waitpid failed: ") + std::strerror(errno));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Runs `argv` to completion; its exit status.
int run(const std::vector<std::string>& argv, const std::filesystem::path& log,
        const std::filesystem::path& directory, const Account& account) {
  return wait_for_exit(spawn(argv, log, directory, account, false));
}

// A TCP port on 127.0.0.1 that nothing listens on right now (the kernel's pick).
int free_port() {
  const int socket_fd = socket(AF_INET, SOCK_STREAM, 0);
  if (socket_fd < 0) fail(std::string("socket failed: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  const bool ok = bind(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                  getsockname(socket_fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  close(socket_fd);
  if (!ok) fail(std::string("cannot find a free port: ") + std::strerror(errno));
  return ntohs(address.sin_port);
}

std::string quote_for_log(const std::vector<std::string>& argv) {
  std::string text;
  for (const std::string& argument : argv) text += (text.empty() ? "" : " ") + argument;
  return text;
}

}  // namespace

std::unique_ptr<PostgresCluster> PostgresCluster::start() {
  std::unique_ptr<PostgresCluster> cluster(new PostgresCluster());
  const Account account = server_account();
  cluster->bin_directory_ = find_bin_directory();

  // "notionsync-pg-<pid>-": the convention the state store suite's harness shares, whose start-up
  // removes folders of processes that no longer exist (and only those).
  std::string pattern = (std::filesystem::temp_directory_path() /
                         ("notionsync-pg-" + std::to_string(getpid()) + "-XXXXXX"))
                            .string();
  if (mkdtemp(pattern.data()) == nullptr) {
    fail("cannot create a temporary folder: " + std::string(std::strerror(errno)));
  }
  cluster->directory_ = pattern;
  if (account.switch_user && chown(pattern.c_str(), account.uid, account.gid) != 0) {
    fail("cannot hand " + pattern + " to the postgres user: " + std::strerror(errno));
  }

  const std::filesystem::path data = cluster->directory_ / "data";
  const std::filesystem::path initdb_log = cluster->directory_ / "initdb.log";
  const std::vector<std::string> initdb = {(cluster->bin_directory_ / "initdb").string(),
                                           "--pgdata=" + data.string(),
                                           "--username=postgres",
                                           "--auth=trust",
                                           "--encoding=UTF8",
                                           "--no-locale",
                                           "--no-sync"};
  if (run(initdb, initdb_log, cluster->directory_, account) != 0) {
    fail("initdb failed (" + quote_for_log(initdb) + "):\n" + read_tail(initdb_log));
  }

  const std::filesystem::path server_log = cluster->directory_ / "server.log";
  for (int attempt = 1;; ++attempt) {
    cluster->port_ = free_port();
    const std::vector<std::string> server = {
        (cluster->bin_directory_ / "postgres").string(), "-D", data.string(), "-c",
        "listen_addresses=127.0.0.1", "-c", "port=" + std::to_string(cluster->port_), "-c",
        "unix_socket_directories=" + cluster->directory_.string(),
        // A test cluster: durability buys nothing here.
        "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"};
    cluster->server_pid_ = spawn(server, server_log, cluster->directory_, account, true);

    const auto deadline = Clock::now() + kStartTimeout;
    const std::vector<std::string> probe = {(cluster->bin_directory_ / "pg_isready").string(),
                                            "--quiet",
                                            "--host=127.0.0.1",
                                            "--port=" + std::to_string(cluster->port_),
                                            "--username=postgres",
                                            "--dbname=postgres"};
    bool ready = false;
    bool exited = false;
    while (Clock::now() < deadline) {
      int status = 0;
      if (waitpid(cluster->server_pid_, &status, WNOHANG) == cluster->server_pid_) {
        exited = true;
        cluster->server_pid_ = -1;
        break;
      }
      if (run(probe, cluster->directory_ / "pg_isready.log", cluster->directory_, Account{}) == 0) {
        ready = true;
        break;
      }
      std::this_thread::sleep_for(kPollInterval);  // polling interval, not a synchronisation
    }
    if (ready) return cluster;
    const std::string log = read_tail(server_log);
    // Another process may have taken the port between free_port() and the server's bind.
    if (exited && attempt < kPortAttempts && log.find("could not bind") != std::string::npos) {
      continue;
    }
    cluster->stop();
    fail(std::string(exited ? "the server exited during start-up"
                            : "the server did not accept connections within 60 s") +
         "; server log:\n" + log);
  }
}

PostgresCluster::~PostgresCluster() {
  stop();
}

std::string PostgresCluster::url(const std::string& database) const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

void PostgresCluster::execute(const std::string& sql, const std::string& database) const {
  const std::filesystem::path log = directory_ / "psql.log";
  std::filesystem::remove(log);
  const std::vector<std::string> psql = {
      (bin_directory_ / "psql").string(), "--no-psqlrc",     "--quiet", "--set=ON_ERROR_STOP=1",
      "--dbname=" + url(database),        "--command=" + sql};
  if (run(psql, log, directory_, Account{}) != 0) {
    fail("psql failed for: " + sql + "\n" + read_tail(log));
  }
}

void PostgresCluster::stop() {
  if (server_pid_ > 0) {
    kill(server_pid_, SIGINT);  // fast shutdown: roll back sessions, checkpoint, exit
    const auto deadline = Clock::now() + kStopTimeout;
    bool exited = false;
    while (!exited && Clock::now() < deadline) {
      int status = 0;
      const pid_t result = waitpid(server_pid_, &status, WNOHANG);
      exited = result == server_pid_ || (result < 0 && errno != EINTR);
      if (!exited) std::this_thread::sleep_for(kPollInterval);
    }
    if (!exited) {
      kill(server_pid_, SIGKILL);
      waitpid(server_pid_, nullptr, 0);
    }
    server_pid_ = -1;
  }
  if (!directory_.empty()) {
    std::error_code ignored;  // best effort: a leftover temp folder must not fail a test
    std::filesystem::remove_all(directory_, ignored);
    directory_.clear();
  }
}

}  // namespace notionsync::testing
