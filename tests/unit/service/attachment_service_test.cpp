// Unit tests for service/attachment_service: filename sanitizing, content-type detection, image
// sizes, which types are shown inline, and the service's files on disk (save, find by key, read
// a range, remove) over an in-memory SQLite store and a temporary directory.
#include "service/attachment_service.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.hpp"

namespace chat::service {
namespace {

namespace fs = std::filesystem;
using domain::Snowflake;

const std::string kPng =
    std::string("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\x01\x00\0\0\0\x20\x08\x02\0\0\0", 29);

TEST(SanitizeFilename, StripsPathsAndControlCharacters) {
  EXPECT_EQ(SanitizeFilename("../../etc/passwd"), "passwd");
  EXPECT_EQ(SanitizeFilename("C:\\Users\\me\\report.pdf"), "report.pdf");
  EXPECT_EQ(SanitizeFilename("bell\x07name\x01.txt"), "bellname.txt");
  EXPECT_EQ(SanitizeFilename("my file (1).png"), "my_file__1_.png");
}

TEST(SanitizeFilename, ReplacesEachNonAsciiCodePointOnce) {
  EXPECT_EQ(SanitizeFilename("r\xC3\xA9sum\xC3\xA9.txt"), "r_sum_.txt");
  EXPECT_EQ(SanitizeFilename("\xF0\x9F\x98\x80.png"), "_.png");
}

TEST(SanitizeFilename, NeverEmptyNorHidden) {
  EXPECT_EQ(SanitizeFilename(""), "unknown");
  EXPECT_EQ(SanitizeFilename(".."), "unknown");
  EXPECT_EQ(SanitizeFilename("dir/"), "unknown");
  EXPECT_EQ(SanitizeFilename(".bashrc"), "bashrc");
  EXPECT_EQ(SanitizeFilename("trailing.."), "trailing");
}

TEST(SanitizeFilename, CapsTheLengthKeepingTheExtension) {
  std::string name = SanitizeFilename(std::string(300, 'a') + ".jpeg");
  EXPECT_EQ(name.size(), 128u);
  EXPECT_EQ(name.substr(name.size() - 5), ".jpeg");
}

TEST(DetectContentType, MagicBytesWinOverTheDeclaredType) {
  EXPECT_EQ(DetectContentType(kPng, "text/html"), "image/png");
  EXPECT_EQ(DetectContentType("\xff\xd8\xff\xe0rest", ""), "image/jpeg");
  EXPECT_EQ(DetectContentType("GIF89a....", ""), "image/gif");
  EXPECT_EQ(DetectContentType(std::string("RIFF\x10\0\0\0WEBPVP8 ", 16), ""), "image/webp");
  EXPECT_EQ(DetectContentType("%PDF-1.7\n", ""), "application/pdf");
  EXPECT_EQ(DetectContentType(std::string("PK\x03\x04\x14\0", 6), ""), "application/zip");
  EXPECT_EQ(DetectContentType(std::string("\0\0\0\x18"
                                          "ftypmp42",
                                          12),
                              ""),
            "video/mp4");
}

TEST(DetectContentType, TextIsPlainUnlessDeclaredAsAnotherTextType) {
  EXPECT_EQ(DetectContentType("hello\n", "application/octet-stream"), "text/plain; charset=utf-8");
  EXPECT_EQ(DetectContentType("a,b\n1,2\n", "text/csv"), "text/csv; charset=utf-8");
  EXPECT_EQ(DetectContentType("{}", "application/json"), "application/json; charset=utf-8");
}

TEST(DetectContentType, BinaryFallsBackToAWellFormedDeclaredType) {
  const std::string binary("\x01\x02\x03\xff", 4);
  EXPECT_EQ(DetectContentType(binary, "Application/X-Thing"), "application/x-thing");
  EXPECT_EQ(DetectContentType(binary, "not a type"), "application/octet-stream");
  EXPECT_EQ(DetectContentType(binary, "image/png"), "application/octet-stream");
  EXPECT_EQ(DetectContentType(binary, "a/b\r\nX-Injected: 1"), "application/octet-stream");
  EXPECT_EQ(DetectContentType(binary, ""), "application/octet-stream");
}

TEST(ReadImageSize, ReadsPngGifAndJpegHeaders) {
  auto png = ReadImageSize(kPng, "image/png");
  ASSERT_TRUE(png);
  EXPECT_EQ(png->width, 256);
  EXPECT_EQ(png->height, 32);
  auto gif = ReadImageSize(std::string("GIF89a\x05\x00\x07\x00", 10), "image/gif");
  ASSERT_TRUE(gif);
  EXPECT_EQ(gif->width, 5);
  EXPECT_EQ(gif->height, 7);
  // SOI, an APP0 segment of 4 bytes, then SOF0 with height 3 and width 4.
  const std::string jpeg("\xff\xd8\xff\xe0\x00\x04\x00\x00\xff\xc0\x00\x11\x08\x00\x03\x00\x04",
                         17);
  auto size = ReadImageSize(jpeg, "image/jpeg");
  ASSERT_TRUE(size);
  EXPECT_EQ(size->width, 4);
  EXPECT_EQ(size->height, 3);
}

TEST(ReadImageSize, BrokenHeadersGiveNothing) {
  EXPECT_FALSE(ReadImageSize(kPng.substr(0, 20), "image/png"));
  EXPECT_FALSE(ReadImageSize("\xff\xd8\xff\xe0\x00", "image/jpeg"));
  EXPECT_FALSE(ReadImageSize(std::string("\xff\xd8\xff\xe0\x00\x00", 6), "image/jpeg"));
  EXPECT_FALSE(ReadImageSize("GIF89a", "image/gif"));
  EXPECT_FALSE(ReadImageSize(kPng, "application/pdf"));
}

TEST(IsInlineType, OnlyImagesVideoAndPlainTextShowInPlace) {
  EXPECT_TRUE(IsInlineType("image/png"));
  EXPECT_TRUE(IsInlineType("text/plain; charset=utf-8"));
  EXPECT_TRUE(IsInlineType("video/mp4"));
  EXPECT_FALSE(IsInlineType("text/html; charset=utf-8"));
  EXPECT_FALSE(IsInlineType("image/svg+xml"));
  EXPECT_FALSE(IsInlineType("application/octet-stream"));
}

class AttachmentServiceTest : public ::testing::Test {
 protected:
  static constexpr Snowflake kUser = 1, kGuild = 10, kChannel = 11, kMessage = 500;

