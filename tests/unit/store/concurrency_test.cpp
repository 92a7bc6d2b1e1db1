// The Store under concurrent use from several threads, as the service worker pool calls it:
// atomic refresh-token use, unique names under races, inserts and reads side by side. Threads
// start together on a latch; nothing here waits on time.
#include <atomic>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "store_fixture.hpp"
#include "store_test_util.hpp"

namespace chat::store::testing {
namespace {

constexpr int kThreads = 8;

// Runs body(thread_index) on kThreads threads released at the same moment.
template <class Body>
void RaceOnThreads(Body body) {
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      body(t);
    });
  }
  for (auto& thread : threads) thread.join();
}

RefreshToken Token(const std::string& hash) {
  RefreshToken t;
  t.token_hash = hash;
  t.user_id = Id(1);
  t.family_id = Id(100);
  t.expires_at_ms = 4102444800000;
  return t;
}

TEST_P(StoreConcurrencyTest, RacingRefreshesOfOneTokenHaveExactlyOneWinner) {
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(1), "alice")));
  for (int round = 0; round < 20; ++round) {
    const std::string hash = "token-" + std::to_string(round);
    ASSERT_TRUE(store().CreateRefreshToken(Token(hash)));
    std::atomic<int> wins = 0;
    std::atomic<int> failures = 0;
    RaceOnThreads([&](int) {
      auto used = store().MarkRefreshTokenUsed(hash);
      if (!used) {
        ++failures;
      } else if (*used) {
        ++wins;
      }
    });
    EXPECT_EQ(wins.load(), 1) << "round " << round;
    EXPECT_EQ(failures.load(), 0) << "round " << round;
  }
}

TEST_P(StoreConcurrencyTest, RacingRotationsOfOneTokenStoreExactlyOneSuccessor) {
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(1), "alice")));
  ASSERT_TRUE(store().CreateRefreshToken(Token("old")));
  std::atomic<int> wins = 0;
  RaceOnThreads([&](int t) {
    auto rotated = store().RotateRefreshToken("old", Token("next-" + std::to_string(t)));
    if (rotated && *rotated) ++wins;
  });
  EXPECT_EQ(wins.load(), 1);
  int successors = 0;
  for (int t = 0; t < kThreads; ++t) {
    if (store().FindRefreshToken("next-" + std::to_string(t))) ++successors;
  }
  EXPECT_EQ(successors, 1);
}

TEST_P(StoreConcurrencyTest, RacingRegistrationsOfOneUsernameHaveOneWinner) {
  std::atomic<int> created = 0;
  std::atomic<int> conflicts = 0;
  RaceOnThreads([&](int t) {
    domain::User u = MakeUser(Id(10 + static_cast<std::uint64_t>(t)), "same-name");
    u.email = "user" + std::to_string(t) + "@example.com";
    auto r = store().CreateUser(u);
    if (r) {
      ++created;
    } else if (r.error().code == Errc::kConflict) {
      ++conflicts;
    }
  });
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(conflicts.load(), kThreads - 1);
}

TEST_P(StoreConcurrencyTest, ConcurrentWritersAndReadersLoseNothing) {
  constexpr int kPerThread = 40;
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(1), "author")));
  ASSERT_TRUE(store().CreateGuild(MakeGuild(Id(1000), Id(1))));
  const domain::Snowflake channel = Id(1002);
  std::atomic<int> failures = 0;
  RaceOnThreads([&](int t) {
    for (int i = 0; i < kPerThread; ++i) {
      if (t % 2 == 0) {
        // Writers: interleaved ids, as several snowflake workers would produce.
        const auto id = Id(100000 + static_cast<std::uint64_t>(i * kThreads + t));
        if (!store().CreateMessage(MakeMessage(id, channel, Id(1), "from " + std::to_string(t)))) {
          ++failures;
        }
      } else {
        // Readers: pages must always be well-formed while writes go on.
        auto page = store().ListMessages(channel, MessageQuery{});
        if (!page) {
          ++failures;
          continue;
        }
        for (std::size_t k = 1; k < page->size(); ++k) {
          if ((*page)[k - 1].id <= (*page)[k].id) ++failures;
        }
      }
    }
  });
  EXPECT_EQ(failures.load(), 0);

  // Every written message is there exactly once: walk the channel with `before`.
  std::size_t total = 0;
  MessageQuery q;
  q.limit = 100;
  while (true) {
    auto page = store().ListMessages(channel, q);
    ASSERT_TRUE(page);
    if (page->empty()) break;
    total += page->size();
    q.before = page->back().id;
  }
  EXPECT_EQ(total, static_cast<std::size_t>(kPerThread * kThreads / 2));
}

}  // namespace
}  // namespace chat::store::testing
