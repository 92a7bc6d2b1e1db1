#include "config/config.hpp"

#include <gtest/gtest.h>

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

namespace chat::config {
namespace {

Invocation LoadWith(std::vector<const char*> args, std::vector<const char*> env) {
  args.insert(args.begin(), "chat-server");
  env.push_back(nullptr);
  return Load(static_cast<int>(args.size()), args.data(), env.data());
}

TEST(Config, DefaultsMatchTheSeed) {
  auto inv = LoadWith({}, {});
  EXPECT_EQ(inv.settings.host, "127.0.0.1");
  EXPECT_EQ(inv.settings.port, 8080);
  EXPECT_EQ(inv.settings.jwt_access_expiry, std::chrono::minutes(15));
  EXPECT_EQ(inv.settings.jwt_refresh_expiry, std::chrono::hours(24 * 7));
  EXPECT_EQ(inv.command, "serve");
}

TEST(Config, AGeneratedJwtSecretIsTheSameAfterARestart) {
  std::string made = (std::filesystem::temp_directory_path() / "chat-config-XXXXXX").string();
  ASSERT_NE(::mkdtemp(made.data()), nullptr);
  const std::filesystem::path dir = made;
  Settings first;
  first.data_dir = dir.string();
  PrepareDataDir(first);
  Settings second;
  second.data_dir = dir.string();
  PrepareDataDir(second);
  std::filesystem::remove_all(dir);
  EXPECT_EQ(first.jwt_secret.size(), 64u);
  // Access tokens signed before a restart must still verify after it.
  EXPECT_EQ(second.jwt_secret, first.jwt_secret);
}

TEST(Config, FlagsWinOverEnvironment) {
  auto inv = LoadWith({"--port", "9001", "--feature-metrics=false"}, {"PORT=9000"});
  EXPECT_EQ(inv.settings.port, 9001);
  EXPECT_FALSE(inv.settings.feature_metrics);
}

TEST(Config, BadValueNamesTheVariable) {
  try {
    LoadWith({}, {"PORT=abc"});
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(e.message.find("PORT"), std::string::npos);
    EXPECT_NE(e.message.find("1-65535"), std::string::npos);
  }
  EXPECT_THROW(LoadWith({}, {"JWT_ACCESS_EXPIRY=soon"}), ConfigError);
  EXPECT_THROW(LoadWith({}, {"FEATURE_METRICS=maybe"}), ConfigError);
  EXPECT_THROW(LoadWith({}, {"JWT_SECRET=short"}), ConfigError);
  EXPECT_THROW(LoadWith({}, {"REDIS_CHANNEL="}), ConfigError);
  EXPECT_THROW(LoadWith({}, {"REDIS_CHANNEL=two words"}), ConfigError);
  EXPECT_EQ(LoadWith({}, {"REDIS_CHANNEL=chat:prod"}).settings.redis_channel, "chat:prod");
  EXPECT_THROW(LoadWith({"--no-such-flag", "1"}, {}), ConfigError);
}

TEST(Config, PasswordHashCostIsTheSeedsUnlessSetAndNeverTooWeakInProduction) {
  const Settings defaults = LoadWith({}, {}).settings;
  EXPECT_EQ(defaults.password_hash_memory_kib, 65536u);
  EXPECT_EQ(defaults.password_hash_iterations, 3u);
  EXPECT_EQ(defaults.password_hash_parallelism, 4u);

  const Settings cheap = LoadWith({"--password-hash-iterations", "1"},
                                  {"PASSWORD_HASH_MEMORY_KIB=1024", "PASSWORD_HASH_PARALLELISM=1"})
                             .settings;
  EXPECT_EQ(cheap.password_hash_memory_kib, 1024u);
  EXPECT_EQ(cheap.password_hash_iterations, 1u);
  EXPECT_EQ(cheap.password_hash_parallelism, 1u);

  EXPECT_THROW(LoadWith({}, {"PASSWORD_HASH_ITERATIONS=0"}), ConfigError);
  EXPECT_THROW(LoadWith({}, {"PASSWORD_HASH_MEMORY_KIB=2097152"}), ConfigError);
  // argon2 needs 8 KiB per lane.
  EXPECT_THROW(LoadWith({}, {"PASSWORD_HASH_MEMORY_KIB=16", "PASSWORD_HASH_PARALLELISM=4"}),
               ConfigError);
  EXPECT_NO_THROW(LoadWith({}, {"PASSWORD_HASH_MEMORY_KIB=32", "PASSWORD_HASH_PARALLELISM=4"}));

  try {
    LoadWith({}, {"CHAT_ENV=production", "PASSWORD_HASH_MEMORY_KIB=1024"});
    FAIL() << "production accepted a 1 MiB hash";
  } catch (const ConfigError& e) {
    EXPECT_NE(e.message.find("PASSWORD_HASH_MEMORY_KIB"), std::string::npos) << e.message;
  }
  // OWASP's settings pass, and each pass count has its own floor.
  EXPECT_NO_THROW(LoadWith(
      {}, {"CHAT_ENV=production", "PASSWORD_HASH_MEMORY_KIB=19456", "PASSWORD_HASH_ITERATIONS=2"}));
  EXPECT_NO_THROW(LoadWith(
      {}, {"CHAT_ENV=production", "PASSWORD_HASH_MEMORY_KIB=7168", "PASSWORD_HASH_ITERATIONS=5"}));
  EXPECT_NO_THROW(LoadWith(
      {}, {"CHAT_ENV=production", "PASSWORD_HASH_MEMORY_KIB=47104", "PASSWORD_HASH_ITERATIONS=1"}));
  EXPECT_THROW(LoadWith({}, {"CHAT_ENV=production", "PASSWORD_HASH_MEMORY_KIB=35840",
                             "PASSWORD_HASH_ITERATIONS=1"}),
               ConfigError);
  EXPECT_THROW(LoadWith({}, {"CHAT_ENV=production", "PASSWORD_HASH_MEMORY_KIB=18432",
                             "PASSWORD_HASH_ITERATIONS=2"}),
               ConfigError);
}

TEST(Config, RustLogIsAnAliasOfChatLog) {
  EXPECT_EQ(LoadWith({}, {"RUST_LOG=debug,sqlx=warn"}).settings.log_filter, "debug,sqlx=warn");
  EXPECT_EQ(LoadWith({}, {"RUST_LOG=debug", "CHAT_LOG=warn"}).settings.log_filter, "warn");
}

TEST(Config, Durations) {
  std::chrono::milliseconds ms;
  ASSERT_TRUE(ParseDuration("15m", ms));
  EXPECT_EQ(ms.count(), 900000);
  ASSERT_TRUE(ParseDuration("7d", ms));
  EXPECT_EQ(ms.count(), 604800000);
  ASSERT_TRUE(ParseDuration("3600s", ms));
  EXPECT_EQ(ms.count(), 3600000);
  ASSERT_TRUE(ParseDuration("250ms", ms));
  EXPECT_EQ(ms.count(), 250);
  EXPECT_FALSE(ParseDuration("m", ms));
  EXPECT_FALSE(ParseDuration("10y", ms));
}

TEST(Config, Booleans) {
  bool b = false;
  EXPECT_TRUE(ParseBool("1", b) && b);
  EXPECT_TRUE(ParseBool("false", b) && !b);
  EXPECT_FALSE(ParseBool("nah", b));
}

TEST(Config, DotEnvOfTheSeedParses) {
  auto values = ParseDotEnv(
      "# comment\nHOST=127.0.0.1\nRUST_LOG=debug,sqlx=warn,tower_http=debug,hyper=info\n\n"
      "JWT_SECRET=dev-secret-key-change-in-production-minimum-32-chars\nexport A=\"b c\"\n",
      ".env");
  EXPECT_EQ(values["HOST"], "127.0.0.1");
  EXPECT_EQ(values["RUST_LOG"], "debug,sqlx=warn,tower_http=debug,hyper=info");
  EXPECT_EQ(values["A"], "b c");
  EXPECT_THROW(ParseDotEnv("garbage line\n", ".env"), ConfigError);
}

TEST(Config, SubcommandsAndTheirArguments) {
  auto inv = LoadWith({"migrate", "down", "--all"}, {});
  EXPECT_EQ(inv.command, "migrate");
  ASSERT_EQ(inv.arguments.size(), 2u);
  EXPECT_EQ(inv.arguments[1], "--all");
  EXPECT_THROW(LoadWith({"frobnicate"}, {}), ConfigError);
  auto seeded = LoadWith({"seed", "--load-test-users", "5", "--port", "9100"}, {});
  EXPECT_EQ(seeded.settings.port, 9100);
  ASSERT_EQ(seeded.arguments.size(), 2u);
  EXPECT_EQ(seeded.arguments[0], "--load-test-users");
}

}  // namespace
}  // namespace chat::config
