#include "domain/mentions.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace chat::domain {
namespace {

using ::testing::ElementsAre;

TEST(ParseMentions, FindsUsersInBothFormsOnceEachInOrder) {
  auto m = ParseMentions("hi <@42> and <@!7>, again <@42>");
  EXPECT_THAT(m.users, ElementsAre(42u, 7u));
  EXPECT_TRUE(m.roles.empty());
  EXPECT_FALSE(m.everyone);
}

TEST(ParseMentions, FindsRolesSeparatelyFromUsers) {
  auto m = ParseMentions("<@&3> <@5>");
  EXPECT_THAT(m.roles, ElementsAre(3u));
  EXPECT_THAT(m.users, ElementsAre(5u));
}

TEST(ParseMentions, FindsEveryoneAndHere) {
  EXPECT_TRUE(ParseMentions("ping @everyone now").everyone);
  EXPECT_TRUE(ParseMentions("@here").here);
  auto m = ParseMentions("no one");
  EXPECT_FALSE(m.everyone);
  EXPECT_FALSE(m.here);
}

TEST(ParseMentions, IgnoresMalformedMentions) {
  auto m = ParseMentions("<@abc> <@> <@!> <@&x> <@12 <@-5> <@99999999999999999999>");
  EXPECT_TRUE(m.users.empty());
  EXPECT_TRUE(m.roles.empty());
}

TEST(ParseMentions, RecoversAfterAnUnclosedOrBrokenMention) {
  EXPECT_THAT(ParseMentions("<@x <@8>").users, ElementsAre(8u));
  EXPECT_TRUE(ParseMentions("trailing <@12").users.empty());
}

TEST(CountCodePoints, CountsCharactersNotBytes) {
  EXPECT_EQ(CountCodePoints(""), 0u);
  EXPECT_EQ(CountCodePoints("abc"), 3u);
  EXPECT_EQ(CountCodePoints("\xC3\xA9t\xC3\xA9"), 3u);  // "été"
  EXPECT_EQ(CountCodePoints("\xF0\x9F\x98\x80!"), 2u);  // emoji + '!'
}

}  // namespace
}  // namespace chat::domain
