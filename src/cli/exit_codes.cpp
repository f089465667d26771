#include "exit_codes.hpp"

#include "config.hpp"
#include "notionsync/notion/api_error.hpp"

namespace notionsync::cli {

Failure describe_failure(const std::exception& error) {
  if (const auto* api = dynamic_cast<const notion::ApiError*>(&error)) {
    switch (api->notion_kind()) {
      case notion::NotionErrorKind::unauthorized:
        return {exit_access, std::string(api->what()) +
                                 "\nfix: the token was refused; check that it is your "
                                 "integration's current secret (notion.so/profile/integrations)"};
      case notion::NotionErrorKind::restricted:
        return {exit_access, std::string(api->what()) +
                                 "\nfix: give the integration the Read, Update and Insert content "
                                 "capabilities"};
      case notion::NotionErrorKind::not_found:
        return {exit_access, std::string(api->what()) +
                                 "\nfix: share the page with the integration (··· → Connections), "
                                 "and check the id (a data source id, not a database id, for "
                                 "managed_by = \"user\")"};
      default:
        return {exit_rows_failed, api->what()};
    }
  }
  if (const auto* failure = dynamic_cast<const Error*>(&error)) {
    switch (failure->kind()) {
      case ErrorKind::invalid_argument:
      case ErrorKind::schema_mismatch:
        return {exit_usage, failure->what()};
      case ErrorKind::state_store_locked:
        return {exit_store_locked, failure->what()};
      default:
        return {exit_rows_failed, failure->what()};
    }
  }
  return {exit_rows_failed, error.what()};
}

}  // namespace notionsync::cli
