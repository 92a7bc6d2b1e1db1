#include "domain/json/command_json.hpp"

#include <cmath>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "domain/json/field_checker.hpp"
#include "domain/snowflake.hpp"

namespace chat::domain::json {
namespace {
namespace bj = boost::json;

enum OptionType : std::int64_t {
  kSubCommand = 1,
  kSubCommandGroup = 2,
  kString = 3,
  kInteger = 4,
  kBoolean = 5,
  kChannel = 7,
  kNumber = 10,
  kAttachment = 11,
};

constexpr std::size_t kMaxOptions = 25;
constexpr std::size_t kMaxChoices = 25;
constexpr std::int64_t kMaxStringOption = 6000;

// Discord's CHAT_INPUT name rule: 1–32 characters, no upper-case letters, and of ASCII only
// letters, digits, '-', '_' and '\''; other scripts' letters are allowed.
bool IsChatInputName(std::string_view s) {
  const std::size_t n = CodePoints(s);
  if (n < 1 || n > 32) return false;
  for (unsigned char c : s) {
    if (c >= 0x80) continue;
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '\'';
    if (!ok) return false;
  }
  return true;
}

class Checker : public FieldChecker {
 public:
  std::optional<double> Number(const bj::value& v, const std::string& path) {
    if (v.is_number()) return v.to_number<double>();
    Add(path, "NUMBER_TYPE_COERCE", "Value is not a valid number.");
    return std::nullopt;
  }

  // An option value bound (min_value/max_value, min_length/max_length) copied if valid.
  void Bound(const bj::object& in, bj::object& out, std::string_view key, const std::string& path,
             std::int64_t type) {
    const auto* v = in.if_contains(key);
    if (!v || v->is_null()) return;
    if (key == "min_length" || key == "max_length") {
      auto n = Int(*v, path);
      if (!n) return;
      if (*n < 0 || *n > kMaxStringOption) {
        Add(path, "NUMBER_TYPE_MAX", "int value should be between 0 and 6000.");
        return;
      }
      out[key] = *n;
      return;
    }
    if (type == kInteger) {
      if (auto n = Int(*v, path); n && std::abs(static_cast<double>(*n)) <= kMaxSafeInteger) {
        out[key] = *n;
      } else if (n) {
        Add(path, "NUMBER_TYPE_MAX", "Value is out of range.");
      }
      return;
    }
    if (auto d = Number(*v, path); d && std::abs(*d) <= kMaxSafeInteger) {
      out[key] = *d;
    } else if (d) {
      Add(path, "NUMBER_TYPE_MAX", "Value is out of range.");
    }
  }

