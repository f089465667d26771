#include "notionsync/notion/token.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "notionsync/core/error.hpp"

namespace notionsync::notion {
namespace {

std::string trimmed(std::string text) {
  const auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
  };
  std::size_t begin = 0;
  while (begin < text.size() && is_space(text[begin])) ++begin;
  std::size_t end = text.size();
  while (end > begin && is_space(text[end - 1])) --end;
  return text.substr(begin, end - begin);
}

}  // namespace

Token::Token(std::string secret) : secret_(std::move(secret)) {}

Token::Token(const char* secret) : secret_(secret != nullptr ? secret : "") {}

Token Token::from_env(std::string_view variable) {
  const std::string name(variable);
  if (const char* value = std::getenv(name.c_str()); value != nullptr && *value != '\0') {
    return Token(trimmed(value));
  }
  const std::string file_variable = name + "_FILE";
  if (const char* path = std::getenv(file_variable.c_str()); path != nullptr && *path != '\0') {
    return from_file(path);
  }
  throw Error(ErrorKind::invalid_argument, "no Notion token: set " + name +
                                               " to your integration's secret "
                                               "(notion.so/profile/integrations), or " +
                                               file_variable + " to a file holding it");
}

Token Token::from_file(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw Error(ErrorKind::invalid_argument, "cannot read the Notion token file " + path.string());
  }
  std::ostringstream content;
  content << file.rdbuf();
  Token token(trimmed(content.str()));
  if (token.empty()) {
    throw Error(ErrorKind::invalid_argument,
                "the Notion token file " + path.string() + " is empty");
  }
  return token;
}

}  // namespace notionsync::notion
