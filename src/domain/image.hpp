// domain/image.hpp — an image kept in the database (an event's cover, a group DM's icon) and
// served under a URL that names its hash: a new image is a new URL.
#pragma once

#include <string>

namespace chat::domain {

// As stored: base64, as its data URI carried it, checked when stored.
struct StoredImage {
  std::string hash;          // the first 32 hex digits of the base64's SHA-256
  std::string content_type;  // image/png, image/jpeg, image/gif or image/webp
  std::string base64;
};

}  // namespace chat::domain
