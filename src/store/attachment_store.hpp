// store/attachment_store.hpp — attachment rows of messages (migration 0005; the files themselves
// are the AttachmentService's) and the pin time of pinned messages (messages.pinned_at, same
// migration). Thread-safe, like every store interface (store/store.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/result.hpp"
#include "domain/message.hpp"
#include "domain/snowflake.hpp"

namespace chat::store {

// One pinned message of a channel and when it was pinned (nullopt for pins made before 0005).
struct PinEntry {
  domain::Snowflake message_id = 0;
  std::optional<std::int64_t> pinned_at_ms;
};

class AttachmentStore {
 public:
  virtual ~AttachmentStore() = default;

  // All rows or none. NotFound 10008 when a row's message does not exist; Conflict on an id.
  [[nodiscard]] virtual Result<void> CreateAttachments(
      std::span<const domain::Attachment> attachments) = 0;
  // NotFound (code 0) for an unknown id. `url` is left empty.
  [[nodiscard]] virtual Result<domain::Attachment> GetAttachment(domain::Snowflake id) = 0;
  // The attachments of the given messages in one query, ordered by message id then position.
  [[nodiscard]] virtual Result<std::vector<domain::Attachment>> ListAttachments(
      std::span<const domain::Snowflake> message_ids) = 0;
  // Deletes those rows of `ids` that exist; returns how many went.
  [[nodiscard]] virtual Result<std::int64_t> DeleteAttachments(
      std::span<const domain::Snowflake> ids) = 0;
};

class PinStore {
 public:
  virtual ~PinStore() = default;

  // Sets messages.pinned and pinned_at together (pinned_at null when unpinning). NotFound 10008
  // when the message is not in that channel. The pin time is at_ms or, when another pin of the
  // channel is as recent, one millisecond after it: two pins within one millisecond still list in
  // the order they were made.
  [[nodiscard]] virtual Result<void> SetPinned(domain::Snowflake channel_id,
                                               domain::Snowflake message_id, bool pinned,
                                               std::int64_t at_ms) = 0;
  // The channel's pins, most recently pinned first (pins without a time by message time), at
  // most `limit`.
  [[nodiscard]] virtual Result<std::vector<PinEntry>> ListPins(domain::Snowflake channel_id,
                                                               int limit) = 0;
};

}  // namespace chat::store
