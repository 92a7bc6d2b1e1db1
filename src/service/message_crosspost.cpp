// service/message_crosspost.cpp — MessageService::Crosspost: publishing a message of an
// announcement channel. Channels following it are not carried yet; the message is marked
// published (CROSSPOSTED) and the change announced, as Discord does for a channel without
// followers.
#include "domain/channel.hpp"
#include "domain/permissions.hpp"
#include "service/message_service.hpp"
#include "store/errors.hpp"

namespace chat::service {

namespace {
constexpr std::int64_t kFlagCrossposted = 1 << 0;
}  // namespace

Result<MessageView> MessageService::Crosspost(domain::Snowflake user_id,
                                              domain::Snowflake channel_id,
                                              domain::Snowflake message_id) {
  namespace perm = domain::perm;
  auto access =
      access_.RequireChannel(user_id, channel_id, perm::kViewChannel | perm::kSendMessages);
  if (!access) return access.error();
  if (access->channel.type != domain::ChannelType::kGuildAnnouncement) return WrongChannelType();
  auto message = store_.GetMessage(channel_id, message_id);
  if (!message) return message.error();
  if (domain::AuthorOf(*message) != user_id &&
      !perm::Has(access->permissions, perm::kManageMessages)) {
    return MissingPermissions();
  }
  if (message->flags & kFlagCrossposted) {
    Error e = Error::Validation("This message has already been crossposted.");
    e.api_code = 40033;
    return e;
  }
  store::MessageUpdate update;
  update.flags = message->flags | kFlagCrossposted;
  auto updated = store_.UpdateMessage(channel_id, message_id, update);
  if (!updated) return updated.error();
  auto data = Load(*updated, access->channel.guild_id, true);
  if (!data) return data.error();
  std::vector<MessageView> views;
  views.push_back(MessageView{std::move(*data), {}});
  views.front().json = domain::json::MessageJson(views.front().data);
  PublishMessage("MESSAGE_UPDATE", *access, domain::AuthorOf(*updated), views.front().json);
  if (auto r = AddReactions(views, user_id); !r) return r.error();
  return std::move(views.front());
}

}  // namespace chat::service
