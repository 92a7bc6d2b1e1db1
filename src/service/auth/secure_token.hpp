// service/auth/secure_token.hpp — opaque secrets (refresh tokens, bot tokens) and the helpers
// around them: base64url, SHA-256 digests (the store keeps only the digest, so a leaked table
// grants no session), constant-time comparison. All functions are stateless and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chat::service::auth {

// RFC 4648 §5 alphabet without '=' padding, as JWTs and Discord tokens use.
std::string Base64UrlEncode(std::string_view bytes);
// Strict inverse of Base64UrlEncode: refuses '=' padding, characters outside the alphabet,
// impossible lengths and non-zero leftover bits, so each byte string has exactly one encoding.
std::optional<std::string> Base64UrlDecode(std::string_view text);

// `bytes` bytes from OpenSSL's CSPRNG, base64url-encoded (32 bytes → 43 characters). Throws
// std::runtime_error only if the CSPRNG fails, which no client input can cause.
std::string RandomToken(std::size_t bytes = 32);

// Lowercase hex SHA-256 (64 characters).
std::string Sha256Hex(std::string_view data);

// Compares in time that depends only on the lengths, not on where the inputs differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Discord's bot-token shape: `<base64url(decimal user id)>.<RandomToken()>`. The first part
// lets a request name its bot before the store looks up the token's digest.
std::string MakeBotToken(std::uint64_t bot_user_id);
// The user id in a token of MakeBotToken's shape, or nullopt when the token does not have it.
// Says nothing about validity: the caller must still compare Sha256Hex(token) with the store.
std::optional<std::uint64_t> BotTokenUserId(std::string_view token);

}  // namespace chat::service::auth
