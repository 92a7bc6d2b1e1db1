// MessageService and ReactionService over a real in-memory SQLite store and the in-process bus:
// what each call publishes (type, recipients, intent, payload and its content-free twin), as the
// gateway will deliver it.
#include "service/message_service.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <mutex>
#include <vector>

#include "bus/local/local_bus.hpp"
#include "service/reaction_service.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace chat::service {
namespace {

using domain::Snowflake;
namespace json = boost::json;

constexpr Snowflake kOwner = 1, kMember = 2, kOutsider = 3, kGuild = 10, kText = 11;

class MessageServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::OpenSqliteStore(":memory:");
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    for (auto [id, name] : {std::pair<Snowflake, const char*>{kOwner, "owner"},
                            {kMember, "member"},
                            {kOutsider, "outsider"}}) {
      domain::User u;
      u.id = id;
      u.username = name;
      u.email = std::string(name) + "@example.com";
      ASSERT_TRUE(store_->CreateUser(u));
    }
    store::NewGuild g;
    g.guild.id = kGuild;
    g.guild.name = "G";
    g.guild.owner_id = kOwner;
    domain::Role everyone;
    everyone.id = kGuild;
    everyone.guild_id = kGuild;
    everyone.name = "@everyone";
    everyone.permissions = 104324673;  // the seed's: view, send, history, reactions, no manage
    g.roles.push_back(everyone);
    domain::Channel text;
    text.id = kText;
    text.guild_id = kGuild;
    text.name = "general";
    g.channels.push_back(text);
    g.owner.guild_id = kGuild;
    g.owner.user_id = kOwner;
    ASSERT_TRUE(store_->CreateGuild(g));
    domain::Member m;
    m.guild_id = kGuild;
    m.user_id = kMember;
    ASSERT_TRUE(store_->AddMember(m));

    access_ = std::make_unique<AccessService>(*store_);
    messages_ = std::make_unique<MessageService>(*store_, *access_, bus_, ids_);
    reactions_ = std::make_unique<ReactionService>(*store_, *access_, bus_);
    bus_.Subscribe([this](const bus::EventPtr& e) {
      std::lock_guard lock(mutex_);
      events_.push_back(e);
    });
  }

  bus::EventPtr Last() {
    std::lock_guard lock(mutex_);
    return events_.empty() ? nullptr : events_.back();
  }

  MessageView Send(Snowflake author, const std::string& content) {
    MessageInput in;
    in.content = content;
    auto v = messages_->Create(author, kText, in);
    EXPECT_TRUE(v) << (v ? "" : v.error().message);
    return v ? std::move(*v) : MessageView{};
  }

  std::unique_ptr<store::Store> store_;
  bus::LocalBus bus_;
  domain::SnowflakeGenerator ids_{1, 1};
  std::unique_ptr<AccessService> access_;
  std::unique_ptr<MessageService> messages_;
  std::unique_ptr<ReactionService> reactions_;
  std::mutex mutex_;
  std::vector<bus::EventPtr> events_;
};

std::vector<Snowflake> Sorted(std::vector<Snowflake> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST_F(MessageServiceTest, CreatePublishesMessageCreateToTheChannelsViewers) {
  auto view = Send(kMember, "hello");
  auto e = Last();
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->type, "MESSAGE_CREATE");
  EXPECT_EQ(Sorted(e->recipients), (std::vector<Snowflake>{kOwner, kMember}));
  EXPECT_EQ(e->intent, bus::Intent::kGuildMessages);
  EXPECT_EQ(e->author_id, kMember);
  EXPECT_EQ(e->guild_id, kGuild);
  auto payload = json::parse(e->payload).as_object();
  EXPECT_EQ(payload["id"], json::value(domain::ToString(view.data.message.id)));
  EXPECT_EQ(payload["content"], "hello");
  EXPECT_EQ(payload["guild_id"], "10");
  EXPECT_TRUE(payload["member"].is_object());
  EXPECT_FALSE(payload["member"].as_object().contains("user"));
  ASSERT_TRUE(e->payload_without_content);
  auto stripped = json::parse(*e->payload_without_content).as_object();
  EXPECT_EQ(stripped["content"], "");
  EXPECT_EQ(stripped["id"], payload["id"]);
}

TEST_F(MessageServiceTest, OutsidersCannotPostAndNothingIsPublished) {
  MessageInput in;
  in.content = "let me in";
  auto r = messages_->Create(kOutsider, kText, in);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kForbidden);
  EXPECT_EQ(Last(), nullptr);
}

