// PostgresCluster: a throw-away PostgreSQL server for tests.
//
//   auto cluster = PostgresCluster::start();          // initdb + postgres on a free port
//   cluster->execute("CREATE TABLE t (a int)");       // runs SQL through psql
//   connect_to(cluster->url());                        //
//   postgresql://postgres@127.0.0.1:<port>/postgres cluster->stop(); // or let the destructor do it
//
// The cluster lives in a fresh temporary folder (data, unix socket, server log), listens on
// 127.0.0.1 only, trusts every local connection (no password), and is stopped and deleted on
// stop() or destruction. initdb refuses to run as root, so under root the server runs as the
// `postgres` system user. The server binaries are looked up in $NOTIONSYNC_PG_BINDIR, else the
// newest /usr/lib/postgresql/<version>/bin. The server also dies with the test process
// (PR_SET_PDEATHSIG), so a crashed test leaves no server behind.
//
// Self-contained (POSIX and the C++ standard library only) so other suites can reuse it.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>

namespace notionsync::testing {

class PostgresCluster {
 public:
  // Creates and starts a cluster and waits (bounded) until it accepts connections. Throws
  // std::runtime_error saying why it could not (no binaries, no postgres user, initdb or server
  // failure, with the tail of the server log).
  static std::unique_ptr<PostgresCluster> start();

  ~PostgresCluster();
  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;

  // A libpq URL for `database` as the superuser "postgres".
  std::string url(const std::string& database = "postgres") const;
  int port() const { return port_; }
  const std::filesystem::path& directory() const { return directory_; }

  // Runs `sql` with psql against `database`, stopping at the first error. Throws
  // std::runtime_error with psql's output when it fails.
  void execute(const std::string& sql, const std::string& database = "postgres") const;

  // Stops the server (fast shutdown, bounded wait, then SIGKILL) and deletes the folder. Safe to
  // call more than once.
  void stop();

 private:
  PostgresCluster() = default;

  std::filesystem::path bin_directory_;
  std::filesystem::path directory_;
  int port_ = 0;
  pid_t server_pid_ = -1;
};

}  // namespace notionsync::testing
