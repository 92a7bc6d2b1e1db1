#include "service/user_service.hpp"

#include <vector>

#include "domain/validation.hpp"

namespace chat::service {

Result<domain::User> UserService::Get(domain::Snowflake id) { return users_.GetUser(id); }

Result<UpdatedProfile> UserService::Update(domain::Snowflake id, const ProfileUpdate& update) {
  std::vector<FieldError> fields;
  if (update.username) {
    if (auto e = domain::ValidateUsername(*update.username)) fields.push_back(*e);
  }
  if (update.global_name && *update.global_name) {
    if (auto e = domain::ValidateDisplayName(**update.global_name)) fields.push_back(*e);
  }
  if (update.avatar && *update.avatar) {
    if (auto e = domain::ValidateText("avatar", **update.avatar)) fields.push_back(*e);
  }
  if (update.new_password) {
    if (auto e = domain::CheckPasswordStrength(*update.new_password, "new_password")) {
      fields.push_back(*e);
    }
  }
  if (!fields.empty()) return Error::Validation("Invalid Form Body", std::move(fields));

  auto user = users_.GetUser(id);
  if (!user) return user.error();
  if (update.new_password && user->bot) {
    return Error::Validation("Invalid Form Body",
                             {{"new_password", "BOT_PASSWORD", "Bots have no password."}});
  }
  const bool renaming = update.username && *update.username != user->username && !user->bot;
  if (renaming || update.new_password) {
    if (!update.password || !auth_.CheckPassword(*user, *update.password)) {
      return Error::Validation("Invalid Form Body", {{"password", "PASSWORD_DOES_NOT_MATCH",
                                                      "Password does not match."}});
    }
  }
  store::UserUpdate change;
  change.username = update.username;
  change.display_name = update.global_name;
  change.avatar = update.avatar;
  auto updated = users_.UpdateUser(id, change);
  if (!updated) return updated.error();
  UpdatedProfile out{std::move(*updated), std::nullopt};
  if (update.new_password) {
    auto tokens = auth_.ChangePassword(id, *update.new_password);
    if (!tokens) return tokens.error();
    out.tokens = std::move(*tokens);
  }
  return out;
}

}  // namespace chat::service
