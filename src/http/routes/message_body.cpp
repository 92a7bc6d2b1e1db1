// http/routes/message_body.cpp — see message_body.hpp.
#include "http/routes/message_body.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <string>
#include <vector>

#include "domain/json/component_json.hpp"
#include "domain/sticker.hpp"
#include "http/json_body.hpp"
#include "http/multipart.hpp"

namespace chat::http {
namespace {
namespace json = boost::json;
using domain::Snowflake;

constexpr std::size_t kMaxEmbeds = 10;
constexpr std::size_t kMaxAttachmentDescription = 1024;

FieldError TypeError(std::string field, const char* code, const char* message) {
  return FieldError{std::move(field), code, message};
}

// Reads the fields of a message body shared by send and edit.
struct BodyReader {
  const json::object& body;
  std::vector<FieldError> errors;

  std::optional<std::string> Content() {
    const json::value* v = body.if_contains("content");
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_string()) {
      errors.push_back(TypeError("content", "BASE_TYPE_STRING", "Must be a string."));
      return std::nullopt;
    }
    return std::string(v->as_string());
  }

  // Embeds are stored as sent (an array of objects, at most 10).
  std::optional<std::string> Embeds(std::size_t& count) {
    count = 0;
    const json::value* v = body.if_contains("embeds");
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_array()) {
      errors.push_back(TypeError("embeds", "BASE_TYPE_ARRAY", "Must be an array."));
      return std::nullopt;
    }
    const auto& a = v->as_array();
    if (a.size() > kMaxEmbeds) {
      errors.push_back(
          TypeError("embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length."));
      return std::nullopt;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!a[i].is_object()) {
        errors.push_back(TypeError("embeds." + std::to_string(i), "MODEL_TYPE_CONVERT",
                                   "Only dictionaries may be used in a ModelType"));
        return std::nullopt;
      }
    }
    count = a.size();
    return json::serialize(a);
  }

  // Components are stored as domain/json/component_json rebuilt them.
  std::optional<std::string> Components(service::ComponentsInput& out) {
    const json::value* v = body.if_contains("components");
    if (!v || v->is_null()) return std::nullopt;
    auto parsed = domain::json::ParseComponents(*v);
    if (!parsed) {
      for (auto& f : parsed.error().fields) errors.push_back(std::move(f));
      return std::nullopt;
    }
    out.count = parsed->components.size();
    out.interactive = parsed->interactive;
    return json::serialize(parsed->components);
  }

  std::optional<service::AllowedMentions> Allowed() {
    const json::value* v = body.if_contains("allowed_mentions");
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_object()) {
      errors.push_back(TypeError("allowed_mentions", "MODEL_TYPE_CONVERT",
                                 "Only dictionaries may be used in a ModelType"));
      return std::nullopt;
    }
    const auto& o = v->as_object();
    service::AllowedMentions allowed;
    if (const auto* parse = o.if_contains("parse"); parse && !parse->is_null()) {
      if (!parse->is_array()) {
        errors.push_back(
            TypeError("allowed_mentions.parse", "BASE_TYPE_ARRAY", "Must be an array."));
        return std::nullopt;
      }
      for (const auto& p : parse->as_array()) {
        if (p == "users") {
          allowed.users = true;
        } else if (p == "roles") {
          allowed.roles = true;
        } else if (p == "everyone") {
          allowed.everyone = true;
        } else {
          errors.push_back(TypeError("allowed_mentions.parse", "BASE_TYPE_CHOICES",
                                     "Value must be one of ('roles', 'users', 'everyone')."));
          return std::nullopt;
        }
      }
    }
    for (const char* key : {"users", "roles"}) {
      const auto* list = o.if_contains(key);
      if (!list || list->is_null()) continue;
      if (!list->is_array() || list->as_array().size() > 100) {
        errors.push_back(TypeError(std::string("allowed_mentions.") + key, "BASE_TYPE_ARRAY",
                                   "Must be an array of at most 100 snowflakes."));
        return std::nullopt;
      }
      for (const auto& item : list->as_array()) {
        auto id = SnowflakeOf(item);
        if (!id) {
          errors.push_back(TypeError(std::string("allowed_mentions.") + key, "NUMBER_TYPE_COERCE",
                                     "Value is not snowflake."));
          return std::nullopt;
        }
        (key[0] == 'u' ? allowed.user_ids : allowed.role_ids).push_back(*id);
      }
    }
    // Discord refuses "users" in parse together with an explicit users list (and so roles).
    if ((allowed.users && !allowed.user_ids.empty()) ||
        (allowed.roles && !allowed.role_ids.empty())) {
      errors.push_back(TypeError("allowed_mentions", "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                                 "parse and users/roles are mutually exclusive."));
      return std::nullopt;
    }
    if (const auto* r = o.if_contains("replied_user"); r && r->is_bool()) {
      allowed.replied_user = r->as_bool();
    }
    return allowed;
  }

  std::optional<std::int64_t> Integer(const char* name) {
    const json::value* v = body.if_contains(name);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_int64()) {
      errors.push_back(TypeError(name, "NUMBER_TYPE_COERCE", "Value is not int."));
      return std::nullopt;
    }
    return v->as_int64();
  }

  bool Bool(const char* name) {
    const json::value* v = body.if_contains(name);
    if (!v || v->is_null()) return false;
    if (!v->is_bool()) {
      errors.push_back(TypeError(name, "BASE_TYPE_BOOLEAN", "Must be either true or false."));
      return false;
    }
    return v->as_bool();
  }

  Result<void> Finish() {
    if (errors.empty()) return {};
    return Error::Validation("Invalid Form Body", std::move(errors));
  }
};

