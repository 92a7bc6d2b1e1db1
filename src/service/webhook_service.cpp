#include "service/webhook_service.hpp"

#include <algorithm>
#include <cctype>

#include <boost/json.hpp>

#include "domain/permissions.hpp"
#include "domain/validation.hpp"
#include "service/auth/secure_token.hpp"
#include "store/errors.hpp"

namespace chat::service {
namespace {
namespace perm = domain::perm;
using domain::Snowflake;

// As a user's avatar (PATCH /users/@me): clients send an image as a data URI.
constexpr std::size_t kAvatarMax = 1 << 16;

bool ContainsFolded(std::string_view text, std::string_view word) {
  auto it = std::search(text.begin(), text.end(), word.begin(), word.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == b;
  });
  return it != text.end();
}

// Discord's webhook names: 1–80 characters, and never one that passes for Discord itself.
std::optional<FieldError> CheckName(const std::string& name) {
  if (auto e = domain::ValidateText("name", name)) return e;
  if (name.empty() || name.size() > domain::kWebhookNameMax) {
    return FieldError{"name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 80 in length."};
  }
  if (ContainsFolded(name, "clyde") || ContainsFolded(name, "discord")) {
    return FieldError{"name", "WEBHOOK_INVALID_USERNAME",
                      "Username cannot contain \"clyde\" or "
                      "\"discord\"."};
  }
  return std::nullopt;
}

std::optional<FieldError> CheckAvatar(const char* field, const std::optional<std::string>& avatar) {
  if (!avatar) return std::nullopt;
  if (auto e = domain::ValidateText(field, *avatar)) return e;
  if (avatar->size() > kAvatarMax) {
    return FieldError{field, "BASE_TYPE_MAX_LENGTH", "Must be 65536 or fewer in length."};
  }
  return std::nullopt;
}

bool TextChannel(const domain::Channel& channel) {
  return channel.guild_id && (channel.type == domain::ChannelType::kGuildText ||
                              static_cast<int>(channel.type) == 5);  // announcement
}

boost::json::object AuditView(const domain::Webhook& w) {
  return {{"name", w.name},
          {"channel_id", domain::ToString(w.channel_id)},
          {"avatar_hash", w.avatar ? boost::json::value(*w.avatar) : nullptr},
          {"type", w.type}};
}

Error InvalidToken() { return Error{Errc::kUnauthorized, "Invalid Webhook Token", 50027}; }

// At most `max` bytes of `text`, cut on a code point boundary.
std::string Truncated(std::string text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
  return text;
}

}  // namespace

Result<WebhookView> WebhookService::Create(Snowflake user_id, Snowflake channel_id,
                                           const WebhookInput& input, const AuditReason& reason) {
  std::vector<FieldError> fields;
  if (!input.name) {
    fields.push_back({"name", "BASE_TYPE_REQUIRED", "This field is required"});
  } else if (auto e = CheckName(*input.name)) {
    fields.push_back(*e);
  }
  if (input.avatar) {
    if (auto e = CheckAvatar("avatar", *input.avatar)) fields.push_back(*e);
  }
  if (!fields.empty()) return Error::Validation("Invalid Form Body", std::move(fields));
  auto access = deps_.access.RequireChannel(user_id, channel_id,
                                            perm::kViewChannel | perm::kManageWebhooks, true);
  if (!access) return access.error();
  if (!TextChannel(access->channel)) {
    return WrongChannelType();
  }
  domain::Webhook w;
  w.id = deps_.ids.Next();
  w.guild_id = *access->channel.guild_id;
  w.channel_id = channel_id;
  w.creator_id = user_id;
  w.name = *input.name;
  if (input.avatar) w.avatar = *input.avatar;
  // 68 characters, as long as Discord's.
  w.token = auth::RandomToken(51);
  auto stored = deps_.store.CreateWebhook(w, domain::kMaxWebhooksPerChannel);
  if (!stored) return stored.error();
  if (!*stored) return Error{Errc::kValidation, "Maximum number of webhooks reached (15)", 30007};
  RecordAudit(deps_.audit, w.guild_id, user_id, w.id, domain::AuditLogAction::kWebhookCreate,
              AuditDiff({}, AuditView(w)), reason);
  Announce(w);
  return WebhookView{std::move(w), std::move(access->user), std::nullopt};
}

Result<std::optional<domain::Webhook>> WebhookService::FollowerOf(Snowflake channel_id,
                                                                  Snowflake source_channel_id) {
  auto webhooks = deps_.store.ListChannelWebhooks(channel_id);
  if (!webhooks) return webhooks.error();
  for (auto& w : *webhooks) {
    if (w.type == domain::kWebhookChannelFollower && w.source_channel_id == source_channel_id) {
      return std::optional<domain::Webhook>(std::move(w));
    }
  }
  return std::optional<domain::Webhook>();
}

