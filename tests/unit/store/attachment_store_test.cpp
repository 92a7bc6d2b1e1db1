// AttachmentStore and PinStore behaviour: attachment rows round-trip, batch listing in message
// and position order, deletion by id and with their message, and pin times. Against every
// backend (runs under the MessageStoreTest fixture, which every backend instantiates).
#include <string>
#include <vector>

#include "store/errors.hpp"
#include "store_fixture.hpp"
#include "store_test_util.hpp"

namespace chat::store::testing {
namespace {

const domain::Snowflake kAlice = Id(1);
const domain::Snowflake kGuild = Id(1000);
const domain::Snowflake kText = kGuild + 2;
const domain::Snowflake kFirst = Id(60001);
const domain::Snowflake kSecond = Id(60002);

void Seed(Store& store) {
  ASSERT_TRUE(store.CreateUser(MakeUser(kAlice, "alice")));
  ASSERT_TRUE(store.CreateGuild(MakeGuild(kGuild, kAlice)));
  ASSERT_TRUE(store.CreateMessage(MakeMessage(kFirst, kText, kAlice, "one")));
  ASSERT_TRUE(store.CreateMessage(MakeMessage(kSecond, kText, kAlice, "two")));
}

domain::Attachment MakeAttachment(domain::Snowflake id, domain::Snowflake message, int position) {
  domain::Attachment a;
  a.id = id;
  a.message_id = message;
  a.channel_id = kText;
  a.position = position;
  a.filename = "file" + std::to_string(position) + ".png";
  a.content_type = "image/png";
  a.size = 1234;
  a.url_key = "key-" + std::to_string(id);
  return a;
}

TEST_P(MessageStoreTest, AttachmentsRoundTripAndListInMessageAndPositionOrder) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  auto described = MakeAttachment(Id(70001), kFirst, 1);
  described.description = "a caption";
  described.width = 640;
  described.height = 480;
  const std::vector<domain::Attachment> rows = {MakeAttachment(Id(70003), kSecond, 0), described,
                                                MakeAttachment(Id(70002), kFirst, 0)};
  ASSERT_TRUE(store().CreateAttachments(rows));

  auto got = store().GetAttachment(Id(70001));
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(got->message_id, kFirst);
  EXPECT_EQ(got->channel_id, kText);
  EXPECT_EQ(got->filename, "file1.png");
  EXPECT_EQ(got->description, "a caption");
  EXPECT_EQ(got->content_type, "image/png");
  EXPECT_EQ(got->size, 1234);
  EXPECT_EQ(got->width, 640);
  EXPECT_EQ(got->height, 480);
  EXPECT_EQ(got->url_key, "key-" + std::to_string(Id(70001)));
  EXPECT_FALSE(store().GetAttachment(Id(70002)).value().width);

  const std::vector<domain::Snowflake> both = {kSecond, kFirst};
  auto list = store().ListAttachments(both);
  ASSERT_TRUE(list);
  std::vector<domain::Snowflake> ids;
  for (const auto& a : *list) ids.push_back(a.id);
  EXPECT_EQ(ids, (std::vector<domain::Snowflake>{Id(70002), Id(70001), Id(70003)}));
  EXPECT_TRUE(store().ListAttachments({}).value().empty());
}

TEST_P(MessageStoreTest, AttachmentsOfAnUnknownMessageAreRefusedWhole) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  const std::vector<domain::Attachment> rows = {MakeAttachment(Id(70011), kFirst, 0),
                                                MakeAttachment(Id(70012), Id(999), 1)};
  EXPECT_TRUE(IsError(store().CreateAttachments(rows), Errc::kNotFound, 10008));
  EXPECT_EQ(store().GetAttachment(Id(70011)).error().code, Errc::kNotFound);
}

TEST_P(MessageStoreTest, AttachmentsGoByIdAndWithTheirMessage) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  const std::vector<domain::Attachment> rows = {MakeAttachment(Id(70021), kFirst, 0),
                                                MakeAttachment(Id(70022), kFirst, 1),
                                                MakeAttachment(Id(70023), kSecond, 0)};
  ASSERT_TRUE(store().CreateAttachments(rows));
  const std::vector<domain::Snowflake> one = {Id(70022), Id(79999)};
  EXPECT_EQ(store().DeleteAttachments(one).value(), 1);
  ASSERT_TRUE(store().DeleteMessage(kText, kSecond));
  EXPECT_EQ(store().GetAttachment(Id(70023)).error().code, Errc::kNotFound);
  const std::vector<domain::Snowflake> both = {kFirst, kSecond};
  auto left = store().ListAttachments(both);
  ASSERT_TRUE(left);
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ(left->front().id, Id(70021));
}

TEST_P(MessageStoreTest, PinsKeepTheirTimeAndListMostRecentlyPinnedFirst) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_TRUE(store().SetPinned(kText, kSecond, true, 5000));
  ASSERT_TRUE(store().SetPinned(kText, kFirst, true, 9000));
  auto pins = store().ListPins(kText, 50);
  ASSERT_TRUE(pins);
  ASSERT_EQ(pins->size(), 2u);
  EXPECT_EQ((*pins)[0].message_id, kFirst);
  EXPECT_EQ((*pins)[0].pinned_at_ms, 9000);
  EXPECT_EQ((*pins)[1].message_id, kSecond);
  EXPECT_TRUE(store().GetMessage(kText, kFirst).value().pinned);

  ASSERT_TRUE(store().SetPinned(kText, kFirst, false, 10000));
  EXPECT_FALSE(store().GetMessage(kText, kFirst).value().pinned);
  EXPECT_EQ(store().ListPins(kText, 50).value().size(), 1u);
  EXPECT_TRUE(IsError(store().SetPinned(kText, Id(999), true, 1), Errc::kNotFound, 10008));
  EXPECT_TRUE(IsError(store().SetPinned(kGuild + 3, kFirst, true, 1), Errc::kNotFound, 10008));
}

// The newer message pinned first, the older one in the same millisecond: the list still shows the
// later pin first (a tie on time would otherwise fall back to message id, the wrong way round).
TEST_P(MessageStoreTest, PinsMadeInOneMillisecondListInTheOrderTheyWereMade) {
  ASSERT_NO_FATAL_FAILURE(Seed(store()));
  ASSERT_TRUE(store().SetPinned(kText, kSecond, true, 7000));
  ASSERT_TRUE(store().SetPinned(kText, kFirst, true, 7000));
  auto pins = store().ListPins(kText, 50);
  ASSERT_TRUE(pins);
  ASSERT_EQ(pins->size(), 2u);
  EXPECT_EQ((*pins)[0].message_id, kFirst);
  EXPECT_EQ((*pins)[0].pinned_at_ms, 7001);
  EXPECT_EQ((*pins)[1].message_id, kSecond);
  EXPECT_EQ((*pins)[1].pinned_at_ms, 7000);
}

}  // namespace
}  // namespace chat::store::testing
