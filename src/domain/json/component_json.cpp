#include "domain/json/component_json.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include <boost/json.hpp>

#include "domain/json/field_checker.hpp"
#include "domain/snowflake.hpp"

namespace chat::domain::json {
namespace {
namespace bj = boost::json;

constexpr std::size_t kMaxRows = 5;
constexpr std::size_t kMaxButtonsPerRow = 5;
constexpr std::size_t kMaxSelectOptions = 25;
constexpr std::int64_t kMaxSelectValues = 25;
constexpr std::size_t kMaxTextInput = 4000;
constexpr int kLinkStyle = 5;

bool IsSelect(std::int64_t type) {
  return type == kStringSelect || (type >= kUserSelect && type <= kChannelSelect);
}

// Where a link button may lead: the web, or Discord's own scheme.
bool IsLinkUrl(std::string_view url) {
  for (std::string_view scheme : {"https://", "http://", "discord://"}) {
    if (url.substr(0, scheme.size()) == scheme && url.size() > scheme.size()) return true;
  }
  return false;
}

// Which default_values `type` an auto-populated select takes.
bool DefaultFits(std::int64_t select, std::string_view type) {
  switch (select) {
    case kUserSelect:
      return type == "user";
    case kRoleSelect:
      return type == "role";
    case kMentionableSelect:
      return type == "user" || type == "role";
    case kChannelSelect:
      return type == "channel";
    default:
      return false;
  }
}

class ComponentReader : public FieldChecker {
 public:
  ParsedComponents Rows(const bj::value& raw) {
    ParsedComponents out;
    const std::string path = "components";
    const bj::array* rows = Array(raw, path, kMaxRows);
    if (!rows) return out;
    std::size_t i = 0;
    for (const auto& row : *rows) {
      const std::string at = path + "." + std::to_string(i++);
      const auto* o = Object(row, at);
      if (!o) continue;
      if (!TypeIs(*o, at, kActionRow)) continue;
      const auto* children = o->if_contains("components");
      if (!children || !children->is_array() || children->as_array().empty()) {
        Add(at + ".components", "BASE_TYPE_REQUIRED", "An action row needs its components.");
        continue;
      }
      bj::array built;
      const auto& list = children->as_array();
      std::size_t j = 0;
      for (const auto& child : list) {
        const std::string cat = at + ".components." + std::to_string(j++);
        const auto* c = Object(child, cat);
        if (!c) continue;
        const auto* type = c->if_contains("type");
        auto t = type ? Int(*type, cat + ".type") : std::nullopt;
        if (!t) continue;
        if (*t == kButton) {
          if (list.size() > kMaxButtonsPerRow) {
            Add(at + ".components", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.");
            break;
          }
          if (auto b = Button(*c, cat)) {
            out.interactive |= b->at("style").as_int64() != kLinkStyle;
            built.push_back(std::move(*b));
          }
        } else if (IsSelect(*t)) {
          if (list.size() != 1) {
            Add(at + ".components", "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "A select menu takes a whole action row.");
            break;
          }
          if (auto s = Select(*c, cat, *t)) {
            out.interactive = true;
            built.push_back(std::move(*s));
          }
        } else {
          Add(cat + ".type", "COMPONENT_TYPE_INVALID",
              *t == kTextInput ? "Text inputs belong in modals." : "Unknown component type.");
        }
      }
      out.components.push_back(bj::object{{"type", kActionRow}, {"components", std::move(built)}});
    }
    return out;
  }

  std::optional<bj::object> Modal(const bj::object& data) {
    bj::object out;
    // The modal's own id may repeat a field's: only the fields' ids are unique among themselves.
    auto custom_id = String(data, "custom_id", "data.custom_id", 1, 100);
    auto title = String(data, "title", "data.title", 1, 45);
    const auto* rows = data.if_contains("components");
    if (!rows || !rows->is_array() || rows->as_array().empty() ||
        rows->as_array().size() > kMaxRows) {
      Add("data.components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.");
      return std::nullopt;
    }
    bj::array built;
    std::size_t i = 0;
    for (const auto& row : rows->as_array()) {
      const std::string at = "data.components." + std::to_string(i++);
      const auto* o = Object(row, at);
      if (!o || !TypeIs(*o, at, kActionRow)) continue;
      const auto* children = o->if_contains("components");
      if (!children || !children->is_array() || children->as_array().size() != 1) {
        Add(at + ".components", "BASE_TYPE_BAD_LENGTH", "A modal row holds one text input.");
        continue;
      }
      const std::string cat = at + ".components.0";
      const auto* c = Object(children->as_array()[0], cat);
      if (!c || !TypeIs(*c, cat, kTextInput)) continue;
      if (auto input = TextInput(*c, cat)) {
        built.push_back(bj::object{{"type", kActionRow}, {"components", bj::array{*input}}});
      }
    }
    if (!custom_id || !title || !ok()) return std::nullopt;
    out["custom_id"] = *custom_id;
    out["title"] = *title;
    out["components"] = std::move(built);
    return out;
  }

 private:
  bool TypeIs(const bj::object& o, const std::string& path, int want) {
    const auto* type = o.if_contains("type");
    auto t = type ? Int(*type, path + ".type") : std::nullopt;
    if (t && *t == want) return true;
    if (t || !type) Add(path + ".type", "COMPONENT_TYPE_INVALID", "Unexpected component type.");
    return false;
  }

  // 1–100 characters, unique among the message's (or modal's) components.
  std::optional<std::string> CustomId(const bj::object& o, const std::string& path) {
    auto id = String(o, "custom_id", path, 1, 100);
    if (id && !custom_ids_.insert(*id).second) {
      Add(path, "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated");
      return std::nullopt;
    }
    return id;
  }

  std::optional<bj::object> Button(const bj::object& o, const std::string& path) {
    bj::object out{{"type", kButton}};
    // A plain value: GCC 12 misreads an optional here as maybe uninitialized.
    std::int64_t style = 0;
    const auto* s = o.if_contains("style");
    if (!s) Add(path + ".style", "BASE_TYPE_REQUIRED", "This field is required");
    if (auto n = s ? Int(*s, path + ".style") : std::nullopt) {
      if (*n >= 1 && *n <= kLinkStyle) {
        style = *n;
      } else {
        Add(path + ".style", "BASE_TYPE_CHOICES",
            "Value must be one of (1, 2, 3, 4, 5); premium buttons are not supported.");
      }
    }
    auto label = String(o, "label", path + ".label", 0, 80);
    auto emoji = Emoji(o, path + ".emoji");
    auto disabled = Bool(o, "disabled", path + ".disabled", false);
    if (style == 0 || !label || !emoji || !disabled) return std::nullopt;
    out["style"] = style;
    if (label->empty() && emoji->empty()) {
      Add(path, "BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED", "A button needs a label or an emoji.");
      return std::nullopt;
    }
    if (!label->empty()) out["label"] = *label;
    if (!emoji->empty()) out["emoji"] = std::move(*emoji);
    const bool has_url = o.contains("url") && !o.at("url").is_null();
    const bool has_custom_id = o.contains("custom_id") && !o.at("custom_id").is_null();
    if (style == kLinkStyle) {
      if (has_custom_id) {
        Add(path + ".custom_id", "BUTTON_COMPONENT_CUSTOM_ID_FORBIDDEN",
            "A link button cannot have a custom id.");
        return std::nullopt;
      }
      auto url = String(o, "url", path + ".url", 1, 512);
      if (!url) return std::nullopt;
      if (!IsLinkUrl(*url)) {
        Add(path + ".url", "URL_TYPE_INVALID_URL", "Not a well formed URL.");
        return std::nullopt;
      }
      out["url"] = *url;
    } else {
      if (has_url) {
        Add(path + ".url", "BUTTON_COMPONENT_URL_FORBIDDEN", "Only link buttons have a URL.");
        return std::nullopt;
      }
      auto custom_id = CustomId(o, path + ".custom_id");
      if (!custom_id) return std::nullopt;
      out["custom_id"] = *custom_id;
    }
    if (*disabled) out["disabled"] = true;
    return out;
  }

  std::optional<bj::object> Select(const bj::object& o, const std::string& path,
                                   std::int64_t type) {
    bj::object out{{"type", type}};
    auto custom_id = CustomId(o, path + ".custom_id");
    auto placeholder = String(o, "placeholder", path + ".placeholder", 0, 150);
    auto min = IntIn(o, "min_values", path + ".min_values", 0, kMaxSelectValues, 1);
    auto max = IntIn(o, "max_values", path + ".max_values", 1, kMaxSelectValues, 1);
    auto disabled = Bool(o, "disabled", path + ".disabled", false);
    if (!custom_id || !placeholder || !min || !max || !disabled) return std::nullopt;
    if (*min > *max) {
      Add(path + ".min_values", "SELECT_COMPONENT_MIN_VALUES_TOO_LARGE",
          "min_values cannot be more than max_values.");
      return std::nullopt;
    }
    out["custom_id"] = *custom_id;
    if (!placeholder->empty()) out["placeholder"] = *placeholder;
    out["min_values"] = *min;
    out["max_values"] = *max;
    if (*disabled) out["disabled"] = true;
    if (type == kStringSelect) {
      auto options = Options(o, path + ".options");
      if (!options) return std::nullopt;
      if (static_cast<std::int64_t>(options->size()) < *max) {
        Add(path + ".max_values", "SELECT_COMPONENT_MAX_VALUES_TOO_LARGE",
            "max_values cannot be more than the number of options.");
        return std::nullopt;
      }
      out["options"] = std::move(*options);
      return out;
    }
    if (type == kChannelSelect) {
      if (const auto* types = o.if_contains("channel_types"); types && !types->is_null()) {
        if (!types->is_array()) {
          Add(path + ".channel_types", "BASE_TYPE_ARRAY", "Must be an array.");
          return std::nullopt;
        }
        bj::array kept;
        for (const auto& t : types->as_array()) {
          auto n = Int(t, path + ".channel_types");
          if (!n) return std::nullopt;
          kept.push_back(*n);
        }
        out["channel_types"] = std::move(kept);
      }
    }
    if (const auto* defaults = o.if_contains("default_values"); defaults && !defaults->is_null()) {
      auto values = Defaults(*defaults, path + ".default_values", type);
      if (!values) return std::nullopt;
      const auto n = static_cast<std::int64_t>(values->size());
      if (n < *min || n > *max) {
        Add(path + ".default_values", "BASE_TYPE_BAD_LENGTH",
            "Must be between min_values and max_values in length.");
        return std::nullopt;
      }
      out["default_values"] = std::move(*values);
    }
    return out;
  }

  std::optional<bj::array> Options(const bj::object& o, const std::string& path) {
    const auto* raw = o.if_contains("options");
    if (!raw || !raw->is_array() || raw->as_array().empty() ||
        raw->as_array().size() > kMaxSelectOptions) {
      Add(path, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25 in length.");
      return std::nullopt;
    }
    bj::array out;
    std::set<std::string> values;
    std::size_t i = 0;
    for (const auto& item : raw->as_array()) {
      const std::string at = path + "." + std::to_string(i++);
      const auto* opt = Object(item, at);
      if (!opt) return std::nullopt;
      auto label = String(*opt, "label", at + ".label", 1, 100);
      auto value = String(*opt, "value", at + ".value", 1, 100);
      auto description = String(*opt, "description", at + ".description", 0, 100);
      auto emoji = Emoji(*opt, at + ".emoji");
      auto chosen = Bool(*opt, "default", at + ".default", false);
      if (!label || !value || !description || !emoji || !chosen) return std::nullopt;
      if (!values.insert(*value).second) {
        Add(at + ".value", "SELECT_COMPONENT_OPTION_VALUE_DUPLICATED",
            "Option values must be unique.");
        return std::nullopt;
      }
      bj::object built{{"label", *label}, {"value", *value}};
      if (!description->empty()) built["description"] = *description;
      if (!emoji->empty()) built["emoji"] = std::move(*emoji);
      if (*chosen) built["default"] = true;
      out.push_back(std::move(built));
    }
    return out;
  }

  std::optional<bj::array> Defaults(const bj::value& raw, const std::string& path,
                                    std::int64_t select) {
    if (!raw.is_array()) {
      Add(path, "BASE_TYPE_ARRAY", "Must be an array.");
      return std::nullopt;
    }
    bj::array out;
    std::size_t i = 0;
    for (const auto& item : raw.as_array()) {
      const std::string at = path + "." + std::to_string(i++);
      const auto* d = Object(item, at);
      if (!d) return std::nullopt;
      const auto* id = d->if_contains("id");
      auto parsed = id ? IdOf(*id) : std::nullopt;
      const auto* type = d->if_contains("type");
      if (!parsed) {
        Add(at + ".id", "NUMBER_TYPE_COERCE", "Value is not snowflake.");
        return std::nullopt;
      }
      if (!type || !type->is_string() || !DefaultFits(select, type->as_string())) {
        Add(at + ".type", "BASE_TYPE_CHOICES", "Not a type this select menu offers.");
        return std::nullopt;
      }
      out.push_back(bj::object{{"id", ToString(*parsed)}, {"type", type->as_string()}});
    }
    return out;
  }

  std::optional<bj::object> TextInput(const bj::object& o, const std::string& path) {
    auto custom_id = CustomId(o, path + ".custom_id");
    auto style = IntIn(o, "style", path + ".style", 1, 2, 1);
    auto label = String(o, "label", path + ".label", 1, 45);
    auto min = IntIn(o, "min_length", path + ".min_length", 0, kMaxTextInput, 0);
    auto max = IntIn(o, "max_length", path + ".max_length", 1, kMaxTextInput, kMaxTextInput);
    auto required = Bool(o, "required", path + ".required", true);
    auto value = String(o, "value", path + ".value", 0, kMaxTextInput);
    auto placeholder = String(o, "placeholder", path + ".placeholder", 0, 100);
    if (!custom_id || !style || !label || !min || !max || !required || !value || !placeholder) {
      return std::nullopt;
    }
    if (*min > *max) {
      Add(path + ".min_length", "TEXT_INPUT_MIN_LENGTH_TOO_LARGE",
          "min_length cannot be more than max_length.");
      return std::nullopt;
    }
    bj::object out{{"type", kTextInput},   {"custom_id", *custom_id}, {"style", *style},
                   {"label", *label},      {"min_length", *min},      {"max_length", *max},
                   {"required", *required}};
    if (!value->empty()) out["value"] = *value;
    if (!placeholder->empty()) out["placeholder"] = *placeholder;
    return out;
  }

  std::set<std::string> custom_ids_;
};

Error Invalid(const std::string& field, const char* code, const std::string& message) {
  return Error::Validation("Invalid Form Body", {{field, code, message}});
}

// The component of a message with this custom_id (stored components were checked on the way in).
const bj::object* FindComponent(const bj::array& rows, const std::string& custom_id) {
  for (const auto& row : rows) {
    const auto* children = row.is_object() ? row.as_object().if_contains("components") : nullptr;
    if (!children || !children->is_array()) continue;
    for (const auto& c : children->as_array()) {
      if (!c.is_object()) continue;
      const auto* id = c.as_object().if_contains("custom_id");
      if (id && id->is_string() && id->as_string() == custom_id) return &c.as_object();
    }
  }
  return nullptr;
}

std::int64_t IntOr(const bj::object& o, std::string_view key, std::int64_t fallback) {
  const auto* v = o.if_contains(key);
  return v && v->is_int64() ? v->as_int64() : fallback;
}

}  // namespace

Result<ParsedComponents> ParseComponents(const bj::value& components) {
  ComponentReader reader;
  auto parsed = reader.Rows(components);
  if (!reader.ok()) return reader.Fail();
  return parsed;
}

Result<bj::object> ParseModal(const bj::object& data) {
  ComponentReader reader;
  auto modal = reader.Modal(data);
  if (!reader.ok() || !modal) return reader.Fail();
  return std::move(*modal);
}

Result<bj::object> CheckComponentUse(const bj::array& components, const std::string& custom_id,
                                     int component_type, const bj::value& values,
                                     OptionTargets& targets) {
  const bj::object* c = FindComponent(components, custom_id);
  if (!c || IntOr(*c, "type", 0) != component_type) {
    return Invalid("data.custom_id", "COMPONENT_UNKNOWN", "The message has no such component.");
  }
  if (const auto* d = c->if_contains("disabled"); d && d->is_bool() && d->as_bool()) {
    return Invalid("data.custom_id", "COMPONENT_DISABLED", "This component is disabled.");
  }
  bj::object data{{"custom_id", custom_id}, {"component_type", component_type}};
  if (component_type == kButton) return data;

  if (!values.is_array()) return Invalid("data.values", "BASE_TYPE_ARRAY", "Must be an array.");
  const auto& picked = values.as_array();
  const auto n = static_cast<std::int64_t>(picked.size());
  if (n < IntOr(*c, "min_values", 1) || n > IntOr(*c, "max_values", 1)) {
    return Invalid("data.values", "BASE_TYPE_BAD_LENGTH",
                   "Must be between min_values and max_values in length.");
  }
  std::set<std::string> seen;
  bj::array out;
  for (const auto& v : picked) {
    if (!v.is_string() || !seen.insert(std::string(v.as_string())).second) {
      return Invalid("data.values", "COMPONENT_VALUE_INVALID", "Each value once, as a string.");
    }
    out.push_back(v);
  }
  if (component_type == kStringSelect) {
    const auto* options = c->if_contains("options");
    for (const auto& v : picked) {
      const bool offered = options && options->is_array() &&
                           std::any_of(options->as_array().begin(), options->as_array().end(),
                                       [&](const bj::value& o) {
                                         const auto* value = o.as_object().if_contains("value");
                                         return value && *value == v;
                                       });
      if (!offered) {
        return Invalid("data.values", "COMPONENT_VALUE_INVALID", "Not an option of this menu.");
      }
    }
  } else {
    std::vector<int> channel_types;
    if (const auto* types = c->if_contains("channel_types"); types && types->is_array()) {
      for (const auto& t : types->as_array()) {
        if (t.is_int64()) channel_types.push_back(static_cast<int>(t.as_int64()));
      }
    }
    for (const auto& v : picked) {
      auto id = ParseSnowflake(v.as_string());
      if (!id) return Invalid("data.values", "NUMBER_TYPE_COERCE", "Value is not snowflake.");
      switch (component_type) {
        case kUserSelect:
          targets.users.push_back(*id);
          break;
        case kRoleSelect:
          targets.roles.push_back(*id);
          break;
        case kMentionableSelect:
          targets.mentionables.push_back(*id);
          break;
        default:
          targets.channels.push_back(*id);
          if (!channel_types.empty()) targets.channel_types.emplace_back(*id, channel_types);
      }
    }
  }
  data["values"] = std::move(out);
  return data;
}

Result<bj::array> CheckModalSubmit(const bj::object& modal, const bj::value& submitted) {
  // What the user typed, by custom_id.
  std::vector<std::pair<std::string, std::string>> typed;
  if (!submitted.is_array()) {
    return Invalid("data.components", "BASE_TYPE_ARRAY", "Must be an array.");
  }
  for (const auto& row : submitted.as_array()) {
    const auto* children = row.is_object() ? row.as_object().if_contains("components") : nullptr;
    if (!children || !children->is_array()) {
      return Invalid("data.components", "MODEL_TYPE_CONVERT", "Rows of text inputs expected.");
    }
    for (const auto& c : children->as_array()) {
      const auto* o = c.if_object();
      const auto* id = o ? o->if_contains("custom_id") : nullptr;
      const auto* value = o ? o->if_contains("value") : nullptr;
      if (!id || !id->is_string() || (value && !value->is_null() && !value->is_string())) {
        return Invalid("data.components", "MODEL_TYPE_CONVERT",
                       "Each text input needs its custom_id and a string value.");
      }
      typed.emplace_back(std::string(id->as_string()),
                         value && value->is_string() ? std::string(value->as_string()) : "");
    }
  }
  bj::array out;
  std::size_t matched = 0;
  for (const auto& row : modal.at("components").as_array()) {
    const auto& input = row.as_object().at("components").as_array()[0].as_object();
    const std::string id(input.at("custom_id").as_string());
    std::string value;
    auto it =
        std::find_if(typed.begin(), typed.end(), [&](const auto& t) { return t.first == id; });
    if (it != typed.end()) {
      value = it->second;
      ++matched;
    }
    const auto n = static_cast<std::int64_t>(CodePoints(value));
    const bool required = input.at("required").as_bool();
    if (value.empty() && required) {
      return Invalid("data.components", "BASE_TYPE_REQUIRED", id + " is required.");
    }
    if (!value.empty() &&
        (n < input.at("min_length").as_int64() || n > input.at("max_length").as_int64())) {
      return Invalid("data.components", "BASE_TYPE_BAD_LENGTH",
                     id + " is not within its length bounds.");
    }
    out.push_back(bj::object{
        {"type", kActionRow},
        {"components",
         bj::array{bj::object{{"type", kTextInput}, {"custom_id", id}, {"value", value}}}}});
  }
  if (matched != typed.size()) {
    return Invalid("data.components", "COMPONENT_UNKNOWN", "The modal has no such field.");
  }
  return out;
}

}  // namespace chat::domain::json
