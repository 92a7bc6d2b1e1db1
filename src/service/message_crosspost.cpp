// service/message_crosspost.cpp — publishing a message of an announcement channel and channel
// following: MessageService::Crosspost marks the message published (CROSSPOSTED) and posts a copy
// through every follower webhook of the channel (service/webhook_service.hpp's Follow); the
// copies follow the original's later edits and deletion.
#include <algorithm>
#include <optional>

#include <boost/json.hpp>

#include "common/log.hpp"
#include "domain/channel.hpp"
#include "domain/permissions.hpp"
#include "service/message_service.hpp"
#include "store/errors.hpp"

namespace chat::service {

namespace {

namespace flag {
using domain::json::kFlagCrossposted;
using domain::json::kFlagIsCrosspost;
using domain::json::kFlagSourceMessageDeleted;
constexpr std::int64_t kSuppressEmbeds = 1 << 2;
}  // namespace flag

// What a copy says once its original is gone (Discord's words).
constexpr std::string_view kSourceDeleted = "[Original Message Deleted]";

Error AlreadyCrossposted() {
  Error e = Error::Validation("This message has already been crossposted.");
  e.api_code = 40033;
  return e;
}

std::size_t EmbedCount(const std::string& embeds_json) {
  boost::system::error_code ec;
  auto v = boost::json::parse(embeds_json, ec);
  return !ec && v.is_array() ? v.as_array().size() : 0;
}

// Whether a copy's files are the original's: the same names, descriptions, types and sizes in the
// same order (a copy's are its own copies of them).
bool SameFiles(std::vector<domain::Attachment> a, std::vector<domain::Attachment> b) {
  auto by_position = [](const domain::Attachment& x, const domain::Attachment& y) {
    return x.position < y.position;
  };
  std::sort(a.begin(), a.end(), by_position);
  std::sort(b.begin(), b.end(), by_position);
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
    return x.filename == y.filename && x.description == y.description &&
           x.content_type == y.content_type && x.size == y.size;
  });
}

void LogFailure(const char* what, domain::Snowflake message_id, const Error& error) {
  log::Warn("chat_server::messages", what,
            {{"message_id", domain::ToString(message_id)}, {"error", error.message}});
}

}  // namespace

Result<MessageView> MessageService::Crosspost(domain::Snowflake user_id,
                                              domain::Snowflake channel_id,
                                              domain::Snowflake message_id) {
  namespace perm = domain::perm;
  auto access =
      access_.RequireChannel(user_id, channel_id, perm::kViewChannel | perm::kSendMessages);
  if (!access) return access.error();
  if (access->channel.type != domain::ChannelType::kGuildAnnouncement) return WrongChannelType();
  auto message = store_.GetMessage(channel_id, message_id);
  if (!message) return message.error();
  if (domain::AuthorOf(*message) != user_id &&
      !perm::Has(access->permissions, perm::kManageMessages)) {
    return MissingPermissions();
  }
  // A copy from a followed channel is published where it came from, not again.
  if (message->flags & (flag::kFlagCrossposted | flag::kFlagIsCrosspost))
    return AlreadyCrossposted();
  store::MessageUpdate update;
  update.flags = flag::kFlagCrossposted;
  update.flags_mask = flag::kFlagCrossposted;
  // Once, even against a concurrent request: the copies are posted by the one that set the flag,
  // and by the task written with it should this node stop first.
  update.unless_flags = flag::kFlagCrossposted;
  update.task = store::NewTask{
      {store::TaskKind::kCrosspostCopies, message_id}, channel_id, clock_() + kTaskLeaseMs};
  auto updated = store_.UpdateMessage(channel_id, message_id, update);
  if (!updated) {
    if (updated.error().code == Errc::kConflict) return AlreadyCrossposted();
    return updated.error();
  }
  auto data = Load(*updated, access->channel.guild_id, true);
  if (!data) return data.error();
  std::vector<MessageView> views;
  views.push_back(MessageView{std::move(*data), {}});
  views.front().json = domain::json::MessageJson(views.front().data);
  PublishMessage("MESSAGE_UPDATE", *access, domain::AuthorOf(*updated), views.front().json);
  PostCopiesChecked(*updated);
  if (auto r = AddReactions(views, user_id); !r) return r.error();
  return std::move(views.front());
}

