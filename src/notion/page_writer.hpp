// PageWriter: carries out a plan's create/update/trash/erase actions against one data source.
//
// Actions run concurrently (the client paces them); every callback only queues its result, and
// all decisions are taken on the calling thread, which keeps the logic single-threaded. Each action
// is reported exactly once. Per row:
//   create   POST /pages; when an earlier attempt's outcome is unknown, the key is looked up first
//            and a page found is updated instead (no duplicate);
//   update   PATCH /pages/{id} for the properties and PATCH /pages/{id}/markdown for the body,
//            each only when it changed (an adopted page's body is read first); a page deleted or
//            trashed in Notion is re-created, and reported;
//   trash    PATCH in_trash; erase: DELETE /blocks/{id}; a page already gone counts as done.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>

#include "notionsync/core/target.hpp"
#include "notionsync/notion/client.hpp"
#include "notionsync/notion/database_schema.hpp"
#include "page_properties.hpp"

namespace notionsync::notion {

struct PageWriterSettings {
  std::string data_source_id;
  std::string target_name;                   // this target, for relations to itself
  std::vector<std::string> applied_targets;  // targets whose rows are final in this run
  bool trash_duplicate_pages = false;
  std::size_t max_actions_in_flight = 64;    // bounds memory; the client bounds requests
  std::string schema_version;                // what the rows' properties fingerprints digest
  bool body_allow_deleting_content = false;  // a body replace may delete child pages
  // The upload of each local file the rows name (file_uploader.hpp).
  std::map<std::string, UploadResult> uploads;
};

class PageWriter {
 public:
  // `incomplete_keys` persists across passes of one run: a row that still misses a related page
  // on its second write fails instead of being written incomplete again.
  PageWriter(Client& client, const DatabaseSchema& schema, PageWriterSettings settings,
             RelationResolver& relations, const DeclaredRows& rows, ActionReporter& reporter,
             std::set<std::string>& incomplete_keys);

  // Applies every action and returns when all are reported. Throws ApiError when Notion refuses
  // the token or its access (401/403): nothing else can succeed then.
  void run(std::span<const Action> actions);

  // Notes worth telling the user (duplicates found while verifying), collected during run().
  std::vector<std::string> notes;
  // Local files' tokens attached by writes Notion applied, and those of writes it refused over a
  // file upload (which the next run uploads anew), collected during run().
  std::vector<std::string> attached_uploads;
  std::vector<std::string> refused_uploads;
  // Who Notion says made the writes (the last_edited_by of a page it answered): this integration's
  // own user id, learnt without a call; empty when no page write succeeded.
  std::string editor;

 private:
  using Handler = std::function<void(CallResult&&)>;

  void start(const Action& action);
  // `all_parts`: the page's content is unknown (found after an earlier attempt whose outcome is
  // unknown), so properties and body are both written.
  void write_page(const Action& action, const std::string& page_id, bool restore,
                  const std::string& note, bool all_parts = false);
  // Writes what changed of an existing page: its properties, then its body.
  void write_parts(const Action& action, const std::string& page_id, bool properties, bool body,
                   bool body_unknown, const std::string& note);
  void write_body(const Action& action, const std::string& page_id, bool body_unknown,
                  const std::string& note);
  void create_page(const Action& action, const std::string& note);
  void remove_pages(const Action& action, std::vector<std::string> page_ids);
  void look_up(const Action& action, std::function<void(std::vector<std::string>)> found);
  void send(Request request, Handler handler);
  void finish(const Action& action, ActionOutcome outcome);
  ActionOutcome outcome_for(const Action& action, const ApiError& error) const;

  Client& client_;
  const DatabaseSchema& schema_;
  PageWriterSettings settings_;
  RelationResolver& relations_;
  const DeclaredRows& rows_;
  ActionReporter& reporter_;
  std::set<std::string>& incomplete_keys_;

  // Per action being applied: the properties to write and whether they miss a relation.
  struct Pending {
    nlohmann::json properties;
    endpoints::PageAppearance appearance;
    std::vector<std::string> upload_tokens;
    std::string properties_payload;   // for telling which parts changed
    std::optional<std::string> body;  // normalised Markdown, when the schema binds a body
    bool incomplete = false;
    bool wrote = false;  // a call changed the page (ActionOutcome::wrote_nothing otherwise)
  };
  std::map<const Action*, Pending> pending_;
  std::size_t active_actions_ = 0;
  std::optional<ApiError> fatal_;

  std::mutex mutex_;
  std::condition_variable results_ready_;
  std::deque<std::pair<Handler, CallResult>> results_;  // filled by client callbacks
  std::size_t requests_in_flight_ = 0;                  // touched by this thread only
};

}  // namespace notionsync::notion
