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
};

}  // namespace chat::http
