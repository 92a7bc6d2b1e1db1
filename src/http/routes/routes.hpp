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
// [/communities]
// [messages]
// [/messages]

}  // namespace chat::http
