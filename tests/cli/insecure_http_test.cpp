// The Notion token never crosses the network in clear text: a base URL of plain http:// to
// another machine is refused before any request, by the client and so by every command, unless
// allow_insecure_http says the proxy is trusted (and then `sync` and `doctor` warn).
//
// Each notionsync here runs in a network namespace of its own (`unshare -rn`: only a loopback
// interface, and that one down), so no packet can leave the machine even if the check failed.
#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include "notionsync/core/error.hpp"
#include "notionsync/notion/client.hpp"
#include "support/temp_dir.hpp"

namespace notionsync::testing {
namespace {

constexpr const char* kToken = "secret_insecureHttpToken8Hq2Lz";

class InsecureHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (run_to_completion({"unshare", "-rn", "true"}, dir.path().string(), {}).exit_code != 0) {
      GTEST_SKIP() << "network namespaces are not available here (unshare -rn failed): the test "
                      "runs notionsync only where no packet can leave the machine";
    }
    std::ofstream(dir.file("people.csv")) << "name,email\nAda,ada@example.com\n";
  }

  void write_config(const std::string& notion_table) {
    std::ofstream(dir.file("notionsync.toml"))
        << "[app]\nname = \"people\"\n[notion]\n"
        << notion_table
        << "[[target]]\nname = \"people\"\nparent_page_id = \"6e1f3c9a2b7d4c589a417d0e5b2c8f13\"\n"
           "title = \"People\"\nsource = { type = \"csv\", path = \"people.csv\" }\n"
           "key = [\"email\"]\n[target.properties]\n"
           "Name = { column = \"name\", type = \"title\" }\n"
           "Email = { column = \"email\", type = \"email\" }\n";
  }

  // notionsync `args` in a network namespace of its own.
  CliResult isolated(const std::vector<std::string>& args,
                     std::map<std::string, std::string> env = {}) {
    std::vector<std::string> argv = {"unshare", "-rn", NOTIONSYNC_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    env.emplace("NOTION_TOKEN", kToken);
    env.emplace("NOTION_API_BASE_URL", "");
    ProcessRun run = run_to_completion(std::move(argv), dir.path().string(), env);
    EXPECT_EQ(run.out.find(kToken), std::string::npos);
    EXPECT_EQ(run.err.find(kToken), std::string::npos);
    return {run.exit_code, std::move(run.out), std::move(run.err)};
  }

  TempDir dir;
};

TEST_F(InsecureHttpTest, PlainHttpToAnotherMachineIsRefusedByEveryCommand) {
  write_config("base_url = \"http://10.255.0.1:8080\"\n");
  for (const std::string command : {"sync", "plan"}) {
    const auto result = isolated({command});
    EXPECT_EQ(result.exit_code, 2) << command << result.err;
    EXPECT_NE(result.err.find("notionsync.toml: [notion] base_url \"http://10.255.0.1:8080\" is "
                              "plain HTTP to another machine"),
              std::string::npos)
        << command << ": " << result.err;
    EXPECT_NE(result.err.find("allow_insecure_http"), std::string::npos) << result.err;
  }
  const auto doctor = isolated({"doctor"});
  EXPECT_EQ(doctor.exit_code, 2);
  EXPECT_NE(doctor.out.find("FAIL Notion API address: [notion] base_url"), std::string::npos)
      << doctor.out;
  EXPECT_NE(doctor.out.find("fix: use https://"), std::string::npos) << doctor.out;
  EXPECT_EQ(doctor.out.find("token accepted"), std::string::npos) << doctor.out;
}

TEST_F(InsecureHttpTest, TheEnvironmentVariableIsCheckedTooAndNamed) {
  write_config("");
  const auto result = isolated({"sync"}, {{"NOTION_API_BASE_URL", "http://example.com"}});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("NOTION_API_BASE_URL \"http://example.com\" is plain HTTP"),
            std::string::npos)
      << result.err;
  const auto ftp = isolated({"sync"}, {{"NOTION_API_BASE_URL", "ftp://10.255.0.1"}});
  EXPECT_EQ(ftp.exit_code, 2);
  EXPECT_NE(ftp.err.find("is not an https:// URL"), std::string::npos) << ftp.err;
}

// Opting in for a trusted proxy lets the request go (here it finds no network: the namespace has
// none), and says on stderr, without -v, that the token travels in clear text.
TEST_F(InsecureHttpTest, AllowInsecureHttpLetsItThroughWithAWarning) {
  write_config("base_url = \"http://10.255.0.1:8080\"\nallow_insecure_http = true\n");
  const auto doctor = isolated({"doctor"});
  EXPECT_NE(doctor.out.find("ok Notion API address: http://10.255.0.1:8080 ([notion] base_url): "
                            "WARNING: the Notion token is sent in clear text"),
            std::string::npos)
      << doctor.out;
  // Past the check, the client tried (and found no network): every command that sends the token
  // says so on stderr, as `sync` does.
  EXPECT_NE(doctor.out.find("FAIL Notion API http://10.255.0.1:8080"), std::string::npos)
      << doctor.out;
  EXPECT_NE(doctor.err.find("notionsync: warning: the Notion token is sent in clear text to "
                            "http://10.255.0.1:8080"),
            std::string::npos)
      << doctor.err;
}

// Loopback addresses (the emulator) need no opt-in.
TEST(BaseUrlTest, AcceptsHttpsAndLoopbackHttpOnly) {
  for (const char* accepted :
       {"https://api.notion.com", "HTTPS://proxy.example.com:8443/notion", "http://127.0.0.1:8787",
        "http://127.1.2.3", "http://localhost:9", "http://LOCALHOST", "http://[::1]:8787",
        "http://[::ffff:127.0.0.1]:80", "http://user@127.0.0.1:80/x"}) {
    EXPECT_NO_THROW(notion::check_base_url(accepted, false)) << accepted;
  }
  for (const char* refused :
       {"http://10.0.0.5", "http://api.notion.com", "http://127.0.0.1.evil.example",
        "http://localhost.evil.example", "http://127.0.0.1@evil.example", "http://[::2]",
        "http://[::ffff:10.0.0.1]", "http://128.0.0.1", "ftp://127.0.0.1", "api.notion.com",
        "https://", "http://"}) {
    EXPECT_THROW(notion::check_base_url(refused, false), Error) << refused;
  }
  EXPECT_NO_THROW(notion::check_base_url("http://10.0.0.5", true));
  EXPECT_THROW(notion::check_base_url("ftp://10.0.0.5", true), Error);
}

// The client refuses at construction, before its thread or any request exists.
TEST(BaseUrlTest, TheClientRefusesBeforeSendingAnything) {
  notion::ClientOptions options;
  options.token = kToken;
  options.base_url = "http://10.255.0.1";
  try {
    notion::Client client(options);
    FAIL() << "a client was made for plain HTTP to another machine";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::invalid_argument);
    EXPECT_NE(std::string(error.what()).find("base_url \"http://10.255.0.1\""), std::string::npos);
    EXPECT_EQ(std::string(error.what()).find(kToken), std::string::npos);
  }
  options.allow_insecure_http = true;
  EXPECT_NO_THROW(notion::Client{options});
}

}  // namespace
}  // namespace notionsync::testing
