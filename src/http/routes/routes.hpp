// http/routes/routes.hpp — one registration function per resource; app.cpp calls them all.
// Handlers are glue: parse, call a service on a worker pool, map the Result to JSON.
#pragma once

#include "http/api.hpp"
#include "http/router.hpp"

namespace chat::http {

void AddAuthRoutes(Router& router, Api& api);
void AddUserRoutes(Router& router, Api& api);
void AddApplicationRoutes(Router& router, Api& api);
void AddGatewayRoutes(Router& router, Api& api);
// [communities]
// Builds the guild, channel, role, member and invite services on api.access/bus/ids, points
// api.communities at them and returns their owner (keep it alive while routes run).
std::shared_ptr<void> MakeCommunityServices(Api& api, store::Store& store);
void AddGuildRoutes(Router& router, Api& api);
void AddChannelRoutes(Router& router, Api& api);
void AddRoleRoutes(Router& router, Api& api);
void AddMemberRoutes(Router& router, Api& api);
void AddInviteRoutes(Router& router, Api& api);
// [/communities]
// [messages]
void AddMessageRoutes(Router& router, Api& api);
// [/messages]

}  // namespace chat::http
