#include "service/forum_service.hpp"

#include <utility>

#include "common/log.hpp"
#include "domain/permissions.hpp"

namespace chat::service {

Result<ForumPost> ForumService::Post(domain::Snowflake user_id, domain::Snowflake forum_id,
                                     ThreadInput input, MessageInput message,
                                     const AuditReason& reason) {
  auto forum = deps_.access.Channel(user_id, forum_id);
  if (!forum) return forum.error();
  // The message is checked before the thread exists: an empty or invalid one starts nothing.
  if (message.content) {
    if (auto r = CheckContent(*message.content); !r) return r.error();
  }
  const bool empty = (!message.content || message.content->empty()) && message.embed_count == 0 &&
                     message.files.empty() && message.components.count == 0 && !message.poll &&
                     message.sticker_ids.empty();
  if (empty) return Error{Errc::kValidation, "Cannot send an empty message", 50006, {}};
  // Files in a post take ATTACH_FILES in the forum, as in any channel.
  if (!message.files.empty() &&
      !domain::perm::Has(forum->permissions, domain::perm::kAttachFiles)) {
    return MissingPermissions();
  }
  // The forum's slowmode spaces a member's posts, as a channel's spaces their messages.
  if (auto r = messages_.CheckSlowmode(user_id, *forum); !r) return r.error();
  auto thread = threads_.StartPost(user_id, *forum, std::move(input), reason);
  if (!thread) return thread.error();
  message.id = thread->id;
  message.authorized = true;
  message.enforce_nonce = false;
  auto sent = messages_.Create(user_id, thread->id, message);
  if (!sent) {
    if (auto r = threads_.Discard(*thread); !r) {
      log::Warn("chat_server::forums", "post without its message not taken back",
                {{"thread", domain::ToString(thread->id)}, {"error", r.error().message}});
    }
    return sent.error();
  }
  // Read again: the message is counted now.
  auto fresh = deps_.store.GetChannel(thread->id);
  return ForumPost{fresh ? std::move(*fresh) : std::move(*thread), std::move(*sent)};
}

}  // namespace chat::service
