// AuditLogStore behaviour (migration 0004). Registered on the GuildStoreTest fixture, which every
// backend instantiates, since the audit log belongs to a guild.
#include <string>
#include <vector>

#include "store/audit_log_store.hpp"
#include "store/errors.hpp"
#include "store_fixture.hpp"
#include "store_test_util.hpp"

namespace chat::store::testing {
namespace {

const domain::Snowflake kOwner = Id(1);
const domain::Snowflake kModerator = Id(2);
const domain::Snowflake kGuild = Id(4000);
const domain::Snowflake kOtherGuild = Id(5000);

void Seed(Store& store) {
  ASSERT_TRUE(store.CreateUser(MakeUser(kOwner, "owner")));
  ASSERT_TRUE(store.CreateUser(MakeUser(kModerator, "moderator")));
  ASSERT_TRUE(store.CreateGuild(MakeGuild(kGuild, kOwner)));
  ASSERT_TRUE(store.CreateGuild(MakeGuild(kOtherGuild, kOwner, "Other")));
}

domain::AuditLogEntry Entry(domain::Snowflake id, domain::Snowflake user,
                            domain::AuditLogAction action, domain::Snowflake guild = kGuild) {
  domain::AuditLogEntry e;
  e.id = id;
  e.guild_id = guild;
  e.user_id = user;
  e.action_type = static_cast<int>(action);
  return e;
}

std::vector<domain::Snowflake> Ids(const Result<std::vector<domain::AuditLogEntry>>& entries) {
  std::vector<domain::Snowflake> out;
  if (!entries) {
    ADD_FAILURE() << entries.error().message;
    return out;
  }
  for (const auto& e : *entries) out.push_back(e.id);
  return out;
}

// Ten entries 100..109 in kGuild: even ids by the owner renaming channels, odd ids by the
// moderator kicking; one entry in the other guild.
void SeedEntries(Store& store) {
  for (std::uint64_t n = 0; n < 10; ++n) {
    const bool even = n % 2 == 0;
    ASSERT_TRUE(store.AppendAuditLogEntry(Entry(
        Id(100 + n), even ? kOwner : kModerator,
        even ? domain::AuditLogAction::kChannelUpdate : domain::AuditLogAction::kMemberKick)));
  }
  ASSERT_TRUE(store.AppendAuditLogEntry(
      Entry(Id(200), kOwner, domain::AuditLogAction::kGuildUpdate, kOtherGuild)));
}

TEST_P(GuildStoreTest, AuditLogEntryReadsBackByteForByte) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  domain::AuditLogEntry e = Entry(Id(100), kModerator, domain::AuditLogAction::kMemberBanAdd);
  e.target_id = kOwner;
  e.changes = R"([{"key":"nick","old_value":"a","new_value":"b"}])";
  e.options = R"({"channel_id":"1","count":"1"})";
  e.reason = "spam — ünïcode ✓";
  ASSERT_TRUE(store().AppendAuditLogEntry(e));
  ASSERT_TRUE(
      store().AppendAuditLogEntry(Entry(Id(101), kOwner, domain::AuditLogAction::kRoleCreate)));
  AuditLogQuery q;
  q.guild_id = kGuild;
  auto list = store().ListAuditLogEntries(q);
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->size(), 2u);
  const auto& got = (*list)[1];
  EXPECT_EQ(got.id, e.id);
  EXPECT_EQ(got.guild_id, kGuild);
  EXPECT_EQ(got.user_id, kModerator);
  EXPECT_EQ(got.target_id, kOwner);
  EXPECT_EQ(got.action_type, 22);
  EXPECT_EQ(got.changes, e.changes);
  EXPECT_EQ(got.options, e.options);
  EXPECT_EQ(got.reason, e.reason);
  // The bare entry keeps its absences.
  EXPECT_EQ((*list)[0].target_id, std::nullopt);
  EXPECT_EQ((*list)[0].changes, "");
  EXPECT_EQ((*list)[0].options, "");
  EXPECT_EQ((*list)[0].reason, std::nullopt);
}

