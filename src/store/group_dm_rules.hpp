// store/group_dm_rules.hpp — who may change a group DM, checked by both backends on the channel as
// they read it inside the transaction that changes it (so a user removed, or an owner who handed
// the group on, a moment before changes nothing).
#pragma once

#include <algorithm>

#include "common/result.hpp"
#include "domain/channel.hpp"
#include "store/errors.hpp"

namespace chat::store {

inline bool IsRecipientOf(const domain::Channel& channel, domain::Snowflake user_id) {
  const auto& ids = channel.recipient_ids;
  return std::find(ids.begin(), ids.end(), user_id) != ids.end();
}

// A group DM, changed by one of its recipients.
inline Result<void> CheckGroupDmActor(const domain::Channel& channel, domain::Snowflake actor) {
  if (channel.type != domain::ChannelType::kGroupDm) return UnknownChannel();
  if (!IsRecipientOf(channel, actor)) return NotARecipient();
  return {};
}

// `actor` removes `user_id`: themselves, or anyone when they own the group.
inline Result<void> CheckRemoval(const domain::Channel& channel, domain::Snowflake user_id,
                                 domain::Snowflake actor) {
  if (auto r = CheckGroupDmActor(channel, actor); !r) return r;
  if (user_id != actor && channel.owner_id != actor) return NotTheOwner();
  if (!IsRecipientOf(channel, user_id)) return UnknownUser();
  return {};
}

// `channel` without `user_id`, its owner passing to the lowest id left when they owned it
// (recipient_ids are ascending). Empty recipients: the last one left.
inline domain::Channel WithoutRecipient(domain::Channel channel, domain::Snowflake user_id) {
  auto& ids = channel.recipient_ids;
  ids.erase(std::remove(ids.begin(), ids.end(), user_id), ids.end());
  if (!ids.empty() && (channel.owner_id == user_id || !channel.owner_id)) {
    channel.owner_id = ids.front();
  }
  return channel;
}

// The owner alone hands the group on, to a recipient.
inline Result<void> CheckNewOwner(const domain::Channel& channel, domain::Snowflake owner,
                                  domain::Snowflake actor) {
  if (channel.owner_id != actor) return NotTheOwner();
  if (!IsRecipientOf(channel, owner)) return UnknownUser();
  return {};
}

}  // namespace chat::store
