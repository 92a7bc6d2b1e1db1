#include "http/json_body.hpp"

#include <boost/json.hpp>

namespace chat::http {
namespace {

Error InvalidJson() {
  return Error{Errc::kValidation, "The request body contains invalid JSON.", 50109};
}

bool IsForm(const Request& request) {
  auto type = request.Header("content-type");
  return type && type->substr(0, 33) == "application/x-www-form-urlencoded";
}

}  // namespace

Result<boost::json::object> ReadObject(const Request& request, bool allow_form) {
  if (allow_form && IsForm(request)) {
    boost::json::object o;
    for (auto& [key, value] : ParseForm(request.body)) o[key] = value;
    return o;
  }
  boost::system::error_code ec;
  boost::json::parse_options options;
  options.max_depth = 32;
  boost::json::value v = boost::json::parse(request.body, ec, {}, options);
  if (ec || !v.is_object()) return InvalidJson();
  return std::move(v.as_object());
}

Result<boost::json::array> ReadArray(const Request& request) {
  boost::system::error_code ec;
  boost::json::parse_options options;
  options.max_depth = 32;
  boost::json::value v = boost::json::parse(request.body, ec, {}, options);
  if (ec || !v.is_array()) return InvalidJson();
  return std::move(v.as_array());
}

std::optional<std::string> FieldReader::String(const char* name, bool required,
                                               std::size_t max_len) {
  auto it = object_.find(name);
  if (it == object_.end() || it->value().is_null()) {
    if (required) errors_.push_back({name, "BASE_TYPE_REQUIRED", "This field is required"});
    return std::nullopt;
  }
  if (!it->value().is_string()) {
    errors_.push_back({name, "BASE_TYPE_STRING", "Could not interpret value as string."});
    return std::nullopt;
  }
  const auto& s = it->value().get_string();
  if (s.size() > max_len) {
    errors_.push_back({name, "BASE_TYPE_MAX_LENGTH",
                       "Must be " + std::to_string(max_len) + " or fewer in length."});
    return std::nullopt;
  }
  return std::string(s);
}

std::optional<std::optional<std::string>> FieldReader::NullableString(const char* name,
                                                                      std::size_t max_len) {
  auto it = object_.find(name);
  if (it == object_.end()) return std::nullopt;
  if (it->value().is_null()) return std::optional<std::string>{};
  auto s = String(name, false, max_len);
  if (!s) return std::nullopt;
  return std::optional<std::string>{std::move(*s)};
}

Result<void> FieldReader::Finish() {
  if (errors_.empty()) return {};
  return Error::Validation("Invalid Form Body", std::move(errors_));
}

}  // namespace chat::http
