// store/store.hpp — the Store: everything the services persist, in service terms. Services take
// the narrowest interface they need (UserStore&, MessageStore&…); app.cpp builds one concrete
// Store (store/sqlite/sqlite_store.hpp or store/postgres/…) and hands it out.
//
// Contract shared by every method of every implementation:
// - Synchronous and thread-safe: called from the service worker pool, never from I/O threads,
//   possibly from many threads at once.
// - Expected failures are values: Error::NotFound with Discord's api_code (store/errors.hpp),
//   Error::Conflict on a unique clash, Error::Unavailable when the database cannot be reached,
//   Error::Database for anything else. Error messages never carry SQL; that goes to the log.
// - Ids are snowflakes chosen by the caller. Text round-trips byte for byte (any UTF-8).
#pragma once

#include "common/result.hpp"
#include "store/access_store.hpp"
#include "store/application_store.hpp"
#include "store/attachment_store.hpp"
#include "store/audit_log_store.hpp"
#include "store/auto_moderation_store.hpp"
#include "store/channel_store.hpp"
#include "store/command_store.hpp"
#include "store/emoji_store.hpp"
#include "store/guild_store.hpp"
#include "store/interaction_store.hpp"
#include "store/invite_store.hpp"
#include "store/member_store.hpp"
#include "store/message_store.hpp"
#include "store/poll_store.hpp"
#include "store/reaction_store.hpp"
#include "store/role_store.hpp"
#include "store/scheduled_event_store.hpp"
#include "store/search_store.hpp"
#include "store/stage_instance_store.hpp"
#include "store/sticker_store.hpp"
#include "store/task_store.hpp"
#include "store/thread_store.hpp"
#include "store/token_store.hpp"
#include "store/user_store.hpp"
#include "store/webhook_store.hpp"

namespace chat::store {

class Store : public UserStore,
              public TokenStore,
              public ApplicationStore,
              public GuildStore,
              public RoleStore,
              public ChannelStore,
              public MemberStore,
              public MessageStore,
              public InviteStore,
              public ReactionStore,
              public AttachmentStore,
              public PinStore,
              public SearchStore,
              public AuditLogStore,
              public AccessStore,
              public WebhookStore,
              public ThreadStore,
              public EmojiStore,
              public CommandStore,
              public InteractionStore,
              public ScheduledEventStore,
              public StageInstanceStore,
              public PollStore,
              public StickerStore,
              public TaskStore,
              public AutoModerationStore {
 public:
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  ~Store() override = default;

  // For /ready: succeeds when a trivial query runs; Error::Unavailable otherwise.
  [[nodiscard]] virtual Result<void> Ping() = 0;
};

}  // namespace chat::store
