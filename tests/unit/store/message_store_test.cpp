// MessageStore behaviour: round-trips, Discord's pagination (before/after/around/limit, newest
// first), edits and deletions. Against every backend.
#include <string>
#include <vector>

#include "store/errors.hpp"
#include "store_fixture.hpp"
#include "store_test_util.hpp"

namespace chat::store::testing {
namespace {

const domain::Snowflake kAuthor = Id(1);
const domain::Snowflake kGuild = Id(1000);
const domain::Snowflake kText = kGuild + 2;
const domain::Snowflake kOtherText = Id(1200);

// Message n has id Msg(n); ids ascend with n.
domain::Snowflake Msg(int n) { return Id(100000 + static_cast<std::uint64_t>(n)); }

void SeedChannel(Store& store) {
  ASSERT_TRUE(store.CreateUser(MakeUser(kAuthor, "author")));
  ASSERT_TRUE(store.CreateGuild(MakeGuild(kGuild, kAuthor)));
  domain::Channel other;
  other.id = kOtherText;
  other.guild_id = kGuild;
  other.name = "other";
  ASSERT_TRUE(store.CreateChannel(other));
}

// Messages 1..n in kText, plus interleaved ones in kOtherText that must never show up.
void SeedMessages(Store& store, int n) {
  ASSERT_NO_FATAL_FAILURE(SeedChannel(store));
  for (int i = 1; i <= n; ++i) {
    ASSERT_TRUE(store.CreateMessage(MakeMessage(Msg(i), kText, kAuthor, "m" + std::to_string(i))));
    ASSERT_TRUE(store.CreateMessage(MakeMessage(Msg(1000 + i), kOtherText, kAuthor, "x")));
  }
}

// The page as message numbers, to compare against the expected order.
std::vector<int> Numbers(const Result<std::vector<domain::Message>>& page) {
  std::vector<int> out;
  if (!page) return {-1};
  for (const auto& m : *page) out.push_back(static_cast<int>(m.id - Msg(0)));
  return out;
}

MessageQuery Query(int limit) {
  MessageQuery q;
  q.limit = limit;
  return q;
}

TEST_P(MessageStoreTest, CreatedMessageReadsBackWithEveryField) {
  ASSERT_NO_FATAL_FAILURE(SeedChannel(store()));
  domain::Message m = MakeMessage(Msg(1), kText, kAuthor, "hello <@1> 👋");
  m.created_at_ms = 1704067200555;
  m.type = 19;
  m.flags = 4;
  m.tts = true;
  m.pinned = true;
  m.mention_everyone = true;
  m.nonce = "nonce-123";
  m.referenced_message_id = Msg(0);
  m.mention_user_ids = {Id(3), kAuthor};
  m.mention_role_ids = {kGuild};
  m.embeds_json = R"([{"title":"t","description":"ünïcode ✓"}])";
  m.components_json = R"([{"type":1,"components":[{"type":2,"style":1,"custom_id":"ok"}]}])";
  ASSERT_TRUE(store().CreateMessage(m));
  auto got = store().GetMessage(kText, Msg(1));
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->channel_id, kText);
  EXPECT_EQ(got->author_id, kAuthor);
  EXPECT_EQ(got->content, m.content);
  EXPECT_EQ(got->created_at_ms, 1704067200555);
  EXPECT_EQ(got->edited_at_ms, std::nullopt);
  EXPECT_EQ(got->type, 19);
  EXPECT_EQ(got->flags, 4);
  EXPECT_TRUE(got->tts);
  EXPECT_TRUE(got->pinned);
  EXPECT_TRUE(got->mention_everyone);
  EXPECT_EQ(got->nonce, "nonce-123");
  EXPECT_EQ(got->referenced_message_id, Msg(0));
  EXPECT_EQ(got->mention_user_ids, (std::vector<domain::Snowflake>{kAuthor, Id(3)}));  // ascending
  EXPECT_EQ(got->mention_role_ids, std::vector<domain::Snowflake>{kGuild});
  EXPECT_EQ(got->embeds_json, m.embeds_json);
  EXPECT_EQ(got->components_json, m.components_json);
}

TEST_P(MessageStoreTest, DefaultsAreStoredAsGiven) {
  ASSERT_NO_FATAL_FAILURE(SeedChannel(store()));
  ASSERT_TRUE(store().CreateMessage(MakeMessage(Msg(1), kText, kAuthor, "plain")));
  auto got = store().GetMessage(kText, Msg(1));
  ASSERT_TRUE(got);
  EXPECT_EQ(got->created_at_ms, domain::SnowflakeUnixMs(Msg(1)));
  EXPECT_EQ(got->embeds_json, "[]");
  EXPECT_EQ(got->components_json, "[]");
  EXPECT_EQ(got->nonce, std::nullopt);
  EXPECT_TRUE(got->mention_user_ids.empty());
}

TEST_P(MessageStoreTest, AnyUtf8ContentRoundTrips) {
  ASSERT_NO_FATAL_FAILURE(SeedChannel(store()));
  const std::vector<std::string> contents = {
      "emoji 😀🇰🇷👩🏽‍💻 and ZWJ",
      "한국어 日本語 العربية עברית",
      "'; DROP TABLE messages; -- \"\\ %_ \t\r\n",
      std::string(2000, 'x'),
      "e\xCC\x81 combining, \xEF\xBB\xBF BOM, \xF4\x8F\xBF\xBF max code point",
  };
  for (std::size_t i = 0; i < contents.size(); ++i) {
    ASSERT_TRUE(store().CreateMessage(
        MakeMessage(Msg(static_cast<int>(i) + 1), kText, kAuthor, contents[i])));
  }
  for (std::size_t i = 0; i < contents.size(); ++i) {
    auto got = store().GetMessage(kText, Msg(static_cast<int>(i) + 1));
    ASSERT_TRUE(got);
    EXPECT_EQ(got->content, contents[i]) << i;
  }
}

TEST_P(MessageStoreTest, AnUpdateUnlessAFlagIsSetAppliesOnce) {
  ASSERT_NO_FATAL_FAILURE(SeedMessages(store(), 1));
  MessageUpdate publish;
  publish.flags = 1;
  publish.unless_flags = 1;
  auto first = store().UpdateMessage(kText, Msg(1), publish);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->flags, 1);
  EXPECT_TRUE(IsError(store().UpdateMessage(kText, Msg(1), publish), Errc::kConflict));
  // An absent message is still Unknown Message, not a conflict.
  EXPECT_TRUE(IsError(store().UpdateMessage(kText, Msg(2), publish), Errc::kNotFound, 10008));
  // Without the condition, the flags change as asked.
  MessageUpdate clear;
  clear.flags = 0;
  EXPECT_EQ(store().UpdateMessage(kText, Msg(1), clear)->flags, 0);
}

