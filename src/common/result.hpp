// common/result.hpp — the one error type of chat-server and Result<T>, the value-or-error every
// layer returns for expected failures (not found, forbidden, bad input, store down). Exceptions
// are kept for bugs and dead connections. Errc knows nothing of HTTP or the gateway: http/ and
// gateway/ each map it to their protocol in one place (http/error_response.cpp).
#pragma once

#include <boost/system/result.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chat {

// The seed's error kinds, plus the few a Discord-compatible server answers with on its own.
enum class Errc {
  kValidation = 1,    // 400
  kNotFound,          // 404
  kUnauthorized,      // 401
  kForbidden,         // 403
  kConflict,          // 409
  kDatabase,          // 500 (a query failed)
  kCache,             // 500 (Redis failed)
  kInternal,          // 500
  kRateLimited,       // 429
  kUnavailable,       // 503 (database unreachable)
  kPayloadTooLarge,   // 413
  kMethodNotAllowed,  // 405
  kInFlight,          // 429 once it reaches a client: another request is writing the same thing
};

std::string_view ErrcName(Errc code);

// One problem with one field of a request body, as Discord reports it under "errors".
struct FieldError {
  std::string field;  // dotted path: "username", "embeds.0.title"
  std::string code;   // Discord-style: "BASE_TYPE_REQUIRED", "USERNAME_INVALID"
  std::string message;
};

struct Error {
  Errc code = Errc::kInternal;
  std::string message;
  // Discord's numeric JSON error code (10003 Unknown Channel, 50013 Missing Permissions…);
  // 0 means "derive from the kind".
  int api_code = 0;
  std::vector<FieldError> fields;
  double retry_after = 0;  // seconds, for kRateLimited and kInFlight

  static Error Validation(std::string msg, std::vector<FieldError> fields = {}) {
    return {Errc::kValidation, std::move(msg), 50035, std::move(fields)};
  }
  static Error NotFound(std::string msg, int api_code = 0) {
    return {Errc::kNotFound, std::move(msg), api_code};
  }
  static Error Unauthorized(std::string msg = "401: Unauthorized") {
    return {Errc::kUnauthorized, std::move(msg), 0};
  }
  static Error Forbidden(std::string msg = "Missing Permissions", int api_code = 50013) {
    return {Errc::kForbidden, std::move(msg), api_code};
  }
  static Error Conflict(std::string msg, std::vector<FieldError> fields = {}) {
    return {Errc::kConflict, std::move(msg), 0, std::move(fields)};
  }
  static Error Database(std::string msg) { return {Errc::kDatabase, std::move(msg)}; }
  static Error Unavailable(std::string msg) { return {Errc::kUnavailable, std::move(msg)}; }
  static Error Internal(std::string msg) { return {Errc::kInternal, std::move(msg)}; }
  static Error RateLimited(double retry_after_seconds,
                           std::string msg = "You are being rate limited.") {
    Error e{Errc::kRateLimited, std::move(msg)};
    e.retry_after = retry_after_seconds;
    return e;
  }
  // The caller may wait a moment and try again (without blocking a thread); a client that gets it
  // is told to retry after `retry_after_seconds`.
  static Error InFlight(double retry_after_seconds, std::string msg) {
    Error e{Errc::kInFlight, std::move(msg)};
    e.retry_after = retry_after_seconds;
    return e;
  }
};

// Lets Result<T>::value() throw when a caller insists on a value that is not there (a bug).
[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

template <class T>
using Result = boost::system::result<T, Error>;

}  // namespace chat
