// http/error_response.hpp — the one place an Error becomes an HTTP status and Discord's JSON
// error body ({"code", "message", "errors"}; 429s get {"message","retry_after","global"}).
#pragma once

#include "common/result.hpp"
#include "http/response.hpp"

namespace chat::http {

int StatusOf(Errc code);
Response ErrorResponse(const Error& error);

}  // namespace chat::http