Result<void> MessageService::ReadFiles(domain::Snowflake message_id,
                                       std::vector<std::string>& bytes,
                                       std::vector<NewAttachment>& files) {
  if (!attachments_) return {};
  auto stored = AttachmentsOf(std::span<const domain::Snowflake>(&message_id, 1));
  if (!stored) return stored.error();
  // `files` views these: no reallocation may move them.
  bytes.reserve(bytes.size() + stored->size());
  for (const auto& a : *stored) {
    auto read = attachments_->Read(a, 0, static_cast<std::uint64_t>(a.size));
    if (!read) {
      LogFailure("file not copied", a.id, read.error());  // the rest still goes out
      continue;
    }
    bytes.push_back(std::move(*read));
    files.push_back(NewAttachment{a.filename, a.description, a.content_type, bytes.back()});
  }
  return {};
}

void MessageService::PostCopiesChecked(const domain::Message& published) {
  PostCopies(published);
  // A delete that read the message before it was marked published (or before these copies were
  // posted) did not find them: they say so now.
  auto still = store_.GetMessage(published.channel_id, published.id);
  if (!still && still.error().code == Errc::kNotFound) {
    (void)UpdateCopies(published, /*deleted=*/true, false);
  } else if (still && still->edited_at_ms != published.edited_at_ms) {
    // An edit that read the message before it was published wrote no task and found no copies;
    // these were posted from what the publish read. They show the message as it is now.
    (void)UpdateCopies(*still, /*deleted=*/false, false);
  }
}

void MessageService::PostCopies(const domain::Message& published) {
  const store::TaskKey task{store::TaskKind::kCrosspostCopies, published.id};
  auto fail = [&](const char* what, const Error& error) {
    LogFailure(what, published.id, error);
    SettleTask(task, error);
  };
  auto followers = store_.ListChannelFollowers(published.channel_id);
  if (!followers) {
    return fail("followers not read", followers.error());
  }
  // A task run again (its first run stopped or failed part way) posts only the missing copies.
  auto existing = store_.ListCrosspostCopies(published.id);
  if (!existing) {
    return fail("copies not posted", existing.error());
  }
  std::erase_if(*followers, [&](const domain::Webhook& follower) {
    return std::any_of(existing->begin(), existing->end(),
                       [&](const domain::Message& copy) { return copy.webhook_id == follower.id; });
  });
  if (followers->empty()) return CompleteTask(task);
  auto channel = store_.GetChannel(published.channel_id);
  if (!channel) {
    return fail("copies not posted", channel.error());
  }

  MessageInput input;
  if (!published.content.empty()) input.content = published.content;
  input.embed_count = EmbedCount(published.embeds_json);
  if (input.embed_count != 0) input.embeds_json = published.embeds_json;
  input.flags = published.flags & flag::kSuppressEmbeds;
  input.allowed_mentions = AllowedMentions{};  // a copy pings no one where it lands
  input.crosspost =
      domain::CrosspostSource{published.id, published.channel_id, channel->guild_id.value_or(0)};
  input.sticker_items_json = published.stickers_json;
  // The files are copied, so each copy keeps them whatever happens to the original's.
  std::vector<std::string> bytes;
  if (auto r = ReadFiles(published.id, bytes, input.files); !r) {
    return fail("copies not posted", r.error());
  }
  // Nothing a copy can carry (a poll alone, components alone): there is nothing to post.
  if (!input.content && input.embed_count == 0 && input.files.empty() &&
      !input.sticker_items_json) {
    return CompleteTask(task);
  }
  std::optional<Error> retry;
  for (const auto& follower : *followers) {
    auto copy = CreateAsWebhook(follower, follower.name, follower.avatar, input);
    // Conflict: another run of the task, whose lease ran out while it worked, posted this one.
    if (!copy && copy.error().code != Errc::kConflict) {
      LogFailure("copy not posted", published.id, copy.error());
      if (IsTransient(copy.error())) retry = copy.error();
    }
  }
  if (retry) return SettleTask(task, *retry);
  CompleteTask(task);
}

