// Forwards as messages show them (domain/json/message_json): the stored form keeps the original's
// reference and Discord's snapshot fields, a forward of a forward passes the original on, and the
// MESSAGE_CONTENT cut empties the snapshot as it empties the message.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "domain/json/message_json.hpp"

namespace chat::domain::json {
namespace {

namespace bj = boost::json;

MessageData ForwardOf(const std::string& stored) {
  MessageData data;
  data.message.id = 900;
  data.message.channel_id = 30;
  data.message.author_id = 7;
  data.message.flags = kFlagHasSnapshot;
  data.message.forward_json = stored;
  data.author.id = 7;
  data.author.username = "forwarder";
  return data;
}

TEST(ForwardJson, AForwardKeepsTheOriginalsReferenceAndSnapshot) {
  const bj::object original =
      bj::parse(
          R"({"id":"500","channel_id":"10","author":{"id":"2"},"content":"hi","embeds":[],)"
          R"("attachments":[],"timestamp":"t","edited_timestamp":null,"flags":0,"mentions":[],)"
          R"("mention_roles":[],"components":[],"type":0,"pinned":true,"reactions":[]})")
          .as_object();
  const std::string stored = ForwardJson(original, 10, Snowflake{1});
  EXPECT_EQ(bj::parse(stored),
            bj::parse(R"({"message_reference":{"type":1,"message_id":"500","channel_id":"10",)"
                      R"("guild_id":"1"},"snapshot":{"type":0,"content":"hi","embeds":[],)"
                      R"("attachments":[],"timestamp":"t","edited_timestamp":null,"flags":0,)"
                      R"("mentions":[],"mention_roles":[],"components":[]}})"));

  const bj::object shown = MessageJson(ForwardOf(stored));
  EXPECT_EQ(shown.at("message_reference").at("message_id"), "500");
  EXPECT_EQ(shown.at("message_snapshots").at(0).at("message").at("content"), "hi");
  EXPECT_FALSE(shown.contains("referenced_message"));
  // A forward of the forward carries the original again, not the forward.
  EXPECT_EQ(bj::parse(ForwardJson(shown, 30, std::nullopt)), bj::parse(stored));
  // A bot without MESSAGE_CONTENT reads neither the message's text nor the snapshot's.
  const bj::object cut = WithoutContent(shown);
  EXPECT_EQ(cut.at("message_snapshots").at(0).at("message").at("content"), "");
  EXPECT_EQ(cut.at("message_reference"), shown.at("message_reference"));
}

TEST(ForwardJson, AStoredFormThatDoesNotParseShowsNoSnapshot) {
  const bj::object shown = MessageJson(ForwardOf("{not json"));
  EXPECT_FALSE(shown.contains("message_snapshots"));
  EXPECT_FALSE(shown.contains("message_reference"));
}

}  // namespace
}  // namespace chat::domain::json