  // One option's choices: [{name, value}] with values of the option's type.
  bj::array Choices(const bj::value& raw, const std::string& path, std::int64_t type) {
    bj::array out;
    const bj::array* choices = Array(raw, path, kMaxChoices);
    if (!choices) return out;
    std::size_t i = 0;
    for (const auto& c : *choices) {
      const std::string at = path + "." + std::to_string(i++);
      if (!c.is_object()) {
        Add(at, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
        continue;
      }
      const auto& o = c.as_object();
      auto name = String(o, "name", at + ".name", 1, 100);
      const auto* value = o.if_contains("value");
      if (!value || value->is_null()) {
        Add(at + ".value", "BASE_TYPE_REQUIRED", "This field is required");
        continue;
      }
      bj::object choice;
      if (type == kString) {
        if (!value->is_string() || CodePoints(value->as_string()) > 100 ||
            value->as_string().empty()) {
          Add(at + ".value", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.");
          continue;
        }
        choice["value"] = value->as_string();
      } else if (type == kInteger) {
        auto n = Int(*value, at + ".value");
        if (!n) continue;
        choice["value"] = *n;
      } else {
        auto d = Number(*value, at + ".value");
        if (!d) continue;
        choice["value"] = *d;
      }
      if (!name) continue;
      choice["name"] = *name;
      out.push_back(std::move(choice));
    }
    return out;
  }

  // Options at one level. depth 0: a command's own options (all subcommands/groups, or none of
  // them); 1: inside a group (subcommands only); 2: inside a subcommand (no subcommands).
  bj::array Options(const bj::value& raw, const std::string& path, int depth) {
    bj::array out;
    if (!raw.is_array()) {
      Add(path, "BASE_TYPE_ARRAY", "Must be an array.");
      return out;
    }
    const auto& list = raw.as_array();
    if (list.size() > kMaxOptions) {
      Add(path, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
      return out;
    }
    std::set<std::string> names;
    bool any_sub = false;
    bool any_plain = false;
    bool optional_seen = false;
    std::size_t i = 0;
    for (const auto& item : list) {
      const std::string at = path + "." + std::to_string(i++);
      if (!item.is_object()) {
        Add(at, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
        continue;
      }
      const auto& o = item.as_object();
      const auto* type_value = o.if_contains("type");
      std::int64_t kind = 0;  // 0: missing or invalid
      if (!type_value) {
        Add(at + ".type", "BASE_TYPE_REQUIRED", "This field is required");
      } else if (auto t = Int(*type_value, at + ".type")) {
        if (*t >= kSubCommand && *t <= kAttachment) {
          kind = *t;
        } else {
          Add(at + ".type", "BASE_TYPE_CHOICES", "Value must be one of 1 to 11.");
        }
      }
      auto name = String(o, "name", at + ".name", 1, 32);
      if (name && !IsChatInputName(*name)) {
        Add(at + ".name", "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid");
        name.reset();
      }
      if (name && !names.insert(*name).second) {
        Add(at + ".name", "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
            "Option name " + *name + " is already used in these options");
      }
      auto description = String(o, "description", at + ".description", 1, 100);
      if (kind == 0 || !name || !description) continue;
      const bool sub = kind == kSubCommand || kind == kSubCommandGroup;
      (sub ? any_sub : any_plain) = true;
      const bool allowed = depth == 0 || (depth == 1 ? kind == kSubCommand : !sub);
      if (!allowed) {
        Add(at + ".type", "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
            depth == 1 ? "A subcommand group holds subcommands only."
                       : "A subcommand cannot hold subcommands.");
        continue;
      }
      bj::object opt{{"type", kind}, {"name", *name}, {"description", *description}};
      if (sub) {
        const auto* nested = o.if_contains("options");
        opt["options"] = nested && !nested->is_null()
                             ? Options(*nested, at + ".options", kind == kSubCommandGroup ? 1 : 2)
                             : bj::array();
        if (kind == kSubCommandGroup && opt["options"].as_array().empty() && ok()) {
          Add(at + ".options", "BASE_TYPE_REQUIRED", "A subcommand group needs subcommands.");
        }
        out.push_back(std::move(opt));
        continue;
      }
      auto required = Bool(o, "required", at + ".required", false);
      if (!required) continue;
      if (*required && optional_seen) {
        Add(at + ".required", "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
            "Required options must be placed before non-required options");
      }
      optional_seen = optional_seen || !*required;
      opt["required"] = *required;
      const bool choosable = kind == kString || kind == kInteger || kind == kNumber;
      const auto* choices = o.if_contains("choices");
      auto autocomplete = Bool(o, "autocomplete", at + ".autocomplete", false);
      if (choices && !choices->is_null()) {
        if (!choosable) {
          Add(at + ".choices", "APPLICATION_COMMAND_OPTION_CHOICES_INVALID",
              "Only string, integer and number options have choices.");
        } else if (autocomplete && *autocomplete) {
          Add(at + ".autocomplete", "AUTOCOMPLETE_AND_CHOICES",
              "Autocomplete cannot be set with choices.");
        } else {
          opt["choices"] = Choices(*choices, at + ".choices", kind);
        }
      }
      if (autocomplete && *autocomplete) {
        if (!choosable) {
          Add(at + ".autocomplete", "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_INVALID",
              "Only string, integer and number options autocomplete.");
        }
        opt["autocomplete"] = true;
      }
      if (kind == kInteger || kind == kNumber) {
        Bound(o, opt, "min_value", at + ".min_value", kind);
        Bound(o, opt, "max_value", at + ".max_value", kind);
      }
      if (kind == kString) {
        Bound(o, opt, "min_length", at + ".min_length", kind);
        Bound(o, opt, "max_length", at + ".max_length", kind);
      }
      for (auto [low, high] :
           {std::pair{"min_value", "max_value"}, std::pair{"min_length", "max_length"}}) {
        const auto* lo = opt.if_contains(low);
        const auto* hi = opt.if_contains(high);
        if (lo && hi && lo->to_number<double>() > hi->to_number<double>()) {
          Add(at + "." + low, "NUMBER_TYPE_MAX", std::string(low) + " is above " + high + ".");
        }
      }
      if (kind == kChannel) {
        if (const auto* types = o.if_contains("channel_types"); types && !types->is_null()) {
          bj::array channel_types;
          if (!types->is_array()) {
            Add(at + ".channel_types", "BASE_TYPE_ARRAY", "Must be an array.");
          } else {
            for (const auto& t : types->as_array()) {
              if (auto n = Int(t, at + ".channel_types"); n && *n >= 0 && *n <= 16) {
                channel_types.push_back(*n);
              } else if (n) {
                Add(at + ".channel_types", "BASE_TYPE_CHOICES", "Not a channel type.");
              }
            }
          }
          opt["channel_types"] = std::move(channel_types);
        }
      }
      out.push_back(std::move(opt));
    }
    if (any_sub && any_plain && depth == 0) {
      Add(path, "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
          "Subcommands and subcommand groups cannot be mixed with other options.");
    }
    return out;
  }
};

std::string Field(const std::string& prefix, std::string_view name) {
  return prefix.empty() ? std::string(name) : prefix + "." + std::string(name);
}

}  // namespace

Result<ApplicationCommand> ParseCommand(const bj::object& body, const std::string& prefix) {
  Checker check;
  ApplicationCommand cmd;
  if (const auto* t = body.if_contains("type"); t && !t->is_null()) {
    auto type = check.Int(*t, Field(prefix, "type"));
    if (type && (*type < 1 || *type > 3)) {
      check.Add(Field(prefix, "type"), "BASE_TYPE_CHOICES", "Value must be one of 1, 2, 3.");
    } else if (type) {
      cmd.type = static_cast<CommandType>(*type);
    }
  }
  const bool chat = cmd.type == CommandType::kChatInput;
  if (auto name = check.String(body, "name", Field(prefix, "name"), 1, 32)) {
    if (chat && !IsChatInputName(*name)) {
      check.Add(Field(prefix, "name"), "APPLICATION_COMMAND_INVALID_NAME",
                "Command name is invalid");
    }
    cmd.name = std::move(*name);
  }
  if (chat) {
    if (auto d = check.String(body, "description", Field(prefix, "description"), 1, 100)) {
      cmd.description = std::move(*d);
    }
    if (const auto* o = body.if_contains("options"); o && !o->is_null()) {
      bj::array options = check.Options(*o, Field(prefix, "options"), 0);
      if (!options.empty()) cmd.options_json = bj::serialize(options);
    }
  } else {
    const auto* d = body.if_contains("description");
    if (d && !d->is_null() && !(d->is_string() && d->as_string().empty())) {
      check.Add(Field(prefix, "description"), "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION",
                "Context menu commands cannot have description");
    }
    const auto* o = body.if_contains("options");
    if (o && !o->is_null() && !(o->is_array() && o->as_array().empty())) {
      check.Add(Field(prefix, "options"), "APPLICATION_COMMAND_CONTEXT_MENU_OPTIONS",
                "Context menu commands cannot have options");
    }
  }
  if (const auto* p = body.if_contains("default_member_permissions"); p && !p->is_null()) {
    // A string of the bitset, as Discord sends it; some libraries send the number.
    std::optional<std::uint64_t> bits;
    if (p->is_string()) {
      auto parsed = ParseSnowflake(p->as_string());
      if (parsed || p->as_string() == "0") bits = parsed ? *parsed : 0;
    } else if (p->is_uint64() || (p->is_int64() && p->as_int64() >= 0)) {
      bits = p->to_number<std::uint64_t>();
    }
    if (!bits) {
      check.Add(Field(prefix, "default_member_permissions"), "PERMISSIONS_INVALID",
                "Invalid permissions.");
    }
    cmd.default_member_permissions = bits;
  }
  if (auto dm = check.Bool(body, "dm_permission", Field(prefix, "dm_permission"), true)) {
    cmd.dm_permission = *dm;
  }
  // Discord's interaction contexts (0 guilds, 1 the bot's DMs, 2 other DMs) and installation types
  // (0 guild, 1 user). Applications are installed to guilds only here: a command runs in guilds,
  // and a global one in the bot's DMs when its contexts name 1 (which then decides over
  // dm_permission, as on Discord).
  auto mask_of = [&](std::string_view key, std::int64_t max) -> std::optional<int> {
    const auto* v = body.if_contains(key);
    if (!v || v->is_null()) return std::nullopt;
    const auto* list = check.Array(*v, Field(prefix, key), 3);
    if (!list) return std::nullopt;
    int mask = 0;
    for (const auto& item : *list) {
      auto n = check.Int(item, Field(prefix, key));
      if (n && (*n < 0 || *n > max)) {
        check.Add(Field(prefix, key), "BASE_TYPE_CHOICES",
                  "Value must be one of 0 to " + std::to_string(max) + ".");
      } else if (n) {
        mask |= 1 << *n;
      }
    }
    return mask;
  };
  cmd.contexts = mask_of("contexts", 2);
  if (cmd.contexts) cmd.dm_permission = (*cmd.contexts >> kContextBotDm) & 1;
  cmd.integration_types = mask_of("integration_types", 1);
  if (auto nsfw = check.Bool(body, "nsfw", Field(prefix, "nsfw"), false)) cmd.nsfw = *nsfw;
  if (!check.ok()) return check.Fail();
  return cmd;
}

Result<ApplicationCommand> PatchCommand(const ApplicationCommand& current,
                                        const bj::object& patch) {
  bj::object merged = CommandJson(current);
  // The current contexts come from dm_permission: a patch of dm_permission alone decides.
  if (patch.contains("dm_permission") && !patch.contains("contexts")) merged.erase("contexts");
  for (std::string_view key : {"name", "description", "options", "default_member_permissions",
                               "dm_permission", "nsfw", "contexts", "integration_types"}) {
    if (const auto* v = patch.if_contains(key)) merged[key] = *v;
  }
  merged["type"] = static_cast<int>(current.type);  // a command's type never changes
  auto cmd = ParseCommand(merged);
  if (!cmd) return cmd.error();
  cmd->id = current.id;
  cmd->application_id = current.application_id;
  cmd->guild_id = current.guild_id;
  cmd->version = current.version;
  return cmd;
}

bj::object CommandJson(const ApplicationCommand& c) {
  bj::object o;
  o["id"] = ToString(c.id);
  o["application_id"] = ToString(c.application_id);
  if (c.guild_id) o["guild_id"] = ToString(*c.guild_id);
  o["type"] = static_cast<int>(c.type);
  o["name"] = c.name;
  o["name_localizations"] = nullptr;
  o["description"] = c.description;
  o["description_localizations"] = nullptr;
  if (!c.options_json.empty()) {
    boost::system::error_code ec;
    bj::value options = bj::parse(c.options_json, ec);
    if (!ec && options.is_array()) o["options"] = std::move(options);
  }
  o["default_member_permissions"] = c.default_member_permissions
                                        ? bj::value(std::to_string(*c.default_member_permissions))
                                        : bj::value(nullptr);
  auto list_of = [](int mask) {
    bj::array a;
    for (int i = 0; i < 3; ++i) {
      if ((mask >> i) & 1) a.push_back(i);
    }
    return a;
  };
  if (!c.guild_id) o["dm_permission"] = c.dm_permission;
  if (c.contexts) {
    o["contexts"] = list_of(*c.contexts);
  } else if (!c.guild_id) {
    o["contexts"] = list_of(c.dm_permission ? 0b11 : 0b01);
  }
  if (c.integration_types) {
    o["integration_types"] = list_of(*c.integration_types);
  } else if (!c.guild_id) {
    o["integration_types"] = bj::array{0};
  }
  o["nsfw"] = c.nsfw;
  o["version"] = ToString(c.version);
  return o;
}

}  // namespace chat::domain::json

namespace chat::domain::json {
namespace {

Error BadOption(const std::string& path, std::string message) {
  return Error::Validation("Invalid Form Body",
                           {{path, "APPLICATION_COMMAND_OPTION_INVALID", std::move(message)}});
}

const bj::value* Find(const bj::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && !v->is_null() ? v : nullptr;
}

// One given value against its declared option (type 3–10).
Result<bj::value> CheckValue(const bj::object& declared, const bj::value& value,
                             const std::string& path, OptionTargets& targets) {
  const std::int64_t type = declared.at("type").as_int64();
  auto in_choices = [&](const bj::value& v) {
    const auto* choices = Find(declared, "choices");
    if (!choices) return true;
    for (const auto& c : choices->as_array()) {
      const auto& cv = c.as_object().at("value");
      if (cv == v ||
          (cv.is_number() && v.is_number() && cv.to_number<double>() == v.to_number<double>())) {
        return true;
      }
    }
    return false;
  };
  auto bound = [&](std::string_view key) -> std::optional<double> {
    const auto* b = Find(declared, key);
    return b ? std::optional<double>(b->to_number<double>()) : std::nullopt;
  };
  switch (type) {
    case kString: {
      if (!value.is_string()) return BadOption(path, "Expected a string.");
      const std::size_t n = CodePoints(value.as_string());
      if (auto min = bound("min_length"); min && static_cast<double>(n) < *min) {
        return BadOption(path, "Too short.");
      }
      if (auto max = bound("max_length"); (max && static_cast<double>(n) > *max) || n > 6000) {
        return BadOption(path, "Too long.");
      }
      if (!in_choices(value)) return BadOption(path, "Not one of the choices.");
      return value;
    }
    case kInteger:
    case kNumber: {
      const bool integer = value.is_int64() || value.is_uint64();
      if (type == kInteger ? !integer : !value.is_number()) {
        return BadOption(path, type == kInteger ? "Expected an integer." : "Expected a number.");
      }
      const double d = value.to_number<double>();
      if (std::abs(d) > kMaxSafeInteger) return BadOption(path, "Out of range.");
      if (auto min = bound("min_value"); min && d < *min) return BadOption(path, "Too small.");
      if (auto max = bound("max_value"); max && d > *max) return BadOption(path, "Too large.");
      if (!in_choices(value)) return BadOption(path, "Not one of the choices.");
      return value;
    }
    case kBoolean:
      if (!value.is_bool()) return BadOption(path, "Expected true or false.");
      return value;
    case kAttachment:
      return BadOption(path, "Attachment options are not supported by this server.");
    default: {  // USER, CHANNEL, ROLE, MENTIONABLE: an id
      std::optional<Snowflake> id;
      if (value.is_string()) id = ParseSnowflake(value.as_string());
      if (!id) return BadOption(path, "Expected an id.");
      auto& list = type == 6   ? targets.users
                   : type == 7 ? targets.channels
                   : type == 8 ? targets.roles
                               : targets.mentionables;
      list.push_back(*id);
      if (const auto* kinds = Find(declared, "channel_types"); type == kChannel && kinds) {
        std::vector<int> allowed;
        for (const auto& k : kinds->as_array()) allowed.push_back(static_cast<int>(k.as_int64()));
        if (!allowed.empty()) targets.channel_types.emplace_back(*id, std::move(allowed));
      }
      return bj::value(ToString(*id));
    }
  }
}

// An autocomplete request's options are what the user has typed so far: required ones may be
// missing, and exactly one, `focused`, holds the text being typed for an option that
// autocompletes.
struct Partial {
  bool enabled = false;
  int focused = 0;
};

// Given options at one level against the declared ones (non-subcommand options only).
Result<bj::array> CheckLevel(const bj::array& declared, const bj::value* given,
                             const std::string& path, OptionTargets& targets, Partial& partial) {
  bj::array out;
  std::set<std::string> seen;
  if (given) {
    if (!given->is_array()) return BadOption(path, "Must be an array.");
    std::size_t i = 0;
    for (const auto& g : given->as_array()) {
      const std::string at = path + "." + std::to_string(i++);
      if (!g.is_object() || !Find(g.as_object(), "name") || !g.as_object().at("name").is_string()) {
        return BadOption(at, "An option needs a name.");
      }
      const std::string name(g.as_object().at("name").as_string());
      const bj::object* decl = nullptr;
      for (const auto& d : declared) {
        if (d.as_object().at("name").as_string() == name) decl = &d.as_object();
      }
      if (!decl) return BadOption(at, "Unknown option " + name + ".");
      if (!seen.insert(name).second) return BadOption(at, "Option " + name + " given twice.");
      const auto* type = Find(g.as_object(), "type");
      if (type && !(type->is_int64() && type->as_int64() == decl->at("type").as_int64())) {
        return BadOption(at + ".type", "Not the option's type.");
      }
      const auto* value = Find(g.as_object(), "value");
      if (!value) return BadOption(at + ".value", "A value is required.");
      const auto* focused = Find(g.as_object(), "focused");
      if (focused && focused->is_bool() && focused->as_bool()) {
        const auto* completes = decl->if_contains("autocomplete");
        if (!partial.enabled || !completes || !completes->is_bool() || !completes->as_bool()) {
          return BadOption(at + ".focused", "This option does not autocomplete.");
        }
        // The text typed so far, whatever the option's type.
        if (!value->is_string() && !value->is_number()) {
          return BadOption(at + ".value", "Expected the text typed so far.");
        }
        ++partial.focused;
        out.push_back(bj::object{
            {"type", decl->at("type")}, {"name", name}, {"value", *value}, {"focused", true}});
        continue;
      }
      auto checked = CheckValue(*decl, *value, at + ".value", targets);
      if (!checked) return checked.error();
      out.push_back(bj::object{{"type", decl->at("type")}, {"name", name}, {"value", *checked}});
    }
  }
  for (const auto& d : declared) {
    const auto& o = d.as_object();
    const auto* required = o.if_contains("required");
    if (!partial.enabled && required && required->is_bool() && required->as_bool() &&
        !seen.count(std::string(o.at("name").as_string()))) {
      return BadOption(path, "Option " + std::string(o.at("name").as_string()) + " is required.");
    }
  }
  return out;
}

bool IsSub(const bj::value& declared) {
  const auto t = declared.as_object().at("type").as_int64();
  return t == kSubCommand || t == kSubCommandGroup;
}

// Exactly one given subcommand (or group) of `declared`, checked down to its options.
Result<bj::array> CheckSub(const bj::array& declared, const bj::value* given,
                           const std::string& path, OptionTargets& targets, Partial& partial) {
  if (!given || !given->is_array() || given->as_array().size() != 1 ||
      !given->as_array()[0].is_object()) {
    return BadOption(path, "Choose one subcommand.");
  }
  const auto& g = given->as_array()[0].as_object();
  const auto* name = Find(g, "name");
  if (!name || !name->is_string()) return BadOption(path + ".0", "A subcommand needs a name.");
  for (const auto& d : declared) {
    const auto& o = d.as_object();
    if (o.at("name").as_string() != name->as_string()) continue;
    const auto* nested_declared = o.if_contains("options");
    const bj::array none;
    const bj::array& inner =
        nested_declared && nested_declared->is_array() ? nested_declared->as_array() : none;
    Result<bj::array> nested =
        o.at("type").as_int64() == kSubCommandGroup
            ? CheckSub(inner, Find(g, "options"), path + ".0.options", targets, partial)
            : CheckLevel(inner, Find(g, "options"), path + ".0.options", targets, partial);
    if (!nested) return nested.error();
    return bj::array{
        bj::object{{"type", o.at("type")}, {"name", o.at("name")}, {"options", *nested}}};
  }
  return BadOption(path + ".0", "Unknown subcommand " + std::string(name->as_string()) + ".");
}

}  // namespace

Result<bj::array> CheckInvocationOptions(const ApplicationCommand& command, const bj::value* given,
                                         OptionTargets& targets, bool autocomplete) {
  if (given && given->is_null()) given = nullptr;
  if (command.type != CommandType::kChatInput) {
    if (given && !(given->is_array() && given->as_array().empty())) {
      return BadOption("options", "Context menu commands take no options.");
    }
    return bj::array();
  }
  bj::array declared;
  if (!command.options_json.empty()) {
    boost::system::error_code ec;
    bj::value parsed = bj::parse(command.options_json, ec);
    if (ec || !parsed.is_array()) return Error::Internal("stored command options unreadable");
    declared = std::move(parsed.as_array());
  }
  Partial partial{autocomplete, 0};
  auto checked = !declared.empty() && IsSub(declared.front())
                     ? CheckSub(declared, given, "options", targets, partial)
                     : CheckLevel(declared, given, "options", targets, partial);
  if (checked && autocomplete && partial.focused != 1) {
    return BadOption("options", "Exactly one option is focused.");
  }
  return checked;
}

}  // namespace chat::domain::json
