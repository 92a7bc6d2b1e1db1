// WebhookStore behaviour, and a webhook's columns on messages, against every backend.
#include <string>

#include "store/errors.hpp"
#include "store_fixture.hpp"
#include "store_test_util.hpp"

namespace chat::store::testing {
namespace {

constexpr domain::Snowflake kOwner = 1, kGuild = 100, kText = 102, kVoice = 103;

domain::Webhook Hook(domain::Snowflake id, const std::string& name) {
  return domain::Webhook{id, kGuild, kText, kOwner, name, std::nullopt, "token-" + name};
}

void Seed(Store& store) {
  ASSERT_TRUE(store.CreateUser(MakeUser(kOwner, "owner")));
  ASSERT_TRUE(store.CreateGuild(MakeGuild(kGuild, kOwner)));
}

TEST_P(WebhookStoreTest, WebhooksAreCreatedListedChangedAndDeleted) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_TRUE(store().CreateWebhook(Hook(500, "first"), 15));
  ASSERT_TRUE(store().CreateWebhook(Hook(501, "second"), 15));
  auto got = store().GetWebhook(500);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->name, "first");
  EXPECT_EQ(got->token, "token-first");
  EXPECT_EQ(got->guild_id, kGuild);
  EXPECT_FALSE(got->avatar);
  EXPECT_EQ(store().ListChannelWebhooks(kText)->size(), 2u);
  EXPECT_EQ(store().ListGuildWebhooks(kGuild)->front().id, 500u);  // oldest first

  WebhookUpdate update;
  update.name = "renamed";
  update.avatar = std::optional<std::string>("abc");
  update.channel_id = kVoice;
  auto changed = store().UpdateWebhook(500, update);
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_EQ(changed->name, "renamed");
  EXPECT_EQ(changed->avatar, "abc");
  EXPECT_EQ(changed->channel_id, kVoice);
  WebhookUpdate clear;
  clear.avatar = std::optional<std::string>();  // null clears
  EXPECT_FALSE(store().UpdateWebhook(500, clear)->avatar);
  EXPECT_EQ(store().ListChannelWebhooks(kText)->size(), 1u);

  ASSERT_TRUE(store().DeleteWebhook(501));
  EXPECT_TRUE(IsError(store().DeleteWebhook(501), Errc::kNotFound, kUnknownWebhook));
  EXPECT_TRUE(IsError(store().GetWebhook(501), Errc::kNotFound, kUnknownWebhook));
  EXPECT_TRUE(IsError(store().UpdateWebhook(501, update), Errc::kNotFound, kUnknownWebhook));
}

TEST_P(WebhookStoreTest, AWebhookNeedsItsChannelInItsGuildAndGoesWithIt) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  auto elsewhere = Hook(502, "elsewhere");
  elsewhere.channel_id = 999;
  EXPECT_TRUE(IsError(store().CreateWebhook(elsewhere, 15), Errc::kNotFound));
  auto stranger = Hook(503, "stranger");
  stranger.creator_id = 404;
  EXPECT_TRUE(IsError(store().CreateWebhook(stranger, 15), Errc::kNotFound, kUnknownUser));
  ASSERT_TRUE(store().CreateWebhook(Hook(504, "doomed"), 15));
  ASSERT_TRUE(store().DeleteChannel(kText));
  EXPECT_TRUE(IsError(store().GetWebhook(504), Errc::kNotFound, kUnknownWebhook));
}

TEST_P(WebhookStoreTest, AMessageKeepsTheWebhookAndTheNameItWasSentUnder) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  domain::Message m;
  m.id = 7000;
  m.channel_id = kText;
  m.author_id = kOwner;
  m.content = "deployed";
  m.webhook_id = 500;
  m.webhook_name = "CI";
  m.webhook_avatar = "https://example.com/ci.png";
  ASSERT_TRUE(store().CreateMessage(m));
  domain::Message plain = m;
  plain.id = 7001;
  plain.webhook_id.reset();
  plain.webhook_avatar.reset();
  ASSERT_TRUE(store().CreateMessage(plain));
  auto got = store().GetMessage(kText, 7000);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->webhook_id, 500u);
  EXPECT_EQ(got->webhook_name, "CI");
  EXPECT_EQ(got->webhook_avatar, "https://example.com/ci.png");
  EXPECT_EQ(domain::AuthorOf(*got), 500u);
  auto user_message = store().GetMessage(kText, 7001);
  ASSERT_TRUE(user_message);
  EXPECT_FALSE(user_message->webhook_id);
  EXPECT_EQ(user_message->webhook_name, "");
  EXPECT_EQ(domain::AuthorOf(*user_message), kOwner);
}

