// Unit tests for http/multipart: well-formed forms as discord.js, curl and browsers send them,
// and malformed ones, each of which must be a Validation error (never a crash).
#include "http/multipart.hpp"

#include <gtest/gtest.h>

#include <string>

namespace chat::http::multipart {
namespace {

constexpr std::string_view kBoundary = "----formdata-abc123";

std::string Field(std::string_view name, std::string_view value) {
  return "------formdata-abc123\r\nContent-Disposition: form-data; name=\"" + std::string(name) +
         "\"\r\n\r\n" + std::string(value) + "\r\n";
}

std::string File(std::string_view name, std::string_view filename, std::string_view type,
                 std::string_view data) {
  return "------formdata-abc123\r\nContent-Disposition: form-data; name=\"" + std::string(name) +
         "\"; filename=\"" + std::string(filename) + "\"\r\nContent-Type: " + std::string(type) +
         "\r\n\r\n" + std::string(data) + "\r\n";
}

const std::string kClose = "------formdata-abc123--\r\n";

TEST(MultipartBoundaryOf, ReadsPlainAndQuotedBoundaries) {
  EXPECT_EQ(BoundaryOf("multipart/form-data; boundary=abc").value(), "abc");
  EXPECT_EQ(BoundaryOf("Multipart/Form-Data;boundary=\"a b:c\"").value(), "a b:c");
  EXPECT_EQ(BoundaryOf("multipart/form-data; charset=utf-8; boundary=x-1").value(), "x-1");
}

TEST(MultipartBoundaryOf, RefusesMissingOrMalformedBoundaries) {
  EXPECT_FALSE(BoundaryOf("multipart/form-data"));
  EXPECT_FALSE(BoundaryOf("multipart/form-data; boundary="));
  EXPECT_FALSE(BoundaryOf("multipart/form-data; boundary=\"unterminated"));
  EXPECT_FALSE(BoundaryOf("multipart/mixed; boundary=abc"));
  EXPECT_FALSE(BoundaryOf("multipart/form-data; boundary=" + std::string(71, 'a')));
  EXPECT_FALSE(BoundaryOf("multipart/form-data; boundary=\"ends with space \""));
  EXPECT_EQ(BoundaryOf("text/plain").error().code, Errc::kValidation);
}

TEST(MultipartParse, ReadsFieldsAndFilesInOrder) {
  std::string body = Field("payload_json", "{\"content\":\"hi\"}") +
                     File("files[0]", "a.png", "image/PNG", std::string("\x89PNG\r\n\0x", 8)) +
                     kClose;
  auto parts = Parse(body, kBoundary);
  ASSERT_TRUE(parts) << parts.error().message;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "payload_json");
  EXPECT_FALSE((*parts)[0].filename);
  EXPECT_EQ((*parts)[0].data, "{\"content\":\"hi\"}");
  EXPECT_EQ((*parts)[1].name, "files[0]");
  EXPECT_EQ((*parts)[1].filename.value(), "a.png");
  EXPECT_EQ((*parts)[1].content_type, "image/png");
  EXPECT_EQ((*parts)[1].data, std::string_view("\x89PNG\r\n\0x", 8));
}

TEST(MultipartParse, KeepsDataThatLooksAlmostLikeADelimiter) {
  std::string tricky = "line\r\n------formdata-abc12 not quite\r\n--";
  std::string body = File("file", "t.txt", "text/plain", tricky) + kClose;
  auto parts = Parse(body, kBoundary);
  ASSERT_TRUE(parts) << parts.error().message;
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].data, tricky);
}

TEST(MultipartParse, AcceptsPreambleEpilogueAndEmptyParts) {
  std::string body = "preamble text\r\n" + Field("content", "") + kClose + "epilogue";
  auto parts = Parse(body, kBoundary);
  ASSERT_TRUE(parts) << parts.error().message;
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].data, "");
}

