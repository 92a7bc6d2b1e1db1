// RoleStore behaviour: CRUD, ordering, bulk positions and what a deleted role leaves behind.
// Against every backend.
#include <vector>

#include "store/errors.hpp"
#include "store_fixture.hpp"
#include "store_test_util.hpp"

namespace chat::store::testing {
namespace {

const domain::Snowflake kOwner = Id(1);
const domain::Snowflake kGuild = Id(1000);

void SeedGuild(Store& store) {
  ASSERT_TRUE(store.CreateUser(MakeUser(kOwner, "owner")));
  ASSERT_TRUE(store.CreateGuild(MakeGuild(kGuild, kOwner)));
}

domain::Role MakeRole(domain::Snowflake id, const std::string& name, int position) {
  domain::Role r;
  r.id = id;
  r.guild_id = kGuild;
  r.name = name;
  r.position = position;
  return r;
}

TEST_P(RoleStoreTest, CreatedRoleReadsBackWithEveryField) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  domain::Role r = MakeRole(Id(1100), "Moderator", 2);
  r.permissions = 1099511627775;  // the seed's Moderator
  r.color = 3447003;
  r.hoist = true;
  r.mentionable = true;
  ASSERT_TRUE(store().CreateRole(r));
  auto got = store().GetRole(kGuild, r.id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->guild_id, kGuild);
  EXPECT_EQ(got->name, "Moderator");
  EXPECT_EQ(got->permissions, 1099511627775u);
  EXPECT_EQ(got->position, 2);
  EXPECT_EQ(got->color, 3447003u);
  EXPECT_TRUE(got->hoist);
  EXPECT_TRUE(got->mentionable);
}

TEST_P(RoleStoreTest, PermissionBitsUpTo52RoundTrip) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  domain::Role r = MakeRole(Id(1100), "All", 1);
  r.permissions = (std::uint64_t{1} << 53) - 1;
  ASSERT_TRUE(store().CreateRole(r));
  EXPECT_EQ(store().GetRole(kGuild, r.id)->permissions, r.permissions);
}

TEST_P(RoleStoreTest, UnknownRoleIsNotFoundWithDiscordCode) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  ASSERT_TRUE(store().CreateGuild(MakeGuild(Id(2000), kOwner, "Other")));
  EXPECT_TRUE(IsError(store().GetRole(kGuild, Id(1100)), Errc::kNotFound, kUnknownRole));
  // A role of another guild is unknown here.
  EXPECT_TRUE(IsError(store().GetRole(kGuild, Id(2000)), Errc::kNotFound, kUnknownRole));
  EXPECT_TRUE(IsError(store().UpdateRole(kGuild, Id(2000), {}), Errc::kNotFound, kUnknownRole));
  EXPECT_TRUE(IsError(store().DeleteRole(kGuild, Id(2000)), Errc::kNotFound, kUnknownRole));
  EXPECT_TRUE(store().GetRole(Id(2000), Id(2000)));
}

TEST_P(RoleStoreTest, RoleInUnknownGuildIsNotFound) {
  domain::Role r = MakeRole(Id(1100), "Nowhere", 1);
  EXPECT_TRUE(IsError(store().CreateRole(r), Errc::kNotFound, kUnknownGuild));
}

TEST_P(RoleStoreTest, ListIsOrderedByPositionThenId) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  ASSERT_TRUE(store().CreateRole(MakeRole(Id(1103), "c", 2)));
  ASSERT_TRUE(store().CreateRole(MakeRole(Id(1102), "b", 1)));
  ASSERT_TRUE(store().CreateRole(MakeRole(Id(1101), "a", 1)));
  auto roles = store().ListRoles(kGuild);
  ASSERT_TRUE(roles);
  std::vector<std::string> names;
  for (const auto& r : *roles) names.push_back(r.name);
  EXPECT_EQ(names, (std::vector<std::string>{"@everyone", "a", "b", "c"}));
}

TEST_P(RoleStoreTest, UpdateChangesOnlyTheGivenFields) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  domain::Role r = MakeRole(Id(1100), "Mod", 1);
  r.color = 255;
  r.permissions = 8;
  ASSERT_TRUE(store().CreateRole(r));
  RoleUpdate update;
  update.name = "Moderators";
  update.color = std::optional<std::uint32_t>{};
  update.mentionable = true;
  auto got = store().UpdateRole(kGuild, r.id, update);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->name, "Moderators");
  EXPECT_EQ(got->color, std::nullopt);
  EXPECT_TRUE(got->mentionable);
  EXPECT_EQ(got->permissions, 8u);
  EXPECT_EQ(got->position, 1);
}

TEST_P(RoleStoreTest, DeletedRoleLeavesMembersAndOverwrites) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  ASSERT_TRUE(store().CreateRole(MakeRole(Id(1100), "Mod", 1)));
  ASSERT_TRUE(store().CreateRole(MakeRole(Id(1101), "Keep", 2)));
  ASSERT_TRUE(store().SetMemberRoles(kGuild, kOwner, std::vector{Id(1100), Id(1101)}));
  ASSERT_TRUE(store().PutOverwrite(kGuild + 2, {Id(1100), domain::OverwriteType::kRole, 1024, 0}));
  ASSERT_TRUE(store().PutOverwrite(kGuild + 2, {kOwner, domain::OverwriteType::kMember, 0, 2048}));

  ASSERT_TRUE(store().DeleteRole(kGuild, Id(1100)));

  EXPECT_TRUE(IsError(store().GetRole(kGuild, Id(1100)), Errc::kNotFound, kUnknownRole));
  EXPECT_EQ(store().GetMember(kGuild, kOwner)->role_ids, std::vector<domain::Snowflake>{Id(1101)});
  auto channel = store().GetChannel(kGuild + 2);
  ASSERT_TRUE(channel);
  ASSERT_EQ(channel->overwrites.size(), 1u);
  EXPECT_EQ(channel->overwrites[0].id, kOwner);
}

TEST_P(RoleStoreTest, BulkPositionsApplyAllOrNothing) {
  ASSERT_NO_FATAL_FAILURE(SeedGuild(store()));
  ASSERT_TRUE(store().CreateRole(MakeRole(Id(1101), "a", 1)));
  ASSERT_TRUE(store().CreateRole(MakeRole(Id(1102), "b", 2)));
  std::vector<RolePosition> swap = {{Id(1101), 2}, {Id(1102), 1}};
  auto roles = store().SetRolePositions(kGuild, swap);
  ASSERT_TRUE(roles) << roles.error().message;
  ASSERT_EQ(roles->size(), 3u);
  EXPECT_EQ((*roles)[1].name, "b");
  EXPECT_EQ((*roles)[2].name, "a");

  std::vector<RolePosition> bad = {{Id(1101), 5}, {Id(9999), 6}};
  EXPECT_TRUE(IsError(store().SetRolePositions(kGuild, bad), Errc::kNotFound, kUnknownRole));
  EXPECT_EQ(store().GetRole(kGuild, Id(1101))->position, 2);
}

}  // namespace
}  // namespace chat::store::testing
