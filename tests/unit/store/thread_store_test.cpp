// ThreadStore behaviour, and how threads show through ChannelStore, against every backend.
#include <string>

#include "store/errors.hpp"
#include "store_fixture.hpp"
#include "store_test_util.hpp"

namespace chat::store::testing {
namespace {

constexpr domain::Snowflake kOwner = 1, kMember = 2, kGuild = 100, kText = 102, kVoice = 103;
constexpr std::int64_t kT0 = 1'700'000'000'000;

domain::Channel Thread(domain::Snowflake id,
                       domain::ChannelType type = domain::ChannelType::kPublicThread,
                       domain::Snowflake parent = kText) {
  domain::Channel c;
  c.id = id;
  c.guild_id = kGuild;
  c.type = type;
  c.name = "Thread " + std::to_string(id);
  c.parent_id = parent;
  domain::ThreadMetadata t;
  t.owner_id = kOwner;
  t.auto_archive_duration = 60;
  t.archive_timestamp_ms = kT0;
  t.create_timestamp_ms = kT0;
  t.invitable = false;
  c.thread = t;
  return c;
}

void Seed(Store& store) {
  ASSERT_TRUE(store.CreateUser(MakeUser(kOwner, "owner")));
  ASSERT_TRUE(store.CreateUser(MakeUser(kMember, "member")));
  ASSERT_TRUE(store.CreateGuild(MakeGuild(kGuild, kOwner)));
  domain::Member m;
  m.guild_id = kGuild;
  m.user_id = kMember;
  ASSERT_TRUE(store.AddMember(m));
}

TEST_P(ThreadStoreTest, AForumKeepsItsSettingsAndItsPostsTheirTags) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  domain::Channel forum;
  forum.id = 150;
  forum.guild_id = kGuild;
  forum.type = domain::ChannelType::kGuildForum;
  forum.name = "help";
  forum.flags = domain::kChannelFlagRequireTag;
  forum.forum_json = R"({"available_tags":[]})";
  ASSERT_TRUE(store().CreateChannel(forum));
  auto read = store().GetChannel(150);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->flags, domain::kChannelFlagRequireTag);
  EXPECT_EQ(read->forum_json, forum.forum_json);
  ChannelUpdate settings;
  settings.forum_json = R"({"default_forum_layout":1})";
  settings.flags = 0;
  ASSERT_TRUE(store().UpdateChannel(150, settings));
  read = store().GetChannel(150);
  EXPECT_EQ(read->flags, 0);
  EXPECT_EQ(read->forum_json, R"({"default_forum_layout":1})");

  domain::Channel post = Thread(500, domain::ChannelType::kPublicThread, 150);
  post.applied_tags = {7, 9};
  ASSERT_TRUE(store().CreateThread(post, {{500, kOwner, kT0, 0}}));
  EXPECT_EQ(store().GetChannel(500)->applied_tags, (std::vector<domain::Snowflake>{7, 9}));
  ThreadUpdate retag;
  retag.applied_tags = std::vector<domain::Snowflake>{};
  retag.now_ms = kT0;
  auto updated = store().UpdateThread(500, retag);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_TRUE(updated->applied_tags.empty());
  retag.applied_tags = std::vector<domain::Snowflake>{9};
  EXPECT_EQ(store().UpdateThread(500, retag)->applied_tags, std::vector<domain::Snowflake>{9});
  EXPECT_EQ(store().GetChannel(102)->flags, 0);  // other channels keep none
}