bool IsMultipart(const Request& request) {
  auto type = request.Header("content-type");
  if (!type || type->size() < 10) return false;
  std::string head(type->substr(0, 10));
  for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return head == "multipart/";
}

// The n of a file part's name: files[n] as discord.js sends, file[n], fileN or plain file/files
// (older clients); nullopt for another name.
std::optional<std::size_t> FileIndex(std::string_view name, std::size_t next) {
  for (std::string_view prefix : {"files", "file"}) {
    if (name.substr(0, prefix.size()) != prefix) continue;
    std::string_view rest = name.substr(prefix.size());
    if (rest.empty()) return next;
    if (rest.size() >= 3 && rest.front() == '[' && rest.back() == ']') {
      rest = rest.substr(1, rest.size() - 2);
    }
    std::size_t n = 0;
    auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), n);
    if (ec == std::errc() && ptr == rest.data() + rest.size() && n < 1000) return n;
    return std::nullopt;
  }
  return std::nullopt;
}

Result<MessageBody> ReadMessageBody(const Request& request) {
  MessageBody out;
  if (!IsMultipart(request)) {
    auto body = ReadObject(request);
    if (!body) return body.error();
    out.object = std::move(*body);
    return out;
  }
  auto boundary = multipart::BoundaryOf(*request.Header("content-type"));
  if (!boundary) return boundary.error();
  auto parts = multipart::Parse(request.body, *boundary);
  if (!parts) return parts.error();

  std::optional<std::string_view> payload;
  std::vector<std::pair<std::size_t, const multipart::Part*>> files;
  for (const auto& part : *parts) {
    if (part.name == "payload_json" && !part.filename) {
      if (payload) {
        return Error::Validation("Invalid Form Body",
                                 {{"payload_json", "DUPLICATE", "Sent more than once."}});
      }
      payload = part.data;
    } else if (auto n = FileIndex(part.name, files.size()); n && part.filename) {
      files.emplace_back(*n, &part);
    } else if (part.filename) {
      return Error::Validation("Invalid Form Body", {{part.name, "FILE_FIELD_UNKNOWN",
                                                      "Files must be sent as files[n]."}});
    } else if (part.name == "content" || part.name == "nonce") {
      out.object[part.name] = std::string(part.data);
    } else if (part.name == "tts") {
      out.object["tts"] = part.data == "true";
    }
  }
  if (payload) {
    boost::system::error_code ec;
    json::value v = json::parse(*payload, ec);
    if (ec || !v.is_object()) {
      return Error{Errc::kValidation, "The request body contains invalid JSON.", 50109};
    }
    out.object = std::move(v.as_object());  // payload_json wins over plain fields
  }

  // Descriptions and renames by the n of files[n].
  std::map<std::size_t, std::pair<std::optional<std::string>, std::optional<std::string>>> meta;
  std::vector<FieldError> errors;
  if (const auto* list = out.object.if_contains("attachments"); list && !list->is_null()) {
    if (!list->is_array()) {
      errors.push_back(TypeError("attachments", "BASE_TYPE_ARRAY", "Must be an array."));
    } else {
      for (std::size_t i = 0; i < list->as_array().size(); ++i) {
        const std::string field = "attachments." + std::to_string(i);
        const json::object* o = list->as_array()[i].if_object();
        const json::value* id = o ? o->if_contains("id") : nullptr;
        auto n = id ? SnowflakeOf(*id) : std::nullopt;
        if (!n) {
          errors.push_back(TypeError(field + ".id", "NUMBER_TYPE_COERCE", "Value is not int."));
          continue;
        }
        auto& [filename, description] = meta[static_cast<std::size_t>(*n)];
        if (const auto* f = o->if_contains("filename"); f && f->is_string()) {
          filename = std::string(f->as_string());
        }
        if (const auto* d = o->if_contains("description"); d && !d->is_null()) {
          if (!d->is_string() || d->as_string().size() > kMaxAttachmentDescription) {
            errors.push_back(TypeError(field + ".description", "BASE_TYPE_MAX_LENGTH",
                                       "Must be a string of 1024 or fewer in length."));
          } else {
            description = std::string(d->as_string());
          }
        }
      }
    }
  }
  if (!errors.empty()) return Error::Validation("Invalid Form Body", std::move(errors));
  std::stable_sort(files.begin(), files.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [n, part] : files) {
    service::NewAttachment file;
    file.filename = *part->filename;
    file.declared_type = part->content_type;
    file.data = part->data;
    if (auto it = meta.find(n); it != meta.end()) {
      if (it->second.first) file.filename = *it->second.first;
      file.description = it->second.second;
    }
    out.files.push_back(std::move(file));
  }
  return out;
}

