// The TargetDriver behind mount_database_target(): one Notion data source.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "notionsync/core/target.hpp"
#include "notionsync/notion/database_target.hpp"

namespace notionsync::notion {

class DatabaseTargetDriver : public TargetDriver {
 public:
  explicit DatabaseTargetDriver(DatabaseTargetOptions options);

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

  DatabaseTargetOptions options_;
  // For encode(): property indexes sorted by name, each name's canonical encoding, and for each
  // property the position of its value in the key (no_key_slot when it is not a key field).
  static constexpr std::size_t no_key_slot = static_cast<std::size_t>(-1);
  std::vector<std::size_t> encode_order_;
  std::vector<std::string> encoded_names_;
  std::vector<std::size_t> key_slots_;
  std::string data_source_id_;
  bool created_this_run_ = false;  // a data source just created has no pages to adopt
  // Rows written without a relation to a row not created yet; a second miss is an error.
  std::set<std::string> incomplete_keys_;
  // The integration's own user id (users/me), read once when a drift check needs it.
  std::string own_user_id_;
};

}  // namespace notionsync::notion
