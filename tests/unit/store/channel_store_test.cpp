// ChannelStore behaviour: guild channels, categories, overwrites, DMs, group DMs and
// last_message_id.
// Against every backend.
#include <vector>

#include "store/errors.hpp"
#include "store_fixture.hpp"
#include "store_test_util.hpp"

namespace chat::store::testing {
namespace {

const domain::Snowflake kOwner = Id(1);
const domain::Snowflake kGuild = Id(1000);
const domain::Snowflake kCategory = kGuild + 1;
const domain::Snowflake kText = kGuild + 2;
const domain::Snowflake kVoice = kGuild + 3;

void SeedGuild(Store& store) {
  ASSERT_TRUE(store.CreateUser(MakeUser(kOwner, "owner")));
  ASSERT_TRUE(store.CreateUser(MakeUser(Id(2), "friend")));
  ASSERT_TRUE(store.CreateGuild(MakeGuild(kGuild, kOwner)));
}

domain::Channel TextChannel(domain::Snowflake id, const std::string& name, int position) {
  domain::Channel c;
  c.id = id;
  c.guild_id = kGuild;
  c.name = name;
  c.position = position;
  return c;
}

TEST_P(ChannelStoreTest, CreatedChannelReadsBackWithEveryField) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  domain::Channel c = TextChannel(Id(1200), "rules", 5);
  c.type = domain::ChannelType::kGuildAnnouncement;
  c.parent_id = kCategory;
  c.topic = "Read me 📜";
  c.nsfw = true;
  c.rate_limit_per_user = 30;
  c.overwrites = {{kGuild, domain::OverwriteType::kRole, 0, 2048},
                  {Id(2), domain::OverwriteType::kMember, 2048, 0}};
  ASSERT_TRUE(store().CreateChannel(c));
  auto got = store().GetChannel(c.id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->guild_id, kGuild);
  EXPECT_EQ(got->type, domain::ChannelType::kGuildAnnouncement);
  EXPECT_EQ(got->name, "rules");
  EXPECT_EQ(got->position, 5);
  EXPECT_EQ(got->parent_id, kCategory);
  EXPECT_EQ(got->topic, "Read me 📜");
  EXPECT_TRUE(got->nsfw);
  EXPECT_EQ(got->rate_limit_per_user, 30);
  EXPECT_EQ(got->last_message_id, std::nullopt);
  ASSERT_EQ(got->overwrites.size(), 2u);
  EXPECT_EQ(got->overwrites[0].id, Id(2));  // ascending by target id
  EXPECT_EQ(got->overwrites[0].type, domain::OverwriteType::kMember);
  EXPECT_EQ(got->overwrites[0].allow, 2048u);
  EXPECT_EQ(got->overwrites[1].id, kGuild);
  EXPECT_EQ(got->overwrites[1].deny, 2048u);
  EXPECT_EQ(store().GetChannel(kVoice)->bitrate, 64000);
}

TEST_P(ChannelStoreTest, UnknownChannelIsNotFoundWithDiscordCode) {
  EXPECT_TRUE(IsError(store().GetChannel(Id(404)), Errc::kNotFound, kUnknownChannel));
  EXPECT_TRUE(IsError(store().UpdateChannel(Id(404), {}), Errc::kNotFound, kUnknownChannel));
  EXPECT_TRUE(IsError(store().DeleteChannel(Id(404)), Errc::kNotFound, kUnknownChannel));
  EXPECT_TRUE(IsError(store().PutOverwrite(Id(404), {}), Errc::kNotFound, kUnknownChannel));
  EXPECT_TRUE(IsError(store().DeleteOverwrite(Id(404), Id(1)), Errc::kNotFound, kUnknownChannel));
  EXPECT_TRUE(IsError(store().GetLastMessageId(Id(404)), Errc::kNotFound, kUnknownChannel));
}

TEST_P(ChannelStoreTest, ChannelInUnknownGuildOrUnderForeignParentIsRefused) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  domain::Channel orphan = TextChannel(Id(1200), "x", 0);
  orphan.guild_id = Id(9000);
  EXPECT_TRUE(IsError(store().CreateChannel(orphan), Errc::kNotFound, kUnknownGuild));
  ASSERT_TRUE(store().CreateGuild(MakeGuild(Id(2000), kOwner, "Other")));
  domain::Channel foreign_parent = TextChannel(Id(1201), "y", 0);
  foreign_parent.parent_id = Id(2001);
  EXPECT_TRUE(IsError(store().CreateChannel(foreign_parent), Errc::kNotFound, kUnknownChannel));
  EXPECT_TRUE(IsError(store().CreateChannel(TextChannel(kText, "dup", 0)), Errc::kConflict));
}

