#include "service/audit_log_service.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "common/log.hpp"
#include "domain/json/audit_log_json.hpp"
#include "domain/permissions.hpp"
#include "service/community_common.hpp"

namespace chat::service {
namespace json = boost::json;
namespace perm = domain::perm;
using domain::AuditLogAction;
using domain::Snowflake;

namespace {
constexpr std::string_view kTarget = "audit_log";

json::value OptId(const std::optional<Snowflake>& id) {
  return id ? json::value(domain::ToString(*id)) : json::value(nullptr);
}

json::value OptString(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}

// Actions whose target is a user, whose user object Discord lists beside the entries.
bool TargetsUser(int action) {
  switch (static_cast<AuditLogAction>(action)) {
    case AuditLogAction::kMemberKick:
    case AuditLogAction::kMemberBanAdd:
    case AuditLogAction::kMemberBanRemove:
    case AuditLogAction::kMemberUpdate:
    case AuditLogAction::kMemberRoleUpdate:
    case AuditLogAction::kMessageDelete:
    case AuditLogAction::kMessagePin:
    case AuditLogAction::kMessageUnpin:
    case AuditLogAction::kAutoModerationBlockMessage:
    case AuditLogAction::kAutoModerationFlagToChannel:
    case AuditLogAction::kAutoModerationUserCommunicationDisabled:
      return true;
    default:
      return false;
  }
}

}  // namespace

json::array AuditDiff(const json::object& before, const json::object& after) {
  json::array changes;
  auto add = [&](json::string_view key, const json::value* old_value,
                 const json::value* new_value) {
    const bool has_old = old_value && !old_value->is_null();
    const bool has_new = new_value && !new_value->is_null();
    if (!has_old && !has_new) return;
    if (has_old && has_new && *old_value == *new_value) return;
    json::object change{{"key", key}};
    if (has_new) change["new_value"] = *new_value;
    if (has_old) change["old_value"] = *old_value;
    changes.push_back(std::move(change));
  };
  for (const auto& kv : before) add(kv.key(), &kv.value(), after.if_contains(kv.key()));
  for (const auto& kv : after) {
    if (!before.contains(kv.key())) add(kv.key(), nullptr, &kv.value());
  }
  return changes;
}

json::object AuditFields(const domain::Guild& g) {
  return {{"name", g.name},
          {"description", OptString(g.description)},
          {"icon_hash", OptString(g.icon)},
          {"owner_id", domain::ToString(g.owner_id)},
          {"system_channel_id", OptId(g.system_channel_id)},
          {"afk_channel_id", OptId(g.afk_channel_id)},
          {"afk_timeout", g.afk_timeout},
          {"verification_level", g.verification_level},
          {"default_message_notifications", g.default_message_notifications},
          {"explicit_content_filter", g.explicit_content_filter},
          {"preferred_locale", g.preferred_locale}};
}

json::object AuditFields(const domain::PermissionOverwrite& ow) {
  return {{"id", domain::ToString(ow.id)},
          {"type", static_cast<int>(ow.type)},
          {"allow", perm::ToString(ow.allow)},
          {"deny", perm::ToString(ow.deny)}};
}

json::object AuditFields(const domain::Channel& c) {
  json::array overwrites;
  for (const auto& ow : c.overwrites) overwrites.push_back(AuditFields(ow));
  json::object o{{"name", c.name},
                 {"type", static_cast<int>(c.type)},
                 {"position", c.position},
                 {"parent_id", OptId(c.parent_id)},
                 {"topic", OptString(c.topic)},
                 {"nsfw", c.nsfw},
                 {"rate_limit_per_user", c.rate_limit_per_user},
                 {"permission_overwrites", std::move(overwrites)}};
  if (domain::IsVoiceLike(c.type)) {
    o["bitrate"] = c.bitrate;
    o["user_limit"] = c.user_limit;
  }
  return o;
}

json::object AuditFields(const domain::Role& r) {
  return {{"name", r.name},
          {"permissions", perm::ToString(r.permissions)},
          {"color", r.color ? json::value(*r.color) : json::value(0)},
          {"hoist", r.hoist},
          {"mentionable", r.mentionable}};
}

json::object AuditFields(const store::Invite& i) {
  return {{"code", i.code},
          {"channel_id", domain::ToString(i.channel_id)},
          {"inviter_id", OptId(i.inviter_id)},
          {"uses", i.uses},
          {"max_uses", i.max_uses},
          {"max_age", i.max_age},
          {"temporary", i.temporary},
          {"flags", 0}};
}

void AuditLogService::Record(const AuditRecord& record) {
  if (!enabled_) return;
  domain::AuditLogEntry entry;
  entry.id = ids_.Next();
  entry.guild_id = record.guild_id;
  entry.user_id = record.user_id;
  entry.target_id = record.target_id;
  entry.action_type = static_cast<int>(record.action);
  if (!record.changes.empty()) entry.changes = json::serialize(record.changes);
  if (!record.options.empty()) entry.options = json::serialize(record.options);
  entry.reason = record.reason;
  if (auto r = store_.AppendAuditLogEntry(entry); !r) {
    log::Warn(kTarget, "audit log entry lost",
              {{"guild_id", domain::ToString(record.guild_id)},
               {"action_type", static_cast<std::int64_t>(entry.action_type)},
               {"error", r.error().message}});
    return;
  }
  Announce(entry);
}

void AuditLogService::Announce(const domain::AuditLogEntry& entry) {
  // A failure here loses only the live copy: the entry is stored.
  auto recipients = MembersHolding(store_, entry.guild_id, perm::kViewAuditLog);
  if (recipients.empty()) return;
  bus::Event event;
  event.type = "GUILD_AUDIT_LOG_ENTRY_CREATE";
  event.guild_id = entry.guild_id;
  event.recipients = std::move(recipients);
  event.intent = bus::Intent::kGuildModeration;
  event.payload = json::serialize(domain::json::AuditLogEntryJson(entry, true));
  bus_.Publish(std::move(event));
}

Result<AuditLogView> AuditLogService::List(Snowflake user_id, const store::AuditLogQuery& query) {
  auto ga = access_.RequireGuild(user_id, query.guild_id, perm::kViewAuditLog);
  if (!ga) return ga.error();
  auto entries = store_.ListAuditLogEntries(query);
  if (!entries) return entries.error();
  std::vector<Snowflake> ids;
  for (const auto& e : *entries) {
    ids.push_back(e.user_id);
    if (e.target_id && TargetsUser(e.action_type)) ids.push_back(*e.target_id);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  auto users = store_.ListUsers(ids);
  if (!users) return users.error();
  AuditLogView view{std::move(*entries), std::move(*users), {}};
  for (const auto& e : view.entries) {
    const auto action = static_cast<AuditLogAction>(e.action_type);
    const bool webhook = action == AuditLogAction::kWebhookCreate ||
                         action == AuditLogAction::kWebhookUpdate ||
                         action == AuditLogAction::kWebhookDelete;
    if (!webhook || !e.target_id) continue;
    if (std::any_of(view.webhooks.begin(), view.webhooks.end(),
                    [&](const auto& w) { return w.id == *e.target_id; })) {
      continue;
    }
    if (auto w = store_.GetWebhook(*e.target_id)) view.webhooks.push_back(std::move(*w));
  }
  return view;
}

}  // namespace chat::service
