// REDIS_URL as RedisBus reads it: host, port, credentials and database number.
#include <gtest/gtest.h>

#include "bus/redis/redis_connection.hpp"

namespace chat::bus::redis {
namespace {

TEST(ParseRedisUrl, ReadsHostPortPasswordAndDatabase) {
  auto e = ParseRedisUrl("redis://user:s3cret@cache.internal:6380/2");
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->host, "cache.internal");
  EXPECT_EQ(e->port, 6380);
  EXPECT_EQ(e->user, "user");
  EXPECT_EQ(e->password, "s3cret");
  EXPECT_EQ(e->db, 2);
  EXPECT_EQ(e->Describe(), "cache.internal:6380/2");  // no credentials in logs
}

TEST(ParseRedisUrl, DefaultsToPort6379AndDatabaseZero) {
  auto e = ParseRedisUrl("redis://127.0.0.1");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->host, "127.0.0.1");
  EXPECT_EQ(e->port, 6379);
  EXPECT_EQ(e->db, 0);
  EXPECT_TRUE(e->password.empty());
  auto slash = ParseRedisUrl("redis://localhost:7000/");
  ASSERT_TRUE(slash);
  EXPECT_EQ(slash->port, 7000);
  EXPECT_EQ(slash->db, 0);
}

TEST(ParseRedisUrl, PasswordOnlyUserinfo) {
  auto e = ParseRedisUrl("redis://:pw@h:1");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->user, "");
  EXPECT_EQ(e->password, "pw");
}

TEST(ParseRedisUrl, RejectsOtherSchemesAndBadParts) {
  EXPECT_FALSE(ParseRedisUrl("http://h:1"));
  EXPECT_FALSE(ParseRedisUrl("not a url"));
  EXPECT_FALSE(ParseRedisUrl("redis://h:99999"));
  EXPECT_FALSE(ParseRedisUrl("redis://h:1/x"));
  EXPECT_FALSE(ParseRedisUrl("redis://h:1/1/2"));
}

}  // namespace
}  // namespace chat::bus::redis
