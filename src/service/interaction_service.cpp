#include "service/interaction_service.hpp"

#include <algorithm>
#include <utility>

#include <boost/json.hpp>

#include "domain/json/command_json.hpp"
#include "domain/json/guild_json.hpp"
#include "domain/json/message_json.hpp"
#include "domain/json/user_json.hpp"
#include "domain/permissions.hpp"
#include "service/access_service.hpp"
#include "service/auth/secure_token.hpp"
#include "store/errors.hpp"

namespace chat::service {
namespace {

namespace bj = boost::json;
using domain::Snowflake;

constexpr std::int64_t kEphemeral = 1 << 6;

// An answer's message type: CHAT_INPUT_COMMAND, or CONTEXT_MENU_COMMAND for user and message
// commands.
int AnswerType(const store::Interaction& it) {
  return it.command_type == static_cast<int>(domain::CommandType::kChatInput)
             ? domain::json::kMessageTypeChatInputCommand
             : domain::json::kMessageTypeContextMenuCommand;
}

Error AlreadyAnswered() {
  return Error{Errc::kValidation, "Interaction has already been acknowledged.", 40060, {}};
}

Error InvalidToken() { return Error{Errc::kUnauthorized, "Invalid Webhook Token", 50027, {}}; }

// The interaction id a token names: kInteractionTokenPrefix, the decimal id, '.', a secret.
std::optional<Snowflake> TokenId(std::string_view token) {
  if (token.substr(0, kInteractionTokenPrefix.size()) != kInteractionTokenPrefix) {
    return std::nullopt;
  }
  token.remove_prefix(kInteractionTokenPrefix.size());
  const auto dot = token.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  return domain::ParseSnowflake(token.substr(0, dot));
}

// The `resolved` object for the users, members, roles and channels the options name. Unknown
// ids are an invalid option, as on Discord; so is a channel the user cannot see, which is given
// as Discord's partial channel (no topic or overwrites reach the application).
Result<bj::object> Resolve(CommunityDeps& deps, Snowflake user_id, const GuildAccess& guild,
                           domain::json::OptionTargets targets) {
  bj::object users, members, roles, channels;
  auto role_json = [&](Snowflake id) -> bool {
    for (const auto& r : guild.roles) {
      if (r.id == id) {
        roles[domain::ToString(id)] = domain::json::RoleJson(r);
        return true;
      }
    }
    return false;
  };
  for (Snowflake id : targets.mentionables) {
    if (!role_json(id)) targets.users.push_back(id);
  }
  for (Snowflake id : targets.roles) {
    if (!role_json(id))
      return Error::Validation("Invalid Form Body", {{"options", "UNKNOWN_ROLE", "Unknown Role"}});
  }
  for (Snowflake id : targets.users) {
    auto user = deps.store.GetUser(id);
    if (!user) {
      if (user.error().code == Errc::kNotFound) {
        return Error::Validation("Invalid Form Body",
                                 {{"options", "UNKNOWN_USER", "Unknown User"}});
      }
      return user.error();
    }
    users[domain::ToString(id)] = domain::json::UserJson(*user);
    auto member = deps.store.GetMember(guild.guild.id, id);
    if (member) {
      bj::object m = domain::json::MemberJson(*member, *user);
      m.erase("user");  // Discord's resolved members leave the user to `users`
      members[domain::ToString(id)] = std::move(m);
    } else if (member.error().code != Errc::kNotFound) {
      return member.error();
    }
  }
  for (Snowflake id : targets.channels) {
    auto seen = deps.access.Channel(user_id, id);
    if (!seen || seen->channel.guild_id != guild.guild.id) {
      if (seen || seen.error().code == Errc::kNotFound || seen.error().code == Errc::kForbidden) {
        return Error::Validation("Invalid Form Body",
                                 {{"options", "UNKNOWN_CHANNEL", "Unknown Channel"}});
      }
      return seen.error();
    }
    const domain::Channel& c = seen->channel;
    for (const auto& [channel_id, allowed] : targets.channel_types) {
      if (channel_id == id &&
          std::find(allowed.begin(), allowed.end(), static_cast<int>(c.type)) == allowed.end()) {
        return Error::Validation("Invalid Form Body",
                                 {{"options", "CHANNEL_TYPE_INVALID",
                                   "The option does not take this type of channel."}});
      }
    }
    bj::object partial{{"id", domain::ToString(c.id)},
                       {"name", c.name},
                       {"type", static_cast<int>(c.type)},
                       {"permissions", std::to_string(seen->permissions)}};
    if (c.parent_id) partial["parent_id"] = domain::ToString(*c.parent_id);
    channels[domain::ToString(id)] = std::move(partial);
  }
  bj::object resolved;
  if (!users.empty()) resolved["users"] = std::move(users);
  if (!members.empty()) resolved["members"] = std::move(members);
  if (!roles.empty()) resolved["roles"] = std::move(roles);
  if (!channels.empty()) resolved["channels"] = std::move(channels);
  return resolved;
}

}  // namespace

Result<Snowflake> InteractionService::BotOf(Snowflake application_id) {
  auto app = deps_.store.GetApplication(application_id);
  if (!app) return app.error();
  if (!app->bot_user_id) return store::UnknownApplication();
  return *app->bot_user_id;
}

Result<Snowflake> InteractionService::Invoke(Snowflake user_id, const Invocation& in) {
  auto access = deps_.access.Channel(user_id, in.channel_id, /*with_user=*/true);
  if (!access) return access.error();
  if (!access->guild || !access->user) return MissingAccess();  // guild channels only, for now
  const Snowflake guild_id = access->guild->guild.id;
  if (in.guild_id && *in.guild_id != guild_id) return MissingAccess();
  if (!domain::perm::Has(access->permissions, domain::perm::kUseApplicationCommands)) {
    return MissingPermissions();
  }
  auto bot = BotOf(in.application_id);
  if (!bot) return bot.error();
  auto bot_access = deps_.access.Channel(*bot, in.channel_id);
  if (!bot_access) {
    if (bot_access.error().code == Errc::kForbidden) return MissingAccess();
    return bot_access.error();
  }
  // A guild command of this guild, else a global one.
  auto command = deps_.store.GetCommand(in.application_id, guild_id, in.command_id);
  if (!command && command.error().code == Errc::kNotFound) {
    command = deps_.store.GetCommand(in.application_id, std::nullopt, in.command_id);
  }
  if (!command) return command.error();
  const bool context_menu = command->type != domain::CommandType::kChatInput;
  if (context_menu != in.target_id.has_value()) {
    return Error::Validation("Invalid Form Body",
                             {{"data.target_id", "BASE_TYPE_REQUIRED",
                               context_menu ? "A user or message command needs its target."
                                            : "Only user and message commands have a target."}});
  }
  if (command->name != in.command_name) {
    return Error::Validation("Invalid Form Body",
                             {{"data.name", "APPLICATION_COMMAND_OUTDATED",
                               "This command is outdated, please try again in a few minutes"}});
  }
  // Age-restricted commands run only in age-restricted channels, as Discord offers them.
  if (command->nsfw && !access->channel.nsfw) return MissingAccess();
  if (command->default_member_permissions) {
    const std::uint64_t needed = *command->default_member_permissions;
    const bool admin = domain::perm::Has(access->permissions, domain::perm::kAdministrator);
    if (!admin && (needed == 0 || (access->permissions & needed) != needed)) {
      return MissingPermissions();
    }
  }
  domain::json::OptionTargets targets;
  auto options = domain::json::CheckInvocationOptions(
      *command, in.options.is_null() ? nullptr : &in.options, targets);
  if (!options) return options.error();
  std::optional<bj::object> target_message;
  if (command->type == domain::CommandType::kUser) targets.users.push_back(*in.target_id);
  if (command->type == domain::CommandType::kMessage) {
    // A message of this channel the user may read.
    auto message = messages_.Get(user_id, in.channel_id, *in.target_id);
    if (!message) return message.error();
    target_message = std::move(message->json);
  }
  auto resolved = Resolve(deps_, user_id, *access->guild, std::move(targets));
  if (!resolved) return resolved.error();
  if (target_message) {
    (*resolved)["messages"] = bj::object{{domain::ToString(*in.target_id), *target_message}};
  }

  store::Interaction row;
  row.id = deps_.ids.Next();
  const std::string token =
      std::string(kInteractionTokenPrefix) + domain::ToString(row.id) + "." + auth::RandomToken();
  row.application_id = in.application_id;
  row.token_hash = auth::Sha256Hex(token);
  row.user_id = user_id;
  row.guild_id = guild_id;
  row.channel_id = in.channel_id;
  row.command_name = command->name;
  row.created_at_ms = deps_.access.Now();
  row.command_type = static_cast<int>(command->type);
  if (auto r = deps_.store.CreateInteraction(row, row.created_at_ms - kInteractionTokenLifetimeMs);
      !r) {
    return r.error();
  }

  bj::object data{{"id", domain::ToString(command->id)},
                  {"name", command->name},
                  {"type", static_cast<int>(command->type)}};
  if (!options->empty()) data["options"] = std::move(*options);
  if (!resolved->empty()) data["resolved"] = std::move(*resolved);
  if (command->guild_id) data["guild_id"] = domain::ToString(*command->guild_id);
  if (in.target_id) data["target_id"] = domain::ToString(*in.target_id);
  bj::object member = domain::json::MemberJson(access->guild->member, *access->user);
  member["permissions"] = std::to_string(access->permissions);
  const std::string guild = domain::ToString(guild_id);
  bj::object payload{{"id", domain::ToString(row.id)},
                     {"application_id", domain::ToString(in.application_id)},
                     {"type", 2},
                     {"data", std::move(data)},
                     {"guild_id", guild},
                     {"channel_id", domain::ToString(in.channel_id)},
                     {"channel", domain::json::ChannelJson(access->channel)},
                     {"member", std::move(member)},
                     {"token", token},
                     {"version", 1},
                     {"app_permissions", std::to_string(bot_access->permissions)},
                     {"locale", "en-US"},
                     {"guild_locale", "en-US"},
                     {"entitlements", bj::array()},
                     {"authorizing_integration_owners", bj::object{{"0", guild}}},
                     {"context", 0}};
  PublishTo(deps_.bus, "INTERACTION_CREATE", guild_id, {*bot}, bus::Intent::kNone, payload);
  return row.id;
}

Result<store::Interaction> InteractionService::ByToken(std::optional<Snowflake> application_id,
                                                       std::optional<Snowflake> id,
                                                       const std::string& token) {
  auto named = TokenId(token);
  if (!named || (id && *id != *named)) return store::UnknownInteraction();
  auto row = deps_.store.GetInteraction(*named);
  if (!row) return row.error();
  if (deps_.access.Now() - row->created_at_ms > kInteractionTokenLifetimeMs) {
    return store::UnknownInteraction();
  }
  if (!auth::ConstantTimeEquals(row->token_hash, auth::Sha256Hex(token))) return InvalidToken();
  if (application_id && *application_id != row->application_id) return InvalidToken();
  return row;
}

Result<MessageView> InteractionService::Show(const store::Interaction& it, Snowflake id,
                                             const MessageInput& input, const char* event) {
  const bool has_content = input.content && !input.content->empty();
  if (input.content) {
    if (auto r = CheckContent(*input.content); !r) return r.error();
  }
  if (!has_content && input.embed_count == 0) {
    return Error{Errc::kValidation, "Cannot send an empty message", 50006, {}};
  }
  if (!input.files.empty()) {
    return Error::Validation("Invalid Form Body",
                             {{"files", "EPHEMERAL_FILES", "Ephemeral answers carry no files."}});
  }
  auto bot = BotOf(it.application_id);
  if (!bot) return bot.error();
  auto user = deps_.store.GetUser(*bot);
  if (!user) return user.error();
  domain::json::MessageData data;
  data.message.id = id;
  data.message.channel_id = it.channel_id;
  data.message.author_id = *bot;
  data.message.content = input.content.value_or("");
  const std::int64_t now = deps_.access.Now();
  data.message.created_at_ms = domain::SnowflakeUnixMs(id);
  if (std::string_view(event) == "MESSAGE_UPDATE") data.message.edited_at_ms = now;
  data.message.type = AnswerType(it);
  data.message.flags = kEphemeral | (input.flags & (1 << 2));
  if (input.embeds_json) data.message.embeds_json = *input.embeds_json;
  data.author = std::move(*user);
  data.guild_id = it.guild_id;
  bj::object json = domain::json::MessageJson(data);
  PublishTo(deps_.bus, event, it.guild_id, {it.user_id}, bus::Intent::kNone, json);
  return MessageView{std::move(data), std::move(json)};
}

Result<MessageView> InteractionService::Post(const store::Interaction& it,
                                             const MessageInput& input) {
  if (input.flags & kEphemeral) return Show(it, deps_.ids.Next(), input, "MESSAGE_CREATE");
  auto bot = BotOf(it.application_id);
  if (!bot) return bot.error();
  MessageInput answer = input;
  answer.type = AnswerType(it);
  return messages_.Create(*bot, it.channel_id, answer);
}

Result<void> InteractionService::Respond(const store::Interaction& it, ResponseType type,
                                         const MessageInput& input) {
  const bool ephemeral = (input.flags & kEphemeral) != 0;
  // The answer is claimed before it is posted, so that two answers cannot both be.
  auto claimed = deps_.store.AcknowledgeInteraction(it.id, ephemeral);
  if (!claimed) return claimed.error();
  if (!*claimed) return AlreadyAnswered();
  if (type == ResponseType::kDeferredChannelMessage) return {};
  auto posted = Post(it, input);
  if (!posted) {
    if (auto r = deps_.store.ReleaseInteraction(it.id); !r) return r.error();
    return posted.error();
  }
  auto recorded = deps_.store.SetInteractionResponse(it.id, posted->data.message.id);
  if (!recorded) return recorded.error();
  return {};
}

Result<Snowflake> InteractionService::ResponseId(const store::Interaction& it,
                                                 std::optional<Snowflake> message_id) {
  if (message_id) return *message_id;
  if (!it.response_message_id) return store::UnknownMessage();
  return *it.response_message_id;
}

bool InteractionService::EphemeralOriginal(const store::Interaction& it,
                                           std::optional<Snowflake> message_id) {
  return it.response_ephemeral && (!message_id || message_id == it.response_message_id);
}

Result<MessageView> InteractionService::GetResponse(const store::Interaction& it,
                                                    std::optional<Snowflake> message_id) {
  // An ephemeral original was never stored: there is nothing to read back.
  if (EphemeralOriginal(it, message_id)) return store::UnknownMessage();
  auto id = ResponseId(it, message_id);
  if (!id) return id.error();
  auto bot = BotOf(it.application_id);
  if (!bot) return bot.error();
  auto view = messages_.Get(*bot, it.channel_id, *id);
  if (!view) return view.error();
  if (view->data.message.author_id != *bot) return store::UnknownMessage();
  return view;
}

Result<MessageView> InteractionService::TakeOverDeferred(const store::Interaction& it,
                                                         MessageInput input) {
  // The deferred answer's "thinking…" becomes this message, as private as the deferral was.
  if (it.response_ephemeral) {
    input.flags |= kEphemeral;
  } else {
    input.flags &= ~kEphemeral;
  }
  auto posted = Post(it, input);
  if (!posted) return posted.error();
  auto recorded = deps_.store.SetInteractionResponse(it.id, posted->data.message.id);
  if (!recorded) return recorded.error();
  return posted;
}

Result<MessageView> InteractionService::EditResponse(const store::Interaction& it,
                                                     std::optional<Snowflake> message_id,
                                                     const MessageEdit& edit,
                                                     const MessageInput& as_new) {
  if (!message_id && !it.response_message_id) {
    if (!it.acknowledged) return store::UnknownMessage();
    return TakeOverDeferred(it, as_new);
  }
  if (EphemeralOriginal(it, message_id)) {
    // Only its user has it: the edit goes to them alone.
    MessageInput shown = as_new;
    shown.flags = kEphemeral | (edit.flags.value_or(0) & (1 << 2));
    return Show(it, *it.response_message_id, shown, "MESSAGE_UPDATE");
  }
  auto id = ResponseId(it, message_id);
  if (!id) return id.error();
  auto bot = BotOf(it.application_id);
  if (!bot) return bot.error();
  return messages_.Edit(*bot, it.channel_id, *id, edit);
}

Result<void> InteractionService::DeleteResponse(const store::Interaction& it,
                                                std::optional<Snowflake> message_id) {
  if (EphemeralOriginal(it, message_id)) {
    if (!it.response_message_id) return store::UnknownMessage();
    bj::object gone{{"id", domain::ToString(*it.response_message_id)},
                    {"channel_id", domain::ToString(it.channel_id)}};
    if (it.guild_id) gone["guild_id"] = domain::ToString(*it.guild_id);
    PublishTo(deps_.bus, "MESSAGE_DELETE", it.guild_id, {it.user_id}, bus::Intent::kNone, gone);
    return {};
  }
  auto view = GetResponse(it, message_id);  // the bot's own message, or 10008
  if (!view) return view.error();
  return messages_.Delete(view->data.message.author_id, it.channel_id, view->data.message.id);
}

Result<MessageView> InteractionService::Followup(const store::Interaction& it,
                                                 const MessageInput& input) {
  if (!it.acknowledged) return store::UnknownInteraction();
  // The first followup of a deferred answer is its original response, as on Discord.
  if (!it.response_message_id) return TakeOverDeferred(it, input);
  return Post(it, input);
}

}  // namespace chat::service
