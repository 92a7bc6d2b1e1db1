#include "service/image_data.hpp"

#include "service/attachment_service.hpp"
#include "service/auth/secure_token.hpp"

namespace chat::service {

std::optional<std::string> DecodeBase64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t pad = 0;
  while (pad < 2 && pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
  std::string url(text.substr(0, text.size() - pad));
  for (char& c : url) {
    if (c == '+') {
      c = '-';
    } else if (c == '/') {
      c = '_';
    } else if (c == '-' || c == '_') {
      return std::nullopt;  // not of this alphabet
    }
  }
  return auth::Base64UrlDecode(url);
}

Result<DataImage> ParseDataImage(const std::string& uri, std::string_view field,
                                 std::size_t max_bytes) {
  const auto bad = [&](std::string message) {
    return Error::Validation("Invalid Form Body",
                             {{std::string(field), "IMAGE_INVALID", std::move(message)}});
  };
  const auto too_large = [&] {
    return Error{Errc::kPayloadTooLarge,
                 "File cannot be larger than " + std::to_string(max_bytes / 1024) + ".0 kb.",
                 50045};
  };
  constexpr std::string_view kPrefix = "data:";
  constexpr std::string_view kMarker = ";base64,";
  const auto marker = uri.find(kMarker);
  if (!uri.starts_with(kPrefix) || marker == std::string::npos) {
    return bad("Must be a data URI: data:image/png;base64,…");
  }
  const std::string_view payload = std::string_view(uri).substr(marker + kMarker.size());
  if (payload.size() > (max_bytes + 2) / 3 * 4) return too_large();
  auto bytes = DecodeBase64(payload);
  if (!bytes || bytes->empty()) return bad("The image is not valid base64.");
  if (bytes->size() > max_bytes) return too_large();
  const std::string type = DetectContentType(*bytes, "application/octet-stream");
  if (type != "image/png" && type != "image/jpeg" && type != "image/gif" && type != "image/webp") {
    return bad("The image must be a PNG, JPEG, GIF or WebP file.");
  }
  return DataImage{std::string(payload), type};
}

}  // namespace chat::service