TEST_P(ChannelStoreTest, ListIsOrderedByPositionThenId) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  ASSERT_TRUE(store().CreateChannel(TextChannel(Id(1202), "b", 1)));
  ASSERT_TRUE(store().CreateChannel(TextChannel(Id(1201), "a", 1)));
  ASSERT_TRUE(store().PutOverwrite(Id(1201), {Id(2), domain::OverwriteType::kMember, 1, 2}));
  auto channels = store().ListChannels(kGuild);
  ASSERT_TRUE(channels);
  std::vector<domain::Snowflake> ids;
  for (const auto& c : *channels) ids.push_back(c.id);
  // category and general are at 0 (ids ascending), voice and a/b at 1.
  EXPECT_EQ(ids, (std::vector<domain::Snowflake>{kCategory, kText, kVoice, Id(1201), Id(1202)}));
  ASSERT_EQ((*channels)[3].overwrites.size(), 1u);
  EXPECT_EQ((*channels)[3].overwrites[0].deny, 2u);
  EXPECT_TRUE((*channels)[4].overwrites.empty());
}

TEST_P(ChannelStoreTest, UpdateChangesOnlyTheGivenFields) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  ChannelUpdate update;
  update.name = "général";
  update.topic = std::optional<std::string>("Talk");
  update.parent_id = std::optional<domain::Snowflake>{};
  update.rate_limit_per_user = 10;
  auto got = store().UpdateChannel(kText, update);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->name, "général");
  EXPECT_EQ(got->topic, "Talk");
  EXPECT_EQ(got->parent_id, std::nullopt);
  EXPECT_EQ(got->rate_limit_per_user, 10);
  EXPECT_EQ(got->type, domain::ChannelType::kGuildText);

  ChannelUpdate clear;
  clear.topic = std::optional<std::string>{};
  clear.parent_id = std::optional<domain::Snowflake>(kCategory);
  got = store().UpdateChannel(kText, clear);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->topic, std::nullopt);
  EXPECT_EQ(got->parent_id, kCategory);
  EXPECT_EQ(got->name, "général");

  ChannelUpdate self;
  self.parent_id = std::optional<domain::Snowflake>(kText);
  EXPECT_TRUE(IsError(store().UpdateChannel(kText, self), Errc::kNotFound, kUnknownChannel));
}

TEST_P(ChannelStoreTest, BulkPositionsMoveChannelsAndParentsAllOrNothing) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  std::vector<ChannelPosition> moves(2);
  moves[0] = {kVoice, 0, std::optional<domain::Snowflake>(kCategory)};
  moves[1] = {kText, 4, std::optional<domain::Snowflake>{}};
  ASSERT_TRUE(store().SetChannelPositions(kGuild, moves));
  auto voice = store().GetChannel(kVoice);
  EXPECT_EQ(voice->position, 0);
  EXPECT_EQ(voice->parent_id, kCategory);
  auto text = store().GetChannel(kText);
  EXPECT_EQ(text->position, 4);
  EXPECT_EQ(text->parent_id, std::nullopt);

  std::vector<ChannelPosition> bad(2);
  bad[0] = {kVoice, 9, std::nullopt};
  bad[1] = {Id(9999), 1, std::nullopt};
  EXPECT_TRUE(IsError(store().SetChannelPositions(kGuild, bad), Errc::kNotFound, kUnknownChannel));
  EXPECT_EQ(store().GetChannel(kVoice)->position, 0);
}

