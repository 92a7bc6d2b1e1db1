// service/image_data.hpp — images that arrive in JSON bodies as data URIs
// (data:image/png;base64,…), as Discord takes emoji images, event covers and group DM icons:
// checked to be a PNG, JPEG, GIF or WebP image by their bytes, kept as the base64 they came as.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/fwd.hpp>

#include "common/result.hpp"
#include "domain/image.hpp"

namespace chat::service {

struct DataImage {
  std::string base64;        // as the data URI carried it
  std::string content_type;  // image/png, image/jpeg, image/gif or image/webp
};

// 400 (50035, IMAGE_INVALID on `field`) for anything but a data URI of such an image; 413
// (50045) past `max_bytes` decoded.
[[nodiscard]] Result<DataImage> ParseDataImage(const std::string& uri, std::string_view field,
                                               std::size_t max_bytes);

// Standard base64 (with '=' padding), as data URIs carry it; nullopt when it is not.
std::optional<std::string> DecodeBase64(std::string_view text);
// The same alphabet and padding, for bytes that arrive raw (an uploaded file) and are kept as
// data URIs keep them.
std::string EncodeBase64(std::string_view bytes);

// A body's image field (an event's `image`, a group DM's `icon`): absent (nullopt: unchanged),
// null (removed) or a data URI (the new image, named by its content's hash: a new image is a new
// URL, the same image the same URL). Errors as ParseDataImage's, or BASE_TYPE_STRING.
using ImageChange = std::optional<std::optional<domain::StoredImage>>;
[[nodiscard]] Result<ImageChange> ReadImageField(const boost::json::object& body,
                                                 std::string_view field, std::size_t max_bytes);

// What a URL naming a stored image serves.
struct ImageFile {
  std::string bytes;
  std::string content_type;
};
// A stored image's base64 decoded (an Internal error when a row holds something else).
[[nodiscard]] Result<ImageFile> DecodeStoredImage(const std::string& base64,
                                                  std::string content_type);
// `image`'s bytes when `hash` is its hash; `unknown` otherwise (an old URL).
[[nodiscard]] Result<ImageFile> ImageBytes(domain::StoredImage image, std::string_view hash,
                                           Error unknown);

}  // namespace chat::service
