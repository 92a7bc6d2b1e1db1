#include "service/stage_instance_service.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "domain/json/field_checker.hpp"
#include "domain/permissions.hpp"
#include "store/errors.hpp"
#include "store/stage_instance_store.hpp"

namespace chat::service {
namespace perm = domain::perm;
namespace json = boost::json;
using domain::Snowflake;
using domain::StageInstance;

namespace {

constexpr std::uint64_t kStageModerator =
    perm::kManageChannels | perm::kMuteMembers | perm::kMoveMembers;

std::optional<FieldError> CheckTopic(const std::string& topic) {
  const std::size_t n = domain::json::CodePoints(topic);
  if (n >= 1 && n <= 120) return std::nullopt;
  return FieldError{"topic", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 120 in length."};
}

json::object AuditFields(const StageInstance& s) {
  return {{"topic", s.topic}, {"privacy_level", domain::kStagePrivacyGuildOnly}};
}

}  // namespace

json::object StageInstanceJson(const StageInstance& s) {
  return {{"id", domain::ToString(s.id)},
          {"guild_id", domain::ToString(s.guild_id)},
          {"channel_id", domain::ToString(s.channel_id)},
          {"topic", s.topic},
          {"privacy_level", domain::kStagePrivacyGuildOnly},
          {"discoverable_disabled", true},
          {"guild_scheduled_event_id", s.scheduled_event_id != 0
                                           ? json::value(domain::ToString(s.scheduled_event_id))
                                           : json::value(nullptr)}};
}

Result<json::array> VisibleStagesJson(store::Store& store, const domain::Guild& guild,
                                      const std::vector<domain::Role>& roles,
                                      const domain::Member& member,
                                      const std::vector<domain::Channel>& channels,
                                      std::int64_t now_ms) {
  json::array out;
  if (std::none_of(channels.begin(), channels.end(), [](const domain::Channel& c) {
        return c.type == domain::ChannelType::kGuildStageVoice;
      })) {
    return out;  // no stage channel, no stage: no read
  }
  auto stages = store.ListStageInstances(guild.id);
  if (!stages) return stages.error();
  for (const auto& s : *stages) {
    if (ViewsChannel(guild, roles, member, channels, s.channel_id, now_ms)) {
      out.push_back(StageInstanceJson(s));
    }
  }
  return out;
}

Result<ChannelAccess> StageInstanceService::Moderate(Snowflake user_id, Snowflake channel_id) {
  auto ca = deps_.access.Channel(user_id, channel_id);
  if (!ca) return ca.error();
  if (ca->channel.type != domain::ChannelType::kGuildStageVoice) return WrongChannelType();
  if ((ca->permissions & kStageModerator) != kStageModerator) return MissingPermissions();
  return ca;
}

Result<StageInstance> StageInstanceService::Create(Snowflake user_id, const StageInput& input,
                                                   const AuditReason& reason) {
  if (auto bad = CheckTopic(input.topic)) return Error::Validation("Invalid Form Body", {*bad});
  auto ca = Moderate(user_id, input.channel_id);
  if (!ca) return ca.error();
  StageInstance s;
  s.id = deps_.ids.Next();
  s.guild_id = *ca->channel.guild_id;
  s.channel_id = input.channel_id;
  s.topic = input.topic;
  s.scheduled_event_id = input.scheduled_event_id;
  if (s.scheduled_event_id != 0) {
    auto ok = events_.CheckStageStart(s.guild_id, s.channel_id, s.scheduled_event_id);
    if (!ok) return ok.error();
  }
  if (auto r = deps_.store.CreateStageInstance(s); !r) return r.error();
  RecordAudit(deps_.audit, s.guild_id, user_id, s.id, domain::AuditLogAction::kStageInstanceCreate,
              AuditDiff({}, AuditFields(s)), reason,
              json::object{{"channel_id", domain::ToString(s.channel_id)}});
  PublishToViewers(deps_, "STAGE_INSTANCE_CREATE", ca->channel, StageInstanceJson(s));
  if (s.scheduled_event_id != 0) events_.FollowStage(s.scheduled_event_id, true);
  return s;
}

Result<StageInstance> StageInstanceService::Get(Snowflake user_id, Snowflake channel_id) {
  auto ca = deps_.access.Channel(user_id, channel_id);
  if (!ca) return ca.error();
  return deps_.store.GetStageInstance(channel_id);
}

Result<StageInstance> StageInstanceService::Modify(Snowflake user_id, Snowflake channel_id,
                                                   const std::optional<std::string>& topic,
                                                   const AuditReason& reason) {
  if (topic) {
    if (auto bad = CheckTopic(*topic)) return Error::Validation("Invalid Form Body", {*bad});
  }
  auto ca = Moderate(user_id, channel_id);
  if (!ca) return ca.error();
  auto before = deps_.store.GetStageInstance(channel_id);
  if (!before) return before.error();
  if (!topic || *topic == before->topic) return before;
  auto after = deps_.store.UpdateStageInstance(channel_id, *topic);
  if (!after) return after.error();
  RecordAudit(deps_.audit, after->guild_id, user_id, after->id,
              domain::AuditLogAction::kStageInstanceUpdate,
              AuditDiff(AuditFields(*before), AuditFields(*after)), reason,
              json::object{{"channel_id", domain::ToString(channel_id)}});
  PublishToViewers(deps_, "STAGE_INSTANCE_UPDATE", ca->channel, StageInstanceJson(*after));
  return after;
}

Result<void> StageInstanceService::Delete(Snowflake user_id, Snowflake channel_id,
                                          const AuditReason& reason) {
  auto ca = Moderate(user_id, channel_id);
  if (!ca) return ca.error();
  auto gone = deps_.store.DeleteStageInstance(channel_id);
  if (!gone) return gone.error();
  RecordAudit(deps_.audit, gone->guild_id, user_id, gone->id,
              domain::AuditLogAction::kStageInstanceDelete, AuditDiff(AuditFields(*gone), {}),
              reason, json::object{{"channel_id", domain::ToString(channel_id)}});
  PublishToViewers(deps_, "STAGE_INSTANCE_DELETE", ca->channel, StageInstanceJson(*gone));
  if (gone->scheduled_event_id != 0) events_.FollowStage(gone->scheduled_event_id, false);
  return {};
}

}  // namespace chat::service