Result<domain::Webhook> WebhookService::Follow(Snowflake user_id, Snowflake source_channel_id,
                                               Snowflake target_channel_id,
                                               const AuditReason& reason) {
  auto source = deps_.access.RequireChannel(user_id, source_channel_id, perm::kViewChannel);
  if (!source) return source.error();
  if (source->channel.type != domain::ChannelType::kGuildAnnouncement) return WrongChannelType();
  auto target = deps_.access.RequireChannel(user_id, target_channel_id,
                                            perm::kViewChannel | perm::kManageWebhooks, true);
  if (!target) return target.error();
  if (!TextChannel(target->channel) || target_channel_id == source_channel_id) {
    return Error::Validation("Invalid Form Body",
                             {{"webhook_channel_id", "CHANNEL_TYPE_INVALID",
                               "Not a text channel that can follow this channel."}});
  }
  auto existing = FollowerOf(target_channel_id, source_channel_id);
  if (!existing) return existing.error();
  if (*existing) return std::move(**existing);
  auto guild = deps_.store.GetGuild(*source->channel.guild_id);
  if (!guild) return guild.error();
  domain::Webhook w;
  w.id = deps_.ids.Next();
  w.type = domain::kWebhookChannelFollower;
  w.guild_id = *target->channel.guild_id;
  w.channel_id = target_channel_id;
  w.creator_id = user_id;
  w.source_channel_id = source_channel_id;
  // Discord's name for a follower, shown as the author of its copies. Not checked as a chosen
  // name is: the guild's and channel's names passed their own checks.
  w.name = Truncated(guild->name + " #" + source->channel.name, domain::kWebhookNameMax);
  w.avatar = guild->icon;
  w.token = auth::RandomToken(51);  // never shown or accepted: nobody executes a follower
  auto stored = deps_.store.CreateWebhook(w, domain::kMaxWebhooksPerChannel);
  if (!stored && stored.error().code == Errc::kConflict) {
    // A concurrent request made the channel follow first (the store keeps one follower per pair).
    auto raced = FollowerOf(target_channel_id, source_channel_id);
    if (raced && *raced) return std::move(**raced);
  }
  if (!stored) return stored.error();
  if (!*stored) return Error{Errc::kValidation, "Maximum number of webhooks reached (15)", 30007};
  RecordAudit(deps_.audit, w.guild_id, user_id, w.id, domain::AuditLogAction::kWebhookCreate,
              AuditDiff({}, AuditView(w)), reason);
  Announce(w);
  messages_.AnnounceFollow(user_id, target_channel_id, w.name);
  return w;
}

Result<std::vector<WebhookView>> WebhookService::WithCreators(
    Result<std::vector<domain::Webhook>> webhooks) {
  if (!webhooks) return webhooks.error();
  std::vector<Snowflake> ids;
  for (const auto& w : *webhooks) ids.push_back(w.creator_id);
  auto users = deps_.store.ListUsers(ids);
  if (!users) return users.error();
  std::vector<WebhookView> out;
  out.reserve(webhooks->size());
  for (auto& w : *webhooks) {
    WebhookView view{std::move(w), std::nullopt, std::nullopt};
    for (const auto& u : *users) {
      if (u.id == view.webhook.creator_id) view.creator = u;
    }
    if (auto source = view.webhook.source_channel_id) {
      auto channel = deps_.store.GetChannel(*source);
      auto guild = channel && channel->guild_id ? deps_.store.GetGuild(*channel->guild_id)
                                                : Result<domain::Guild>(store::UnknownGuild());
      if (guild) {
        view.source =
            domain::WebhookSource{guild->id, guild->name, guild->icon, channel->id, channel->name};
      }
    }
    out.push_back(std::move(view));
  }
  return out;
}

Result<std::vector<WebhookView>> WebhookService::ListChannel(Snowflake user_id,
                                                             Snowflake channel_id) {
  auto access =
      deps_.access.RequireChannel(user_id, channel_id, perm::kViewChannel | perm::kManageWebhooks);
  if (!access) return access.error();
  return WithCreators(deps_.store.ListChannelWebhooks(channel_id));
}

Result<std::vector<WebhookView>> WebhookService::ListGuild(Snowflake user_id, Snowflake guild_id) {
  auto ga = deps_.access.RequireGuild(user_id, guild_id, perm::kManageWebhooks);
  if (!ga) return ga.error();
  return WithCreators(deps_.store.ListGuildWebhooks(guild_id));
}

Result<domain::Webhook> WebhookService::ByToken(Snowflake id, const std::string& token) {
  auto w = deps_.store.GetWebhook(id);
  if (!w) return w.error();
  if (w->type != domain::kWebhookIncoming || !auth::ConstantTimeEquals(w->token, token)) {
    return InvalidToken();
  }
  return w;
}

