// service/application_service.hpp — applications and their bot users. Creating one makes a
// bot user and a long-lived bot token, returned once and stored only as a hash; resetting
// replaces it. Synchronous, runs on a worker thread; thread-safe.
#pragma once

#include <string>

#include "common/result.hpp"
#include "domain/user.hpp"
#include "service/auth_service.hpp"
#include "store/application_store.hpp"
#include "store/user_store.hpp"

namespace chat::service {

struct CreatedApplication {
  store::Application app;
  domain::User bot;
  std::string token;  // shown once
};

class ApplicationService {
 public:
  ApplicationService(store::UserStore& users, store::ApplicationStore& apps,
                     domain::SnowflakeGenerator& ids, AuthService& auth)
      : users_(users), apps_(apps), ids_(ids), auth_(auth) {}

  [[nodiscard]] Result<CreatedApplication> Create(domain::Snowflake owner_id, std::string name);
  // Only the owner; a new token. The old one stops working at once, and the bot's gateway
  // sessions are closed (4004), as Discord does.
  [[nodiscard]] Result<std::string> ResetBotToken(domain::Snowflake actor_id,
                                                  domain::Snowflake app_id);
  // The application a principal acts for: a bot's own application, or a user's first one.
  [[nodiscard]] Result<store::Application> ForPrincipal(domain::Snowflake user_id, bool bot);
  [[nodiscard]] Result<store::Application> Get(domain::Snowflake actor_id,
                                               domain::Snowflake app_id);

 private:
  store::UserStore& users_;
  store::ApplicationStore& apps_;
  domain::SnowflakeGenerator& ids_;
  AuthService& auth_;
};

}  // namespace chat::service