// PATCH's `attachments`: the ids of the attachments to keep (objects with an id, or bare ids).
std::optional<std::vector<Snowflake>> KeepList(const json::object& body,
                                               std::vector<FieldError>& errors) {
  const json::value* list = body.if_contains("attachments");
  if (!list || list->is_null()) return std::nullopt;
  if (!list->is_array()) {
    errors.push_back(TypeError("attachments", "BASE_TYPE_ARRAY", "Must be an array."));
    return std::nullopt;
  }
  std::vector<Snowflake> keep;
  for (const auto& item : list->as_array()) {
    const json::value* id = item.is_object() ? item.as_object().if_contains("id") : &item;
    auto value = id ? SnowflakeOf(*id) : std::nullopt;
    if (!value) {
      errors.push_back(TypeError("attachments", "NUMBER_TYPE_COERCE", "Value is not snowflake."));
      return std::nullopt;
    }
    keep.push_back(*value);
  }
  return keep;
}

}  // namespace

// A snowflake as clients send it in bodies: a decimal string or a non-negative integer.
std::optional<Snowflake> SnowflakeOf(const json::value& v) {
  if (v.is_string()) return domain::ParseSnowflake(v.as_string());
  if (v.is_int64() && v.as_int64() >= 0) return static_cast<Snowflake>(v.as_int64());
  if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return v.as_uint64();
  }
  return std::nullopt;
}

