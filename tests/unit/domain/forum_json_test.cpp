// A forum's settings as Discord validates them (domain/json/forum_json): defaults, tags keeping
// their ids across a PATCH, and what is refused.
#include "domain/json/forum_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <string>

namespace chat::domain::json {
namespace {

namespace bj = boost::json;

TEST(ForumSettings, ANewForumGetsDefaultsAndIdsForItsTags) {
  Snowflake next = 100;
  auto made = ParseForumSettings(
      bj::parse(R"({"available_tags":[{"name":"bug","moderated":true},{"name":"idea"}]})")
          .as_object(),
      std::nullopt, [&] { return next++; });
  ASSERT_TRUE(made);
  ASSERT_TRUE(*made);
  bj::object channel;
  WriteForumFields(**made, channel);
  EXPECT_EQ(bj::serialize(channel.at("available_tags")),
            R"([{"id":"100","name":"bug","moderated":true,"emoji_id":null,"emoji_name":null},)"
            R"({"id":"101","name":"idea","moderated":false,"emoji_id":null,"emoji_name":null}])");
  EXPECT_TRUE(channel.at("default_reaction_emoji").is_null());
  EXPECT_EQ(channel.at("default_forum_layout"), 0);
  auto tags = ForumTags(**made);
  ASSERT_EQ(tags.size(), 2u);
  EXPECT_TRUE(tags[0].moderated);
  EXPECT_EQ(tags[1].id, 101u);

  // A PATCH keeps the ids it names and the settings it leaves out.
  auto patched = ParseForumSettings(
      bj::parse(R"({"available_tags":[{"id":"101","name":"ideas"},{"id":"7","name":"new"}],
                    "default_thread_rate_limit_per_user":60})")
          .as_object(),
      *made, [&] { return next++; });
  ASSERT_TRUE(patched && *patched);
  tags = ForumTags(**patched);
  ASSERT_EQ(tags.size(), 2u);
  EXPECT_EQ(tags[0].id, 101u);
  EXPECT_EQ(tags[1].id, 102u);  // 7 is not one of the forum's
  EXPECT_EQ(DefaultThreadRateLimit(**patched), 60);
  // discord.py sends a kept tag's id as an integer.
  auto numeric = ParseForumSettings(
      bj::parse(R"({"available_tags":[{"id":101,"name":"ideas","emoji_id":5}]})").as_object(),
      *patched, [&] { return next++; });
  ASSERT_TRUE(numeric && *numeric);
  EXPECT_EQ(ForumTags(**numeric).at(0).id, 101u);
  // Nothing of a forum's in the body: nothing changes.
  auto untouched = ParseForumSettings(bj::parse(R"({"name":"x"})").as_object(), *patched,
                                      [&] { return next++; });
  ASSERT_TRUE(untouched);
  EXPECT_FALSE(*untouched);
}

TEST(ForumSettings, RefusesWhatDiscordRefuses) {
  auto ids = [] { return Snowflake{1}; };
  for (const char* bad :
       {R"({"available_tags":[{"name":""}]})", R"({"available_tags":[{"name":"a"},{"name":"a"}]})",
        R"({"available_tags":[{"name":"a","emoji_id":"x"}]})", R"({"default_forum_layout":3})",
        R"({"default_sort_order":2})", R"({"default_thread_rate_limit_per_user":-1})",
        R"({"default_reaction_emoji":5})"}) {
    EXPECT_FALSE(ParseForumSettings(bj::parse(bad).as_object(), std::nullopt, ids)) << bad;
  }
}

TEST(ForumSettings, AStoredRowThatDoesNotParseShowsTheDefaults) {
  bj::object channel;
  WriteForumFields(std::string(R"({"available_tags":5})"), channel);
  EXPECT_TRUE(channel.at("available_tags").as_array().empty());
  EXPECT_TRUE(ForumTags(std::string("not json")).empty());
}

}  // namespace
}  // namespace chat::domain::json
