// UserStore behaviour, run against every registered backend.
#include <string>
#include <vector>

#include "store/errors.hpp"
#include "store_fixture.hpp"
#include "store_test_util.hpp"

namespace chat::store::testing {
namespace {

TEST_P(UserStoreTest, CreatedUserReadsBackWithEveryField) {
  domain::User u = MakeUser(Id(1), "alice");
  u.display_name = "Alice";
  u.avatar = "a_1f2e3d";
  u.flags = 64;
  u.created_at_ms = 1704067200123;
  ASSERT_TRUE(store().CreateUser(u));

  auto got = store().GetUser(u.id);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->id, u.id);
  EXPECT_EQ(got->username, "alice");
  EXPECT_EQ(got->email, "alice@example.com");
  EXPECT_EQ(got->password_hash, u.password_hash);
  EXPECT_EQ(got->display_name, "Alice");
  EXPECT_EQ(got->avatar, "a_1f2e3d");
  EXPECT_FALSE(got->bot);
  EXPECT_EQ(got->flags, 64);
  EXPECT_EQ(got->created_at_ms, 1704067200123);
}

TEST_P(UserStoreTest, CreationTimeDefaultsToTheSnowflakeTime) {
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(1), "alice")));
  EXPECT_EQ(store().GetUser(Id(1))->created_at_ms, domain::SnowflakeUnixMs(Id(1)));
}

TEST_P(UserStoreTest, UnknownUserIsNotFoundWithDiscordCode) {
  EXPECT_TRUE(IsError(store().GetUser(Id(404)), Errc::kNotFound, kUnknownUser));
  EXPECT_TRUE(IsError(store().GetUserByUsername("nobody"), Errc::kNotFound, kUnknownUser));
  EXPECT_TRUE(IsError(store().GetUserByEmail("nobody@example.com"), Errc::kNotFound, kUnknownUser));
  EXPECT_TRUE(IsError(store().GetUserByLogin("nobody"), Errc::kNotFound, kUnknownUser));
}

TEST_P(UserStoreTest, DuplicateUsernameIsConflictNamingTheField) {
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(1), "alice")));
  domain::User again = MakeUser(Id(2), "alice");
  again.email = "other@example.com";
  auto r = store().CreateUser(again);
  ASSERT_TRUE(IsError(r, Errc::kConflict));
  EXPECT_EQ(r.error().message, "username already taken");
  ASSERT_EQ(r.error().fields.size(), 1u);
  EXPECT_EQ(r.error().fields[0].field, "username");
  EXPECT_TRUE(IsError(store().GetUser(Id(2)), Errc::kNotFound));
}

TEST_P(UserStoreTest, DuplicateEmailInOtherCaseIsConflictNamingTheField) {
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(1), "alice")));
  domain::User other = MakeUser(Id(2), "bob");
  other.email = "ALICE@Example.COM";
  auto r = store().CreateUser(other);
  ASSERT_TRUE(IsError(r, Errc::kConflict));
  EXPECT_EQ(r.error().message, "email already registered");
  ASSERT_EQ(r.error().fields.size(), 1u);
  EXPECT_EQ(r.error().fields[0].field, "email");
}

TEST_P(UserStoreTest, DuplicateIdIsConflict) {
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(1), "alice")));
  EXPECT_TRUE(IsError(store().CreateUser(MakeUser(Id(1), "bob")), Errc::kConflict));
}

TEST_P(UserStoreTest, BotsWithoutEmailDoNotClash) {
  for (int i = 0; i < 3; ++i) {
    domain::User bot = MakeUser(Id(10 + i), "bot" + std::to_string(i));
    bot.email.clear();
    bot.password_hash.clear();
    bot.bot = true;
    ASSERT_TRUE(store().CreateUser(bot)) << i;
  }
  auto bot = store().GetUser(Id(11));
  ASSERT_TRUE(bot);
  EXPECT_TRUE(bot->bot);
  EXPECT_EQ(bot->email, "");
  EXPECT_TRUE(IsError(store().GetUserByEmail(""), Errc::kNotFound));
}

