// Token: a Notion integration's secret, read from the environment or a file, never printed.
//
//   auto token = notionsync::Token::from_env();              // NOTION_TOKEN, else the file named
//                                                            // by NOTION_TOKEN_FILE
//   auto token = notionsync::Token::from_file("/run/secrets/notion");
//   notion::Client client({.token = token});
//
// A Token has no stream operator and no conversion to text: it cannot end up in a log line or an
// error message by accident. The client reads it (reveal()) for the Authorization header only.
// Errors about a token name where it was looked for, never its value.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace notionsync::notion {

class Token {
 public:
  Token() = default;  // empty: a Client refuses it
  // From a secret held in memory (a test's, or one read some other way). Implicit, so that
  // `ClientOptions{.token = "secret_..."}` reads naturally; a null pointer is an empty token.
  Token(std::string secret);  // NOLINT(google-explicit-constructor)
  Token(const char* secret);  // NOLINT(google-explicit-constructor)

  // The value of the environment variable `variable`; when it is unset or empty, the content of
  // the file named by `variable`_FILE (NOTION_TOKEN_FILE), as from_file() reads it. Throws
  // Error(ErrorKind::invalid_argument) naming both variables when neither gives a token.
  static Token from_env(std::string_view variable = "NOTION_TOKEN");
  // The content of `path`, without the whitespace around it (a trailing newline). Throws
  // Error(ErrorKind::invalid_argument) naming the path when it cannot be read or holds nothing.
  static Token from_file(const std::filesystem::path& path);

  bool empty() const { return secret_.empty(); }
  // The secret itself, for the Authorization header. Whatever prints it prints the secret.
  std::string_view reveal() const { return secret_; }

 private:
  std::string secret_;
};

}  // namespace notionsync::notion

namespace notionsync {
using notion::Token;
}  // namespace notionsync
