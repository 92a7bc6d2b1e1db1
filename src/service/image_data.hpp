// service/image_data.hpp — images that arrive in JSON bodies as data URIs
// (data:image/png;base64,…), as Discord takes emoji images and event covers: checked to be a
// PNG, JPEG, GIF or WebP image by their bytes, kept as the base64 they came as.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"

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

}  // namespace chat::service