TEST_P(ChannelStoreTest, DeletingACategoryKeepsItsChildrenWithoutParent) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  ASSERT_TRUE(store().DeleteChannel(kCategory));
  auto text = store().GetChannel(kText);
  ASSERT_TRUE(text);
  EXPECT_EQ(text->parent_id, std::nullopt);
}

TEST_P(ChannelStoreTest, DeletingAChannelDeletesItsMessages) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  ASSERT_TRUE(store().CreateMessage(MakeMessage(Id(5000), kText, kOwner, "bye")));
  ASSERT_TRUE(store().DeleteChannel(kText));
  EXPECT_TRUE(IsError(store().GetMessage(kText, Id(5000)), Errc::kNotFound, kUnknownMessage));
  EXPECT_TRUE(store().ListMessages(kText, {})->empty());
}

TEST_P(ChannelStoreTest, PutOverwriteInsertsThenReplaces) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  ASSERT_TRUE(store().PutOverwrite(kText, {Id(2), domain::OverwriteType::kMember, 1024, 0}));
  ASSERT_TRUE(store().PutOverwrite(kText, {Id(2), domain::OverwriteType::kMember, 0, 1024}));
  auto channel = store().GetChannel(kText);
  ASSERT_EQ(channel->overwrites.size(), 1u);
  EXPECT_EQ(channel->overwrites[0].allow, 0u);
  EXPECT_EQ(channel->overwrites[0].deny, 1024u);
  ASSERT_TRUE(store().DeleteOverwrite(kText, Id(2)));
  EXPECT_TRUE(store().GetChannel(kText)->overwrites.empty());
  EXPECT_TRUE(store().DeleteOverwrite(kText, Id(2)));  // already gone: still fine
}

TEST_P(ChannelStoreTest, AnUpdateReplacesTheOverwritesWithTheOtherFields) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  ASSERT_TRUE(store().PutOverwrite(kText, {Id(2), domain::OverwriteType::kMember, 1024, 0}));
  ChannelUpdate update;
  update.topic = std::optional<std::string>("new");
  update.overwrites =
      std::vector<domain::PermissionOverwrite>{{kGuild, domain::OverwriteType::kRole, 0, 2048},
                                               {Id(3), domain::OverwriteType::kMember, 8, 0}};
  auto channel = store().UpdateChannel(kText, update);
  ASSERT_TRUE(channel) << channel.error().message;
  EXPECT_EQ(channel->topic, "new");
  ASSERT_EQ(channel->overwrites.size(), 2u);  // the old one is gone
  EXPECT_EQ(store().GetChannel(kText)->overwrites.size(), 2u);
  update = {};
  update.overwrites = std::vector<domain::PermissionOverwrite>{};
  ASSERT_TRUE(store().UpdateChannel(kText, update));
  EXPECT_TRUE(store().GetChannel(kText)->overwrites.empty());
}

TEST_P(ChannelStoreTest, DmChannelsAreFoundByTheirRecipients) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(3), "third")));
  domain::Channel dm;
  dm.id = Id(1300);
  dm.type = domain::ChannelType::kDm;
  dm.recipient_ids = {kOwner, Id(2)};
  ASSERT_TRUE(store().CreateChannel(dm));

  auto found = store().FindDmChannel(Id(2), kOwner);
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, dm.id);
  EXPECT_EQ((*found)->guild_id, std::nullopt);
  EXPECT_EQ((*found)->recipient_ids, (std::vector<domain::Snowflake>{kOwner, Id(2)}));
  EXPECT_FALSE(store().FindDmChannel(kOwner, Id(3))->has_value());

  auto dms = store().ListDmChannels(Id(2));
  ASSERT_TRUE(dms);
  ASSERT_EQ(dms->size(), 1u);
  EXPECT_EQ(dms->front().id, dm.id);
  EXPECT_TRUE(store().ListDmChannels(Id(3))->empty());

  domain::Channel bad = dm;
  bad.id = Id(1301);
  bad.recipient_ids = {kOwner, Id(404)};
  EXPECT_TRUE(IsError(store().CreateChannel(bad), Errc::kNotFound, kUnknownUser));
}