TEST_P(WebhookStoreTest, AChannelStopsAtItsLimit) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_TRUE(*store().CreateWebhook(Hook(500, "one"), 2));
  ASSERT_TRUE(*store().CreateWebhook(Hook(501, "two"), 2));
  auto third = store().CreateWebhook(Hook(502, "three"), 2);
  ASSERT_TRUE(third) << third.error().message;
  EXPECT_FALSE(*third);
  EXPECT_TRUE(IsError(store().GetWebhook(502), Errc::kNotFound, kUnknownWebhook));
}

TEST_P(WebhookStoreTest, FollowersAreFoundByTheChannelTheyFollowAndGoWithIt) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  constexpr domain::Snowflake kOtherGuild = 200, kOtherText = 202;
  ASSERT_TRUE(store().CreateGuild(MakeGuild(kOtherGuild, kOwner)));
  ASSERT_TRUE(store().CreateWebhook(Hook(500, "incoming"), 15));
  auto follower = Hook(501, "Test Server #general");
  follower.guild_id = kOtherGuild;
  follower.channel_id = kOtherText;
  follower.type = domain::kWebhookChannelFollower;
  follower.source_channel_id = kText;
  ASSERT_TRUE(store().CreateWebhook(follower, 15));

  auto got = store().GetWebhook(501);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->type, domain::kWebhookChannelFollower);
  EXPECT_EQ(got->source_channel_id, kText);
  EXPECT_EQ(store().GetWebhook(500)->type, domain::kWebhookIncoming);
  EXPECT_FALSE(store().GetWebhook(500)->source_channel_id);
  auto followers = store().ListChannelFollowers(kText);
  ASSERT_TRUE(followers) << followers.error().message;
  ASSERT_EQ(followers->size(), 1u);  // the incoming webhook of the channel is not one
  EXPECT_EQ(followers->front().id, 501u);
  EXPECT_TRUE(store().ListChannelFollowers(kOtherText)->empty());

  // The followed channel gone, its followers in other guilds go too.
  ASSERT_TRUE(store().DeleteChannel(kText));
  EXPECT_TRUE(IsError(store().GetWebhook(501), Errc::kNotFound, kUnknownWebhook));
}

TEST_P(WebhookStoreTest, ACopyNamesItsOriginalAndIsFoundByIt) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  constexpr domain::Snowflake kOtherGuild = 200, kOtherText = 202;
  ASSERT_TRUE(store().CreateGuild(MakeGuild(kOtherGuild, kOwner)));
  ASSERT_TRUE(store().CreateMessage(MakeMessage(7000, kText, kOwner, "v2 is out")));
  auto copy = MakeMessage(7001, kOtherText, kOwner, "v2 is out");
  copy.webhook_id = 501;
  copy.webhook_name = "Test Server #general";
  copy.crosspost = domain::CrosspostSource{7000, kText, kGuild};
  ASSERT_TRUE(store().CreateMessage(copy));
  ASSERT_TRUE(store().CreateMessage(MakeMessage(7002, kOtherText, kOwner, "chat")));

  auto got = store().GetMessage(kOtherText, 7001);
  ASSERT_TRUE(got) << got.error().message;
  ASSERT_TRUE(got->crosspost);
  EXPECT_EQ(got->crosspost->message_id, 7000u);
  EXPECT_EQ(got->crosspost->channel_id, kText);
  EXPECT_EQ(got->crosspost->guild_id, kGuild);
  EXPECT_FALSE(store().GetMessage(kText, 7000)->crosspost);
  auto copies = store().ListCrosspostCopies(7000);
  ASSERT_TRUE(copies) << copies.error().message;
  ASSERT_EQ(copies->size(), 1u);
  EXPECT_EQ(copies->front().id, 7001u);
  EXPECT_EQ(copies->front().channel_id, kOtherText);
  EXPECT_EQ(copies->front().webhook_id, 501u);
  // The original deleted, the copy still names it.
  ASSERT_TRUE(store().DeleteMessage(kText, 7000));
  EXPECT_EQ(store().ListCrosspostCopies(7000)->size(), 1u);
  EXPECT_TRUE(store().ListCrosspostCopies(7002)->empty());
}

}  // namespace
}  // namespace chat::store::testing
