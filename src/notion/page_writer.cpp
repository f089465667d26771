#include "page_writer.hpp"

#include <algorithm>
#include <cctype>

#include "notionsync/core/error.hpp"
#include "notionsync/core/key.hpp"
#include "notionsync/notion/endpoints.hpp"
#include "notion/notion_id.hpp"
#include "page_body.hpp"
#include "page_markdown.hpp"

namespace notionsync::notion {
namespace {

// Notion answers an edit of a trashed page with validation_error "Can't edit block that is
// archived. You must unarchive the block before editing." (widely reported wording).
bool says_page_is_trashed(const ApiError& error) {
  const std::string& message = error.notion_message();
  return error.notion_kind() == NotionErrorKind::validation &&
         (message.find("archived") != std::string::npos ||
          message.find("in trash") != std::string::npos ||
          message.find("in_trash") != std::string::npos);
}

bool is_access_error(const ApiError& error) {
  return error.notion_kind() == NotionErrorKind::unauthorized ||
         error.notion_kind() == NotionErrorKind::restricted;
}

// Whether Notion's refusal is about a file upload ("file_upload", "File upload …").
bool mentions_file_upload(std::string message) {
  for (char& c : message) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return message.find("file_upload") != std::string::npos ||
         message.find("file upload") != std::string::npos;
}

std::string page_id_of(const nlohmann::json& page) {
  const std::string id = page.value("id", "");
  return normalize_notion_id(id).value_or(id);
}

}  // namespace

PageWriter::PageWriter(Client& client, const DatabaseSchema& schema, PageWriterSettings settings,
                       RelationResolver& relations, const DeclaredRows& rows,
                       ActionReporter& reporter, std::set<std::string>& incomplete_keys)
    : client_(client),
      schema_(schema),
      settings_(std::move(settings)),
      relations_(relations),
      rows_(rows),
      reporter_(reporter),
      incomplete_keys_(incomplete_keys) {}

void PageWriter::send(Request request, Handler handler) {
  ++requests_in_flight_;
  client_.submit(std::move(request), [this, handler = std::move(handler)](CallResult result) {
    std::lock_guard guard(mutex_);
    if (editor.empty() && result.value && result.value->value("object", "") == "page" &&
        result.value->contains("last_edited_by")) {
      editor = (*result.value)["last_edited_by"].value("id", "");
    }
    results_.emplace_back(handler, std::move(result));
    results_ready_.notify_one();
  });
}

void PageWriter::finish(const Action& action, ActionOutcome outcome) {
  if (const auto found = pending_.find(&action); found != pending_.end()) {
    std::vector<std::string>& tokens = found->second.upload_tokens;
    if (outcome.status == ActionOutcome::Status::done) {
      if (found->second.incomplete) outcome.incomplete = true;
      if (!found->second.wrote) outcome.wrote_nothing = true;
      attached_uploads.insert(attached_uploads.end(), tokens.begin(), tokens.end());
    } else if (mentions_file_upload(outcome.message)) {
      // Notion refused an upload it was given (expired, or gone): the next run makes new ones.
      refused_uploads.insert(refused_uploads.end(), tokens.begin(), tokens.end());
    }
  }
  pending_.erase(&action);
  --active_actions_;
  reporter_.report(action, std::move(outcome));
}

ActionOutcome PageWriter::outcome_for(const Action& action, const ApiError& error) const {
  if (error.notion_kind() == NotionErrorKind::outcome_unknown) {
    return ActionOutcome::unknown(error.what());
  }
  std::string column;
  if (error.notion_kind() == NotionErrorKind::validation) {
    // Notion's validation messages name the property ("body.properties.Email.email should be…").
    for (const auto& binding : schema_.properties()) {
      if (error.notion_message().find(binding.name) != std::string::npos) {
        column = binding.field_name();
        break;
      }
    }
  }
  (void)action;
  return ActionOutcome::failed(error.what(), column);
}

void PageWriter::run(std::span<const Action> actions) {
  std::size_t next = 0;
  try {
    while (true) {
      while (!fatal_ && next < actions.size() &&
             active_actions_ < settings_.max_actions_in_flight) {
        ++active_actions_;
        start(actions[next++]);
      }
      if (requests_in_flight_ == 0) break;
      std::pair<Handler, CallResult> result;
      {
        std::unique_lock lock(mutex_);
        results_ready_.wait(lock, [&] { return !results_.empty(); });
        result = std::move(results_.front());
        results_.pop_front();
      }
      --requests_in_flight_;
      result.first(std::move(result.second));
    }
  } catch (...) {
    // Callbacks refer to this object: wait for every request before leaving.
    std::unique_lock lock(mutex_);
    results_ready_.wait(lock, [&] { return results_.size() == requests_in_flight_; });
    throw;
  }
  if (fatal_) throw *fatal_;
}

void PageWriter::start(const Action& action) {
  if (action.kind == ActionKind::trash || action.kind == ActionKind::erase) {
    if (!action.remote_id.empty()) {
      remove_pages(action, {action.remote_id});
    } else {
      // An earlier create's outcome is unknown: remove whatever page carries the key.
      look_up(action, [this, &action](std::vector<std::string> found) {
        remove_pages(action, std::move(found));
      });
    }
    return;
  }

  Pending pending;
  try {
    const PagePayload parts = split_page_payload(rows_.at(action.declared_index).payload);
    pending.properties_payload = std::string(parts.properties);
    pending.body = parts.body;
    const Row payload = decode_canonical_row(parts.properties);
    PageProperties built = page_properties(schema_, payload, relations_, settings_.uploads);
    for (const auto& unresolved : built.unresolved) {
      const auto separator = unresolved.find(':');
      const PropertyBinding* binding = schema_.find_by_name(unresolved.substr(0, separator));
      const std::string& target = binding->relation_target;
      const bool target_is_final =
          target != settings_.target_name &&
          std::find(settings_.applied_targets.begin(), settings_.applied_targets.end(), target) !=
              settings_.applied_targets.end();
      // A related row not created yet (a relation within this target, or a cycle of targets)
      // is written in a second pass; a key that is still unknown then, or that a target already
      // applied does not have, is an error.
      if (target_is_final || incomplete_keys_.contains(action.key)) {
        finish(action,
               ActionOutcome::failed("relation " + unresolved.substr(0, separator) +
                                         " refers to key" + unresolved.substr(separator + 1) +
                                         ", which target '" + target + "' does not have",
                                     binding->field_name()));
        return;
      }
      pending.incomplete = true;
    }
    if (pending.incomplete) incomplete_keys_.insert(action.key);
    pending.properties = std::move(built.properties);
    pending.appearance = std::move(built.appearance);
    pending.upload_tokens = std::move(built.upload_tokens);
  } catch (const RowValueError& error) {
    finish(action, ActionOutcome::failed(error.what(), error.column()));
    return;
  }
  pending_[&action] = std::move(pending);

  if (action.kind == ActionKind::update) {
    write_page(action, action.remote_id, action.restore, "");
  } else if (action.verify_remote) {
    look_up(action, [this, &action](std::vector<std::string> found) {
      if (found.empty()) return create_page(action, "");
      if (found.size() > 1) {
        notes.push_back(std::to_string(found.size()) + " pages share key " +
                        display_encoded_key(action.key) + "; updating " + found.front());
      }
      write_page(action, found.front(), false,
                 "found in Notion after an earlier attempt whose outcome was unknown",
                 /*all_parts=*/true);
    });
  } else {
    create_page(action, "");
  }
}

void PageWriter::look_up(const Action& action,
                         std::function<void(std::vector<std::string>)> found) {
  DataSourceQuery query;
  query.data_source_id = settings_.data_source_id;
  query.filter = key_filter(schema_, Key::decode(action.key).parts());
  // Only the page ids are needed: ask for the key's properties alone, the smallest answer.
  for (const auto& field : schema_.key_fields()) {
    if (const PropertyBinding* binding = schema_.find_by_field(field))
      query.filter_properties.push_back(binding->name);
  }
  send(endpoints::query_data_source(query), [this, &action, found](CallResult&& result) {
    if (result.error) {
      if (is_access_error(*result.error)) fatal_ = *result.error;
      return finish(action, outcome_for(action, *result.error));
    }
    std::vector<std::string> ids;
    for (const auto& page : result.value->value("results", nlohmann::json::array())) {
      ids.push_back(page_id_of(page));
    }
    found(std::move(ids));
  });
}

void PageWriter::create_page(const Action& action, const std::string& note) {
  const Pending& pending = pending_.at(&action);
  auto request = endpoints::create_page(
      settings_.data_source_id, pending.properties,
      pending.body && !pending.body->empty() ? pending.body : std::nullopt, pending.appearance);
  send(std::move(request), [this, &action, note](CallResult&& result) {
    if (result.error) {
      if (is_access_error(*result.error)) fatal_ = *result.error;
      return finish(action, outcome_for(action, *result.error));
    }
    pending_.at(&action).wrote = true;
    finish(action, ActionOutcome::done(page_id_of(*result.value), note));
  });
}

void PageWriter::write_page(const Action& action, const std::string& page_id, bool restore,
                            const std::string& note, bool all_parts) {
  if (restore) {
    // The page may be in the trash from an interrupted removal: bring it back, then write it.
    send(endpoints::trash_page(page_id, false), [this, &action, page_id](CallResult&& result) {
      if (result.error && result.error->notion_kind() == NotionErrorKind::not_found) {
        return create_page(action, "re-created: the page was deleted in Notion");
      }
      if (result.error) return finish(action, outcome_for(action, *result.error));
      pending_.at(&action).wrote = true;
      write_page(action, page_id, false, "restored from the trash");
    });
    return;
  }
  const Pending& pending = pending_.at(&action);
  const Fingerprint& declared = rows_.at(action.declared_index).fingerprint;
  if (!pending.body) {
    // A page that holds what is declared (brought back from the trash as it was) needs no write.
    const bool properties = all_parts || action.tracked_fingerprint != declared;
    return write_parts(action, page_id, properties, false, false, note);
  }
  if (all_parts) return write_parts(action, page_id, true, true, false, note);
  const PageChanges changes = changed_parts(action.tracked_fingerprint, declared,
                                            pending.properties_payload, settings_.schema_version);
  write_parts(action, page_id, changes.properties, changes.body, changes.body_unknown, note);
}

void PageWriter::write_parts(const Action& action, const std::string& page_id, bool properties,
                             bool body, bool body_unknown, const std::string& note) {
  if (!properties) {
    if (!body && !body_unknown) return finish(action, ActionOutcome::done(page_id, note));
    return write_body(action, page_id, body_unknown, note);
  }
  const Pending& pending = pending_.at(&action);
  auto request = endpoints::update_page(page_id, pending.properties, pending.appearance);
  send(std::move(request), [this, &action, page_id, body, body_unknown, note](CallResult&& result) {
    if (!result.error) {
      pending_.at(&action).wrote = true;
      if (body || body_unknown) return write_body(action, page_id, body_unknown, note);
      return finish(action, ActionOutcome::done(page_id, note));
    }
    const ApiError& error = *result.error;
    if (error.notion_kind() == NotionErrorKind::not_found) {
      return create_page(action, "re-created: the page was deleted in Notion");
    }
    if (says_page_is_trashed(error)) {
      return create_page(action, "re-created: the page had been trashed in Notion");
    }
    if (is_access_error(error)) fatal_ = error;
    finish(action, outcome_for(action, error));
  });
}

void PageWriter::write_body(const Action& action, const std::string& page_id, bool body_unknown,
                            const std::string& note) {
  const std::string& body = *pending_.at(&action).body;
  const auto failed = [this, &action, page_id](const ApiError& error) {
    if (error.notion_kind() == NotionErrorKind::not_found) {
      return create_page(action, "re-created: the page was deleted in Notion");
    }
    if (says_page_is_trashed(error)) {
      return create_page(action, "re-created: the page had been trashed in Notion");
    }
    if (is_access_error(error)) fatal_ = error;
    ActionOutcome outcome = outcome_for(action, error);
    if (outcome.status == ActionOutcome::Status::failed) {
      outcome.message = "the body of page " + page_id + " was not replaced: " + outcome.message;
      outcome.column = schema_.body_field();
    }
    finish(action, std::move(outcome));
  };
  if (body_unknown) {
    // An adopted page: its body is read once and written only where it differs.
    send(endpoints::retrieve_page_markdown(page_id),
         [this, &action, page_id, note, failed](CallResult&& result) {
           if (result.error) return failed(*result.error);
           const std::string remote = result.value->value("markdown", "");
           if (normalize_page_markdown(remote) == *pending_.at(&action).body) {
             return finish(action, ActionOutcome::done(page_id, note));
           }
           write_body(action, page_id, false, note);
         });
    return;
  }
  send(endpoints::replace_page_markdown(page_id, body, settings_.body_allow_deleting_content),
       [this, &action, page_id, note, failed](CallResult&& result) {
         if (result.error) return failed(*result.error);
         pending_.at(&action).wrote = true;
         finish(action, ActionOutcome::done(page_id, note));
       });
}

void PageWriter::remove_pages(const Action& action, std::vector<std::string> page_ids) {
  if (page_ids.empty()) return finish(action, ActionOutcome::done("", "no page to remove"));
  // One removal per page found; the action is done when the last one answers.
  auto remaining = std::make_shared<std::size_t>(page_ids.size());
  auto failure = std::make_shared<std::optional<ActionOutcome>>();
  for (const auto& page_id : page_ids) {
    auto request = action.kind == ActionKind::trash ? endpoints::trash_page(page_id)
                                                    : endpoints::delete_block(page_id);
    send(std::move(request), [this, &action, page_id, remaining, failure](CallResult&& result) {
      if (result.error) {
        const ApiError& error = *result.error;
        const bool already_gone =
            error.notion_kind() == NotionErrorKind::not_found || says_page_is_trashed(error);
        if (!already_gone && !*failure) *failure = outcome_for(action, error);
        if (is_access_error(error)) fatal_ = error;
      }
      if (--*remaining > 0) return;
      if (*failure) return finish(action, std::move(**failure));
      finish(action, ActionOutcome::done(page_id));
    });
  }
}

}  // namespace notionsync::notion
