// store/user_store.hpp — user accounts. Usernames are unique as written (case-sensitive); emails
// are unique ignoring ASCII case. Bot users have an empty email (stored as NULL, never clashing).
// Thread-safe: every method may be called from any worker thread concurrently.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "domain/snowflake.hpp"
#include "domain/user.hpp"
#include "store/nullable.hpp"

namespace chat::store {

struct UserUpdate {
  std::optional<std::string> username;
  std::optional<std::string> email;
  Nullable<std::string> display_name;  // Discord's global_name
  Nullable<std::string> avatar;
  std::optional<std::string> password_hash;
  std::optional<std::int64_t> flags;
  std::optional<bool> verified;
};

class UserStore {
 public:
  virtual ~UserStore() = default;

  // The caller supplies user.id (a snowflake); created_at_ms 0 means "the id's timestamp".
  // Conflict UsernameTaken()/EmailTaken() (store/errors.hpp) on a clash.
  [[nodiscard]] virtual Result<void> CreateUser(const domain::User& user) = 0;
  // NotFound 10013 when absent.
  [[nodiscard]] virtual Result<domain::User> GetUser(domain::Snowflake id) = 0;
  [[nodiscard]] virtual Result<domain::User> GetUserByUsername(std::string_view username) = 0;
  [[nodiscard]] virtual Result<domain::User> GetUserByEmail(std::string_view email) = 0;
  // `login` is a username or an email (an '@' does not decide: usernames are tried first).
  [[nodiscard]] virtual Result<domain::User> GetUserByLogin(std::string_view login) = 0;
  // Returns the user after the update. NotFound 10013; Conflict as CreateUser.
  [[nodiscard]] virtual Result<domain::User> UpdateUser(domain::Snowflake id,
                                                        const UserUpdate& update) = 0;
  // Users that exist among `ids`, ascending by id; unknown ids are skipped, duplicates collapsed.
  [[nodiscard]] virtual Result<std::vector<domain::User>> ListUsers(
      std::span<const domain::Snowflake> ids) = 0;
};

}  // namespace chat::store
