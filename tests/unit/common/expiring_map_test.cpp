#include "common/expiring_map.hpp"

#include <gtest/gtest.h>

#include <string>

namespace chat {
namespace {

TEST(ExpiringMap, AnEntryLivesUntilItsDeadline) {
  ExpiringMap<std::string, int> m;
  m.Put("a", 1, 100);
  ASSERT_NE(m.Find("a", 99), nullptr);
  EXPECT_EQ(*m.Find("a", 99), 1);
  EXPECT_EQ(m.Find("a", 100), nullptr);  // due, even before Expire runs
  EXPECT_EQ(m.Find("b", 0), nullptr);
}

TEST(ExpiringMap, ExpireErasesOnlyWhatIsDue) {
  ExpiringMap<int, int> m;
  m.Put(1, 10, 300);
  m.Put(2, 20, 100);
  m.Put(3, 30, 200);
  m.Expire(200);
  EXPECT_EQ(m.size(), 1u);
  ASSERT_NE(m.Find(1, 200), nullptr);
  EXPECT_EQ(*m.Find(1, 200), 10);
  m.Expire(1000);
  EXPECT_EQ(m.size(), 0u);
}

TEST(ExpiringMap, PutReplacesTheValueAndTheDeadline) {
  ExpiringMap<int, int> m;
  m.Put(1, 10, 100);
  m.Put(1, 11, 500);  // later deadline: the first one must not erase it
  m.Expire(300);
  ASSERT_NE(m.Find(1, 300), nullptr);
  EXPECT_EQ(*m.Find(1, 300), 11);
  m.Put(1, 12, 50);  // earlier deadline: the later one must not keep it
  m.Expire(60);
  EXPECT_EQ(m.size(), 0u);
  m.Expire(1000);  // nothing left to erase twice
  EXPECT_EQ(m.size(), 0u);
}

}  // namespace
}  // namespace chat