Result<service::MessageInput> ParseMessageInput(const json::object& body) {
  BodyReader r{body, {}};
  service::MessageInput in;
  in.content = r.Content();
  in.embeds_json = r.Embeds(in.embed_count);
  in.components.json = r.Components(in.components);
  if (const auto* poll = body.if_contains("poll"); poll && !poll->is_null()) {
    auto parsed = domain::json::ParsePollCreate(*poll);
    if (parsed) {
      in.poll = std::move(*parsed);
    } else {
      for (auto& f : parsed.error().fields) r.errors.push_back(std::move(f));
    }
  }
  if (const auto* stickers = body.if_contains("sticker_ids"); stickers && !stickers->is_null()) {
    if (!stickers->is_array()) {
      r.errors.push_back(TypeError("sticker_ids", "BASE_TYPE_ARRAY", "Must be an array."));
    } else if (stickers->as_array().size() > domain::kMaxMessageStickers) {
      r.errors.push_back(
          TypeError("sticker_ids", "BASE_TYPE_MAX_LENGTH", "Must be 3 or fewer stickers."));
    } else {
      for (const auto& v : stickers->as_array()) {
        if (auto id = SnowflakeOf(v)) {
          // A sticker named twice is sent once.
          if (std::find(in.sticker_ids.begin(), in.sticker_ids.end(), *id) ==
              in.sticker_ids.end()) {
            in.sticker_ids.push_back(*id);
          }
        } else {
          r.errors.push_back(
              TypeError("sticker_ids", "NUMBER_TYPE_COERCE", "Value is not snowflake."));
          break;
        }
      }
    }
  }
  in.allowed_mentions = r.Allowed();
  in.tts = r.Bool("tts");
  in.enforce_nonce = r.Bool("enforce_nonce");
  in.flags = r.Integer("flags").value_or(0);
  if (const auto* nonce = body.if_contains("nonce"); nonce && !nonce->is_null()) {
    if (nonce->is_string()) {
      in.nonce = std::string(nonce->as_string());
    } else if (nonce->is_int64()) {
      in.nonce = std::to_string(nonce->as_int64());
    } else if (nonce->is_uint64()) {
      in.nonce = std::to_string(nonce->as_uint64());
    } else {
      r.errors.push_back(TypeError("nonce", "BASE_TYPE_STRING", "Must be a string or integer."));
    }
  }
  if (const auto* ref = body.if_contains("message_reference"); ref && !ref->is_null()) {
    const json::object* o = ref->if_object();
    const json::value* mid = o ? o->if_contains("message_id") : nullptr;
    auto id = mid ? SnowflakeOf(*mid) : std::nullopt;
    if (!id) {
      r.errors.push_back(TypeError("message_reference.message_id", "NUMBER_TYPE_COERCE",
                                   "Value is not snowflake."));
    } else {
      in.reply_to = id;
      if (const auto* cid = o->if_contains("channel_id"); cid && !cid->is_null()) {
        in.reply_channel_id = SnowflakeOf(*cid);
        if (!in.reply_channel_id) {
          r.errors.push_back(TypeError("message_reference.channel_id", "NUMBER_TYPE_COERCE",
                                       "Value is not snowflake."));
        }
      }
      if (const auto* f = o->if_contains("fail_if_not_exists"); f && f->is_bool()) {
        in.fail_if_not_exists = f->as_bool();
      }
      if (const auto* t = o->if_contains("type"); t && !t->is_null()) {
        if (t->is_int64() && (t->as_int64() == 0 || t->as_int64() == 1)) {
          in.reference_type = static_cast<int>(t->as_int64());
        } else {
          r.errors.push_back(TypeError("message_reference.type", "BASE_TYPE_CHOICES",
                                       "Value must be one of {0, 1}."));
        }
      }
      if (in.reference_type == 1 && !in.reply_channel_id) {
        r.errors.push_back(TypeError("message_reference.channel_id", "BASE_TYPE_REQUIRED",
                                     "A forward names the channel of the message it forwards."));
      }
    }
  }
  if (auto done = r.Finish(); !done) return done.error();
  return in;
}

Result<service::MessageEdit> ParseMessageEdit(MessageBody& body) {
  BodyReader r{body.object, {}};
  service::MessageEdit edit;
  edit.content = r.Content();
  edit.embeds_json = r.Embeds(edit.embed_count);
  edit.components.json = r.Components(edit.components);
  edit.flags = r.Integer("flags");
  edit.allowed_mentions = r.Allowed();
  edit.keep_attachments = KeepList(body.object, r.errors);
  if (const auto* poll = body.object.if_contains("poll"); poll && !poll->is_null())
    edit.poll = true;
  edit.files = std::move(body.files);
  if (auto done = r.Finish(); !done) return done.error();
  return edit;
}

// Multipart bodies (up to MAX_UPLOAD_BYTES) are scanned on a worker, off the I/O thread.
boost::asio::awaitable<Result<MessageBody>> ReadMessageBodyOffThread(Api& api,
                                                                     const Request& request) {
  if (!IsMultipart(request)) co_return ReadMessageBody(request);
  co_return co_await api.db.Run([&] { return ReadMessageBody(request); });
}

}  // namespace chat::http
