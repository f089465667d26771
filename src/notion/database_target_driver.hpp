// The TargetDriver behind mount_database_target(): one Notion data source.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "local_files.hpp"
#include "notionsync/core/target.hpp"
#include "notionsync/notion/database_target.hpp"
#include "user_directory.hpp"

namespace notionsync::notion {

class DatabaseTargetDriver : public TargetDriver {
 public:
  // `store` and `app_name`: where values learnt from Notion are kept between runs (the users of
  // people values by email or name); `store` may be null.
  DatabaseTargetDriver(DatabaseTargetOptions options, StateStore* store, std::string app_name);

  TargetSettings settings() const override;
  EncodedRow encode(const Row& row, const TargetSettings& settings) const override;
  void encode_into(const Row& row, const TargetSettings& settings, EncodedRow& out) const override;
  void prepare(TargetContext& context) override;
  std::optional<std::vector<RemoteRow>> scan_remote(TargetContext& context) override;
  // drift.cpp
  std::vector<DriftedItem> find_drift(TargetContext& context, std::int64_t since_ms,
                                      const DeclaredRows& rows) override;
  void apply(TargetContext& context, std::span<const Action> actions, const DeclaredRows& rows,
             ActionReporter& reporter) override;

 private:
  // prepare(), by mode (data_source_setup.cpp).
  void prepare_user_managed(TargetContext& context);
  void prepare_system_managed(TargetContext& context);
  std::string find_data_source();
  std::string create_data_source(TargetContext& context);
  void evolve_schema(TargetContext& context, const nlohmann::json& data_source);
  std::map<std::string, std::string> relation_data_source_ids(TargetContext& context) const;
  // encode(): the normal form of a people value (user ids), a files value (URLs and local files'
  // tokens) and an icon or cover (null, an emoji, a URL or a local image's token).
  Value resolved_people(const Value& value, const PropertyBinding& binding) const;
  Value with_local_files(const Value& value, const PropertyBinding& binding) const;
  Value page_visual(const Row& row, const std::string& field, bool icon) const;

  DatabaseTargetOptions options_;
  std::string app_name_;
  // For encode(): the payload's entries sorted by name (each property, then the page icon and
  // cover when bound), and for each property the position of its value in the key (no_key_slot
  // when it is not a key field).
  static constexpr std::size_t no_key_slot = static_cast<std::size_t>(-1);
  struct PayloadEntry {
    enum class Kind { property, icon, cover };
    Kind kind = Kind::property;
    std::size_t property = 0;  // index in the schema's properties, for Kind::property
    std::string name;          // as the payload names it
    std::string encoded_name;  // its canonical encoding
  };
  std::vector<PayloadEntry> entries_;
  std::vector<std::size_t> key_slots_;
  // Values from disk and people by email or name; encode() fills them, apply() reads them.
  mutable LocalFiles local_files_;
  std::unique_ptr<UserDirectory> users_;
  std::string data_source_id_;
  bool created_this_run_ = false;  // a data source just created has no pages to adopt
  // Rows written without a relation to a row not created yet; a second miss is an error.
  std::set<std::string> incomplete_keys_;
  // The integration's own user id: kept in the state store (kept_own_user_id), learnt from the
  // answers to its page writes, else read (users/me) once when a drift check needs it.
  std::string own_user_id_;
};

// This integration's own user id as kept for `app` in the store ("" when none is kept), and keeping
// it. The id of a token's integration does not change; a token of another integration corrects it
// with the answer to its first page write.
std::string kept_own_user_id(StateStore& store, std::string_view app);
void keep_own_user_id(StateStore& store, std::string_view app, const std::string& id);

}  // namespace notionsync::notion
