// http/routes/message_routes.cpp — messages (/channels/{channel_id}/messages…), typing and DM
// channels (/users/@me/channels). Messages are sent as JSON or as multipart/form-data
// (payload_json + files[n], as discord.js sends uploads); every bad input is a 4xx Discord error.
#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <string>
#include <vector>

#include "domain/json/guild_json.hpp"
#include "domain/json/message_json.hpp"
#include "domain/json/time_json.hpp"
#include "domain/json/user_json.hpp"
#include "http/error_response.hpp"
#include "http/json_body.hpp"
#include "http/multipart.hpp"
#include "http/routes/audit_log_reason.hpp"
#include "http/routes/routes.hpp"
#include "service/message_service.hpp"
#include "store/errors.hpp"

namespace chat::http {
namespace {
namespace json = boost::json;
using Awaitable = boost::asio::awaitable<Response>;
using domain::Snowflake;

constexpr std::size_t kMaxEmbeds = 10;
constexpr std::size_t kMaxAttachmentDescription = 1024;

// A snowflake as clients send it in bodies: a decimal string or a non-negative integer.
std::optional<Snowflake> SnowflakeOf(const json::value& v) {
  if (v.is_string()) return domain::ParseSnowflake(v.as_string());
  if (v.is_int64() && v.as_int64() >= 0) return static_cast<Snowflake>(v.as_int64());
  if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return v.as_uint64();
  }
  return std::nullopt;
}

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

Result<service::MessageInput> ParseMessageInput(const json::object& body) {
  BodyReader r{body, {}};
  service::MessageInput in;
  in.content = r.Content();
  in.embeds_json = r.Embeds(in.embed_count);
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
    }
  }
  if (auto done = r.Finish(); !done) return done.error();
  return in;
}

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

// A message body as either kind of request carries it: the JSON object (payload_json, or the
// plain form fields content/nonce/tts) and the uploaded files in files[n] order, described by
// payload_json's `attachments: [{id: n, filename?, description?}]`. The files view the body.
struct MessageBody {
  json::object object;
  std::vector<service::NewAttachment> files;
};

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

// Multipart bodies (up to MAX_UPLOAD_BYTES) are scanned on a worker, off the I/O thread.
boost::asio::awaitable<Result<MessageBody>> ReadMessageBodyOffThread(Api& api,
                                                                     const Request& request) {
  if (!IsMultipart(request)) co_return ReadMessageBody(request);
  co_return co_await api.db.Run([&] { return ReadMessageBody(request); });
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

Result<store::MessageQuery> ParseHistoryQuery(const Request& request) {
  store::MessageQuery q;
  std::vector<FieldError> errors;
  if (auto limit = request.Query("limit")) {
    int value = 0;
    const char* end = limit->data() + limit->size();
    auto [ptr, ec] = std::from_chars(limit->data(), end, value);
    if (ec != std::errc() || ptr != end || value < 1 || value > store::kMaxMessagePage) {
      errors.push_back({"limit", "NUMBER_TYPE_MAX", "Must be an integer between 1 and 100."});
    } else {
      q.limit = value;
    }
  }
  int bounds = 0;
  for (auto [name, slot] : {std::pair{"before", &q.before}, std::pair{"after", &q.after},
                            std::pair{"around", &q.around}}) {
    auto text = request.Query(name);
    if (!text) continue;
    ++bounds;
    auto id = domain::ParseSnowflake(*text);
    if (!id) {
      errors.push_back({name, "NUMBER_TYPE_COERCE", "Value \"" + *text + "\" is not snowflake."});
    } else {
      *slot = *id;
    }
  }
  if (bounds > 1) {
    errors.push_back(
        {"around", "BASE_TYPE_EXCLUSIVE", "before, after and around are mutually exclusive."});
  }
  if (!errors.empty()) return Error::Validation("Invalid Form Body", std::move(errors));
  return q;
}

Result<Snowflake> ChannelParam(Context& ctx) {
  auto id = domain::ParseSnowflake(ctx.Param("channel_id"));
  if (!id) return store::UnknownChannel();
  return *id;
}

Result<Snowflake> MessageParam(Context& ctx) {
  auto id = domain::ParseSnowflake(ctx.Param("message_id"));
  if (!id) return store::UnknownMessage();
  return *id;
}

json::object DmJson(const service::DmView& view) {
  json::object o = domain::json::DmChannelJson(view.channel, view.recipients);
  return o;
}

// Each handler: authenticate, parse, run the service on the db pool, answer.
Awaitable Send(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto channel = ChannelParam(ctx);
  if (!channel) co_return ErrorResponse(channel.error());
  auto body = co_await ReadMessageBodyOffThread(api, ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  auto input = ParseMessageInput(body->object);
  if (!input) co_return ErrorResponse(input.error());
  input->files = std::move(body->files);
  // An enforce_nonce retry whose first attempt is still being written waits for it (usually a
  // few milliseconds) and gets that message back.
  auto view = co_await RunPatiently(
      api, [&] { return api.messages->Create(who->user_id, *channel, *input); },
      std::chrono::seconds(2));
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, view->json);
}

Awaitable List(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto channel = ChannelParam(ctx);
  if (!channel) co_return ErrorResponse(channel.error());
  auto query = ParseHistoryQuery(ctx.request);
  if (!query) co_return ErrorResponse(query.error());
  auto views =
      co_await api.db.Run([&] { return api.messages->List(who->user_id, *channel, *query); });
  if (!views) co_return ErrorResponse(views.error());
  json::array out;
  out.reserve(views->size());
  for (auto& v : *views) out.emplace_back(std::move(v.json));
  co_return Response::Json(200, out);
}

Awaitable GetOne(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto channel = ChannelParam(ctx);
  if (!channel) co_return ErrorResponse(channel.error());
  auto message = MessageParam(ctx);
  if (!message) co_return ErrorResponse(message.error());
  auto view =
      co_await api.db.Run([&] { return api.messages->Get(who->user_id, *channel, *message); });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, view->json);
}

