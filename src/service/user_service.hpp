// service/user_service.hpp — reading and changing user profiles (/users/@me, /users/{id}).
// Synchronous, runs on a worker thread; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "common/result.hpp"
#include "domain/user.hpp"
#include "service/auth_service.hpp"
#include "store/nullable.hpp"
#include "store/user_store.hpp"

namespace chat::service {

struct ProfileUpdate {
  std::optional<std::string> username;       // needs `password`
  store::Nullable<std::string> global_name;  // null clears
  store::Nullable<std::string> avatar;
  std::optional<std::string> password;  // the current password, confirming a rename
};

class UserService {
 public:
  UserService(store::UserStore& users, const AuthService& auth) : users_(users), auth_(auth) {}

  [[nodiscard]] Result<domain::User> Get(domain::Snowflake id);
  [[nodiscard]] Result<domain::User> Update(domain::Snowflake id, const ProfileUpdate& update);

 private:
  store::UserStore& users_;
  const AuthService& auth_;
};

}  // namespace chat::service
