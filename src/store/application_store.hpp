// store/application_store.hpp — applications (Discord's developer apps) and their bot users.
// The bot token is stored as a hash only. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "domain/snowflake.hpp"

namespace chat::store {

struct Application {
  domain::Snowflake id = 0;
  std::string name;
  std::string description;
  std::optional<std::string> icon;
  domain::Snowflake owner_id = 0;
  std::optional<domain::Snowflake> bot_user_id;  // a User with bot = true
  std::string bot_token_hash;
  bool bot_public = true;
  std::int64_t flags = 0;
  std::int64_t created_at_ms = 0;  // 0 on create means "the id's timestamp"
};

class ApplicationStore {
 public:
  virtual ~ApplicationStore() = default;

  // Conflict if the id or the bot user is already taken; NotFound 10013 for a missing owner/bot.
  [[nodiscard]] virtual Result<void> CreateApplication(const Application& app) = 0;
  // NotFound 10002 when absent (all three getters).
  [[nodiscard]] virtual Result<Application> GetApplication(domain::Snowflake id) = 0;
  [[nodiscard]] virtual Result<Application> GetApplicationByBotUser(
      domain::Snowflake bot_user_id) = 0;
  // Ascending by id; empty when the user owns none.
  [[nodiscard]] virtual Result<std::vector<Application>> ListApplicationsByOwner(
      domain::Snowflake owner_id) = 0;
  [[nodiscard]] virtual Result<void> UpdateBotTokenHash(domain::Snowflake app_id,
                                                        std::string_view token_hash) = 0;
};

}  // namespace chat::store
