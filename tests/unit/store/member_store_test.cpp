// MemberStore behaviour: joining, paging, search, updates and member roles. Against every
// backend.
#include <string>
#include <vector>

#include "store/errors.hpp"
#include "store_fixture.hpp"
#include "store_test_util.hpp"

namespace chat::store::testing {
namespace {

const domain::Snowflake kOwner = Id(1);
const domain::Snowflake kGuild = Id(1000);
const domain::Snowflake kMod = Id(1100);
const domain::Snowflake kVip = Id(1101);

void SeedGuild(Store& store) {
  ASSERT_TRUE(store.CreateUser(MakeUser(kOwner, "owner")));
  NewGuild g = MakeGuild(kGuild, kOwner);
  domain::Role mod;
  mod.id = kMod;
  mod.name = "Mod";
  domain::Role vip = mod;
  vip.id = kVip;
  vip.name = "VIP";
  g.roles.push_back(mod);
  g.roles.push_back(vip);
  ASSERT_TRUE(store.CreateGuild(g));
}

domain::Member MakeMember(domain::Snowflake user_id) {
  domain::Member m;
  m.guild_id = kGuild;
  m.user_id = user_id;
  return m;
}

TEST_P(MemberStoreTest, AddedMemberReadsBackWithRoles) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(2), "bob")));
  domain::Member m = MakeMember(Id(2));
  m.nickname = "Bobby 🐝";
  m.joined_at_ms = 1704067200000;
  m.role_ids = {kVip, kMod, kGuild};  // @everyone is implicit and not stored
  ASSERT_TRUE(store().AddMember(m));
  auto got = store().GetMember(kGuild, Id(2));
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->guild_id, kGuild);
  EXPECT_EQ(got->nickname, "Bobby 🐝");
  EXPECT_EQ(got->joined_at_ms, 1704067200000);
  EXPECT_EQ(got->communication_disabled_until_ms, std::nullopt);
  EXPECT_EQ(got->role_ids, (std::vector<domain::Snowflake>{kMod, kVip}));
  EXPECT_TRUE(*store().IsMember(kGuild, Id(2)));
  EXPECT_EQ(*store().ListUserGuildIds(Id(2)), std::vector<domain::Snowflake>{kGuild});
}

TEST_P(MemberStoreTest, JoinTimeDefaultsToNow) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(2), "bob")));
  const std::int64_t before = domain::SnowflakeGenerator::SystemClockMs();
  ASSERT_TRUE(store().AddMember(MakeMember(Id(2))));
  const std::int64_t after = domain::SnowflakeGenerator::SystemClockMs();
  auto joined = store().GetMember(kGuild, Id(2))->joined_at_ms;
  EXPECT_GE(joined, before);
  EXPECT_LE(joined, after);
}

TEST_P(MemberStoreTest, AddingAnExistingMemberIsConflict) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  EXPECT_TRUE(IsError(store().AddMember(MakeMember(kOwner)), Errc::kConflict));
}

TEST_P(MemberStoreTest, AddingToUnknownGuildUserOrRoleIsNotFound) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(2), "bob")));
  domain::Member no_guild = MakeMember(Id(2));
  no_guild.guild_id = Id(9000);
  EXPECT_TRUE(IsError(store().AddMember(no_guild), Errc::kNotFound, kUnknownGuild));
  EXPECT_TRUE(IsError(store().AddMember(MakeMember(Id(404))), Errc::kNotFound, kUnknownUser));
  domain::Member bad_role = MakeMember(Id(2));
  bad_role.role_ids = {Id(9999)};
  EXPECT_TRUE(IsError(store().AddMember(bad_role), Errc::kNotFound, kUnknownRole));
  EXPECT_FALSE(*store().IsMember(kGuild, Id(2)));
}

TEST_P(MemberStoreTest, UnknownMemberIsNotFoundWithDiscordCode) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  EXPECT_TRUE(IsError(store().GetMember(kGuild, Id(2)), Errc::kNotFound, kUnknownMember));
  EXPECT_TRUE(IsError(store().UpdateMember(kGuild, Id(2), {}), Errc::kNotFound, kUnknownMember));
  EXPECT_TRUE(IsError(store().RemoveMember(kGuild, Id(2)), Errc::kNotFound, kUnknownMember));
  EXPECT_TRUE(IsError(store().AddMemberRole(kGuild, Id(2), kMod), Errc::kNotFound, kUnknownMember));
  EXPECT_TRUE(
      IsError(store().RemoveMemberRole(kGuild, Id(2), kMod), Errc::kNotFound, kUnknownMember));
  EXPECT_TRUE(IsError(store().SetMemberRoles(kGuild, Id(2), {}), Errc::kNotFound, kUnknownMember));
  EXPECT_FALSE(*store().IsMember(kGuild, Id(2)));
}

