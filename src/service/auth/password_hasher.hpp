// service/auth/password_hasher.hpp — argon2id password hashing (libargon2) in PHC string form,
// `$argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>`, the format the seed's users table holds.
// Stateless and thread-safe. Hashing at Seed() cost takes tens of milliseconds and 64 MiB:
// call it from the worker pool, never on an I/O thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace chat::service::auth {

struct HashParams {
  std::uint32_t m_cost_kib = 65536;
  std::uint32_t t_cost = 3;
  std::uint32_t parallelism = 4;
};

class PasswordHasher {
 public:
  // The seed's documented cost: PASSWORD_HASH_*'s default (config/config.hpp).
  static HashParams Seed();
  // For bulk-created load-test accounts, where thousands of Seed() hashes would take minutes.
  // Still a valid argon2id PHC string that Verify() accepts.
  static HashParams Fast();

  // Hashes with a fresh 16-byte salt from OpenSSL's CSPRNG. Throws std::runtime_error only if
  // the CSPRNG or libargon2 fails (out of memory), which no client input can cause.
  static std::string Hash(std::string_view password, const HashParams& params = Seed());

  // True when `phc` is a well-formed argon2id string for `password`. Uses the cost stored in
  // `phc`, so hashes made with older parameters keep working. Malformed strings, other
  // algorithms and absurd costs (which would let a bad row allocate gigabytes) give false.
  static bool Verify(std::string_view phc, std::string_view password);
};

}  // namespace chat::service::auth
