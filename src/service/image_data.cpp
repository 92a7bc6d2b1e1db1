#include "service/image_data.hpp"

#include <boost/json/object.hpp>

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

std::string EncodeBase64(std::string_view bytes) {
  std::string text = auth::Base64UrlEncode(bytes);
  for (char& c : text) {
    if (c == '-') {
      c = '+';
    } else if (c == '_') {
      c = '/';
    }
  }
  while (text.size() % 4 != 0) text.push_back('=');
  return text;
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

Result<ImageChange> ReadImageField(const boost::json::object& body, std::string_view field,
                                   std::size_t max_bytes) {
  const auto* v = body.if_contains(field);
  if (!v) return ImageChange();
  if (v->is_null()) return ImageChange(std::optional<domain::StoredImage>());
  if (!v->is_string()) {
    return Error::Validation("Invalid Form Body",
                             {{std::string(field), "BASE_TYPE_STRING", "Must be a string."}});
  }
  auto image = ParseDataImage(std::string(v->as_string()), field, max_bytes);
  if (!image) return image.error();
  std::string hash = auth::Sha256Hex(image->base64).substr(0, 32);
  return ImageChange(domain::StoredImage{std::move(hash), std::move(image->content_type),
                                         std::move(image->base64)});
}

Result<ImageFile> DecodeStoredImage(const std::string& base64, std::string content_type) {
  auto bytes = DecodeBase64(base64);
  if (!bytes) return Error::Internal("a stored image is not base64");
  return ImageFile{std::move(*bytes), std::move(content_type)};
}

Result<ImageFile> ImageBytes(domain::StoredImage image, std::string_view hash, Error unknown) {
  if (image.hash != hash) return unknown;
  return DecodeStoredImage(image.base64, std::move(image.content_type));
}

}  // namespace chat::service
