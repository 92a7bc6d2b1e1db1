// ReactionStore behaviour: adding and removing reactions, per-emoji counts with the viewer's
// `me`, reactor lists, and the pinned-message list. Against every backend (runs under the
// MessageStoreTest fixture, which every backend instantiates).
#include <string>
#include <vector>

#include "store/errors.hpp"
#include "store_fixture.hpp"
#include "store_test_util.hpp"

namespace chat::store::testing {
namespace {

const domain::Snowflake kAlice = Id(1);
const domain::Snowflake kBob = Id(2);
const domain::Snowflake kGuild = Id(1000);
const domain::Snowflake kText = kGuild + 2;
const domain::Snowflake kFirst = Id(50001);
const domain::Snowflake kSecond = Id(50002);

void Seed(Store& store) {
  ASSERT_TRUE(store.CreateUser(MakeUser(kAlice, "alice")));
  ASSERT_TRUE(store.CreateUser(MakeUser(kBob, "bob")));
  ASSERT_TRUE(store.CreateGuild(MakeGuild(kGuild, kAlice)));
  ASSERT_TRUE(store.CreateMessage(MakeMessage(kFirst, kText, kAlice, "one")));
  ASSERT_TRUE(store.CreateMessage(MakeMessage(kSecond, kText, kAlice, "two")));
}

TEST_P(MessageStoreTest, ReactionsAreCountedPerEmojiWithTheViewersMe) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  EXPECT_EQ(store().AddReaction(kFirst, kAlice, "👍", 10).value(), true);
  EXPECT_EQ(store().AddReaction(kFirst, kAlice, "👍", 11).value(), false);  // already there
  EXPECT_TRUE(store().AddReaction(kFirst, kBob, "👍", 12).value());
  EXPECT_TRUE(store().AddReaction(kFirst, kBob, "party:123", 13).value());
  EXPECT_TRUE(store().AddReaction(kSecond, kBob, "👍", 14).value());

  const std::vector<domain::Snowflake> ids = {kFirst, kSecond};
  auto summaries = store().ListReactionSummaries(ids, kAlice);
  ASSERT_TRUE(summaries);
  ASSERT_EQ(summaries->size(), 3u);
  EXPECT_EQ((*summaries)[0].message_id, kFirst);
  EXPECT_EQ((*summaries)[0].emoji, "👍");
  EXPECT_EQ((*summaries)[0].count, 2);
  EXPECT_TRUE((*summaries)[0].me);
  EXPECT_EQ((*summaries)[1].emoji, "party:123");
  EXPECT_EQ((*summaries)[1].count, 1);
  EXPECT_FALSE((*summaries)[1].me);
  EXPECT_EQ((*summaries)[2].message_id, kSecond);
  EXPECT_FALSE((*summaries)[2].me);
}

TEST_P(MessageStoreTest, ReactingToAnUnknownMessageIsUnknownMessage) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  EXPECT_TRUE(IsError(store().AddReaction(Id(999), kAlice, "👍", 1), Errc::kNotFound, 10008));
}

TEST_P(MessageStoreTest, ReactionsAreRemovedOneByEmojiOrAll) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_TRUE(store().AddReaction(kFirst, kAlice, "👍", 1));
  ASSERT_TRUE(store().AddReaction(kFirst, kBob, "👍", 2));
  ASSERT_TRUE(store().AddReaction(kFirst, kBob, "🎉", 3));
  EXPECT_TRUE(store().RemoveReaction(kFirst, kAlice, "👍").value());
  EXPECT_FALSE(store().RemoveReaction(kFirst, kAlice, "👍").value());
  EXPECT_EQ(store().ListReactionUsers(kFirst, "👍", 0, 100).value(),
            std::vector<domain::Snowflake>{kBob});
  EXPECT_EQ(store().RemoveReactions(kFirst, std::string("🎉")).value(), 1);
  EXPECT_EQ(store().RemoveReactions(kFirst, std::nullopt).value(), 1);
  const std::vector<domain::Snowflake> ids = {kFirst};
  EXPECT_TRUE(store().ListReactionSummaries(ids, kAlice).value().empty());
}

TEST_P(MessageStoreTest, ReactionUsersPageAscendingAfterAnId) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_TRUE(store().AddReaction(kFirst, kBob, "👍", 1));
  ASSERT_TRUE(store().AddReaction(kFirst, kAlice, "👍", 2));
  EXPECT_EQ(store().ListReactionUsers(kFirst, "👍", 0, 100).value(),
            (std::vector<domain::Snowflake>{kAlice, kBob}));
  EXPECT_EQ(store().ListReactionUsers(kFirst, "👍", kAlice, 100).value(),
            std::vector<domain::Snowflake>{kBob});
  EXPECT_EQ(store().ListReactionUsers(kFirst, "👍", 0, 1).value(),
            std::vector<domain::Snowflake>{kAlice});
}

TEST_P(MessageStoreTest, DeletingAMessageDeletesItsReactions) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_TRUE(store().AddReaction(kFirst, kBob, "👍", 1));
  ASSERT_TRUE(store().DeleteMessage(kText, kFirst));
  const std::vector<domain::Snowflake> ids = {kFirst};
  EXPECT_TRUE(store().ListReactionSummaries(ids, kBob).value().empty());
}

TEST_P(MessageStoreTest, PinnedMessagesListNewestFirst) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  EXPECT_TRUE(store().ListPinnedMessageIds(kText, 50).value().empty());
  MessageUpdate pin;
  pin.pinned = true;
  ASSERT_TRUE(store().UpdateMessage(kText, kFirst, pin));
  ASSERT_TRUE(store().UpdateMessage(kText, kSecond, pin));
  EXPECT_EQ(store().ListPinnedMessageIds(kText, 50).value(),
            (std::vector<domain::Snowflake>{kSecond, kFirst}));
  EXPECT_EQ(store().ListPinnedMessageIds(kText, 1).value(),
            std::vector<domain::Snowflake>{kSecond});
  MessageUpdate unpin;
  unpin.pinned = false;
  ASSERT_TRUE(store().UpdateMessage(kText, kSecond, unpin));
  EXPECT_EQ(store().ListPinnedMessageIds(kText, 50).value(),
            std::vector<domain::Snowflake>{kFirst});
}

}  // namespace
}  // namespace chat::store::testing
