// store/message_store.hpp — messages with their mentions and embeds. Pages always come newest
// first (descending id), as Discord returns them. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "domain/message.hpp"
#include "domain/snowflake.hpp"
#include "store/nullable.hpp"
#include "store/task_store.hpp"

namespace chat::store {

inline constexpr int kMaxMessagePage = 100;

// One bound is honoured: around if set, else before, else after. limit is clamped to
// 1..kMaxMessagePage.
struct MessageQuery {
  std::optional<domain::Snowflake> before;  // the `limit` newest with id < before
  std::optional<domain::Snowflake> after;   // the `limit` OLDEST with id > after
  std::optional<domain::Snowflake> around;  // ceil(limit/2) with id <= around, floor(limit/2) > it
  int limit = 50;
};

struct MessageUpdate {
  std::optional<std::string> content;
  Nullable<std::int64_t> edited_at_ms;
  std::optional<std::string> embeds_json;
  std::optional<std::string> components_json;
  std::optional<std::int64_t> flags;
  // The bits of `flags` written; the others keep what the row holds when the update runs, so a
  // concurrent change of another flag (published, suppressed embeds) is not undone.
  std::int64_t flags_mask = -1;
  std::optional<bool> pinned;
  std::optional<bool> mention_everyone;
  std::optional<std::vector<domain::Snowflake>> mention_user_ids;
  std::optional<std::vector<domain::Snowflake>> mention_role_ids;
  // When non-zero: the update applies only while none of these flags is set, and Conflict
  // answers a message that has one (a compare-and-set: publishing happens once).
  std::int64_t unless_flags = 0;
  // Written in the update's transaction (task_store.hpp): work the update calls for.
  std::optional<NewTask> task;
};

class MessageStore {
 public:
  virtual ~MessageStore() = default;

  // created_at_ms 0 means "the id's timestamp". NotFound 10003 / 10013 for an unknown channel /
  // author; Conflict on the id.
  [[nodiscard]] virtual Result<void> CreateMessage(const domain::Message& message) = 0;
  // CreateMessage and CompleteTask(task) in one transaction: Conflict, and nothing written, when
  // the task is gone (another run of it already wrote its message).
  [[nodiscard]] virtual Result<void> CreateMessageCompleting(const domain::Message& message,
                                                             TaskKey task) = 0;
  // NotFound 10008 when the message is not in that channel (Get, Update, Delete).
  [[nodiscard]] virtual Result<domain::Message> GetMessage(domain::Snowflake channel_id,
                                                           domain::Snowflake message_id) = 0;
  // No bound: the newest `limit`. An unknown channel gives an empty page, not an error.
  [[nodiscard]] virtual Result<std::vector<domain::Message>> ListMessages(
      domain::Snowflake channel_id, const MessageQuery& query) = 0;
  // Returns the message after the update (Conflict: see MessageUpdate::unless_flags).
  [[nodiscard]] virtual Result<domain::Message> UpdateMessage(domain::Snowflake channel_id,
                                                              domain::Snowflake message_id,
                                                              const MessageUpdate& update) = 0;
  // `tasks` are written in the delete's transaction (task_store.hpp): the work it calls for.
  [[nodiscard]] virtual Result<void> DeleteMessage(domain::Snowflake channel_id,
                                                   domain::Snowflake message_id,
                                                   std::span<const NewTask> tasks) = 0;
  [[nodiscard]] Result<void> DeleteMessage(domain::Snowflake channel_id,
                                           domain::Snowflake message_id) {
    return DeleteMessage(channel_id, message_id, {});
  }
  // Deletes those of `ids` that are in the channel, writing `tasks` with them; returns how many
  // were deleted.
  [[nodiscard]] virtual Result<std::int64_t> DeleteMessages(domain::Snowflake channel_id,
                                                            std::span<const domain::Snowflake> ids,
                                                            std::span<const NewTask> tasks) = 0;
  [[nodiscard]] Result<std::int64_t> DeleteMessages(domain::Snowflake channel_id,
                                                    std::span<const domain::Snowflake> ids) {
    return DeleteMessages(channel_id, ids, {});
  }
  // The copies channel followers posted of a published message (domain::Message::crosspost), in
  // any channel; oldest first.
  [[nodiscard]] virtual Result<std::vector<domain::Message>> ListCrosspostCopies(
      domain::Snowflake source_message_id) = 0;
  // The newest message id of the channel; empty when it has none. NotFound 10003.
  [[nodiscard]] virtual Result<std::optional<domain::Snowflake>> GetLastMessageId(
      domain::Snowflake channel_id) = 0;
};

}  // namespace chat::store
