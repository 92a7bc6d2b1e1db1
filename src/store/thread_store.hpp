// store/thread_store.hpp — threads (channels of types 10–12 under a text or announcement channel)
// and who joined them. A thread is read like any channel (ChannelStore::GetChannel fills
// Channel::thread); guild channel lists leave threads out, as Discord's do. Deleting a thread's
// parent deletes its threads; deleting a thread deletes its messages and members. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "domain/channel.hpp"
#include "domain/snowflake.hpp"

namespace chat::store {

// Discord answers 400 with this code; the service turns the store's Conflict into it.
inline constexpr int kThreadAlreadyCreated = 160004;

struct ThreadUpdate {
  std::optional<std::string> name;
  std::optional<bool> archived;  // a change also sets archive_timestamp to `now_ms`
  std::optional<bool> locked;
  std::optional<int> auto_archive_duration;
  std::optional<bool> invitable;
  std::optional<int> rate_limit_per_user;
  std::optional<std::vector<domain::Snowflake>> applied_tags;  // a forum post's, whole
  std::int64_t now_ms = 0;
};

struct ThreadAccessRow {
  domain::Snowflake id = 0;
  domain::Snowflake parent_id = 0;
  domain::ChannelType type = domain::ChannelType::kPublicThread;
  bool locked = false;
  bool joined = false;  // the user asked about is a member
};

// A page of archived threads, newest archive first (but see member_id).
struct ArchivedThreadQuery {
  domain::Snowflake parent_id = 0;
  bool private_threads = false;  // type 12; otherwise 10 and 11
  // Only threads this user is a member of (Discord's /users/@me/threads/archived/private); such a
  // page is ordered by thread id, newest first, and pages with `before_id`.
  std::optional<domain::Snowflake> member_id;
  std::optional<std::int64_t> before_ms;       // archive_timestamp strictly before
  std::optional<domain::Snowflake> before_id;  // with member_id: thread id strictly below
  int limit = 50;
};

class ThreadStore {
 public:
  virtual ~ThreadStore() = default;

  // Stores the thread (channel.thread set, parent_id a channel of the same guild) and its first
  // members. NotFound 10003 for an unknown parent; Conflict when the id is taken (a
  // thread started from a message takes the message's id).
  [[nodiscard]] virtual Result<void> CreateThread(
      const domain::Channel& thread, const std::vector<domain::ThreadMember>& members) = 0;
  // NotFound 10003 when absent or not a thread. Returns the thread after the update.
  [[nodiscard]] virtual Result<domain::Channel> UpdateThread(domain::Snowflake id,
                                                             const ThreadUpdate& update) = 0;
  // False when the user was already a member (nothing changes). NotFound 10003 / 10013.
  [[nodiscard]] virtual Result<bool> AddThreadMember(const domain::ThreadMember& member) = 0;
  // False when the user was not a member.
  [[nodiscard]] virtual Result<bool> RemoveThreadMember(domain::Snowflake thread_id,
                                                        domain::Snowflake user_id) = 0;
  [[nodiscard]] virtual Result<std::optional<domain::ThreadMember>> GetThreadMember(
      domain::Snowflake thread_id, domain::Snowflake user_id) = 0;
  // Ascending by user id.
  [[nodiscard]] virtual Result<std::vector<domain::ThreadMember>> ListThreadMembers(
      domain::Snowflake thread_id) = 0;
  // The guild's threads that are not archived, ascending by id.
  [[nodiscard]] virtual Result<std::vector<domain::Channel>> ListActiveThreads(
      domain::Snowflake guild_id) = 0;
  // What a permission check needs of every thread of the guild, archived or not, ascending by
  // id, in one read: a search over a guild with thousands of threads checks them all.
  [[nodiscard]] virtual Result<std::vector<ThreadAccessRow>> ListThreadAccess(
      domain::Snowflake guild_id, domain::Snowflake user_id) = 0;
  // The user's memberships among the guild's threads that are not archived.
  [[nodiscard]] virtual Result<std::vector<domain::ThreadMember>> ListJoinedActiveThreads(
      domain::Snowflake guild_id, domain::Snowflake user_id) = 0;
  [[nodiscard]] virtual Result<std::vector<domain::Channel>> ListArchivedThreads(
      const ArchivedThreadQuery& query) = 0;
  // Archives up to `limit` threads idle for their auto_archive_duration at `now_ms` (no message
  // and no reopening within it; a thread's creation counts as one) and returns them archived.
  // Each thread is archived once even when several nodes sweep at the same time.
  [[nodiscard]] virtual Result<std::vector<domain::Channel>> ArchiveIdleThreads(std::int64_t now_ms,
                                                                                int limit) = 0;
};

}  // namespace chat::store
