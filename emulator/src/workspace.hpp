// The emulated workspace: stored objects and one method per API operation. Each operation takes
// the parsed request (ids already normalized to dashed lowercase) and returns the response body, or
// throws ApiError with Notion's status, code and message. Not thread-safe: the server serializes
// calls with one mutex.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "file_uploads.hpp"
#include "model.hpp"
#include "pagination.hpp"
#include "property_values.hpp"
#include "users.hpp"
#include "workspace_view.hpp"

namespace notion_emulator {

class Workspace {
 public:
  Workspace();

  // Adds (or renames) a page shared with the integration at workspace level.
  void add_shared_page(const std::string& id, const std::string& title);
  const std::string& bot_id() const { return users_.bot_id(); }
  Users& users() { return users_; }
  const Users& users() const { return users_; }
  // Who makes the next requests (the bot, or a person through a person token): their writes name
  // them as last_edited_by.
  void set_actor(const std::string& user_id) { actor_ = user_id; }
  // Notion caps one query (a filter + sorts) at 10,000 results and then reports it incomplete;
  // tests lower the cap to reach it cheaply.
  void set_query_result_limit(std::size_t limit) { query_result_limit_ = limit; }
  // The workspace's clock: the real one, moved forward by advance_clock() (tests expire file
  // uploads without waiting an hour).
  std::int64_t now() const;
  void advance_clock(std::int64_t ms) { clock_offset_ms_ += ms; }
  FileUploads& file_uploads() { return file_uploads_; }
  const FileUploads& file_uploads() const { return file_uploads_; }

  nlohmann::json me() const;
  nlohmann::json list_users(const Paging& paging) const { return users_.list(paging); }
  nlohmann::json retrieve_user(const std::string& id) const { return users_.retrieve(id); }
  nlohmann::json search(const nlohmann::json& body);

  // The File Upload API (file_uploads.hpp), as the actor.
  nlohmann::json create_file_upload(const nlohmann::json& body);
  nlohmann::json send_file_upload(const std::string& id, const std::vector<FormPart>& form,
                                  bool multipart);
  nlohmann::json complete_file_upload(const std::string& id);
  nlohmann::json retrieve_file_upload(const std::string& id) const;
  nlohmann::json list_file_uploads(const std::optional<std::string>& status,
                                   const Paging& paging) const;

  nlohmann::json retrieve_database(const std::string& id) const;
  nlohmann::json create_database(const nlohmann::json& body);
  nlohmann::json update_database(const std::string& id, const nlohmann::json& body);

  nlohmann::json retrieve_data_source(const std::string& id) const;
  nlohmann::json create_data_source(const nlohmann::json& body);
  nlohmann::json update_data_source(const std::string& id, const nlohmann::json& body);
  nlohmann::json query_data_source(const std::string& id, const nlohmann::json& body,
                                   const std::vector<std::string>& filter_properties) const;

  nlohmann::json create_page(const nlohmann::json& body,
                             const std::vector<std::string>& filter_properties);
  nlohmann::json retrieve_page(const std::string& id,
                               const std::vector<std::string>& filter_properties) const;
  nlohmann::json update_page(const std::string& id, const nlohmann::json& body,
                             const std::vector<std::string>& filter_properties);
  // The page's content as Markdown (workspace_markdown.cpp).
  nlohmann::json retrieve_page_markdown(const std::string& id) const;
  nlohmann::json update_page_markdown(const std::string& id, const nlohmann::json& body);

  nlohmann::json retrieve_page_property(const std::string& page_id, const std::string& property_id,
                                        const Paging& paging) const;

  nlohmann::json retrieve_block(const std::string& id) const;
  nlohmann::json delete_block(const std::string& id);
  nlohmann::json list_block_children(const std::string& id, const Paging& paging) const;

  // Page objects of a data source in creation order. Throws std::invalid_argument if unknown.
  std::vector<nlohmann::json> pages_of(const std::string& data_source_id,
                                       bool include_trashed) const;

  // Every database with its data sources and pages, values as text, for the HTML view
  // (workspace_view.cpp).
  WorkspaceView view() const;

  // The whole workspace as JSON, and back (replacing everything).
  nlohmann::json to_state() const;
  void load_state(const nlohmann::json& state);
  // Forgets every object except the shared workspace-level pages.
  void clear();

 private:
  const Page& page(const std::string& id) const;
  Page& page(const std::string& id);
  const Database& database(const std::string& id) const;
  Database& database(const std::string& id);
  const DataSource& data_source(const std::string& id) const;
  DataSource& data_source(const std::string& id);

  nlohmann::json page_object(const Page& page,
                             const std::vector<std::string>& filter_properties = {}) const;
  nlohmann::json database_object(const Database& database) const;
  nlohmann::json data_source_object(const DataSource& data_source) const;
  nlohmann::json block_object(const std::string& id) const;
  // Markdown bodies (workspace_markdown.cpp).
  nlohmann::json page_markdown_object(const Page& page) const;
  std::string child_tag(const std::string& child_id) const;
  std::vector<BodyBlock> parse_page_body(const Page& page, std::string_view markdown) const;
  // Replaces `page`'s body with `blocks`; a live child page or database the new body leaves out
  // is refused unless `allow_deleting`, and then moved to the trash.
  void replace_page_body(Page& page, std::vector<BodyBlock> blocks, bool allow_deleting);
  // Adds a new child page or database at the end of its parent page's body.
  void append_child(const std::string& parent_page_id, const std::string& child_id);
  std::string page_title(const Page& page) const;

  // `attached` collects the file uploads the values attach, to mark once the write is applied.
  ValueContext value_context(std::vector<std::string>& attached);
  AttachUpload attach_upload(std::vector<std::string>& attached) const;
  void apply_properties(Page& page, const nlohmann::json& properties,
                        std::vector<std::string>& attached);
  void backfill_unique_ids(DataSource& data_source, const std::string& property_id);
  // Formula expressions in Notion's reference form (computed_values.hpp).
  void rewrite_formulas(DataSource& data_source) const;
  // Two-way relations (workspace_relations.cpp).
  void link_dual_relations(const std::string& data_source_id);
  void unlink_dual_relation(const PropertyDefinition& removed);
  void update_back_links(const std::string& page_id, const PropertyDefinition& property,
                         const nlohmann::json& before, const nlohmann::json& after);
  std::int64_t next_time();

  RenderContext render_context() const;
  // Marks `page` as edited now by the actor.
  void touch(Page& page);

  std::mt19937_64 generator_;
  Users users_;
  std::string actor_;
  std::uint64_t sequence_ = 0;
  std::map<std::string, Page> pages_;
  std::map<std::string, Database> databases_;
  std::map<std::string, DataSource> data_sources_;
  std::vector<std::string> shared_page_ids_;
  std::size_t query_result_limit_ = 10000;
  FileUploads file_uploads_;
  std::int64_t clock_offset_ms_ = 0;
};

}  // namespace notion_emulator