// A group DM of the owner (Id(1)), Id(2) and Id(3).
domain::Channel MakeGroup(Store& store) {
  EXPECT_TRUE(store.CreateUser(MakeUser(Id(3), "third")));
  domain::Channel group;
  group.id = Id(1400);
  group.type = domain::ChannelType::kGroupDm;
  group.owner_id = kOwner;
  group.recipient_ids = {kOwner, Id(2), Id(3)};
  EXPECT_TRUE(store.CreateChannel(group));
  return group;
}

TEST_P(ChannelStoreTest, GroupDmRecipientsAreAddedUpToTheLimitOnce) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  const domain::Channel group = MakeGroup(store());
  EXPECT_EQ(store().GetChannel(group.id)->owner_id, kOwner);
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(4), "fourth")));
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(5), "fifth")));

  auto added = store().AddRecipient(group.id, Id(4), Id(2), 4);
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_TRUE(*added);
  auto again = store().AddRecipient(group.id, Id(4), kOwner, 4);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(*again);  // there already: no change
  EXPECT_TRUE(IsError(store().AddRecipient(group.id, Id(5), kOwner, 4), Errc::kValidation, 30004));
  EXPECT_TRUE(
      IsError(store().AddRecipient(group.id, Id(404), kOwner, 10), Errc::kNotFound, kUnknownUser));
  EXPECT_TRUE(
      IsError(store().AddRecipient(kText, Id(5), kOwner, 10), Errc::kNotFound, kUnknownChannel));
  // Only a member adds: someone outside (or removed meanwhile) changes nothing.
  EXPECT_TRUE(IsError(store().AddRecipient(group.id, Id(5), Id(5), 10), Errc::kForbidden, 50001));
  EXPECT_EQ(store().GetChannel(group.id)->recipient_ids,
            (std::vector<domain::Snowflake>{kOwner, Id(2), Id(3), Id(4)}));
  EXPECT_EQ(store().ListDmChannels(Id(4))->size(), 1u);
}

TEST_P(ChannelStoreTest, TheOwnerLeavingHandsTheGroupOnAndTheLastTakesIt) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  const domain::Channel group = MakeGroup(store());
  ASSERT_TRUE(store().CreateMessage(MakeMessage(Id(5001), group.id, kOwner, "hello")));

  // Only the owner removes others.
  EXPECT_TRUE(IsError(store().RemoveRecipient(group.id, Id(3), Id(2)), Errc::kForbidden, 50013));
  auto removal = store().RemoveRecipient(group.id, kOwner, kOwner);
  ASSERT_TRUE(removal) << removal.error().message;
  EXPECT_EQ(removal->before.owner_id, kOwner);
  EXPECT_EQ(removal->before.recipient_ids.size(), 3u);
  ASSERT_TRUE(removal->after.has_value());
  EXPECT_EQ(removal->after->owner_id, Id(2));  // the lowest id left
  EXPECT_EQ(removal->after->recipient_ids, (std::vector<domain::Snowflake>{Id(2), Id(3)}));
  EXPECT_EQ(removal->after->last_message_id, Id(5001));
  EXPECT_EQ(store().GetChannel(group.id)->owner_id, Id(2));
  EXPECT_TRUE(IsError(store().RemoveRecipient(group.id, Id(3), kOwner), Errc::kForbidden, 50001));
  EXPECT_TRUE(
      IsError(store().RemoveRecipient(group.id, kOwner, Id(2)), Errc::kNotFound, kUnknownUser));
  EXPECT_TRUE(store().ListDmChannels(kOwner)->empty());

  removal = store().RemoveRecipient(group.id, Id(3), Id(2));  // the new owner removes
  ASSERT_TRUE(removal && removal->after.has_value());
  EXPECT_EQ(removal->after->owner_id, Id(2));
  removal = store().RemoveRecipient(group.id, Id(2), Id(2));
  ASSERT_TRUE(removal);
  EXPECT_FALSE(removal->after.has_value());
  EXPECT_TRUE(IsError(store().GetChannel(group.id), Errc::kNotFound, kUnknownChannel));
  EXPECT_TRUE(IsError(store().GetMessage(group.id, Id(5001)), Errc::kNotFound, kUnknownMessage));
}

