// http/response.hpp — what handlers return; the session writes it. No Beast here.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <boost/json/fwd.hpp>

namespace chat::http {

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  static Response Json(int status, const boost::json::value& v);
  static Response Text(int status, std::string body, std::string content_type = "text/plain");
  static Response NoContent() { return Response{204, "", {}, ""}; }
  // An image that never changes under its URL (emojis, event covers, whose new image is a new
  // URL): cached for a day by anyone, validated by `etag`, never sniffed into another type.
  static Response Image(std::string bytes, std::string content_type, const std::string& etag);
  static Response NotModified(const std::string& etag) {
    return Response{304, "", {{"ETag", etag}}, ""};
  }
};

}  // namespace chat::http
