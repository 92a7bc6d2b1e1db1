// ViewerCache (service/viewer_cache.cpp) over a real in-memory SQLite store and the in-process
// bus: its lists match the uncached computation, repeated calls do not read the store, the bus
// events of writes invalidate while message events do not, changed overwrites are seen at once,
// a load that raced an invalidation is not kept, the bounds (guilds, members, age) hold, and the
// permission rows it answers are the store's.
#include "service/viewer_cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "bus/local/local_bus.hpp"
#include "domain/permissions.hpp"
#include "service/access_service.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace chat::service {
namespace {

namespace perm = domain::perm;
using domain::Snowflake;
using Ids = std::vector<Snowflake>;

constexpr Snowflake kOwner = 1, kAlice = 2, kBob = 3;
constexpr Snowflake kGuild = 10, kReaders = 20;
constexpr Snowflake kOpen = 30;     // everyone sees it
constexpr Snowflake kPrivate = 31;  // @everyone denied VIEW_CHANNEL, kReaders allowed

std::atomic<std::int64_t> fake_now{1'000'000};
std::int64_t FakeNow() { return fake_now.load(); }

class ViewerCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::OpenSqliteStore(":memory:");
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    for (Snowflake id : {kOwner, kAlice, kBob}) {
      domain::User u;
      u.id = id;
      u.username = "user" + std::to_string(id);
      u.email = u.username + "@example.com";
      ASSERT_TRUE(store_->CreateUser(u));
    }
    MakeGuild(kGuild, kOwner);
    domain::Role readers;
    readers.id = kReaders;
    readers.guild_id = kGuild;
    readers.name = "readers";
    readers.position = 1;
    ASSERT_TRUE(store_->CreateRole(readers));
    AddMember(kGuild, kAlice, {});
    AddMember(kGuild, kBob, {kReaders});
    domain::Channel open;
    open.id = kOpen;
    open.guild_id = kGuild;
    open.name = "open";
    ASSERT_TRUE(store_->CreateChannel(open));
    domain::Channel priv = open;
    priv.id = kPrivate;
    priv.name = "private";
    priv.overwrites = {{kGuild, domain::OverwriteType::kRole, 0, perm::kViewChannel},
                       {kReaders, domain::OverwriteType::kRole, perm::kViewChannel, 0}};
    ASSERT_TRUE(store_->CreateChannel(priv));
  }

  void MakeGuild(Snowflake id, Snowflake owner) {
    store::NewGuild g;
    g.guild.id = id;
    g.guild.name = "G" + std::to_string(id);
    g.guild.owner_id = owner;
    domain::Role everyone;
    everyone.id = id;
    everyone.guild_id = id;
    everyone.name = "@everyone";
    everyone.permissions = perm::kViewChannel | perm::kSendMessages;
    g.roles.push_back(everyone);
    g.owner.guild_id = id;
    g.owner.user_id = owner;
    ASSERT_TRUE(store_->CreateGuild(g));
  }

  void AddMember(Snowflake guild, Snowflake user, std::vector<Snowflake> roles) {
    domain::Member m;
    m.guild_id = guild;
    m.user_id = user;
    m.role_ids = std::move(roles);
    ASSERT_TRUE(store_->AddMember(m));
  }

  domain::Channel Channel(Snowflake id) {
    auto c = store_->GetChannel(id);
    EXPECT_TRUE(c) << c.error().message;
    return c ? *c : domain::Channel{};
  }

  Ids Viewers(ViewerCache& cache, Snowflake channel_id) {
    auto ids = cache.ChannelViewers(Channel(channel_id));
    EXPECT_TRUE(ids) << ids.error().message;
    return ids ? **ids : Ids{};
  }

  void Publish(const char* type, Snowflake guild_id) {
    bus::Event e;
    e.type = type;
    e.guild_id = guild_id;
    e.recipients = {kOwner};
    bus_.Publish(std::move(e));
  }

  std::unique_ptr<store::Store> store_;
  bus::LocalBus bus_;
};

TEST_F(ViewerCacheTest, ListsExactlyWhomTheUncachedComputationLists) {
  ViewerCache cache(*store_);
  AccessService uncached(*store_);
  EXPECT_EQ(Viewers(cache, kOpen), (Ids{kOwner, kAlice, kBob}));
  EXPECT_EQ(Viewers(cache, kPrivate), (Ids{kOwner, kBob}));
  for (Snowflake id : {kOpen, kPrivate}) {
    auto expected = uncached.ChannelViewers(Channel(id));
    ASSERT_TRUE(expected);
    EXPECT_EQ(Viewers(cache, id), *expected);
  }
  auto members = cache.GuildMembers(kGuild);
  ASSERT_TRUE(members);
  EXPECT_EQ(**members, (Ids{kOwner, kAlice, kBob}));
}

