#include "service/auth/password_hasher.hpp"

#include <charconv>
#include <optional>
#include <stdexcept>
#include <vector>

#include <argon2.h>
#include <openssl/rand.h>

namespace chat::service::auth {
namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;
constexpr std::string_view kPrefix = "$argon2id$";

// Upper bounds on the cost a stored hash may ask Verify() for. They sit far above anything we
// issue, and keep a corrupted or planted row from making one login allocate gigabytes or spin
// for minutes.
constexpr std::uint32_t kMaxMemoryKib = 1u << 20;  // 1 GiB
constexpr std::uint32_t kMaxTimeCost = 32;
constexpr std::uint32_t kMaxParallelism = 64;

// Reads "<key>=<decimal>" at the front of `text` and drops it (and what follows up to `end`).
std::optional<std::uint32_t> TakeParam(std::string_view& text, std::string_view key, char end) {
  if (text.substr(0, key.size()) != key || text.size() <= key.size() || text[key.size()] != '=') {
    return std::nullopt;
  }
  const char* first = text.data() + key.size() + 1;
  const char* last = text.data() + text.size();
  std::uint32_t value = 0;
  auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || ptr == first || ptr == last || *ptr != end) return std::nullopt;
  text.remove_prefix(static_cast<std::size_t>(ptr - text.data()) + 1);
  return value;
}

// True when the cost fields of an argon2id PHC string parse and stay within our bounds.
// libargon2 re-parses the whole string strictly; this only guards resources.
bool CostWithinBounds(std::string_view phc) {
  if (phc.substr(0, kPrefix.size()) != kPrefix) return false;
  phc.remove_prefix(kPrefix.size());
  if (phc.substr(0, 2) == "v=" && !TakeParam(phc, "v", '$')) return false;
  const auto m = TakeParam(phc, "m", ',');
  const auto t = m ? TakeParam(phc, "t", ',') : std::nullopt;
  const auto p = t ? TakeParam(phc, "p", '$') : std::nullopt;
  return p && *m <= kMaxMemoryKib && *t <= kMaxTimeCost && *p <= kMaxParallelism;
}

}  // namespace

HashParams PasswordHasher::Seed() { return HashParams{65536, 3, 4}; }

HashParams PasswordHasher::Fast() { return HashParams{1024, 1, 1}; }

std::string PasswordHasher::Hash(std::string_view password, const HashParams& params) {
  unsigned char salt[kSaltBytes];
  if (RAND_bytes(salt, sizeof salt) != 1) {
    throw std::runtime_error("password hashing: the CSPRNG failed to produce a salt");
  }
  const std::size_t encoded_len = argon2_encodedlen(
      params.t_cost, params.m_cost_kib, params.parallelism, kSaltBytes, kHashBytes, Argon2_id);
  std::vector<char> encoded(encoded_len);
  const int rc = argon2_hash(params.t_cost, params.m_cost_kib, params.parallelism, password.data(),
                             password.size(), salt, sizeof salt, nullptr, kHashBytes,
                             encoded.data(), encoded.size(), Argon2_id, ARGON2_VERSION_13);
  if (rc != ARGON2_OK) {
    throw std::runtime_error(std::string("password hashing failed: ") + argon2_error_message(rc));
  }
  return std::string(encoded.data());
}

bool PasswordHasher::Verify(std::string_view phc, std::string_view password) {
  // libargon2 reads a C string: an embedded NUL would make it check a different string.
  if (phc.find('\0') != std::string_view::npos || !CostWithinBounds(phc)) return false;
  const std::string encoded(phc);
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

}  // namespace chat::service::auth
