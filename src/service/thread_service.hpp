// service/thread_service.hpp — threads: started from a message or on their own in a text or
// announcement channel, joined and left, archived, locked, listed (active per guild, archived per
// channel) and deleted, with Discord's THREAD_CREATE / THREAD_UPDATE / THREAD_DELETE /
// THREAD_MEMBERS_UPDATE events and audit entries 110–112. A thread's permissions are its parent's
// under the thread rules (domain::ComputeThreadPermissions, applied by AccessService), so messages,
// reactions and pins in a thread go through the message services unchanged. Synchronous: run on
// the db pool. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/array.hpp>

#include "service/community_common.hpp"
#include "store/thread_store.hpp"

namespace chat::service {

struct ThreadInput {
  std::string name;
  std::optional<int> auto_archive_duration;
  std::optional<int> rate_limit_per_user;
  std::optional<domain::ChannelType> type;  // without a message; a private thread by default
  std::optional<bool> invitable;
  std::vector<domain::Snowflake> applied_tags;  // a forum post's
};

// PATCH /channels/{thread}: what a thread takes of a channel update.
struct ThreadChange {
  std::optional<std::string> name;
  std::optional<bool> archived;
  std::optional<bool> locked;
  std::optional<int> auto_archive_duration;
  std::optional<bool> invitable;
  std::optional<int> rate_limit_per_user;
  std::optional<std::vector<domain::Snowflake>> applied_tags;  // a forum post's; its owner's too
};

struct ThreadList {
  std::vector<domain::Channel> threads;
  std::vector<domain::ThreadMember> members;  // the caller's memberships among `threads`
  bool has_more = false;
};

enum class ArchivedKind { kPublic, kPrivate, kJoinedPrivate };

class ThreadService {
 public:
  explicit ThreadService(CommunityDeps deps) : deps_(deps) {}

  // CREATE_PUBLIC_THREADS in the message's channel; the thread takes the message's id (one thread
  // per message: 160004).
  [[nodiscard]] Result<domain::Channel> StartFromMessage(domain::Snowflake user_id,
                                                         domain::Snowflake channel_id,
                                                         domain::Snowflake message_id,
                                                         ThreadInput input,
                                                         const AuditReason& reason = {});
  // A forum post's thread (type 11), before its first message (service/forum_service.hpp):
  // SEND_MESSAGES in the forum, tags among the forum's (a moderated one needs MANAGE_THREADS; a
  // forum with REQUIRE_TAG needs one), the forum's default slowmode unless given.
  [[nodiscard]] Result<domain::Channel> StartPost(domain::Snowflake user_id,
                                                  const ChannelAccess& forum, ThreadInput input,
                                                  const AuditReason& reason = {});
  // Takes back a post whose first message could not be sent (THREAD_DELETE, no audit entry).
  [[nodiscard]] Result<void> Discard(const domain::Channel& thread);
  // CREATE_PUBLIC_THREADS (types 10, 11) or CREATE_PRIVATE_THREADS (12).
  [[nodiscard]] Result<domain::Channel> Start(domain::Snowflake user_id,
                                              domain::Snowflake channel_id, ThreadInput input,
                                              const AuditReason& reason = {});
  // MANAGE_THREADS changes anything; the owner changes name, duration, slowmode, invitable and
  // archives it while unlocked; anyone who may send reopens an unlocked thread.
  [[nodiscard]] Result<domain::Channel> Update(domain::Snowflake user_id,
                                               domain::Snowflake thread_id,
                                               const ThreadChange& change,
                                               const AuditReason& reason = {});
  // MANAGE_THREADS. Returns the deleted thread.
  [[nodiscard]] Result<domain::Channel> Delete(domain::Snowflake user_id,
                                               domain::Snowflake thread_id,
                                               const AuditReason& reason = {});

