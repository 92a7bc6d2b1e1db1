// http/routes/community_fields.hpp — typed body and path readers for the guild, channel, role,
// member and invite routes: ints in range, booleans, snowflakes (string or number), permission
// strings, nullable values. Problems are collected into one Discord "Invalid Form Body" error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "common/result.hpp"
#include "domain/snowflake.hpp"
#include "http/router.hpp"
#include "store/nullable.hpp"

namespace chat::http {

// A path parameter as a snowflake; `unknown` (e.g. Unknown Guild) when it is not one.
Result<domain::Snowflake> PathId(const Context& ctx, const char* name, const Error& unknown);

// A query parameter as an int in [lo, hi]; `fallback` when absent; 400 when malformed.
Result<int> QueryInt(const Context& ctx, const char* name, int fallback, int lo, int hi);
// A query parameter as a snowflake; 0 when absent; 400 when malformed.
Result<domain::Snowflake> QueryId(const Context& ctx, const char* name);
bool QueryFlag(const Context& ctx, const char* name);

class CommunityFields {
 public:
  explicit CommunityFields(const boost::json::object& object) : object_(object) {}

  bool Has(const char* name) const { return object_.contains(name); }
  std::optional<std::string> String(const char* name, bool required, std::size_t max_bytes);
  store::Nullable<std::string> NullableString(const char* name, std::size_t max_bytes);
  std::optional<int> Int(const char* name, int lo, int hi);
  store::Nullable<int> NullableInt(const char* name, int lo, int hi);
  std::optional<bool> Bool(const char* name);
  std::optional<domain::Snowflake> Id(const char* name);
  store::Nullable<domain::Snowflake> NullableId(const char* name);
  std::optional<std::vector<domain::Snowflake>> Ids(const char* name);
  std::optional<std::uint64_t> Permissions(const char* name);
  void Add(std::string field, std::string code, std::string message);

  [[nodiscard]] Result<void> Finish();

 private:
  const boost::json::object& object_;
  std::vector<FieldError> errors_;
};

}  // namespace chat::http
