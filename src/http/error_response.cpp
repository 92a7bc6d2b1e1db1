#include "http/error_response.hpp"

#include <boost/json.hpp>

#include <cmath>
#include <string>

namespace chat::http {
namespace json = boost::json;

int StatusOf(Errc code) {
  switch (code) {
    case Errc::kValidation:
      return 400;
    case Errc::kNotFound:
      return 404;
    case Errc::kUnauthorized:
      return 401;
    case Errc::kForbidden:
      return 403;
    case Errc::kConflict:
      return 409;
    case Errc::kRateLimited:
    case Errc::kInFlight:
      return 429;
    case Errc::kUnavailable:
      return 503;
    case Errc::kPayloadTooLarge:
      return 413;
    case Errc::kMethodNotAllowed:
      return 405;
    case Errc::kDatabase:
    case Errc::kCache:
    case Errc::kInternal:
      return 500;
  }
  return 500;
}

namespace {

// "embeds.0.title" → errors.embeds["0"].title._errors[…], as Discord nests them.
void AddFieldError(json::object& errors, const FieldError& f) {
  json::object* node = &errors;
  std::string_view path = f.field;
  while (true) {
    auto dot = path.find('.');
    std::string key(path.substr(0, dot));
    json::value& child = (*node)[key];
    if (!child.is_object()) child = json::object();
    node = &child.as_object();
    if (dot == std::string_view::npos) break;
    path.remove_prefix(dot + 1);
  }
  json::value& list = (*node)["_errors"];
  if (!list.is_array()) list = json::array();
  list.as_array().push_back(json::object{{"code", f.code}, {"message", f.message}});
}

}  // namespace

Response ErrorResponse(const Error& error) {
  const int status = StatusOf(error.code);
  if (error.code == Errc::kRateLimited || error.code == Errc::kInFlight) {
    const double retry = std::max(error.retry_after, 0.001);
    json::object body{{"message", error.message}, {"retry_after", retry}, {"global", false}};
    // Discord names some limits with a code (20016: slowmode); the others carry none.
    if (error.api_code != 0) body["code"] = error.api_code;
    Response r = Response::Json(status, std::move(body));
    r.headers.emplace_back("Retry-After", std::to_string(static_cast<long>(std::ceil(retry))));
    return r;
  }
  std::string message = error.message;
  int code = error.api_code;
  switch (error.code) {
    case Errc::kUnauthorized:
      if (message.empty()) message = "401: Unauthorized";
      break;
    case Errc::kMethodNotAllowed:
      if (message.empty()) message = "405: Method Not Allowed";
      break;
    case Errc::kPayloadTooLarge:
      if (code == 0) code = 40005;
      if (message.empty()) message = "Request entity too large";
      break;
    case Errc::kDatabase:
    case Errc::kCache:
    case Errc::kInternal:
      // Internal details stay in the log; the client learns only the kind.
      message = "Internal Server Error";
      break;
    case Errc::kUnavailable:
      message = "Service Unavailable: " + message;
      break;
    default:
      break;
  }
  json::object body{{"code", code}, {"message", message}};
  if (!error.fields.empty()) {
    json::object errors;
    for (const auto& f : error.fields) AddFieldError(errors, f);
    body["errors"] = std::move(errors);
  }
  return Response::Json(status, body);
}

}  // namespace chat::http
