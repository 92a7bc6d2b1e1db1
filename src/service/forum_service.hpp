// service/forum_service.hpp — posts in forum channels (type 15): a thread and its first message,
// made together (POST /channels/{forum}/threads with `message`). The message takes the thread's
// id, as on Discord; if it cannot be sent the thread is taken back, so that no post is left
// without its message. Synchronous: run on the db pool. Thread-safe.
#pragma once

#include "service/community_common.hpp"
#include "service/message_service.hpp"
#include "service/thread_service.hpp"

namespace chat::service {

struct ForumPost {
  domain::Channel thread;
  MessageView message;
};

class ForumService {
 public:
  ForumService(CommunityDeps deps, ThreadService& threads, MessageService& messages)
      : deps_(deps), threads_(threads), messages_(messages) {}

  // ThreadService::StartPost's rules for the thread; the message as any message (content,
  // embeds, components, files: ATTACH_FILES in the forum), without SEND_MESSAGES_IN_THREADS:
  // starting a post is sending it.
  [[nodiscard]] Result<ForumPost> Post(domain::Snowflake user_id, domain::Snowflake forum_id,
                                       ThreadInput thread, MessageInput message,
                                       const AuditReason& reason = {});

 private:
  CommunityDeps deps_;
  ThreadService& threads_;
  MessageService& messages_;
};

}  // namespace chat::service