TEST_P(ChannelStoreTest, AGroupDmIsRenamedGivenAnIconAndHandedOn) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  const domain::Channel group = MakeGroup(store());
  GroupDmUpdate update;
  update.actor = kOwner;
  update.name = "Trip 🚞";
  update.icon = domain::StoredImage{"abc123", "image/png", "iVBORw0K"};
  update.owner_id = Id(3);
  auto after = store().UpdateGroupDm(group.id, update);
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ(after->name, "Trip 🚞");
  EXPECT_EQ(after->icon_hash, "abc123");
  EXPECT_EQ(after->owner_id, Id(3));
  auto icon = store().GetChannelIcon(group.id);
  ASSERT_TRUE(icon) << icon.error().message;
  EXPECT_EQ(icon->hash, "abc123");
  EXPECT_EQ(icon->content_type, "image/png");
  EXPECT_EQ(icon->base64, "iVBORw0K");

  // A new owner must be a recipient, given by the owner (now Id(3)); nothing changes otherwise.
  GroupDmUpdate stranger;
  stranger.actor = Id(3);
  stranger.owner_id = Id(404);
  stranger.name = "never";
  EXPECT_TRUE(IsError(store().UpdateGroupDm(group.id, stranger), Errc::kNotFound, kUnknownUser));
  stranger.actor = kOwner;
  stranger.owner_id = kOwner;
  EXPECT_TRUE(IsError(store().UpdateGroupDm(group.id, stranger), Errc::kForbidden, 50013));
  stranger.actor = Id(404);
  stranger.owner_id.reset();
  EXPECT_TRUE(IsError(store().UpdateGroupDm(group.id, stranger), Errc::kForbidden, 50001));
  EXPECT_EQ(store().GetChannel(group.id)->name, "Trip 🚞");

  GroupDmUpdate clear;
  clear.actor = Id(2);
  clear.icon = std::optional<domain::StoredImage>();
  after = store().UpdateGroupDm(group.id, clear);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->icon_hash, "");
  EXPECT_EQ(after->name, "Trip 🚞");
  EXPECT_TRUE(IsError(store().GetChannelIcon(group.id), Errc::kNotFound, kUnknownChannel));
  EXPECT_TRUE(IsError(store().UpdateGroupDm(kText, clear), Errc::kNotFound, kUnknownChannel));
}

TEST_P(ChannelStoreTest, LastMessageIdFollowsTheNewestMessage) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  EXPECT_EQ(*store().GetLastMessageId(kText), std::nullopt);
  ASSERT_TRUE(store().CreateMessage(MakeMessage(Id(5001), kText, kOwner, "one")));
  ASSERT_TRUE(store().CreateMessage(MakeMessage(Id(5002), kText, kOwner, "two")));
  EXPECT_EQ(*store().GetLastMessageId(kText), Id(5002));
  EXPECT_EQ(store().GetChannel(kText)->last_message_id, Id(5002));
  auto listed = store().ListChannels(kGuild);
  EXPECT_EQ((*listed)[1].last_message_id, Id(5002));
  ASSERT_TRUE(store().DeleteMessage(kText, Id(5002)));
  EXPECT_EQ(*store().GetLastMessageId(kText), Id(5001));
}

}  // namespace
}  // namespace chat::store::testing
