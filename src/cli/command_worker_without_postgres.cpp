// notionsync worker in a notionsync built without the PostgreSQL component: workers share a
// PostgreSQL state store, so there is nothing to run.
#include "commands.hpp"
#include "config.hpp"

namespace notionsync::cli {

int run_worker(const GlobalOptions&, const WorkerOptions&) {
  throw ConfigError(std::string("worker: ") + kBuiltWithoutPostgres);
}

}  // namespace notionsync::cli
