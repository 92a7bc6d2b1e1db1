// http/routes/community_services.hpp — the community services the guild, channel, role, member
// and invite routes reach through Api::communities (set by app.cpp; never null once routes run).
#pragma once

#include "http/api.hpp"
#include "service/channel_service.hpp"
#include "service/guild_service.hpp"
#include "service/invite_service.hpp"
#include "service/member_service.hpp"
#include "service/role_service.hpp"

namespace chat::http {

struct CommunityServices {
  service::GuildService& guilds;
  service::ChannelService& channels;
  service::RoleService& roles;
  service::MemberService& members;
  service::InviteService& invites;
};

}  // namespace chat::http
