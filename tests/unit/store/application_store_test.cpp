// ApplicationStore behaviour (apps and their bot users), against every backend.
#include "store/errors.hpp"
#include "store_fixture.hpp"
#include "store_test_util.hpp"

namespace chat::store::testing {
namespace {

void SeedOwnerAndBot(Store& store) {
  ASSERT_TRUE(store.CreateUser(MakeUser(Id(1), "owner")));
  domain::User bot = MakeUser(Id(2), "helper-bot");
  bot.email.clear();
  bot.bot = true;
  ASSERT_TRUE(store.CreateUser(bot));
}

Application MakeApp(domain::Snowflake id, std::optional<domain::Snowflake> bot_user) {
  Application app;
  app.id = id;
  app.name = "Helper";
  app.description = "Helps 🤖";
  app.owner_id = Id(1);
  app.bot_user_id = bot_user;
  app.bot_token_hash = "sha256:abc";
  return app;
}

TEST_P(ApplicationStoreTest, CreatedApplicationIsFoundByIdBotUserAndOwner) {
  ASSERT_NO_FATAL_FAILURE(SeedOwnerAndBot(store()));
  ASSERT_TRUE(store().CreateApplication(MakeApp(Id(50), Id(2))));

  auto by_id = store().GetApplication(Id(50));
  ASSERT_TRUE(by_id) << by_id.error().message;
  EXPECT_EQ(by_id->name, "Helper");
  EXPECT_EQ(by_id->description, "Helps 🤖");
  EXPECT_EQ(by_id->owner_id, Id(1));
  EXPECT_EQ(by_id->bot_user_id, Id(2));
  EXPECT_EQ(by_id->bot_token_hash, "sha256:abc");
  EXPECT_TRUE(by_id->bot_public);
  EXPECT_EQ(by_id->created_at_ms, domain::SnowflakeUnixMs(Id(50)));

  EXPECT_EQ(store().GetApplicationByBotUser(Id(2))->id, Id(50));
  auto owned = store().ListApplicationsByOwner(Id(1));
  ASSERT_TRUE(owned);
  ASSERT_EQ(owned->size(), 1u);
  EXPECT_EQ(owned->front().id, Id(50));
  EXPECT_TRUE(store().ListApplicationsByOwner(Id(2))->empty());
}

TEST_P(ApplicationStoreTest, UnknownApplicationIsNotFoundWithDiscordCode) {
  EXPECT_TRUE(IsError(store().GetApplication(Id(50)), Errc::kNotFound, kUnknownApplication));
  EXPECT_TRUE(
      IsError(store().GetApplicationByBotUser(Id(2)), Errc::kNotFound, kUnknownApplication));
  EXPECT_TRUE(
      IsError(store().UpdateBotTokenHash(Id(50), "x"), Errc::kNotFound, kUnknownApplication));
}

TEST_P(ApplicationStoreTest, ApplicationOfUnknownOwnerIsNotFound) {
  EXPECT_TRUE(
      IsError(store().CreateApplication(MakeApp(Id(50), Id(2))), Errc::kNotFound, kUnknownUser));
}

TEST_P(ApplicationStoreTest, ResetTokenReplacesTheHash) {
  ASSERT_NO_FATAL_FAILURE(SeedOwnerAndBot(store()));
  ASSERT_TRUE(store().CreateApplication(MakeApp(Id(50), Id(2))));
  ASSERT_TRUE(store().UpdateBotTokenHash(Id(50), "sha256:def"));
  EXPECT_EQ(store().GetApplication(Id(50))->bot_token_hash, "sha256:def");
}

TEST_P(ApplicationStoreTest, ABotUserBelongsToOneApplication) {
  ASSERT_NO_FATAL_FAILURE(SeedOwnerAndBot(store()));
  ASSERT_TRUE(store().CreateApplication(MakeApp(Id(50), Id(2))));
  EXPECT_TRUE(IsError(store().CreateApplication(MakeApp(Id(51), Id(2))), Errc::kConflict));
  EXPECT_TRUE(IsError(store().CreateApplication(MakeApp(Id(50), std::nullopt)), Errc::kConflict));
}

}  // namespace
}  // namespace chat::store::testing
