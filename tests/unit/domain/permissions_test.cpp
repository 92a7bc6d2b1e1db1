#include "domain/permissions.hpp"

#include <gtest/gtest.h>

#include <bitset>
#include <set>
#include <utility>
#include <vector>

namespace chat::domain {
namespace {

using namespace perm;

constexpr std::int64_t kNow = 1700000000000;

// The seed's "Test Server": guild 1 owned by user 1, roles @everyone (id 1 = guild id), Admin
// (position 1) and Moderator (position 2) with the seed's permission values.
constexpr std::uint64_t kSeedEveryone = 104324673;
constexpr std::uint64_t kSeedAdmin = 8589934591;
constexpr std::uint64_t kSeedModerator = 1099511627775;

Guild SeedGuild() {
  Guild g;
  g.id = 1;
  g.name = "Test Server";
  g.owner_id = 1;
  return g;
}

Role MakeRole(Snowflake id, std::uint64_t permissions, int position, Snowflake guild_id = 1) {
  Role r;
  r.id = id;
  r.guild_id = guild_id;
  r.name = "role" + std::to_string(id);
  r.permissions = permissions;
  r.position = position;
  return r;
}

std::vector<Role> SeedRoles() {
  return {MakeRole(1, kSeedEveryone, 0), MakeRole(2, kSeedAdmin, 1),
          MakeRole(3, kSeedModerator, 2)};
}

Member MakeMember(Snowflake user_id, std::vector<Snowflake> role_ids = {}) {
  Member m;
  m.guild_id = 1;
  m.user_id = user_id;
  m.role_ids = std::move(role_ids);
  return m;
}

Channel MakeChannel(ChannelType type = ChannelType::kGuildText,
                    std::vector<PermissionOverwrite> overwrites = {}) {
  Channel c;
  c.id = 100;
  c.guild_id = 1;
  c.type = type;
  c.name = "general";
  c.overwrites = std::move(overwrites);
  return c;
}

PermissionOverwrite RoleOverwrite(Snowflake role_id, std::uint64_t allow, std::uint64_t deny) {
  return {role_id, OverwriteType::kRole, allow, deny};
}

PermissionOverwrite MemberOverwrite(Snowflake user_id, std::uint64_t allow, std::uint64_t deny) {
  return {user_id, OverwriteType::kMember, allow, deny};
}

// A plain guild for overwrite tests: @everyone can view, send, read history, react, embed,
// attach, mention everyone, TTS, connect and speak; roles 10 and 11 add nothing by themselves.
constexpr std::uint64_t kPlainEveryone = kViewChannel | kSendMessages | kReadMessageHistory |
                                         kAddReactions | kEmbedLinks | kAttachFiles |
                                         kMentionEveryone | kSendTtsMessages | kConnect | kSpeak;

std::vector<Role> PlainRoles() {
  return {MakeRole(1, kPlainEveryone, 0), MakeRole(10, 0, 1), MakeRole(11, 0, 2)};
}

std::uint64_t InChannel(const Member& member, const Channel& channel,
                        const std::vector<Role>& roles = PlainRoles(), std::int64_t now = kNow) {
  return ComputePermissions(SeedGuild(), roles, member, channel, now);
}

// ---- the bit table ----

TEST(PermissionBits, EachFlagSitsOnItsDocumentedBit) {
  const std::vector<std::pair<std::uint64_t, int>> table = {
      {kCreateInstantInvite, 0},
      {kKickMembers, 1},
      {kBanMembers, 2},
      {kAdministrator, 3},
      {kManageChannels, 4},
      {kManageGuild, 5},
      {kAddReactions, 6},
      {kViewAuditLog, 7},
      {kPrioritySpeaker, 8},
      {kStream, 9},
      {kViewChannel, 10},
      {kSendMessages, 11},
      {kSendTtsMessages, 12},
      {kManageMessages, 13},
      {kEmbedLinks, 14},
      {kAttachFiles, 15},
      {kReadMessageHistory, 16},
      {kMentionEveryone, 17},
      {kUseExternalEmojis, 18},
      {kViewGuildInsights, 19},
      {kConnect, 20},
      {kSpeak, 21},
      {kMuteMembers, 22},
      {kDeafenMembers, 23},
      {kMoveMembers, 24},
      {kUseVad, 25},
      {kChangeNickname, 26},
      {kManageNicknames, 27},
      {kManageRoles, 28},
      {kManageWebhooks, 29},
      {kManageGuildExpressions, 30},
      {kUseApplicationCommands, 31},
      {kRequestToSpeak, 32},
      {kManageEvents, 33},
      {kManageThreads, 34},
      {kCreatePublicThreads, 35},
      {kCreatePrivateThreads, 36},
      {kUseExternalStickers, 37},
      {kSendMessagesInThreads, 38},
      {kUseEmbeddedActivities, 39},
      {kModerateMembers, 40},
      {kViewCreatorMonetizationAnalytics, 41},
      {kUseSoundboard, 42},
      {kCreateGuildExpressions, 43},
      {kCreateEvents, 44},
      {kUseExternalSounds, 45},
      {kSendVoiceMessages, 46},
      {kSetVoiceChannelStatus, 48},
      {kSendPolls, 49},
      {kUseExternalApps, 50},
      {kPinMessages, 51},
      {kBypassSlowmode, 52},
  };
  std::uint64_t seen = 0;
  for (const auto& [flag, bit] : table) {
    EXPECT_EQ(flag, 1ull << bit) << "bit " << bit;
    EXPECT_EQ(seen & flag, 0u) << "bit " << bit << " listed twice";
    seen |= flag;
  }
  EXPECT_EQ(table.size(), 52u);
  EXPECT_EQ(seen, kAll);
}

TEST(PermissionBits, AllLeavesOutBit47AndEverythingAbove52) {
  EXPECT_EQ(std::bitset<64>(kAll).count(), 52u);
  EXPECT_EQ(kAll & (1ull << 47), 0u);
  EXPECT_EQ(kAll >> 53, 0u);
  EXPECT_EQ(kAll, 8866461766385663ull);
}

TEST(PermissionBits, HasRequiresEveryRequestedBit) {
  EXPECT_TRUE(Has(kViewChannel | kSendMessages, kViewChannel));
  EXPECT_TRUE(Has(kViewChannel | kSendMessages, kViewChannel | kSendMessages));
  EXPECT_FALSE(Has(kViewChannel, kViewChannel | kSendMessages));
  EXPECT_TRUE(Has(0, 0));
}

// ---- the seed's roles ----

TEST(SeedRoles, EveryoneValueDecodesToExactlyTheseBits) {
  const std::set<int> expected = {0, 6, 9, 10, 11, 12, 14, 15, 16, 17, 18, 20, 21, 25, 26};
  for (int bit = 0; bit < 64; ++bit) {
    EXPECT_EQ((kSeedEveryone >> bit) & 1, expected.count(bit) ? 1u : 0u) << "bit " << bit;
  }
  EXPECT_EQ(kSeedEveryone, kCreateInstantInvite | kAddReactions | kStream | kViewChannel |
                               kSendMessages | kSendTtsMessages | kEmbedLinks | kAttachFiles |
                               kReadMessageHistory | kMentionEveryone | kUseExternalEmojis |
                               kConnect | kSpeak | kUseVad | kChangeNickname);
  EXPECT_FALSE(Has(kSeedEveryone, kAdministrator));
  EXPECT_FALSE(Has(kSeedEveryone, kManageMessages));
  EXPECT_FALSE(Has(kSeedEveryone, kKickMembers));
}

TEST(SeedRoles, AdminValueIsBits0To32AndIncludesAdministrator) {
  EXPECT_EQ(kSeedAdmin, (1ull << 33) - 1);
  EXPECT_TRUE(Has(kSeedAdmin, kAdministrator));
  EXPECT_EQ(ComputeBasePermissions(SeedGuild(), SeedRoles(), MakeMember(2, {2})), kAll);
}

TEST(SeedRoles, ModeratorValueIsBits0To39AndAlsoIncludesAdministrator) {
  EXPECT_EQ(kSeedModerator, (1ull << 40) - 1);
  EXPECT_TRUE(Has(kSeedModerator, kAdministrator));
  EXPECT_FALSE(Has(kSeedModerator, kModerateMembers));  // bit 40: just outside the value
  // ...but ADMINISTRATOR makes the moderator hold everything anyway.
  EXPECT_EQ(ComputeBasePermissions(SeedGuild(), SeedRoles(), MakeMember(3, {3})), kAll);
}

TEST(SeedRoles, PlainMemberGetsExactlyTheEveryoneRole) {
  EXPECT_EQ(ComputeBasePermissions(SeedGuild(), SeedRoles(), MakeMember(2)), kSeedEveryone);
}

// ---- base (guild-level) permissions ----

TEST(BasePermissions, OwnerHoldsEverythingWithoutAnyRole) {
  const std::vector<Role> roles = {MakeRole(1, 0, 0)};
  EXPECT_EQ(ComputeBasePermissions(SeedGuild(), roles, MakeMember(1)), kAll);
}

TEST(BasePermissions, MemberRolesAreAddedToEveryone) {
  std::vector<Role> roles = PlainRoles();
  roles[1].permissions = kKickMembers;
  roles[2].permissions = kManageMessages;
  EXPECT_EQ(ComputeBasePermissions(SeedGuild(), roles, MakeMember(5, {10, 11})),
            kPlainEveryone | kKickMembers | kManageMessages);
  EXPECT_EQ(ComputeBasePermissions(SeedGuild(), roles, MakeMember(5, {11})),
            kPlainEveryone | kManageMessages);
}

TEST(BasePermissions, UnknownRoleIdsAreIgnored) {
  EXPECT_EQ(ComputeBasePermissions(SeedGuild(), PlainRoles(), MakeMember(5, {999})),
            kPlainEveryone);
}

TEST(BasePermissions, RoleOfAnotherGuildGrantsNothing) {
  std::vector<Role> roles = PlainRoles();
  roles.push_back(MakeRole(20, kAdministrator, 5, /*guild_id=*/2));
  EXPECT_EQ(ComputeBasePermissions(SeedGuild(), roles, MakeMember(5, {20})), kPlainEveryone);
}

TEST(BasePermissions, MemberOfAnotherGuildGetsNothing) {
  Member outsider = MakeMember(5, {10});
  outsider.guild_id = 2;
  EXPECT_EQ(ComputeBasePermissions(SeedGuild(), PlainRoles(), outsider), 0u);
}

TEST(BasePermissions, WithoutEveryoneRoleOnlyMemberRolesCount) {
  const std::vector<Role> roles = {MakeRole(10, kViewChannel, 1)};
  EXPECT_EQ(ComputeBasePermissions(SeedGuild(), roles, MakeMember(5, {10})), kViewChannel);
  EXPECT_EQ(ComputeBasePermissions(SeedGuild(), roles, MakeMember(5)), 0u);
}

TEST(BasePermissions, UndefinedStoredBitsAreMaskedAway) {
  const std::vector<Role> roles = {MakeRole(1, kViewChannel | (1ull << 47) | (1ull << 60), 0)};
  EXPECT_EQ(ComputeBasePermissions(SeedGuild(), roles, MakeMember(5)), kViewChannel);
}

// ---- channel overwrites ----

TEST(ChannelPermissions, NoOverwritesKeepsBase) {
  EXPECT_EQ(InChannel(MakeMember(5), MakeChannel()), kPlainEveryone);
}

TEST(ChannelPermissions, OwnerBypassesOverwrites) {
  const Channel c = MakeChannel(ChannelType::kGuildText,
                                {RoleOverwrite(1, 0, kViewChannel), MemberOverwrite(1, 0, kAll)});
  EXPECT_EQ(InChannel(MakeMember(1), c), kAll);
}

TEST(ChannelPermissions, AdministratorBypassesOverwrites) {
  const Channel c = MakeChannel(ChannelType::kGuildText,
                                {RoleOverwrite(1, 0, kViewChannel), RoleOverwrite(2, 0, kAll),
                                 MemberOverwrite(7, 0, kViewChannel | kSendMessages)});
  EXPECT_EQ(InChannel(MakeMember(7, {2}), c, SeedRoles()), kAll);
}

TEST(ChannelPermissions, EveryoneOverwriteDeniesThenAllows) {
  const Channel c =
      MakeChannel(ChannelType::kGuildText, {RoleOverwrite(1, kManageMessages, kAddReactions)});
  EXPECT_EQ(InChannel(MakeMember(5), c), (kPlainEveryone & ~kAddReactions) | kManageMessages);
}

TEST(ChannelPermissions, EveryoneOverwriteAllowWinsOverItsOwnDeny) {
  // Within one overwrite, deny is applied first, so a bit in both ends up allowed.
  const Channel c =
      MakeChannel(ChannelType::kGuildText, {RoleOverwrite(1, kAddReactions, kAddReactions)});
  EXPECT_TRUE(Has(InChannel(MakeMember(5), c), kAddReactions));
}

TEST(ChannelPermissions, RoleAllowBeatsEveryoneDeny) {
  const Channel c = MakeChannel(ChannelType::kGuildText, {RoleOverwrite(1, 0, kSendMessages),
                                                          RoleOverwrite(10, kSendMessages, 0)});
  EXPECT_TRUE(Has(InChannel(MakeMember(5, {10}), c), kSendMessages));
  EXPECT_FALSE(Has(InChannel(MakeMember(6), c), kSendMessages));
}

TEST(ChannelPermissions, RoleDenyBeatsEveryoneAllow) {
  const Channel c = MakeChannel(ChannelType::kGuildText, {RoleOverwrite(1, kManageMessages, 0),
                                                          RoleOverwrite(10, 0, kManageMessages)});
  EXPECT_FALSE(Has(InChannel(MakeMember(5, {10}), c), kManageMessages));
  EXPECT_TRUE(Has(InChannel(MakeMember(6), c), kManageMessages));
}

TEST(ChannelPermissions, AnyRoleAllowBeatsAnyRoleDenyWhateverTheOrder) {
  const PermissionOverwrite deny = RoleOverwrite(10, 0, kAddReactions);
  const PermissionOverwrite allow = RoleOverwrite(11, kAddReactions, 0);
  const Member member = MakeMember(5, {10, 11});
  EXPECT_TRUE(
      Has(InChannel(member, MakeChannel(ChannelType::kGuildText, {deny, allow})), kAddReactions));
  EXPECT_TRUE(
      Has(InChannel(member, MakeChannel(ChannelType::kGuildText, {allow, deny})), kAddReactions));
  EXPECT_TRUE(
      Has(InChannel(MakeMember(5, {11, 10}), MakeChannel(ChannelType::kGuildText, {deny, allow})),
          kAddReactions));
}

TEST(ChannelPermissions, DeniesOfSeveralRolesAccumulate) {
  const Channel c = MakeChannel(ChannelType::kGuildText, {RoleOverwrite(10, 0, kEmbedLinks),
                                                          RoleOverwrite(11, 0, kAttachFiles)});
  EXPECT_EQ(InChannel(MakeMember(5, {10, 11}), c), kPlainEveryone & ~(kEmbedLinks | kAttachFiles));
}

TEST(ChannelPermissions, OverwritesOfRolesTheMemberLacksAreIgnored) {
  const Channel c = MakeChannel(ChannelType::kGuildText, {RoleOverwrite(11, 0, kSendMessages),
                                                          MemberOverwrite(6, 0, kViewChannel)});
  EXPECT_EQ(InChannel(MakeMember(5, {10}), c), kPlainEveryone);
}

TEST(ChannelPermissions, MemberAllowBeatsRoleDeny) {
  const Channel c = MakeChannel(ChannelType::kGuildText, {RoleOverwrite(10, 0, kSendMessages),
                                                          MemberOverwrite(5, kSendMessages, 0)});
  EXPECT_TRUE(Has(InChannel(MakeMember(5, {10}), c), kSendMessages));
}

TEST(ChannelPermissions, MemberDenyBeatsRoleAllow) {
  const Channel c = MakeChannel(ChannelType::kGuildText, {RoleOverwrite(10, kManageMessages, 0),
                                                          MemberOverwrite(5, 0, kManageMessages)});
  EXPECT_FALSE(Has(InChannel(MakeMember(5, {10}), c), kManageMessages));
}

TEST(ChannelPermissions, OverwriteTypeDecidesBetweenRoleAndMember) {
  // A role overwrite whose id happens to equal the user's id is not the member's own overwrite,
  // and a member overwrite whose id equals one of the member's role ids is not a role overwrite.
  const Channel c = MakeChannel(ChannelType::kGuildText, {RoleOverwrite(5, 0, kSendMessages),
                                                          MemberOverwrite(10, 0, kAddReactions)});
  EXPECT_EQ(InChannel(MakeMember(5, {10}), c), kPlainEveryone);
}

TEST(ChannelPermissions, OverwriteCannotAddUndefinedBits) {
  const Channel c = MakeChannel(ChannelType::kGuildText, {MemberOverwrite(5, 1ull << 47, 0)});
  EXPECT_EQ(InChannel(MakeMember(5), c), kPlainEveryone);
}

TEST(ChannelPermissions, DirectMessageOrForeignChannelYieldsNothing) {
  Channel dm = MakeChannel(ChannelType::kDm);
  dm.guild_id.reset();
  EXPECT_EQ(InChannel(MakeMember(5), dm), 0u);
  Channel foreign = MakeChannel();
  foreign.guild_id = 2;
  EXPECT_EQ(InChannel(MakeMember(5), foreign), 0u);
  EXPECT_EQ(InChannel(MakeMember(1), foreign), 0u);  // not even the owner of guild 1
}

TEST(ChannelPermissions, BuildingBlocksMatchTheSingleEntryPoint) {
  const Channel c = MakeChannel(ChannelType::kGuildText, {RoleOverwrite(10, kManageMessages, 0)});
  const Member m = MakeMember(5, {10});
  const std::uint64_t base = ComputeBasePermissions(SeedGuild(), PlainRoles(), m);
  EXPECT_EQ(ComputeChannelPermissions(base, SeedGuild(), c, m, kNow), InChannel(m, c));
}

// ---- implicit rules ----

TEST(ImplicitRules, WithoutViewChannelNothingRemains) {
  const Channel c = MakeChannel(
      ChannelType::kGuildText, {RoleOverwrite(1, kManageMessages | kManageChannels, kViewChannel)});
  EXPECT_EQ(InChannel(MakeMember(5), c), 0u);
}

TEST(ImplicitRules, ViewChannelRegainedByRoleRestoresAccess) {
  const Channel c = MakeChannel(ChannelType::kGuildText, {RoleOverwrite(1, 0, kViewChannel),
                                                          RoleOverwrite(10, kViewChannel, 0)});
  EXPECT_EQ(InChannel(MakeMember(5, {10}), c), kPlainEveryone);
  EXPECT_EQ(InChannel(MakeMember(6), c), 0u);
}

TEST(ImplicitRules, WithoutSendMessagesTheSendingExtrasGo) {
  const Channel c = MakeChannel(ChannelType::kGuildText, {RoleOverwrite(1, 0, kSendMessages)});
  const std::uint64_t p = InChannel(MakeMember(5), c);
  EXPECT_FALSE(Has(p, kSendMessages));
  EXPECT_FALSE(Has(p, kMentionEveryone));
  EXPECT_FALSE(Has(p, kSendTtsMessages));
  EXPECT_FALSE(Has(p, kAttachFiles));
  EXPECT_FALSE(Has(p, kEmbedLinks));
  // Reading and reacting do not depend on sending.
  EXPECT_EQ(p, kViewChannel | kReadMessageHistory | kAddReactions | kConnect | kSpeak);
}

TEST(ImplicitRules, ExtrasExplicitlyAllowedStillNeedSendMessages) {
  const Channel c = MakeChannel(ChannelType::kGuildText,
                                {MemberOverwrite(5, kAttachFiles | kEmbedLinks, kSendMessages)});
  const std::uint64_t p = InChannel(MakeMember(5), c);
  EXPECT_FALSE(Has(p, kAttachFiles));
  EXPECT_FALSE(Has(p, kEmbedLinks));
}

TEST(ImplicitRules, VoiceChannelWithoutConnectLosesVoiceBits) {
  std::vector<Role> roles = PlainRoles();
  roles[1].permissions = kNeedConnect;
  const Channel voice = MakeChannel(ChannelType::kGuildVoice, {RoleOverwrite(1, 0, kConnect)});
  const std::uint64_t p = InChannel(MakeMember(5, {10}), voice, roles);
  EXPECT_EQ(p & kNeedConnect, 0u);
  EXPECT_FALSE(Has(p, kConnect));
  EXPECT_TRUE(Has(p, kViewChannel | kSendMessages));  // text chat in voice is unaffected
}

TEST(ImplicitRules, VoiceChannelWithConnectKeepsVoiceBits) {
  std::vector<Role> roles = PlainRoles();
  roles[1].permissions = kNeedConnect;
  const std::uint64_t p =
      InChannel(MakeMember(5, {10}), MakeChannel(ChannelType::kGuildVoice), roles);
  EXPECT_TRUE(Has(p, kNeedConnect | kConnect));
}

TEST(ImplicitRules, ConnectRuleAppliesOnlyToVoiceChannels) {
  const Channel text = MakeChannel(ChannelType::kGuildText, {RoleOverwrite(1, 0, kConnect)});
  EXPECT_TRUE(Has(InChannel(MakeMember(5), text), kSpeak));
}

// ---- timeouts ----

TEST(Timeout, TimedOutMemberKeepsOnlyViewAndHistory) {
  Member m = MakeMember(5, {10});
  m.communication_disabled_until_ms = kNow + 60'000;
  std::vector<Role> roles = PlainRoles();
  roles[1].permissions = kManageMessages | kKickMembers;
  EXPECT_EQ(InChannel(m, MakeChannel(), roles), kViewChannel | kReadMessageHistory);
  EXPECT_EQ(ComputeGuildPermissions(SeedGuild(), roles, m, kNow),
            kViewChannel | kReadMessageHistory);
  // Guild-level base ignores the timeout; the routes must use the timed variants.
  EXPECT_TRUE(Has(ComputeBasePermissions(SeedGuild(), roles, m), kKickMembers));
}

TEST(Timeout, OverwriteAllowCannotLiftATimeout) {
  Member m = MakeMember(5);
  m.communication_disabled_until_ms = kNow + 1;
  const Channel c = MakeChannel(ChannelType::kGuildText, {MemberOverwrite(5, kSendMessages, 0)});
  EXPECT_EQ(InChannel(m, c), kViewChannel | kReadMessageHistory);
}

TEST(Timeout, TimedOutMemberStillCannotSeeHiddenChannel) {
  Member m = MakeMember(5);
  m.communication_disabled_until_ms = kNow + 60'000;
  const Channel c = MakeChannel(ChannelType::kGuildText, {RoleOverwrite(1, 0, kViewChannel)});
  EXPECT_EQ(InChannel(m, c), 0u);
}

TEST(Timeout, ExpiredTimeoutRestoresEverything) {
  Member m = MakeMember(5);
  m.communication_disabled_until_ms = kNow - 1;
  EXPECT_EQ(InChannel(m, MakeChannel()), kPlainEveryone);
  m.communication_disabled_until_ms = kNow;  // ends exactly now: over
  EXPECT_EQ(InChannel(m, MakeChannel()), kPlainEveryone);
  EXPECT_FALSE(IsTimedOut(m, kNow));
  EXPECT_TRUE(IsTimedOut(m, kNow - 1));
  m.communication_disabled_until_ms.reset();
  EXPECT_FALSE(IsTimedOut(m, kNow));
}

TEST(Timeout, OwnerAndAdministratorsAreExempt) {
  Member owner = MakeMember(1);
  owner.communication_disabled_until_ms = kNow + 60'000;
  EXPECT_EQ(InChannel(owner, MakeChannel(), SeedRoles()), kAll);
  EXPECT_EQ(ComputeGuildPermissions(SeedGuild(), SeedRoles(), owner, kNow), kAll);
  Member admin = MakeMember(7, {2});
  admin.communication_disabled_until_ms = kNow + 60'000;
  EXPECT_EQ(InChannel(admin, MakeChannel(), SeedRoles()), kAll);
  EXPECT_EQ(ComputeGuildPermissions(SeedGuild(), SeedRoles(), admin, kNow), kAll);
}

// ---- hierarchy ----

// Roles for hierarchy tests: @everyone 0, Helper 1 (no perms), Manager 2 (MANAGE_ROLES),
// Senior 3 (MANAGE_ROLES), Admin 4 (ADMINISTRATOR).
std::vector<Role> LadderRoles() {
  return {MakeRole(1, kViewChannel, 0), MakeRole(10, 0, 1), MakeRole(11, kManageRoles, 2),
          MakeRole(12, kManageRoles, 3), MakeRole(13, kAdministrator, 4)};
}

TEST(HighestRolePosition, EveryoneOnlyIsZero) {
  EXPECT_EQ(HighestRolePosition(MakeMember(5), LadderRoles()), 0);
  EXPECT_EQ(HighestRolePosition(MakeMember(5, {1}), LadderRoles()), 0);
}

TEST(HighestRolePosition, TakesTheMaximumAndIgnoresUnknownRoles) {
  EXPECT_EQ(HighestRolePosition(MakeMember(5, {10, 12, 11}), LadderRoles()), 3);
  EXPECT_EQ(HighestRolePosition(MakeMember(5, {999, 10}), LadderRoles()), 1);
  EXPECT_EQ(HighestRolePosition(MakeMember(5, {3}), SeedRoles()), 2);
}

TEST(CanManageRole, OwnerManagesEveryRole) {
  for (const Role& r : LadderRoles()) {
    EXPECT_TRUE(CanManageRole(SeedGuild(), LadderRoles(), MakeMember(1), r, kNow)) << r.id;
  }
}

TEST(CanManageRole, ManagerManagesOnlyRolesBelowItsHighest) {
  const std::vector<Role> roles = LadderRoles();
  const Member manager = MakeMember(5, {11});                                // position 2
  EXPECT_TRUE(CanManageRole(SeedGuild(), roles, manager, roles[0], kNow));   // @everyone, 0
  EXPECT_TRUE(CanManageRole(SeedGuild(), roles, manager, roles[1], kNow));   // 1
  EXPECT_FALSE(CanManageRole(SeedGuild(), roles, manager, roles[2], kNow));  // own role, equal
  EXPECT_FALSE(CanManageRole(SeedGuild(), roles, manager, roles[3], kNow));  // above
}

TEST(CanManageRole, EqualPositionOfAnotherRoleIsRefused) {
  std::vector<Role> roles = LadderRoles();
  roles.push_back(MakeRole(14, 0, 2));
  EXPECT_FALSE(CanManageRole(SeedGuild(), roles, MakeMember(5, {11}), roles.back(), kNow));
}

TEST(CanManageRole, HighRoleWithoutManageRolesIsRefused) {
  std::vector<Role> roles = LadderRoles();
  roles.push_back(MakeRole(15, kKickMembers, 9));
  EXPECT_FALSE(CanManageRole(SeedGuild(), roles, MakeMember(5, {15}), roles[1], kNow));
}

TEST(CanManageRole, ManageRolesFromAnyRoleCountsWithHighestFromAnother) {
  std::vector<Role> roles = LadderRoles();
  roles.push_back(MakeRole(15, 0, 9));
  // MANAGE_ROLES comes from position 2, the reach from position 9.
  EXPECT_TRUE(CanManageRole(SeedGuild(), roles, MakeMember(5, {11, 15}), roles[4], kNow));
}

TEST(CanManageRole, AdministratorStillBoundByHierarchy) {
  const std::vector<Role> roles = LadderRoles();
  const Member admin = MakeMember(5, {13});
  EXPECT_TRUE(CanManageRole(SeedGuild(), roles, admin, roles[3], kNow));
  EXPECT_FALSE(CanManageRole(SeedGuild(), roles, admin, roles[4], kNow));
}

TEST(CanManageRole, SeedModeratorManagesAdminButNotTheReverse) {
  const std::vector<Role> roles = SeedRoles();
  EXPECT_TRUE(CanManageRole(SeedGuild(), roles, MakeMember(7, {3}), roles[1], kNow));
  EXPECT_FALSE(CanManageRole(SeedGuild(), roles, MakeMember(8, {2}), roles[2], kNow));
}

TEST(CanManageRole, TimedOutManagerIsRefused) {
  const std::vector<Role> roles = LadderRoles();
  Member manager = MakeMember(5, {12});
  manager.communication_disabled_until_ms = kNow + 60'000;
  EXPECT_FALSE(CanManageRole(SeedGuild(), roles, manager, roles[1], kNow));
  EXPECT_TRUE(CanManageRole(SeedGuild(), roles, manager, roles[1], kNow + 60'000));
}

TEST(CanManageRole, RoleOfAnotherGuildIsRefused) {
  const Role foreign = MakeRole(50, 0, 0, /*guild_id=*/2);
  EXPECT_FALSE(CanManageRole(SeedGuild(), LadderRoles(), MakeMember(1), foreign, kNow));
}

TEST(CanActOnMember, OwnerCannotBeActedOn) {
  const std::vector<Role> roles = LadderRoles();
  EXPECT_FALSE(CanActOnMember(SeedGuild(), roles, MakeMember(5, {13}), MakeMember(1)));
  EXPECT_FALSE(CanActOnMember(SeedGuild(), roles, MakeMember(1), MakeMember(1)));
}

TEST(CanActOnMember, OwnerActsOnAnyoneElse) {
  EXPECT_TRUE(CanActOnMember(SeedGuild(), LadderRoles(), MakeMember(1), MakeMember(5, {13})));
  EXPECT_TRUE(CanActOnMember(SeedGuild(), LadderRoles(), MakeMember(1), MakeMember(5)));
}

TEST(CanActOnMember, StrictlyHigherRoleRequired) {
  const std::vector<Role> roles = LadderRoles();
  EXPECT_TRUE(CanActOnMember(SeedGuild(), roles, MakeMember(5, {12}), MakeMember(6, {11})));
  EXPECT_TRUE(CanActOnMember(SeedGuild(), roles, MakeMember(5, {10}), MakeMember(6)));
  EXPECT_FALSE(CanActOnMember(SeedGuild(), roles, MakeMember(5, {11}), MakeMember(6, {11})));
  EXPECT_FALSE(CanActOnMember(SeedGuild(), roles, MakeMember(5, {11}), MakeMember(6, {12})));
  EXPECT_FALSE(CanActOnMember(SeedGuild(), roles, MakeMember(5), MakeMember(6)));
}

TEST(CanActOnMember, NobodyButTheOwnerActsOnThemselvesThisWay) {
  const Member m = MakeMember(5, {13});
  EXPECT_FALSE(CanActOnMember(SeedGuild(), LadderRoles(), m, m));
}

TEST(CanActOnMember, MemberOfAnotherGuildIsRefused) {
  Member target = MakeMember(6);
  target.guild_id = 2;
  EXPECT_FALSE(CanActOnMember(SeedGuild(), LadderRoles(), MakeMember(1), target));
}

TEST(CanGrantPermissions, NonAdminGrantsOnlyBitsItHolds) {
  const std::uint64_t actor = kManageRoles | kViewChannel | kSendMessages;
  EXPECT_TRUE(CanGrantPermissions(actor, kViewChannel | kSendMessages));
  EXPECT_TRUE(CanGrantPermissions(actor, 0));
  EXPECT_FALSE(CanGrantPermissions(actor, kViewChannel | kBanMembers));
  EXPECT_FALSE(CanGrantPermissions(actor, kAdministrator));
}

TEST(CanGrantPermissions, AdministratorGrantsAnyDefinedBit) {
  EXPECT_TRUE(CanGrantPermissions(kAdministrator, kAll));
  EXPECT_TRUE(CanGrantPermissions(kAll, kBanMembers));
}

TEST(CanGrantPermissions, UndefinedBitsAreNeverGrantable) {
  EXPECT_FALSE(CanGrantPermissions(kAll, 1ull << 47));
  EXPECT_FALSE(CanGrantPermissions(~0ull, 1ull << 63));
}

// ---- serialization ----

TEST(PermissionString, RoundTripsThroughDecimal) {
  for (std::uint64_t v :
       {std::uint64_t{0}, kSeedEveryone, kSeedAdmin, kSeedModerator, kAll, kBypassSlowmode}) {
    const std::string s = perm::ToString(v);
    EXPECT_EQ(ParsePermissions(s), v) << s;
  }
  EXPECT_EQ(perm::ToString(kSeedEveryone), "104324673");
  EXPECT_EQ(perm::ToString(0), "0");
  EXPECT_EQ(perm::ToString(kAll), "8866461766385663");
}

TEST(PermissionString, LeadingZerosAreAccepted) { EXPECT_EQ(ParsePermissions("0008"), 8u); }

TEST(PermissionString, RefusesJunkSignsAndWhitespace) {
  for (const char* bad : {"", " 8", "8 ", "+8", "-8", "-0", "8a", "0x8", "1e3", "8.0", "１"}) {
    EXPECT_EQ(ParsePermissions(bad), std::nullopt) << '"' << bad << '"';
  }
  EXPECT_EQ(ParsePermissions(std::string_view("8\0", 2)), std::nullopt);
}

TEST(PermissionString, RefusesOverflow) {
  EXPECT_EQ(ParsePermissions("18446744073709551616"), std::nullopt);        // 2^64
  EXPECT_EQ(ParsePermissions("99999999999999999999999999"), std::nullopt);  // way over
  EXPECT_EQ(ParsePermissions("000000000000000000008"), std::nullopt);       // 21 chars
}

TEST(PermissionString, RefusesUndefinedBits) {
  EXPECT_EQ(ParsePermissions("140737488355328"), std::nullopt);       // bit 47
  EXPECT_EQ(ParsePermissions("9007199254740992"), std::nullopt);      // bit 53
  EXPECT_EQ(ParsePermissions("18446744073709551615"), std::nullopt);  // all 64 bits
  EXPECT_EQ(ParsePermissions("8866461766385664"), std::nullopt);      // kAll + 1
}

// -- threads ------------------------------------------------------------------------------------

Channel ThreadOf(ChannelType type, bool locked = false) {
  Channel t;
  t.id = 900;
  t.type = type;
  t.parent_id = 2;
  ThreadMetadata meta;
  meta.locked = locked;
  t.thread = meta;
  return t;
}

TEST(ThreadRules, SendingInAThreadTakesSendMessagesInThreads) {
  const std::uint64_t in_parent = kSeedEveryone | perm::kSendMessagesInThreads;
  const auto p = ApplyThreadRules(in_parent, ThreadOf(ChannelType::kPublicThread), false);
  EXPECT_TRUE(perm::Has(p, perm::kViewChannel | perm::kSendMessages | perm::kAttachFiles));
  // SEND_MESSAGES in the parent does not carry over, and neither do the bits that need it.
  const auto muted = ApplyThreadRules(kSeedEveryone, ThreadOf(ChannelType::kPublicThread), false);
  EXPECT_TRUE(perm::Has(muted, perm::kViewChannel | perm::kReadMessageHistory));
  EXPECT_FALSE(muted & perm::kSendMessages);
  EXPECT_FALSE(muted & perm::kAttachFiles);
  // Unable to see the parent, nothing.
  EXPECT_EQ(
      ApplyThreadRules(in_parent & ~perm::kViewChannel, ThreadOf(ChannelType::kPublicThread), true),
      0u);
}

TEST(ThreadRules, APrivateThreadIsForItsMembersAndModerators) {
  const std::uint64_t in_parent = kSeedEveryone | perm::kSendMessagesInThreads;
  const Channel secret = ThreadOf(ChannelType::kPrivateThread);
  EXPECT_EQ(ApplyThreadRules(in_parent, secret, false), 0u);
  EXPECT_TRUE(perm::Has(ApplyThreadRules(in_parent, secret, true), perm::kSendMessages));
  EXPECT_TRUE(perm::Has(ApplyThreadRules(in_parent | perm::kManageThreads, secret, false),
                        perm::kViewChannel));
}

TEST(ThreadRules, ALockedThreadTakesMessagesOnlyFromModerators) {
  const std::uint64_t in_parent = kSeedEveryone | perm::kSendMessagesInThreads;
  const Channel locked = ThreadOf(ChannelType::kPublicThread, true);
  const auto member = ApplyThreadRules(in_parent, locked, true);
  EXPECT_TRUE(perm::Has(member, perm::kViewChannel));
  EXPECT_FALSE(member & perm::kSendMessages);
  EXPECT_TRUE(perm::Has(ApplyThreadRules(in_parent | perm::kManageThreads, locked, false),
                        perm::kSendMessages));
}

TEST(ThreadRules, ANoSendParentStillLetsThreadPostersAttachAndEmbed) {
  // Discord's usual forum-like setup: nobody sends in the channel, everyone sends in its threads.
  const Guild g = SeedGuild();
  const std::vector<Role> roles = {MakeRole(1, kSeedEveryone | kSendMessagesInThreads, 0)};
  const Channel parent =
      MakeChannel(ChannelType::kGuildText, {{1, OverwriteType::kRole, 0, kSendMessages}});
  Channel thread = ThreadOf(ChannelType::kPublicThread);
  thread.guild_id = 1;
  thread.parent_id = parent.id;
  const auto in_parent = ComputePermissions(g, roles, MakeMember(5), parent, kNow);
  EXPECT_FALSE(in_parent & (kSendMessages | kAttachFiles));
  const auto in_thread =
      ComputeThreadPermissions(g, roles, MakeMember(5), parent, thread, false, kNow);
  EXPECT_TRUE(Has(in_thread, kSendMessages | kAttachFiles | kEmbedLinks));
  // And the other way round: SEND_MESSAGES in the parent sends nothing in its threads.
  const std::vector<Role> plain = {MakeRole(1, kSeedEveryone, 0)};
  const auto muted =
      ComputeThreadPermissions(g, plain, MakeMember(5), MakeChannel(), thread, true, kNow);
  EXPECT_FALSE(muted & (kSendMessages | kAttachFiles));
}

}  // namespace
}  // namespace chat::domain
