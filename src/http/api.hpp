// http/api.hpp — what the REST handlers reach: the services, the worker pools they run on and
// the few settings the wire shapes need. Built by app.cpp; handlers only read it.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <string>
#include <type_traits>

#include "bus/event_bus.hpp"
#include "common/blocking_pool.hpp"
#include "common/result.hpp"
#include "http/request.hpp"
#include "service/access_service.hpp"
#include "service/application_service.hpp"
#include "service/audit_log_service.hpp"
#include "service/auth_service.hpp"
#include "service/forum_service.hpp"
#include "service/group_dm_service.hpp"
#include "service/interaction_service.hpp"
#include "service/login_throttle.hpp"
#include "service/message_service.hpp"
#include "service/reaction_service.hpp"
#include "service/search_service.hpp"
#include "service/user_service.hpp"
#include "service/webhook_service.hpp"

namespace chat::mail {
class MailQueue;
}

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
  std::string public_url;   // http://host:port or PUBLIC_URL, without a trailing '/'

  // Set by app.cpp after construction; never null once routes run.
  service::AccessService* access = nullptr;
  bus::EventBus* bus = nullptr;
  domain::SnowflakeGenerator* ids = nullptr;
  CommunityServices* communities = nullptr;  // http/routes/community_services.hpp
  service::MessageService* messages = nullptr;
  service::ReactionService* reactions = nullptr;
  service::WebhookService* webhooks = nullptr;
  service::InteractionService* interactions = nullptr;
  service::ForumService* forums = nullptr;
  service::GroupDmService* group_dms = nullptr;
  service::AttachmentService* attachments = nullptr;  // the download route
  service::SearchService* search = nullptr;
  service::AuditLogService* audit_log = nullptr;
  mail::MailQueue* mail = nullptr;  // null without SMTP_HOST: nothing is mailed
};

// The principal behind the request's Authorization header; 401 when absent or invalid. Access
// tokens are checked on the calling thread (an HMAC); bot tokens on the db pool.
boost::asio::awaitable<Result<service::Principal>> Authenticate(Api& api, const Request& request);

// Resumes the calling coroutine after `delay` on its own executor; no thread waits meanwhile.
boost::asio::awaitable<void> Pause(std::chrono::milliseconds delay);

// Runs `call` (a service call returning a Result) on the db pool; while it answers kInFlight
// (another request holds what it needs), calls it again after a growing pause, for up to
// `patience`. Then the kInFlight reaches the client as a 429.
template <typename Call>
auto RunPatiently(Api& api, Call call, std::chrono::milliseconds patience)
    -> boost::asio::awaitable<std::invoke_result_t<Call&>> {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  auto pause = std::chrono::milliseconds(2);
  for (;;) {
    auto result = co_await api.db.Run(call);
    if (result || result.error().code != Errc::kInFlight ||
        std::chrono::steady_clock::now() + pause > deadline) {
      co_return result;
    }
    co_await Pause(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
}

}  // namespace chat::http