void MessageService::AnnounceFollow(domain::Snowflake user_id, domain::Snowflake channel_id,
                                    const std::string& followed) {
  domain::Message m;
  m.id = ids_.Next();
  m.channel_id = channel_id;
  m.author_id = user_id;
  m.type = domain::json::kMessageTypeChannelFollowAdd;
  m.content = followed;  // shown, never parsed: it mentions no one
  m.created_at_ms = domain::SnowflakeUnixMs(m.id);
  auto access = AnnouncerAccess(channel_id);
  auto posted = access ? PostSystemMessage(m, *access) : Result<void>(access.error());
  if (!posted) LogFailure("follow not announced", m.id, posted.error());
}

Result<ChannelAccess> MessageService::AnnouncerAccess(domain::Snowflake channel_id) {
  auto channel = store_.GetChannel(channel_id);
  if (!channel) return channel.error();
  if (!channel->guild_id) {
    ChannelAccess access;
    access.channel = std::move(*channel);
    access.permissions = DmPermissions();
    return access;
  }
  auto guild = store_.GetGuild(*channel->guild_id);
  if (!guild) return guild.error();
  return access_.Channel(guild->owner_id, channel_id);
}

store::NewTask MessageService::CopySyncTask(const domain::Message& original) {
  return store::NewTask{
      {store::TaskKind::kSyncCopies, original.id}, original.channel_id, clock_() + kTaskLeaseMs};
}

std::vector<store::NewTask> MessageService::CopySyncTasks(
    std::span<const domain::Message> originals) {
  std::vector<store::NewTask> tasks;
  for (const auto& m : originals) tasks.push_back(CopySyncTask(m));
  return tasks;
}

void MessageService::OriginalsDeleted(std::span<const domain::Message> originals,
                                      std::span<const store::NewTask> tasks) {
  for (std::size_t i = 0; i < originals.size(); ++i) {
    SyncCopies(originals[i], /*deleted=*/true, false,
               i < tasks.size() ? std::optional(tasks[i].due_at_ms) : std::nullopt);
  }
}

void MessageService::SyncCopies(const domain::Message& original, bool deleted, bool refile,
                                std::optional<std::int64_t> lease) {
  // Until the copies show the original as it is now: a concurrent edit's run may have written
  // them from an older read after this one began.
  domain::Message now = original;
  std::optional<Error> retry;
  for (int round = 0; round < 3; ++round) {
    retry = UpdateCopies(now, deleted, refile);
    if (retry || deleted) break;
    auto again = store_.GetMessage(original.channel_id, original.id);
    if (!again && again.error().code == Errc::kNotFound) {
      retry = UpdateCopies(original, /*deleted=*/true, false);  // deleted meanwhile
      break;
    }
    if (!again) {
      retry = again.error();
      break;
    }
    if (again->edited_at_ms == now.edited_at_ms) break;
    now = std::move(*again);
  }
  if (!lease || (retry && IsTransient(*retry))) return;  // no task, or left for a sweep
  // Only while it is this run's: an edit since wrote it again for its own run.
  CompleteTask({store::TaskKind::kSyncCopies, original.id}, *lease);
}

