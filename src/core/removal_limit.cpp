#include "notionsync/core/removal_limit.hpp"

#include <cmath>
#include <cstdio>

#include "notionsync/core/error.hpp"

namespace notionsync {
namespace {

// The standard limit: more than half, when that is more than a handful of rows. Removing a few
// rows of a small target is ordinary editing; removing most of a large one rarely is.
constexpr std::size_t standard_floor = 10;

std::string format_percent(double percent) {
  char text[32];
  std::snprintf(text, sizeof text, "%g%%", percent);
  return text;
}

}  // namespace

RemovalLimit RemovalLimit::percent(double percent) {
  if (!(percent >= 0 && percent <= 100)) {
    throw Error(ErrorKind::invalid_argument,
                "a removal limit in percent must be between 0 and 100, got " +
                    (std::isfinite(percent) ? format_percent(percent) : std::string("NaN")));
  }
  RemovalLimit limit;
  limit.kind_ = Kind::percent;
  limit.percent_ = percent;
  return limit;
}

RemovalLimit RemovalLimit::at_most(std::size_t rows) {
  RemovalLimit limit;
  limit.kind_ = Kind::count;
  limit.count_ = rows;
  return limit;
}

RemovalLimit RemovalLimit::unlimited() {
  RemovalLimit limit;
  limit.kind_ = Kind::unlimited;
  return limit;
}

bool RemovalLimit::allows(std::size_t removals, std::size_t tracked, std::size_t declared) const {
  if (removals == 0) return true;
  switch (kind_) {
    case Kind::standard:
      // A source that yields no row while rows are tracked is far more often broken than emptied.
      if (declared == 0) return false;
      return removals <= standard_floor || 2 * removals <= tracked;
    case Kind::percent:
      return static_cast<double>(removals) * 100.0 <= percent_ * static_cast<double>(tracked);
    case Kind::count:
      return removals <= count_;
    case Kind::unlimited:
      return true;
  }
  return false;
}

std::string RemovalLimit::to_string() const {
  switch (kind_) {
    case Kind::standard:
      return "more than 50% when that is more than " + std::to_string(standard_floor) +
             ", or any when no row is declared";
    case Kind::percent:
      return "more than " + format_percent(percent_);
    case Kind::count:
      return "more than " + std::to_string(count_);
    case Kind::unlimited:
      return "none";
  }
  return "unknown";
}

}  // namespace notionsync
