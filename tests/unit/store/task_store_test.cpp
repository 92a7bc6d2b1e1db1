// TaskStore behaviour against every backend: the work a change calls for is written in the
// change's own transaction (an ended poll, a published message, its edit or deletion) and only
// then; the writer holds
// it until its due time, after which one claim at a time takes it; a result written with the
// task's completion is written once, however many runs try.
#include <algorithm>
#include <mutex>
#include <thread>
#include <vector>

#include "store/errors.hpp"
#include "store/task_store.hpp"
#include "store_fixture.hpp"
#include "store_test_util.hpp"

namespace chat::store::testing {
namespace {

constexpr domain::Snowflake kOwner = 1, kGuild = 100;
constexpr domain::Snowflake kText = kGuild + 2;  // MakeGuild's text channel
constexpr std::int64_t kLease = 60'000, kT0 = 1'900'000'000'000;

void Seed(Store& store) {
  ASSERT_TRUE(store.CreateUser(MakeUser(kOwner, "owner")));
  ASSERT_TRUE(store.CreateGuild(MakeGuild(kGuild, kOwner)));
}

void SendPoll(Store& store, domain::Snowflake id) {
  domain::Message m = MakeMessage(id, kText, kOwner, "");
  m.poll_json = R"({"question":{"text":"Lunch?"},"answers":[]})";
  m.poll_expires_at_ms = kT0 + kLease;
  ASSERT_TRUE(store.CreateMessage(m));
}

std::vector<PendingTask> Claim(Store& store, std::int64_t now, int limit = 100) {
  auto claimed = store.ClaimDueTasks(now, now + kLease, limit);
  EXPECT_TRUE(claimed) << claimed.error().message;
  return claimed ? std::move(*claimed) : std::vector<PendingTask>{};
}

TEST_P(TaskStoreTest, AnEndedPollHoldsItsResultTaskUntilTheResultIsWrittenWithIt) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_NO_FATAL_FAILURE(SendPoll(store(), 500));
  auto ended = store().FinalizePoll(500, kT0, kT0 + kLease);
  ASSERT_TRUE(ended && *ended);
  // The node that ended it holds the task until then; a second end writes no second task.
  ended = store().FinalizePoll(500, kT0 + 1, kT0 + 1);
  ASSERT_TRUE(ended);
  EXPECT_FALSE(*ended);
  EXPECT_TRUE(Claim(store(), kT0 + kLease - 1).empty());

  auto due = Claim(store(), kT0 + kLease);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].key.kind, TaskKind::kPollResult);
  EXPECT_EQ(due[0].key.subject_id, 500u);
  EXPECT_EQ(due[0].channel_id, kText);
  EXPECT_EQ(due[0].attempts, 2);
  // Claimed: no other sweep takes it until this claim's lease runs out, then one does.
  EXPECT_TRUE(Claim(store(), kT0 + kLease + 1).empty());
  due = Claim(store(), kT0 + 2 * kLease);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].attempts, 3);

  // The result is written with the task's completion: once.
  ASSERT_TRUE(store().CreateMessageCompleting(MakeMessage(600, kText, kOwner, "won"), due[0].key));
  EXPECT_TRUE(
      IsError(store().CreateMessageCompleting(MakeMessage(601, kText, kOwner, "again"), due[0].key),
              Errc::kConflict));
  EXPECT_TRUE(store().GetMessage(kText, 600));
  EXPECT_TRUE(IsError(store().GetMessage(kText, 601), Errc::kNotFound, 10008));
  EXPECT_TRUE(Claim(store(), kT0 + 100 * kLease).empty());
  // A result that cannot be written (its author is gone) leaves the task in place.
  ASSERT_NO_FATAL_FAILURE(SendPoll(store(), 501));
  ASSERT_TRUE(store().FinalizePoll(501, kT0, kT0));
  const TaskKey second{TaskKind::kPollResult, 501};
  EXPECT_TRUE(IsError(store().CreateMessageCompleting(MakeMessage(602, kText, 999, "x"), second),
                      Errc::kNotFound, 10013));
  due = Claim(store(), kT0);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].key.subject_id, 501u);
}

TEST_P(TaskStoreTest, APublishedMessageCarriesItsTaskAndARefusedUpdateWritesNone) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_TRUE(store().CreateMessage(MakeMessage(700, kText, kOwner, "news")));
  MessageUpdate publish;
  publish.flags = 1;
  publish.unless_flags = 1;
  publish.task = NewTask{{TaskKind::kCrosspostCopies, 700}, kText, kT0};
  ASSERT_TRUE(store().UpdateMessage(kText, 700, publish));
  EXPECT_TRUE(IsError(store().UpdateMessage(kText, 700, publish), Errc::kConflict));

  auto due = Claim(store(), kT0);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].key.kind, TaskKind::kCrosspostCopies);
  EXPECT_EQ(due[0].key.subject_id, 700u);
  auto done = store().CompleteTask(due[0].key, 0);
  ASSERT_TRUE(done);
  EXPECT_TRUE(*done);
  done = store().CompleteTask(due[0].key, 0);
  ASSERT_TRUE(done);
  EXPECT_FALSE(*done);
  EXPECT_TRUE(Claim(store(), kT0 + 100 * kLease).empty());
}

