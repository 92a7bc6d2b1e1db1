// PollStore behaviour against every backend: a poll is written with its message and goes with it,
// votes replace a user's choice and report what changed, no vote lands once the poll has ended or
// been counted, ending is a compare-and-set, and the sweep finds exactly the polls that are due.
#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include "store/errors.hpp"
#include "store/poll_store.hpp"
#include "store_fixture.hpp"
#include "store_test_util.hpp"

namespace chat::store::testing {
namespace {

constexpr domain::Snowflake kOwner = 1, kAlice = 2, kBob = 3, kGuild = 100;
constexpr domain::Snowflake kText = kGuild + 2;  // MakeGuild's text channel
constexpr std::int64_t kHour = 3'600'000, kT0 = 1'900'000'000'000;

void Seed(Store& store) {
  ASSERT_TRUE(store.CreateUser(MakeUser(kOwner, "owner")));
  ASSERT_TRUE(store.CreateUser(MakeUser(kAlice, "alice")));
  ASSERT_TRUE(store.CreateUser(MakeUser(kBob, "bob")));
  ASSERT_TRUE(store.CreateGuild(MakeGuild(kGuild, kOwner)));
}

void SendPoll(Store& store, domain::Snowflake id, std::int64_t expires_at) {
  domain::Message m = MakeMessage(id, kText, kOwner, "");
  m.poll_json = R"({"question":{"text":"Lunch?"},"answers":[]})";
  m.poll_expires_at_ms = expires_at;
  ASSERT_TRUE(store.CreateMessage(m));
}

domain::PollTally TallyOf(Store& store, domain::Snowflake id, domain::Snowflake viewer) {
  const domain::Snowflake ids[] = {id};
  auto tallies = store.ListPollTallies(ids, viewer);
  EXPECT_TRUE(tallies);
  if (!tallies || tallies->size() != 1) return {};
  return tallies->front().second;
}

using Counts = std::vector<std::pair<int, std::int64_t>>;

TEST_P(PollStoreTest, VotesReplaceAUsersChoiceAndAreCountedPerAnswer) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_NO_FATAL_FAILURE(SendPoll(store(), 500, kT0 + kHour));
  auto m = store().GetMessage(kText, 500);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->poll_json, R"({"question":{"text":"Lunch?"},"answers":[]})");

  const int one[] = {1}, two_three[] = {2, 3};
  auto change = store().SetPollVotes(500, kAlice, one, kT0);
  ASSERT_TRUE(change && *change);
  EXPECT_EQ((*change)->added, std::vector<int>{1});
  EXPECT_TRUE((*change)->removed.empty());
  change = store().SetPollVotes(500, kAlice, two_three, kT0);
  ASSERT_TRUE(change && *change);
  EXPECT_EQ((*change)->added, (std::vector<int>{2, 3}));
  EXPECT_EQ((*change)->removed, std::vector<int>{1});
  change = store().SetPollVotes(500, kBob, std::span<const int>(), kT0);
  ASSERT_TRUE(change && *change);
  EXPECT_TRUE((*change)->added.empty() && (*change)->removed.empty());
  ASSERT_TRUE(store().SetPollVotes(500, kBob, std::span<const int>(two_three + 1, 1), kT0));  // {3}

  domain::PollTally alice = TallyOf(store(), 500, kAlice);
  EXPECT_EQ(alice.counts, (Counts{{2, 1}, {3, 2}}));
  EXPECT_EQ(alice.mine, (std::vector<int>{2, 3}));
  EXPECT_EQ(alice.expires_at_ms, kT0 + kHour);
  EXPECT_FALSE(alice.finalized);
  EXPECT_TRUE(TallyOf(store(), 500, 0).mine.empty());

  auto voters = store().ListPollVoters(500, 3, 0, 10);
  ASSERT_TRUE(voters);
  EXPECT_EQ(*voters, (std::vector<domain::Snowflake>{kAlice, kBob}));
  voters = store().ListPollVoters(500, 3, kAlice, 10);
  ASSERT_TRUE(voters);
  EXPECT_EQ(*voters, std::vector<domain::Snowflake>{kBob});
  voters = store().ListPollVoters(500, 3, 0, 1);
  ASSERT_TRUE(voters);
  EXPECT_EQ(*voters, std::vector<domain::Snowflake>{kAlice});

