// store/stage_instance_store.hpp — live stages, one per stage channel at most. A stage goes with
// its channel (and so with its guild). Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "domain/snowflake.hpp"
#include "domain/stage_instance.hpp"

namespace chat::store {

inline constexpr int kUnknownStageInstance = 10067;
inline Error UnknownStageInstance() {
  return Error::NotFound("Unknown Stage Instance", kUnknownStageInstance);
}
// Discord's 150006.
inline Error StageAlreadyOpen() {
  Error e = Error::Validation("Stage already open");
  e.api_code = 150006;
  return e;
}

class StageInstanceStore {
 public:
  virtual ~StageInstanceStore() = default;

  // StageAlreadyOpen when the channel has a stage; NotFound 10003 for an unknown channel.
  [[nodiscard]] virtual Result<void> CreateStageInstance(const domain::StageInstance& instance) = 0;
  // NotFound 10067 when the channel has no stage (Get, Update, Delete).
  [[nodiscard]] virtual Result<domain::StageInstance> GetStageInstance(
      domain::Snowflake channel_id) = 0;
  // Ascending by id.
  [[nodiscard]] virtual Result<std::vector<domain::StageInstance>> ListStageInstances(
      domain::Snowflake guild_id) = 0;
  [[nodiscard]] virtual Result<domain::StageInstance> UpdateStageInstance(
      domain::Snowflake channel_id, const std::string& topic) = 0;
  // The stage as it was.
  [[nodiscard]] virtual Result<domain::StageInstance> DeleteStageInstance(
      domain::Snowflake channel_id) = 0;
};

}  // namespace chat::store
