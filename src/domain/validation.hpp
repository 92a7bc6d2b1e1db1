// domain/validation.hpp — field rules for what users type: usernames, emails, passwords, display
// names, and the byte-level checks (NUL, UTF-8) every text field passes. Each rule returns the
// problem as a FieldError (or nothing), so a service can collect every bad field of one request
// into a single Error::Validation("Invalid Form Body", fields), as Discord reports them.
// Pure functions; safe from any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "common/result.hpp"

namespace chat::domain {

inline constexpr std::size_t kUsernameMinLength = 3;
inline constexpr std::size_t kUsernameMaxLength = 32;
inline constexpr std::size_t kEmailMaxLength = 254;  // RFC 5321 path limit
inline constexpr std::size_t kPasswordMinLength = 8;
// Argon2 takes any length; the cap only stops a client from making us hash megabytes.
inline constexpr std::size_t kPasswordMaxLength = 128;
inline constexpr std::size_t kDisplayNameMaxLength = 32;  // code points, as Discord counts

// 3–32 ASCII letters, digits, '_' and '.'. Field "username".
std::optional<FieldError> ValidateUsername(std::string_view username);

// local@domain.tld in plain ASCII, at most 254 bytes, no spaces or control characters.
// Field "email".
std::optional<FieldError> ValidateEmail(std::string_view email);

// For registration and password changes only (never at login, so accounts created with weaker
// passwords, like the seed's load-test users, still sign in): 8–128 bytes with at least three
// of lowercase, uppercase, digits and symbols. The error names `field`.
std::optional<FieldError> CheckPasswordStrength(std::string_view password,
                                                std::string_view field = "password");

// Discord's global_name: 1–32 code points of valid UTF-8 without control characters.
// Field "global_name".
std::optional<FieldError> ValidateDisplayName(std::string_view display_name);

// Any text a client sends that we store or echo must be valid UTF-8 without NUL bytes: NUL
// truncates C strings in libpq and SQLite, and invalid UTF-8 breaks JSON for every reader.
// Returns the problem for `field`, or nothing.
std::optional<FieldError> ValidateText(std::string_view field, std::string_view text);

bool ContainsNul(std::string_view text);
// Strict UTF-8 (RFC 3629): refuses overlong forms, surrogates and code points above U+10FFFF.
bool IsValidUtf8(std::string_view text);

}  // namespace chat::domain
