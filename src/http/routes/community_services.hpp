// http/routes/community_services.hpp — the community services the guild, channel, role, member
// and invite routes reach through Api::communities. app.cpp owns one; it must outlive the server.
#pragma once

#include "service/auto_moderation_service.hpp"
#include "service/channel_service.hpp"
#include "service/command_service.hpp"
#include "service/community_common.hpp"
#include "service/emoji_service.hpp"
#include "service/guild_service.hpp"
#include "service/invite_service.hpp"
#include "service/member_service.hpp"
#include "service/role_service.hpp"
#include "service/scheduled_event_service.hpp"
#include "service/stage_instance_service.hpp"
#include "service/sticker_service.hpp"
#include "service/thread_service.hpp"

namespace chat::http {

struct CommunityServices {
  explicit CommunityServices(service::CommunityDeps deps)
      : guilds(deps),
        threads(deps),
        channels(deps, threads),
        roles(deps),
        members(deps, guilds),
        invites(deps, guilds),
        emojis(deps),
        stickers(deps),
        events(deps),
        stages(deps, events),
        commands(deps),
        automod(deps, members) {}
  CommunityServices(const CommunityServices&) = delete;
  CommunityServices& operator=(const CommunityServices&) = delete;

  service::GuildService guilds;
  service::ThreadService threads;
  service::ChannelService channels;  // refers to `threads`, declared before it
  service::RoleService roles;
  service::MemberService members;  // refers to `guilds`, declared before it
  service::InviteService invites;
  service::EmojiService emojis;
  service::StickerService stickers;
  service::ScheduledEventService events;
  service::StageInstanceService stages;  // refers to `events`, declared before it
  service::CommandService commands;
  service::AutoModerationService automod;  // refers to `members`, declared before it
};

}  // namespace chat::http
