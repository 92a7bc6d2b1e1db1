// domain/json/field_checker.hpp — reading a request object field by field as Discord validates
// it: each problem is recorded under its dotted path ("options.1.name") and reading goes on, so
// that one 400 names every bad field. Shared by the parsers of commands and components.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "common/result.hpp"
#include "domain/snowflake.hpp"

namespace chat::domain::json {

// Integers past 2^53 do not survive a JavaScript client, so Discord refuses them.
inline constexpr double kMaxSafeInteger = 9007199254740991.0;

// Discord counts lengths in code points; the text was validated as UTF-8 when parsed.
inline std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// A snowflake as clients send it: a decimal string, or a non-negative integer (discord.py sends
// emoji, tag and default-value ids as integers).
inline std::optional<Snowflake> IdOf(const boost::json::value& v) {
  if (v.is_string()) return ParseSnowflake(v.as_string());
  if (v.is_int64() && v.as_int64() >= 0) return static_cast<Snowflake>(v.as_int64());
  if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<Snowflake>(v.as_uint64());
  }
  return std::nullopt;
}

class FieldChecker {
 public:
  void Add(const std::string& field, std::string code, std::string message) {
    errors_.push_back({field, std::move(code), std::move(message)});
  }
  bool ok() const { return errors_.empty(); }
  Error Fail() { return Error::Validation("Invalid Form Body", std::move(errors_)); }

  // A string field: absent gives "" when optional (min 0); length in code points within
  // [min, max].
  std::optional<std::string> String(const boost::json::object& o, std::string_view key,
                                    const std::string& path, std::size_t min, std::size_t max) {
    const auto* v = o.if_contains(key);
    if (!v || v->is_null()) {
      if (min > 0) Add(path, "BASE_TYPE_REQUIRED", "This field is required");
      return min > 0 ? std::nullopt : std::optional<std::string>("");
    }
    if (!v->is_string()) {
      Add(path, "BASE_TYPE_STRING", "Could not interpret value as string.");
      return std::nullopt;
    }
    std::string s(v->as_string());
    const std::size_t n = CodePoints(s);
    if (n < min || n > max) {
      Add(path, "BASE_TYPE_BAD_LENGTH",
          "Must be between " + std::to_string(min) + " and " + std::to_string(max) + " in length.");
      return std::nullopt;
    }
    return s;
  }

  std::optional<bool> Bool(const boost::json::object& o, std::string_view key,
                           const std::string& path, bool fallback) {
    const auto* v = o.if_contains(key);
    if (!v || v->is_null()) return fallback;
    if (!v->is_bool()) {
      Add(path, "BASE_TYPE_BOOLEAN", "Must be either true or false.");
      return std::nullopt;
    }
    return v->as_bool();
  }

  std::optional<std::int64_t> Int(const boost::json::value& v, const std::string& path) {
    if (v.is_int64()) return v.as_int64();
    if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(kMaxSafeInteger)) {
      return static_cast<std::int64_t>(v.as_uint64());
    }
    Add(path, "NUMBER_TYPE_COERCE", "Value is not int.");
    return std::nullopt;
  }

  // An array of at most `max` items; null, after recording why, for anything else.
  const boost::json::array* Array(const boost::json::value& raw, const std::string& path,
                                  std::size_t max) {
    if (!raw.is_array()) {
      Add(path, "BASE_TYPE_ARRAY", "Must be an array.");
      return nullptr;
    }
    if (raw.as_array().size() > max) {
      Add(path, "BASE_TYPE_MAX_LENGTH", "Must be " + std::to_string(max) + " or fewer in length.");
      return nullptr;
    }
    return &raw.as_array();
  }

  // An integer field within [min, max]; absent gives `fallback`.
  std::optional<std::int64_t> IntIn(const boost::json::object& o, std::string_view key,
                                    const std::string& path, std::int64_t min, std::int64_t max,
                                    std::int64_t fallback) {
    const auto* v = o.if_contains(key);
    if (!v || v->is_null()) return fallback;
    auto n = Int(*v, path);
    if (!n) return std::nullopt;
    if (*n < min || *n > max) {
      Add(path, "NUMBER_TYPE_MAX",
          "Must be between " + std::to_string(min) + " and " + std::to_string(max) + ".");
      return std::nullopt;
    }
    return n;
  }

  const boost::json::object* Object(const boost::json::value& v, const std::string& path) {
    if (v.is_object()) return &v.as_object();
    Add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
    return nullptr;
  }

  // A partial emoji ({id} for a custom one, {name} for unicode, `animated`) under `key`; an empty
  // object when absent.
  std::optional<boost::json::object> Emoji(const boost::json::object& o, const std::string& path,
                                           std::string_view key = "emoji") {
    const auto* v = o.if_contains(key);
    if (!v || v->is_null()) return boost::json::object();
    const auto* e = Object(*v, path);
    if (!e) return std::nullopt;
    boost::json::object out;
    if (const auto* id = e->if_contains("id"); id && !id->is_null()) {
      auto parsed = IdOf(*id);
      if (!parsed) {
        Add(path + ".id", "NUMBER_TYPE_COERCE", "Value is not snowflake.");
        return std::nullopt;
      }
      out["id"] = ToString(*parsed);
    }
    auto name = String(*e, "name", path + ".name", 0, 32);
    if (!name) return std::nullopt;
    if (!name->empty()) out["name"] = *name;
    if (out.empty()) {
      Add(path, "BASE_TYPE_REQUIRED", "An emoji needs its id or name.");
      return std::nullopt;
    }
    auto animated = Bool(*e, "animated", path + ".animated", false);
    if (animated && *animated) out["animated"] = true;
    return out;
  }

 private:
  std::vector<FieldError> errors_;
};

}  // namespace chat::domain::json
