#include "service/user_service.hpp"

#include <vector>

#include "domain/validation.hpp"

namespace chat::service {

Result<domain::User> UserService::Get(domain::Snowflake id) { return users_.GetUser(id); }

Result<domain::User> UserService::Update(domain::Snowflake id, const ProfileUpdate& update) {
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
  if (!fields.empty()) return Error::Validation("Invalid Form Body", std::move(fields));

  auto user = users_.GetUser(id);
  if (!user) return user.error();
  if (update.username && *update.username != user->username && !user->bot) {
    if (!update.password || !auth_.CheckPassword(*user, *update.password)) {
      return Error::Validation("Invalid Form Body", {{"password", "PASSWORD_DOES_NOT_MATCH",
                                                      "Password does not match."}});
    }
  }
  store::UserUpdate change;
  change.username = update.username;
  change.display_name = update.global_name;
  change.avatar = update.avatar;
  return users_.UpdateUser(id, change);
}

}  // namespace chat::service