  void SetUp() override {
    root_ =
        fs::temp_directory_path() /
        ("chat-attachments-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    auto opened = store::sqlite::OpenSqliteStore(":memory:");
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    domain::User u;
    u.id = kUser;
    u.username = "owner";
    u.email = "owner@example.com";
    ASSERT_TRUE(store_->CreateUser(u));
    store::NewGuild g;
    g.guild.id = kGuild;
    g.guild.name = "G";
    g.guild.owner_id = kUser;
    domain::Role everyone;
    everyone.id = kGuild;
    everyone.guild_id = kGuild;
    everyone.name = "@everyone";
    g.roles.push_back(everyone);
    domain::Channel text;
    text.id = kChannel;
    text.guild_id = kGuild;
    text.name = "general";
    g.channels.push_back(text);
    g.owner.guild_id = kGuild;
    g.owner.user_id = kUser;
    ASSERT_TRUE(store_->CreateGuild(g));
    domain::Message m;
    m.id = kMessage;
    m.channel_id = kChannel;
    m.author_id = kUser;
    m.content = "files";
    ASSERT_TRUE(store_->CreateMessage(m));
    service_ = std::make_unique<AttachmentService>(
        *store_, ids_, AttachmentOptions{root_.string(), "http://cdn.test", 64});
  }

  void TearDown() override { fs::remove_all(root_); }

  fs::path root_;
  std::unique_ptr<store::Store> store_;
  domain::SnowflakeGenerator ids_{1, 1};
  std::unique_ptr<AttachmentService> service_;
};

TEST_F(AttachmentServiceTest, SavedFilesAreFoundByKeyAndReadBack) {
  const std::string text = "0123456789abcdef";
  std::vector<NewAttachment> files = {{"../notes.txt", "d", "text/plain", text},
                                      {"pic.png", std::nullopt, "", kPng}};
  auto saved = service_->Save(kChannel, kMessage, files);
  ASSERT_TRUE(saved) << saved.error().message;
  ASSERT_EQ(saved->size(), 2u);
  const domain::Attachment& a = (*saved)[0];
  EXPECT_EQ(a.filename, "notes.txt");
  EXPECT_EQ(a.position, 0);
  EXPECT_EQ(a.size, 16);
  EXPECT_EQ(a.url, "http://cdn.test/attachments/11/" + domain::ToString(a.id) +
                       "/notes.txt?key=" + a.url_key);
  EXPECT_EQ(a.url_key.size(), 22u);  // 16 random bytes, base64url
  EXPECT_NE(a.url_key, (*saved)[1].url_key);
  EXPECT_EQ((*saved)[1].width, 256);
  EXPECT_TRUE(fs::is_regular_file(root_ / domain::ToString(a.id) / "notes.txt"));
  ASSERT_TRUE(store_->CreateAttachments(*saved));

  auto found = service_->Find(kChannel, a.id, "notes.txt", a.url_key);
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(service_->Read(*found, 0, 16).value(), text);
  EXPECT_EQ(service_->Read(*found, 10, 3).value(), "abc");
  EXPECT_EQ(service_->Find(kChannel, a.id, "notes.txt", "wrong").error().code, Errc::kNotFound);
  EXPECT_EQ(service_->Find(kChannel, a.id, "other.txt", a.url_key).error().code, Errc::kNotFound);
  EXPECT_EQ(service_->Find(kChannel + 1, a.id, "notes.txt", a.url_key).error().code,
            Errc::kNotFound);

  const Snowflake message = kMessage;
  auto listed = service_->ForMessages(std::span<const Snowflake>(&message, 1));
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].url, a.url);

