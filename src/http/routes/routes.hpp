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
void AddGuildRoutes(Router& router, Api& api);
void AddChannelRoutes(Router& router, Api& api);
void AddRoleRoutes(Router& router, Api& api);
void AddMemberRoutes(Router& router, Api& api);
void AddInviteRoutes(Router& router, Api& api);
void AddMessageRoutes(Router& router, Api& api);
void AddAttachmentRoutes(Router& router, Api& api);
// Before AddMessageRoutes: "/channels/{id}/messages/search" must not be read as a message id.
void AddSearchRoutes(Router& router, Api& api);
void AddAuditLogRoutes(Router& router, Api& api);
void AddWebhookRoutes(Router& router, Api& api);
void AddThreadRoutes(Router& router, Api& api);
// Also the public image route /emojis/{id}.{ext} (outside /api, as Discord's CDN).
void AddEmojiRoutes(Router& router, Api& api);
// Also the public image route /stickers/{id}.{ext}, on the path of GET /stickers/{id}.
void AddStickerRoutes(Router& router, Api& api);
void AddScheduledEventRoutes(Router& router, Api& api);
// Also the public image route /channel-icons/{channel_id}/{hash}.{ext}.
void AddGroupDmRoutes(Router& router, Api& api);
void AddStageInstanceRoutes(Router& router, Api& api);
void AddAutoModerationRoutes(Router& router, Api& api);
void AddCommandRoutes(Router& router, Api& api);
void AddInteractionRoutes(Router& router, Api& api);
// The browser client (web/): /app, /app/{file}, and / sending a browser there.
void AddWebRoutes(Router& router);

}  // namespace chat::http
