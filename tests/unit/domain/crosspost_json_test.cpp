// Channel following as the wire shows it: a copy's message_reference names the published original
// (domain/json/message_json), and a follower webhook shows what it follows and never a token
// (domain/json/webhook_json).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "domain/json/message_json.hpp"
#include "domain/json/webhook_json.hpp"

namespace chat::domain::json {
namespace {

namespace bj = boost::json;

TEST(CrosspostJson, ACopyNamesItsOriginal) {
  MessageData data;
  data.message.id = 900;
  data.message.channel_id = 30;
  data.message.author_id = 7;
  data.message.webhook_id = 55;
  data.message.webhook_name = "News #announcements";
  data.message.flags = kFlagIsCrosspost;
  data.message.crosspost = CrosspostSource{500, 10, 1};
  data.guild_id = 3;
  const bj::object shown = MessageJson(data);
  EXPECT_EQ(shown.at("message_reference"),
            bj::parse(R"({"type":0,"message_id":"500","channel_id":"10","guild_id":"1"})"));
  EXPECT_FALSE(shown.contains("referenced_message"));
  EXPECT_EQ(shown.at("flags"), kFlagIsCrosspost);
  EXPECT_EQ(shown.at("author").at("id"), "55");

  data.message.crosspost.reset();
  EXPECT_FALSE(MessageJson(data).contains("message_reference"));
}

TEST(CrosspostJson, AFollowerShowsItsSourceAndNoToken) {
  Webhook w;
  w.id = 55;
  w.guild_id = 3;
  w.channel_id = 30;
  w.name = "News #announcements";
  w.token = "secret";
  w.type = kWebhookChannelFollower;
  w.source_channel_id = 10;
  const WebhookSource source{1, "News", std::nullopt, 10, "announcements"};
  const bj::object shown = WebhookJson(w, nullptr, /*with_token=*/true, &source);
  EXPECT_EQ(shown.at("type"), 2);
  EXPECT_FALSE(shown.contains("token"));
  EXPECT_EQ(shown.at("source_guild"), bj::parse(R"({"id":"1","name":"News","icon":null})"));
  EXPECT_EQ(shown.at("source_channel"), bj::parse(R"({"id":"10","name":"announcements"})"));

  w.type = kWebhookIncoming;
  const bj::object incoming = WebhookJson(w, nullptr, /*with_token=*/true);
  EXPECT_EQ(incoming.at("type"), 1);
  EXPECT_EQ(incoming.at("token"), "secret");
  EXPECT_FALSE(incoming.contains("source_guild"));
}

}  // namespace
}  // namespace chat::domain::json