  [[nodiscard]] Result<void> Join(domain::Snowflake user_id, domain::Snowflake thread_id);
  [[nodiscard]] Result<void> Leave(domain::Snowflake user_id, domain::Snowflake thread_id);
  // The actor must be able to send in the thread; in a private thread that is not invitable only
  // MANAGE_THREADS holders add others. The target must be a member of the guild.
  [[nodiscard]] Result<void> AddMember(domain::Snowflake user_id, domain::Snowflake thread_id,
                                       domain::Snowflake target_id);
  // MANAGE_THREADS, or the owner of a private thread.
  [[nodiscard]] Result<void> RemoveMember(domain::Snowflake user_id, domain::Snowflake thread_id,
                                          domain::Snowflake target_id);
  [[nodiscard]] Result<domain::ThreadMember> GetMember(domain::Snowflake user_id,
                                                       domain::Snowflake thread_id,
                                                       domain::Snowflake target_id);
  [[nodiscard]] Result<std::vector<domain::ThreadMember>> ListMembers(domain::Snowflake user_id,
                                                                      domain::Snowflake thread_id);

  // Archives the threads idle past their auto_archive_duration, as Discord does, and announces
  // each as THREAD_UPDATE. Returns how many. The app runs it every minute on a thread of its own.
  [[nodiscard]] Result<int> ArchiveIdle();

  // The guild's active threads the user can view.
  [[nodiscard]] Result<ThreadList> Active(domain::Snowflake user_id, domain::Snowflake guild_id);
  // READ_MESSAGE_HISTORY in the channel; kPrivate also MANAGE_THREADS. `limit` 1–100.
  // `before_ms` pages kPublic and kPrivate (by archive time), `before_id` kJoinedPrivate (by id).
  [[nodiscard]] Result<ThreadList> Archived(domain::Snowflake user_id, domain::Snowflake channel_id,
                                            ArchivedKind kind,
                                            std::optional<std::int64_t> before_ms,
                                            std::optional<domain::Snowflake> before_id, int limit);

 private:
  Result<ChannelAccess> ThreadAccess(domain::Snowflake user_id, domain::Snowflake thread_id);
  // A post's tags going from `before` to `after`, in `forum` where the actor has `permissions`.
  Result<void> CheckTags(const domain::Channel& forum, std::uint64_t permissions,
                         const std::vector<domain::Snowflake>& before,
                         const std::vector<domain::Snowflake>& after);
  // THREAD_DELETE to those who saw the thread.
  void AnnounceDeleted(const domain::Channel& thread,
                       Result<std::vector<domain::Snowflake>> viewers);
  Result<domain::Channel> Create(domain::Snowflake user_id, const ChannelAccess& parent,
                                 domain::Snowflake id, domain::ChannelType type,
                                 const ThreadInput& input, const AuditReason& reason);
  // THREAD_MEMBERS_UPDATE: to the thread's viewers with GUILD_MEMBERS, and to the user added or
  // removed whatever their intents; a user added to a private thread first gets THREAD_CREATE.
  void AnnounceMembers(const domain::Channel& thread, domain::Snowflake user_id,
                       const domain::ThreadMember* added);
  CommunityDeps deps_;
};

// The guild's active threads that `member` can view, with the member's memberships among them.
// `channels` are the guild's channels (the parents).
Result<ThreadList> VisibleActiveThreads(store::Store& store, const domain::Guild& guild,
                                        const std::vector<domain::Role>& roles,
                                        const domain::Member& member,
                                        const std::vector<domain::Channel>& channels,
                                        std::int64_t now_ms);
// The same as GUILD_CREATE lists them: each thread with its "member" object when joined.
Result<boost::json::array> VisibleActiveThreadsJson(store::Store& store, const domain::Guild& guild,
                                                    const std::vector<domain::Role>& roles,
                                                    const domain::Member& member,
                                                    const std::vector<domain::Channel>& channels,
                                                    std::int64_t now_ms);

}  // namespace chat::service
