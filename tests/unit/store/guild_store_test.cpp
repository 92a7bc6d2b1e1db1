// GuildStore behaviour: creation in one transaction, updates, cascading deletion, a user's
// guilds. Against every backend.
#include <vector>

#include "store/errors.hpp"
#include "store_fixture.hpp"
#include "store_test_util.hpp"

namespace chat::store::testing {
namespace {

const domain::Snowflake kOwner = Id(1);
const domain::Snowflake kGuild = Id(1000);

void SeedOwner(Store& store) {
  ASSERT_TRUE(store.CreateUser(MakeUser(kOwner, "owner")));
  ASSERT_TRUE(store.CreateUser(MakeUser(Id(2), "member")));
}

TEST_P(GuildStoreTest, CreateStoresGuildRolesChannelsAndOwnerMembership) {
  ASSERT_NO_FATAL_FAILURE(SeedOwner(store()));
  NewGuild g = MakeGuild(kGuild, kOwner);
  g.guild.description = "A place";
  g.guild.system_channel_id = kGuild + 2;
  domain::Role admin;
  admin.id = Id(1100);
  admin.name = "Admin";
  admin.permissions = 8589934591;
  admin.position = 1;
  admin.color = 15158332;
  admin.hoist = true;
  g.roles.push_back(admin);
  g.owner.role_ids = {admin.id};
  g.owner.nickname = "boss";
  ASSERT_TRUE(store().CreateGuild(g));

  auto guild = store().GetGuild(kGuild);
  ASSERT_TRUE(guild) << guild.error().message;
  EXPECT_EQ(guild->name, "Test Server");
  EXPECT_EQ(guild->owner_id, kOwner);
  EXPECT_EQ(guild->description, "A place");
  EXPECT_EQ(guild->system_channel_id, kGuild + 2);
  EXPECT_EQ(guild->afk_timeout, 300);
  EXPECT_EQ(guild->preferred_locale, "en-US");
  EXPECT_EQ(guild->created_at_ms, domain::SnowflakeUnixMs(kGuild));

  auto roles = store().ListRoles(kGuild);
  ASSERT_TRUE(roles);
  ASSERT_EQ(roles->size(), 2u);
  EXPECT_EQ((*roles)[0].id, kGuild);
  EXPECT_EQ((*roles)[1].permissions, 8589934591u);

  auto channels = store().ListChannels(kGuild);
  ASSERT_TRUE(channels);
  EXPECT_EQ(channels->size(), 3u);
  EXPECT_EQ(store().GetChannel(kGuild + 2)->parent_id, kGuild + 1);

  auto owner = store().GetMember(kGuild, kOwner);
  ASSERT_TRUE(owner) << owner.error().message;
  EXPECT_EQ(owner->nickname, "boss");
  EXPECT_EQ(owner->role_ids, std::vector<domain::Snowflake>{admin.id});
  EXPECT_EQ(*store().CountMembers(kGuild), 1);
}

TEST_P(GuildStoreTest, CreateIsAllOrNothing) {
  ASSERT_NO_FATAL_FAILURE(SeedOwner(store()));
  NewGuild g = MakeGuild(kGuild, kOwner);
  g.channels.push_back(g.channels.front());  // the same channel id twice
  EXPECT_TRUE(IsError(store().CreateGuild(g), Errc::kConflict));
  EXPECT_TRUE(IsError(store().GetGuild(kGuild), Errc::kNotFound, kUnknownGuild));
  EXPECT_TRUE(store().ListRoles(kGuild)->empty());
  EXPECT_TRUE(IsError(store().GetChannel(kGuild + 1), Errc::kNotFound));
  EXPECT_TRUE(store().ListUserGuildIds(kOwner)->empty());
}

TEST_P(GuildStoreTest, CreateWithUnknownOwnerIsNotFound) {
  EXPECT_TRUE(
      IsError(store().CreateGuild(MakeGuild(kGuild, kOwner)), Errc::kNotFound, kUnknownUser));
}

TEST_P(GuildStoreTest, UnknownGuildIsNotFoundWithDiscordCode) {
  EXPECT_TRUE(IsError(store().GetGuild(kGuild), Errc::kNotFound, kUnknownGuild));
  EXPECT_TRUE(IsError(store().UpdateGuild(kGuild, {}), Errc::kNotFound, kUnknownGuild));
  EXPECT_TRUE(IsError(store().DeleteGuild(kGuild), Errc::kNotFound, kUnknownGuild));
  EXPECT_TRUE(IsError(store().CountMembers(kGuild), Errc::kNotFound, kUnknownGuild));
}

TEST_P(GuildStoreTest, UpdateChangesOnlyTheGivenFields) {
  ASSERT_NO_FATAL_FAILURE(SeedOwner(store()));
  NewGuild g = MakeGuild(kGuild, kOwner);
  g.guild.icon = "icon-hash";
  ASSERT_TRUE(store().CreateGuild(g));

  GuildUpdate update;
  update.name = "Renamed 🏰";
  update.description = std::optional<std::string>("Now described");
  update.icon = std::optional<std::string>{};
  update.owner_id = Id(2);
  update.system_channel_id = std::optional<domain::Snowflake>(kGuild + 2);
  update.afk_channel_id = std::optional<domain::Snowflake>(kGuild + 3);
  update.afk_timeout = 60;
  update.verification_level = 2;
  update.preferred_locale = "ko";
  auto got = store().UpdateGuild(kGuild, update);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->name, "Renamed 🏰");
  EXPECT_EQ(got->description, "Now described");
  EXPECT_EQ(got->icon, std::nullopt);
  EXPECT_EQ(got->owner_id, Id(2));
  EXPECT_EQ(got->system_channel_id, kGuild + 2);
  EXPECT_EQ(got->afk_channel_id, kGuild + 3);
  EXPECT_EQ(got->afk_timeout, 60);
  EXPECT_EQ(got->verification_level, 2);
  EXPECT_EQ(got->default_message_notifications, 0);
  EXPECT_EQ(got->preferred_locale, "ko");
}

TEST_P(GuildStoreTest, UpdateRefusesUnknownOwnerAndForeignChannels) {
  ASSERT_NO_FATAL_FAILURE(SeedOwner(store()));
  ASSERT_TRUE(store().CreateGuild(MakeGuild(kGuild, kOwner)));
  ASSERT_TRUE(store().CreateGuild(MakeGuild(Id(2000), kOwner, "Other")));
  GuildUpdate owner;
  owner.owner_id = Id(404);
  EXPECT_TRUE(IsError(store().UpdateGuild(kGuild, owner), Errc::kNotFound, kUnknownUser));
  GuildUpdate channel;
  channel.system_channel_id = std::optional<domain::Snowflake>(Id(2002));
  EXPECT_TRUE(IsError(store().UpdateGuild(kGuild, channel), Errc::kNotFound, kUnknownChannel));
  EXPECT_EQ(store().GetGuild(kGuild)->system_channel_id, std::nullopt);
}

TEST_P(GuildStoreTest, DeleteRemovesEverythingOfTheGuild) {
  ASSERT_NO_FATAL_FAILURE(SeedOwner(store()));
  NewGuild g = MakeGuild(kGuild, kOwner);
  domain::Role mod;
  mod.id = Id(1100);
  mod.name = "Mod";
  g.roles.push_back(mod);
  g.channels[0].overwrites.push_back({mod.id, domain::OverwriteType::kRole, 1024, 0});
  ASSERT_TRUE(store().CreateGuild(g));
  domain::Member member;
  member.guild_id = kGuild;
  member.user_id = Id(2);
  member.role_ids = {mod.id};
  ASSERT_TRUE(store().AddMember(member));
  ASSERT_TRUE(store().CreateMessage(MakeMessage(Id(5000), kGuild + 2, Id(2), "hello")));
  // A second guild must be untouched.
  ASSERT_TRUE(store().CreateGuild(MakeGuild(Id(2000), kOwner, "Other")));
  ASSERT_TRUE(store().CreateMessage(MakeMessage(Id(5001), Id(2002), kOwner, "elsewhere")));

  ASSERT_TRUE(store().DeleteGuild(kGuild));

  EXPECT_TRUE(IsError(store().GetGuild(kGuild), Errc::kNotFound, kUnknownGuild));
  EXPECT_TRUE(store().ListRoles(kGuild)->empty());
  EXPECT_TRUE(store().ListChannels(kGuild)->empty());
  EXPECT_TRUE(IsError(store().GetChannel(kGuild + 2), Errc::kNotFound, kUnknownChannel));
  EXPECT_TRUE(IsError(store().GetMessage(kGuild + 2, Id(5000)), Errc::kNotFound, kUnknownMessage));
  EXPECT_FALSE(*store().IsMember(kGuild, Id(2)));
  EXPECT_TRUE(IsError(store().GetMember(kGuild, Id(2)), Errc::kNotFound, kUnknownMember));
  EXPECT_EQ(*store().ListUserGuildIds(kOwner), std::vector<domain::Snowflake>{Id(2000)});
  EXPECT_TRUE(store().ListUserGuildIds(Id(2))->empty());
  // Users outlive their guilds; the other guild keeps its message.
  EXPECT_TRUE(store().GetUser(Id(2)));
  EXPECT_TRUE(store().GetMessage(Id(2002), Id(5001)));
  // The ids are free again.
  EXPECT_TRUE(store().CreateGuild(MakeGuild(kGuild, kOwner)));
}

TEST_P(GuildStoreTest, ListsTheGuildsOfAUser) {
  ASSERT_NO_FATAL_FAILURE(SeedOwner(store()));
  ASSERT_TRUE(store().CreateGuild(MakeGuild(Id(3000), kOwner, "C")));
  ASSERT_TRUE(store().CreateGuild(MakeGuild(Id(1000), kOwner, "A")));
  ASSERT_TRUE(store().CreateGuild(MakeGuild(Id(2000), Id(2), "B")));
  EXPECT_EQ(*store().ListUserGuildIds(kOwner),
            (std::vector<domain::Snowflake>{Id(1000), Id(3000)}));
  auto guilds = store().ListUserGuilds(kOwner);
  ASSERT_TRUE(guilds);
  ASSERT_EQ(guilds->size(), 2u);
  EXPECT_EQ((*guilds)[0].name, "A");
  EXPECT_EQ((*guilds)[1].name, "C");
  EXPECT_TRUE(store().ListUserGuilds(Id(404))->empty());
}

TEST_P(GuildStoreTest, CountsMembers) {
  ASSERT_NO_FATAL_FAILURE(SeedOwner(store()));
  ASSERT_TRUE(store().CreateGuild(MakeGuild(kGuild, kOwner)));
  domain::Member m;
  m.guild_id = kGuild;
  m.user_id = Id(2);
  ASSERT_TRUE(store().AddMember(m));
  EXPECT_EQ(*store().CountMembers(kGuild), 2);
  ASSERT_TRUE(store().RemoveMember(kGuild, Id(2)));
  EXPECT_EQ(*store().CountMembers(kGuild), 1);
}

}  // namespace
}  // namespace chat::store::testing
