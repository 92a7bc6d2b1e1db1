#include "service/access_service.hpp"

#include <algorithm>
#include <iterator>

#include "domain/permissions.hpp"
#include "store/errors.hpp"

namespace chat::service {

namespace perm = domain::perm;

std::uint64_t DmPermissions() {
  return perm::kViewChannel | perm::kSendMessages | perm::kReadMessageHistory |
         perm::kAddReactions | perm::kAttachFiles | perm::kEmbedLinks | perm::kUseExternalEmojis |
         perm::kMentionEveryone;
}

Error MissingAccess() { return Error::Forbidden("Missing Access", 50001); }
Error MissingPermissions() { return Error::Forbidden("Missing Permissions", 50013); }
Error WrongChannelType() {
  return Error{Errc::kValidation, "Cannot execute action on this channel type", 50024};
}
Error ThreadArchived() { return Error{Errc::kValidation, "Thread is archived", 50083}; }

Result<void> RefuseArchived(const ChannelAccess& access) {
  if (access.channel.thread && access.channel.thread->archived) return ThreadArchived();
  return {};
}

namespace {

Result<GuildAccess> FromRows(store::GuildAccessRows rows, domain::Snowflake user_id,
                             std::int64_t now_ms) {
  if (!rows.member) return MissingAccess();
  GuildAccess access{std::move(rows.guild), std::move(*rows.member), std::move(rows.roles), 0,
                     false};
  access.owner = access.guild.owner_id == user_id;
  access.permissions =
      domain::ComputeGuildPermissions(access.guild, access.roles, access.member, now_ms);
  return access;
}

}  // namespace

Result<GuildAccess> AccessService::Guild(domain::Snowflake user_id, domain::Snowflake guild_id) {
  auto rows = store_.ReadGuildAccess(guild_id, user_id);
  if (!rows) return rows.error();
  return FromRows(std::move(*rows), user_id, clock_());
}

Result<store::ChannelAccessRows> AccessService::ReadChannelRows(domain::Snowflake user_id,
                                                                domain::Snowflake channel_id,
                                                                bool with_user) {
  if (viewers_ != nullptr) {
    if (auto cached = viewers_->ChannelAccess(channel_id, user_id)) {
      if (with_user) {
        auto user = store_.GetUser(user_id);
        if (user) {
          cached->user = std::move(*user);
        } else if (user.error().code != Errc::kNotFound) {
          return user.error();
        }
      }
      return std::move(*cached);
    }
  }
  auto rows = store_.ReadChannelAccess(channel_id, user_id, with_user);
  if (rows && viewers_ != nullptr && rows->channel.guild_id) {
    viewers_->NoteChannel(channel_id, *rows->channel.guild_id);
  }
  return rows;
}

Result<ChannelAccess> AccessService::Channel(domain::Snowflake user_id,
                                             domain::Snowflake channel_id, bool with_user) {
  auto rows = ReadChannelRows(user_id, channel_id, with_user);
  if (!rows) return rows.error();
  ChannelAccess access;
  access.channel = std::move(rows->channel);
  access.user = std::move(rows->user);
  if (!access.channel.guild_id) {
    const auto& r = access.channel.recipient_ids;
    if (std::find(r.begin(), r.end(), user_id) == r.end()) return MissingAccess();
    access.permissions = DmPermissions();
    return access;
  }
  const auto now = clock_();
  auto guild = FromRows(std::move(*rows->guild), user_id, now);
  if (!guild) return guild.error();
  if (domain::IsThread(access.channel.type)) {
    // A thread has no overwrites: its parent's apply, then the thread rules.
    if (!rows->parent) return store::UnknownChannel();
    access.parent = std::move(rows->parent);
    access.thread_member = rows->thread_member;
    access.permissions =
        domain::ComputeThreadPermissions(guild->guild, guild->roles, guild->member, *access.parent,
                                         access.channel, access.thread_member, now);
  } else {
    access.permissions =
        domain::ComputePermissions(guild->guild, guild->roles, guild->member, access.channel, now);
  }
  access.guild = std::move(*guild);
  if (!perm::Has(access.permissions, perm::kViewChannel)) return MissingAccess();
  return access;
}

Result<GuildAccess> AccessService::RequireGuild(domain::Snowflake user_id,
                                                domain::Snowflake guild_id,
                                                std::uint64_t required) {
  auto access = Guild(user_id, guild_id);
  if (access && !perm::Has(access->permissions, required)) return MissingPermissions();
  return access;
}

Result<ChannelAccess> AccessService::RequireChannel(domain::Snowflake user_id,
                                                    domain::Snowflake channel_id,
                                                    std::uint64_t required, bool with_user) {
  auto access = Channel(user_id, channel_id, with_user);
  if (access && !perm::Has(access->permissions, required)) return MissingPermissions();
  return access;
}

Result<std::vector<domain::Snowflake>> AccessService::GuildMembers(domain::Snowflake guild_id) {
  if (viewers_ != nullptr) {
    auto members = viewers_->GuildMembers(guild_id);
    if (!members) return members.error();
    return **members;
  }
  std::vector<domain::Snowflake> out;
  domain::Snowflake after = 0;
  for (;;) {
    auto page = store_.ListMembers(guild_id, after, 1000);
    if (!page) return page.error();
    for (const auto& m : *page) out.push_back(m.user_id);
    if (page->size() < 1000) break;
    after = page->back().user_id;
  }
  return out;
}

Result<std::vector<domain::Snowflake>> AccessService::ThreadViewers(const domain::Channel& thread) {
  if (!thread.parent_id || !thread.guild_id) return std::vector<domain::Snowflake>{};
  auto parent = store_.GetChannel(*thread.parent_id);
  if (!parent) return parent.error();
  if (thread.type != domain::ChannelType::kPrivateThread) return ChannelViewers(*parent);
  // A private thread: who joined it, and who holds MANAGE_THREADS in the parent.
  auto joined = store_.ListThreadMembers(thread.id);
  if (!joined) return joined.error();
  std::vector<domain::Snowflake> members;
  for (const auto& m : *joined) members.push_back(m.user_id);  // ascending
  if (viewers_ != nullptr) {
    // Its members who see the parent, and the parent's moderators: both lists kept in the cache,
    // so an event costs the membership read, not a pass over the guild.
    auto seeing = viewers_->ChannelViewers(*parent);
    if (!seeing) return seeing.error();
    auto moderators = viewers_->ThreadModerators(*parent);
    if (!moderators) return moderators.error();
    std::vector<domain::Snowflake> joined_seeing;
    std::set_intersection(members.begin(), members.end(), (*seeing)->begin(), (*seeing)->end(),
                          std::back_inserter(joined_seeing));
    std::vector<domain::Snowflake> out;
    std::set_union(joined_seeing.begin(), joined_seeing.end(), (*moderators)->begin(),
                   (*moderators)->end(), std::back_inserter(out));
    return out;
  }
  const auto guild_id = *thread.guild_id;
  auto guild = store_.GetGuild(guild_id);
  if (!guild) return guild.error();
  auto roles = store_.ListRoles(guild_id);
  if (!roles) return roles.error();
  std::vector<domain::Snowflake> out;
  domain::Snowflake after = 0;
  const auto now = clock_();
  for (;;) {
    auto page = store_.ListMembers(guild_id, after, 1000);
    if (!page) return page.error();
    for (const auto& m : *page) {
      const bool member = std::binary_search(members.begin(), members.end(), m.user_id);
      const auto p =
          domain::ComputeThreadPermissions(*guild, *roles, m, *parent, thread, member, now);
      if (perm::Has(p, perm::kViewChannel)) out.push_back(m.user_id);
    }
    if (page->size() < 1000) break;
    after = page->back().user_id;
  }
  return out;
}

Result<std::vector<domain::Snowflake>> AccessService::ChannelViewers(
    const domain::Channel& channel) {
  if (!channel.guild_id) return channel.recipient_ids;
  if (domain::IsThread(channel.type)) return ThreadViewers(channel);
  if (viewers_ != nullptr) {
    auto viewers = viewers_->ChannelViewers(channel);
    if (!viewers) return viewers.error();
    return **viewers;
  }
  const auto guild_id = *channel.guild_id;
  auto guild = store_.GetGuild(guild_id);
  if (!guild) return guild.error();
  auto roles = store_.ListRoles(guild_id);
  if (!roles) return roles.error();
  std::vector<domain::Snowflake> out;
  domain::Snowflake after = 0;
  const auto now = clock_();
  for (;;) {
    auto page = store_.ListMembers(guild_id, after, 1000);
    if (!page) return page.error();
    for (const auto& m : *page) {
      if (perm::Has(domain::ComputePermissions(*guild, *roles, m, channel, now),
                    perm::kViewChannel)) {
        out.push_back(m.user_id);
      }
    }
    if (page->size() < 1000) break;
    after = page->back().user_id;
  }
  return out;
}

}  // namespace chat::service