  // A message without a poll has no tally and takes no votes.
  ASSERT_TRUE(store().CreateMessage(MakeMessage(501, kText, kOwner, "plain")));
  const domain::Snowflake both[] = {500, 501};
  auto tallies = store().ListPollTallies(both, kAlice);
  ASSERT_TRUE(tallies);
  ASSERT_EQ(tallies->size(), 1u);
  EXPECT_EQ(tallies->front().first, 500u);
  EXPECT_TRUE(IsError(store().SetPollVotes(501, kAlice, one, kT0), Errc::kNotFound, 10008));

  // Deleting the message deletes its poll and votes.
  ASSERT_TRUE(store().DeleteMessage(kText, 500));
  EXPECT_TRUE(IsError(store().SetPollVotes(500, kAlice, one, kT0), Errc::kNotFound, 10008));
  voters = store().ListPollVoters(500, 3, 0, 10);
  ASSERT_TRUE(voters);
  EXPECT_TRUE(voters->empty());
}

TEST_P(PollStoreTest, NoVoteLandsAfterThePollEndsAndItEndsOnce) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_NO_FATAL_FAILURE(SendPoll(store(), 500, kT0 + kHour));
  ASSERT_NO_FATAL_FAILURE(SendPoll(store(), 501, kT0 + 2 * kHour));
  const int one[] = {1};
  // Past its expiry, a poll nobody counted yet still refuses votes.
  auto late = store().SetPollVotes(500, kAlice, one, kT0 + kHour);
  ASSERT_TRUE(late);
  EXPECT_FALSE(*late);
  ASSERT_TRUE(store().SetPollVotes(501, kAlice, one, kT0));

  auto due = store().ListDuePolls(kT0 + kHour, 10);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].message_id, 500u);
  EXPECT_EQ((*due)[0].channel_id, kText);

  // Ended early: the expiry moves to the end; a second end finds it ended.
  auto ended = store().FinalizePoll(501, kT0 + 10, kT0 + 10);
  ASSERT_TRUE(ended);
  EXPECT_TRUE(*ended);
  ended = store().FinalizePoll(501, kT0 + 20, kT0 + 20);
  ASSERT_TRUE(ended);
  EXPECT_FALSE(*ended);
  domain::PollTally tally = TallyOf(store(), 501, kAlice);
  EXPECT_TRUE(tally.finalized);
  EXPECT_EQ(tally.expires_at_ms, kT0 + 10);
  EXPECT_EQ(tally.counts, (Counts{{1, 1}}));
  auto refused = store().SetPollVotes(501, kBob, one, kT0 + 11);
  ASSERT_TRUE(refused);
  EXPECT_FALSE(*refused);

  // Ended late (the sweep): the expiry stays when it was earlier.
  ended = store().FinalizePoll(500, kT0 + 3 * kHour, kT0 + 3 * kHour);
  ASSERT_TRUE(ended && *ended);
  EXPECT_EQ(TallyOf(store(), 500, 0).expires_at_ms, kT0 + kHour);
  due = store().ListDuePolls(kT0 + 5 * kHour, 10);
  ASSERT_TRUE(due);
  EXPECT_TRUE(due->empty());
  EXPECT_TRUE(IsError(store().FinalizePoll(999, kT0, kT0), Errc::kNotFound, 10008));
}

// One user's votes sent at once (a double click, two tabs) are applied one after the other: each
// sees the choice the one before it left, none fails, and the user ends with one answer.
TEST_P(PollStoreTest, ConcurrentVotesOfOneUserAreAppliedInTurn) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_NO_FATAL_FAILURE(SendPoll(store(), 500, kT0 + kHour));
  constexpr int kThreads = 8;
  std::latch start(kThreads);
  std::atomic<int> failures = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const int answer[] = {1 + t % 2};
      start.arrive_and_wait();
      for (int i = 0; i < 10; ++i) {
        if (!store().SetPollVotes(500, kAlice, answer, kT0)) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  domain::PollTally tally = TallyOf(store(), 500, kAlice);
  ASSERT_EQ(tally.mine.size(), 1u);
  EXPECT_EQ(tally.counts, (Counts{{tally.mine[0], 1}}));
}

}  // namespace
}  // namespace chat::store::testing