TEST_P(MemberStoreTest, ListPagesByUserIdAfterACursor) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  for (int i = 2; i <= 6; ++i) {
    ASSERT_TRUE(store().CreateUser(MakeUser(Id(i), "user" + std::to_string(i))));
    domain::Member m = MakeMember(Id(i));
    if (i == 4) m.role_ids = {kMod};
    ASSERT_TRUE(store().AddMember(m));
  }
  auto first = store().ListMembers(kGuild, 0, 3);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->size(), 3u);
  EXPECT_EQ((*first)[0].user_id, kOwner);
  EXPECT_EQ((*first)[2].user_id, Id(3));
  auto second = store().ListMembers(kGuild, first->back().user_id, 3);
  ASSERT_TRUE(second);
  ASSERT_EQ(second->size(), 3u);
  EXPECT_EQ((*second)[0].user_id, Id(4));
  EXPECT_EQ((*second)[0].role_ids, std::vector<domain::Snowflake>{kMod});
  EXPECT_TRUE((*second)[1].role_ids.empty());
  EXPECT_TRUE(store().ListMembers(kGuild, Id(6), 3)->empty());
}

TEST_P(MemberStoreTest, ListLimitIsClampedToOneThroughAThousand) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(2), "bob")));
  ASSERT_TRUE(store().AddMember(MakeMember(Id(2))));
  EXPECT_EQ(store().ListMembers(kGuild, 0, 0)->size(), 1u);
  EXPECT_EQ(store().ListMembers(kGuild, 0, -5)->size(), 1u);
  EXPECT_EQ(store().ListMembers(kGuild, 0, 5000)->size(), 2u);
}

TEST_P(MemberStoreTest, SearchMatchesUsernameOrNicknamePrefixIgnoringCase) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(2), "alice")));
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(3), "bob")));
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(4), "al_x")));
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(5), "malice")));
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(6), "alien")));  // not a member
  for (int i = 2; i <= 5; ++i) {
    domain::Member m = MakeMember(Id(i));
    if (i == 3) m.nickname = "Alfred";
    ASSERT_TRUE(store().AddMember(m));
  }
  auto ids = [&](std::string_view prefix, int limit) {
    std::vector<domain::Snowflake> out;
    for (const auto& m : *store().SearchMembers(kGuild, prefix, limit)) out.push_back(m.user_id);
    return out;
  };
  EXPECT_EQ(ids("AL", 10), (std::vector<domain::Snowflake>{Id(2), Id(3), Id(4)}));
  EXPECT_EQ(ids("al_", 10), std::vector<domain::Snowflake>{Id(4)});  // '_' is literal
  EXPECT_TRUE(ids("%", 10).empty());                                 // '%' is literal
  EXPECT_EQ(ids("al", 2), (std::vector<domain::Snowflake>{Id(2), Id(3)}));
  EXPECT_EQ(ids("", 100).size(), 5u);
}

TEST_P(MemberStoreTest, UpdateChangesNicknameTimeoutAndRoles) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(2), "bob")));
  domain::Member m = MakeMember(Id(2));
  m.nickname = "old";
  m.role_ids = {kMod};
  ASSERT_TRUE(store().AddMember(m));

  MemberUpdate update;
  update.communication_disabled_until_ms = std::optional<std::int64_t>(1800000000000);
  update.role_ids = std::vector<domain::Snowflake>{kVip};
  auto got = store().UpdateMember(kGuild, Id(2), update);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->nickname, "old");
  EXPECT_EQ(got->communication_disabled_until_ms, 1800000000000);
  EXPECT_EQ(got->role_ids, std::vector<domain::Snowflake>{kVip});

  MemberUpdate clear;
  clear.nickname = std::optional<std::string>{};
  clear.communication_disabled_until_ms = std::optional<std::int64_t>{};
  got = store().UpdateMember(kGuild, Id(2), clear);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->nickname, std::nullopt);
  EXPECT_EQ(got->communication_disabled_until_ms, std::nullopt);
  EXPECT_EQ(got->role_ids, std::vector<domain::Snowflake>{kVip});

  MemberUpdate bad;
  bad.nickname = std::optional<std::string>("new");
  bad.role_ids = std::vector<domain::Snowflake>{Id(9999)};
  EXPECT_TRUE(IsError(store().UpdateMember(kGuild, Id(2), bad), Errc::kNotFound, kUnknownRole));
  EXPECT_EQ(store().GetMember(kGuild, Id(2))->nickname, std::nullopt);  // rolled back
}

