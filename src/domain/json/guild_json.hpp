// domain/json/guild_json.hpp — Discord v10 guild, role, channel and member objects, shared by
// the REST routes and the gateway (READY, GUILD_CREATE, events). Ids and permission bitsets are
// decimal strings, as Discord sends them.
#pragma once

#include <vector>

#include <boost/json/object.hpp>

#include "domain/channel.hpp"
#include "domain/guild.hpp"
#include "domain/user.hpp"

namespace chat::domain::json {

boost::json::object RoleJson(const Role& role);

// Guild channels carry guild_id and permission_overwrites; DMs (type 1/3) carry recipients as
// bare ids here — use DmChannelJson when the recipients' user objects are at hand. Threads carry
// owner_id, thread_metadata and their counts, and no overwrites of their own.
boost::json::object ChannelJson(const Channel& channel);

// Discord's thread member object {id, user_id, join_timestamp, flags}.
boost::json::object ThreadMemberJson(const ThreadMember& member);

// A DM channel with full recipient user objects.
boost::json::object DmChannelJson(const Channel& channel, const std::vector<User>& recipients);

// A member with its nested "user" object.
boost::json::object MemberJson(const Member& member, const User& user);

// The full guild object with its roles (no channels/members: GUILD_CREATE adds those).
boost::json::object GuildJson(const Guild& guild, const std::vector<Role>& roles);

}  // namespace chat::domain::json
