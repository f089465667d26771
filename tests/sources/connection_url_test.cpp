#include "sources/connection_url.hpp"

#include <gtest/gtest.h>

namespace notionsync::sources::detail {
namespace {

struct RedactionCase {
  std::string url;
  std::string redacted;
  std::vector<std::string> secrets;
};

class RedactionTest : public ::testing::TestWithParam<RedactionCase> {};

TEST_P(RedactionTest, PasswordIsReplaced) {
  const RedactionCase& c = GetParam();
  EXPECT_EQ(redact_connection_url(c.url), c.redacted);
  EXPECT_EQ(connection_secrets(c.url), c.secrets);
}

INSTANTIATE_TEST_SUITE_P(
    Forms, RedactionTest,
    ::testing::Values(RedactionCase{"postgresql://sync:s3cret@db:5432/crm",
                                    "postgresql://sync:***@db:5432/crm",
                                    {"s3cret"}},
                      RedactionCase{"postgres://sync:p%40ss@db/crm",
                                    "postgres://sync:***@db/crm",
                                    {"p%40ss", "p@ss"}},
                      RedactionCase{"postgresql://sync@db/crm?password=hunter2&sslmode=require",
                                    "postgresql://sync@db/crm?password=***&sslmode=require",
                                    {"hunter2"}},
                      RedactionCase{"postgresql://db/crm", "postgresql://db/crm", {}},
                      RedactionCase{"host=db password=s3cret user=sync",
                                    "host=db password=*** user=sync",
                                    {"s3cret"}},
                      RedactionCase{"host=db password = 'a b\\'c' user=sync",
                                    "host=db password = '***' user=sync",
                                    {"a b\\'c"}}));

}  // namespace
}  // namespace notionsync::sources::detail
