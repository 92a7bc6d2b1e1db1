#include "service/message_service.hpp"

#include <algorithm>
#include <unordered_map>

#include <boost/json.hpp>

#include "common/log.hpp"
#include "domain/json/guild_json.hpp"
#include "domain/json/message_json.hpp"
#include "domain/json/time_json.hpp"
#include "domain/mentions.hpp"
#include "domain/permissions.hpp"
#include "domain/validation.hpp"
#include "store/errors.hpp"

namespace chat::service {
namespace {

// The enforce_nonce claim a request holds until its message is stored; given up if it never is, so
// that a retry may send it.
class NonceHold {
 public:
  NonceHold(MessageLimits& limits, domain::Snowflake author_id, const std::string& nonce,
            domain::Snowflake message_id)
      : limits_(limits), author_id_(author_id), nonce_(nonce), message_id_(message_id) {}
  NonceHold(const NonceHold&) = delete;
  NonceHold& operator=(const NonceHold&) = delete;
  ~NonceHold() {
    if (!sent_) limits_.ReleaseNonce(author_id_, nonce_, message_id_);
  }
  void Sent() {
    limits_.NonceSent(author_id_, nonce_, message_id_);
    sent_ = true;
  }

 private:
  MessageLimits& limits_;
  const domain::Snowflake author_id_;
  const std::string nonce_;
  const domain::Snowflake message_id_;
  bool sent_ = false;
};

namespace perm = domain::perm;
using domain::Snowflake;

constexpr std::uint64_t kSlowmodeBypass =
    perm::kManageMessages | perm::kManageChannels | perm::kBypassSlowmode;

bool Has(std::uint64_t held, std::uint64_t bits) { return (held & bits) == bits; }

Error EmptyMessage() {
  Error e = Error::Validation("Cannot send an empty message");
  e.api_code = 50006;
  return e;
}

bool Contains(const std::vector<Snowflake>& ids, Snowflake id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// Messages the server writes (notices, poll results), which no one edits; replies and command
// answers are messages like any other.
bool IsSystemMessage(int type) {
  return type != domain::json::kMessageTypeDefault && type != domain::json::kMessageTypeReply &&
         type != domain::json::kMessageTypeChatInputCommand &&
         type != domain::json::kMessageTypeContextMenuCommand;
}

Error SystemMessageRefused() {
  return Error{Errc::kValidation, "Cannot execute action on a system message", 50021};
}

}  // namespace

domain::User DeletedUser(Snowflake id) {
  domain::User u;
  u.id = id;
  u.username = "Deleted User";
  return u;
}

Result<void> CheckContent(const std::string& content) {
  if (!domain::IsValidUtf8(content)) {
    return Error::Validation("Invalid Form Body",
                             {{"content", "STRING_TYPE_INVALID", "Content is not valid UTF-8."}});
  }
  if (content.find('\0') != std::string::npos) {
    return Error::Validation("Invalid Form Body",
                             {{"content", "STRING_TYPE_INVALID", "Content contains a NUL byte."}});
  }
  if (domain::CountCodePoints(content) > domain::kMaxMessageLength) {
    return Error::Validation("Invalid Form Body", {{"content", "BASE_TYPE_MAX_LENGTH",
                                                    "Must be 2000 or fewer in length."}});
  }
  return {};
}

// -- loading ------------------------------------------------------------------------------------

Result<MessageService::UserMap> MessageService::UsersOf(std::span<const domain::Message> messages) {
  std::vector<Snowflake> ids;
  for (const auto& m : messages) {
    if (!m.webhook_id) ids.push_back(m.author_id);  // a webhook's message shows the webhook
    ids.insert(ids.end(), m.mention_user_ids.begin(), m.mention_user_ids.end());
  }
  auto users = store_.ListUsers(ids);
  if (!users) return users.error();
  UserMap out;
  out.reserve(users->size());
  for (auto& u : *users) {
    const Snowflake id = u.id;
    out.emplace(id, std::move(u));
  }
  return out;
}

Result<std::optional<domain::User>> MessageService::FindUser(Snowflake id, const UserMap* users) {
  if (users != nullptr) {
    if (auto it = users->find(id); it != users->end()) return std::optional(it->second);
  }
  auto read = store_.GetUser(id);
  if (read) return std::optional(std::move(*read));
  if (read.error().code == Errc::kNotFound) return std::optional<domain::User>();
  return read.error();
}

Result<domain::json::MessageData> MessageService::Load(const domain::Message& message,
                                                       std::optional<Snowflake> guild_id,
                                                       bool with_reference, bool with_attachments,
                                                       const domain::User* author,
                                                       const UserMap* users) {
  domain::json::MessageData data;
  data.message = message;
  data.guild_id = guild_id;
  if (message.webhook_id) {
    // MessageJson shows the webhook, from the message row: its creator's account is not read.
  } else if (author != nullptr && author->id == message.author_id) {
    data.author = *author;
  } else {
    auto found = FindUser(message.author_id, users);
    if (!found) return found.error();
    data.author = *found ? std::move(**found) : DeletedUser(message.author_id);
  }
  for (Snowflake id : message.mention_user_ids) {
    auto found = FindUser(id, users);
    if (!found) return found.error();
    if (*found) data.mentions.push_back(std::move(**found));
  }
  if (with_reference && message.referenced_message_id) {
    auto ref = store_.GetMessage(message.channel_id, *message.referenced_message_id);
    if (ref) {
      auto ref_data = Load(*ref, guild_id, false, true, nullptr, users);
      if (!ref_data) return ref_data.error();
      data.referenced = std::make_shared<domain::json::MessageData>(std::move(*ref_data));
    } else if (ref.error().code != Errc::kNotFound) {
      return ref.error();
    }
  }
  if (with_attachments) {
    const Snowflake id = message.id;
    auto attachments = AttachmentsOf(std::span<const Snowflake>(&id, 1));
    if (!attachments) return attachments.error();
    data.attachments = std::move(*attachments);
  }
  if (message.poll_json) {
    auto tally = TallyOf(message.id, 0);
    if (!tally) return tally.error();
    data.poll = std::move(*tally);
  }
  return data;
}

Result<std::vector<domain::Attachment>> MessageService::AttachmentsOf(
    std::span<const Snowflake> ids) {
  if (!attachments_ || ids.empty()) return std::vector<domain::Attachment>{};
  return attachments_->ForMessages(ids);
}

Result<void> MessageService::FillAttachments(std::vector<MessageView>& views) {
  std::vector<Snowflake> ids;
  ids.reserve(views.size());
  for (const auto& v : views) ids.push_back(v.data.message.id);
  auto all = AttachmentsOf(ids);
  if (!all) return all.error();
  std::unordered_map<Snowflake, std::vector<domain::Attachment>> by_message;
  for (auto& a : *all) by_message[a.message_id].push_back(std::move(a));
  for (auto& v : views) {
    auto it = by_message.find(v.data.message.id);
    v.data.attachments =
        it == by_message.end() ? std::vector<domain::Attachment>{} : std::move(it->second);
  }
  return {};
}

Result<void> MessageService::AddReactions(std::vector<MessageView>& views, Snowflake viewer) {
  std::vector<Snowflake> ids;
  ids.reserve(views.size());
  for (const auto& v : views) ids.push_back(v.data.message.id);
  auto summaries = store_.ListReactionSummaries(ids, viewer);
  if (!summaries) return summaries.error();
  std::vector<Snowflake> polls;
  for (const auto& v : views) {
    if (v.data.message.poll_json) polls.push_back(v.data.message.id);
  }
  if (!polls.empty()) {
    auto tallies = store_.ListPollTallies(polls, viewer);
    if (!tallies) return tallies.error();
    for (auto& [id, tally] : *tallies) {
      for (auto& v : views) {
        if (v.data.message.id == id) v.data.poll = tally;
      }
    }
  }
  for (auto& view : views) {
    view.data.reactions.clear();
    for (const auto& s : *summaries) {
      if (s.message_id != view.data.message.id) continue;
      domain::json::ReactionCount count;
      count.count = s.count;
      count.me = s.me;
      // Custom emoji are stored as "name:id".
      if (auto colon = s.emoji.rfind(':'); colon != std::string::npos) {
        count.emoji_name = s.emoji.substr(0, colon);
        count.emoji_id = domain::ParseSnowflake(std::string_view(s.emoji).substr(colon + 1));
      } else {
        count.emoji_name = s.emoji;
      }
      view.data.reactions.push_back(std::move(count));
    }
    view.json = domain::json::MessageJson(view.data);
  }
  return {};
}

// -- mentions -----------------------------------------------------------------------------------

Result<domain::Message> MessageService::ResolveMentions(
    domain::Message message, const ChannelAccess& access,
    const std::optional<AllowedMentions>& allowed, std::optional<Snowflake> replied_author) {
  const domain::ParsedMentions parsed = domain::ParseMentions(message.content);
  const bool may_everyone = Has(access.permissions, perm::kMentionEveryone);
  message.mention_user_ids.clear();
  message.mention_role_ids.clear();

  for (Snowflake id : parsed.users) {
    if (allowed && !allowed->users && !Contains(allowed->user_ids, id)) continue;
    auto user = store_.GetUser(id);
    if (user) {
      message.mention_user_ids.push_back(id);
    } else if (user.error().code != Errc::kNotFound) {
      return user.error();
    }
  }
  if (replied_author && (!allowed || allowed->replied_user) &&
      !Contains(message.mention_user_ids, *replied_author)) {
    message.mention_user_ids.push_back(*replied_author);
  }
  if (access.guild) {
    for (Snowflake id : parsed.roles) {
      if (allowed && !allowed->roles && !Contains(allowed->role_ids, id)) continue;
      const auto& roles = access.guild->roles;
      auto role = std::find_if(roles.begin(), roles.end(),
                               [id](const domain::Role& r) { return r.id == id; });
      // The @everyone role is mentioned with "@everyone", never as a role.
      if (role == roles.end() || role->id == access.guild->guild.id) continue;
      if (role->mentionable || may_everyone) message.mention_role_ids.push_back(id);
    }
  }
  message.mention_everyone =
      (parsed.everyone || parsed.here) && may_everyone && (!allowed || allowed->everyone);
  return message;
}

// -- rate and nonce memories --------------------------------------------------------------------

Result<void> MessageService::CheckSlowmode(Snowflake user_id, const ChannelAccess& access) {
  const int seconds = access.channel.rate_limit_per_user;
  if (seconds <= 0 || !access.guild || (access.permissions & kSlowmodeBypass) != 0) return {};
  const auto wait = limits_.TakeSlowmodeTurn(access.channel.id, user_id, seconds);
  if (!wait) return {};
  Error e = Error::RateLimited(*wait, "Slowmode rate limit");
  e.api_code = 20016;
  return e;
}

Result<std::optional<domain::Message>> MessageService::ClaimNonce(Snowflake author_id,
                                                                  Snowflake channel_id,
                                                                  const std::string& nonce,
                                                                  Snowflake message_id,
                                                                  bool& claimed) {
  using State = MessageLimits::NonceClaim::State;
  claimed = false;
  const auto claim = limits_.ClaimNonce(author_id, nonce, message_id);
  if (claim.state == State::kClaimed) {
    claimed = true;
    return std::optional<domain::Message>();
  }
  if (claim.state == State::kSent) {
    auto first = store_.GetMessage(channel_id, claim.message_id);
    if (first) return std::optional<domain::Message>(std::move(*first));
    if (first.error().code != Errc::kNotFound) return first.error();
    // Deleted since, or sent in another channel: this one is sent as a new message.
    return std::optional<domain::Message>();
  }
  // The caller waits off this thread and calls again (a db-pool thread must not sleep here).
  return Error::InFlight(1.0, "A message with this nonce is still being sent");
}

// -- events -------------------------------------------------------------------------------------

std::optional<boost::json::object> MessageService::PartialMember(const ChannelAccess& access,
                                                                 Snowflake user_id) {
  if (!access.guild) return std::nullopt;
  domain::Member member;
  if (access.guild->member.user_id == user_id) {
    member = access.guild->member;
  } else {
    auto found = store_.GetMember(access.guild->guild.id, user_id);
    if (!found) return std::nullopt;
    member = std::move(*found);
  }
  // Discord's message and typing events carry the member without its user object.
  boost::json::object o = domain::json::MemberJson(member, DeletedUser(user_id));
  o.erase("user");
  return o;
}

void MessageService::Publish(const char* type, const ChannelAccess& access,
                             boost::json::object payload, bus::Intent guild_intent,
                             bus::Intent dm_intent) {
  auto viewers = access_.ChannelViewers(access.channel);
  if (!viewers) return;  // the change is committed; a lost event is better than a failed call
  bus::Event event;
  event.type = type;
  event.guild_id = access.channel.guild_id;
  event.recipients = std::move(*viewers);
  event.intent = access.guild ? guild_intent : dm_intent;
  event.payload = boost::json::serialize(payload);
  bus_.Publish(std::move(event));
}

void MessageService::PublishMessage(const char* type, const ChannelAccess& access,
                                    Snowflake author_id, const boost::json::object& message) {
  auto viewers = access_.ChannelViewers(access.channel);
  if (!viewers) return;
  boost::json::object payload = message;
  if (access.channel.guild_id) {
    payload["guild_id"] = domain::ToString(*access.channel.guild_id);
    if (auto member = PartialMember(access, author_id)) payload["member"] = std::move(*member);
  }
  bus::Event event;
  event.type = type;
  event.guild_id = access.channel.guild_id;
  event.recipients = std::move(*viewers);
  event.intent = access.guild ? bus::Intent::kGuildMessages : bus::Intent::kDirectMessages;
  event.author_id = author_id;
  event.payload = boost::json::serialize(payload);
  // Discord empties guild messages for bots without MESSAGE_CONTENT; a DM they are in stays whole.
  if (access.channel.guild_id) {
    // Those it mentions read it whole (a bot answering its name needs the text).
    if (const auto* mentions = payload.if_contains("mentions"); mentions && mentions->is_array()) {
      for (const auto& u : mentions->as_array()) {
        const auto* id = u.is_object() ? u.as_object().if_contains("id") : nullptr;
        if (id && id->is_string()) {
          if (auto parsed = domain::ParseSnowflake(id->as_string())) {
            event.mentioned.push_back(*parsed);
          }
        }
      }
    }
    event.payload_without_content =
        boost::json::serialize(domain::json::WithoutContent(std::move(payload)));
  }
  bus_.Publish(std::move(event));
}

Result<void> MessageService::PostSystemMessage(const domain::Message& message,
                                               const ChannelAccess& access,
                                               const store::TaskKey* completes) {
  auto stored = completes ? store_.CreateMessageCompleting(message, *completes)
                          : store_.CreateMessage(message);
  if (!stored) return stored.error();
  auto data = Load(message, access.channel.guild_id, true);
  if (!data) return data.error();
  PublishMessage("MESSAGE_CREATE", access, domain::AuthorOf(message),
                 domain::json::MessageJson(*data));
  return {};
}

void MessageService::PostDmNotice(const domain::Message& message, const domain::Channel& channel) {
  ChannelAccess access;
  access.channel = channel;
  access.permissions = DmPermissions();
  if (auto r = PostSystemMessage(message, access); !r) {
    log::Warn("chat_server::messages", "notice not posted",
              {{"message_id", domain::ToString(message.id)}, {"error", r.error().message}});
  }
}

// -- use cases ----------------------------------------------------------------------------------

Result<ChannelAccess> MessageService::AccessAs(const Actor& actor, Snowflake channel_id,
                                               std::uint64_t required, bool with_user) {
  if (actor.access_as != 0) return access_.Channel(actor.access_as, channel_id);
  if (!actor.webhook) return access_.RequireChannel(actor.user_id, channel_id, required, with_user);
  auto guild = store_.GetGuild(actor.webhook->guild_id);
  if (!guild) return guild.error();
  auto access = access_.Channel(guild->owner_id, channel_id);
  // Its own channel, or (Discord's ?thread_id=) a thread of it; anything else does not exist here.
  const bool reachable = access && (channel_id == actor.webhook->channel_id ||
                                    (domain::IsThread(access->channel.type) &&
                                     access->channel.parent_id == actor.webhook->channel_id));
  if (!reachable && (access || access.error().code == Errc::kNotFound ||
                     access.error().code == Errc::kForbidden)) {
    return store::UnknownChannel();
  }
  return access;
}

Result<void> MessageService::CheckComponentSender(const Actor& actor, const ChannelAccess& access,
                                                  const ComponentsInput& components) {
  if (!components.interactive) return {};
  // The account that owns the message (a webhook's creator) answers its components' interactions:
  // it must be an application's bot.
  bool bot = false;
  if (!actor.webhook && access.user) {
    bot = access.user->bot;
  } else {
    auto owner = store_.GetUser(actor.user_id);
    if (!owner) return owner.error();
    bot = owner->bot;
  }
  if (bot) return {};
  return Error::Validation("Invalid Form Body",
                           {{"components", "COMPONENT_INTERACTIVE_FORBIDDEN",
                             "Only applications can send components that start interactions."}});
}

Result<void> MessageService::Reopen(ChannelAccess& access) {
  store::ThreadUpdate update;
  update.archived = false;
  update.now_ms = access_.Now();
  auto reopened = store_.UpdateThread(access.channel.id, update);
  if (!reopened) return reopened.error();
  access.channel = std::move(*reopened);
  auto viewers = access_.ChannelViewers(access.channel);
  if (!viewers) return {};  // reopened all the same; the next THREAD_UPDATE tells them
  bus::Event event;
  event.type = "THREAD_UPDATE";
  event.guild_id = access.channel.guild_id;
  event.recipients = std::move(*viewers);
  event.intent = bus::Intent::kGuilds;
  event.payload = boost::json::serialize(domain::json::ChannelJson(access.channel));
  bus_.Publish(std::move(event));
  return {};
}

Result<MessageView> MessageService::Create(Snowflake author_id, Snowflake channel_id,
                                           const MessageInput& input) {
  return CreateAs(Actor{author_id}, channel_id, input);
}

Result<MessageView> MessageService::CreateAsWebhook(const domain::Webhook& webhook,
                                                    std::string name,
                                                    std::optional<std::string> avatar,
                                                    const MessageInput& input,
                                                    std::optional<Snowflake> thread_id) {
  if (thread_id == webhook.channel_id) return store::UnknownChannel();  // not a thread
  return CreateAs(Actor{webhook.creator_id, &webhook, std::move(name), std::move(avatar)},
                  thread_id.value_or(webhook.channel_id), input);
}

Result<std::optional<std::string>> MessageService::StickerItems(const Actor& actor,
                                                                std::optional<Snowflake> guild_id,
                                                                const std::vector<Snowflake>& ids) {
  if (ids.empty()) return std::optional<std::string>();
  const auto invalid = [] { return Error{Errc::kValidation, "Invalid sticker sent", 50081}; };
  // A guild's own stickers, sent by people (webhooks send none, as on Discord).
  if (actor.webhook || !guild_id) return invalid();
  boost::json::array items;
  for (Snowflake id : ids) {
    auto sticker = store_.GetSticker(id);
    if (!sticker) {
      if (sticker.error().code == Errc::kNotFound) return invalid();
      return sticker.error();
    }
    if (sticker->guild_id != *guild_id) return invalid();
    items.push_back(boost::json::object{{"id", domain::ToString(sticker->id)},
                                        {"name", sticker->name},
                                        {"format_type", static_cast<int>(sticker->format)}});
  }
  return std::optional<std::string>(boost::json::serialize(items));
}

Result<MessageView> MessageService::CreateAs(const Actor& actor, Snowflake channel_id,
                                             const MessageInput& input) {
  const Snowflake author_id = actor.id();
  const bool has_content = input.content && !input.content->empty();
  if (input.content) {
    if (auto r = CheckContent(*input.content); !r) return r.error();
  }
  const bool has_files = !input.files.empty();
  const bool forward = input.reference_type == domain::json::kMessageReferenceForward;
  if (forward) {
    // A forward shows the forwarded message and nothing of its own (Discord sends any words with
    // it as a message of their own).
    if (has_content || input.embed_count != 0 || has_files || input.components.count != 0 ||
        input.poll || !input.sticker_ids.empty() || !input.reply_to || !input.reply_channel_id) {
      return Error::Validation("Invalid Form Body",
                               {{"message_reference", "MESSAGE_FORWARD_INVALID",
                                 "A forward carries only the message it forwards."}});
    }
    if (actor.webhook) {
      return Error::Validation(
          "Invalid Form Body",
          {{"message_reference", "MESSAGE_FORWARD_INVALID", "Webhooks cannot forward messages."}});
    }
  } else if (!has_content && input.embed_count == 0 && !has_files && input.components.count == 0 &&
             !input.poll && input.sticker_ids.empty() && !input.sticker_items_json) {
    return EmptyMessage();
  }
  if (input.files.size() > domain::kMaxAttachments) {
    return Error::Validation("Invalid Form Body",
                             {{"files", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length."}});
  }
  if (input.nonce && input.nonce->size() > kMaxNonceLength) {
    return Error::Validation("Invalid Form Body",
                             {{"nonce", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."}});
  }

  // The author's account comes with the permission rows: the message needs it. An application
  // answers an interaction whatever its bot's permissions in the channel, as on Discord.
  const bool answer = input.interaction_json.has_value() || input.authorized;
  auto access = AccessAs(actor, channel_id,
                         answer ? std::uint64_t{0} : perm::kViewChannel | perm::kSendMessages,
                         /*with_user=*/true);
  if (!access) return access.error();
  if (domain::IsVoiceLike(access->channel.type) ||
      access->channel.type == domain::ChannelType::kGuildCategory ||
      access->channel.type == domain::ChannelType::kGuildForum) {
    Error e = Error::Validation("Cannot send messages in a non-text channel");
    e.api_code = 50008;
    return e;
  }
  const std::optional<Snowflake> guild_id = access->channel.guild_id;
  if (auto r = CheckComponentSender(actor, *access, input.components); !r) return r.error();
  // A follower's copy carries the original's stickers as they are (the follower is a webhook in
  // another guild: sticker_ids would not do).
  auto stickers = input.sticker_items_json
                      ? Result<std::optional<std::string>>(input.sticker_items_json)
                      : StickerItems(actor, guild_id, input.sticker_ids);
  if (!stickers) return stickers.error();
  if (input.poll) {
    // An application's answer needs no SEND_POLLS, as on Discord; a forum post's first message
    // (`authorized`) does, in the forum the thread inherits its permissions from.
    if (access->guild && !input.interaction_json && !Has(access->permissions, perm::kSendPolls)) {
      return MissingPermissions();
    }
    for (Snowflake emoji : input.poll->emoji_ids) {
      auto found = store_.GetEmoji(emoji);
      if (found) continue;
      if (found.error().code != Errc::kNotFound) return found.error();
      Error e = Error::Validation("Cannot use an emoji included with the poll");
      e.api_code = 520004;
      return e;
    }
  }

  domain::Message message;
  std::optional<NonceHold> nonce_hold;
  if (input.enforce_nonce && input.nonce) {
    // The id comes first: a retry racing this request finds it in the claim.
    message.id = ids_.Next();
    bool claimed = false;
    auto first = ClaimNonce(author_id, channel_id, *input.nonce, message.id, claimed);
    if (!first) return first.error();
    if (*first) {
      auto data = Load(**first, guild_id, true);
      if (!data) return data.error();
      auto json = domain::json::MessageJson(*data);
      return MessageView{std::move(*data), std::move(json)};
    }
    if (claimed) nonce_hold.emplace(limits_, author_id, *input.nonce, message.id);
  }
  message.channel_id = channel_id;
  message.author_id = actor.user_id;
  if (actor.webhook) {
    message.webhook_id = actor.webhook->id;
    message.webhook_name = actor.name;
    message.webhook_avatar = actor.avatar;
  }
  message.content = input.content.value_or("");
  message.tts = input.tts && Has(access->permissions, perm::kSendTtsMessages);
  message.nonce = input.nonce;
  // Only SUPPRESS_EMBEDS (1<<2) and SUPPRESS_NOTIFICATIONS (1<<12) may be set by a sender.
  message.flags = input.flags & ((1 << 2) | (1 << 12));
  message.type = input.type;  // a reply below is type 19 whatever it answers
  if (input.embeds_json) message.embeds_json = *input.embeds_json;
  if (input.components.json) message.components_json = *input.components.json;
  message.interaction_json = input.interaction_json;
  if (input.crosspost) {
    message.crosspost = input.crosspost;
    message.flags |= domain::json::kFlagIsCrosspost;
  }
  message.stickers_json = std::move(*stickers);
  if (input.poll) {
    message.poll_json = input.poll->stored_json;
    message.poll_expires_at_ms = clock_() + input.poll->duration_hours * domain::kHourMs;
  }

  std::optional<Snowflake> replied_author;
  if (forward) {
    // The sender must be able to read the original where it is; the forward then shows it to
    // whoever sees the channel it is forwarded to, as it is now.
    auto source_access = access_.RequireChannel(actor.user_id, *input.reply_channel_id,
                                                perm::kViewChannel | perm::kReadMessageHistory);
    if (!source_access) return source_access.error();
    auto source = store_.GetMessage(*input.reply_channel_id, *input.reply_to);
    if (!source) {
      if (source.error().code != Errc::kNotFound) return source.error();
      return Error::Validation(
          "Invalid Form Body",
          {{"message_reference", "REPLIES_UNKNOWN_MESSAGE", "Unknown message"}});
    }
    // What Discord forwards: people's and applications' messages, not polls or system messages.
    if (source->poll_json || IsSystemMessage(source->type)) {
      return Error::Validation(
          "Invalid Form Body",
          {{"message_reference", "MESSAGE_FORWARD_INVALID", "This message cannot be forwarded."}});
    }
    auto original = Load(*source, source_access->channel.guild_id, false);
    if (!original) return original.error();
    message.forward_json = domain::json::ForwardJson(
        domain::json::MessageJson(*original), source->channel_id, source_access->channel.guild_id);
    message.flags |= domain::json::kFlagHasSnapshot;
  } else if (input.reply_to) {
    if (input.reply_channel_id && *input.reply_channel_id != channel_id) {
      return Error::Validation("Invalid Form Body",
                               {{"message_reference", "REPLIES_CANNOT_REFERENCE_OTHER_CHANNEL",
                                 "Cannot reply to a message in another channel."}});
    }
    auto ref = store_.GetMessage(channel_id, *input.reply_to);
    if (ref) {
      message.type = domain::json::kMessageTypeReply;
      message.referenced_message_id = ref->id;
      if (!ref->webhook_id) replied_author = ref->author_id;  // a webhook has no one to ping
    } else if (ref.error().code != Errc::kNotFound) {
      return ref.error();
    } else if (input.fail_if_not_exists) {
      return Error::Validation(
          "Invalid Form Body",
          {{"message_reference", "REPLIES_UNKNOWN_MESSAGE", "Unknown message"}});
    }
  }

  auto resolved =
      ResolveMentions(std::move(message), *access, input.allowed_mentions, replied_author);
  if (!resolved) return resolved.error();
  message = std::move(*resolved);

  if (has_files) {
    if (!attachments_) return Error::Validation("File uploads are not enabled on this server.");
    if (!answer && !Has(access->permissions, perm::kAttachFiles)) return MissingPermissions();
    if (auto r = attachments_->CheckSizes(input.files); !r) return r.error();
  }

  if (!actor.webhook && !answer) {
    if (auto r = CheckSlowmode(author_id, *access); !r) return r.error();
  }

  // What members write is moderated; applications' answers and the alerts it posts are not.
  // After slowmode: a blocked message takes its turn, so a member cannot repeat it faster.
  std::optional<AutoModVerdict> verdict;
  if (!forward && !input.interaction_json &&
      input.type != domain::json::kMessageTypeAutoModerationAction) {
    auto checked = Moderate(actor, *access, message.content);
    if (!checked) return checked.error();
    if (checked->Blocked()) {
      CarryAutoMod(*checked, *access, actor.user_id, std::nullopt, message.content);
      return AutoModBlocked();
    }
    if (!checked->firings.empty()) verdict = std::move(*checked);
  }

  if (input.id) message.id = *input.id;
  if (message.id == 0) message.id = ids_.Next();
  message.created_at_ms = domain::SnowflakeUnixMs(message.id);
  std::vector<domain::Attachment> rows;
  if (has_files) {
    auto described = attachments_->Describe(channel_id, message.id, input.files);
    if (!described) return described.error();
    rows = std::move(*described);
  }
  if (auto r = store_.CreateMessage(message); !r) return r.error();
  if (access->channel.thread) {
    // A message reopens an archived thread (a locked one refused the sender above, unless they
    // hold MANAGE_THREADS): only one that was stored, so a refused message changes nothing. The
    // thread is read again after the insert, so one the idle sweep archived since the access
    // check is reopened too (on PostgreSQL a sweep after the insert sees its trigger's time).
    auto stored = store_.GetChannel(channel_id);
    if (stored && stored->thread && stored->thread->archived) {
      // The message is stored: a failed reopen is logged (the next message tries again) rather
      // than answered as if the message had not been sent.
      if (auto r = Reopen(*access); !r) {
        log::Warn("chat_server::messages", "thread not reopened", {{"error", r.error().message}});
      }
    }
  }
  if (!rows.empty()) {
    // Rows first, files after (see AttachmentService::WriteFiles): a history read in between may
    // list a URL that answers 404 for those milliseconds. The message must not stay without the
    // files it was sent with.
    auto stored = store_.CreateAttachments(rows);
    if (stored) stored = attachments_->WriteFiles(rows, input.files);
    if (!stored) {
      (void)store_.DeleteMessage(channel_id, message.id);  // its rows go by cascade
      return stored.error();
    }
  }
  if (nonce_hold) {
    nonce_hold->Sent();
  } else if (input.nonce) {
    limits_.RememberNonce(author_id, *input.nonce, message.id);
  }

  // A message sent without files has none to read back.
  auto data = Load(message, guild_id, true, /*with_attachments=*/!rows.empty(),
                   access->user ? &*access->user : nullptr);
  if (!data) return data.error();
  auto json = domain::json::MessageJson(*data);
  PublishMessage("MESSAGE_CREATE", *access, author_id, json);
  if (verdict) CarryAutoMod(*verdict, *access, actor.user_id, message.id, message.content);
  return MessageView{std::move(*data), std::move(json)};
}

Result<AutoModVerdict> MessageService::Moderate(const Actor& actor, const ChannelAccess& access,
                                                const std::string& content) {
  if (!automod_ || actor.webhook || !access.guild || !access.channel.guild_id) {
    return AutoModVerdict{};
  }
  bool bot = false;
  if (access.user) {
    bot = access.user->bot;
  } else if (auto user = store_.GetUser(actor.user_id)) {
    bot = user->bot;
  }
  if (bot) return AutoModVerdict{};
  AutoModSubject subject;
  subject.guild_id = *access.channel.guild_id;
  subject.channel_id = access.channel.id;
  subject.parent_id = access.parent ? access.parent->id : 0;
  const domain::Channel& in_category = access.parent ? *access.parent : access.channel;
  subject.category_id = in_category.parent_id.value_or(0);
  subject.user_id = actor.user_id;
  subject.role_ids = &access.guild->member.role_ids;
  subject.permissions = access.guild->permissions;
  subject.content = content;
  return automod_->Check(subject);
}

void MessageService::CarryAutoMod(const AutoModVerdict& verdict, const ChannelAccess& access,
                                  Snowflake user_id, std::optional<Snowflake> message_id,
                                  const std::string& content) {
  AutoModOutcome outcome;
  outcome.guild_id = access.channel.guild_id.value_or(0);
  outcome.channel_id = access.channel.id;
  outcome.user_id = user_id;
  outcome.message_id = message_id;
  outcome.content = content;
  for (const auto& f : verdict.firings) {
    Snowflake alert_id = 0;
    for (const auto& a : f.actions) {
      if (a.type != domain::AutoModActionType::kSendAlertMessage) continue;
      // Discord's alert: the member's words in an embed of type auto_moderation_message, whose
      // fields say which rule, where and what it matched.
      boost::json::array fields;
      const auto field = [&fields](const char* name, const std::string& value) {
        if (!value.empty()) fields.push_back({{"name", name}, {"value", value}, {"inline", false}});
      };
      field("rule_name", f.rule_name);
      field("channel_id", domain::ToString(access.channel.id));
      field("keyword", f.match.keyword);
      field("keyword_matched_content", f.match.content);
      if (message_id) field("flagged_message_id", domain::ToString(*message_id));
      boost::json::array embeds;
      embeds.push_back({{"type", "auto_moderation_message"},
                        {"description", content},
                        {"fields", std::move(fields)}});
      MessageInput alert;
      alert.type = domain::json::kMessageTypeAutoModerationAction;
      alert.authorized = true;  // the rule's maker chose the channel, not the member
      alert.embeds_json = boost::json::serialize(embeds);
      alert.embed_count = 1;
      alert.allowed_mentions = AllowedMentions{};
      Actor poster{user_id};
      poster.access_as = access.guild->guild.owner_id;
      auto posted = CreateAs(poster, a.channel_id, alert);
      if (!posted) {
        log::Warn(
            "chat_server::messages", "auto moderation alert not posted",
            {{"channel_id", domain::ToString(a.channel_id)}, {"error", posted.error().message}});
        continue;
      }
      alert_id = posted->data.message.id;
    }
    outcome.alert_message_ids.push_back(alert_id);
  }
  automod_->Carry(verdict, outcome);
}

Result<MessageView> MessageService::Get(Snowflake user_id, Snowflake channel_id,
                                        Snowflake message_id) {
  auto access =
      access_.RequireChannel(user_id, channel_id, perm::kViewChannel | perm::kReadMessageHistory);
  if (!access) return access.error();
  auto message = store_.GetMessage(channel_id, message_id);
  if (!message) return message.error();
  auto data = Load(*message, access->channel.guild_id, true);
  if (!data) return data.error();
  std::vector<MessageView> views;
  views.push_back(MessageView{std::move(*data), {}});
  if (auto r = AddReactions(views, user_id); !r) return r.error();
  return std::move(views.front());
}

Result<MessageView> MessageService::GetAsWebhook(const domain::Webhook& webhook,
                                                 Snowflake message_id,
                                                 std::optional<Snowflake> thread_id) {
  if (thread_id) {
    if (*thread_id == webhook.channel_id) return store::UnknownChannel();  // not a thread
    auto access = AccessAs(Actor{webhook.creator_id, &webhook}, *thread_id, perm::kViewChannel);
    if (!access) return access.error();
  }
  auto message = store_.GetMessage(thread_id.value_or(webhook.channel_id), message_id);
  if (!message) return message.error();
  if (message->webhook_id != webhook.id) return store::UnknownMessage();
  auto data = Load(*message, webhook.guild_id, true);
  if (!data) return data.error();
  auto json = domain::json::MessageJson(*data);
  return MessageView{std::move(*data), std::move(json)};
}

Result<std::vector<MessageView>> MessageService::List(Snowflake user_id, Snowflake channel_id,
                                                      const store::MessageQuery& query) {
  auto access =
      access_.RequireChannel(user_id, channel_id, perm::kViewChannel | perm::kReadMessageHistory);
  if (!access) return access.error();
  auto messages = store_.ListMessages(channel_id, query);
  if (!messages) return messages.error();
  // The page's authors and mentioned users in one read, not one per message.
  auto users = UsersOf(*messages);
  if (!users) return users.error();
  std::vector<MessageView> out;
  out.reserve(messages->size());
  for (const auto& m : *messages) {
    auto data = Load(m, access->channel.guild_id, true, false, nullptr, &*users);
    if (!data) return data.error();
    out.push_back(MessageView{std::move(*data), {}});
  }
  if (auto r = FillAttachments(out); !r) return r.error();
  if (auto r = AddReactions(out, user_id); !r) return r.error();
  return out;
}

Result<MessageView> MessageService::Edit(Snowflake user_id, Snowflake channel_id,
                                         Snowflake message_id, const MessageEdit& edit) {
  return EditAs(Actor{user_id}, channel_id, message_id, edit);
}

Result<MessageView> MessageService::EditAsWebhook(const domain::Webhook& webhook,
                                                  Snowflake message_id, const MessageEdit& edit,
                                                  std::optional<Snowflake> thread_id) {
  if (thread_id == webhook.channel_id) return store::UnknownChannel();  // not a thread
  return EditAs(Actor{webhook.creator_id, &webhook}, thread_id.value_or(webhook.channel_id),
                message_id, edit);
}

Result<MessageView> MessageService::EditAs(const Actor& actor, Snowflake channel_id,
                                           Snowflake message_id, const MessageEdit& edit) {
  auto access = AccessAs(actor, channel_id, perm::kViewChannel);
  if (!access) return access.error();
  if (auto r = RefuseArchived(*access); !r) return r.error();
  auto current = store_.GetMessage(channel_id, message_id);
  if (!current) return current.error();
  if (domain::AuthorOf(*current) != actor.id()) {
    if (actor.webhook) return store::UnknownMessage();
    return Error::Forbidden("Cannot edit a message authored by another user", 50005);
  }
  if (IsSystemMessage(current->type)) return SystemMessageRefused();
  if (edit.poll) {
    Error e = Error::Validation("Cannot edit a poll message");
    e.api_code = 520003;
    return e;
  }
  // A forward shows only what it forwards (its flags may still change).
  if (current->forward_json && (edit.content || edit.embeds_json || edit.components.json ||
                                edit.keep_attachments || !edit.files.empty())) {
    return Error::Validation("Invalid Form Body",
                             {{"message_reference", "MESSAGE_FORWARD_INVALID",
                               "A forward carries only the message it forwards."}});
  }
  if (edit.content) {
    if (auto r = CheckContent(*edit.content); !r) return r.error();
  }
  std::optional<AutoModVerdict> verdict;
  if (edit.content && *edit.content != current->content) {
    auto checked = Moderate(actor, *access, *edit.content);
    if (!checked) return checked.error();
    if (checked->Blocked()) {
      CarryAutoMod(*checked, *access, actor.user_id, message_id, *edit.content);
      return AutoModBlocked();
    }
    if (!checked->firings.empty()) verdict = std::move(*checked);
  }
  const std::size_t embeds_after =
      edit.embeds_json ? edit.embed_count : (current->embeds_json == "[]" ? 0 : 1);
  const std::string& content_after = edit.content ? *edit.content : current->content;
  const std::size_t components_after =
      edit.components.json ? edit.components.count : (current->components_json == "[]" ? 0 : 1);
  if (auto r = CheckComponentSender(actor, *access, edit.components); !r) return r.error();
  // Attachments left out of `keep_attachments` go; the others stay untouched.
  auto existing = AttachmentsOf(std::span<const Snowflake>(&message_id, 1));
  if (!existing) return existing.error();
  std::vector<domain::Attachment> dropped;
  if (edit.keep_attachments) {
    for (const auto& a : *existing) {
      if (!Contains(*edit.keep_attachments, a.id)) dropped.push_back(a);
    }
  }
  const std::size_t attachments_after = existing->size() - dropped.size() + edit.files.size();
  if (content_after.empty() && embeds_after == 0 && attachments_after == 0 &&
      components_after == 0 && !current->poll_json && !current->forward_json &&
      !current->stickers_json) {
    return EmptyMessage();
  }
  std::vector<domain::Attachment> added;
  if (!edit.files.empty()) {
    if (attachments_after > domain::kMaxAttachments) {
      return Error::Validation("Invalid Form Body", {{"attachments", "BASE_TYPE_MAX_LENGTH",
                                                      "Must be 10 or fewer in length."}});
    }
    if (!attachments_) return Error::Validation("File uploads are not enabled on this server.");
    if (!Has(access->permissions, perm::kAttachFiles)) return MissingPermissions();
    auto described = attachments_->Describe(channel_id, message_id, edit.files);
    if (!described) return described.error();
    added = std::move(*described);
    int next = 0;
    for (const auto& a : *existing) next = std::max(next, a.position + 1);
    for (auto& a : added) a.position += next;
  }

  store::MessageUpdate update;
  if (edit.content) {
    domain::Message probe = *current;
    probe.content = *edit.content;
    // A reply keeps pinging the author it pinged when it was sent.
    std::optional<Snowflake> replied_author;
    if (current->referenced_message_id) {
      auto ref = store_.GetMessage(channel_id, *current->referenced_message_id);
      if (ref && !ref->webhook_id && Contains(current->mention_user_ids, ref->author_id)) {
        replied_author = ref->author_id;
      }
    }
    std::optional<AllowedMentions> allowed = edit.allowed_mentions;
    if (allowed) allowed->replied_user = true;
    auto resolved = ResolveMentions(std::move(probe), *access, allowed, replied_author);
    if (!resolved) return resolved.error();
    update.content = *edit.content;
    update.mention_user_ids = resolved->mention_user_ids;
    update.mention_role_ids = resolved->mention_role_ids;
    update.mention_everyone = resolved->mention_everyone;
  }
  if (edit.embeds_json) update.embeds_json = *edit.embeds_json;
  if (edit.components.json) update.components_json = *edit.components.json;
  // Only SUPPRESS_EMBEDS (1<<2) changes by an edit; the others (SUPPRESS_NOTIFICATIONS,
  // HAS_THREAD, CROSSPOSTED set meanwhile…) stay as they are.
  if (edit.flags) {
    update.flags = *edit.flags;
    update.flags_mask = 1 << 2;
  }
  update.edited_at_ms = std::optional<std::int64_t>(clock_());
  // A published message's copies follow the edit, by a task written with it should this node
  // stop before they do.
  const bool copied_change =
      edit.content || edit.embeds_json || edit.flags || !dropped.empty() || !edit.files.empty();
  if ((current->flags & domain::json::kFlagCrossposted) && copied_change) {
    update.task = CopySyncTask(*current);
  }
  auto updated = store_.UpdateMessage(channel_id, message_id, update);
  if (!updated) return updated.error();
  if (!dropped.empty()) {
    if (auto r = store_.DeleteAttachments(domain::IdsOf(dropped)); !r) return r.error();
    attachments_->RemoveFiles(dropped);
  }
  if (!added.empty()) {
    // As in Create: rows first, then files; a failure takes the new rows back out.
    auto stored = store_.CreateAttachments(added);
    if (stored) stored = attachments_->WriteFiles(added, edit.files);
    if (!stored) {
      (void)store_.DeleteAttachments(domain::IdsOf(added));
      return stored.error();
    }
  }

  auto data = Load(*updated, access->channel.guild_id, true);
  if (!data) return data.error();
  auto json = domain::json::MessageJson(*data);
  PublishMessage("MESSAGE_UPDATE", *access, domain::AuthorOf(*updated), json);
  if (verdict) CarryAutoMod(*verdict, *access, actor.user_id, message_id, *edit.content);
  if ((updated->flags & domain::json::kFlagCrossposted) && copied_change) {
    SyncCopies(*updated, /*deleted=*/false, /*refile=*/!dropped.empty() || !added.empty(),
               update.task ? std::optional(update.task->due_at_ms) : std::nullopt);
  }
  return MessageView{std::move(*data), std::move(json)};
}

Result<void> MessageService::Delete(Snowflake user_id, Snowflake channel_id, Snowflake message_id,
                                    const AuditReason& reason) {
  return DeleteAs(Actor{user_id}, channel_id, message_id, reason);
}

Result<void> MessageService::DeleteAsWebhook(const domain::Webhook& webhook, Snowflake message_id,
                                             std::optional<Snowflake> thread_id) {
  if (thread_id == webhook.channel_id) return store::UnknownChannel();  // not a thread
  return DeleteAs(Actor{webhook.creator_id, &webhook}, thread_id.value_or(webhook.channel_id),
                  message_id, {});
}

Result<void> MessageService::DeleteAs(const Actor& actor, Snowflake channel_id,
                                      Snowflake message_id, const AuditReason& reason) {
  const Snowflake user_id = actor.id();
  auto access = AccessAs(actor, channel_id, perm::kViewChannel);
  if (!access) return access.error();
  if (auto r = RefuseArchived(*access); !r) return r.error();
  auto message = store_.GetMessage(channel_id, message_id);
  if (!message) return message.error();
  const bool own = domain::AuthorOf(*message) == user_id;
  if (actor.webhook && !own) return store::UnknownMessage();
  // A group DM's record of who came, went or renamed it stays (Discord keeps types 1–5).
  if (message->type >= domain::json::kMessageTypeRecipientAdd &&
      message->type <= domain::json::kMessageTypeChannelIconChange) {
    return SystemMessageRefused();
  }
  const bool moderator = access->guild && Has(access->permissions, perm::kManageMessages);
  if (!own && !moderator) return MissingPermissions();
  auto files = AttachmentsOf(std::span<const Snowflake>(&message_id, 1));
  if (!files) return files.error();
  const bool published = message->flags & domain::json::kFlagCrossposted;
  std::vector<store::NewTask> tasks;
  if (published) tasks.push_back(CopySyncTask(*message));  // its copies learn it is gone
  if (auto r = store_.DeleteMessage(channel_id, message_id, tasks); !r) return r.error();
  // The rows went with the message (ON DELETE CASCADE); the files go once that is committed.
  if (!files->empty()) attachments_->RemoveFiles(*files);
  if (!own && access->channel.guild_id) {
    // Discord logs only a moderator removing someone else's message.
    RecordAudit(audit_, *access->channel.guild_id, user_id, domain::AuthorOf(*message),
                domain::AuditLogAction::kMessageDelete, {}, reason,
                {{"channel_id", domain::ToString(channel_id)}, {"count", "1"}});
  }

  boost::json::object payload{{"id", domain::ToString(message_id)},
                              {"channel_id", domain::ToString(channel_id)}};
  if (access->channel.guild_id) payload["guild_id"] = domain::ToString(*access->channel.guild_id);
  Publish("MESSAGE_DELETE", *access, std::move(payload), bus::Intent::kGuildMessages,
          bus::Intent::kDirectMessages);
  if (published) SyncCopies(*message, /*deleted=*/true, false, tasks.front().due_at_ms);
  return {};
}

Result<void> MessageService::BulkDelete(Snowflake user_id, Snowflake channel_id,
                                        std::span<const Snowflake> ids, const AuditReason& reason) {
  if (ids.size() < 2 || ids.size() > 100) {
    Error e =
        Error::Validation("You must provide at least 2 and fewer than 100 messages to delete.");
    e.api_code = 50016;
    return e;
  }
  auto access =
      access_.RequireChannel(user_id, channel_id, perm::kViewChannel | perm::kManageMessages);
  if (!access) return access.error();
  if (auto r = RefuseArchived(*access); !r) return r.error();
  if (!access->guild) return MissingPermissions();  // bulk delete is for guild channels only
  const std::int64_t oldest_allowed = clock_() - kBulkDeleteMaxAgeMs;
  for (Snowflake id : ids) {
    if (domain::SnowflakeUnixMs(id) < oldest_allowed) {
      Error e = Error::Validation("You can only bulk delete messages that are under 14 days old.");
      e.api_code = 50034;
      return e;
    }
  }
  // Only the ids that are messages of this channel are deleted and announced.
  std::vector<Snowflake> present;
  std::vector<domain::Message> published;  // their copies learn the originals are gone
  for (Snowflake id : ids) {
    if (Contains(present, id)) continue;
    auto m = store_.GetMessage(channel_id, id);
    if (m) {
      present.push_back(id);
      if (m->flags & domain::json::kFlagCrossposted) published.push_back(std::move(*m));
    } else if (m.error().code != Errc::kNotFound) {
      return m.error();
    }
  }
  if (present.empty()) return {};
  auto files = AttachmentsOf(present);
  if (!files) return files.error();
  const std::vector<store::NewTask> tasks = CopySyncTasks(published);
  auto deleted = store_.DeleteMessages(channel_id, present, tasks);
  if (!deleted) return deleted.error();
  if (!files->empty()) attachments_->RemoveFiles(*files);
  RecordAudit(audit_, *access->channel.guild_id, user_id, channel_id,
              domain::AuditLogAction::kMessageBulkDelete, {}, reason,
              {{"count", std::to_string(present.size())}});

  boost::json::array id_strings;
  for (Snowflake id : present) id_strings.emplace_back(domain::ToString(id));
  boost::json::object payload{{"ids", std::move(id_strings)},
                              {"channel_id", domain::ToString(channel_id)}};
  if (access->channel.guild_id) payload["guild_id"] = domain::ToString(*access->channel.guild_id);
  Publish("MESSAGE_DELETE_BULK", *access, std::move(payload), bus::Intent::kGuildMessages,
          bus::Intent::kDirectMessages);
  OriginalsDeleted(published, tasks);
  return {};
}

Result<void> MessageService::Typing(Snowflake user_id, Snowflake channel_id) {
  auto access =
      access_.RequireChannel(user_id, channel_id, perm::kViewChannel | perm::kSendMessages);
  if (!access) return access.error();
  if (auto r = RefuseArchived(*access); !r) return r.error();
  boost::json::object payload{{"channel_id", domain::ToString(channel_id)},
                              {"user_id", domain::ToString(user_id)},
                              {"timestamp", clock_() / 1000}};
  if (access->channel.guild_id) {
    payload["guild_id"] = domain::ToString(*access->channel.guild_id);
    if (auto member = PartialMember(*access, user_id)) payload["member"] = std::move(*member);
  }
  Publish("TYPING_START", *access, std::move(payload), bus::Intent::kGuildMessageTyping,
          bus::Intent::kDirectMessageTyping);
  return {};
}

// -- pins -------------------------------------------------------------------------------------

Result<void> MessageService::Pin(Snowflake user_id, Snowflake channel_id, Snowflake message_id,
                                 bool pinned, const AuditReason& reason) {
  auto access = access_.RequireChannel(user_id, channel_id, perm::kViewChannel);
  if (!access) return access.error();
  if (auto r = RefuseArchived(*access); !r) return r.error();
  if (access->guild && (access->permissions & (perm::kPinMessages | perm::kManageMessages)) == 0) {
    return MissingPermissions();
  }
  auto message = store_.GetMessage(channel_id, message_id);
  if (!message) return message.error();
  if (message->pinned == pinned) return {};  // Discord answers 204 either way
  if (pinned) {
    auto pins = store_.ListPinnedMessageIds(channel_id, kMaxPins);
    if (!pins) return pins.error();
    if (pins->size() >= static_cast<std::size_t>(kMaxPins)) {
      Error e = Error::Validation("Maximum number of pins reached (50)");
      e.api_code = 30003;
      return e;
    }
  }
  if (auto r = store_.SetPinned(channel_id, message_id, pinned, clock_()); !r) return r.error();
  auto updated = store_.GetMessage(channel_id, message_id);
  if (!updated) return updated.error();
  if (access->channel.guild_id) {
    const auto action =
        pinned ? domain::AuditLogAction::kMessagePin : domain::AuditLogAction::kMessageUnpin;
    RecordAudit(audit_, *access->channel.guild_id, user_id, domain::AuthorOf(*updated), action, {},
                reason,
                {{"channel_id", domain::ToString(channel_id)},
                 {"message_id", domain::ToString(message_id)}});
  }

  auto data = Load(*updated, access->channel.guild_id, true);
  if (!data) return data.error();
  PublishMessage("MESSAGE_UPDATE", *access, domain::AuthorOf(*updated),
                 domain::json::MessageJson(*data));
  boost::json::object payload{{"channel_id", domain::ToString(channel_id)},
                              {"last_pin_timestamp", nullptr}};
  auto latest = store_.ListPins(channel_id, 1);
  if (latest && !latest->empty()) {
    const store::PinEntry& pin = latest->front();
    payload["last_pin_timestamp"] = domain::json::IsoTimestamp(
        pin.pinned_at_ms.value_or(domain::SnowflakeUnixMs(pin.message_id)));
  }
  if (access->channel.guild_id) payload["guild_id"] = domain::ToString(*access->channel.guild_id);
  Publish("CHANNEL_PINS_UPDATE", *access, std::move(payload), bus::Intent::kGuilds,
          bus::Intent::kDirectMessages);
  return {};
}

Result<std::vector<MessageView>> MessageService::ListPins(Snowflake user_id, Snowflake channel_id) {
  auto access =
      access_.RequireChannel(user_id, channel_id, perm::kViewChannel | perm::kReadMessageHistory);
  if (!access) return access.error();
  auto pins = store_.ListPins(channel_id, kMaxPins);
  if (!pins) return pins.error();
  std::vector<domain::Message> messages;
  std::vector<std::int64_t> pinned_at;
  for (const store::PinEntry& pin : *pins) {
    auto message = store_.GetMessage(channel_id, pin.message_id);
    if (!message) {
      if (message.error().code == Errc::kNotFound) continue;  // deleted meanwhile
      return message.error();
    }
    messages.push_back(std::move(*message));
    // Pins older than migration 0005 have no time: their message's time stands in.
    pinned_at.push_back(pin.pinned_at_ms.value_or(domain::SnowflakeUnixMs(pin.message_id)));
  }
  auto users = UsersOf(messages);
  if (!users) return users.error();
  std::vector<MessageView> out;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    auto data = Load(messages[i], access->channel.guild_id, true, false, nullptr, &*users);
    if (!data) return data.error();
    out.push_back(MessageView{std::move(*data), {}, pinned_at[i]});
  }
  if (auto r = FillAttachments(out); !r) return r.error();
  if (auto r = AddReactions(out, user_id); !r) return r.error();
  return out;
}

Result<std::vector<MessageView>> MessageService::Render(Snowflake viewer,
                                                        std::optional<Snowflake> guild_id,
                                                        std::span<const domain::Message> messages) {
  auto users = UsersOf(messages);
  if (!users) return users.error();
  std::vector<MessageView> out;
  out.reserve(messages.size());
  for (const auto& m : messages) {
    auto data = Load(m, guild_id, true, true, nullptr, &*users);
    if (!data) return data.error();
    out.push_back(MessageView{std::move(*data), {}});
  }
  if (auto r = AddReactions(out, viewer); !r) return r.error();
  return out;
}

// -- DMs ----------------------------------------------------------------------------------------

Result<DmView> MessageService::OpenDm(Snowflake user_id, Snowflake recipient_id) {
  auto recipient = store_.GetUser(recipient_id);
  if (!recipient) return recipient.error();
  auto existing = store_.FindDmChannel(user_id, recipient_id);
  if (!existing) return existing.error();
  if (*existing) return DmView{std::move(**existing), {std::move(*recipient)}};

  domain::Channel channel;
  channel.id = ids_.Next();
  channel.type = domain::ChannelType::kDm;
  channel.recipient_ids = {user_id, recipient_id};
  if (user_id == recipient_id) channel.recipient_ids = {user_id};
  if (auto r = store_.CreateChannel(channel); !r) return r.error();
  return DmView{std::move(channel), {std::move(*recipient)}};
}

Result<std::vector<DmView>> MessageService::ListDms(Snowflake user_id) {
  auto channels = store_.ListDmChannels(user_id);
  if (!channels) return channels.error();
  std::vector<DmView> out;
  for (auto& channel : *channels) {
    DmView view{std::move(channel), {}};
    for (Snowflake id : view.channel.recipient_ids) {
      if (id == user_id) continue;
      auto user = store_.GetUser(id);
      view.recipients.push_back(user ? std::move(*user) : DeletedUser(id));
    }
    out.push_back(std::move(view));
  }
  return out;
}

}  // namespace chat::service