TEST_F(ViewerCacheTest, AnswersRepeatedCallsWithoutReadingTheStoreAgain) {
  ViewerCache cache(*store_);
  auto first = cache.ChannelViewers(Channel(kPrivate));
  auto second = cache.ChannelViewers(Channel(kPrivate));
  ASSERT_TRUE(first && second);
  EXPECT_EQ(*first, *second);  // the same shared list
  ASSERT_TRUE(cache.GuildMembers(kGuild));
  auto stats = cache.GetStats();
  EXPECT_EQ(stats.loads, 1u);
  EXPECT_EQ(stats.viewer_builds, 1u);
  EXPECT_EQ(stats.guilds, 1u);
  EXPECT_EQ(stats.members, 3u);
  EXPECT_EQ(stats.viewer_ids, 2u);
}

TEST_F(ViewerCacheTest, UnknownGuildIsTheStoresErrorAndNothingIsKept) {
  ViewerCache cache(*store_);
  auto members = cache.GuildMembers(999);
  ASSERT_FALSE(members);
  EXPECT_EQ(members.error().code, Errc::kNotFound);
  EXPECT_EQ(cache.GetStats().guilds, 0u);
  domain::Channel dm;
  dm.id = 77;
  dm.type = domain::ChannelType::kDm;
  EXPECT_FALSE(cache.ChannelViewers(dm));
}

TEST_F(ViewerCacheTest, MemberRemovalEventOnTheBusDropsTheRemovedMember) {
  ViewerCache cache(*store_);
  cache.Attach(bus_);
  ASSERT_EQ(Viewers(cache, kPrivate), (Ids{kOwner, kBob}));
  ASSERT_TRUE(store_->RemoveMember(kGuild, kBob));
  Publish("GUILD_MEMBER_REMOVE", kGuild);
  EXPECT_EQ(Viewers(cache, kPrivate), (Ids{kOwner}));
  EXPECT_EQ(Viewers(cache, kOpen), (Ids{kOwner, kAlice}));
  EXPECT_EQ(cache.GetStats().loads, 2u);
}

TEST_F(ViewerCacheTest, RoleAndOwnershipEventsOnTheBusAreSeen) {
  ViewerCache cache(*store_);
  cache.Attach(bus_);
  ASSERT_EQ(Viewers(cache, kPrivate), (Ids{kOwner, kBob}));
  ASSERT_TRUE(store_->RemoveMemberRole(kGuild, kBob, kReaders));
  Publish("GUILD_MEMBER_UPDATE", kGuild);
  EXPECT_EQ(Viewers(cache, kPrivate), (Ids{kOwner}));

  store::GuildUpdate update;
  update.owner_id = kAlice;
  ASSERT_TRUE(store_->UpdateGuild(kGuild, update));
  Publish("GUILD_UPDATE", kGuild);
  EXPECT_EQ(Viewers(cache, kPrivate), (Ids{kAlice}));  // the old owner has no role to see it

  store::RoleUpdate everyone_sees_all;
  everyone_sees_all.permissions = perm::kAdministrator;
  ASSERT_TRUE(store_->UpdateRole(kGuild, kGuild, everyone_sees_all));
  Publish("GUILD_ROLE_UPDATE", kGuild);
  EXPECT_EQ(Viewers(cache, kPrivate), (Ids{kOwner, kAlice, kBob}));
}