TEST_P(UserStoreTest, FindsByUsernameExactlyAndByEmailIgnoringCase) {
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(1), "alice")));
  EXPECT_EQ(store().GetUserByUsername("alice")->id, Id(1));
  EXPECT_TRUE(IsError(store().GetUserByUsername("Alice"), Errc::kNotFound));
  EXPECT_EQ(store().GetUserByEmail("Alice@EXAMPLE.com")->id, Id(1));
}

TEST_P(UserStoreTest, LoginAcceptsUsernameOrEmail) {
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(1), "alice")));
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(2), "bob")));
  EXPECT_EQ(store().GetUserByLogin("alice")->id, Id(1));
  EXPECT_EQ(store().GetUserByLogin("bob@example.com")->id, Id(2));
  EXPECT_EQ(store().GetUserByLogin("BOB@example.com")->id, Id(2));
}

TEST_P(UserStoreTest, UpdateChangesOnlyTheGivenFields) {
  domain::User u = MakeUser(Id(1), "alice");
  u.display_name = "Alice";
  u.avatar = "old";
  ASSERT_TRUE(store().CreateUser(u));

  UserUpdate update;
  update.username = "alice2";
  update.display_name = std::optional<std::string>{};  // clear
  update.password_hash = "$argon2id$new";
  auto got = store().UpdateUser(Id(1), update);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->username, "alice2");
  EXPECT_EQ(got->display_name, std::nullopt);
  EXPECT_EQ(got->avatar, "old");
  EXPECT_EQ(got->password_hash, "$argon2id$new");
  EXPECT_EQ(got->email, "alice@example.com");
  EXPECT_EQ(store().GetUserByUsername("alice2")->id, Id(1));
  EXPECT_TRUE(IsError(store().GetUserByUsername("alice"), Errc::kNotFound));

  UserUpdate avatar;
  avatar.avatar = std::optional<std::string>("new");
  EXPECT_EQ(store().UpdateUser(Id(1), avatar)->avatar, "new");
}

TEST_P(UserStoreTest, UpdateToATakenNameIsConflictAndChangesNothing) {
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(1), "alice")));
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(2), "bob")));
  UserUpdate update;
  update.username = "alice";
  update.display_name = std::optional<std::string>("Bob");
  auto r = store().UpdateUser(Id(2), update);
  ASSERT_TRUE(IsError(r, Errc::kConflict));
  EXPECT_EQ(r.error().fields.at(0).field, "username");
  auto bob = store().GetUser(Id(2));
  EXPECT_EQ(bob->username, "bob");
  EXPECT_EQ(bob->display_name, std::nullopt);

  UserUpdate email;
  email.email = "ALICE@example.com";
  EXPECT_TRUE(IsError(store().UpdateUser(Id(2), email), Errc::kConflict));
}

TEST_P(UserStoreTest, UpdateOfUnknownUserIsNotFound) {
  UserUpdate update;
  update.username = "ghost";
  EXPECT_TRUE(IsError(store().UpdateUser(Id(404), update), Errc::kNotFound, kUnknownUser));
}

TEST_P(UserStoreTest, ListByIdsSkipsUnknownAndSortsAscending) {
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(3), "carol")));
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(1), "alice")));
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(2), "bob")));
  std::vector<domain::Snowflake> ids = {Id(3), Id(404), Id(1), Id(3)};
  auto users = store().ListUsers(ids);
  ASSERT_TRUE(users);
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].username, "alice");
  EXPECT_EQ((*users)[1].username, "carol");
  EXPECT_TRUE(store().ListUsers({})->empty());
}

TEST_P(UserStoreTest, AnyUtf8TextRoundTrips) {
  const std::string name = "名前_émoji_🦀👩‍👩‍👧‍👦_مرحبا_e\xCC\x81";
  domain::User u = MakeUser(Id(1), name);
  u.display_name = "🎉 '; DROP TABLE users; -- \"quoted\" \\ %_";
  ASSERT_TRUE(store().CreateUser(u));
  auto got = store().GetUserByUsername(name);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->username, name);
  EXPECT_EQ(got->display_name, u.display_name);
}

TEST_P(UserStoreTest, LargestSnowflakeRoundTrips) {
  const domain::Snowflake max_id = 0x7fffffffffffffffULL;
  ASSERT_TRUE(store().CreateUser(MakeUser(max_id, "max")));
  auto got = store().GetUser(max_id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->id, max_id);
}

}  // namespace
}  // namespace chat::store::testing