// An edit or a deletion of a published message writes the task of bringing its copies in line;
// a second edit takes the task over, so the first edit's run cannot complete it, nor can a run
// whose claim a sweep has since replaced.
TEST_P(TaskStoreTest, ACopiesSyncIsWrittenWithItsChangeAndCompletedOnlyByItsHolder) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  for (domain::Snowflake id : {800, 801, 802, 803}) {
    ASSERT_TRUE(store().CreateMessage(MakeMessage(id, kText, kOwner, "v1")));
  }
  auto sync = [](domain::Snowflake id, std::int64_t due) {
    return NewTask{{TaskKind::kSyncCopies, id}, kText, due};
  };
  MessageUpdate edit;
  edit.content = "v2";
  edit.task = sync(800, kT0 + kLease);
  ASSERT_TRUE(store().UpdateMessage(kText, 800, edit));
  edit.content = "v3";
  edit.task = sync(800, kT0 + 10 + kLease);
  ASSERT_TRUE(store().UpdateMessage(kText, 800, edit));
  auto done = store().CompleteTask({TaskKind::kSyncCopies, 800}, kT0 + kLease);
  ASSERT_TRUE(done);
  EXPECT_FALSE(*done);  // the first edit's run: the second edit holds it now

  const NewTask one[] = {sync(801, kT0)};
  ASSERT_TRUE(store().DeleteMessage(kText, 801, one));
  const NewTask two[] = {sync(802, kT0), sync(803, kT0)};
  const domain::Snowflake ids[] = {802, 803, 999};
  auto deleted = store().DeleteMessages(kText, ids, two);
  ASSERT_TRUE(deleted);
  EXPECT_EQ(*deleted, 2);
  // A refused delete writes no task.
  const NewTask none[] = {sync(999, kT0)};
  EXPECT_TRUE(IsError(store().DeleteMessage(kText, 999, none), Errc::kNotFound, 10008));

  auto due = Claim(store(), kT0);
  std::vector<domain::Snowflake> subjects;
  for (const auto& task : due) subjects.push_back(task.key.subject_id);
  std::sort(subjects.begin(), subjects.end());
  EXPECT_EQ(subjects, (std::vector<domain::Snowflake>{801, 802, 803}));
  for (const auto& task : due) {  // each done by the claim's holder, within its lease
    done = store().CompleteTask(task.key, kT0 + kLease);
    ASSERT_TRUE(done);
    EXPECT_TRUE(*done);
  }
  due = Claim(store(), kT0 + 10 + kLease);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].key.subject_id, 800u);
  // The second edit's own run comes too late: the sweep's claim holds it.
  done = store().CompleteTask(due[0].key, kT0 + 10 + kLease);
  ASSERT_TRUE(done);
  EXPECT_FALSE(*done);
  done = store().CompleteTask(due[0].key, kT0 + 10 + 2 * kLease);
  ASSERT_TRUE(done);
  EXPECT_TRUE(*done);
}

// Every node sweeps at once: each due task goes to exactly one of them.
TEST_P(TaskStoreTest, ConcurrentSweepsClaimEachTaskOnce) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  constexpr int kTasks = 40;
  for (int i = 0; i < kTasks; ++i) {
    const auto id = static_cast<domain::Snowflake>(1000 + i);
    ASSERT_NO_FATAL_FAILURE(SendPoll(store(), id));
    ASSERT_TRUE(store().FinalizePoll(id, kT0, kT0 + i));
  }
  std::mutex mutex;
  std::vector<domain::Snowflake> claimed;
  std::vector<std::jthread> sweeps;
  for (int t = 0; t < 4; ++t) {
    sweeps.emplace_back([&] {
      for (;;) {
        auto got = store().ClaimDueTasks(kT0 + kTasks, kT0 + kTasks + kLease, 3);
        if (!got || got->empty()) return;
        std::lock_guard lock(mutex);
        for (const auto& task : *got) claimed.push_back(task.key.subject_id);
      }
    });
  }
  sweeps.clear();
  std::sort(claimed.begin(), claimed.end());
  ASSERT_EQ(claimed.size(), static_cast<std::size_t>(kTasks));
  EXPECT_EQ(std::adjacent_find(claimed.begin(), claimed.end()), claimed.end());
}

}  // namespace
}  // namespace chat::store::testing
