// TokenStore behaviour (refresh-token rotation and revocation), against every backend.
#include <string>

#include "store/errors.hpp"
#include "store_fixture.hpp"
#include "store_test_util.hpp"

namespace chat::store::testing {
namespace {

constexpr std::int64_t kExpiry = 4102444800000;  // 2100-01-01

RefreshToken Token(const std::string& hash, domain::Snowflake user, domain::Snowflake family) {
  RefreshToken t;
  t.token_hash = hash;
  t.user_id = user;
  t.family_id = family;
  t.expires_at_ms = kExpiry;
  return t;
}

void SeedUsers(Store& store) {
  ASSERT_TRUE(store.CreateUser(MakeUser(Id(1), "alice")));
  ASSERT_TRUE(store.CreateUser(MakeUser(Id(2), "bob")));
}

TEST_P(TokenStoreTest, CreatedTokenIsFoundByHash) {
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(1), "alice")));
  RefreshToken t = Token("hash-a", Id(1), Id(100));
  t.created_at_ms = 1704067200000;
  ASSERT_TRUE(store().CreateRefreshToken(t));
  auto got = store().FindRefreshToken("hash-a");
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->user_id, Id(1));
  EXPECT_EQ(got->family_id, Id(100));
  EXPECT_EQ(got->expires_at_ms, kExpiry);
  EXPECT_EQ(got->created_at_ms, 1704067200000);
  EXPECT_FALSE(got->used);
  EXPECT_FALSE(got->revoked);
}

TEST_P(TokenStoreTest, UnknownTokenIsNotFound) {
  EXPECT_TRUE(IsError(store().FindRefreshToken("nope"), Errc::kNotFound));
  EXPECT_TRUE(IsError(store().MarkRefreshTokenUsed("nope"), Errc::kNotFound));
}

TEST_P(TokenStoreTest, TokenForUnknownUserIsNotFound) {
  EXPECT_TRUE(IsError(store().CreateRefreshToken(Token("h", Id(404), Id(1))), Errc::kNotFound,
                      kUnknownUser));
}

TEST_P(TokenStoreTest, DuplicateHashIsConflict) {
  ASSERT_TRUE(store().CreateUser(MakeUser(Id(1), "alice")));
  ASSERT_TRUE(store().CreateRefreshToken(Token("h", Id(1), Id(100))));
  EXPECT_TRUE(IsError(store().CreateRefreshToken(Token("h", Id(1), Id(101))), Errc::kConflict));
}

TEST_P(TokenStoreTest, ATokenCanBeUsedOnlyOnce) {
  ASSERT_NO_FATAL_FAILURE(SeedUsers(store()));
  ASSERT_TRUE(store().CreateRefreshToken(Token("h", Id(1), Id(100))));
  auto first = store().MarkRefreshTokenUsed("h");
  ASSERT_TRUE(first);
  EXPECT_TRUE(*first);
  auto second = store().MarkRefreshTokenUsed("h");
  ASSERT_TRUE(second);
  EXPECT_FALSE(*second);
  EXPECT_TRUE(store().FindRefreshToken("h")->used);
}

TEST_P(TokenStoreTest, ARevokedTokenCannotBeUsed) {
  ASSERT_NO_FATAL_FAILURE(SeedUsers(store()));
  ASSERT_TRUE(store().CreateRefreshToken(Token("h", Id(1), Id(100))));
  ASSERT_TRUE(store().RevokeTokenFamily(Id(100)));
  EXPECT_FALSE(*store().MarkRefreshTokenUsed("h"));
  EXPECT_TRUE(store().FindRefreshToken("h")->revoked);
}

TEST_P(TokenStoreTest, RevokingAFamilyLeavesOtherFamiliesAlone) {
  ASSERT_NO_FATAL_FAILURE(SeedUsers(store()));
  ASSERT_TRUE(store().CreateRefreshToken(Token("a1", Id(1), Id(100))));
  ASSERT_TRUE(store().CreateRefreshToken(Token("a2", Id(1), Id(100))));
  ASSERT_TRUE(store().CreateRefreshToken(Token("b1", Id(1), Id(200))));
  ASSERT_TRUE(store().RevokeTokenFamily(Id(100)));
  EXPECT_TRUE(store().FindRefreshToken("a1")->revoked);
  EXPECT_TRUE(store().FindRefreshToken("a2")->revoked);
  EXPECT_FALSE(store().FindRefreshToken("b1")->revoked);
}

