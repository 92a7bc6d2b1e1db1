#include "domain/json/forum_json.hpp"

#include <algorithm>
#include <set>
#include <string_view>
#include <utility>

#include <boost/json.hpp>

#include "domain/channel.hpp"
#include "domain/json/field_checker.hpp"

namespace chat::domain::json {
namespace {
namespace bj = boost::json;

constexpr std::string_view kKeys[] = {"available_tags", "default_reaction_emoji",
                                      "default_thread_rate_limit_per_user", "default_sort_order",
                                      "default_forum_layout"};

bj::object Defaults() {
  return bj::object{{"available_tags", bj::array()},
                    {"default_reaction_emoji", nullptr},
                    {"default_thread_rate_limit_per_user", 0},
                    {"default_sort_order", nullptr},
                    {"default_forum_layout", 0}};
}

// The stored settings over the defaults; a row that does not parse shows the defaults.
bj::object Stored(const std::optional<std::string>& settings) {
  bj::object out = Defaults();
  if (!settings) return out;
  boost::system::error_code ec;
  bj::value v = bj::parse(*settings, ec);
  if (ec || !v.is_object()) return out;
  for (std::string_view key : kKeys) {
    const auto* value = v.as_object().if_contains(key);
    if (value && (key != "available_tags" || value->is_array())) out[key] = *value;
  }
  return out;
}

// A stored tag's id and whether it is moderated.
std::optional<ForumTag> TagOf(const bj::value& tag) {
  const auto* t = tag.if_object();
  const auto* id = t ? t->if_contains("id") : nullptr;
  auto parsed = id && id->is_string() ? ParseSnowflake(id->as_string()) : std::nullopt;
  if (!parsed) return std::nullopt;
  const auto* moderated = t->if_contains("moderated");
  return ForumTag{*parsed, moderated && moderated->is_bool() && moderated->as_bool()};
}

// {emoji_id, emoji_name}: a custom emoji's id or a unicode emoji, either may be null.
std::optional<bj::object> Emoji(FieldChecker& check, const bj::object& o, const std::string& path) {
  bj::object out{{"emoji_id", nullptr}, {"emoji_name", nullptr}};
  if (const auto* id = o.if_contains("emoji_id"); id && !id->is_null()) {
    auto parsed = IdOf(*id);
    if (!parsed) {
      check.Add(path + ".emoji_id", "NUMBER_TYPE_COERCE", "Value is not snowflake.");
      return std::nullopt;
    }
    out["emoji_id"] = ToString(*parsed);
  }
  auto name = check.String(o, "emoji_name", path + ".emoji_name", 0, 32);
  if (!name) return std::nullopt;
  if (!name->empty()) out["emoji_name"] = *name;
  return out;
}

}  // namespace

Result<std::optional<std::string>> ParseForumSettings(const bj::object& body,
                                                      const std::optional<std::string>& current,
                                                      const std::function<Snowflake()>& next_id) {
  const bool any = std::any_of(std::begin(kKeys), std::end(kKeys),
                               [&](std::string_view k) { return body.contains(k); });
  if (!any && current) return std::optional<std::string>();
  bj::object settings = Stored(current);
  FieldChecker check;
  if (const auto* raw = body.if_contains("available_tags"); raw && !raw->is_null()) {
    std::set<Snowflake> known;
    for (const auto& tag : settings["available_tags"].as_array()) {
      if (auto t = TagOf(tag)) known.insert(t->id);
    }
    if (!raw->is_array() || raw->as_array().size() > kMaxForumTags) {
      check.Add("available_tags", "BASE_TYPE_MAX_LENGTH", "Must be 20 or fewer in length.");
    } else {
      bj::array tags;
      std::set<std::string> names;
      std::size_t i = 0;
      for (const auto& item : raw->as_array()) {
        const std::string at = "available_tags." + std::to_string(i++);
        if (!item.is_object()) {
          check.Add(at, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
          continue;
        }
        const auto& t = item.as_object();
        auto name = check.String(t, "name", at + ".name", 1, 20);
        auto moderated = check.Bool(t, "moderated", at + ".moderated", false);
        auto emoji = Emoji(check, t, at);
        if (!name || !moderated || !emoji) continue;
        if (!names.insert(*name).second) {
          check.Add(at + ".name", "TAG_NAME_DUPLICATED", "Tag names must be unique.");
          continue;
        }
        std::optional<Snowflake> id;
        if (const auto* given = t.if_contains("id"); given && !given->is_null()) {
          id = IdOf(*given);
        }
        bj::object built{{"id", ToString(id && known.count(*id) ? *id : next_id())},
                         {"name", *name},
                         {"moderated", *moderated}};
        built["emoji_id"] = emoji->at("emoji_id");
        built["emoji_name"] = emoji->at("emoji_name");
        tags.push_back(std::move(built));
      }
      settings["available_tags"] = std::move(tags);
    }
  } else if (raw) {
    settings["available_tags"] = bj::array();
  }
  if (const auto* raw = body.if_contains("default_reaction_emoji")) {
    if (raw->is_null()) {
      settings["default_reaction_emoji"] = nullptr;
    } else if (!raw->is_object()) {
      check.Add("default_reaction_emoji", "MODEL_TYPE_CONVERT",
                "Only dictionaries may be used in a ModelType");
    } else if (auto emoji = Emoji(check, raw->as_object(), "default_reaction_emoji")) {
      const bool none = emoji->at("emoji_id").is_null() && emoji->at("emoji_name").is_null();
      settings["default_reaction_emoji"] = none ? bj::value(nullptr) : bj::value(*emoji);
    }
  }
  if (auto n = check.IntIn(body, "default_thread_rate_limit_per_user",
                           "default_thread_rate_limit_per_user", 0, 21600, -1);
      n && *n >= 0) {
    settings["default_thread_rate_limit_per_user"] = *n;
  }
  if (const auto* raw = body.if_contains("default_sort_order")) {
    if (raw->is_null()) {
      settings["default_sort_order"] = nullptr;
    } else if (auto n = check.IntIn(body, "default_sort_order", "default_sort_order", 0, 1, 0)) {
      settings["default_sort_order"] = *n;
    }
  }
  if (auto n = check.IntIn(body, "default_forum_layout", "default_forum_layout", 0, 2, -1);
      n && *n >= 0) {
    settings["default_forum_layout"] = *n;
  }
  if (!check.ok()) return check.Fail();
  return std::optional<std::string>(bj::serialize(settings));
}

void WriteForumFields(const std::optional<std::string>& settings, bj::object& channel) {
  for (auto& [key, value] : Stored(settings)) channel[key] = std::move(value);
}

int DefaultThreadRateLimit(const std::optional<std::string>& settings) {
  const bj::object stored = Stored(settings);
  const auto& v = stored.at("default_thread_rate_limit_per_user");
  return v.is_int64() ? static_cast<int>(v.as_int64()) : 0;
}

std::vector<ForumTag> ForumTags(const std::optional<std::string>& settings) {
  std::vector<ForumTag> out;
  const bj::object stored = Stored(settings);  // outlives the loop over its tags
  for (const auto& tag : stored.at("available_tags").as_array()) {
    if (auto t = TagOf(tag)) out.push_back(*t);
  }
  return out;
}

}  // namespace chat::domain::json
