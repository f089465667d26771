// This machine's name, as locks and workers record who holds what.
#pragma once

#include <string>
#include <string_view>

namespace notionsync::util {

// gethostname(), or `fallback` when the system cannot say.
std::string host_name(std::string_view fallback);

}  // namespace notionsync::util
