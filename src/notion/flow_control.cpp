#include "notion/flow_control.hpp"

#include "notionsync/core/error.hpp"

namespace notionsync::notion {

FlowControl::FlowControl(FlowLimits limits, SteadyTime start)
    : limits_(limits), limiter_(limits.rate, start) {
  if (limits.max_in_flight < 1) {
    throw Error(ErrorKind::invalid_argument, "max_in_flight must be at least 1");
  }
}

Admission FlowControl::try_start(SteadyTime now) {
  if (in_flight_ >= limits_.max_in_flight) return {false, SteadyTime::max()};
  Admission admission = limiter_.try_acquire(now);
  if (admission.admitted) ++in_flight_;
  return admission;
}

void FlowControl::finish() {
  if (in_flight_ <= 0) throw Error(ErrorKind::internal, "FlowControl::finish without a start");
  --in_flight_;
}

}  // namespace notionsync::notion