TEST_P(MemberStoreTest, RolesCanBeSetAddedAndRemoved) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  ASSERT_TRUE(store().SetMemberRoles(kGuild, kOwner, std::vector{kMod, kVip}));
  EXPECT_EQ(store().GetMember(kGuild, kOwner)->role_ids,
            (std::vector<domain::Snowflake>{kMod, kVip}));
  ASSERT_TRUE(store().RemoveMemberRole(kGuild, kOwner, kMod));
  ASSERT_TRUE(store().RemoveMemberRole(kGuild, kOwner, kMod));  // already removed: fine
  EXPECT_EQ(store().GetMember(kGuild, kOwner)->role_ids, std::vector<domain::Snowflake>{kVip});
  ASSERT_TRUE(store().AddMemberRole(kGuild, kOwner, kMod));
  ASSERT_TRUE(store().AddMemberRole(kGuild, kOwner, kMod));  // already there: fine
  EXPECT_EQ(store().GetMember(kGuild, kOwner)->role_ids,
            (std::vector<domain::Snowflake>{kMod, kVip}));
  ASSERT_TRUE(store().SetMemberRoles(kGuild, kOwner, {}));
  EXPECT_TRUE(store().GetMember(kGuild, kOwner)->role_ids.empty());
}

TEST_P(MemberStoreTest, RolesOfAnotherGuildAreRefused) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  ASSERT_TRUE(store().CreateGuild(MakeGuild(Id(2000), kOwner, "Other")));
  EXPECT_TRUE(
      IsError(store().AddMemberRole(kGuild, kOwner, Id(2000)), Errc::kNotFound, kUnknownRole));
  EXPECT_TRUE(IsError(store().SetMemberRoles(kGuild, kOwner, std::vector{Id(2000)}),
                      Errc::kNotFound, kUnknownRole));
}

TEST_P(MemberStoreTest, RemovedMemberLosesTheirRoles) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(2), "bob")));
  domain::Member m = MakeMember(Id(2));
  m.role_ids = {kMod};
  ASSERT_TRUE(store().AddMember(m));
  ASSERT_TRUE(store().RemoveMember(kGuild, Id(2)));
  EXPECT_FALSE(*store().IsMember(kGuild, Id(2)));
  EXPECT_TRUE(store().ListUserGuildIds(Id(2))->empty());
  // Rejoining starts without the old roles.
  ASSERT_TRUE(store().AddMember(MakeMember(Id(2))));
  EXPECT_TRUE(store().GetMember(kGuild, Id(2))->role_ids.empty());
}

// AccessStore: what a permission check reads, in one call.
TEST_P(MemberStoreTest, AccessRowsHoldTheChannelGuildMembershipRolesAndUser) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(2), "bob")));
  domain::Member m = MakeMember(Id(2));
  m.role_ids = {kMod};
  ASSERT_TRUE(store().AddMember(m));
  const domain::Snowflake text = kGuild + 2;  // MakeGuild's text channel

  auto rows = store().ReadChannelAccess(text, Id(2), /*with_user=*/true);
  ASSERT_TRUE(rows) << rows.error().message;
  EXPECT_EQ(rows->channel.id, text);
  ASSERT_TRUE(rows->guild.has_value());
  EXPECT_EQ(rows->guild->guild.owner_id, kOwner);
  ASSERT_TRUE(rows->guild->member.has_value());
  EXPECT_EQ(rows->guild->member->role_ids, std::vector<domain::Snowflake>{kMod});
  EXPECT_EQ(rows->guild->roles.size(), 3u);  // @everyone, Mod, VIP
  ASSERT_TRUE(rows->user.has_value());
  EXPECT_EQ(rows->user->username, "bob");
  // Routes that do not need the account do not read it.
  auto without = store().ReadChannelAccess(text, Id(2), /*with_user=*/false);
  ASSERT_TRUE(without) << without.error().message;
  EXPECT_FALSE(without->user.has_value());

  auto guild = store().ReadGuildAccess(kGuild, Id(2));
  ASSERT_TRUE(guild) << guild.error().message;
  EXPECT_EQ(guild->member->user_id, Id(2));
  EXPECT_EQ(guild->roles.size(), 3u);
}

TEST_P(MemberStoreTest, AccessRowsOfAnOutsiderHaveNoMembership) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(3), "carol")));
  auto rows = store().ReadChannelAccess(kGuild + 2, Id(3), /*with_user=*/true);
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_TRUE(rows->guild.has_value());
  EXPECT_FALSE(rows->guild->member.has_value());
  EXPECT_EQ(rows->user->username, "carol");
  // An account that is gone reads as no user, not as an error.
  auto ghost = store().ReadChannelAccess(kGuild + 2, Id(99), /*with_user=*/true);
  ASSERT_TRUE(ghost) << ghost.error().message;
  EXPECT_FALSE(ghost->user.has_value());
}

TEST_P(MemberStoreTest, AccessRowsOfMissingPlacesAreNotFound) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  EXPECT_TRUE(IsError(store().ReadChannelAccess(Id(5000), kOwner, false), Errc::kNotFound,
                      kUnknownChannel));
  EXPECT_TRUE(IsError(store().ReadGuildAccess(Id(5000), kOwner), Errc::kNotFound, kUnknownGuild));
}

}  // namespace
}  // namespace chat::store::testing
