// http/routes/stored_image_route.hpp — GET of an image kept in the database under a URL that
// names its hash, {id}/{hash}.{ext}, public as on Discord's CDN (event covers, group DM icons).
// The stored image is served whatever the extension asks for: the Content-Type says what it is.
// A new image is a new hash, so the hash is the validator.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/api.hpp"
#include "http/error_response.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "service/image_data.hpp"

namespace chat::http {

// The last segment of such a URL: the hash when it is one (lowercase hex).
inline std::optional<std::string> ImageHashOf(std::string_view file) {
  std::string hash(file.substr(0, file.find('.')));
  const bool hex = !hash.empty() && hash.size() <= 64 &&
                   hash.find_first_not_of("0123456789abcdef") == std::string::npos;
  if (!hex) return std::nullopt;
  return hash;
}

// `load(id, hash)` (on the db pool) answers the image or an error; `id_param` names the path's id.
// 404 for a malformed URL, 304 when the client has the image already.
template <typename Load>
boost::asio::awaitable<Response> ServeStoredImage(Api& api, Context& ctx, const char* id_param,
                                                  Load load) {
  auto id = domain::ParseSnowflake(ctx.Param(id_param));
  auto hash = ImageHashOf(ctx.Param("file"));
  if (!id || !hash) co_return ErrorResponse(Error::NotFound("404: Not Found"));
  const std::string etag = "\"" + *hash + "\"";
  if (ctx.request.Header("if-none-match") == etag) co_return Response::NotModified(etag);
  Result<service::ImageFile> image = co_await api.db.Run([&] { return load(*id, *hash); });
  if (!image) co_return ErrorResponse(image.error());
  co_return Response::Image(std::move(image->bytes), std::move(image->content_type), etag);
}

}  // namespace chat::http