Awaitable Edit(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto channel = ChannelParam(ctx);
  if (!channel) co_return ErrorResponse(channel.error());
  auto message = MessageParam(ctx);
  if (!message) co_return ErrorResponse(message.error());
  auto body = co_await ReadMessageBodyOffThread(api, ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  BodyReader r{body->object, {}};
  service::MessageEdit edit;
  edit.content = r.Content();
  edit.embeds_json = r.Embeds(edit.embed_count);
  edit.flags = r.Integer("flags");
  edit.allowed_mentions = r.Allowed();
  edit.keep_attachments = KeepList(body->object, r.errors);
  edit.files = std::move(body->files);
  if (auto done = r.Finish(); !done) co_return ErrorResponse(done.error());
  auto view = co_await api.db.Run(
      [&] { return api.messages->Edit(who->user_id, *channel, *message, edit); });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, view->json);
}

Awaitable Delete(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto channel = ChannelParam(ctx);
  if (!channel) co_return ErrorResponse(channel.error());
  auto message = MessageParam(ctx);
  if (!message) co_return ErrorResponse(message.error());
  auto reason = AuditLogReason(ctx.request);
  auto done = co_await api.db.Run(
      [&] { return api.messages->Delete(who->user_id, *channel, *message, reason); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

Awaitable BulkDelete(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto channel = ChannelParam(ctx);
  if (!channel) co_return ErrorResponse(channel.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  std::vector<Snowflake> ids;
  const json::value* list = body->if_contains("messages");
  bool ok = list && list->is_array();
  if (ok) {
    for (const auto& item : list->as_array()) {
      auto id = SnowflakeOf(item);
      if (!id) {
        ok = false;
        break;
      }
      ids.push_back(*id);
    }
  }
  if (!ok) {
    Error e = Error::Validation(
        "Invalid Form Body",
        {{"messages", "BASE_TYPE_ARRAY", "Must be an array of message ids (snowflakes)."}});
    co_return ErrorResponse(e);
  }
  auto reason = AuditLogReason(ctx.request);
  auto done = co_await api.db.Run(
      [&] { return api.messages->BulkDelete(who->user_id, *channel, ids, reason); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

Awaitable Typing(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto channel = ChannelParam(ctx);
  if (!channel) co_return ErrorResponse(channel.error());
  auto done = co_await api.db.Run([&] { return api.messages->Typing(who->user_id, *channel); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

Awaitable OpenDm(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto body = ReadObject(ctx.request);
  if (!body) co_return ErrorResponse(body.error());
  const json::value* rid = body->if_contains("recipient_id");
  auto recipient = rid ? SnowflakeOf(*rid) : std::nullopt;
  if (!recipient) {
    Error e = Error::Validation("Invalid Form Body",
                                {{"recipient_id", rid ? "NUMBER_TYPE_COERCE" : "BASE_TYPE_REQUIRED",
                                  rid ? "Value is not snowflake." : "This field is required"}});
    co_return ErrorResponse(e);
  }
  auto view = co_await api.db.Run([&] { return api.messages->OpenDm(who->user_id, *recipient); });
  if (!view) co_return ErrorResponse(view.error());
  co_return Response::Json(200, DmJson(*view));
}

Awaitable ListDms(Api& api, Context& ctx) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto views = co_await api.db.Run([&] { return api.messages->ListDms(who->user_id); });
  if (!views) co_return ErrorResponse(views.error());
  json::array out;
  for (const auto& v : *views) out.emplace_back(DmJson(v));
  co_return Response::Json(200, out);
}

// -- reactions ------------------------------------------------------------------------------

Result<service::Emoji> EmojiParam(Context& ctx) { return service::ParseEmoji(ctx.Param("emoji")); }

// Reaction routes share: who, channel, message, emoji.
struct ReactionTarget {
  service::Principal who;
  Snowflake channel = 0;
  Snowflake message = 0;
  std::optional<service::Emoji> emoji;
};

boost::asio::awaitable<Result<ReactionTarget>> ReadReactionTarget(Api& api, Context& ctx,
                                                                  bool with_emoji) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return who.error();
  auto channel = ChannelParam(ctx);
  if (!channel) co_return channel.error();
  auto message = MessageParam(ctx);
  if (!message) co_return message.error();
  ReactionTarget t{*who, *channel, *message, std::nullopt};
  if (with_emoji) {
    auto emoji = EmojiParam(ctx);
    if (!emoji) co_return emoji.error();
    t.emoji = std::move(*emoji);
  }
  co_return t;
}

Awaitable AddReaction(Api& api, Context& ctx) {
  auto t = co_await ReadReactionTarget(api, ctx, true);
  if (!t) co_return ErrorResponse(t.error());
  auto done = co_await api.db.Run(
      [&] { return api.reactions->Add(t->who.user_id, t->channel, t->message, *t->emoji); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

Awaitable RemoveOwnReaction(Api& api, Context& ctx) {
  auto t = co_await ReadReactionTarget(api, ctx, true);
  if (!t) co_return ErrorResponse(t.error());
  auto done = co_await api.db.Run([&] {
    return api.reactions->Remove(t->who.user_id, t->channel, t->message, *t->emoji, t->who.user_id);
  });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

Awaitable RemoveUserReaction(Api& api, Context& ctx) {
  auto t = co_await ReadReactionTarget(api, ctx, true);
  if (!t) co_return ErrorResponse(t.error());
  auto user = domain::ParseSnowflake(ctx.Param("user_id"));
  if (!user) {
    Error e = store::UnknownUser();
    co_return ErrorResponse(e);
  }
  auto done = co_await api.db.Run([&] {
    return api.reactions->Remove(t->who.user_id, t->channel, t->message, *t->emoji, *user);
  });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

Awaitable RemoveAllReactions(Api& api, Context& ctx, bool one_emoji) {
  auto t = co_await ReadReactionTarget(api, ctx, one_emoji);
  if (!t) co_return ErrorResponse(t.error());
  auto done = co_await api.db.Run(
      [&] { return api.reactions->RemoveAll(t->who.user_id, t->channel, t->message, t->emoji); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

Awaitable ListReactionUsers(Api& api, Context& ctx) {
  auto t = co_await ReadReactionTarget(api, ctx, true);
  if (!t) co_return ErrorResponse(t.error());
  int limit = 25;
  Snowflake after = 0;
  std::vector<FieldError> errors;
  if (auto text = ctx.request.Query("limit")) {
    const char* end = text->data() + text->size();
    auto [ptr, ec] = std::from_chars(text->data(), end, limit);
    if (ec != std::errc() || ptr != end || limit < 1 || limit > 100) {
      errors.push_back({"limit", "NUMBER_TYPE_MAX", "Must be an integer between 1 and 100."});
    }
  }
  if (auto text = ctx.request.Query("after")) {
    auto id = domain::ParseSnowflake(*text);
    if (!id) {
      errors.push_back({"after", "NUMBER_TYPE_COERCE", "Value is not snowflake."});
    } else {
      after = *id;
    }
  }
  if (!errors.empty()) {
    Error e = Error::Validation("Invalid Form Body", std::move(errors));
    co_return ErrorResponse(e);
  }
  auto users = co_await api.db.Run([&] {
    return api.reactions->Users(t->who.user_id, t->channel, t->message, *t->emoji, after, limit);
  });
  if (!users) co_return ErrorResponse(users.error());
  json::array out;
  for (const auto& u : *users) out.emplace_back(domain::json::UserJson(u));
  co_return Response::Json(200, out);
}

// -- pins -----------------------------------------------------------------------------------

Awaitable SetPinned(Api& api, Context& ctx, bool pinned) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto channel = ChannelParam(ctx);
  if (!channel) co_return ErrorResponse(channel.error());
  auto message = MessageParam(ctx);
  if (!message) co_return ErrorResponse(message.error());
  auto reason = AuditLogReason(ctx.request);
  auto done = co_await api.db.Run(
      [&] { return api.messages->Pin(who->user_id, *channel, *message, pinned, reason); });
  if (!done) co_return ErrorResponse(done.error());
  co_return Response::NoContent();
}

// `legacy`: /channels/{id}/pins answers a bare array; /messages/pins answers {items, has_more}.
Awaitable ListPins(Api& api, Context& ctx, bool legacy) {
  auto who = co_await Authenticate(api, ctx.request);
  if (!who) co_return ErrorResponse(who.error());
  auto channel = ChannelParam(ctx);
  if (!channel) co_return ErrorResponse(channel.error());
  auto views = co_await api.db.Run([&] { return api.messages->ListPins(who->user_id, *channel); });
  if (!views) co_return ErrorResponse(views.error());
  json::array items;
  for (auto& v : *views) {
    if (legacy) {
      items.emplace_back(std::move(v.json));
    } else {
      items.emplace_back(json::object{{"pinned_at", domain::json::IsoTimestamp(v.pinned_at_ms)},
                                      {"message", std::move(v.json)}});
    }
  }
  if (legacy) co_return Response::Json(200, items);
  co_return Response::Json(200, json::object{{"items", std::move(items)}, {"has_more", false}});
}

}  // namespace

void AddMessageRoutes(Router& router, Api& api) {
  // Pins before "/messages/{message_id}": a literal segment must win over the parameter.
  router.Add("GET", "/channels/{channel_id}/messages/pins",
             [&api](Context& c) { return ListPins(api, c, false); });
  router.Add("PUT", "/channels/{channel_id}/messages/pins/{message_id}",
             [&api](Context& c) { return SetPinned(api, c, true); });
  router.Add("DELETE", "/channels/{channel_id}/messages/pins/{message_id}",
             [&api](Context& c) { return SetPinned(api, c, false); });
  router.Add("GET", "/channels/{channel_id}/pins",
             [&api](Context& c) { return ListPins(api, c, true); });
  router.Add("PUT", "/channels/{channel_id}/pins/{message_id}",
             [&api](Context& c) { return SetPinned(api, c, true); });
  router.Add("DELETE", "/channels/{channel_id}/pins/{message_id}",
             [&api](Context& c) { return SetPinned(api, c, false); });
  const std::string reactions = "/channels/{channel_id}/messages/{message_id}/reactions";
  router.Add("PUT", reactions + "/{emoji}/@me", [&api](Context& c) { return AddReaction(api, c); });
  router.Add("DELETE", reactions + "/{emoji}/@me",
             [&api](Context& c) { return RemoveOwnReaction(api, c); });
  router.Add("DELETE", reactions + "/{emoji}/{user_id}",
             [&api](Context& c) { return RemoveUserReaction(api, c); });
  router.Add("GET", reactions + "/{emoji}",
             [&api](Context& c) { return ListReactionUsers(api, c); });
  router.Add("DELETE", reactions + "/{emoji}",
             [&api](Context& c) { return RemoveAllReactions(api, c, true); });
  router.Add("DELETE", reactions, [&api](Context& c) { return RemoveAllReactions(api, c, false); });
  // Literal segments first: "bulk-delete" must not be taken for a message id.
  router.Add("POST", "/channels/{channel_id}/messages/bulk-delete",
             [&api](Context& c) { return BulkDelete(api, c); });
  router.Add("POST", "/channels/{channel_id}/messages",
             [&api](Context& c) { return Send(api, c); });
  router.Add("GET", "/channels/{channel_id}/messages", [&api](Context& c) { return List(api, c); });
  router.Add("GET", "/channels/{channel_id}/messages/{message_id}",
             [&api](Context& c) { return GetOne(api, c); });
  router.Add("PATCH", "/channels/{channel_id}/messages/{message_id}",
             [&api](Context& c) { return Edit(api, c); });
  router.Add("DELETE", "/channels/{channel_id}/messages/{message_id}",
             [&api](Context& c) { return Delete(api, c); });
  router.Add("POST", "/channels/{channel_id}/typing",
             [&api](Context& c) { return Typing(api, c); });
  router.Add("POST", "/users/@me/channels", [&api](Context& c) { return OpenDm(api, c); });
  router.Add("GET", "/users/@me/channels", [&api](Context& c) { return ListDms(api, c); });
}

}  // namespace chat::http
