// domain/user.hpp — a user account as the services see it. The password hash never leaves the
// service layer: JSON writers take User but print no hash.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/snowflake.hpp"

namespace chat::domain {

struct User {
  Snowflake id = 0;
  std::string username;
  std::string email;
  std::string password_hash;                // PHC string; empty for bot users
  std::optional<std::string> display_name;  // Discord's global_name
  std::optional<std::string> avatar;
  bool bot = false;
  std::int64_t flags = 0;
  std::int64_t created_at_ms = 0;
  bool verified = false;  // the email was confirmed (bots and seeded accounts: true)
  // Raised each time all of the user's sessions end (users.token_version); read-only here, the
  // token store raises it.
  std::int64_t token_version = 0;
};

}  // namespace chat::domain