  service_->RemoveFiles(*saved);
  EXPECT_FALSE(fs::exists(root_ / domain::ToString(a.id)));
  EXPECT_EQ(service_->Read(*found, 0, 16).error().code, Errc::kNotFound);
}

TEST_F(AttachmentServiceTest, OversizeFilesAre413AndNothingIsWritten) {
  const std::string big(65, 'x');
  std::vector<NewAttachment> files = {{"big.bin", std::nullopt, "", big}};
  auto saved = service_->Save(kChannel, kMessage, files);
  ASSERT_FALSE(saved);
  EXPECT_EQ(saved.error().code, Errc::kPayloadTooLarge);
  EXPECT_FALSE(fs::exists(root_));
}

TEST_F(AttachmentServiceTest, AFailedWriteIsAnErrorAndLeavesNoFiles) {
  // A regular file where the root directory should be: no attachment directory can be made.
  { std::ofstream blocker(root_); }
  std::vector<NewAttachment> files = {{"a.txt", std::nullopt, "", "a"},
                                      {"b.txt", std::nullopt, "", "b"}};
  auto saved = service_->Save(kChannel, kMessage, files);
  ASSERT_FALSE(saved);
  EXPECT_EQ(saved.error().code, Errc::kInternal);
  EXPECT_TRUE(fs::is_regular_file(root_));
}

TEST_F(AttachmentServiceTest, SweepRemovesOnlyDirectoriesWithoutARow) {
  std::vector<NewAttachment> files = {{"kept.txt", std::nullopt, "", "k"},
                                      {"orphan.txt", std::nullopt, "", "o"}};
  auto saved = service_->Save(kChannel, kMessage, files);
  ASSERT_TRUE(saved);
  ASSERT_TRUE(store_->CreateAttachments(std::span(saved->data(), 1)));
  fs::create_directories(root_ / "not-an-id");
  EXPECT_EQ(service_->SweepOrphans(), 1u);
  EXPECT_TRUE(fs::exists(root_ / domain::ToString((*saved)[0].id) / "kept.txt"));
  EXPECT_FALSE(fs::exists(root_ / domain::ToString((*saved)[1].id)));
  EXPECT_TRUE(fs::exists(root_ / "not-an-id"));
}

}  // namespace
}  // namespace chat::service