TEST_P(TokenStoreTest, EndingAUsersSessionsRevokesTheirTokensAndRaisesOnlyTheirVersion) {
  ASSERT_NO_FATAL_FAILURE(SeedUsers(store()));
  ASSERT_TRUE(store().CreateRefreshToken(Token("a1", Id(1), Id(100))));
  ASSERT_TRUE(store().CreateRefreshToken(Token("a2", Id(1), Id(101))));
  ASSERT_TRUE(store().CreateRefreshToken(Token("b1", Id(2), Id(200))));
  auto versions = store().ListTokenVersions();
  ASSERT_TRUE(versions) << versions.error().message;
  EXPECT_TRUE(versions->empty());

  auto first = store().EndUserSessions(Id(1));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(*first, 1);
  EXPECT_TRUE(store().FindRefreshToken("a1")->revoked);
  EXPECT_TRUE(store().FindRefreshToken("a2")->revoked);
  EXPECT_FALSE(store().FindRefreshToken("b1")->revoked);
  auto second = store().EndUserSessions(Id(1));
  ASSERT_TRUE(second);
  EXPECT_EQ(*second, 2);

  versions = store().ListTokenVersions();
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 1u);
  EXPECT_EQ((*versions)[0].first, Id(1));
  EXPECT_EQ((*versions)[0].second, 2);
  EXPECT_TRUE(IsError(store().EndUserSessions(Id(404)), Errc::kNotFound, kUnknownUser));
}

TEST_P(TokenStoreTest, RotationConsumesTheOldTokenAndStoresTheNext) {
  ASSERT_NO_FATAL_FAILURE(SeedUsers(store()));
  ASSERT_TRUE(store().CreateRefreshToken(Token("old", Id(1), Id(100))));
  auto rotated = store().RotateRefreshToken("old", Token("new", Id(1), Id(100)));
  ASSERT_TRUE(rotated) << rotated.error().message;
  EXPECT_TRUE(*rotated);
  EXPECT_TRUE(store().FindRefreshToken("old")->used);
  EXPECT_FALSE(store().FindRefreshToken("new")->used);
}

TEST_P(TokenStoreTest, RotatingAUsedTokenWritesNothing) {
  ASSERT_NO_FATAL_FAILURE(SeedUsers(store()));
  ASSERT_TRUE(store().CreateRefreshToken(Token("old", Id(1), Id(100))));
  ASSERT_TRUE(store().MarkRefreshTokenUsed("old"));
  auto rotated = store().RotateRefreshToken("old", Token("new", Id(1), Id(100)));
  ASSERT_TRUE(rotated);
  EXPECT_FALSE(*rotated);
  EXPECT_TRUE(IsError(store().FindRefreshToken("new"), Errc::kNotFound));
}

TEST_P(TokenStoreTest, ExpiredTokensAreDeletedAndLiveOnesKept) {
  ASSERT_NO_FATAL_FAILURE(SeedUsers(store()));
  RefreshToken old = Token("expired", Id(1), Id(100));
  old.expires_at_ms = 1000;
  ASSERT_TRUE(store().CreateRefreshToken(old));
  ASSERT_TRUE(store().CreateRefreshToken(Token("live", Id(1), Id(100))));
  auto deleted = store().DeleteExpiredRefreshTokens(2000);
  ASSERT_TRUE(deleted);
  EXPECT_EQ(*deleted, 1);
  EXPECT_TRUE(IsError(store().FindRefreshToken("expired"), Errc::kNotFound));
  EXPECT_TRUE(store().FindRefreshToken("live"));
}

constexpr auto kReset = MailTokenKind::kPasswordReset;
constexpr auto kVerify = MailTokenKind::kEmailVerification;

TEST_P(TokenStoreTest, AMailTokenIsTakenOnceBeforeItExpiresAndReplacesTheUsersEarlierOne) {
  ASSERT_NO_FATAL_FAILURE(SeedUsers(store()));
  auto created = store().CreateMailToken(kReset, {"reset-a", Id(1), 1000, 5000}, 0);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_TRUE(*created);
  // Another for the same user created too soon after it changes nothing.
  auto soon = store().CreateMailToken(kReset, {"reset-b", Id(1), 1500, 5500}, 1000);
  ASSERT_TRUE(soon);
  EXPECT_FALSE(*soon);
  EXPECT_TRUE(IsError(store().TakeMailToken(kReset, "reset-b", 2000), Errc::kNotFound));
  auto took = store().TakeMailToken(kReset, "reset-a", 2000);
  ASSERT_TRUE(took) << took.error().message;
  EXPECT_EQ(*took, Id(1));
  EXPECT_TRUE(IsError(store().TakeMailToken(kReset, "reset-a", 2000), Errc::kNotFound));  // spent

  auto c = store().CreateMailToken(kReset, {"reset-c", Id(1), 3000, 9000}, 2000);
  ASSERT_TRUE(c && *c);
  auto d = store().CreateMailToken(kReset, {"reset-d", Id(1), 3500, 9000}, 3100);
  ASSERT_TRUE(d && *d);
  EXPECT_TRUE(
      IsError(store().TakeMailToken(kReset, "reset-c", 4000), Errc::kNotFound));  // replaced
  EXPECT_TRUE(IsError(store().TakeMailToken(kReset, "reset-d", 9000), Errc::kNotFound));  // expired
  EXPECT_TRUE(IsError(store().CreateMailToken(kReset, {"reset-e", Id(404), 1, 2}, 0),
                      Errc::kNotFound, kUnknownUser));
}