TEST_F(MessageServiceTest, EditDeleteAndTypingPublishTheirEvents) {
  auto view = Send(kMember, "draft");
  const Snowflake id = view.data.message.id;
  MessageEdit edit;
  edit.content = "final";
  ASSERT_TRUE(messages_->Edit(kMember, kText, id, edit));
  EXPECT_EQ(Last()->type, "MESSAGE_UPDATE");
  EXPECT_EQ(json::parse(Last()->payload).at("content"), "final");

  ASSERT_TRUE(messages_->Typing(kMember, kText));
  EXPECT_EQ(Last()->type, "TYPING_START");
  EXPECT_EQ(Last()->intent, bus::Intent::kGuildMessageTyping);
  EXPECT_EQ(json::parse(Last()->payload).at("user_id"), "2");

  ASSERT_TRUE(messages_->Delete(kOwner, kText, id));  // the owner moderates
  EXPECT_EQ(Last()->type, "MESSAGE_DELETE");
  auto payload = json::parse(Last()->payload).as_object();
  EXPECT_EQ(payload["id"], json::value(domain::ToString(id)));
  EXPECT_EQ(payload["channel_id"], "11");
  EXPECT_EQ(payload["guild_id"], "10");
}

TEST_F(MessageServiceTest, BulkDeleteAnnouncesOnlyTheDeletedIds) {
  const Snowflake a = Send(kMember, "a").data.message.id;
  const Snowflake b = Send(kMember, "b").data.message.id;
  const Snowflake unknown = ids_.Next();
  const std::vector<Snowflake> ids = {a, b, unknown};
  ASSERT_TRUE(messages_->BulkDelete(kOwner, kText, ids));
  EXPECT_EQ(Last()->type, "MESSAGE_DELETE_BULK");
  auto payload = json::parse(Last()->payload).as_object();
  EXPECT_EQ(payload["ids"], (json::array{domain::ToString(a), domain::ToString(b)}));
}

TEST_F(MessageServiceTest, ReactionsPublishAddAndRemove) {
  const Snowflake id = Send(kOwner, "react").data.message.id;
  auto emoji = ParseEmoji("👍");
  ASSERT_TRUE(emoji);
  ASSERT_TRUE(reactions_->Add(kMember, kText, id, *emoji));
  EXPECT_EQ(Last()->type, "MESSAGE_REACTION_ADD");
  EXPECT_EQ(Last()->intent, bus::Intent::kGuildMessageReactions);
  auto payload = json::parse(Last()->payload).as_object();
  EXPECT_EQ(payload["emoji"].at("name"), "👍");
  EXPECT_EQ(payload["message_author_id"], "1");
  ASSERT_TRUE(reactions_->Remove(kMember, kText, id, *emoji, kMember));
  EXPECT_EQ(Last()->type, "MESSAGE_REACTION_REMOVE");
}

TEST(ParseEmoji, AcceptsUnicodeAndCustomEmojiOnly) {
  EXPECT_TRUE(ParseEmoji("👍"));
  auto custom = ParseEmoji("party:123");
  ASSERT_TRUE(custom);
  EXPECT_EQ(custom->name, "party");
  EXPECT_EQ(custom->id, 123u);
  EXPECT_EQ(custom->Key(), "party:123");
  EXPECT_TRUE(ParseEmoji("a:dance:77"));
  for (const char* bad : {"", "abc", "x:1", "party:", "party:abc", "bad name:1", "\xff"}) {
    auto r = ParseEmoji(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().api_code, 10014);
  }
}

// A settable clock for the nonce window (MessageService takes a plain function pointer).
std::int64_t fake_now_ms = 0;
std::int64_t FakeNow() { return fake_now_ms; }

TEST_F(MessageServiceTest, AnEnforcedNonceDeduplicatesWithinTheWindowAndIsReusableAfterIt) {
  MessageService messages(*store_, *access_, bus_, ids_, &FakeNow);
  const auto send = [&](const std::string& nonce) {
    MessageInput in;
    in.content = "once";
    in.nonce = nonce;
    in.enforce_nonce = true;
    auto v = messages.Create(kMember, kText, in);
    EXPECT_TRUE(v) << (v ? "" : v.error().message);
    return v ? v->data.message.id : Snowflake{0};
  };
  fake_now_ms = 1'000'000;
  const auto first = send("a");
  EXPECT_EQ(send("a"), first);  // a retry within the window gets the first message back

  fake_now_ms += kNonceWindowMs + 1;
  const auto second = send("a");  // the window passed: a new message
  EXPECT_NE(second, first);
  fake_now_ms += 1;
  // The nonce now stands for the new message: a retry of it must not post a third.
  EXPECT_EQ(send("a"), second);
  EXPECT_NE(send("b"), second);
}

}  // namespace
}  // namespace chat::service
