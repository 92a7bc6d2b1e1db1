// http/api.hpp — what the REST handlers reach: the services, the worker pools they run on and
// the few settings the wire shapes need. Built by app.cpp; handlers only read it.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <string>

#include "bus/event_bus.hpp"
#include "common/blocking_pool.hpp"
#include "common/result.hpp"
#include "http/request.hpp"
#include "service/access_service.hpp"
#include "service/application_service.hpp"
#include "service/audit_log_service.hpp"
#include "service/auth_service.hpp"
#include "service/login_throttle.hpp"
#include "service/message_service.hpp"
#include "service/reaction_service.hpp"
#include "service/search_service.hpp"
#include "service/user_service.hpp"

namespace chat::http {

struct CommunityServices;

struct Api {
  service::AuthService& auth;
  service::UserService& users;
  service::ApplicationService& applications;
  service::LoginThrottle* login_throttle;  // null when FEATURE_RATE_LIMITING=false
  BlockingPool& db;                        // store calls
  BlockingPool& hash;       // argon2 (bounded separately, so a login storm leaves the db pool free)
  std::string gateway_url;  // ws://host:port, what /gateway answers

  // Set by app.cpp after construction; never null once routes run.
  service::AccessService* access = nullptr;
  bus::EventBus* bus = nullptr;
  domain::SnowflakeGenerator* ids = nullptr;
  CommunityServices* communities = nullptr;  // http/routes/community_services.hpp
  service::MessageService* messages = nullptr;
  service::ReactionService* reactions = nullptr;
  service::AttachmentService* attachments = nullptr;  // the download route
  service::SearchService* search = nullptr;
  service::AuditLogService* audit_log = nullptr;
};

// The principal behind the request's Authorization header; 401 when absent or invalid. Access
// tokens are checked on the calling thread (an HMAC); bot tokens on the db pool.
boost::asio::awaitable<Result<service::Principal>> Authenticate(Api& api, const Request& request);

}  // namespace chat::http