TEST_P(TokenStoreTest, MailTokensOfTheTwoKindsAreKeptApart) {
  ASSERT_NO_FATAL_FAILURE(SeedUsers(store()));
  auto reset = store().CreateMailToken(kReset, {"same-user-reset", Id(1), 1000, 9000}, 0);
  ASSERT_TRUE(reset && *reset);
  // A reset just sent does not hold back a verification, nor does one kind take the other's.
  auto verify = store().CreateMailToken(kVerify, {"same-user-verify", Id(1), 1000, 9000}, 1000);
  ASSERT_TRUE(verify && *verify);
  EXPECT_TRUE(IsError(store().TakeMailToken(kVerify, "same-user-reset", 2000), Errc::kNotFound));
  auto took = store().TakeMailToken(kVerify, "same-user-verify", 2000);
  ASSERT_TRUE(took);
  EXPECT_EQ(*took, Id(1));
  EXPECT_TRUE(store().TakeMailToken(kReset, "same-user-reset", 2000));
}

TEST_P(TokenStoreTest, ATokenIssuedUnderAVersionThatEndedMeanwhileIsNotStored) {
  ASSERT_NO_FATAL_FAILURE(SeedUsers(store()));
  RefreshToken before = Token("v0", Id(1), Id(100));
  before.token_version = 0;
  ASSERT_TRUE(store().CreateRefreshToken(before));
  ASSERT_TRUE(store().EndUserSessions(Id(1)));
  // A login that checked the password before the end and stores its token after it.
  RefreshToken late = Token("v0-late", Id(1), Id(101));
  late.token_version = 0;
  EXPECT_TRUE(IsError(store().CreateRefreshToken(late), Errc::kConflict));
  EXPECT_TRUE(IsError(store().FindRefreshToken("v0-late"), Errc::kNotFound));
  RefreshToken now = Token("v1", Id(1), Id(102));
  now.token_version = 1;
  ASSERT_TRUE(store().CreateRefreshToken(now));
  // A rotation under the old version leaves the presented token unspent.
  ASSERT_TRUE(store().EndUserSessions(Id(1)));
  RefreshToken next = Token("v1-next", Id(1), Id(102));
  next.token_version = 1;
  auto rotated = store().RotateRefreshToken("v1", next);
  EXPECT_TRUE(!rotated || !*rotated);  // revoked by the end, or refused for its version
  EXPECT_TRUE(IsError(store().FindRefreshToken("v1-next"), Errc::kNotFound));
  EXPECT_EQ(store().GetUser(Id(1))->token_version, 2);
}

TEST_P(TokenStoreTest, APasswordResetSetsThePasswordAndEndsSessionsOrChangesNothing) {
  ASSERT_NO_FATAL_FAILURE(SeedUsers(store()));
  ASSERT_TRUE(store().CreateRefreshToken(Token("a1", Id(1), Id(100))));
  auto created = store().CreateMailToken(kReset, {"reset-live", Id(1), 1000, 5000}, 0);
  ASSERT_TRUE(created && *created);
  auto live = store().MailTokenLive(kReset, "reset-live", 2000);
  ASSERT_TRUE(live);
  EXPECT_TRUE(*live);
  EXPECT_FALSE(*store().MailTokenLive(kReset, "reset-live", 5000));  // expired by then
  EXPECT_FALSE(*store().MailTokenLive(kVerify, "reset-live", 2000));
  EXPECT_FALSE(*store().MailTokenLive(kReset, "unknown", 2000));

  // An expired or unknown token changes nothing.
  EXPECT_TRUE(IsError(store().ResetPassword("reset-live", 5000, "new-hash"), Errc::kNotFound));
  EXPECT_TRUE(IsError(store().ResetPassword("unknown", 2000, "new-hash"), Errc::kNotFound));
  EXPECT_FALSE(store().FindRefreshToken("a1")->revoked);
  EXPECT_NE(store().GetUser(Id(1))->password_hash, "new-hash");

  ASSERT_TRUE(*store().CreateMailToken(kReset, {"reset-now", Id(1), 6000, 9000}, 6000));
  auto reset = store().ResetPassword("reset-now", 7000, "new-hash");
  ASSERT_TRUE(reset) << reset.error().message;
  EXPECT_EQ(reset->user_id, Id(1));
  EXPECT_EQ(reset->token_version, 1);
  EXPECT_EQ(store().GetUser(Id(1))->password_hash, "new-hash");
  EXPECT_TRUE(store().FindRefreshToken("a1")->revoked);
  EXPECT_TRUE(
      IsError(store().ResetPassword("reset-now", 7000, "other"), Errc::kNotFound));  // spent
  EXPECT_EQ(store().GetUser(Id(1))->password_hash, "new-hash");
}

}  // namespace
}  // namespace chat::store::testing
