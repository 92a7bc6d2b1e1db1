// StickerStore behaviour against every backend.
#include <string>

#include "store/errors.hpp"
#include "store/sticker_store.hpp"
#include "store_fixture.hpp"
#include "store_test_util.hpp"

namespace chat::store::testing {
namespace {

constexpr domain::Snowflake kOwner = 1, kGuild = 100, kOther = 200;

domain::Sticker Sticker(domain::Snowflake id, const std::string& name,
                        domain::Snowflake guild = kGuild) {
  return {id, guild, name, "", "tag", domain::StickerFormat::kPng, kOwner};
}

const domain::StickerImage kPng{"iVBORw0KGgo=", "image/png"};

void Seed(Store& store) {
  ASSERT_TRUE(store.CreateUser(MakeUser(kOwner, "owner")));
  ASSERT_TRUE(store.CreateGuild(MakeGuild(kGuild, kOwner)));
  ASSERT_TRUE(store.CreateGuild(MakeGuild(kOther, kOwner, "Other")));
}

TEST_P(StickerStoreTest, StickersAreStoredListedChangedAndDeletedWithTheirImages) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  domain::Sticker gif = Sticker(501, "blink");
  gif.format = domain::StickerFormat::kGif;
  gif.description = "blinks 👀";
  auto made = store().CreateSticker(Sticker(500, "wave"), kPng, 5);
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_TRUE(*made);
  ASSERT_TRUE(store().CreateSticker(gif, {"R0lGODlh", "image/gif"}, 5));
  ASSERT_TRUE(store().CreateSticker(Sticker(600, "elsewhere", kOther), kPng, 5));
  auto listed = store().ListStickers(kGuild);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].name, "wave");
  EXPECT_EQ((*listed)[1].format, domain::StickerFormat::kGif);
  EXPECT_EQ((*listed)[1].description, "blinks 👀");
  EXPECT_EQ((*listed)[1].creator_id, kOwner);
  auto image = store().GetStickerImage(501);
  ASSERT_TRUE(image);
  EXPECT_EQ(image->base64, "R0lGODlh");
  EXPECT_EQ(image->content_type, "image/gif");

  StickerUpdate update;
  update.name = "hello";
  update.description = "";
  auto changed = store().UpdateSticker(501, update);
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_EQ(changed->name, "hello");
  EXPECT_EQ(changed->description, "");
  EXPECT_EQ(changed->tags, "tag");  // not given: kept
  auto read = store().GetSticker(501);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->name, "hello");
  ASSERT_TRUE(store().DeleteSticker(500));
  EXPECT_TRUE(IsError(store().GetSticker(500), Errc::kNotFound, kUnknownSticker));
  EXPECT_TRUE(IsError(store().GetStickerImage(500), Errc::kNotFound, kUnknownSticker));
  EXPECT_TRUE(IsError(store().DeleteSticker(500), Errc::kNotFound, kUnknownSticker));
  EXPECT_TRUE(IsError(store().UpdateSticker(500, update), Errc::kNotFound, kUnknownSticker));
  EXPECT_TRUE(IsError(store().CreateSticker(Sticker(700, "lost", 999), kPng, 5), Errc::kNotFound,
                      kUnknownGuild));
  // They go with their guild.
  ASSERT_TRUE(store().DeleteGuild(kOther));
  EXPECT_TRUE(IsError(store().GetSticker(600), Errc::kNotFound, kUnknownSticker));
}

TEST_P(StickerStoreTest, AGuildStopsAtItsLimit) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  for (const auto& s : {Sticker(500, "one"), Sticker(501, "two")}) {
    auto made = store().CreateSticker(s, kPng, 2);
    ASSERT_TRUE(made) << made.error().message;
    ASSERT_TRUE(*made);
  }
  auto third = store().CreateSticker(Sticker(502, "three"), kPng, 2);
  ASSERT_TRUE(third);
  EXPECT_FALSE(*third);
  EXPECT_TRUE(IsError(store().GetSticker(502), Errc::kNotFound));
  auto other = store().CreateSticker(Sticker(503, "other", kOther), kPng, 2);  // another guild
  ASSERT_TRUE(other) << other.error().message;
  EXPECT_TRUE(*other);
}

}  // namespace
}  // namespace chat::store::testing