// An edit that suppresses embeds, written after a publish it read the message before, leaves the
// message published: only the masked bits change.
TEST_P(MessageStoreTest, AMaskedFlagsUpdateKeepsTheOtherBits) {
  ASSERT_NO_FATAL_FAILURE(SeedMessages(store(), 1));
  MessageUpdate publish;
  publish.flags = 1;
  publish.flags_mask = 1;
  ASSERT_TRUE(store().UpdateMessage(kText, Msg(1), publish));
  MessageUpdate suppress;
  suppress.flags = 4 | 2;  // only SUPPRESS_EMBEDS is the edit's to change
  suppress.flags_mask = 4;
  EXPECT_EQ(store().UpdateMessage(kText, Msg(1), suppress)->flags, 1 | 4);
  suppress.flags = 0;
  EXPECT_EQ(store().UpdateMessage(kText, Msg(1), suppress)->flags, 1);
  EXPECT_EQ(store().GetMessage(kText, Msg(1))->flags, 1);
}

TEST_P(MessageStoreTest, UnknownMessageIsNotFoundWithDiscordCode) {
  ASSERT_NO_FATAL_FAILURE(SeedMessages(store(), 1));
  EXPECT_TRUE(IsError(store().GetMessage(kText, Msg(99)), Errc::kNotFound, kUnknownMessage));
  // A message is only found in its own channel.
  EXPECT_TRUE(IsError(store().GetMessage(kOtherText, Msg(1)), Errc::kNotFound, kUnknownMessage));
  EXPECT_TRUE(
      IsError(store().UpdateMessage(kOtherText, Msg(1), {}), Errc::kNotFound, kUnknownMessage));
  EXPECT_TRUE(IsError(store().DeleteMessage(kOtherText, Msg(1)), Errc::kNotFound, kUnknownMessage));
  EXPECT_TRUE(store().GetMessage(kText, Msg(1)));
}

