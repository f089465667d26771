// A throw-away PostgreSQL cluster for tests (the state store, source and worker suites): initdb in
// a temporary folder, a server listening only on 127.0.0.1 (a free port) and on a unix socket in
// that folder, a test database owned by a role with a password. Stopped and deleted when the
// object dies; the server also dies with the test process (parent-death signal), so a crashed test
// binary leaves no server behind.
//
// initdb runs once: its data folder is kept in the temp folder ("notionsync-pgtemplate-*") and
// copied for each cluster, since ctest runs every test case in a process of its own. Clusters live
// in /dev/shm when there is one. As root (CI), initdb and the server run as the `postgres` system
// user, since PostgreSQL refuses to run as root. Set NOTIONSYNC_PG_BIN to use binaries other than
// Debian's newest /usr/lib/postgresql/N/bin.
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace notionsync::testing {

class PostgresCluster {
 public:
  // Starts a cluster. Throws std::runtime_error with the reason (and the server's output) when it
  // cannot within `timeout`.
  static std::unique_ptr<PostgresCluster> start(
      std::chrono::seconds timeout = std::chrono::seconds(60));
  ~PostgresCluster();
  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;

  // The test database as the test role, over TCP: postgresql://role:password@127.0.0.1:port/db.
  std::string url() const;
  // The same with `password` instead of the real one.
  std::string url_with_password(const std::string& password) const;
  // The test role's password, as the server knows it (the URL carries it percent-encoded).
  static const std::string& password();
  // The test database's name, and the test role's.
  static std::string database();
  static std::string role();
  // Superuser access over the unix socket (trust), for setting up and inspecting.
  std::string admin_conninfo(const std::string& database = "postgres") const;
  int port() const { return port_; }
  // What the server printed so far (its last 64 KiB).
  std::string server_log() const;
  // The folder holding the cluster (data, socket); deleted with the object.
  const std::filesystem::path& directory() const { return dir_; }

  // Runs `sql` (one or more statements) as the test role in the test database. Throws what libpqxx
  // throws when a statement fails.
  void execute(const std::string& sql) const;

  // Shuts the server down now (safe to call more than once); the folder goes with the object.
  void stop();

 private:
  PostgresCluster() = default;
  void launch(std::chrono::steady_clock::time_point deadline);
  void read_server_output(int fd);

  std::filesystem::path dir_;
  int port_ = 0;
  pid_t server_pid_ = -1;
  pid_t owner_pid_ = ::getpid();  // forked test children must never stop the server
  std::unique_ptr<std::thread> reader_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string log_;
  bool ready_ = false;
  bool output_closed_ = false;
};

// The cluster shared by every test of this binary: started on first use, stopped when the tests
// end (a gtest Environment). Throws the start failure's reason, on every call, if it could not
// start.
PostgresCluster& shared_postgres_cluster();

}  // namespace notionsync::testing
