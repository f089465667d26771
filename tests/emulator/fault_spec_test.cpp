// Parsing and deciding fault rules.
#include "notion_emulator/fault_spec.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace notion_emulator {
namespace {

TEST(FaultSpecTest, ParsesProbabilitiesCountsScopesAndArguments) {
  const auto rules = parse_fault_spec(
      "429:0.2, 503:0.1,reset_after@POST /v1/pages#1,429(7)#3,stall(250)@PATCH#2,500@/v1/search:1");
  ASSERT_EQ(rules.size(), 6u);
  EXPECT_EQ(rules[0].kind, FaultKind::rate_limited);
  EXPECT_DOUBLE_EQ(rules[0].probability, 0.2);
  EXPECT_EQ(rules[0].count, -1);
  EXPECT_EQ(rules[2].kind, FaultKind::reset_after);
  EXPECT_EQ(rules[2].method, "POST");
  EXPECT_EQ(rules[2].path_prefix, "/v1/pages");
  EXPECT_EQ(rules[2].count, 1);
  EXPECT_EQ(rules[3].argument, 7);
  EXPECT_EQ(rules[3].count, 3);
  EXPECT_EQ(rules[4].kind, FaultKind::stall);
  EXPECT_EQ(rules[4].method, "PATCH");
  EXPECT_TRUE(rules[4].path_prefix.empty());
  EXPECT_EQ(rules[5].method, "");
  EXPECT_EQ(rules[5].path_prefix, "/v1/search");
}

TEST(FaultSpecTest, MethodAndPathMayBeWrittenWithoutASpace) {
  const auto rules = parse_fault_spec("reset_before@POST/v1/pages#1");
  EXPECT_EQ(rules[0].method, "POST");
  EXPECT_EQ(rules[0].path_prefix, "/v1/pages");
}

TEST(FaultSpecTest, EmptySpecHasNoRules) {
  EXPECT_TRUE(parse_fault_spec("  ").empty());
}

TEST(FaultSpecTest, RejectsMalformedRules) {
  for (const char* spec : {"418:0.5", "429", "429:2", "429:abc", "429#x", "stall(:0.1", "500@:0.1",
                           "500@pages#1", "429:0.1,,"}) {
    EXPECT_THROW(parse_fault_spec(spec), std::invalid_argument) << spec;
  }
}

TEST(FaultSpecTest, CountRulesFireOnTheNextMatchingRequestsOnly) {
  FaultInjector injector(parse_fault_spec("reset_after@POST /v1/pages#1,429#2"), 1);
  EXPECT_EQ(injector.decide("GET", "/v1/pages/x")->kind, FaultKind::rate_limited);
  EXPECT_EQ(injector.decide("POST", "/v1/pages")->kind, FaultKind::reset_after);
  EXPECT_EQ(injector.decide("POST", "/v1/pages")->kind, FaultKind::rate_limited);
  EXPECT_FALSE(injector.decide("POST", "/v1/pages").has_value());
}

TEST(FaultSpecTest, DefaultArgumentsAreRetryAfterOneSecondAndTenSecondStalls) {
  FaultInjector injector(parse_fault_spec("429#1,stall#1,529(5)#1"), 1);
  EXPECT_EQ(injector.decide("GET", "/")->argument, 1);
  EXPECT_EQ(injector.decide("GET", "/")->argument, 10000);
  EXPECT_EQ(injector.decide("GET", "/")->argument, 5);
}

TEST(FaultSpecTest, ProbabilitiesAreReproducibleForASeed) {
  const auto run = [](std::uint64_t seed) {
    FaultInjector injector(parse_fault_spec("500:0.3,503:0.3"), seed);
    std::string outcomes;
    for (int i = 0; i < 200; ++i) {
      const auto fault = injector.decide("GET", "/v1/users/me");
      outcomes += fault ? std::string(fault_name(fault->kind)) : "-";
    }
    return outcomes;
  };
  EXPECT_EQ(run(42), run(42));
  EXPECT_NE(run(42), run(43));
  const std::string outcomes = run(7);
  const auto hits =
      std::count(outcomes.begin(), outcomes.end(), '0');  // "500" has two zeros, "503" one
  EXPECT_GT(hits, 60);
  EXPECT_LT(hits, 200);
}

TEST(FaultSpecTest, ProbabilityOneAlwaysAndZeroNeverFires) {
  FaultInjector always(parse_fault_spec("502:1"), 1);
  FaultInjector never(parse_fault_spec("502:0"), 1);
  for (int i = 0; i < 50; ++i) {
    EXPECT_TRUE(always.decide("GET", "/").has_value());
    EXPECT_FALSE(never.decide("GET", "/").has_value());
  }
}

}  // namespace
}  // namespace notion_emulator