TEST_P(MessageStoreTest, MessageInUnknownChannelOrByUnknownAuthorIsRefused) {
  ASSERT_NO_FATAL_FAILURE(SeedChannel(store()));
  EXPECT_TRUE(IsError(store().CreateMessage(MakeMessage(Msg(1), Id(404), kAuthor, "x")),
                      Errc::kNotFound, kUnknownChannel));
  EXPECT_TRUE(IsError(store().CreateMessage(MakeMessage(Msg(1), kText, Id(404), "x")),
                      Errc::kNotFound, kUnknownUser));
  ASSERT_TRUE(store().CreateMessage(MakeMessage(Msg(1), kText, kAuthor, "x")));
  EXPECT_TRUE(
      IsError(store().CreateMessage(MakeMessage(Msg(1), kText, kAuthor, "y")), Errc::kConflict));
}

TEST_P(MessageStoreTest, ListWithoutBoundGivesTheNewestFirst) {
  ASSERT_NO_FATAL_FAILURE(SeedMessages(store(), 10));
  EXPECT_EQ(Numbers(store().ListMessages(kText, Query(3))), (std::vector<int>{10, 9, 8}));
  EXPECT_EQ(Numbers(store().ListMessages(kText, Query(50))),
            (std::vector<int>{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}));
  EXPECT_TRUE(store().ListMessages(Id(404), Query(50))->empty());
}

TEST_P(MessageStoreTest, LimitIsClampedToOneThroughAHundred) {
  ASSERT_NO_FATAL_FAILURE(SeedMessages(store(), 120));
  EXPECT_EQ(store().ListMessages(kText, Query(1))->size(), 1u);
  EXPECT_EQ(store().ListMessages(kText, Query(0))->size(), 1u);
  EXPECT_EQ(store().ListMessages(kText, Query(-3))->size(), 1u);
  EXPECT_EQ(store().ListMessages(kText, Query(100))->size(), 100u);
  EXPECT_EQ(store().ListMessages(kText, Query(101))->size(), 100u);
  EXPECT_EQ(store().ListMessages(kText, Query(100000))->size(), 100u);
}

TEST_P(MessageStoreTest, BeforeGivesOlderMessagesNewestFirst) {
  ASSERT_NO_FATAL_FAILURE(SeedMessages(store(), 10));
  MessageQuery q = Query(3);
  q.before = Msg(6);
  EXPECT_EQ(Numbers(store().ListMessages(kText, q)), (std::vector<int>{5, 4, 3}));
  q.before = Msg(2);
  EXPECT_EQ(Numbers(store().ListMessages(kText, q)), std::vector<int>{1});
  q.before = Msg(1);
  EXPECT_TRUE(store().ListMessages(kText, q)->empty());
  // A bound that is no message's id works too (Discord accepts timestamp snowflakes).
  q.before = domain::SnowflakeFromUnixMs(domain::SnowflakeUnixMs(Msg(0)) + 1000);
  EXPECT_EQ(Numbers(store().ListMessages(kText, q)), (std::vector<int>{10, 9, 8}));
}

TEST_P(MessageStoreTest, AfterSelectsTheOldestButReturnsNewestFirst) {
  ASSERT_NO_FATAL_FAILURE(SeedMessages(store(), 10));
  MessageQuery q = Query(3);
  q.after = Msg(2);
  EXPECT_EQ(Numbers(store().ListMessages(kText, q)), (std::vector<int>{5, 4, 3}));
  q.after = Msg(8);
  EXPECT_EQ(Numbers(store().ListMessages(kText, q)), (std::vector<int>{10, 9}));
  q.after = Msg(10);
  EXPECT_TRUE(store().ListMessages(kText, q)->empty());
  q.after = 0;
  EXPECT_EQ(Numbers(store().ListMessages(kText, q)), (std::vector<int>{3, 2, 1}));
}

TEST_P(MessageStoreTest, AroundCentresOnTheMessage) {
  ASSERT_NO_FATAL_FAILURE(SeedMessages(store(), 10));
  MessageQuery q = Query(5);
  q.around = Msg(5);
  EXPECT_EQ(Numbers(store().ListMessages(kText, q)), (std::vector<int>{7, 6, 5, 4, 3}));
  q.limit = 4;
  EXPECT_EQ(Numbers(store().ListMessages(kText, q)), (std::vector<int>{7, 6, 5, 4}));
  q.limit = 1;
  EXPECT_EQ(Numbers(store().ListMessages(kText, q)), std::vector<int>{5});
  // Near the ends, a side simply has fewer messages.
  q.limit = 6;
  q.around = Msg(1);
  EXPECT_EQ(Numbers(store().ListMessages(kText, q)), (std::vector<int>{4, 3, 2, 1}));
  q.around = Msg(10);
  EXPECT_EQ(Numbers(store().ListMessages(kText, q)), (std::vector<int>{10, 9, 8}));
}