// The permission rows the cache answers are the store's own, member nickname included (a
// message's `member` shows it), and follow the bus like the viewer lists.
TEST_F(ViewerCacheTest, ChannelAccessRowsAreTheStoresOnceTheChannelsGuildIsKnown) {
  ViewerCache cache(*store_);
  cache.Attach(bus_);
  store::MemberUpdate nick;
  nick.nickname = std::string("bobby");
  ASSERT_TRUE(store_->UpdateMember(kGuild, kBob, nick));
  cache.NoteChannel(kPrivate, kGuild);
  EXPECT_FALSE(cache.ChannelAccess(kPrivate, kBob));  // no snapshot kept: it does not load one
  ASSERT_TRUE(cache.GuildMembers(kGuild));            // a message's recipients load it

  auto cached = cache.ChannelAccess(kPrivate, kBob);
  auto stored = store_->ReadChannelAccess(kPrivate, kBob, false);
  ASSERT_TRUE(cached && stored);
  EXPECT_EQ(cached->channel.id, kPrivate);
  EXPECT_EQ(cached->channel.overwrites.size(), stored->channel.overwrites.size());
  ASSERT_TRUE(cached->guild && cached->guild->member && stored->guild->member);
  EXPECT_EQ(cached->guild->guild.owner_id, kOwner);
  EXPECT_EQ(cached->guild->member->role_ids, stored->guild->member->role_ids);
  EXPECT_EQ(cached->guild->member->nickname.value_or(""), "bobby");
  EXPECT_EQ(cached->guild->roles.size(), stored->guild->roles.size());
  EXPECT_FALSE(cached->user);  // the caller reads the account when it needs it

  // The snapshot noted the guild's other channels; an outsider gets no membership.
  auto outsider = cache.ChannelAccess(kOpen, 99);
  ASSERT_TRUE(outsider && outsider->guild);
  EXPECT_FALSE(outsider->guild->member);

  ASSERT_TRUE(store_->RemoveMember(kGuild, kBob));
  Publish("GUILD_MEMBER_REMOVE", kGuild);
  EXPECT_FALSE(cache.ChannelAccess(kPrivate, kBob));  // dropped: the store answers
  ASSERT_TRUE(cache.GuildMembers(kGuild));
  auto removed = cache.ChannelAccess(kPrivate, kBob);
  ASSERT_TRUE(removed && removed->guild);
  EXPECT_FALSE(removed->guild->member);

  ASSERT_TRUE(store_->DeleteChannel(kPrivate));
  Publish("CHANNEL_DELETE", kGuild);
  ASSERT_TRUE(cache.GuildMembers(kGuild));
  EXPECT_FALSE(cache.ChannelAccess(kPrivate, kAlice));  // gone: the store says Unknown Channel
  EXPECT_TRUE(cache.ChannelAccess(kOpen, kAlice));
}

TEST_F(ViewerCacheTest, AnswersNoPermissionChecksWhenToldNotTo) {
  ViewerCacheOptions options;
  options.answer_permissions = false;  // several nodes (app.cpp)
  ViewerCache cache(*store_, options);
  ASSERT_TRUE(cache.GuildMembers(kGuild));
  cache.NoteChannel(kOpen, kGuild);
  EXPECT_FALSE(cache.ChannelAccess(kOpen, kAlice));
}

TEST_F(ViewerCacheTest, MessageTypingAndOtherGuildsEventsKeepTheEntry) {
  ViewerCache cache(*store_);
  cache.Attach(bus_);
  ASSERT_EQ(Viewers(cache, kOpen).size(), 3u);
  for (const char* type : {"MESSAGE_CREATE", "MESSAGE_REACTION_ADD", "TYPING_START",
                           "PRESENCE_UPDATE", "CHANNEL_PINS_UPDATE"}) {
    Publish(type, kGuild);
  }
  Publish("GUILD_MEMBER_REMOVE", kGuild + 1);
  bus::Event dm;  // no guild
  dm.type = "CHANNEL_CREATE";
  bus_.Publish(std::move(dm));
  ASSERT_EQ(Viewers(cache, kOpen).size(), 3u);
  EXPECT_EQ(cache.GetStats().loads, 1u);
}

TEST_F(ViewerCacheTest, ChangedOverwritesAreSeenWithoutAnInvalidation) {
  ViewerCache cache(*store_);
  ASSERT_EQ(Viewers(cache, kOpen), (Ids{kOwner, kAlice, kBob}));
  ASSERT_TRUE(
      store_->PutOverwrite(kOpen, {kAlice, domain::OverwriteType::kMember, 0, perm::kViewChannel}));
  EXPECT_EQ(Viewers(cache, kOpen), (Ids{kOwner, kBob}));
  EXPECT_EQ(cache.GetStats().loads, 1u);
  EXPECT_EQ(cache.GetStats().viewer_builds, 2u);
}