TEST(MultipartParse, DecodesRfc5987Filenames) {
  std::string body =
      "------formdata-abc123\r\nContent-Disposition: form-data; name=\"files[0]\"; "
      "filename=\"fallback.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt\r\n\r\nx\r\n" +
      kClose;
  auto parts = Parse(body, kBoundary);
  ASSERT_TRUE(parts) << parts.error().message;
  EXPECT_EQ((*parts)[0].filename.value(), "r\xC3\xA9sum\xC3\xA9.txt");
}

TEST(MultipartParse, UnescapesQuotedParameterValues) {
  std::string body =
      "------formdata-abc123\r\nContent-Disposition: form-data; name=\"f\"; "
      "filename=\"a\\\"b;c.txt\"\r\n\r\nx\r\n" +
      kClose;
  auto parts = Parse(body, kBoundary);
  ASSERT_TRUE(parts) << parts.error().message;
  EXPECT_EQ((*parts)[0].filename.value(), "a\"b;c.txt");
}

TEST(MultipartParse, RefusesABodyWithoutTheBoundary) {
  auto parts = Parse("just some text", kBoundary);
  ASSERT_FALSE(parts);
  EXPECT_EQ(parts.error().code, Errc::kValidation);
}

TEST(MultipartParse, RefusesABodyWithoutClosingDelimiter) {
  EXPECT_FALSE(Parse(Field("content", "hi"), kBoundary));
  EXPECT_FALSE(Parse(Field("content", "hi") + "------formdata-abc123", kBoundary));
}

TEST(MultipartParse, RefusesTruncatedBodies) {
  std::string whole =
      Field("payload_json", "{}") + File("files[0]", "a.bin", "x/y", "data") + kClose;
  // Every strict prefix that ends before the close delimiter is malformed.
  const std::size_t close_at = whole.size() - kClose.size();
  for (std::size_t n = 0; n < close_at; ++n) {
    auto parts = Parse(std::string_view(whole).substr(0, n), kBoundary);
    EXPECT_FALSE(parts) << "prefix of " << n << " bytes was accepted";
  }
}

TEST(MultipartParse, RefusesAHugePartHeader) {
  std::string body =
      "------formdata-abc123\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Pad: " +
      std::string(20000, 'x') + "\r\n\r\nv\r\n" + kClose;
  auto parts = Parse(body, kBoundary);
  ASSERT_FALSE(parts);
  EXPECT_NE(parts.error().fields.at(0).message.find("too large"), std::string::npos);
}

TEST(MultipartParse, RefusesPartsWithoutNameOrDisposition) {
  EXPECT_FALSE(
      Parse("------formdata-abc123\r\nContent-Type: text/plain\r\n\r\nx\r\n" + kClose, kBoundary));
  EXPECT_FALSE(Parse("------formdata-abc123\r\n\r\nx\r\n" + kClose, kBoundary));
  EXPECT_FALSE(
      Parse("------formdata-abc123\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\nx\r\n" +
                kClose,
            kBoundary));
  EXPECT_FALSE(Parse(
      "------formdata-abc123\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n" + kClose,
      kBoundary));
}

TEST(MultipartParse, RefusesMalformedHeaderLines) {
  EXPECT_FALSE(Parse("------formdata-abc123\r\nno colon here\r\n\r\nx\r\n" + kClose, kBoundary));
  EXPECT_FALSE(Parse(
      "------formdata-abc123\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n" + kClose,
      kBoundary));
  EXPECT_FALSE(
      Parse("------formdata-abc123\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\nx\r\n" +
                kClose,
            kBoundary));
}

TEST(MultipartParse, LimitsTheNumberOfFilesAndParts) {
  std::string body;
  for (int i = 0; i < 11; ++i) {
    body += File("files[" + std::to_string(i) + "]", "f.txt", "text/plain", "x");
  }
  body += kClose;
  auto parts = Parse(body, kBoundary);
  ASSERT_FALSE(parts);
  EXPECT_EQ(parts.error().fields.at(0).field, "files");

  std::string fields;
  for (int i = 0; i < 40; ++i) fields += Field("f" + std::to_string(i), "v");
  EXPECT_FALSE(Parse(fields + kClose, kBoundary));
}

}  // namespace
}  // namespace chat::http::multipart
