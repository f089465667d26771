#include "notion_emulator/fault_spec.hpp"

#include <array>
#include <cctype>
#include <stdexcept>

namespace notion_emulator {
namespace {

struct KindName {
  FaultKind kind;
  std::string_view name;
};

constexpr std::array<KindName, 10> kKinds = {{
    {FaultKind::rate_limited, "429"},
    {FaultKind::internal_server_error, "500"},
    {FaultKind::bad_gateway, "502"},
    {FaultKind::service_unavailable, "503"},
    {FaultKind::gateway_timeout, "504"},
    {FaultKind::service_overload, "529"},
    {FaultKind::conflict, "409"},
    {FaultKind::stall, "stall"},
    {FaultKind::reset_before, "reset_before"},
    {FaultKind::reset_after, "reset_after"},
}};

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

[[noreturn]] void fail(std::string_view rule, std::string_view why) {
  throw std::invalid_argument("bad fault rule '" + std::string(rule) + "': " + std::string(why));
}

int parse_int(std::string_view text, std::string_view rule) {
  if (text.empty() || text.size() > 9) fail(rule, "expected a number");
  int value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') fail(rule, "expected a number");
    value = value * 10 + (c - '0');
  }
  return value;
}

FaultRule parse_rule(std::string_view rule) {
  FaultRule parsed;
  std::string_view rest = rule;
  // Trailer: ":probability" or "#count".
  const std::size_t trailer = rest.find_last_of(":#");
  if (trailer == std::string_view::npos) fail(rule, "needs ':PROBABILITY' or '#COUNT'");
  const std::string_view amount = trim(rest.substr(trailer + 1));
  if (rest[trailer] == '#') {
    parsed.count = parse_int(amount, rule);
  } else {
    try {
      std::size_t used = 0;
      parsed.probability = std::stod(std::string(amount), &used);
      if (used != amount.size()) fail(rule, "bad probability");
    } catch (const std::logic_error&) {
      fail(rule, "bad probability");
    }
    if (parsed.probability < 0.0 || parsed.probability > 1.0)
      fail(rule, "probability must be in 0..1");
  }
  rest = trim(rest.substr(0, trailer));
  // Scope: "@METHOD PATH", "@METHOD", "@PATH".
  if (const std::size_t at = rest.find('@'); at != std::string_view::npos) {
    std::string_view scope = trim(rest.substr(at + 1));
    rest = trim(rest.substr(0, at));
    std::size_t method_end = 0;
    while (method_end < scope.size() && std::isupper(static_cast<unsigned char>(scope[method_end])))
      ++method_end;
    parsed.method = std::string(scope.substr(0, method_end));
    parsed.path_prefix = std::string(trim(scope.substr(method_end)));
    if (!parsed.path_prefix.empty() && parsed.path_prefix.front() != '/')
      fail(rule, "path must start with '/'");
    if (parsed.method.empty() && parsed.path_prefix.empty()) fail(rule, "empty scope after '@'");
  }
  // Kind with an optional "(argument)".
  if (const std::size_t open = rest.find('('); open != std::string_view::npos) {
    if (rest.back() != ')') fail(rule, "unclosed '('");
    parsed.argument = parse_int(rest.substr(open + 1, rest.size() - open - 2), rule);
    rest = trim(rest.substr(0, open));
  }
  for (const KindName& kind : kKinds) {
    if (kind.name == rest) {
      parsed.kind = kind.kind;
      return parsed;
    }
  }
  fail(rule, "unknown kind '" + std::string(rest) + "'");
}

int default_argument(FaultKind kind) {
  switch (kind) {
    case FaultKind::rate_limited:
    case FaultKind::service_overload:
      return 1;  // Retry-After seconds
    case FaultKind::stall:
      return 10000;  // milliseconds, longer than a typical client timeout in tests
    default:
      return 0;
  }
}

}  // namespace

std::string_view fault_name(FaultKind kind) {
  for (const KindName& entry : kKinds) {
    if (entry.kind == kind) return entry.name;
  }
  return "unknown";
}

std::vector<FaultRule> parse_fault_spec(std::string_view spec) {
  std::vector<FaultRule> rules;
  while (!trim(spec).empty()) {
    const std::size_t comma = spec.find(',');
    const std::string_view rule = trim(spec.substr(0, comma));
    if (rule.empty()) throw std::invalid_argument("bad fault spec: empty rule");
    rules.push_back(parse_rule(rule));
    if (comma == std::string_view::npos) break;
    spec.remove_prefix(comma + 1);
  }
  return rules;
}

FaultInjector::FaultInjector(std::vector<FaultRule> rules, std::uint64_t seed)
    : rules_(std::move(rules)), generator_(seed) {}

std::optional<Fault> FaultInjector::decide(std::string_view method, std::string_view path) {
  const auto applies = [&](const FaultRule& rule) {
    return (rule.method.empty() || rule.method == method) &&
           path.substr(0, rule.path_prefix.size()) == rule.path_prefix;
  };
  const auto fire = [](const FaultRule& rule) {
    return Fault{rule.kind, rule.argument >= 0 ? rule.argument : default_argument(rule.kind)};
  };
  for (FaultRule& rule : rules_) {
    if (rule.count > 0 && applies(rule)) {
      --rule.count;
      return fire(rule);
    }
  }
  for (const FaultRule& rule : rules_) {
    if (rule.count >= 0 || !applies(rule)) continue;
    // Matching probability rules draw in spec order; the first hit fires.
    const double draw = std::uniform_real_distribution<double>(0.0, 1.0)(generator_);
    if (draw < rule.probability) return fire(rule);
  }
  return std::nullopt;
}

}  // namespace notion_emulator
