#include "gateway/session.hpp"

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "gateway/outbox.hpp"
#include "gateway/replay_buffer.hpp"
#include "gateway/session_registry.hpp"

namespace chat::gateway {
namespace {

std::int64_t g_now = 1'000'000;
std::int64_t FakeNow() { return g_now; }

bus::EventPtr Event(std::string type, std::vector<domain::Snowflake> to = {},
                    bus::Intent intent = bus::Intent::kNone) {
  auto e = std::make_shared<bus::Event>();
  e->type = std::move(type);
  e->payload = "{}";
  e->recipients = std::move(to);
  e->intent = intent;
  return e;
}

Dispatch At(std::uint64_t seq, std::int64_t at) { return Dispatch{seq, at, Event("X"), false}; }

std::vector<std::uint64_t> Seqs(const std::vector<Dispatch>& ds) {
  std::vector<std::uint64_t> out;
  for (const auto& d : ds) out.push_back(d.seq);
  return out;
}

// Drains an outbox the way the writer does; returns "TYPE:seq" for dispatches, text otherwise.
std::vector<std::string> Drain(Outbox& outbox) {
  std::vector<OutFrame> batch;
  std::optional<CloseCode> close;
  std::vector<std::string> out;
  if (!outbox.Take(batch, close)) return out;
  for (auto& f : batch) {
    out.push_back(f.dispatch.event ? f.dispatch.event->type + ":" + std::to_string(f.dispatch.seq)
                                   : f.text);
  }
  return out;
}

TEST(ReplayBuffer, ReplaysEverythingAfterTheSeqInOrder) {
  ReplayBuffer buffer({10, 60'000});
  for (std::uint64_t s = 1; s <= 5; ++s) buffer.Push(At(s, 0));
  EXPECT_EQ(Seqs(*buffer.After(2, 0)), (std::vector<std::uint64_t>{3, 4, 5}));
  EXPECT_TRUE(buffer.After(5, 0)->empty());
}

TEST(ReplayBuffer, RefusesASeqNeverSent) { EXPECT_FALSE(ReplayBuffer({}).After(1, 0)); }

TEST(ReplayBuffer, CountBoundDropsTheOldestAndThenRefusesTheGap) {
  ReplayBuffer buffer({3, 60'000});
  for (std::uint64_t s = 1; s <= 6; ++s) buffer.Push(At(s, 0));
  EXPECT_EQ(buffer.size(), 3u);
  EXPECT_FALSE(buffer.After(1, 0));  // 2 and 3 are gone
  EXPECT_EQ(Seqs(*buffer.After(3, 0)), (std::vector<std::uint64_t>{4, 5, 6}));
}

TEST(ReplayBuffer, AgeBoundDropsOldDispatches) {
  ReplayBuffer buffer({100, 1000});
  buffer.Push(At(1, 0));
  buffer.Push(At(2, 900));
  EXPECT_FALSE(buffer.After(0, 1500));  // seq 1 is older than a second
  EXPECT_EQ(Seqs(*buffer.After(1, 1500)), (std::vector<std::uint64_t>{2}));
}

TEST(ReplayBuffer, AcknowledgedDispatchesAreDroppedButACaughtUpResumeStillWorks) {
  ReplayBuffer buffer({10, 60'000});
  for (std::uint64_t s = 1; s <= 4; ++s) buffer.Push(At(s, 0));
  buffer.Acknowledge(2, 0);
  EXPECT_EQ(buffer.size(), 2u);
  EXPECT_EQ(Seqs(*buffer.After(2, 0)), (std::vector<std::uint64_t>{3, 4}));
  EXPECT_FALSE(buffer.After(1, 0));
  buffer.Acknowledge(4, 0);
  EXPECT_EQ(buffer.size(), 0u);
  EXPECT_TRUE(buffer.After(4, 0)->empty());
  EXPECT_FALSE(buffer.After(3, 0));
  buffer.Push(At(5, 0));
  EXPECT_EQ(Seqs(*buffer.After(4, 0)), (std::vector<std::uint64_t>{5}));
}

TEST(Outbox, WakesAWaitingWriterOnceAndKeepsOrder) {
  int wakes = 0;
  Outbox outbox({}, [&] { ++wakes; });
  EXPECT_TRUE(Drain(outbox).empty());  // writer now waits
  outbox.Push(OutFrame{"a", {}});
  outbox.Push(OutFrame{"b", {}});
  EXPECT_EQ(wakes, 1);
  EXPECT_EQ(Drain(outbox), (std::vector<std::string>{"a", "b"}));
}

TEST(Outbox, OverflowDropsTheBacklogAndClosesResumably) {
  Outbox outbox({2, 1 << 20}, [] {});
  EXPECT_TRUE(outbox.Push(OutFrame{"a", {}}));
  EXPECT_TRUE(outbox.Push(OutFrame{"b", {}}));
  EXPECT_FALSE(outbox.Push(OutFrame{"c", {}}));
  EXPECT_TRUE(outbox.overflowed());
  std::vector<OutFrame> batch;
  std::optional<CloseCode> close;
  ASSERT_TRUE(outbox.Take(batch, close));
  EXPECT_TRUE(batch.empty());
  EXPECT_EQ(close, CloseCode::kUnknownError);
  EXPECT_TRUE(IsResumable(*close));
  EXPECT_FALSE(outbox.Push(OutFrame{"d", {}}));
}

TEST(Outbox, CloseComesAfterWhatWasQueued) {
  Outbox outbox({}, [] {});
  outbox.Push(OutFrame{"a", {}});
  outbox.Close(CloseCode::kSessionTimedOut);
  outbox.Close(CloseCode::kDecodeError);  // the first close wins
  std::vector<OutFrame> batch;
  std::optional<CloseCode> close;
  ASSERT_TRUE(outbox.Take(batch, close));
  EXPECT_EQ(batch.size(), 1u);
  EXPECT_EQ(close, CloseCode::kSessionTimedOut);
}

std::shared_ptr<Session> NewSession(bool bot = false, std::uint64_t intents = kKnownIntents) {
  return std::make_shared<Session>(SessionInfo{"s1", 7, bot, intents}, ReplayLimits{}, &FakeNow);
}

TEST(Session, EventsBeforeStartFollowReadyWhichIsSeqOne) {
  auto session = NewSession();
  auto outbox = std::make_shared<Outbox>(OutboxLimits{}, [] {});
  session->Deliver(Event("MESSAGE_CREATE"));  // committed while READY was being built
  ASSERT_TRUE(session->Start({Event("READY"), Event("GUILD_CREATE")}, outbox));
  session->Deliver(Event("TYPING_START"));
  EXPECT_EQ(Drain(*outbox), (std::vector<std::string>{"READY:1", "GUILD_CREATE:2",
                                                      "MESSAGE_CREATE:3", "TYPING_START:4"}));
}

TEST(Session, MoreEventsBeforeReadyThanTheReplayHoldsRefuseTheStartInsteadOfGrowing) {
  auto session = std::make_shared<Session>(SessionInfo{"s1", 7}, ReplayLimits{3, 60'000}, &FakeNow);
  auto outbox = std::make_shared<Outbox>(OutboxLimits{}, [] {});
  for (int i = 0; i < 4; ++i) session->Deliver(Event("MESSAGE_CREATE"));
  EXPECT_FALSE(session->Start({Event("READY")}, outbox));
  EXPECT_FALSE(session->attached());
  EXPECT_TRUE(Drain(*outbox).empty());  // nothing half-delivered
}

TEST(Session, AsManyEventsBeforeReadyAsTheReplayHoldsAllFollowReady) {
  auto session = std::make_shared<Session>(SessionInfo{"s1", 7}, ReplayLimits{3, 60'000}, &FakeNow);
  auto outbox = std::make_shared<Outbox>(OutboxLimits{}, [] {});
  for (int i = 0; i < 3; ++i) session->Deliver(Event("MESSAGE_CREATE"));
  ASSERT_TRUE(session->Start({Event("READY")}, outbox));
  EXPECT_EQ(Drain(*outbox), (std::vector<std::string>{"READY:1", "MESSAGE_CREATE:2",
                                                      "MESSAGE_CREATE:3", "MESSAGE_CREATE:4"}));
}

TEST(Session, ShardsGetOnlyTheirGuildsAndShardZeroTheDms) {
  EXPECT_TRUE(InShard(1, 0, 1));
  EXPECT_TRUE(InShard(std::nullopt, 0, 2));
  EXPECT_FALSE(InShard(std::nullopt, 1, 2));
  const domain::Snowflake odd = 1ull << 22;  // (id >> 22) % 2 == 1
  EXPECT_TRUE(InShard(odd, 1, 2));
  EXPECT_FALSE(InShard(odd, 0, 2));
  auto session = std::make_shared<Session>(SessionInfo{"s", 7, true, kKnownIntents, 0, 2},
                                           ReplayLimits{}, &FakeNow);
  auto outbox = std::make_shared<Outbox>(OutboxLimits{}, [] {});
  ASSERT_TRUE(session->Start({}, outbox));
  auto e = Event("GUILD_UPDATE");
  std::const_pointer_cast<bus::Event>(e)->guild_id = odd;
  session->Deliver(e);
  session->Deliver(Event("DM"));
  EXPECT_EQ(Drain(*outbox), (std::vector<std::string>{"DM:1"}));
}

TEST(Session, IntentsFilterEvents) {
  auto session = NewSession(false, 1);  // GUILDS only
  auto outbox = std::make_shared<Outbox>(OutboxLimits{}, [] {});
  ASSERT_TRUE(session->Start({Event("READY")}, outbox));
  session->Deliver(Event("MESSAGE_CREATE", {}, bus::Intent::kGuildMessages));
  session->Deliver(Event("CHANNEL_CREATE", {}, bus::Intent::kGuilds));
  EXPECT_EQ(Drain(*outbox), (std::vector<std::string>{"READY:1", "CHANNEL_CREATE:2"}));
}

TEST(Session, BotsWithoutMessageContentGetTheStrippedPayloadExceptForTheirOwn) {
  auto session = NewSession(true, 1u << 9);
  auto outbox = std::make_shared<Outbox>(OutboxLimits{}, [] {});
  ASSERT_TRUE(session->Start({}, outbox));
  auto other = std::make_shared<bus::Event>();
  other->type = "MESSAGE_CREATE";
  other->payload = R"({"content":"secret"})";
  other->payload_without_content = R"({"content":""})";
  other->author_id = 8;
  auto own = std::make_shared<bus::Event>(*other);
  own->author_id = 7;
  session->Deliver(other);
  session->Deliver(own);
  std::vector<OutFrame> batch;
  std::optional<CloseCode> close;
  ASSERT_TRUE(outbox->Take(batch, close));
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch[0].dispatch.Payload(), R"({"content":""})");
  EXPECT_EQ(batch[1].dispatch.Payload(), R"({"content":"secret"})");
}

TEST(Session, ResumeReplaysExactlyTheMissedDispatchesThenResumed) {
  auto session = NewSession();
  auto first = std::make_shared<Outbox>(OutboxLimits{}, [] {});
  ASSERT_TRUE(session->Start({Event("READY")}, first));
  session->Deliver(Event("A"));
  Drain(*first);
  session->Detach(first.get());
  EXPECT_FALSE(session->attached());
  session->Deliver(Event("B"));
  session->Deliver(Event("C"));
  auto second = std::make_shared<Outbox>(OutboxLimits{}, [] {});
  ASSERT_EQ(session->Resume(2, second, Event("RESUMED")), Session::ResumeOutcome::kResumed);
  session->Deliver(Event("D"));
  EXPECT_EQ(Drain(*second), (std::vector<std::string>{"B:3", "C:4", "RESUMED:5", "D:6"}));
}

TEST(Session, ResumeWithASeqNeverSentOrTooOldFails) {
  auto session = std::make_shared<Session>(SessionInfo{"s", 7, false, kKnownIntents},
                                           ReplayLimits{2, 60'000}, &FakeNow);
  auto outbox = std::make_shared<Outbox>(OutboxLimits{}, [] {});
  ASSERT_TRUE(session->Start({Event("READY")}, outbox));
  for (int i = 0; i < 4; ++i) session->Deliver(Event("E"));
  EXPECT_EQ(session->Resume(9, outbox, Event("RESUMED")), Session::ResumeOutcome::kSeqAhead);
  EXPECT_EQ(session->Resume(1, outbox, Event("RESUMED")), Session::ResumeOutcome::kGone);
}

TEST(Session, ASlowConnectionIsDetachedAndTheSessionStaysResumable) {
  auto session = NewSession();
  auto slow = std::make_shared<Outbox>(OutboxLimits{3, 1 << 20}, [] {});
  ASSERT_TRUE(session->Start({Event("READY")}, slow));
  for (int i = 0; i < 5; ++i) session->Deliver(Event("E"));
  EXPECT_FALSE(session->attached());
  EXPECT_TRUE(slow->overflowed());
  auto fresh = std::make_shared<Outbox>(OutboxLimits{}, [] {});
  ASSERT_EQ(session->Resume(1, fresh, Event("RESUMED")), Session::ResumeOutcome::kResumed);
  EXPECT_EQ(Drain(*fresh).size(), 6u);  // E:2..E:6, RESUMED:7
}

TEST(Session, AReplayLargerThanTheLiveBacklogLimitIsStillDelivered) {
  auto session = NewSession();
  auto first = std::make_shared<Outbox>(OutboxLimits{}, [] {});
  ASSERT_TRUE(session->Start({Event("READY")}, first));
  session->Detach(first.get());
  for (int i = 0; i < 10; ++i) session->Deliver(Event("E"));
  auto small = std::make_shared<Outbox>(OutboxLimits{4, 1 << 20}, [] {});
  ASSERT_EQ(session->Resume(1, small, Event("RESUMED")), Session::ResumeOutcome::kResumed);
  EXPECT_EQ(Drain(*small).size(), 11u);
  EXPECT_FALSE(small->overflowed());
}

TEST(SessionRegistry, DeliversOnlyToRecipientsSessions) {
  SessionRegistry registry;
  auto mine = NewSession();
  auto other = std::make_shared<Session>(SessionInfo{"s2", 9, false, kKnownIntents}, ReplayLimits{},
                                         &FakeNow);
  registry.Add(mine);
  registry.Add(other);
  auto a = std::make_shared<Outbox>(OutboxLimits{}, [] {});
  auto b = std::make_shared<Outbox>(OutboxLimits{}, [] {});
  ASSERT_TRUE(mine->Start({}, a));
  ASSERT_TRUE(other->Start({}, b));
  registry.Deliver(Event("MESSAGE_CREATE", {7}));
  EXPECT_EQ(Drain(*a), (std::vector<std::string>{"MESSAGE_CREATE:1"}));
  EXPECT_TRUE(Drain(*b).empty());
  EXPECT_EQ(registry.Find("s2"), other);
}

TEST(SessionRegistry, ExpiresOnlySessionsDetachedLongEnough) {
  SessionRegistry registry;
  auto session = NewSession();
  registry.Add(session);
  auto outbox = std::make_shared<Outbox>(OutboxLimits{}, [] {});
  ASSERT_TRUE(session->Start({}, outbox));
  EXPECT_FALSE(registry.RemoveIfExpired(*session, g_now + 10'000, 1000));  // attached
  session->Detach(outbox.get());
  EXPECT_FALSE(registry.RemoveIfExpired(*session, g_now + 500, 1000));
  EXPECT_TRUE(registry.RemoveIfExpired(*session, g_now + 1000, 1000));
  EXPECT_EQ(registry.Find("s1"), nullptr);
}

// Drains what is queued and returns the close code the writer would send after it.
std::optional<CloseCode> CloseOf(Outbox& outbox) {
  std::vector<OutFrame> batch;
  std::optional<CloseCode> close;
  (void)outbox.Take(batch, close);
  return close;
}

TEST(SessionRegistry, EndingAUsersSessionsClosesOnlyThoseBelowTheNewVersion) {
  SessionRegistry registry;
  SessionInfo old_info{"old", 7, false, kKnownIntents};
  SessionInfo fresh_info{"fresh", 7, false, kKnownIntents};
  fresh_info.token_version = 2;  // identified with a token issued after the end
  SessionInfo other_info{"other", 9, false, kKnownIntents};
  auto old_session = std::make_shared<Session>(old_info, ReplayLimits{}, &FakeNow);
  auto fresh = std::make_shared<Session>(fresh_info, ReplayLimits{}, &FakeNow);
  auto other = std::make_shared<Session>(other_info, ReplayLimits{}, &FakeNow);
  auto a = std::make_shared<Outbox>(OutboxLimits{}, [] {});
  auto b = std::make_shared<Outbox>(OutboxLimits{}, [] {});
  auto c = std::make_shared<Outbox>(OutboxLimits{}, [] {});
  for (auto& [session, outbox] : {std::pair{old_session, a}, {fresh, b}, {other, c}}) {
    registry.Add(session);
    ASSERT_TRUE(session->Start({}, outbox));
  }

  registry.RevokeBelow(7, 2);
  EXPECT_EQ(CloseOf(*a), CloseCode::kAuthenticationFailed);
  EXPECT_TRUE(old_session->revoked());
  EXPECT_FALSE(fresh->revoked());
  EXPECT_FALSE(other->revoked());
  // The ended session takes no more events and cannot be resumed from another connection.
  registry.Deliver(Event("MESSAGE_CREATE", {7, 9}));
  EXPECT_EQ(Drain(*b), (std::vector<std::string>{"MESSAGE_CREATE:1"}));
  EXPECT_EQ(Drain(*c), (std::vector<std::string>{"MESSAGE_CREATE:1"}));
  auto again = std::make_shared<Outbox>(OutboxLimits{}, [] {});
  EXPECT_EQ(old_session->Resume(0, again, Event("RESUMED")), Session::ResumeOutcome::kGone);
  EXPECT_TRUE(Drain(*again).empty());
}

TEST(Session, ASessionEndedWhileReadyLoadsCannotStart) {
  auto session = NewSession();
  session->Deliver(Event("MESSAGE_CREATE"));
  session->Revoke();
  auto outbox = std::make_shared<Outbox>(OutboxLimits{}, [] {});
  EXPECT_FALSE(session->Start({Event("READY")}, outbox));
  EXPECT_FALSE(session->attached());
  EXPECT_TRUE(Drain(*outbox).empty());
}

bus::EventPtr FromOrigin(std::string type, std::string origin, std::uint64_t seq) {
  auto e = std::make_shared<bus::Event>();
  e->type = std::move(type);
  e->payload = "{}";
  e->recipients = {7};
  e->origin = std::move(origin);
  e->origin_seq = seq;
  return e;
}

TEST(Session, ARestoredSessionResumesWhereTheExportedOneStood) {
  auto old_session = NewSession();
  auto old_outbox = std::make_shared<Outbox>(OutboxLimits{}, [] {});
  ASSERT_TRUE(old_session->Start({Event("READY")}, old_outbox));
  old_session->Deliver(Event("MESSAGE_CREATE"));
  old_session->Deliver(Event("MESSAGE_UPDATE"));
  old_session->Acknowledge(1);
  auto state = old_session->Export();
  ASSERT_TRUE(state);
  EXPECT_EQ(state->seq, 3u);
  EXPECT_EQ(Seqs(state->replay), (std::vector<std::uint64_t>{2, 3}));

  auto moved = NewSession();
  moved->Restore(std::move(*state), {});
  EXPECT_FALSE(moved->attached());
  moved->Deliver(Event("TYPING_START"));  // delivered on the new node before the client is back
  auto outbox = std::make_shared<Outbox>(OutboxLimits{}, [] {});
  ASSERT_EQ(moved->Resume(2, outbox, Event("RESUMED")), Session::ResumeOutcome::kResumed);
  EXPECT_EQ(Drain(*outbox),
            (std::vector<std::string>{"MESSAGE_UPDATE:3", "TYPING_START:4", "RESUMED:5"}));
}

TEST(Session, ASessionNotYetReadyHasNothingToExport) { EXPECT_FALSE(NewSession()->Export()); }

TEST(Session, ARestoredSessionSkipsWhatItGotOnItsOldNode) {
  auto session = NewSession();
  session->Restore(Session::State{4, {}}, OriginClock{{"a", 10}});
  session->Deliver(FromOrigin("OLD", "a", 10));  // already had it
  session->Deliver(FromOrigin("NEW", "a", 11));
  session->Deliver(FromOrigin("OTHER", "b", 1));  // an origin the skip does not name
  auto outbox = std::make_shared<Outbox>(OutboxLimits{}, [] {});
  ASSERT_EQ(session->Resume(4, outbox, Event("RESUMED")), Session::ResumeOutcome::kResumed);
  EXPECT_EQ(Drain(*outbox), (std::vector<std::string>{"NEW:5", "OTHER:6", "RESUMED:7"}));
}

TEST(SessionRegistry, TakeAllEmptiesTheRegistry) {
  SessionRegistry registry;
  registry.Add(NewSession());
  auto taken = registry.TakeAll();
  EXPECT_EQ(taken.size(), 1u);
  EXPECT_EQ(registry.size(), 0u);
  EXPECT_EQ(registry.Find("s1"), nullptr);
}

}  // namespace
}  // namespace chat::gateway