TEST_P(GuildStoreTest, AuditLogListsNewestFirstWithinTheGuildOnly) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_NO_FATAL_FAILURE(SeedEntries(store()));
  AuditLogQuery q;
  q.guild_id = kGuild;
  auto ids = Ids(store().ListAuditLogEntries(q));
  ASSERT_EQ(ids.size(), 10u);
  EXPECT_EQ(ids.front(), Id(109));
  EXPECT_EQ(ids.back(), Id(100));
  q.limit = 3;
  EXPECT_EQ(Ids(store().ListAuditLogEntries(q)),
            (std::vector<domain::Snowflake>{Id(109), Id(108), Id(107)}));
}

TEST_P(GuildStoreTest, AuditLogFiltersByActorAndActionType) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_NO_FATAL_FAILURE(SeedEntries(store()));
  AuditLogQuery q;
  q.guild_id = kGuild;
  q.user_id = kModerator;
  EXPECT_EQ(Ids(store().ListAuditLogEntries(q)),
            (std::vector<domain::Snowflake>{Id(109), Id(107), Id(105), Id(103), Id(101)}));
  q.user_id.reset();
  q.action_type = static_cast<int>(domain::AuditLogAction::kChannelUpdate);
  EXPECT_EQ(Ids(store().ListAuditLogEntries(q)),
            (std::vector<domain::Snowflake>{Id(108), Id(106), Id(104), Id(102), Id(100)}));
  q.user_id = kModerator;  // both filters: nobody matches
  EXPECT_TRUE(Ids(store().ListAuditLogEntries(q)).empty());
}

TEST_P(GuildStoreTest, AuditLogPagesWithBeforeAndAfter) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_NO_FATAL_FAILURE(SeedEntries(store()));
  AuditLogQuery q;
  q.guild_id = kGuild;
  q.limit = 3;
  q.before = Id(105);
  EXPECT_EQ(Ids(store().ListAuditLogEntries(q)),
            (std::vector<domain::Snowflake>{Id(104), Id(103), Id(102)}));
  // `after` takes the entries right above it, still newest first.
  q.before.reset();
  q.after = Id(102);
  EXPECT_EQ(Ids(store().ListAuditLogEntries(q)),
            (std::vector<domain::Snowflake>{Id(105), Id(104), Id(103)}));
  q.before = Id(105);
  q.limit = 50;
  EXPECT_EQ(Ids(store().ListAuditLogEntries(q)),
            (std::vector<domain::Snowflake>{Id(104), Id(103)}));
}

TEST_P(GuildStoreTest, AuditLogLimitIsClamped) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_NO_FATAL_FAILURE(SeedEntries(store()));
  AuditLogQuery q;
  q.guild_id = kGuild;
  q.limit = 0;
  EXPECT_EQ(Ids(store().ListAuditLogEntries(q)).size(), 1u);
  q.limit = 100000;
  EXPECT_EQ(Ids(store().ListAuditLogEntries(q)).size(), 10u);
}

TEST_P(GuildStoreTest, AuditLogOfAnUnknownGuildIsRefusedAndDeletingAGuildDropsIt) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_NO_FATAL_FAILURE(SeedEntries(store()));
  auto missing = store().AppendAuditLogEntry(
      Entry(Id(300), kOwner, domain::AuditLogAction::kGuildUpdate, Id(999999)));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().api_code, kUnknownGuild);
  ASSERT_TRUE(store().DeleteGuild(kGuild));
  AuditLogQuery q;
  q.guild_id = kGuild;
  EXPECT_TRUE(Ids(store().ListAuditLogEntries(q)).empty());
  q.guild_id = kOtherGuild;
  EXPECT_EQ(Ids(store().ListAuditLogEntries(q)), (std::vector<domain::Snowflake>{Id(200)}));
}

}  // namespace
}  // namespace chat::store::testing
