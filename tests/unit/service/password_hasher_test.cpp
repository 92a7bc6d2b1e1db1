#include "service/auth/password_hasher.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace chat::service::auth {
namespace {

using namespace std::string_literals;

TEST(PasswordHasher, SeedHashRoundTripsInPhcForm) {
  const std::string phc = PasswordHasher::Hash("StrongP@ss123", PasswordHasher::Seed());
  EXPECT_EQ(phc.rfind("$argon2id$v=19$m=65536,t=3,p=4$", 0), 0u) << phc;
  EXPECT_TRUE(PasswordHasher::Verify(phc, "StrongP@ss123"));
}

TEST(PasswordHasher, WrongPasswordIsRefused) {
  const std::string phc = PasswordHasher::Hash("password123", PasswordHasher::Fast());
  EXPECT_FALSE(PasswordHasher::Verify(phc, "password124"));
  EXPECT_FALSE(PasswordHasher::Verify(phc, "Password123"));
  EXPECT_FALSE(PasswordHasher::Verify(phc, ""));
  EXPECT_FALSE(PasswordHasher::Verify(phc, "password123\0"s));
}

TEST(PasswordHasher, VerifyUsesTheCostStoredInTheHash) {
  // A load-test account hashed cheaply still verifies; Verify reads m/t/p from the string.
  const std::string phc = PasswordHasher::Hash("password123", PasswordHasher::Fast());
  EXPECT_NE(phc.find("m=1024,t=1,p=1"), std::string::npos) << phc;
  EXPECT_TRUE(PasswordHasher::Verify(phc, "password123"));
}

TEST(PasswordHasher, SameInputHashesDifferentlyEachTime) {
  const std::string a = PasswordHasher::Hash("password123", PasswordHasher::Fast());
  const std::string b = PasswordHasher::Hash("password123", PasswordHasher::Fast());
  EXPECT_NE(a, b);  // fresh salt per hash
  EXPECT_TRUE(PasswordHasher::Verify(a, "password123"));
  EXPECT_TRUE(PasswordHasher::Verify(b, "password123"));
}

TEST(PasswordHasher, BinaryAndEmptyPasswordsRoundTrip) {
  const std::string odd = "a\0b\xFF"s;
  EXPECT_TRUE(PasswordHasher::Verify(PasswordHasher::Hash(odd, PasswordHasher::Fast()), odd));
  EXPECT_TRUE(PasswordHasher::Verify(PasswordHasher::Hash("", PasswordHasher::Fast()), ""));
}

TEST(PasswordHasher, MalformedHashesAreRefusedWithoutCrashing) {
  const std::string good = PasswordHasher::Hash("password123", PasswordHasher::Fast());
  std::vector<std::string> garbage = {
      "",
      "$",
      "$argon2id$",
      "$argon2id$v=19$",
      "$argon2id$v=19$m=1024,t=1,p=1$",
      "$argon2id$v=19$m=1024,t=1,p=1$$",
      "$argon2id$v=19$m=,t=,p=$c2FsdHNhbHQ$aGFzaA",
      "$argon2id$v=19$m=99999999999999999999,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2g",
      "$argon2id$v=19$m=1024,t=1,p=1$!!!not-base64!!!$aGFzaGhhc2g",
      "plaintext-password",
      "$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234",  // bcrypt shape
      good.substr(0, good.size() / 2),
      good + "$extra",
      good.substr(0, 20) + "\0"s + good.substr(21),
      std::string(10000, '$'),
  };
  // Same salt and hash as a valid string, but labelled argon2i: a different algorithm.
  std::string as_argon2i = good;
  as_argon2i.replace(0, 10, "$argon2i$");
  garbage.push_back(as_argon2i);
  for (const std::string& phc : garbage) {
    EXPECT_FALSE(PasswordHasher::Verify(phc, "password123")) << phc;
  }
}

TEST(PasswordHasher, RefusesStoredCostsBeyondSaneBounds) {
  // 4 TiB of memory: attempting it could take the node down, so it must be refused unread.
  EXPECT_FALSE(
      PasswordHasher::Verify("$argon2id$v=19$m=4294967295,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
                             "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
                             "password123"));
  EXPECT_FALSE(
      PasswordHasher::Verify("$argon2id$v=19$m=1024,t=4000000000,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
                             "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
                             "password123"));
}

TEST(PasswordHasher, ConcurrentUseIsSafe) {
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&ok, i] {
      const std::string pw = "pw-" + std::to_string(i);
      const std::string phc = PasswordHasher::Hash(pw, PasswordHasher::Fast());
      ok[i] = PasswordHasher::Verify(phc, pw) && !PasswordHasher::Verify(phc, pw + "x");
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(ok[i]) << i;
}

}  // namespace
}  // namespace chat::service::auth