std::optional<Error> MessageService::UpdateCopies(const domain::Message& original, bool deleted,
                                                  bool refile_all) {
  // The first failure worth another try (the database's), for the caller's task.
  std::optional<Error> retry;
  auto note = [&](const char* what, domain::Snowflake id, const Error& error) {
    LogFailure(what, id, error);
    if (!retry && IsTransient(error)) retry = error;
  };
  auto copies = store_.ListCrosspostCopies(original.id);
  if (!copies) {
    note("copies not updated", original.id, copies.error());
    return retry;
  }
  if (copies->empty()) return retry;
  // A copy's files are compared with the original's rather than assumed unchanged, so a change
  // of files an earlier run did not carry over (it stopped, or another edit took its task) is
  // caught up by whichever run comes next. The original's bytes are read once, when needed.
  std::vector<domain::Attachment> originals;
  if (!deleted) {
    auto listed = AttachmentsOf(std::span<const domain::Snowflake>(&original.id, 1));
    if (!listed) {
      note("copies not updated", original.id, listed.error());
      return retry;
    }
    originals = std::move(*listed);
  }
  std::vector<std::string> bytes;
  std::vector<NewAttachment> files;
  bool read = false;
  for (const auto& copy : *copies) {
    if (copy.flags & flag::kFlagSourceMessageDeleted) continue;
    auto current = AttachmentsOf(std::span<const domain::Snowflake>(&copy.id, 1));
    if (!current) {
      note("copy not updated", copy.id, current.error());
      continue;
    }
    bool refile = attachments_ && !deleted && (refile_all || !SameFiles(originals, *current));
    if (refile && !read) {
      read = true;
      if (auto r = ReadFiles(original.id, bytes, files); !r) {
        note("files not read", original.id, r.error());
      } else if (files.size() != originals.size()) {
        // A file not readable yet (its edit writes it after its rows) or gone: this run leaves
        // the files as they are and its task for a later one, which gives up in the end.
        note("files not read", original.id, Error::Internal("an original's file is unreadable"));
      }
    }
    // Only whole: a copy keeps its files rather than lose one the original's could not be read.
    refile = refile && files.size() == originals.size();
    store::MessageUpdate update;
    if (deleted) {
      update.content = std::string(kSourceDeleted);
      update.embeds_json = "[]";
      update.flags = flag::kFlagSourceMessageDeleted;
      update.flags_mask = flag::kFlagSourceMessageDeleted;
    } else {
      update.content = original.content;
      update.embeds_json = original.embeds_json;
      update.flags = original.flags;
      update.flags_mask = flag::kSuppressEmbeds;
      update.edited_at_ms = original.edited_at_ms;
    }
    // Never over a copy a concurrent delete of the original marked: it stays marked.
    update.unless_flags = flag::kFlagSourceMessageDeleted;
    auto updated = store_.UpdateMessage(copy.channel_id, copy.id, update);
    if (!updated) {
      // A copy deleted (or marked) meanwhile has nothing left to update.
      if (updated.error().code != Errc::kNotFound && updated.error().code != Errc::kConflict) {
        note("copy not updated", copy.id, updated.error());
      }
      continue;
    }
    // The new files first (as in Create: rows, then files; a failure takes the rows back out),
    // the old ones only once those are in: a copy is never left without files.
    bool replaced = deleted;
    if (refile) {
      auto rows = attachments_->Describe(copy.channel_id, copy.id, files);
      Result<void> stored = rows ? store_.CreateAttachments(*rows) : Result<void>(rows.error());
      if (stored) stored = attachments_->WriteFiles(*rows, files);
      if (stored) {
        replaced = true;
      } else {
        note("copy's files not copied", copy.id, stored.error());
        if (rows) (void)store_.DeleteAttachments(domain::IdsOf(*rows));
      }
    }
    if (replaced && !current->empty()) {
      if (auto r = store_.DeleteAttachments(domain::IdsOf(*current)); r) {
        attachments_->RemoveFiles(*current);
      } else {
        note("copy's files not removed", copy.id, r.error());
      }
    }
    auto access = AnnouncerAccess(copy.channel_id);
    if (!access) continue;  // its channel or guild went meanwhile: nobody is left to tell
    auto data = Load(*updated, access->channel.guild_id, true);
    if (!data) {
      note("copy not announced", copy.id, data.error());
      continue;
    }
    PublishMessage("MESSAGE_UPDATE", *access, domain::AuthorOf(*updated),
                   domain::json::MessageJson(*data));
  }
  return retry;
}

}  // namespace chat::service
