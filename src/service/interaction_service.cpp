#include "service/interaction_service.hpp"

#include <algorithm>
#include <utility>

#include <boost/json.hpp>

#include "domain/json/command_json.hpp"
#include "domain/json/component_json.hpp"
#include "domain/json/guild_json.hpp"
#include "domain/json/message_json.hpp"
#include "domain/json/time_json.hpp"
#include "domain/json/user_json.hpp"
#include "domain/permissions.hpp"
#include "service/access_service.hpp"
#include "service/auth/secure_token.hpp"
#include "service/command_service.hpp"
#include "store/errors.hpp"

namespace chat::service {
namespace {

namespace bj = boost::json;
using domain::Snowflake;

constexpr std::int64_t kEphemeral = 1 << 6;

constexpr int kCommandInteraction = 2;
constexpr int kComponentInteraction = 3;
constexpr int kAutocompleteInteraction = 4;
constexpr int kModalSubmitInteraction = 5;

// An answer's message type: CHAT_INPUT_COMMAND, or CONTEXT_MENU_COMMAND for user and message
// commands; DEFAULT for components and modals.
int AnswerType(const store::Interaction& it) {
  if (it.type != kCommandInteraction) return domain::json::kMessageTypeDefault;
  return it.command_type == static_cast<int>(domain::CommandType::kChatInput)
             ? domain::json::kMessageTypeChatInputCommand
             : domain::json::kMessageTypeContextMenuCommand;
}

Error InvalidResponseType(const char* why) {
  return Error::Validation("Invalid Form Body",
                           {{"type", "INTERACTION_RESPONSE_TYPE_INVALID", why}});
}

bool IsNotFound(const Error& e) { return e.code == Errc::kNotFound; }

// A JSON array stored as text (embeds, components; validated when they came in).
bj::array StoredArray(const std::string& text) {
  boost::system::error_code ec;
  bj::value v = bj::parse(text, ec);
  if (ec || !v.is_array()) return {};
  return std::move(v.as_array());
}

// A JSON object stored as text (an ephemeral message, a modal): nullopt when it does not parse.
std::optional<bj::object> StoredObject(const std::string& text) {
  boost::system::error_code ec;
  bj::value v = bj::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
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
// as Discord's partial channel (no topic or overwrites reach the application). In a DM (`guild`
// null) there are no roles or members, and a channel option can name only that DM (`here`).
Result<bj::object> Resolve(CommunityDeps& deps, Snowflake user_id, const GuildAccess* guild,
                           Snowflake here, domain::json::OptionTargets targets) {
  bj::object users, members, roles, channels;
  const Snowflake guild_id = guild ? guild->guild.id : 0;  // 0: a DM
  auto role_json = [&](Snowflake id) -> bool {
    if (!guild) return false;
    for (const auto& r : guild->roles) {
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
    if (!guild) continue;
    auto member = deps.store.GetMember(guild->guild.id, id);
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
    if (!seen || seen->channel.guild_id.value_or(0) != guild_id || (!guild && id != here)) {
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

Result<InteractionService::Place> InteractionService::Enter(Snowflake user_id, Snowflake channel_id,
                                                            std::optional<Snowflake> guild_id,
                                                            Snowflake application_id) {
  auto access = deps_.access.Channel(user_id, channel_id, /*with_user=*/true);
  if (!access) return access.error();
  if (!access->user) return MissingAccess();
  // A guild channel (the guild the client names, if it names one), or a DM with the
  // application's bot: the bot must be in it.
  if (guild_id && guild_id != access->channel.guild_id) return MissingAccess();
  // A group DM is Discord's PRIVATE_CHANNEL context, for user-installed applications only, which
  // are not carried: a bot there is not a DM with the bot.
  if (access->channel.type == domain::ChannelType::kGroupDm) return MissingAccess();
  if (!access->guild) {
    auto bot = BotOf(application_id);
    if (!bot) return bot.error();
    auto bot_access = deps_.access.Channel(*bot, channel_id);
    if (!bot_access) {
      if (bot_access.error().code == Errc::kForbidden) return MissingAccess();
      return bot_access.error();
    }
    return Place{std::move(*access), *bot, bot_access->permissions};
  }
  const bool moderator = domain::perm::Has(access->permissions, domain::perm::kManageThreads);
  // A locked thread takes no one's messages but moderators', not even an application's answer to
  // someone else; a timed-out member starts nothing (their permissions are narrowed to reading,
  // which leaves out USE_APPLICATION_COMMANDS but would let them press buttons).
  if (access->channel.thread && access->channel.thread->locked && !moderator) {
    return MissingPermissions();
  }
  const bool admin = domain::perm::Has(access->permissions, domain::perm::kAdministrator);
  if (!admin && domain::IsTimedOut(access->guild->member, deps_.access.Now())) {
    return MissingPermissions();
  }
  auto bot = BotOf(application_id);
  if (!bot) return bot.error();
  auto bot_access = deps_.access.Channel(*bot, channel_id);
  if (!bot_access) {
    if (bot_access.error().code == Errc::kForbidden) return MissingAccess();
    return bot_access.error();
  }
  return Place{std::move(*access), *bot, bot_access->permissions};
}

Result<Snowflake> InteractionService::Start(store::Interaction row, const Place& place,
                                            bj::object data, std::optional<bj::object> message) {
  const std::optional<Snowflake> guild_id = place.access.channel.guild_id;
  row.id = deps_.ids.Next();
  const std::string token =
      std::string(kInteractionTokenPrefix) + domain::ToString(row.id) + "." + auth::RandomToken();
  row.token_hash = auth::Sha256Hex(token);
  row.guild_id = guild_id;
  row.channel_id = place.access.channel.id;
  row.created_at_ms = deps_.access.Now();
  if (auto r = deps_.store.CreateInteraction(row, row.created_at_ms - kInteractionTokenLifetimeMs);
      !r) {
    return r.error();
  }
  // In a guild the user comes as its member; in a DM with the bot (context BOT_DM) as a user, and
  // the guild-installed application is authorized by "0", Discord's value for its bot's DMs.
  const std::string guild = guild_id ? domain::ToString(*guild_id) : "0";
  bj::object payload{{"id", domain::ToString(row.id)},
                     {"application_id", domain::ToString(row.application_id)},
                     {"type", row.type},
                     {"data", std::move(data)},
                     {"channel_id", domain::ToString(row.channel_id)},
                     {"channel", domain::json::ChannelJson(place.access.channel)},
                     {"token", token},
                     {"version", 1},
                     {"app_permissions", std::to_string(place.app_permissions)},
                     {"locale", "en-US"},
                     {"entitlements", bj::array()},
                     {"authorizing_integration_owners", bj::object{{"0", guild}}},
                     {"context", guild_id ? 0 : 1}};
  if (place.access.guild) {
    bj::object member = domain::json::MemberJson(place.access.guild->member, *place.access.user);
    member["permissions"] = std::to_string(place.access.permissions);
    payload["guild_id"] = guild;
    payload["member"] = std::move(member);
    payload["guild_locale"] = "en-US";
  } else {
    payload["user"] = domain::json::UserJson(*place.access.user);
  }
  if (message) payload["message"] = std::move(*message);
  PublishTo(deps_.bus, "INTERACTION_CREATE", guild_id, {place.bot}, bus::Intent::kNone, payload);
  return row.id;
}

Result<Snowflake> InteractionService::Invoke(Snowflake user_id, const Invocation& in) {
  auto place = Enter(user_id, in.channel_id, in.guild_id, in.application_id);
  if (!place) return place.error();
  const ChannelAccess& access = place->access;
  const GuildAccess* guild = access.guild ? &*access.guild : nullptr;
  if (guild && !domain::perm::Has(access.permissions, domain::perm::kUseApplicationCommands)) {
    return MissingPermissions();
  }
  // A guild command of this guild, else a global one; in a DM with the bot, a global command
  // offered in DMs (dm_permission, Discord's context BOT_DM).
  auto command = guild ? deps_.store.GetCommand(in.application_id, guild->guild.id, in.command_id)
                       : Result<domain::ApplicationCommand>(store::UnknownCommand());
  if (!command && command.error().code == Errc::kNotFound) {
    command = deps_.store.GetCommand(in.application_id, std::nullopt, in.command_id);
  }
  if (!command) return command.error();
  if (!domain::RunsIn(*command, guild != nullptr)) return MissingAccess();
  const bool context_menu = command->type != domain::CommandType::kChatInput;
  if (context_menu && in.autocomplete) {
    return Error::Validation("Invalid Form Body",
                             {{"type", "BASE_TYPE_INVALID", "Only slash commands autocomplete."}});
  }
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
  if (command->nsfw && !access.channel.nsfw) return MissingAccess();
  // The guild's command permissions, else default_member_permissions; a thread answers for its
  // parent channel.
  if (guild) {
    auto may = MayRunCommand(deps_.store, *command, *guild, access.permissions,
                             access.parent ? access.parent->id : access.channel.id);
    if (!may) return may.error();
    if (!*may) return MissingPermissions();
  }
  domain::json::OptionTargets targets;
  auto options = domain::json::CheckInvocationOptions(
      *command, in.options.is_null() ? nullptr : &in.options, targets, in.autocomplete);
  if (!options) return options.error();
  std::optional<bj::object> target_message;
  if (command->type == domain::CommandType::kUser) targets.users.push_back(*in.target_id);
  if (command->type == domain::CommandType::kMessage) {
    // A message of this channel the user may read.
    auto message = messages_.Get(user_id, in.channel_id, *in.target_id);
    if (!message) return message.error();
    target_message = std::move(message->json);
  }
  auto resolved = Resolve(deps_, user_id, guild, in.channel_id, std::move(targets));
  if (!resolved) return resolved.error();
  if (target_message) {
    (*resolved)["messages"] = bj::object{{domain::ToString(*in.target_id), *target_message}};
  }

  bj::object data{{"id", domain::ToString(command->id)},
                  {"name", command->name},
                  {"type", static_cast<int>(command->type)}};
  if (!options->empty()) data["options"] = std::move(*options);
  if (!resolved->empty()) data["resolved"] = std::move(*resolved);
  if (command->guild_id) data["guild_id"] = domain::ToString(*command->guild_id);
  if (in.target_id) data["target_id"] = domain::ToString(*in.target_id);
  store::Interaction row;
  row.application_id = in.application_id;
  row.user_id = user_id;
  row.command_name = command->name;
  row.command_type = static_cast<int>(command->type);
  row.type = in.autocomplete ? kAutocompleteInteraction : kCommandInteraction;
  return Start(std::move(row), *place, std::move(data), std::nullopt);
}

Result<InteractionService::Target> InteractionService::TargetOf(Snowflake user_id,
                                                                Snowflake channel_id,
                                                                Snowflake message_id) {
  auto stored = messages_.Get(user_id, channel_id, message_id);
  if (stored) {
    // The account that owns the message answers for its components: an application's bot.
    auto app = deps_.store.GetApplicationByBotUser(stored->data.message.author_id);
    if (!app) {
      if (!IsNotFound(app.error())) return app.error();
      return Error::Validation("Invalid Form Body", {{"data.custom_id", "COMPONENT_UNKNOWN",
                                                      "The message has no such component."}});
    }
    return Target{std::move(stored->json), app->id, false};
  }
  if (!IsNotFound(stored.error())) return stored.error();
  // Not in the channel: an ephemeral answer shown to this user.
  auto shown = deps_.store.GetEphemeralMessage(message_id, user_id);
  if (!shown) return shown.error();
  auto opener = deps_.store.GetInteraction(shown->interaction_id);
  if (!opener) return IsNotFound(opener.error()) ? store::UnknownMessage() : opener.error();
  if (opener->channel_id != channel_id) return store::UnknownMessage();
  auto json = StoredObject(shown->json);
  if (!json) return store::UnknownMessage();
  return Target{std::move(*json), opener->application_id, true};
}

Result<Snowflake> InteractionService::UseComponent(Snowflake user_id, const ComponentUse& in) {
  auto target = TargetOf(user_id, in.channel_id, in.message_id);
  if (!target) return target.error();
  if (in.application_id && *in.application_id != target->application_id) {
    return Error::Validation("Invalid Form Body", {{"application_id", "BASE_TYPE_INVALID",
                                                    "Not the application of this message."}});
  }
  auto place = Enter(user_id, in.channel_id, in.guild_id, target->application_id);
  if (!place) return place.error();
  const auto* components = target->json.if_contains("components");
  domain::json::OptionTargets picked;
  auto data = domain::json::CheckComponentUse(
      components && components->is_array() ? components->as_array() : bj::array(), in.custom_id,
      in.component_type, in.values, picked);
  if (!data) return data.error();
  auto resolved = Resolve(deps_, user_id, place->access.guild ? &*place->access.guild : nullptr,
                          in.channel_id, std::move(picked));
  if (!resolved) return resolved.error();
  if (!resolved->empty()) (*data)["resolved"] = std::move(*resolved);
  store::Interaction row;
  row.application_id = target->application_id;
  row.user_id = user_id;
  row.command_name = in.custom_id;
  row.type = kComponentInteraction;
  row.message_id = in.message_id;
  return Start(std::move(row), *place, std::move(*data), std::move(target->json));
}

Result<Snowflake> InteractionService::SubmitModal(Snowflake user_id, const ModalSubmit& in) {
  auto opener = deps_.store.GetInteraction(in.modal_id);
  if (!opener) return opener.error();
  // Only the user it was shown to, while the interaction that showed it lives.
  if (opener->user_id != user_id || !opener->modal_json || opener->channel_id != in.channel_id ||
      deps_.access.Now() - opener->created_at_ms > kInteractionTokenLifetimeMs) {
    return store::UnknownInteraction();
  }
  if (opener->application_id != in.application_id) {
    return Error::Validation("Invalid Form Body", {{"application_id", "BASE_TYPE_INVALID",
                                                    "Not the application of this modal."}});
  }
  auto modal = StoredObject(*opener->modal_json);
  if (!modal) return store::UnknownInteraction();
  if (modal->at("custom_id") != bj::value(in.custom_id)) {
    return Error::Validation("Invalid Form Body", {{"data.custom_id", "COMPONENT_UNKNOWN",
                                                    "Not the custom id of this modal."}});
  }
  auto fields = domain::json::CheckModalSubmit(*modal, in.components);
  if (!fields) return fields.error();
  auto place = Enter(user_id, in.channel_id, std::nullopt, in.application_id);
  if (!place) return place.error();
  std::optional<bj::object> message;
  if (opener->message_id) {
    // A modal opened from a component: the submission can update that message.
    auto target = TargetOf(user_id, in.channel_id, *opener->message_id);
    if (target) {
      message = std::move(target->json);
    } else if (!IsNotFound(target.error())) {
      return target.error();
    }
  }
  store::Interaction row;
  row.application_id = in.application_id;
  row.user_id = user_id;
  row.command_name = in.custom_id;
  row.type = kModalSubmitInteraction;
  if (message) row.message_id = opener->message_id;
  bj::object data{{"custom_id", in.custom_id}, {"components", std::move(*fields)}};
  return Start(std::move(row), *place, std::move(data), std::move(message));
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
                                             const MessageInput& input) {
  const bool has_content = input.content && !input.content->empty();
  if (input.content) {
    if (auto r = CheckContent(*input.content); !r) return r.error();
  }
  if (!has_content && input.embed_count == 0 && input.components.count == 0) {
    return Error{Errc::kValidation, "Cannot send an empty message", 50006, {}};
  }
  if (input.poll) {
    return Error::Validation("Invalid Form Body",
                             {{"poll", "EPHEMERAL_POLL", "Ephemeral answers carry no poll."}});
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
  data.message.created_at_ms = domain::SnowflakeUnixMs(id);
  data.message.type = AnswerType(it);
  data.message.flags = kEphemeral | (input.flags & (1 << 2));
  if (input.embeds_json) data.message.embeds_json = *input.embeds_json;
  if (input.components.json) data.message.components_json = *input.components.json;
  data.message.interaction_json = input.interaction_json;
  data.author = std::move(*user);
  data.guild_id = it.guild_id;
  bj::object json = domain::json::MessageJson(data);
  auto kept = deps_.store.PutEphemeralMessage({id, it.id, it.user_id, bj::serialize(json)});
  if (!kept) return kept.error();
  PublishTo(deps_.bus, "MESSAGE_CREATE", it.guild_id, {it.user_id}, bus::Intent::kNone, json);
  return MessageView{std::move(data), std::move(json)};
}

Result<InteractionService::Response> InteractionService::FindResponse(
    const store::Interaction& it, std::optional<Snowflake> message_id) {
  Response found;
  if (message_id) {
    found.id = *message_id;
  } else if (it.response_message_id) {
    found.id = *it.response_message_id;
  } else {
    return store::UnknownMessage();
  }
  auto shown = deps_.store.GetEphemeralMessage(found.id, it.user_id);
  if (!shown) {
    if (IsNotFound(shown.error())) return found;
    return shown.error();
  }
  // Another interaction's: not this token's to touch (an update's target is its original).
  if (shown->interaction_id == it.id || it.response_message_id == found.id) {
    found.ephemeral = std::move(*shown);
  }
  return found;
}

Result<MessageView> InteractionService::BotMessage(const store::Interaction& it, Snowflake id) {
  auto bot = BotOf(it.application_id);
  if (!bot) return bot.error();
  auto view = messages_.Get(*bot, it.channel_id, id);
  if (!view) return view.error();
  if (view->data.message.author_id != *bot) return store::UnknownMessage();
  return view;
}

Result<MessageView> InteractionService::EditEphemeral(const store::Interaction& it,
                                                      store::EphemeralMessage shown,
                                                      const MessageEdit& edit) {
  auto parsed = StoredObject(shown.json);
  if (!parsed) return store::UnknownMessage();
  bj::object& json = *parsed;
  if (edit.poll) {
    Error e = Error::Validation("Cannot edit a poll message");
    e.api_code = 520003;
    return e;
  }
  if (edit.content) {
    if (auto r = CheckContent(*edit.content); !r) return r.error();
    json["content"] = *edit.content;
  }
  if (edit.embeds_json) json["embeds"] = StoredArray(*edit.embeds_json);
  if (edit.components.json) json["components"] = StoredArray(*edit.components.json);
  if (edit.flags) json["flags"] = kEphemeral | (*edit.flags & (1 << 2));
  const auto empty = [&](const char* key) {
    const auto* v = json.if_contains(key);
    return !v || (v->is_string() && v->as_string().empty()) ||
           (v->is_array() && v->as_array().empty());
  };
  if (empty("content") && empty("embeds") && empty("components")) {
    return Error{Errc::kValidation, "Cannot send an empty message", 50006, {}};
  }
  if (!edit.files.empty()) {
    return Error::Validation("Invalid Form Body",
                             {{"files", "EPHEMERAL_FILES", "Ephemeral answers carry no files."}});
  }
  json["edited_timestamp"] = domain::json::IsoTimestamp(deps_.access.Now());
  shown.json = bj::serialize(json);
  if (auto r = deps_.store.PutEphemeralMessage(shown); !r) return r.error();
  PublishTo(deps_.bus, "MESSAGE_UPDATE", it.guild_id, {it.user_id}, bus::Intent::kNone, json);
  MessageView view;
  view.data.message.id = shown.id;
  view.json = std::move(json);
  return view;
}

Result<std::string> InteractionService::Metadata(const store::Interaction& it) {
  auto user = deps_.store.GetUser(it.user_id);
  if (!user) return user.error();
  bj::object meta{{"id", domain::ToString(it.id)},
                  {"type", it.type},
                  {"name", it.type == kCommandInteraction ? it.command_name : ""},
                  {"user", domain::json::UserJson(*user)},
                  {"authorizing_integration_owners",
                   bj::object{{"0", it.guild_id ? domain::ToString(*it.guild_id) : "0"}}}};
  if (it.type == kComponentInteraction && it.message_id) {
    meta["interacted_message_id"] = domain::ToString(*it.message_id);
  }
  if (it.response_message_id) {
    meta["original_response_message_id"] = domain::ToString(*it.response_message_id);
  }
  return bj::serialize(meta);
}

Result<MessageView> InteractionService::Post(const store::Interaction& it,
                                             const MessageInput& input) {
  MessageInput answer = input;
  auto meta = Metadata(it);
  if (!meta) return meta.error();
  answer.interaction_json = std::move(*meta);
  if (input.flags & kEphemeral) return Show(it, deps_.ids.Next(), answer);
  auto bot = BotOf(it.application_id);
  if (!bot) return bot.error();
  answer.type = AnswerType(it);
  return messages_.Create(*bot, it.channel_id, answer);
}

Result<void> InteractionService::ShowModal(const store::Interaction& it, const bj::object& modal) {
  auto app = deps_.store.GetApplication(it.application_id);
  if (!app) return app.error();
  if (auto r = deps_.store.SetInteractionModal(it.id, bj::serialize(modal)); !r) return r;
  bj::object event = modal;
  // The modal's id is its interaction's: the user's submission names it.
  event["id"] = domain::ToString(it.id);
  event["channel_id"] = domain::ToString(it.channel_id);
  if (it.guild_id) event["guild_id"] = domain::ToString(*it.guild_id);
  event["application"] = bj::object{
      {"id", domain::ToString(app->id)},
      {"name", app->name},
      {"icon", app->icon ? bj::value(*app->icon) : nullptr},
      {"bot_id", app->bot_user_id ? bj::value(domain::ToString(*app->bot_user_id)) : nullptr}};
  event["nonce"] = nullptr;
  PublishTo(deps_.bus, "INTERACTION_MODAL_CREATE", it.guild_id, {it.user_id}, bus::Intent::kNone,
            event);
  return {};
}

Result<void> InteractionService::Respond(const store::Interaction& it, const Answer& answer) {
  const ResponseType type = answer.type;
  const bool update =
      type == ResponseType::kDeferredUpdateMessage || type == ResponseType::kUpdateMessage;
  if (update && !it.message_id) {
    return InvalidResponseType("Only a component's interaction can update its message.");
  }
  if (type == ResponseType::kModal && it.type == kModalSubmitInteraction) {
    return InvalidResponseType("A modal cannot answer a modal.");
  }
  const bool autocomplete = it.type == kAutocompleteInteraction;
  if (autocomplete != (type == ResponseType::kAutocompleteResult)) {
    return InvalidResponseType(autocomplete
                                   ? "An autocomplete request is answered with its choices (8)."
                                   : "Only an autocomplete request is answered with choices.");
  }
  std::optional<store::EphemeralMessage> target;
  if (update) {
    auto shown = deps_.store.GetEphemeralMessage(*it.message_id, it.user_id);
    if (shown) {
      target = std::move(*shown);
    } else if (!IsNotFound(shown.error())) {
      return shown.error();
    }
  }
  const bool ephemeral = update ? target.has_value() : (answer.message.flags & kEphemeral) != 0;
  // The answer is claimed before it is posted, so that two answers cannot both be.
  auto claimed = deps_.store.AcknowledgeInteraction(it.id, ephemeral);
  if (!claimed) return claimed.error();
  if (!*claimed) return AlreadyAnswered();
  Result<Snowflake> original = Snowflake{0};
  switch (type) {
    case ResponseType::kDeferredChannelMessage:
      return {};
    case ResponseType::kAutocompleteResult: {
      // To the member typing, who alone asked.
      bj::object result{{"choices", answer.choices}, {"nonce", nullptr}};
      PublishTo(deps_.bus, "APPLICATION_COMMAND_AUTOCOMPLETE_RESPONSE", it.guild_id, {it.user_id},
                bus::Intent::kNone, result);
      return {};
    }
    case ResponseType::kModal: {
      auto shown = ShowModal(it, *answer.modal);
      if (shown) return {};
      original = shown.error();
      break;
    }
    case ResponseType::kDeferredUpdateMessage:
      original = *it.message_id;
      break;
    case ResponseType::kUpdateMessage: {
      Result<MessageView> edited = store::UnknownMessage();
      if (target) {
        store::Interaction as_target = it;
        as_target.response_message_id = *it.message_id;
        edited = EditEphemeral(as_target, std::move(*target), answer.edit);
      } else {
        auto bot = BotOf(it.application_id);
        if (!bot) return bot.error();
        edited = messages_.Edit(*bot, it.channel_id, *it.message_id, answer.edit);
      }
      if (edited) {
        original = *it.message_id;
      } else {
        original = edited.error();
      }
      break;
    }
    case ResponseType::kChannelMessage: {
      auto posted = Post(it, answer.message);
      if (posted) {
        original = posted->data.message.id;
      } else {
        original = posted.error();
      }
      break;
    }
  }
  if (!original) {
    if (auto r = deps_.store.ReleaseInteraction(it.id); !r) return r.error();
    return original.error();
  }
  auto recorded = deps_.store.SetInteractionResponse(it.id, *original);
  if (!recorded) return recorded.error();
  return {};
}

Result<MessageView> InteractionService::GetResponse(const store::Interaction& it,
                                                    std::optional<Snowflake> message_id) {
  auto found = FindResponse(it, message_id);
  if (!found) return found.error();
  if (!found->ephemeral) return BotMessage(it, found->id);
  auto json = StoredObject(found->ephemeral->json);
  if (!json) return store::UnknownMessage();
  MessageView view;
  view.data.message.id = found->id;
  view.json = std::move(*json);
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
    // An autocomplete request's answer is its choices, a modal's its form: neither has a message.
    if (!it.acknowledged || it.type == kAutocompleteInteraction || it.modal_json) {
      return store::UnknownMessage();
    }
    return TakeOverDeferred(it, as_new);
  }
  auto found = FindResponse(it, message_id);
  if (!found) return found.error();
  // Only its user has it: the edit goes to them alone.
  if (found->ephemeral) return EditEphemeral(it, std::move(*found->ephemeral), edit);
  auto bot = BotOf(it.application_id);
  if (!bot) return bot.error();
  return messages_.Edit(*bot, it.channel_id, found->id, edit);
}

Result<void> InteractionService::DeleteResponse(const store::Interaction& it,
                                                std::optional<Snowflake> message_id) {
  auto found = FindResponse(it, message_id);
  if (!found) return found.error();
  if (found->ephemeral) {
    if (auto r = deps_.store.DeleteEphemeralMessage(found->id); !r) return r;
    bj::object gone{{"id", domain::ToString(found->id)},
                    {"channel_id", domain::ToString(it.channel_id)}};
    if (it.guild_id) gone["guild_id"] = domain::ToString(*it.guild_id);
    PublishTo(deps_.bus, "MESSAGE_DELETE", it.guild_id, {it.user_id}, bus::Intent::kNone, gone);
    return {};
  }
  auto view = BotMessage(it, found->id);  // the bot's own message, or 10008
  if (!view) return view.error();
  return messages_.Delete(view->data.message.author_id, it.channel_id, view->data.message.id);
}

Result<MessageView> InteractionService::Followup(const store::Interaction& it,
                                                 const MessageInput& input) {
  if (!it.acknowledged || it.type == kAutocompleteInteraction) {
    return store::UnknownInteraction();
  }
  // The first followup of a deferred answer is its original response, as on Discord.
  if (!it.response_message_id && it.modal_json.value_or("").empty()) {
    return TakeOverDeferred(it, input);
  }
  return Post(it, input);
}

}  // namespace chat::service
