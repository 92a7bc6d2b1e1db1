// store/access_rows.hpp — AccessStore's reads, written once for both backends (internal to
// store/). `Conn` is a backend's Connection; LoadGuild, LoadMember, LoadRoles, LoadChannel and
// LoadUser (and, for threads, IsThreadMember) are found next to it (its <backend>_rows.hpp) by
// argument-dependent lookup.
#pragma once

#include "common/result.hpp"
#include "store/access_store.hpp"

namespace chat::store {

template <class Conn>
Result<GuildAccessRows> ReadGuildAccessRows(Conn& conn, domain::Snowflake guild_id,
                                            domain::Snowflake user_id) {
  auto guild = LoadGuild(conn, guild_id);
  if (!guild) return guild.error();
  GuildAccessRows rows{std::move(*guild), std::nullopt, {}};
  auto member = LoadMember(conn, guild_id, user_id);
  if (member) {
    rows.member = std::move(*member);
  } else if (member.error().code != Errc::kNotFound) {
    return member.error();
  } else {
    return rows;  // an outsider: the roles are not needed
  }
  auto roles = LoadRoles(conn, guild_id);
  if (!roles) return roles.error();
  rows.roles = std::move(*roles);
  return rows;
}

template <class Conn>
Result<ChannelAccessRows> ReadChannelAccessRows(Conn& conn, domain::Snowflake channel_id,
                                                domain::Snowflake user_id, bool with_user) {
  auto channel = LoadChannel(conn, channel_id);
  if (!channel) return channel.error();
  ChannelAccessRows rows{std::move(*channel), std::nullopt, std::nullopt};
  if (domain::IsThread(rows.channel.type) && rows.channel.parent_id) {
    auto parent = LoadChannel(conn, *rows.channel.parent_id);
    if (!parent) return parent.error();
    rows.parent = std::move(*parent);
    auto joined = IsThreadMember(conn, rows.channel.id, user_id);
    if (!joined) return joined.error();
    rows.thread_member = *joined;
  }
  if (rows.channel.guild_id) {
    auto guild = ReadGuildAccessRows(conn, *rows.channel.guild_id, user_id);
    if (!guild) return guild.error();
    rows.guild = std::move(*guild);
  }
  if (!with_user) return rows;
  auto user = LoadUser(conn, user_id);
  if (user) {
    rows.user = std::move(*user);
  } else if (user.error().code != Errc::kNotFound) {
    return user.error();
  }
  return rows;
}

}  // namespace chat::store