Result<domain::Webhook> WebhookService::Authorize(std::optional<Snowflake> user_id, Snowflake id,
                                                  const std::optional<std::string>& token) {
  if (token) return ByToken(id, *token);
  auto w = deps_.store.GetWebhook(id);
  if (!w) return w.error();
  auto access = deps_.access.RequireChannel(*user_id, w->channel_id,
                                            perm::kViewChannel | perm::kManageWebhooks);
  if (!access) return access.error();
  return w;
}

Result<WebhookView> WebhookService::Get(std::optional<Snowflake> user_id, Snowflake id,
                                        std::optional<std::string> token) {
  auto w = Authorize(user_id, id, token);
  if (!w) return w.error();
  if (token) return WebhookView{std::move(*w), std::nullopt, std::nullopt};
  auto views = WithCreators(std::vector<domain::Webhook>{std::move(*w)});
  if (!views) return views.error();
  return std::move(views->front());
}

Result<WebhookView> WebhookService::Modify(std::optional<Snowflake> user_id, Snowflake id,
                                           const WebhookInput& input,
                                           std::optional<std::string> token,
                                           const AuditReason& reason) {
  std::vector<FieldError> fields;
  if (input.name) {
    if (auto e = CheckName(*input.name)) fields.push_back(*e);
  }
  if (input.avatar) {
    if (auto e = CheckAvatar("avatar", *input.avatar)) fields.push_back(*e);
  }
  if (token && input.channel_id) {
    fields.push_back({"channel_id", "WEBHOOK_TOKEN_CANNOT_MOVE",
                      "A webhook cannot move to another channel with its token."});
  }
  if (!fields.empty()) return Error::Validation("Invalid Form Body", std::move(fields));
  auto before = Authorize(user_id, id, token);
  if (!before) return before.error();
  if (input.channel_id && *input.channel_id == before->source_channel_id) {
    return Error::Validation("Invalid Form Body", {{"channel_id", "CHANNEL_TYPE_INVALID",
                                                    "A channel cannot follow itself."}});
  }
  if (input.channel_id && *input.channel_id != before->channel_id) {
    auto target = deps_.access.RequireChannel(*user_id, *input.channel_id,
                                              perm::kViewChannel | perm::kManageWebhooks);
    if (!target) return target.error();
    if (target->channel.guild_id != before->guild_id || !TextChannel(target->channel)) {
      return Error::Validation("Invalid Form Body", {{"channel_id", "CHANNEL_TYPE_INVALID",
                                                      "Not a text channel of this guild."}});
    }
  }
  store::WebhookUpdate update;
  update.name = input.name;
  update.avatar = input.avatar;
  update.channel_id = input.channel_id;
  auto after = deps_.store.UpdateWebhook(id, update);
  if (!after) return after.error();
  if (user_id) {
    RecordAudit(deps_.audit, after->guild_id, *user_id, id, domain::AuditLogAction::kWebhookUpdate,
                AuditDiff(AuditView(*before), AuditView(*after)), reason);
  }
  Announce(*after);
  if (after->channel_id != before->channel_id) Announce(*before);
  return Get(user_id, id, token);
}

Result<void> WebhookService::Delete(std::optional<Snowflake> user_id, Snowflake id,
                                    std::optional<std::string> token, const AuditReason& reason) {
  auto w = Authorize(user_id, id, token);
  if (!w) return w.error();
  if (auto r = deps_.store.DeleteWebhook(id); !r) return r.error();
  if (user_id) {
    RecordAudit(deps_.audit, w->guild_id, *user_id, id, domain::AuditLogAction::kWebhookDelete,
                AuditDiff(AuditView(*w), {}), reason);
  }
  Announce(*w);
  return {};
}

Result<MessageView> WebhookService::Execute(const domain::Webhook& webhook, const WebhookPost& post,
                                            const MessageInput& input) {
  std::vector<FieldError> fields;
  if (post.username) {
    if (auto e = CheckName(*post.username)) {
      e->field = "username";
      fields.push_back(*e);
    }
  }
  if (auto e = CheckAvatar("avatar_url", post.avatar_url)) fields.push_back(*e);
  if (!fields.empty()) return Error::Validation("Invalid Form Body", std::move(fields));
  return messages_.CreateAsWebhook(webhook, post.username.value_or(webhook.name),
                                   post.avatar_url ? post.avatar_url : webhook.avatar, input,
                                   post.thread_id);
}

void WebhookService::Announce(const domain::Webhook& webhook) {
  AnnounceWebhooksUpdate(deps_, webhook.guild_id, webhook.channel_id);
}

}  // namespace chat::service
