// store/guild_store.hpp — guilds (the seed's "servers" table). A guild is created together with
// its initial roles, channels and the owner's membership in one transaction; deleting it removes
// its roles, channels, overwrites, members, member roles and messages. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "domain/channel.hpp"
#include "domain/guild.hpp"
#include "domain/snowflake.hpp"
#include "store/nullable.hpp"

namespace chat::store {

// Everything a new guild starts with. The guild_id of each role, channel and of the owner
// member is taken from guild.id, whatever the structs hold. Channels keep their overwrites;
// the owner's role_ids are stored as member roles.
struct NewGuild {
  domain::Guild guild;
  std::vector<domain::Role> roles;  // must include @everyone (id == guild.id)
  std::vector<domain::Channel> channels;
  domain::Member owner;  // owner.user_id should equal guild.owner_id
};

struct GuildUpdate {
  std::optional<std::string> name;
  Nullable<std::string> description;
  Nullable<std::string> icon;
  std::optional<domain::Snowflake> owner_id;
  Nullable<domain::Snowflake> system_channel_id;
  Nullable<domain::Snowflake> afk_channel_id;
  std::optional<int> afk_timeout;
  std::optional<int> verification_level;
  std::optional<int> default_message_notifications;
  std::optional<int> explicit_content_filter;
  std::optional<std::string> preferred_locale;
};

class GuildStore {
 public:
  virtual ~GuildStore() = default;

  // Conflict if any id clashes; NotFound 10013 if the owner does not exist. All or nothing.
  [[nodiscard]] virtual Result<void> CreateGuild(const NewGuild& guild) = 0;
  // NotFound 10004 when absent (GetGuild, UpdateGuild, DeleteGuild, CountMembers).
  [[nodiscard]] virtual Result<domain::Guild> GetGuild(domain::Snowflake id) = 0;
  // Returns the guild after the update. NotFound 10013 for an unknown new owner.
  [[nodiscard]] virtual Result<domain::Guild> UpdateGuild(domain::Snowflake id,
                                                          const GuildUpdate& update) = 0;
  [[nodiscard]] virtual Result<void> DeleteGuild(domain::Snowflake id) = 0;
  // The guilds `user_id` is a member of, ascending by guild id.
  [[nodiscard]] virtual Result<std::vector<domain::Snowflake>> ListUserGuildIds(
      domain::Snowflake user_id) = 0;
  [[nodiscard]] virtual Result<std::vector<domain::Guild>> ListUserGuilds(
      domain::Snowflake user_id) = 0;
  [[nodiscard]] virtual Result<std::int64_t> CountMembers(domain::Snowflake guild_id) = 0;
};

}  // namespace chat::store