TEST_F(ViewerCacheTest, LoadThatRacedAnInvalidationIsNotKept) {
  ViewerCacheOptions options;
  ViewerCache* self = nullptr;
  bool raced = false;
  // The write commits and is invalidated after the load read the members: as if a kick ran
  // between this load's reads and its insertion.
  options.after_load = [&](Snowflake guild_id) {
    if (raced) return;
    raced = true;
    ASSERT_TRUE(store_->RemoveMemberRole(guild_id, kBob, kReaders));
    self->Invalidate(guild_id);
  };
  ViewerCache cache(*store_, options);
  self = &cache;
  EXPECT_EQ(Viewers(cache, kPrivate), (Ids{kOwner, kBob}));  // what it read, not kept
  EXPECT_EQ(cache.GetStats().guilds, 0u);
  EXPECT_EQ(Viewers(cache, kPrivate), (Ids{kOwner}));
  EXPECT_EQ(cache.GetStats().loads, 2u);
  EXPECT_EQ(cache.GetStats().guilds, 1u);
}

TEST_F(ViewerCacheTest, MissesWhileAGuildLoadsWaitForThatLoad) {
  ViewerCacheOptions options;
  ViewerCache* self = nullptr;
  std::atomic<bool> first{true};
  std::atomic<bool> all_joined{false};
  // The first load is held until the three other readers wait on it (a state, not a delay).
  options.after_load = [&](Snowflake) {
    if (!first.exchange(false)) return;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (self->GetStats().joined_loads < 3 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
    all_joined = self->GetStats().joined_loads == 3;
  };
  ViewerCache cache(*store_, options);
  self = &cache;
  std::atomic<int> right{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      auto members = cache.GuildMembers(kGuild);
      if (members && (*members)->size() == 3) ++right;
    });
  }
  for (auto& th : readers) th.join();
  EXPECT_TRUE(all_joined);
  EXPECT_EQ(right.load(), 4);
  EXPECT_EQ(cache.GetStats().loads, 1u);
}

TEST_F(ViewerCacheTest, AMissAfterAnInvalidationDoesNotWaitForALoadThatBeganBefore) {
  ViewerCacheOptions options;
  ViewerCache* self = nullptr;
  bool nested = false;
  std::optional<Ids> seen_after;
  options.after_load = [&](Snowflake guild_id) {
    if (nested) return;
    nested = true;
    // A kick commits and is invalidated while the first load is in flight; a request that
    // starts now must read it, not take the first load's members.
    ASSERT_TRUE(store_->RemoveMemberRole(guild_id, kBob, kReaders));
    self->Invalidate(guild_id);
    auto after = self->ChannelViewers(Channel(kPrivate));
    ASSERT_TRUE(after);
    seen_after = **after;
  };
  ViewerCache cache(*store_, options);
  self = &cache;
  EXPECT_EQ(Viewers(cache, kPrivate), (Ids{kOwner, kBob}));  // the first load's own caller
  ASSERT_TRUE(seen_after);
  EXPECT_EQ(*seen_after, (Ids{kOwner}));
  EXPECT_EQ(cache.GetStats().loads, 2u);
  EXPECT_EQ(cache.GetStats().joined_loads, 0u);
}

TEST_F(ViewerCacheTest, InvalidateAllAlsoStopsLoadsInFlight) {
  ViewerCacheOptions options;
  ViewerCache* self = nullptr;
  options.after_load = [&](Snowflake) { self->InvalidateAll(); };
  ViewerCache cache(*store_, options);
  self = &cache;
  ASSERT_TRUE(cache.GuildMembers(kGuild));
  EXPECT_EQ(cache.GetStats().guilds, 0u);
}

TEST_F(ViewerCacheTest, DropsTheLeastRecentlyUsedGuildWhenFull) {
  MakeGuild(11, kAlice);
  MakeGuild(12, kBob);
  ViewerCacheOptions options;
  options.max_guilds = 2;
  ViewerCache cache(*store_, options);
  ASSERT_TRUE(cache.GuildMembers(kGuild));
  ASSERT_TRUE(cache.GuildMembers(11));
  ASSERT_TRUE(cache.GuildMembers(kGuild));  // 11 is now the least recently used
  ASSERT_TRUE(cache.GuildMembers(12));
  EXPECT_EQ(cache.GetStats().guilds, 2u);
  EXPECT_EQ(cache.GetStats().loads, 3u);
  ASSERT_TRUE(cache.GuildMembers(kGuild));
  EXPECT_EQ(cache.GetStats().loads, 3u);
  ASSERT_TRUE(cache.GuildMembers(11));
  EXPECT_EQ(cache.GetStats().loads, 4u);
}

