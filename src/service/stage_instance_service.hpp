// service/stage_instance_service.hpp — live stages (Discord's /stage-instances): started, retitled
// and ended by the stage's moderators (MANAGE_CHANNELS, MUTE_MEMBERS and MOVE_MEMBERS in the stage
// channel), seen by those who can view the channel. Each change is audited (83–85) and announced
// as STAGE_INSTANCE_CREATE/UPDATE/DELETE (intent GUILDS). A stage started for a scheduled event
// of the channel makes the event ACTIVE; ending the stage completes it. Synchronous: run on the db
// pool.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "domain/stage_instance.hpp"
#include "service/community_common.hpp"
#include "service/scheduled_event_service.hpp"

namespace chat::service {

struct StageInput {
  domain::Snowflake channel_id = 0;
  std::string topic;
  domain::Snowflake scheduled_event_id = 0;  // 0: none
};

class StageInstanceService {
 public:
  StageInstanceService(CommunityDeps deps, ScheduledEventService& events)
      : deps_(deps), events_(events) {}

  // 50024 unless the channel is a stage channel; 150006 when its stage is already open.
  [[nodiscard]] Result<domain::StageInstance> Create(domain::Snowflake user_id,
                                                     const StageInput& input,
                                                     const AuditReason& reason = {});
  [[nodiscard]] Result<domain::StageInstance> Get(domain::Snowflake user_id,
                                                  domain::Snowflake channel_id);
  // Without a topic, nothing changes.
  [[nodiscard]] Result<domain::StageInstance> Modify(domain::Snowflake user_id,
                                                     domain::Snowflake channel_id,
                                                     const std::optional<std::string>& topic,
                                                     const AuditReason& reason = {});
  [[nodiscard]] Result<void> Delete(domain::Snowflake user_id, domain::Snowflake channel_id,
                                    const AuditReason& reason = {});

 private:
  // The stage channel, when the user moderates it.
  Result<ChannelAccess> Moderate(domain::Snowflake user_id, domain::Snowflake channel_id);
  CommunityDeps deps_;
  ScheduledEventService& events_;
};

// Discord's stage instance object.
boost::json::object StageInstanceJson(const domain::StageInstance& stage);

// A GUILD_CREATE's `stage_instances`: the stages in channels `member` can see.
Result<boost::json::array> VisibleStagesJson(store::Store& store, const domain::Guild& guild,
                                             const std::vector<domain::Role>& roles,
                                             const domain::Member& member,
                                             const std::vector<domain::Channel>& channels,
                                             std::int64_t now_ms);

}  // namespace chat::service
