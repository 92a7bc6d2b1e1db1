#include "service/application_service.hpp"

#include "common/log.hpp"
#include "domain/validation.hpp"
#include "service/auth/secure_token.hpp"
#include "store/errors.hpp"

namespace chat::service {

Result<CreatedApplication> ApplicationService::Create(domain::Snowflake owner_id,
                                                      std::string name) {
  if (name.size() < 2 || name.size() > 32) {
    return Error::Validation("Invalid Form Body", {{"name", "BASE_TYPE_BAD_LENGTH",
                                                    "Must be between 2 and 32 in length."}});
  }
  if (auto e = domain::ValidateText("name", name))
    return Error::Validation("Invalid Form Body", {*e});

  CreatedApplication out;
  out.bot.id = ids_.Next();
  // Bot usernames follow the application's name; a suffix keeps them unique and valid.
  std::string base;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.') base += c;
  }
  if (base.size() < 3) base += "bot";
  if (base.size() > 20) base.resize(20);
  out.bot.username = base + "_" + std::to_string(out.bot.id % 100000000);
  out.bot.display_name = name;
  out.bot.bot = true;
  if (auto r = users_.CreateUser(out.bot); !r) return r.error();

  out.token = auth::MakeBotToken(out.bot.id);
  out.app.id = ids_.Next();
  out.app.name = std::move(name);
  out.app.owner_id = owner_id;
  out.app.bot_user_id = out.bot.id;
  out.app.bot_token_hash = auth::Sha256Hex(out.token);
  if (auto r = apps_.CreateApplication(out.app); !r) return r.error();
  return out;
}

Result<std::string> ApplicationService::ResetBotToken(domain::Snowflake actor_id,
                                                      domain::Snowflake app_id) {
  auto app = Get(actor_id, app_id);
  if (!app) return app.error();
  if (!app->bot_user_id) return store::UnknownApplication();
  std::string token = auth::MakeBotToken(*app->bot_user_id);
  if (auto r = apps_.UpdateBotTokenHash(app_id, auth::Sha256Hex(token)); !r) return r.error();
  // The new hash is what counts for REST; sessions opened with the old token end here. Should
  // this fail, the new token is still the only valid one, so it is returned all the same.
  if (auto ended = auth_.EndSessions(*app->bot_user_id); !ended) {
    log::Warn("applications", "the old bot token's sessions were not ended",
              {{"error", ended.error().message}});
  }
  return token;
}

Result<store::Application> ApplicationService::ForPrincipal(domain::Snowflake user_id, bool bot) {
  if (bot) return apps_.GetApplicationByBotUser(user_id);
  auto owned = apps_.ListApplicationsByOwner(user_id);
  if (!owned) return owned.error();
  if (owned->empty()) return store::UnknownApplication();
  return owned->front();
}

Result<store::Application> ApplicationService::Get(domain::Snowflake actor_id,
                                                   domain::Snowflake app_id) {
  auto app = apps_.GetApplication(app_id);
  if (!app) return app.error();
  // Someone else's application is as good as absent: no confirmation that the id exists.
  if (app->owner_id != actor_id && app->bot_user_id != actor_id) return store::UnknownApplication();
  return app;
}

}  // namespace chat::service
