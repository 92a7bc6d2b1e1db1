// InviteStore behaviour (invites and bans, migration 0002). Registered on the GuildStoreTest
// fixture, which every backend instantiates, since invites and bans belong to a guild.
#include <atomic>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "store/errors.hpp"
#include "store/invite_store.hpp"
#include "store_fixture.hpp"
#include "store_test_util.hpp"

namespace chat::store::testing {
namespace {

const domain::Snowflake kOwner = Id(1);
const domain::Snowflake kGuest = Id(2);
const domain::Snowflake kGuild = Id(3000);
const domain::Snowflake kText = kGuild + 2;
constexpr std::int64_t kNow = 1800000000000;

void Seed(Store& store) {
  ASSERT_TRUE(store.CreateUser(MakeUser(kOwner, "owner")));
  ASSERT_TRUE(store.CreateUser(MakeUser(kGuest, "guest")));
  ASSERT_TRUE(store.CreateGuild(MakeGuild(kGuild, kOwner)));
}

Invite MakeInvite(const std::string& code, int max_uses = 0, int max_age = 0) {
  Invite i;
  i.code = code;
  i.guild_id = kGuild;
  i.channel_id = kText;
  i.inviter_id = kOwner;
  i.max_uses = max_uses;
  i.max_age = max_age;
  i.created_at_ms = kNow;
  return i;
}

TEST_P(GuildStoreTest, InviteReadsBackAndListsPerChannelAndGuild) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_TRUE(store().CreateInvite(MakeInvite("abcDEF12", 5, 3600)));
  auto got = store().GetInvite("abcDEF12");
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->guild_id, kGuild);
  EXPECT_EQ(got->channel_id, kText);
  EXPECT_EQ(got->inviter_id, kOwner);
  EXPECT_EQ(got->max_uses, 5);
  EXPECT_EQ(got->max_age, 3600);
  EXPECT_EQ(got->uses, 0);
  EXPECT_EQ(got->created_at_ms, kNow);
  EXPECT_EQ(store().ListChannelInvites(kText)->size(), 1u);
  EXPECT_EQ(store().ListGuildInvites(kGuild)->size(), 1u);
  // Codes are case-sensitive, as Discord's are.
  EXPECT_EQ(store().GetInvite("abcdef12").error().api_code, kUnknownInvite);
  EXPECT_EQ(store().CreateInvite(MakeInvite("abcDEF12")).error().code, Errc::kConflict);
}

TEST_P(GuildStoreTest, InviteOnAChannelOfAnotherGuildIsRefused) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  Invite bad = MakeInvite("zzz");
  bad.channel_id = Id(999999);
  EXPECT_EQ(store().CreateInvite(bad).error().api_code, kUnknownChannel);
}

TEST_P(GuildStoreTest, UseInviteStopsAtMaxUsesAndAtExpiry) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_TRUE(store().CreateInvite(MakeInvite("twice", 2, 0)));
  ASSERT_TRUE(store().CreateInvite(MakeInvite("hour", 0, 3600)));
  EXPECT_EQ(store().UseInvite("twice", kNow)->uses, 1);
  EXPECT_EQ(store().UseInvite("twice", kNow)->uses, 2);
  EXPECT_EQ(store().UseInvite("twice", kNow).error().api_code, kUnknownInvite);
  EXPECT_TRUE(store().UseInvite("hour", kNow + 3599 * 1000));
  EXPECT_EQ(store().UseInvite("hour", kNow + 3600 * 1000).error().api_code, kUnknownInvite);
  EXPECT_EQ(store().UseInvite("missing", kNow).error().api_code, kUnknownInvite);
}

TEST_P(GuildStoreTest, ConcurrentInviteUsesNeverExceedMaxUses) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_TRUE(store().CreateInvite(MakeInvite("race", 3, 0)));
  constexpr int kThreads = 8;
  std::atomic<int> wins{0};
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      for (int i = 0; i < 3; ++i) {
        if (store().UseInvite("race", kNow)) ++wins;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wins.load(), 3);
  EXPECT_EQ(store().GetInvite("race")->uses, 3);
}

TEST_P(GuildStoreTest, DeletingInvitesChannelsAndGuildsRemovesInvites) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_TRUE(store().CreateInvite(MakeInvite("one")));
  ASSERT_TRUE(store().CreateInvite(MakeInvite("two")));
  ASSERT_TRUE(store().DeleteInvite("one"));
  EXPECT_EQ(store().DeleteInvite("one").error().api_code, kUnknownInvite);
  ASSERT_TRUE(store().DeleteChannel(kText));
  EXPECT_EQ(store().GetInvite("two").error().api_code, kUnknownInvite);
  ASSERT_TRUE(store().DeleteGuild(kGuild));
  EXPECT_TRUE(store().ListGuildInvites(kGuild)->empty());
}

TEST_P(GuildStoreTest, BanRemovesTheMemberAndReadsBack) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  domain::Member m;
  m.guild_id = kGuild;
  m.user_id = kGuest;
  ASSERT_TRUE(store().AddMember(m));
  ASSERT_TRUE(store().PutBan(Ban{kGuild, kGuest, std::string("spam"), kNow}));
  EXPECT_FALSE(*store().IsMember(kGuild, kGuest));
  auto ban = store().GetBan(kGuild, kGuest);
  ASSERT_TRUE(ban);
  EXPECT_EQ(ban->reason, "spam");
  // Banning again replaces the reason rather than failing.
  ASSERT_TRUE(store().PutBan(Ban{kGuild, kGuest, std::nullopt, kNow}));
  EXPECT_EQ(store().GetBan(kGuild, kGuest)->reason, std::nullopt);
  auto list = store().ListBans(kGuild, 0, 10);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().user_id, kGuest);
  EXPECT_TRUE(store().ListBans(kGuild, kGuest, 10)->empty());
  ASSERT_TRUE(store().DeleteBan(kGuild, kGuest));
  EXPECT_EQ(store().GetBan(kGuild, kGuest).error().api_code, kUnknownBan);
  EXPECT_EQ(store().DeleteBan(kGuild, kGuest).error().api_code, kUnknownBan);
  EXPECT_EQ(store().PutBan(Ban{kGuild, Id(424242), std::nullopt, kNow}).error().api_code,
            kUnknownUser);
}

}  // namespace
}  // namespace chat::store::testing
