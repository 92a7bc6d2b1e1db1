// service/guild_service.hpp — guilds: create (with @everyone and the default categories and
// channels), read, modify, delete, the user's guild list, leave and join. Every change publishes
// its GUILD_* event. Synchronous (store calls): run on the db pool. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "domain/emoji.hpp"
#include "domain/sticker.hpp"
#include "service/community_common.hpp"
#include "store/nullable.hpp"

namespace chat::service {

// @everyone's permissions in a new guild: the seed's (104324673) plus creating public and private
// threads and sending in them, which Discord grants @everyone since threads exist, and using
// applications' commands (USE_APPLICATION_COMMANDS), which it grants since they exist, and
// SEND_POLLS (migration 0025 / 0024 grants it to the @everyone of guilds made before polls).
inline constexpr std::uint64_t kDefaultEveryonePermissions = 563330162351681;

struct GuildView {
  domain::Guild guild;
  std::vector<domain::Role> roles;
  std::optional<std::int64_t> member_count;    // with_counts only
  std::optional<std::int64_t> presence_count;  // with_counts only
  std::vector<domain::CustomEmoji> emojis;
  std::vector<domain::Sticker> stickers;
};

struct PartialGuild {
  domain::Guild guild;
  bool owner = false;
  std::uint64_t permissions = 0;
};

struct GuildPatch {
  std::optional<std::string> name;
  store::Nullable<std::string> description;
  store::Nullable<std::string> icon;
  std::optional<domain::Snowflake> owner_id;
  store::Nullable<domain::Snowflake> system_channel_id;
  store::Nullable<domain::Snowflake> afk_channel_id;
  std::optional<int> afk_timeout;
  std::optional<int> verification_level;
  std::optional<int> default_message_notifications;
  std::optional<int> explicit_content_filter;
  std::optional<std::string> preferred_locale;
};

// GUILD_CREATE's payload as `user_id` sees the guild: the guild object plus the channels they can
// view, the members, joined_at and member_count. Shared with the gateway (READY/GUILD_CREATE).
Result<boost::json::object> GuildCreatePayload(store::Store& store, AccessService& access,
                                               domain::Snowflake guild_id,
                                               domain::Snowflake user_id);

class GuildService {
 public:
  explicit GuildService(CommunityDeps deps) : deps_(deps) {}

  [[nodiscard]] Result<GuildView> Create(domain::Snowflake user_id, const std::string& name);
  [[nodiscard]] Result<GuildView> Get(domain::Snowflake user_id, domain::Snowflake guild_id,
                                      bool with_counts);
  // MANAGE_GUILD; owner_id only by the owner, and only to a member.
  [[nodiscard]] Result<GuildView> Update(domain::Snowflake user_id, domain::Snowflake guild_id,
                                         const GuildPatch& patch, const AuditReason& reason = {});
  // Owner only.
  [[nodiscard]] Result<void> Delete(domain::Snowflake user_id, domain::Snowflake guild_id);
  [[nodiscard]] Result<std::vector<PartialGuild>> ListForUser(domain::Snowflake user_id);
  // The owner cannot leave (400).
  [[nodiscard]] Result<void> Leave(domain::Snowflake user_id, domain::Snowflake guild_id);
  // Adds the user as a member (invite joins) and announces it; Conflict when already one.
  [[nodiscard]] Result<domain::Member> Join(domain::Snowflake user_id, domain::Snowflake guild_id);

  // After a member left or was removed: GUILD_MEMBER_REMOVE to the rest, GUILD_DELETE to them.
  void AnnounceRemoval(domain::Snowflake guild_id, domain::Snowflake user_id);

 private:
  CommunityDeps deps_;
};

}  // namespace chat::service