TEST_P(ThreadStoreTest, AThreadIsReadLikeAChannelButNotListedWithThem) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_TRUE(store().CreateThread(Thread(500), {{500, kOwner, kT0, 0}}));
  ASSERT_TRUE(store().CreateMessage(MakeMessage(600, 500, kOwner, "in the thread")));
  auto got = store().GetChannel(500);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->type, domain::ChannelType::kPublicThread);
  EXPECT_EQ(got->parent_id, kText);
  ASSERT_TRUE(got->thread);
  EXPECT_EQ(got->thread->owner_id, kOwner);
  EXPECT_EQ(got->thread->auto_archive_duration, 60);
  EXPECT_EQ(got->thread->create_timestamp_ms, kT0);
  EXPECT_FALSE(got->thread->invitable);
  EXPECT_EQ(got->thread->message_count, 1);
  EXPECT_EQ(got->thread->member_count, 1);
  EXPECT_EQ(got->last_message_id, 600u);
  EXPECT_FALSE(store().GetChannel(kText)->thread);

  auto channels = store().ListChannels(kGuild);
  ASSERT_TRUE(channels);
  for (const auto& c : *channels) EXPECT_NE(c.id, 500u);
  // One thread per id: a thread started from a message takes the message's.
  EXPECT_TRUE(IsError(store().CreateThread(Thread(500), {}), Errc::kConflict));
  EXPECT_TRUE(
      IsError(store().CreateThread(Thread(501, domain::ChannelType::kPublicThread, 999), {}),
              Errc::kNotFound, kUnknownChannel));
  // No threads of threads.
  EXPECT_TRUE(
      IsError(store().CreateThread(Thread(502, domain::ChannelType::kPublicThread, 500), {}),
              Errc::kNotFound, kUnknownChannel));
}

TEST_P(ThreadStoreTest, MembersJoinLeaveAndGoWhenTheyLeaveTheGuild) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_TRUE(store().CreateThread(Thread(500), {{500, kOwner, kT0, 0}}));
  auto added = store().AddThreadMember({500, kMember, kT0 + 5, 0});
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_TRUE(*added);
  EXPECT_FALSE(*store().AddThreadMember({500, kMember, kT0 + 9, 0}));  // already in
  auto member = store().GetThreadMember(500, kMember);
  ASSERT_TRUE(member && *member);
  EXPECT_EQ((*member)->join_timestamp_ms, kT0 + 5);
  auto all = store().ListThreadMembers(500);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].user_id, kOwner);
  EXPECT_EQ(store().GetChannel(500)->thread->member_count, 2);
  EXPECT_TRUE(
      IsError(store().AddThreadMember({kText, kMember, kT0, 0}), Errc::kNotFound, kUnknownChannel));
  EXPECT_TRUE(IsError(store().AddThreadMember({500, 77, kT0, 0}), Errc::kNotFound, kUnknownUser));

  auto joined = store().ListJoinedActiveThreads(kGuild, kMember);
  ASSERT_TRUE(joined);
  ASSERT_EQ(joined->size(), 1u);
  ASSERT_TRUE(store().RemoveMember(kGuild, kMember));
  EXPECT_FALSE(*store().GetThreadMember(500, kMember));
  EXPECT_FALSE(*store().RemoveThreadMember(500, kMember));
  EXPECT_TRUE(*store().RemoveThreadMember(500, kOwner));
  EXPECT_TRUE(store().ListThreadMembers(500)->empty());
}

