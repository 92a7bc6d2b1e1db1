// Application command permissions: Discord's evaluation (domain/command_permissions) and their
// wire and stored forms (domain/json/command_permissions_json).
#include "domain/command_permissions.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "domain/json/command_permissions_json.hpp"

namespace chat::domain {
namespace {

namespace bj = boost::json;
using Type = CommandPermissionType;
constexpr Snowflake kGuild = 1000, kMember = 7, kMods = 20, kMuted = 21, kHere = 30, kThere = 31;

CommandVerdict Verdict(const std::vector<CommandPermission>& command,
                       const std::vector<CommandPermission>& app, Snowflake channel = kHere,
                       std::vector<Snowflake> roles = {kMods}) {
  CommandUser u;
  u.guild_id = kGuild;
  u.user_id = kMember;
  u.role_ids = roles;
  u.channel_id = channel;
  return EvaluateCommandPermissions(command, app, u);
}

TEST(CommandPermissions, NothingSetLeavesItToTheCommandsDefaults) {
  EXPECT_EQ(Verdict({}, {}), CommandVerdict::kUnset);
}

TEST(CommandPermissions, TheMemberOutweighsTheirRolesWhichOutweighEveryone) {
  const CommandPermission everyone_no{kGuild, Type::kRole, false};
  EXPECT_EQ(Verdict({everyone_no}, {}), CommandVerdict::kDenied);
  EXPECT_EQ(Verdict({everyone_no, {kMods, Type::kRole, true}}, {}), CommandVerdict::kAllowed);
  // One allowing role is enough; a denying one alone refuses.
  EXPECT_EQ(Verdict({{kMods, Type::kRole, true}, {kMuted, Type::kRole, false}}, {}, kHere,
                    {kMods, kMuted}),
            CommandVerdict::kAllowed);
  EXPECT_EQ(Verdict({{kMuted, Type::kRole, false}}, {}, kHere, {kMods, kMuted}),
            CommandVerdict::kDenied);
  EXPECT_EQ(Verdict({{kMods, Type::kRole, true}, {kMember, Type::kUser, false}}, {}),
            CommandVerdict::kDenied);
}

TEST(CommandPermissions, TheCommandOutweighsTheApplication) {
  EXPECT_EQ(Verdict({}, {{kGuild, Type::kRole, false}}), CommandVerdict::kDenied);
  EXPECT_EQ(Verdict({{kGuild, Type::kRole, true}}, {{kMember, Type::kUser, false}}),
            CommandVerdict::kAllowed);
}

TEST(CommandPermissions, ChannelsAreCheckedFirstAndTheirOwnEntryWins) {
  const std::vector<CommandPermission> only_here{{AllChannels(kGuild), Type::kChannel, false},
                                                 {kHere, Type::kChannel, true}};
  EXPECT_EQ(Verdict({}, only_here, kHere), CommandVerdict::kUnset);
  EXPECT_EQ(Verdict({}, only_here, kThere), CommandVerdict::kDenied);
  // The command's own channel entry outweighs the application's.
  EXPECT_EQ(Verdict({{kThere, Type::kChannel, true}}, only_here, kThere), CommandVerdict::kUnset);
  // A channel denial is not lifted by the member's entry.
  EXPECT_EQ(Verdict({{kMember, Type::kUser, true}}, only_here, kThere), CommandVerdict::kDenied);
  // The command index asks for no channel in particular: channel entries do not hide commands.
  EXPECT_EQ(Verdict({}, only_here, 0), CommandVerdict::kUnset);
  CommandUser admin;
  admin.guild_id = kGuild;
  admin.channel_id = kThere;
  admin.admin = true;
  EXPECT_EQ(EvaluateCommandPermissions({}, only_here, admin), CommandVerdict::kAllowed);
}

TEST(CommandPermissionsJson, APutIsReadCheckedAndStored) {
  auto parsed = json::ParseCommandPermissions(
      bj::parse(R"({"permissions":[{"id":"20","type":1,"permission":true},)"
                R"({"id":7,"type":2,"permission":false}]})")
          .as_object());
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[1].id, 7u);
  const std::string stored = json::StoredCommandPermissions(*parsed);
  EXPECT_EQ(stored, R"([{"id":"20","type":1,"permission":true},)"
                    R"({"id":"7","type":2,"permission":false}])");
  auto loaded = json::LoadCommandPermissions(stored);
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(loaded[0].type, Type::kRole);
  EXPECT_FALSE(loaded[1].permission);
  EXPECT_TRUE(json::LoadCommandPermissions("not json").empty());

  for (
      const char* bad :
      {R"({})", R"({"permissions":{}})",
       R"({"permissions":[{"id":"1","type":4,"permission":true}]})",
       R"({"permissions":[{"id":"x","type":1,"permission":true}]})",
       R"({"permissions":[{"id":"1","type":1,"permission":1}]})",
       R"({"permissions":[{"id":"1","type":1,"permission":true},{"id":1,"type":1,"permission":false}]})"}) {
    EXPECT_FALSE(json::ParseCommandPermissions(bj::parse(bad).as_object())) << bad;
  }
}

}  // namespace
}  // namespace chat::domain
