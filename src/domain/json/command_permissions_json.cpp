#include "domain/json/command_permissions_json.hpp"

#include <set>
#include <utility>

#include <boost/json.hpp>

#include "domain/json/field_checker.hpp"

namespace chat::domain::json {
namespace {

namespace bj = boost::json;

std::optional<CommandPermission> ReadEntry(const bj::value& raw, FieldChecker* check,
                                           const std::string& path) {
  auto fail = [&](const char* field, const char* code, const char* message) {
    if (check) check->Add(path + "." + field, code, message);
    return std::nullopt;
  };
  if (!raw.is_object()) {
    if (check) check->Add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used.");
    return std::nullopt;
  }
  const auto& o = raw.as_object();
  CommandPermission p;
  const auto* id = o.if_contains("id");
  auto parsed = id ? IdOf(*id) : std::nullopt;
  if (!parsed || *parsed == 0) return fail("id", "NUMBER_TYPE_COERCE", "Value is not snowflake.");
  p.id = *parsed;
  const auto* type = o.if_contains("type");
  if (!type || !type->is_int64() || type->as_int64() < 1 || type->as_int64() > 3) {
    return fail("type", "ENUM_TYPE_COERCE", "Must be 1 (role), 2 (user) or 3 (channel).");
  }
  p.type = static_cast<CommandPermissionType>(type->as_int64());
  const auto* allowed = o.if_contains("permission");
  if (!allowed || !allowed->is_bool()) {
    return fail("permission", "BASE_TYPE_BOOLEAN", "Must be either true or false.");
  }
  p.permission = allowed->as_bool();
  return p;
}

}  // namespace

Result<std::vector<CommandPermission>> ParseCommandPermissions(const bj::object& body) {
  FieldChecker check;
  std::vector<CommandPermission> out;
  const auto* raw = body.if_contains("permissions");
  if (!raw) {
    check.Add("permissions", "BASE_TYPE_REQUIRED", "This field is required");
    return check.Fail();
  }
  const auto* list = check.Array(*raw, "permissions", kMaxCommandPermissions);
  if (!list) return check.Fail();
  std::set<std::pair<int, Snowflake>> seen;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string path = "permissions." + std::to_string(i);
    auto p = ReadEntry((*list)[i], &check, path);
    if (!p) continue;
    if (!seen.emplace(static_cast<int>(p->type), p->id).second) {
      check.Add(path + ".id", "APPLICATION_COMMAND_PERMISSIONS_DUPLICATE",
                "Each target is named once.");
      continue;
    }
    out.push_back(*p);
  }
  if (!check.ok()) return check.Fail();
  return out;
}

bj::array CommandPermissionsJson(const std::vector<CommandPermission>& permissions) {
  bj::array out;
  for (const auto& p : permissions) {
    out.push_back(bj::object{
        {"id", ToString(p.id)}, {"type", static_cast<int>(p.type)}, {"permission", p.permission}});
  }
  return out;
}

bj::object GuildCommandPermissionsJson(Snowflake command_id, Snowflake application_id,
                                       Snowflake guild_id,
                                       const std::vector<CommandPermission>& permissions) {
  return {{"id", ToString(command_id)},
          {"application_id", ToString(application_id)},
          {"guild_id", ToString(guild_id)},
          {"permissions", CommandPermissionsJson(permissions)}};
}

std::string StoredCommandPermissions(const std::vector<CommandPermission>& permissions) {
  return bj::serialize(CommandPermissionsJson(permissions));
}

std::vector<CommandPermission> LoadCommandPermissions(std::string_view stored) {
  std::vector<CommandPermission> out;
  boost::system::error_code ec;
  const bj::value v = bj::parse(stored, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& raw : v.as_array()) {
    if (auto p = ReadEntry(raw, nullptr, "")) out.push_back(*p);
  }
  return out;
}

}  // namespace chat::domain::json
