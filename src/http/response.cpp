#include "http/response.hpp"

#include <boost/json.hpp>

namespace chat::http {

Response Response::Json(int status, const boost::json::value& v) {
  return Response{status, "application/json", {}, boost::json::serialize(v)};
}

Response Response::Text(int status, std::string body, std::string content_type) {
  return Response{status, std::move(content_type), {}, std::move(body)};
}

Response Response::Image(std::string bytes, std::string content_type, const std::string& etag) {
  return Response{200,
                  std::move(content_type),
                  {{"X-Content-Type-Options", "nosniff"},
                   {"Cache-Control", "public, max-age=86400"},
                   {"ETag", etag}},
                  std::move(bytes)};
}

}  // namespace chat::http
