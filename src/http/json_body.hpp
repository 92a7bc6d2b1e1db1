// http/json_body.hpp — reading request bodies: JSON objects (Discord's 50109 on bad JSON),
// form-encoded bodies, and typed fields collected into one Discord "Invalid Form Body" error.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "http/request.hpp"

namespace chat::http {

// The body as a JSON object. A form-encoded body becomes an object of strings (the seed's k6
// login posts a form). Empty, malformed, or non-object bodies give 400 with code 50109.
[[nodiscard]] Result<boost::json::object> ReadObject(const Request& request,
                                                     bool allow_form = false);

// The body as a JSON array (Discord's bulk routes); anything else gives 400 with code 50109.
[[nodiscard]] Result<boost::json::array> ReadArray(const Request& request);

// Collects field problems while reading a body; `Finish()` turns them into one error.
class FieldReader {
 public:
  explicit FieldReader(const boost::json::object& object) : object_(object) {}

  // Absent → nullopt (and an error if required); present but not a string → error.
  std::optional<std::string> String(const char* name, bool required, std::size_t max_len = 4096);
  // Present-null → optional containing nullopt (clear); absent → nullopt.
  std::optional<std::optional<std::string>> NullableString(const char* name,
                                                           std::size_t max_len = 4096);
  bool Has(const char* name) const { return object_.contains(name); }

  [[nodiscard]] Result<void> Finish();

 private:
  const boost::json::object& object_;
  std::vector<FieldError> errors_;
};

}  // namespace chat::http
