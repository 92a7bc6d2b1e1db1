// service/group_dm_service.hpp — group DMs (channel type 3): a DM of up to 10 users, made by one
// of them (its owner), with a name and an icon any of them may change. Recipients are added by
// any recipient and removed by the owner; anyone may leave, the owner handing the group on to
// the next recipient; the last to leave takes the channel with them.
//
// Each change is told as Discord tells it: the user added gets CHANNEL_CREATE and the others
// CHANNEL_RECIPIENT_ADD {channel_id, user}; the user removed gets CHANNEL_DELETE and the others
// CHANNEL_RECIPIENT_REMOVE; renames, icons and new owners CHANNEL_UPDATE. Each user's copy of the
// channel lists the others as its `recipients`. The channel shows the change too, as a message
// of type 1 (RECIPIENT_ADD), 2 (RECIPIENT_REMOVE), 4 (CHANNEL_NAME_CHANGE) or 5
// (CHANNEL_ICON_CHANGE) by whoever made it. Synchronous: run on the db pool. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/fwd.hpp>

#include "domain/channel.hpp"
#include "service/community_common.hpp"
#include "service/image_data.hpp"
#include "service/message_service.hpp"

namespace chat::service {

class GroupDmService {
 public:
  GroupDmService(CommunityDeps deps, MessageService& messages) : deps_(deps), messages_(messages) {}

  // A new group DM owned by `user_id`, holding them and `recipients` (repeats and the owner's own
  // id count once). 404 10013 for an unknown user; 400 30004 past 10 users in all.
  [[nodiscard]] Result<DmView> Create(domain::Snowflake user_id,
                                      const std::vector<domain::Snowflake>& recipients);
  // Any recipient adds `target`: nothing happens when they are there already. 50024 on a channel
  // that is not a group DM; 404 10013; 400 30004 when it is full.
  [[nodiscard]] Result<void> AddRecipient(domain::Snowflake user_id, domain::Snowflake channel_id,
                                          domain::Snowflake target);
  // The owner removes `target` (50013 for anyone else); `target` == `user_id` leaves. 404 10013
  // when `target` is not a recipient.
  [[nodiscard]] Result<void> RemoveRecipient(domain::Snowflake user_id,
                                             domain::Snowflake channel_id,
                                             domain::Snowflake target);
  // DELETE /channels/{id} of a group DM: `user_id` leaves. `channel` is as AccessService read it;
  // the answer is the channel as it was.
  [[nodiscard]] Result<domain::Channel> Leave(domain::Snowflake user_id, domain::Channel channel);
  // PATCH /channels/{id} of a group DM: `name` (a string up to 100 characters; null or "" for
  // none), `icon` (a data URI, or null) and `owner` (a recipient; the owner only, else 50013).
  // Other fields are not a group DM's and are left alone. Answers the channel after.
  [[nodiscard]] Result<domain::Channel> Update(domain::Snowflake user_id, domain::Channel channel,
                                               const boost::json::object& body);
  // The icon /channel-icons/{channel_id}/{hash} names (public, as Discord's CDN).
  [[nodiscard]] Result<ImageFile> Icon(domain::Snowflake channel_id, std::string_view hash);
  // The channel with the recipients other than `viewer` as user objects.
  [[nodiscard]] Result<DmView> View(domain::Channel channel, domain::Snowflake viewer);

 private:
  // `type` with the channel as each of `users` sees it.
  void PublishChannel(const char* type, const domain::Channel& channel,
                      const std::vector<domain::Snowflake>& users);
  // CHANNEL_RECIPIENT_ADD/REMOVE for `user` to the channel's recipients but `user`.
  void PublishRecipient(const char* type, const domain::Channel& channel, domain::Snowflake user);
  void PostNotice(const domain::Channel& channel, domain::Snowflake author_id, int type,
                  std::string content, std::optional<domain::Snowflake> mentioned);
  // `user_id` leaves or is removed by `by`.
  Result<void> Remove(domain::Snowflake by, domain::Snowflake channel_id,
                      domain::Snowflake user_id);

  CommunityDeps deps_;
  MessageService& messages_;
};

}  // namespace chat::service
