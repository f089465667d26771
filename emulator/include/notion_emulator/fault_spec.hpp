// Fault injection rules for the Notion API emulator, parsed from a short text spec.
//
// A spec is a comma-separated list of rules; each rule names a fault kind, optionally a method and
// path prefix it is restricted to, and either a probability or a count:
//
//   KIND[(ARG)][@[METHOD][ ]PATH_PREFIX](:PROBABILITY | #COUNT)
//
//   429:0.2,503:0.1              every request: 20% answered 429, else 10% answered 503
//   reset_after@POST /v1/pages#1 the first POST /v1/pages is applied, then its connection dropped
//   429(1)#3                     the next three requests answered 429 with Retry-After: 1
//   stall(3000)@PATCH#2          the next two PATCH requests are applied and answered after 3 s
//
// Kinds: 429 (rate_limited, ARG = Retry-After seconds, default 1), 500, 502, 503, 504,
// 529 (service_overload, ARG = Retry-After seconds, default 1), 409 (conflict_error), stall
// (ARG = milliseconds to hold the response, default 10000), reset_before (connection dropped before
// the request is applied), reset_after (request applied, then connection dropped).
// Count rules fire first, in spec order; then each probability rule draws from a generator seeded
// with the seed, in spec order, and the first that hits fires.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace notion_emulator {

enum class FaultKind {
  rate_limited,           // 429
  internal_server_error,  // 500
  bad_gateway,            // 502
  service_unavailable,    // 503
  gateway_timeout,        // 504
  service_overload,       // 529
  conflict,               // 409
  stall,
  reset_before,
  reset_after,
};

struct FaultRule {
  FaultKind kind = FaultKind::internal_server_error;
  int argument = -1;         // Retry-After seconds or stall milliseconds; -1 = the kind's default
  std::string method;        // empty = any method
  std::string path_prefix;   // empty = any path
  double probability = 0.0;  // used when count < 0
  int count = -1;            // >= 0: fire on the next `count` matching requests
};

// The name a fault is reported under in recordings and request logs ("429", "reset_after", ...).
std::string_view fault_name(FaultKind kind);

// Parses a spec. Throws std::invalid_argument naming the offending rule. An empty spec has no
// rules.
std::vector<FaultRule> parse_fault_spec(std::string_view spec);

// A fault that fired for one request: the kind and its resolved argument.
struct Fault {
  FaultKind kind;
  int argument;
};

// Decides, request by request, which fault (if any) applies. Not thread-safe: callers serialize.
class FaultInjector {
 public:
  FaultInjector() = default;
  FaultInjector(std::vector<FaultRule> rules, std::uint64_t seed);

  std::optional<Fault> decide(std::string_view method, std::string_view path);

 private:
  std::vector<FaultRule> rules_;
  std::mt19937_64 generator_;
};

}  // namespace notion_emulator
