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
  // Needs `password`. Ends every session of the account, this one's included, and signs it in
  // anew (Discord answers with a new token the same way).
  std::optional<std::string> new_password;
};

struct UpdatedProfile {
  domain::User user;
  std::optional<TokenPair> tokens;  // after a new password
};

class UserService {
 public:
  UserService(store::UserStore& users, AuthService& auth) : users_(users), auth_(auth) {}

  [[nodiscard]] Result<domain::User> Get(domain::Snowflake id);
  // Blocks on argon2 when a password is given: run on the hashing pool.
  [[nodiscard]] Result<UpdatedProfile> Update(domain::Snowflake id, const ProfileUpdate& update);

 private:
  store::UserStore& users_;
  AuthService& auth_;
};

}  // namespace chat::service
