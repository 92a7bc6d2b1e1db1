#include "http/response.hpp"

#include <boost/json.hpp>

namespace chat::http {

Response Response::Json(int status, const boost::json::value& v) {
  return Response{status, "application/json", {}, boost::json::serialize(v)};
}

Response Response::Text(int status, std::string body, std::string content_type) {
  return Response{status, std::move(content_type), {}, std::move(body)};
}

}  // namespace chat::http
