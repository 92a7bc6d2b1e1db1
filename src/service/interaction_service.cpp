#include "service/interaction_service.hpp"

#include <algorithm>
#include <charconv>
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

bool Ephemeral(const MessageView& v) { return (v.data.message.flags & kEphemeral) != 0; }

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
// ids are an invalid option, as on Discord.
Result<bj::object> Resolve(CommunityDeps& deps, const GuildAccess& guild,
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
    auto channel = deps.store.GetChannel(id);
    if (!channel || channel->guild_id != guild.guild.id) {
      if (channel || channel.error().code == Errc::kNotFound) {
        return Error::Validation("Invalid Form Body",
                                 {{"options", "UNKNOWN_CHANNEL", "Unknown Channel"}});
      }
      return channel.error();
    }
    channels[domain::ToString(id)] = domain::json::ChannelJson(*channel);
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
  if (command->type != domain::CommandType::kChatInput) {
    // A context-menu command needs its target (data.target_id and the resolved user or
    // message), which this server does not read yet.
    return Error::Validation("Invalid Form Body",
                             {{"data.type", "APPLICATION_COMMAND_TYPE_UNSUPPORTED",
                               "Only slash commands can be run on this server yet."}});
  }
  if (command->name != in.command_name) {
    return Error::Validation("Invalid Form Body",
                             {{"data.name", "APPLICATION_COMMAND_OUTDATED",
                               "This command is outdated, please try again in a few minutes"}});
  }
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
  auto resolved = Resolve(deps_, *access->guild, std::move(targets));
  if (!resolved) return resolved.error();

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

Result<MessageView> InteractionService::Post(const store::Interaction& it,
                                             const MessageInput& input) {
  auto bot = BotOf(it.application_id);
  if (!bot) return bot.error();
  MessageInput answer = input;
  answer.type = domain::json::kMessageTypeChatInputCommand;
  if (!(input.flags & kEphemeral)) {
    return messages_.Create(*bot, it.channel_id, answer);
  }
  // Shown to the user who invoked the command only, and kept nowhere: Discord's ephemeral
  // messages disappear with the client's session.
  const bool has_content = input.content && !input.content->empty();
  if (!has_content && input.embed_count == 0) {
    return Error{Errc::kValidation, "Cannot send an empty message", 50006, {}};
  }
  if (!input.files.empty()) {
    return Error::Validation("Invalid Form Body",
                             {{"files", "EPHEMERAL_FILES", "Ephemeral answers carry no files."}});
  }
  auto user = deps_.store.GetUser(*bot);
  if (!user) return user.error();
  domain::json::MessageData data;
  data.message.id = deps_.ids.Next();
  data.message.channel_id = it.channel_id;
  data.message.author_id = *bot;
  data.message.content = input.content.value_or("");
  data.message.created_at_ms = deps_.access.Now();
  data.message.type = answer.type;
  data.message.flags = kEphemeral | (input.flags & (1 << 2));
  if (input.embeds_json) data.message.embeds_json = *input.embeds_json;
  data.author = std::move(*user);
  data.guild_id = it.guild_id;
  bj::object json = domain::json::MessageJson(data);
  PublishTo(deps_.bus, "MESSAGE_CREATE", it.guild_id, {it.user_id}, bus::Intent::kNone, json);
  return MessageView{std::move(data), std::move(json)};
}

Result<void> InteractionService::Respond(const store::Interaction& it, ResponseType type,
                                         const MessageInput& input) {
  if (it.acknowledged) return AlreadyAnswered();
  std::optional<Snowflake> message_id;
  if (type == ResponseType::kChannelMessage) {
    auto posted = Post(it, input);
    if (!posted) return posted.error();
    if (!Ephemeral(*posted)) message_id = posted->data.message.id;
  }
  auto marked = deps_.store.AcknowledgeInteraction(it.id, message_id);
  if (!marked) return marked.error();
  // A second answer that raced this one: its message stays, as a followup would.
  if (!*marked) return AlreadyAnswered();
  return {};
}

Result<Snowflake> InteractionService::ResponseId(const store::Interaction& it,
                                                 std::optional<Snowflake> message_id) {
  if (message_id) return *message_id;
  if (!it.response_message_id) return store::UnknownMessage();
  return *it.response_message_id;
}

Result<MessageView> InteractionService::GetResponse(const store::Interaction& it,
                                                    std::optional<Snowflake> message_id) {
  auto id = ResponseId(it, message_id);
  if (!id) return id.error();
  auto bot = BotOf(it.application_id);
  if (!bot) return bot.error();
  auto view = messages_.Get(*bot, it.channel_id, *id);
  if (!view) return view.error();
  if (view->data.message.author_id != *bot) return store::UnknownMessage();
  return view;
}

Result<MessageView> InteractionService::EditResponse(const store::Interaction& it,
                                                     std::optional<Snowflake> message_id,
                                                     const MessageEdit& edit,
                                                     const MessageInput& as_new) {
  if (!message_id && !it.response_message_id) {
    // A deferred answer's "thinking…" becomes its message now.
    if (!it.acknowledged) return store::UnknownMessage();
    auto posted = Post(it, as_new);
    if (!posted) return posted.error();
    if (!Ephemeral(*posted)) {
      if (auto r = deps_.store.SetInteractionResponse(it.id, posted->data.message.id); !r) {
        return r.error();
      }
    }
    return posted;
  }
  auto id = ResponseId(it, message_id);
  if (!id) return id.error();
  auto bot = BotOf(it.application_id);
  if (!bot) return bot.error();
  return messages_.Edit(*bot, it.channel_id, *id, edit);
}

Result<void> InteractionService::DeleteResponse(const store::Interaction& it,
                                                std::optional<Snowflake> message_id) {
  auto id = ResponseId(it, message_id);
  if (!id) return id.error();
  auto bot = BotOf(it.application_id);
  if (!bot) return bot.error();
  auto view = messages_.Get(*bot, it.channel_id, *id);
  if (!view) return view.error();
  if (view->data.message.author_id != *bot) return store::UnknownMessage();
  return messages_.Delete(*bot, it.channel_id, *id);
}

Result<MessageView> InteractionService::Followup(const store::Interaction& it,
                                                 const MessageInput& input) {
  if (!it.acknowledged) return store::UnknownInteraction();
  auto posted = Post(it, input);
  if (!posted) return posted.error();
  if (!it.response_message_id && !Ephemeral(*posted)) {
    if (auto r = deps_.store.SetInteractionResponse(it.id, posted->data.message.id); !r) {
      return r.error();
    }
  }
  return posted;
}

}  // namespace chat::service
