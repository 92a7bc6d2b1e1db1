#include "common/result.hpp"

#include <stdexcept>
#include <string>

namespace chat {

std::string_view ErrcName(Errc code) {
  switch (code) {
    case Errc::kValidation:
      return "Validation";
    case Errc::kNotFound:
      return "NotFound";
    case Errc::kUnauthorized:
      return "Unauthorized";
    case Errc::kForbidden:
      return "Forbidden";
    case Errc::kConflict:
      return "Conflict";
    case Errc::kDatabase:
      return "Database";
    case Errc::kCache:
      return "Cache";
    case Errc::kInternal:
      return "Internal";
    case Errc::kRateLimited:
      return "RateLimited";
    case Errc::kUnavailable:
      return "Unavailable";
    case Errc::kPayloadTooLarge:
      return "PayloadTooLarge";
    case Errc::kMethodNotAllowed:
      return "MethodNotAllowed";
    case Errc::kInFlight:
      return "InFlight";
  }
  return "Unknown";
}

void throw_exception_from_error(const Error& e, const boost::source_location& loc) {
  throw std::runtime_error(std::string(ErrcName(e.code)) + ": " + e.message + " at " +
                           loc.file_name() + ":" + std::to_string(loc.line()));
}

}  // namespace chat
