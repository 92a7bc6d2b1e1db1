// EmojiStore behaviour against every backend.
#include <string>

#include "store/emoji_store.hpp"
#include "store/errors.hpp"
#include "store_fixture.hpp"
#include "store_test_util.hpp"

namespace chat::store::testing {
namespace {

constexpr domain::Snowflake kOwner = 1, kGuild = 100, kOther = 200;

domain::CustomEmoji Emoji(domain::Snowflake id, const std::string& name, bool animated = false,
                          domain::Snowflake guild = kGuild) {
  return {id, guild, name, animated, kOwner};
}

const domain::EmojiImage kPng{"iVBORw0KGgo=", "image/png"};

void Seed(Store& store) {
  ASSERT_TRUE(store.CreateUser(MakeUser(kOwner, "owner")));
  ASSERT_TRUE(store.CreateGuild(MakeGuild(kGuild, kOwner)));
  ASSERT_TRUE(store.CreateGuild(MakeGuild(kOther, kOwner, "Other")));
}

TEST_P(EmojiStoreTest, EmojisAreStoredListedRenamedAndDeletedWithTheirImages) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  auto made = store().CreateEmoji(Emoji(500, "blob"), kPng, 50);
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_TRUE(*made);
  ASSERT_TRUE(store().CreateEmoji(Emoji(501, "dance", true), {"R0lGODlh", "image/gif"}, 50));
  ASSERT_TRUE(store().CreateEmoji(Emoji(600, "elsewhere", false, kOther), kPng, 50));
  auto listed = store().ListEmojis(kGuild);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].name, "blob");
  EXPECT_TRUE((*listed)[1].animated);
  EXPECT_EQ((*listed)[1].creator_id, kOwner);
  auto image = store().GetEmojiImage(501);
  ASSERT_TRUE(image);
  EXPECT_EQ(image->base64, "R0lGODlh");
  EXPECT_EQ(image->content_type, "image/gif");

  auto renamed = store().RenameEmoji(500, "blob_party");
  ASSERT_TRUE(renamed) << renamed.error().message;
  EXPECT_EQ(renamed->name, "blob_party");
  EXPECT_EQ(store().GetEmoji(500)->name, "blob_party");
  ASSERT_TRUE(store().DeleteEmoji(500));
  EXPECT_TRUE(IsError(store().GetEmoji(500), Errc::kNotFound, kUnknownEmoji));
  EXPECT_TRUE(IsError(store().GetEmojiImage(500), Errc::kNotFound, kUnknownEmoji));
  EXPECT_TRUE(IsError(store().DeleteEmoji(500), Errc::kNotFound, kUnknownEmoji));
  EXPECT_TRUE(IsError(store().RenameEmoji(500, "x"), Errc::kNotFound, kUnknownEmoji));
  EXPECT_TRUE(IsError(store().CreateEmoji(Emoji(700, "lost", false, 999), kPng, 50),
                      Errc::kNotFound, kUnknownGuild));
  // They go with their guild.
  ASSERT_TRUE(store().DeleteGuild(kOther));
  EXPECT_TRUE(IsError(store().GetEmoji(600), Errc::kNotFound, kUnknownEmoji));
}

TEST_P(EmojiStoreTest, EachKindStopsAtItsLimit) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_TRUE(*store().CreateEmoji(Emoji(500, "one"), kPng, 2));
  ASSERT_TRUE(*store().CreateEmoji(Emoji(501, "two"), kPng, 2));
  auto third = store().CreateEmoji(Emoji(502, "three"), kPng, 2);
  ASSERT_TRUE(third);
  EXPECT_FALSE(*third);
  EXPECT_TRUE(IsError(store().GetEmoji(502), Errc::kNotFound));
  EXPECT_TRUE(*store().CreateEmoji(Emoji(503, "moving", true), kPng, 2));  // counted apart
}

}  // namespace
}  // namespace chat::store::testing