TEST_P(MessageStoreTest, ListedMessagesCarryTheirMentions) {
  ASSERT_NO_FATAL_FAILURE(SeedChannel(store()));
  for (int i = 1; i <= 3; ++i) {
    domain::Message m = MakeMessage(Msg(i), kText, kAuthor, "m");
    if (i != 2) m.mention_user_ids = {Id(static_cast<std::uint64_t>(10 + i))};
    if (i == 3) m.mention_role_ids = {kGuild};
    ASSERT_TRUE(store().CreateMessage(m));
  }
  domain::Message other = MakeMessage(Msg(4), kOtherText, kAuthor, "m");
  other.mention_user_ids = {Id(99)};
  ASSERT_TRUE(store().CreateMessage(other));
  auto page = store().ListMessages(kText, Query(50));
  ASSERT_TRUE(page);
  ASSERT_EQ(page->size(), 3u);
  EXPECT_EQ((*page)[0].mention_user_ids, std::vector<domain::Snowflake>{Id(13)});
  EXPECT_EQ((*page)[0].mention_role_ids, std::vector<domain::Snowflake>{kGuild});
  EXPECT_TRUE((*page)[1].mention_user_ids.empty());
  EXPECT_EQ((*page)[2].mention_user_ids, std::vector<domain::Snowflake>{Id(11)});
  EXPECT_TRUE((*page)[2].mention_role_ids.empty());
}

TEST_P(MessageStoreTest, EditChangesContentEditTimeAndMentions) {
  ASSERT_NO_FATAL_FAILURE(SeedChannel(store()));
  domain::Message m = MakeMessage(Msg(1), kText, kAuthor, "first");
  m.mention_user_ids = {Id(5)};
  m.embeds_json = R"([{"title":"a"}])";
  ASSERT_TRUE(store().CreateMessage(m));
  MessageUpdate update;
  update.content = "second ✏️";
  update.edited_at_ms = std::optional<std::int64_t>(1704067300000);
  update.mention_user_ids = std::vector<domain::Snowflake>{Id(6), Id(7)};
  auto got = store().UpdateMessage(kText, Msg(1), update);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->content, "second ✏️");
  EXPECT_EQ(got->edited_at_ms, 1704067300000);
  EXPECT_EQ(got->mention_user_ids, (std::vector<domain::Snowflake>{Id(6), Id(7)}));
  EXPECT_EQ(got->embeds_json, R"([{"title":"a"}])");
  EXPECT_EQ(store().GetMessage(kText, Msg(1))->content, "second ✏️");

  EXPECT_EQ(got->components_json, "[]");  // untouched

  MessageUpdate pin;
  pin.pinned = true;
  pin.embeds_json = "[]";
  pin.components_json = R"([{"type":1,"components":[]}])";
  got = store().UpdateMessage(kText, Msg(1), pin);
  ASSERT_TRUE(got);
  EXPECT_TRUE(got->pinned);
  EXPECT_EQ(got->embeds_json, "[]");
  EXPECT_EQ(got->components_json, R"([{"type":1,"components":[]}])");
  EXPECT_EQ(got->content, "second ✏️");
  EXPECT_EQ(got->mention_user_ids, (std::vector<domain::Snowflake>{Id(6), Id(7)}));
}

TEST_P(MessageStoreTest, DeleteRemovesOneMessage) {
  ASSERT_NO_FATAL_FAILURE(SeedMessages(store(), 3));
  ASSERT_TRUE(store().DeleteMessage(kText, Msg(2)));
  EXPECT_TRUE(IsError(store().GetMessage(kText, Msg(2)), Errc::kNotFound, kUnknownMessage));
  EXPECT_EQ(Numbers(store().ListMessages(kText, Query(50))), (std::vector<int>{3, 1}));
  EXPECT_TRUE(IsError(store().DeleteMessage(kText, Msg(2)), Errc::kNotFound, kUnknownMessage));
}

TEST_P(MessageStoreTest, BulkDeleteRemovesOnlyThisChannelsMessages) {
  ASSERT_NO_FATAL_FAILURE(SeedMessages(store(), 5));
  std::vector<domain::Snowflake> ids = {Msg(1), Msg(3), Msg(1001), Msg(77)};
  auto deleted = store().DeleteMessages(kText, ids);
  ASSERT_TRUE(deleted) << deleted.error().message;
  EXPECT_EQ(*deleted, 2);
  EXPECT_EQ(Numbers(store().ListMessages(kText, Query(50))), (std::vector<int>{5, 4, 2}));
  EXPECT_TRUE(store().GetMessage(kOtherText, Msg(1001)));
}

}  // namespace
}  // namespace chat::store::testing
