#include "util/connection_url.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace notionsync::util {
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

TEST(ConnectionUrl, KeepsWhatLibpqNeedsAndMasksThePassword) {
  const auto url = parse_connection_url("postgresql://sync:s%3Acret%40x@db.internal:6432/ops");
  EXPECT_EQ(url.conninfo, "postgresql://sync:s%3Acret%40x@db.internal:6432/ops");
  EXPECT_EQ(url.redacted, "postgresql://sync:***@db.internal:6432/ops");
  EXPECT_EQ(url.redact("failed for s:cret@x and s%3Acret%40x"), "failed for *** and ***");
  EXPECT_EQ(url.schema, "");
}

TEST(ConnectionUrl, AcceptsTheShortSchemeAndUrlsWithoutCredentials) {
  EXPECT_EQ(parse_connection_url("postgres://localhost/db").redacted, "postgres://localhost/db");
  EXPECT_EQ(parse_connection_url("postgresql://").conninfo, "postgresql://");
  EXPECT_EQ(parse_connection_url("postgresql://ada@/db").redacted, "postgresql://ada@/db");
  EXPECT_EQ(parse_connection_url("postgresql://[::1]:5433/db").conninfo,
            "postgresql://[::1]:5433/db");
  EXPECT_EQ(parse_connection_url("postgresql://h1:5432,h2:5433/db").conninfo,
            "postgresql://h1:5432,h2:5433/db");
}

TEST(ConnectionUrl, TakesTheSchemaOutAndMasksAPasswordParameter) {
  const auto url = parse_connection_url(
      "postgresql://h/db?sslmode=require&schema=team%20a&password=hunter22&connect_timeout=5");
  EXPECT_EQ(url.schema, "team a");
  EXPECT_EQ(url.conninfo, "postgresql://h/db?sslmode=require&password=hunter22&connect_timeout=5");
  EXPECT_EQ(url.redacted, "postgresql://h/db?sslmode=require&password=***&connect_timeout=5");
  EXPECT_EQ(url.redact("hunter22!"), "***!");
  // A password that is also the database's name is masked there too.
  EXPECT_EQ(parse_connection_url("postgresql://ops:opsdb@h/opsdb").redacted,
            "postgresql://ops:***@h/***");
}

TEST(ConnectionUrl, RefusesOtherFormsWithoutQuotingThem) {
  for (const std::string text :
       {"host=db password=hunter22", "mysql://u:hunter22@h/db", "", "postgresql:/h",
        "postgresql://h/db?password:hunter22", "postgresql://h b/db"}) {
    try {
      parse_connection_url(text);
      ADD_FAILURE() << "accepted " << text;
    } catch (const std::invalid_argument& error) {
      EXPECT_EQ(std::string(error.what()).find("hunter22"), std::string::npos) << error.what();
    }
  }
}

// The store URL is read the way libpq reads it: user information ends at the first '@' before
// any '/'. redact_connection_url, for any connection string in a message, masks up to the last
// '@' of the authority instead, so a password with an unencoded '@' is masked whole there.
TEST(ConnectionUrl, StoreUrlAndMessageRedactionReadAnUnencodedAtEachTheirWay) {
  EXPECT_EQ(parse_connection_url("postgresql://u:pw@x@h/db").redacted, "postgresql://u:***@x@h/db");
  EXPECT_EQ(redact_connection_url("postgresql://u:pw@x@h/db"), "postgresql://u:***@h/db");
}

}  // namespace
}  // namespace notionsync::util
