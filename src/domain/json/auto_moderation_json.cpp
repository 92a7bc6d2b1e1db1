#include "domain/json/auto_moderation_json.hpp"

#include <algorithm>
#include <string>

#include <boost/json.hpp>

#include "domain/json/field_checker.hpp"

namespace chat::domain::json {
namespace json = boost::json;

namespace {

constexpr std::size_t kMaxNameLength = 100;
constexpr std::size_t kMaxKeywords = 1000;
constexpr std::size_t kMaxKeywordLength = 60;
constexpr std::size_t kMaxRegexPatterns = 10;
constexpr std::size_t kMaxRegexLength = 260;
constexpr std::size_t kMaxAllowList = 100;
constexpr std::int64_t kMaxMentionLimit = 50;
constexpr std::size_t kMaxActions = 5;
constexpr std::size_t kMaxCustomMessage = 150;
constexpr std::int64_t kMaxTimeoutSeconds = 2419200;  // 4 weeks
constexpr std::size_t kMaxExemptRoles = 20;
constexpr std::size_t kMaxExemptChannels = 50;

bool Supported(int trigger_type) {
  return trigger_type == static_cast<int>(AutoModTrigger::kKeyword) ||
         trigger_type == static_cast<int>(AutoModTrigger::kMentionSpam);
}

// A list of strings of 1–`max_length` code points, at most `max` of them.
std::optional<json::array> Strings(FieldChecker& fc, const json::object& o, std::string_view key,
                                   const std::string& path, std::size_t max,
                                   std::size_t max_length) {
  json::array out;
  const auto* raw = o.if_contains(key);
  if (!raw || raw->is_null()) return out;
  const auto* items = fc.Array(*raw, path, max);
  if (!items) return std::nullopt;
  bool ok = true;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const auto& v = (*items)[i];
    const std::string at = path + "." + std::to_string(i);
    if (!v.is_string()) {
      fc.Add(at, "BASE_TYPE_STRING", "Could not interpret value as string.");
      ok = false;
      continue;
    }
    const std::size_t n = CodePoints(v.as_string());
    if (n < 1 || n > max_length) {
      fc.Add(at, "BASE_TYPE_BAD_LENGTH",
             "Must be between 1 and " + std::to_string(max_length) + " in length.");
      ok = false;
      continue;
    }
    out.push_back(v);
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<json::object> TriggerMetadata(FieldChecker& fc, const json::value* raw,
                                            int trigger_type) {
  static const json::object kEmpty;
  const json::object* o = &kEmpty;
  if (raw && !raw->is_null()) {
    o = fc.Object(*raw, "trigger_metadata");
    if (!o) return std::nullopt;
  }
  json::object out;
  if (trigger_type == static_cast<int>(AutoModTrigger::kKeyword)) {
    auto keywords = Strings(fc, *o, "keyword_filter", "trigger_metadata.keyword_filter",
                            kMaxKeywords, kMaxKeywordLength);
    auto patterns = Strings(fc, *o, "regex_patterns", "trigger_metadata.regex_patterns",
                            kMaxRegexPatterns, kMaxRegexLength);
    auto allow = Strings(fc, *o, "allow_list", "trigger_metadata.allow_list", kMaxAllowList,
                         kMaxKeywordLength);
    if (!keywords || !patterns || !allow) return std::nullopt;
    for (std::size_t i = 0; i < patterns->size(); ++i) {
      if (!ValidRegex(std::string((*patterns)[i].as_string()))) {
        fc.Add("trigger_metadata.regex_patterns." + std::to_string(i),
               "AUTO_MODERATION_INVALID_REGEX", "Invalid regex pattern.");
        return std::nullopt;
      }
    }
    if (keywords->empty() && patterns->empty()) {
      fc.Add("trigger_metadata", "AUTO_MODERATION_TRIGGER_METADATA_REQUIRED",
             "A keyword rule needs keyword_filter or regex_patterns.");
      return std::nullopt;
    }
    out["keyword_filter"] = std::move(*keywords);
    out["regex_patterns"] = std::move(*patterns);
    out["allow_list"] = std::move(*allow);
    return out;
  }
  // MENTION_SPAM
  const auto* limit = o->if_contains("mention_total_limit");
  if (!limit || limit->is_null()) {
    fc.Add("trigger_metadata.mention_total_limit", "BASE_TYPE_REQUIRED", "This field is required");
    return std::nullopt;
  }
  auto n = fc.IntIn(*o, "mention_total_limit", "trigger_metadata.mention_total_limit", 1,
                    kMaxMentionLimit, 0);
  auto raid = fc.Bool(*o, "mention_raid_protection_enabled",
                      "trigger_metadata.mention_raid_protection_enabled", false);
  if (!n || !raid) return std::nullopt;
  out["mention_total_limit"] = *n;
  out["mention_raid_protection_enabled"] = *raid;
  return out;
}

std::optional<json::array> Actions(FieldChecker& fc, const json::value& raw, int trigger_type) {
  const auto* items = fc.Array(raw, "actions", kMaxActions);
  if (!items) return std::nullopt;
  if (items->empty()) {
    fc.Add("actions", "BASE_TYPE_MIN_LENGTH", "Must be 1 or more in length.");
    return std::nullopt;
  }
  json::array out;
  bool ok = true;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const std::string at = "actions." + std::to_string(i);
    const auto* a = fc.Object((*items)[i], at);
    if (!a) {
      ok = false;
      continue;
    }
    const auto* type_raw = a->if_contains("type");
    std::optional<std::int64_t> type;
    if (!type_raw || type_raw->is_null()) {
      fc.Add(at + ".type", "BASE_TYPE_REQUIRED", "This field is required");
    } else {
      type = fc.Int(*type_raw, at + ".type");
    }
    if (type && (*type < 1 || *type > 4)) {
      fc.Add(at + ".type", "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3}.");
      type.reset();
    }
    if (!type) {
      ok = false;
      continue;
    }
    static const json::object kNone;
    const json::object* meta = &kNone;
    if (const auto* m = a->if_contains("metadata"); m && !m->is_null()) {
      meta = fc.Object(*m, at + ".metadata");
      if (!meta) {
        ok = false;
        continue;
      }
    }
    json::object metadata;
    switch (static_cast<AutoModActionType>(*type)) {
      case AutoModActionType::kBlockMessage: {
        auto msg = fc.String(*meta, "custom_message", at + ".metadata.custom_message", 0,
                             kMaxCustomMessage);
        if (!msg) {
          ok = false;
          continue;
        }
        if (!msg->empty()) metadata["custom_message"] = *msg;
        break;
      }
      case AutoModActionType::kSendAlertMessage: {
        const auto* ch = meta->if_contains("channel_id");
        std::optional<Snowflake> id;
        if (ch && !ch->is_null()) id = IdOf(*ch);
        if (!id) {
          fc.Add(at + ".metadata.channel_id",
                 ch && !ch->is_null() ? "NUMBER_TYPE_COERCE" : "BASE_TYPE_REQUIRED",
                 ch && !ch->is_null() ? "Value is not snowflake." : "This field is required");
          ok = false;
          continue;
        }
        metadata["channel_id"] = ToString(*id);
        break;
      }
      case AutoModActionType::kTimeout: {
        if (trigger_type != static_cast<int>(AutoModTrigger::kKeyword) &&
            trigger_type != static_cast<int>(AutoModTrigger::kMentionSpam)) {
          fc.Add(at + ".type", "AUTO_MODERATION_INVALID_ACTION_FOR_TRIGGER_TYPE",
                 "A timeout is only for keyword and mention spam rules.");
          ok = false;
          continue;
        }
        const auto* d = meta->if_contains("duration_seconds");
        if (!d || d->is_null()) {
          fc.Add(at + ".metadata.duration_seconds", "BASE_TYPE_REQUIRED", "This field is required");
          ok = false;
          continue;
        }
        auto seconds = fc.IntIn(*meta, "duration_seconds", at + ".metadata.duration_seconds", 1,
                                kMaxTimeoutSeconds, 0);
        if (!seconds) {
          ok = false;
          continue;
        }
        metadata["duration_seconds"] = *seconds;
        break;
      }
      default:
        // BLOCK_MEMBER_INTERACTION belongs to MEMBER_PROFILE rules, which this server does not run.
        fc.Add(at + ".type", "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3}.");
        ok = false;
        continue;
    }
    out.push_back(json::object{{"type", *type}, {"metadata", std::move(metadata)}});
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<std::vector<Snowflake>> Ids(FieldChecker& fc, const json::value& raw,
                                          const std::string& path, std::size_t max) {
  const auto* items = fc.Array(raw, path, max);
  if (!items) return std::nullopt;
  std::vector<Snowflake> out;
  for (std::size_t i = 0; i < items->size(); ++i) {
    auto id = IdOf((*items)[i]);
    if (!id) {
      fc.Add(path + "." + std::to_string(i), "NUMBER_TYPE_COERCE", "Value is not snowflake.");
      return std::nullopt;
    }
    if (std::find(out.begin(), out.end(), *id) == out.end()) out.push_back(*id);
  }
  return out;
}

json::array IdArray(const std::vector<Snowflake>& ids) {
  json::array out;
  for (Snowflake id : ids) out.push_back(json::string(ToString(id)));
  return out;
}

std::vector<std::string> StringsOf(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  const auto* a = o.if_contains(key);
  if (!a || !a->is_array()) return out;
  for (const auto& v : a->as_array()) {
    if (v.is_string()) out.emplace_back(v.as_string());
  }
  return out;
}

std::optional<json::object> StoredObject(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

}  // namespace

std::size_t MaxAutoModRules(int trigger_type) {
  return trigger_type == static_cast<int>(AutoModTrigger::kKeyword) ? 6 : 1;
}

Result<void> ApplyAutoModRuleBody(const json::object& body, bool create, AutoModRule& rule) {
  FieldChecker fc;
  if (create || body.contains("name")) {
    if (auto name = fc.String(body, "name", "name", 1, kMaxNameLength)) rule.name = *name;
  }
  if (create || body.contains("event_type")) {
    auto event = fc.IntIn(body, "event_type", "event_type", 1, 2, 0);
    if (create && (!body.contains("event_type") || body.at("event_type").is_null())) {
      fc.Add("event_type", "BASE_TYPE_REQUIRED", "This field is required");
    } else if (event && *event != kAutoModEventMessageSend) {
      // MEMBER_UPDATE goes with MEMBER_PROFILE rules, which this server does not run.
      fc.Add("event_type", "AUTO_MODERATION_INVALID_EVENT_TYPE",
             "Only MESSAGE_SEND (1) is supported.");
    } else if (event) {
      rule.event_type = static_cast<int>(*event);
    }
  }
  if (create) {
    bool type_ok = false;
    const auto* t = body.if_contains("trigger_type");
    std::optional<std::int64_t> type;
    if (!t || t->is_null()) {
      fc.Add("trigger_type", "BASE_TYPE_REQUIRED", "This field is required");
    } else {
      type = fc.Int(*t, "trigger_type");
    }
    if (type && (*type == 3 || *type == 4 || *type == 6)) {
      fc.Add("trigger_type", "AUTO_MODERATION_TRIGGER_TYPE_NOT_SUPPORTED",
             "This server runs KEYWORD (1) and MENTION_SPAM (5) rules only.");
    } else if (type && !Supported(static_cast<int>(*type))) {
      fc.Add("trigger_type", "BASE_TYPE_CHOICES", "Value must be one of {1, 3, 4, 5, 6}.");
    } else if (type) {
      rule.trigger_type = static_cast<int>(*type);
      type_ok = true;
    }
    if (!type_ok) {
      // Trigger metadata and actions are read by the trigger type: without one, only their
      // absence can be named.
      if (const auto* a = body.if_contains("actions"); !a || a->is_null()) {
        fc.Add("actions", "BASE_TYPE_REQUIRED", "This field is required");
      }
      return fc.Fail();
    }
  } else if (const auto* t = body.if_contains("trigger_type"); t && !t->is_null()) {
    if (!(t->is_int64() && t->as_int64() == rule.trigger_type)) {
      fc.Add("trigger_type", "AUTO_MODERATION_TRIGGER_TYPE_IMMUTABLE",
             "A rule's trigger type cannot change.");
    }
  }
  if (create || body.contains("trigger_metadata")) {
    if (auto meta = TriggerMetadata(fc, body.if_contains("trigger_metadata"), rule.trigger_type)) {
      rule.trigger_metadata_json = json::serialize(*meta);
    }
  }
  if (const auto* a = body.if_contains("actions"); a && !a->is_null()) {
    if (auto actions = Actions(fc, *a, rule.trigger_type)) {
      rule.actions_json = json::serialize(*actions);
    }
  } else if (create) {
    fc.Add("actions", "BASE_TYPE_REQUIRED", "This field is required");
  }
  if (create || body.contains("enabled")) {
    if (auto enabled = fc.Bool(body, "enabled", "enabled", create ? false : rule.enabled)) {
      rule.enabled = *enabled;
    }
  }
  if (const auto* r = body.if_contains("exempt_roles"); r && !r->is_null()) {
    if (auto ids = Ids(fc, *r, "exempt_roles", kMaxExemptRoles)) rule.exempt_roles = *ids;
  }
  if (const auto* c = body.if_contains("exempt_channels"); c && !c->is_null()) {
    if (auto ids = Ids(fc, *c, "exempt_channels", kMaxExemptChannels)) rule.exempt_channels = *ids;
  }
  if (!fc.ok()) return fc.Fail();
  return {};
}

json::object AutoModRuleJson(const AutoModRule& rule) {
  json::object meta = StoredObject(rule.trigger_metadata_json).value_or(json::object());
  json::array actions;
  for (const auto& a : AutoModActionsOf(rule)) actions.push_back(AutoModActionJson(a));
  return {{"id", ToString(rule.id)},
          {"guild_id", ToString(rule.guild_id)},
          {"name", rule.name},
          {"creator_id", ToString(rule.creator_id)},
          {"event_type", rule.event_type},
          {"trigger_type", rule.trigger_type},
          {"trigger_metadata", std::move(meta)},
          {"actions", std::move(actions)},
          {"enabled", rule.enabled},
          {"exempt_roles", IdArray(rule.exempt_roles)},
          {"exempt_channels", IdArray(rule.exempt_channels)}};
}

json::object AutoModActionJson(const AutoModAction& a) {
  json::object metadata;
  switch (a.type) {
    case AutoModActionType::kBlockMessage:
      if (!a.custom_message.empty()) metadata["custom_message"] = a.custom_message;
      break;
    case AutoModActionType::kSendAlertMessage:
      metadata["channel_id"] = ToString(a.channel_id);
      break;
    case AutoModActionType::kTimeout:
      metadata["duration_seconds"] = a.duration_seconds;
      break;
    case AutoModActionType::kBlockMemberInteraction:
      break;
  }
  return {{"type", static_cast<int>(a.type)}, {"metadata", std::move(metadata)}};
}

std::vector<AutoModAction> AutoModActionsOf(const AutoModRule& rule) {
  std::vector<AutoModAction> out;
  boost::system::error_code ec;
  auto v = json::parse(rule.actions_json, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& item : v.as_array()) {
    if (!item.is_object()) continue;
    const auto& o = item.as_object();
    const auto* type = o.if_contains("type");
    if (!type || !type->is_int64() || type->as_int64() < 1 || type->as_int64() > 4) continue;
    static const json::object kNone;
    const auto* m = o.if_contains("metadata");
    const json::object& meta = m && m->is_object() ? m->as_object() : kNone;
    AutoModAction a;
    a.type = static_cast<AutoModActionType>(type->as_int64());
    switch (a.type) {
      case AutoModActionType::kBlockMessage:
        if (const auto* s = meta.if_contains("custom_message"); s && s->is_string()) {
          a.custom_message = std::string(s->as_string());
        }
        break;
      case AutoModActionType::kSendAlertMessage: {
        const auto* c = meta.if_contains("channel_id");
        auto id = c ? IdOf(*c) : std::nullopt;
        if (!id) continue;
        a.channel_id = *id;
        break;
      }
      case AutoModActionType::kTimeout: {
        const auto* d = meta.if_contains("duration_seconds");
        if (!d || !d->is_int64() || d->as_int64() < 1 || d->as_int64() > kMaxTimeoutSeconds)
          continue;
        a.duration_seconds = d->as_int64();
        break;
      }
      default:
        continue;
    }
    out.push_back(std::move(a));
  }
  return out;
}

std::unique_ptr<AutoModMatcher> AutoModMatcherOf(const AutoModRule& rule) {
  auto meta = StoredObject(rule.trigger_metadata_json);
  if (!meta) return nullptr;
  if (rule.trigger_type == static_cast<int>(AutoModTrigger::kKeyword)) {
    return CompileKeywordRule(StringsOf(*meta, "keyword_filter"),
                              StringsOf(*meta, "regex_patterns"), StringsOf(*meta, "allow_list"));
  }
  if (rule.trigger_type == static_cast<int>(AutoModTrigger::kMentionSpam)) {
    const auto* limit = meta->if_contains("mention_total_limit");
    if (!limit || !limit->is_int64() || limit->as_int64() < 1) return nullptr;
    return CompileMentionSpamRule(static_cast<int>(limit->as_int64()));
  }
  return nullptr;
}

}  // namespace chat::domain::json
