// store/errors.hpp — the NotFound and Conflict errors every Store implementation returns, with
// Discord's JSON error codes, so that SQLite and PostgreSQL answer the client identically.
#pragma once

#include "common/result.hpp"

namespace chat::store {

inline constexpr int kUnknownApplication = 10002;
inline constexpr int kUnknownChannel = 10003;
inline constexpr int kUnknownGuild = 10004;
inline constexpr int kUnknownMember = 10007;
inline constexpr int kUnknownMessage = 10008;
inline constexpr int kUnknownRole = 10011;
inline constexpr int kUnknownUser = 10013;

inline Error UnknownApplication() {
  return Error::NotFound("Unknown Application", kUnknownApplication);
}
inline Error UnknownChannel() { return Error::NotFound("Unknown Channel", kUnknownChannel); }
inline Error UnknownGuild() { return Error::NotFound("Unknown Guild", kUnknownGuild); }
inline Error UnknownMember() { return Error::NotFound("Unknown Member", kUnknownMember); }
inline Error UnknownMessage() { return Error::NotFound("Unknown Message", kUnknownMessage); }
inline Error UnknownRole() { return Error::NotFound("Unknown Role", kUnknownRole); }
inline Error UnknownUser() { return Error::NotFound("Unknown User", kUnknownUser); }
inline Error UnknownRefreshToken() { return Error::NotFound("Unknown refresh token"); }

// A group DM changed by someone not (or no longer) in it, or handed on by someone not its owner.
inline Error NotARecipient() { return Error::Forbidden("Missing Access", 50001); }
inline Error NotTheOwner() { return Error::Forbidden("Missing Permissions", 50013); }

inline Error MaxRecipients() {
  return Error{Errc::kValidation, "Maximum number of recipients reached (10)", 30004};
}

inline Error UsernameTaken() {
  return Error::Conflict("username already taken",
                         {{"username", "USERNAME_ALREADY_TAKEN", "Username is already taken."}});
}
inline Error EmailTaken() {
  return Error::Conflict("email already registered",
                         {{"email", "EMAIL_ALREADY_REGISTERED", "Email is already registered."}});
}

}  // namespace chat::store