TEST_F(ViewerCacheTest, ViewerListsCountTowardsTheBound) {
  ViewerCacheOptions options;
  options.max_ids = 3 + 3 + 1;  // the members, one list of three, not a second list of two
  ViewerCache cache(*store_, options);
  ASSERT_EQ(Viewers(cache, kOpen).size(), 3u);
  EXPECT_EQ(cache.GetStats().guilds, 1u);
  ASSERT_EQ(Viewers(cache, kPrivate).size(), 2u);  // over the bound: the guild is dropped
  EXPECT_EQ(cache.GetStats().guilds, 0u);
  EXPECT_EQ(cache.GetStats().members, 0u);
  EXPECT_EQ(cache.GetStats().viewer_ids, 0u);
  ASSERT_EQ(Viewers(cache, kOpen).size(), 3u);  // and read again, still right
  EXPECT_EQ(cache.GetStats().loads, 2u);
}

TEST_F(ViewerCacheTest, GuildWithMoreMembersThanTheBoundIsReadEachTimeAndStillRight) {
  ViewerCacheOptions options;
  options.max_ids = 2;
  ViewerCache cache(*store_, options);
  EXPECT_EQ(Viewers(cache, kPrivate), (Ids{kOwner, kBob}));
  EXPECT_EQ(Viewers(cache, kPrivate), (Ids{kOwner, kBob}));
  EXPECT_EQ(cache.GetStats().loads, 2u);
  EXPECT_EQ(cache.GetStats().members, 0u);
}

TEST_F(ViewerCacheTest, EntryOlderThanMaxAgeIsReadAgain) {
  ViewerCacheOptions options;
  options.max_age = std::chrono::milliseconds(1000);
  ViewerCache cache(*store_, options, &FakeNow);
  ASSERT_EQ(Viewers(cache, kPrivate), (Ids{kOwner, kBob}));
  // A write whose event this node never got (Redis was down): visible once the entry ages out.
  ASSERT_TRUE(store_->RemoveMember(kGuild, kBob));
  fake_now += 999;
  EXPECT_EQ(Viewers(cache, kPrivate), (Ids{kOwner, kBob}));
  fake_now += 1;
  EXPECT_EQ(Viewers(cache, kPrivate), (Ids{kOwner}));
  EXPECT_EQ(cache.GetStats().loads, 2u);
}

TEST_F(ViewerCacheTest, ConcurrentReadersAndInvalidationsAgree) {
  ViewerCache cache(*store_);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  const auto priv = Channel(kPrivate);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        auto ids = cache.ChannelViewers(priv);
        if (!ids || **ids != Ids{kOwner, kBob}) ++wrong;
      }
    });
  }
  threads.emplace_back([&] {
    for (int i = 0; i < 200; ++i) cache.Invalidate(kGuild);
  });
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_LE(cache.GetStats().guilds, 1u);
}

TEST(AccessServiceWithViewerCache, AnswersDmsWithRecipientsAndGuildsFromTheCache) {
  auto opened = store::sqlite::OpenSqliteStore(":memory:");
  ASSERT_TRUE(opened);
  auto& store = **opened;
  domain::User owner;
  owner.id = kOwner;
  owner.username = "owner";
  owner.email = "owner@example.com";
  ASSERT_TRUE(store.CreateUser(owner));
  store::NewGuild g;
  g.guild.id = kGuild;
  g.guild.name = "G";
  g.guild.owner_id = kOwner;
  g.owner.user_id = kOwner;
  ASSERT_TRUE(store.CreateGuild(g));
  ViewerCache cache(store);
  AccessService access(store, &cache);
  domain::Channel dm;
  dm.id = 77;
  dm.type = domain::ChannelType::kDm;
  dm.recipient_ids = {kOwner, kAlice};
  auto dm_viewers = access.ChannelViewers(dm);
  ASSERT_TRUE(dm_viewers);
  EXPECT_EQ(*dm_viewers, (Ids{kOwner, kAlice}));
  domain::Channel text;
  text.id = kOpen;
  text.guild_id = kGuild;
  auto viewers = access.ChannelViewers(text);
  ASSERT_TRUE(viewers) << viewers.error().message;
  EXPECT_EQ(*viewers, (Ids{kOwner}));
  auto members = access.GuildMembers(kGuild);
  ASSERT_TRUE(members);
  EXPECT_EQ(*members, (Ids{kOwner}));
  EXPECT_EQ(cache.GetStats().loads, 1u);
}

}  // namespace
}  // namespace chat::service