TEST_P(ThreadStoreTest, ArchivingMovesAThreadBetweenTheActiveAndArchivedLists) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_TRUE(store().CreateThread(Thread(500), {}));
  ASSERT_TRUE(store().CreateThread(Thread(501), {}));
  ASSERT_TRUE(store().CreateThread(Thread(502, domain::ChannelType::kPrivateThread),
                                   {{502, kMember, kT0, 0}}));
  EXPECT_EQ(store().ListActiveThreads(kGuild)->size(), 3u);

  ThreadUpdate archive;
  archive.archived = true;
  archive.name = "Renamed";
  archive.locked = true;
  archive.now_ms = kT0 + 100;
  auto done = store().UpdateThread(500, archive);
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_TRUE(done->thread->archived);
  EXPECT_TRUE(done->thread->locked);
  EXPECT_EQ(done->name, "Renamed");
  EXPECT_EQ(done->thread->archive_timestamp_ms, kT0 + 100);
  archive.name.reset();
  archive.locked.reset();
  archive.now_ms = kT0 + 200;
  // Archiving again is no change: the timestamp stays.
  EXPECT_EQ(store().UpdateThread(500, archive)->thread->archive_timestamp_ms, kT0 + 100);
  ASSERT_TRUE(store().UpdateThread(501, archive));
  ASSERT_TRUE(store().UpdateThread(502, archive));
  EXPECT_TRUE(store().ListActiveThreads(kGuild)->empty());
  auto all = store().ListThreadAccess(kGuild, kMember);
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 3u);  // archived or not
  EXPECT_TRUE((*all)[0].locked);
  EXPECT_EQ((*all)[0].parent_id, kText);
  EXPECT_FALSE((*all)[1].joined);
  EXPECT_EQ((*all)[2].type, domain::ChannelType::kPrivateThread);
  EXPECT_TRUE((*all)[2].joined);

  ArchivedThreadQuery q;
  q.parent_id = kText;
  auto page = store().ListArchivedThreads(q);
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].id, 501u);  // newest archive first
  q.before_ms = kT0 + 200;
  page = store().ListArchivedThreads(q);
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].id, 500u);
  q = {};
  q.parent_id = kText;
  q.private_threads = true;
  EXPECT_EQ(store().ListArchivedThreads(q)->size(), 1u);
  q.member_id = kOwner;
  EXPECT_TRUE(store().ListArchivedThreads(q)->empty());
  q.member_id = kMember;
  EXPECT_EQ(store().ListArchivedThreads(q)->size(), 1u);

  EXPECT_TRUE(IsError(store().UpdateThread(kText, archive), Errc::kNotFound, kUnknownChannel));
}

TEST_P(ThreadStoreTest, DeletingTheParentDeletesItsThreads) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_TRUE(store().CreateThread(Thread(500), {{500, kOwner, kT0, 0}}));
  ASSERT_TRUE(store().CreateMessage(MakeMessage(600, 500, kOwner, "gone too")));
  ASSERT_TRUE(store().DeleteChannel(kText));
  EXPECT_TRUE(IsError(store().GetChannel(500), Errc::kNotFound, kUnknownChannel));
  EXPECT_TRUE(store().ListActiveThreads(kGuild)->empty());
  EXPECT_TRUE(store().GetChannel(kVoice));
}

TEST_P(ThreadStoreTest, IdleThreadsAreArchivedOnceTheirDurationHasPassed) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  constexpr std::int64_t kMinute = 60'000;
  ASSERT_TRUE(store().CreateThread(Thread(500), {}));  // 60 minutes, opened at kT0
  ASSERT_TRUE(store().CreateThread(Thread(501), {}));
  // A message half an hour in keeps 501 open until an hour after it.
  const auto later = domain::SnowflakeFromUnixMs(kT0 + 30 * kMinute);
  ASSERT_TRUE(store().CreateMessage(MakeMessage(later, 501, kOwner, "still here")));

  auto none = store().ArchiveIdleThreads(kT0 + 59 * kMinute, 100);
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_TRUE(none->empty());
  auto first = store().ArchiveIdleThreads(kT0 + 61 * kMinute, 100);
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].id, 500u);
  EXPECT_TRUE((*first)[0].thread->archived);
  EXPECT_EQ((*first)[0].thread->archive_timestamp_ms, kT0 + 61 * kMinute);
  auto second = store().ArchiveIdleThreads(kT0 + 91 * kMinute, 100);
  ASSERT_TRUE(second);
  ASSERT_EQ(second->size(), 1u);  // 500 is not archived twice
  EXPECT_EQ((*second)[0].id, 501u);
  EXPECT_TRUE(store().ListActiveThreads(kGuild)->empty());
}

}  // namespace
}  // namespace chat::store::testing
