#include "http/routes/community_services.hpp"

#include <memory>

#include "http/routes/routes.hpp"

namespace chat::http {
namespace {

// Owns the services; CommunityServices only refers to them.
struct CommunityOwner {
  explicit CommunityOwner(service::CommunityDeps deps)
      : guilds(deps),
        channels(deps),
        roles(deps),
        members(deps, guilds),
        invites(deps, guilds),
        view{guilds, channels, roles, members, invites} {}
  service::GuildService guilds;
  service::ChannelService channels;
  service::RoleService roles;
  service::MemberService members;
  service::InviteService invites;
  CommunityServices view;
};

}  // namespace

std::shared_ptr<void> MakeCommunityServices(Api& api, store::Store& store) {
  auto owner = std::make_shared<CommunityOwner>(
      service::CommunityDeps{store, *api.access, *api.bus, *api.ids});
  api.communities = &owner->view;
  return owner;
}

}  // namespace chat::http
