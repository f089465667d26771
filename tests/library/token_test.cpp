// Token: read from the environment or a file, and never printed.
#include "notionsync/notion/token.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

#include "notionsync/core/error.hpp"
#include "notionsync/notion/client.hpp"
#include "support/temp_dir.hpp"

namespace notionsync::testing {
namespace {

constexpr const char* kSecret = "ntn_token_test_secret_value";

std::string message_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::invalid_argument);
    return error.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

TEST(TokenTest, FromEnvReadsTheVariableElseTheFileItsFileVariableNames) {
  TempDir dir;
  std::ofstream(dir.file("token")) << "  " << kSecret << "\n";
  ::setenv("TOKEN_TEST", kSecret, 1);
  ::setenv("TOKEN_TEST_FILE", dir.file("nothing-here").c_str(), 1);
  EXPECT_EQ(Token::from_env("TOKEN_TEST").reveal(), kSecret);  // the variable wins

  ::unsetenv("TOKEN_TEST");
  ::setenv("TOKEN_TEST_FILE", dir.file("token").c_str(), 1);
  EXPECT_EQ(Token::from_env("TOKEN_TEST").reveal(), kSecret);  // trimmed
  ::unsetenv("TOKEN_TEST_FILE");

  const std::string message = message_of([] { Token::from_env("TOKEN_TEST"); });
  EXPECT_NE(message.find("TOKEN_TEST"), std::string::npos) << message;
  EXPECT_NE(message.find("TOKEN_TEST_FILE"), std::string::npos) << message;
}

TEST(TokenTest, FileErrorsNameThePathNeverTheContent) {
  TempDir dir;
  std::ofstream(dir.file("empty")) << " \n";
  const std::string empty = message_of([&] { Token::from_file(dir.file("empty")); });
  EXPECT_NE(empty.find(dir.file("empty")), std::string::npos) << empty;
  EXPECT_NE(empty.find("empty"), std::string::npos) << empty;
  const std::string missing = message_of([&] { Token::from_file(dir.file("missing")); });
  EXPECT_NE(missing.find(dir.file("missing")), std::string::npos) << missing;
}

TEST(TokenTest, AClientRefusesAnEmptyTokenAndOneWithALineBreak) {
  const std::string empty = message_of([] { notion::Client client(notion::ClientOptions{}); });
  EXPECT_NE(empty.find("token"), std::string::npos) << empty;
  const char* null_secret = nullptr;
  EXPECT_TRUE(Token(null_secret).empty());
  notion::ClientOptions options;
  options.token = std::string(kSecret) + "\r\nX-Injected: 1";
  options.base_url = "http://127.0.0.1:9";
  const std::string broken = message_of([&] { notion::Client client(options); });
  EXPECT_NE(broken.find("line break"), std::string::npos) << broken;
  EXPECT_EQ(broken.find(kSecret), std::string::npos) << broken;
}

}  // namespace
}  // namespace notionsync::testing
