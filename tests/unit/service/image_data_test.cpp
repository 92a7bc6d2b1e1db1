// Images in JSON bodies as data URIs (service/image_data): what is taken as an image, what is
// refused and how, and the size bound.
#include <gtest/gtest.h>

#include "service/auth/secure_token.hpp"
#include "service/image_data.hpp"

namespace chat::service {
namespace {

const std::string kGif = std::string("GIF89a\x03\x00\x03\x00", 10) + std::string(20, '\0');

std::string Uri(std::string_view type, std::string_view bytes) {
  // Standard base64 from the URL-safe encoder: data URIs use '+' and '/', with padding.
  std::string b64 = auth::Base64UrlEncode(bytes);
  for (char& c : b64) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (b64.size() % 4 != 0) b64 += '=';
  return "data:image/" + std::string(type) + ";base64," + b64;
}

TEST(ImageData, AnImageIsTakenByItsBytesWhateverTheUriSays) {
  auto image = ParseDataImage(Uri("png", kGif), "image", 1024);
  ASSERT_TRUE(image) << image.error().message;
  EXPECT_EQ(image->content_type, "image/gif");
  EXPECT_EQ(DecodeBase64(image->base64), kGif);
}

TEST(ImageData, AnythingElseIsRefusedOnTheField) {
  for (const std::string& bad :
       {Uri("png", "plain text"), std::string("https://example.com/a.png"),
        std::string("data:image/png;base64,%%%%"), std::string("data:image/png,raw")}) {
    auto image = ParseDataImage(bad, "cover", 1024);
    ASSERT_FALSE(image) << bad;
    EXPECT_EQ(image.error().code, Errc::kValidation);
    ASSERT_EQ(image.error().fields.size(), 1u);
    EXPECT_EQ(image.error().fields[0].field, "cover");
  }
}

TEST(ImageData, ALargerImageIsTooLarge) {
  const std::string big = kGif + std::string(2048, '\0');
  auto image = ParseDataImage(Uri("gif", big), "image", 1024);
  ASSERT_FALSE(image);
  EXPECT_EQ(image.error().code, Errc::kPayloadTooLarge);
  EXPECT_EQ(image.error().api_code, 50045);
  EXPECT_EQ(image.error().message, "File cannot be larger than 1.0 kb.");
  EXPECT_TRUE(ParseDataImage(Uri("gif", big), "image", 4096));
}

}  // namespace
}  // namespace chat::service
