#include "http/routes/community_fields.hpp"

#include <charconv>

#include <boost/json.hpp>

#include "domain/permissions.hpp"

namespace chat::http {
namespace {

std::optional<domain::Snowflake> IdOf(const boost::json::value& v) {
  if (v.is_string()) return domain::ParseSnowflake(v.get_string());
  if (v.is_int64() && v.get_int64() >= 0) return static_cast<domain::Snowflake>(v.get_int64());
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<domain::Snowflake>(v.get_uint64());
  }
  return std::nullopt;
}

Error BadQuery(const char* name) {
  return Error::Validation("Invalid Form Body",
                           {{name, "NUMBER_TYPE_COERCE", "Value is not a valid number."}});
}

}  // namespace

Result<domain::Snowflake> PathId(const Context& ctx, const char* name, const Error& unknown) {
  auto id = domain::ParseSnowflake(ctx.Param(name));
  if (!id) return unknown;
  return *id;
}

Result<int> QueryInt(const Context& ctx, const char* name, int fallback, int lo, int hi) {
  auto text = ctx.request.Query(name);
  if (!text) return fallback;
  int value = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, value);
  if (ec != std::errc() || ptr != end || text->empty()) return BadQuery(name);
  if (value < lo || value > hi) {
    return Error::Validation("Invalid Form Body", {{name, "NUMBER_TYPE_MAX",
                                                    "Must be between " + std::to_string(lo) +
                                                        " and " + std::to_string(hi) + "."}});
  }
  return value;
}

Result<domain::Snowflake> QueryId(const Context& ctx, const char* name) {
  auto text = ctx.request.Query(name);
  if (!text) return domain::Snowflake{0};
  auto id = domain::ParseSnowflake(*text);
  if (!id) return BadQuery(name);
  return *id;
}

bool QueryFlag(const Context& ctx, const char* name) {
  auto text = ctx.request.Query(name);
  return text && (*text == "true" || *text == "1" || *text == "True");
}

void CommunityFields::Add(std::string field, std::string code, std::string message) {
  errors_.push_back({std::move(field), std::move(code), std::move(message)});
}

std::optional<std::string> CommunityFields::String(const char* name, bool required,
                                                   std::size_t max_bytes) {
  auto it = object_.find(name);
  if (it == object_.end() || it->value().is_null()) {
    if (required) Add(name, "BASE_TYPE_REQUIRED", "This field is required");
    return std::nullopt;
  }
  if (!it->value().is_string()) {
    Add(name, "BASE_TYPE_STRING", "Could not interpret value as string.");
    return std::nullopt;
  }
  const auto& s = it->value().get_string();
  if (s.size() > max_bytes) {
    Add(name, "BASE_TYPE_MAX_LENGTH",
        "Must be " + std::to_string(max_bytes) + " or fewer in length.");
    return std::nullopt;
  }
  return std::string(s);
}

store::Nullable<std::string> CommunityFields::NullableString(const char* name,
                                                             std::size_t max_bytes) {
  auto it = object_.find(name);
  if (it == object_.end()) return std::nullopt;
  if (it->value().is_null()) return std::optional<std::string>{};
  auto s = String(name, false, max_bytes);
  if (!s) return std::nullopt;
  return std::optional<std::string>{std::move(*s)};
}

std::optional<int> CommunityFields::Int(const char* name, int lo, int hi) {
  auto it = object_.find(name);
  if (it == object_.end() || it->value().is_null()) return std::nullopt;
  const auto& v = it->value();
  std::int64_t n = 0;
  if (v.is_int64()) {
    n = v.get_int64();
  } else if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    n = static_cast<std::int64_t>(v.get_uint64());
  } else if (v.is_string()) {
    const auto& s = v.get_string();
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) {
      Add(name, "NUMBER_TYPE_COERCE", "Value is not a valid number.");
      return std::nullopt;
    }
  } else {
    Add(name, "NUMBER_TYPE_COERCE", "Value is not a valid number.");
    return std::nullopt;
  }
  if (n < lo || n > hi) {
    Add(name, "NUMBER_TYPE_MAX",
        "Must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ".");
    return std::nullopt;
  }
  return static_cast<int>(n);
}

store::Nullable<int> CommunityFields::NullableInt(const char* name, int lo, int hi) {
  // Built in place: GCC 12 at -O2 mistakes a converted optional<optional<int>> for uninitialized.
  store::Nullable<int> out;
  auto it = object_.find(name);
  if (it == object_.end()) return out;
  if (it->value().is_null()) {
    out.emplace();
    return out;
  }
  if (auto v = Int(name, lo, hi)) out.emplace(*v);
  return out;
}

std::optional<bool> CommunityFields::Bool(const char* name) {
  auto it = object_.find(name);
  if (it == object_.end() || it->value().is_null()) return std::nullopt;
  if (!it->value().is_bool()) {
    Add(name, "BASE_TYPE_BOOLEAN", "Must be either true or false.");
    return std::nullopt;
  }
  return it->value().get_bool();
}

std::optional<domain::Snowflake> CommunityFields::Id(const char* name) {
  auto it = object_.find(name);
  if (it == object_.end() || it->value().is_null()) return std::nullopt;
  auto id = IdOf(it->value());
  if (!id) Add(name, "NUMBER_TYPE_COERCE", "Value is not snowflake.");
  return id;
}

store::Nullable<domain::Snowflake> CommunityFields::NullableId(const char* name) {
  auto it = object_.find(name);
  if (it == object_.end()) return std::nullopt;
  if (it->value().is_null()) return std::optional<domain::Snowflake>{};
  auto id = Id(name);
  if (!id) return std::nullopt;
  return std::optional<domain::Snowflake>{*id};
}

std::optional<std::vector<domain::Snowflake>> CommunityFields::Ids(const char* name) {
  auto it = object_.find(name);
  if (it == object_.end() || it->value().is_null()) return std::nullopt;
  if (!it->value().is_array() || it->value().get_array().size() > 250) {
    Add(name, "BASE_TYPE_ARRAY", "Must be an array of at most 250 snowflakes.");
    return std::nullopt;
  }
  std::vector<domain::Snowflake> out;
  for (const auto& v : it->value().get_array()) {
    auto id = IdOf(v);
    if (!id) {
      Add(name, "NUMBER_TYPE_COERCE", "Value is not snowflake.");
      return std::nullopt;
    }
    out.push_back(*id);
  }
  return out;
}

std::optional<std::uint64_t> CommunityFields::Permissions(const char* name) {
  auto it = object_.find(name);
  if (it == object_.end() || it->value().is_null()) return std::nullopt;
  std::optional<std::uint64_t> bits;
  const auto& v = it->value();
  if (v.is_string()) {
    bits = domain::perm::ParsePermissions(v.get_string());
  } else if (v.is_int64() && v.get_int64() >= 0) {
    bits = domain::perm::ParsePermissions(std::to_string(v.get_int64()));
  } else if (v.is_uint64()) {
    bits = domain::perm::ParsePermissions(std::to_string(v.get_uint64()));
  }
  if (!bits) Add(name, "PERMISSIONS_INVALID", "Invalid permission bitset.");
  return bits;
}

Result<void> CommunityFields::Finish() {
  if (errors_.empty()) return {};
  return Error::Validation("Invalid Form Body", std::move(errors_));
}

}  // namespace chat::http
