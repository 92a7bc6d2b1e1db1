// service/message_service.hpp — messages (send, read history, edit, delete, bulk delete),
// typing and DM channels. Every call authorizes through AccessService, commits through the
// store, then publishes one bus event to the channel's viewers (MESSAGE_CREATE/UPDATE/DELETE/
// DELETE_BULK, TYPING_START). Synchronous, runs on a worker thread; thread-safe (slowmode and
// nonces: service/message_limits).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "bus/event_bus.hpp"
#include "common/result.hpp"
#include "domain/channel.hpp"
#include "domain/json/message_json.hpp"
#include "domain/json/poll_json.hpp"
#include "domain/snowflake.hpp"
#include "domain/webhook.hpp"
#include "service/access_service.hpp"
#include "service/attachment_service.hpp"
#include "service/audit_log_service.hpp"
#include "service/auto_moderator.hpp"
#include "service/message_limits.hpp"
#include "store/message_store.hpp"
#include "store/store.hpp"

namespace chat::service {

inline constexpr std::size_t kMaxNonceLength = 25;
inline constexpr int kMaxPins = 50;
inline constexpr std::int64_t kBulkDeleteMaxAgeMs = 14LL * 24 * 3600 * 1000;

// Discord's allowed_mentions: which parsed mentions may ping (and so appear in the message).
struct AllowedMentions {
  bool users = false;     // "users" in parse
  bool roles = false;     // "roles" in parse
  bool everyone = false;  // "everyone" in parse
  std::vector<domain::Snowflake> user_ids;
  std::vector<domain::Snowflake> role_ids;
  bool replied_user = false;
};

// A message's `components`, checked (domain/json/component_json.hpp). Only an application may
// send interactive ones: someone using them starts an interaction that it answers.
struct ComponentsInput {
  std::optional<std::string> json;  // the rebuilt array; nullopt when the body had none
  std::size_t count = 0;            // action rows
  bool interactive = false;
};

struct MessageInput {
  std::optional<std::string> content;
  std::optional<std::string> nonce;  // integers arrive as their decimal text
  bool enforce_nonce = false;
  bool tts = false;
  std::optional<std::string> embeds_json;  // serialized JSON array of embed objects
  std::size_t embed_count = 0;
  ComponentsInput components;
  std::optional<domain::Snowflake> reply_to;          // message_reference.message_id
  std::optional<domain::Snowflake> reply_channel_id;  // message_reference.channel_id
  // message_reference.type: 0 replies to reply_to; 1 forwards it from reply_channel_id (another
  // channel may be; VIEW_CHANNEL + READ_MESSAGE_HISTORY there), and the message carries nothing
  // else.
  int reference_type = 0;
  bool fail_if_not_exists = true;
  std::optional<AllowedMentions> allowed_mentions;
  std::int64_t flags = 0;
  // The message's type: 0, or an application's answer to a command (20, CHAT_INPUT_COMMAND; 23,
  // CONTEXT_MENU_COMMAND). Set by services, never read from a request.
  int type = 0;
  // An application's answer to an interaction (its interaction_metadata, serialized). Set by
  // services, never read from a request: the answer needs neither SEND_MESSAGES nor ATTACH_FILES
  // and skips slowmode, as on Discord.
  std::optional<std::string> interaction_json;
  // Set by services that checked the sender's right themselves (a forum post's first message):
  // no SEND_MESSAGES check, no slowmode.
  bool authorized = false;
  std::optional<domain::Snowflake> id;        // a forum post's first message takes the thread's id
  std::vector<NewAttachment> files;           // multipart uploads; need ATTACH_FILES
  std::optional<domain::json::NewPoll> poll;  // needs SEND_POLLS in a guild
  // Up to 3 stickers of the channel's guild (sticker_ids); none from webhooks.
  std::vector<domain::Snowflake> sticker_ids;
  // A follower's copy: the original's sticker_items, as they are. Set by services, never read
  // from a request.
  std::optional<std::string> sticker_items_json;
  // A channel follower's copy of a published message (flag IS_CROSSPOST). Set by services, never
  // read from a request.
  std::optional<domain::CrosspostSource> crosspost;
};

struct MessageEdit {
  std::optional<std::string> content;
  std::optional<std::string> embeds_json;
  std::size_t embed_count = 0;
  ComponentsInput components;  // json nullopt: unchanged; "[]" removes them
  std::optional<std::int64_t> flags;
  std::optional<AllowedMentions> allowed_mentions;
  // Discord's `attachments` on edit: the ids of the attachments to keep; absent keeps them all.
  std::optional<std::vector<domain::Snowflake>> keep_attachments;
  std::vector<NewAttachment> files;  // added after the kept ones; need ATTACH_FILES
  bool poll = false;                 // the body carried a poll: polls cannot be edited (520003)
};

// A message ready for the wire: the data behind it and its Discord object (built once).
struct MessageView {
  domain::json::MessageData data;
  boost::json::object json;
  std::int64_t pinned_at_ms = 0;  // ListPins only: when it was pinned (unix ms)
};

// A user whose account cannot be read, as Discord shows one: their id, "Deleted User".
domain::User DeletedUser(domain::Snowflake id);

// A DM channel with the other participants' user objects (Discord's `recipients`).
struct DmView {
  domain::Channel channel;
  std::vector<domain::User> recipients;
};

// Content rules shared by send and edit (and interactions' ephemeral answers): well-formed UTF-8,
// no NUL, at most 2000 characters.
[[nodiscard]] Result<void> CheckContent(const std::string& content);

class MessageService {
 public:
  using Clock = std::int64_t (*)();  // unix milliseconds

  MessageService(store::Store& store, AccessService& access, bus::EventBus& bus,
                 domain::SnowflakeGenerator& ids,
                 Clock clock = &domain::SnowflakeGenerator::SystemClockMs)
      : store_(store), access_(access), bus_(bus), ids_(ids), clock_(clock), limits_(clock) {}

  // Enables uploads and fills messages' attachments; set once by app.cpp before serving. Without
  // it, messages carrying files are refused and attachments show empty.
  void SetAttachments(AttachmentService* attachments) { attachments_ = attachments; }

  // Needs VIEW_CHANNEL + SEND_MESSAGES (not for an interaction's answer); honours slowmode (429
  // with retry_after) and enforce_nonce (returns the first message sent with the same nonce by the
  // same author; kInFlight while that message is still being written: call again a moment later).
  [[nodiscard]] Result<MessageView> Create(domain::Snowflake author_id,
                                           domain::Snowflake channel_id, const MessageInput& input);
  // VIEW_CHANNEL + READ_MESSAGE_HISTORY.
  [[nodiscard]] Result<MessageView> Get(domain::Snowflake user_id, domain::Snowflake channel_id,
                                        domain::Snowflake message_id);
  // Newest first; the caller has validated the query (one bound, limit 1..100).
  [[nodiscard]] Result<std::vector<MessageView>> List(domain::Snowflake user_id,
                                                      domain::Snowflake channel_id,
                                                      const store::MessageQuery& query);
  // Author only.
  [[nodiscard]] Result<MessageView> Edit(domain::Snowflake user_id, domain::Snowflake channel_id,
                                         domain::Snowflake message_id, const MessageEdit& edit);
  // The author, or MANAGE_MESSAGES in a guild channel.
  [[nodiscard]] Result<void> Delete(domain::Snowflake user_id, domain::Snowflake channel_id,
                                    domain::Snowflake message_id, const AuditReason& reason = {});
  // 2–100 ids, none older than 14 days; MANAGE_MESSAGES.
  [[nodiscard]] Result<void> BulkDelete(domain::Snowflake user_id, domain::Snowflake channel_id,
                                        std::span<const domain::Snowflake> ids,
                                        const AuditReason& reason = {});
  // SEND_MESSAGES; publishes TYPING_START.
  [[nodiscard]] Result<void> Typing(domain::Snowflake user_id, domain::Snowflake channel_id);

  // Pins: PIN_MESSAGES or MANAGE_MESSAGES in guild channels, any participant in DMs; at most
  // kMaxPins per channel. Publish MESSAGE_UPDATE and CHANNEL_PINS_UPDATE.
  [[nodiscard]] Result<void> Pin(domain::Snowflake user_id, domain::Snowflake channel_id,
                                 domain::Snowflake message_id, bool pinned,
                                 const AuditReason& reason = {});
  // Publishes a message of an announcement channel (service/message_crosspost.cpp): flag
  // CROSSPOSTED, announced by MESSAGE_UPDATE, and a copy posted in every channel following it
  // (through its follower webhook: content, embeds and files, pinging no one, flag IS_CROSSPOST,
  // message_reference naming the original). Its author needs SEND_MESSAGES, anyone else
  // MANAGE_MESSAGES too; 50024 outside announcement channels, 40033 once published. Editing the
  // original later edits its copies (text, embeds, files); deleting it leaves them saying so
  // (SOURCE_MESSAGE_DELETED).
  [[nodiscard]] Result<MessageView> Crosspost(domain::Snowflake user_id,
                                              domain::Snowflake channel_id,
                                              domain::Snowflake message_id);
  // CHANNEL_FOLLOW_ADD (type 12) in `channel_id`, by the user who made it follow `followed` (the
  // follower's name, "<guild> #<channel>", as Discord's clients show it). Logged, never returned,
  // when it cannot be posted: the follower exists either way.
  void AnnounceFollow(domain::Snowflake user_id, domain::Snowflake channel_id,
                      const std::string& followed);
  // For published messages deleted outside this service (a ban's purge): the kSyncCopies tasks
  // to write with the deletion (store::MessageStore::DeleteMessages), then, once it is committed,
  // OriginalsDeleted with them: their copies say the originals are gone, as after Delete.
  [[nodiscard]] std::vector<store::NewTask> CopySyncTasks(
      std::span<const domain::Message> originals);
  void OriginalsDeleted(std::span<const domain::Message> originals,
                        std::span<const store::NewTask> tasks);
  // Newest first; VIEW_CHANNEL + READ_MESSAGE_HISTORY.
  [[nodiscard]] Result<std::vector<MessageView>> ListPins(domain::Snowflake user_id,
                                                          domain::Snowflake channel_id);
  // Renders messages `viewer` was already found allowed to read (search results) as List does:
  // author, mentions, the replied-to message and the viewer's reactions. No permission check.
  [[nodiscard]] Result<std::vector<MessageView>> Render(domain::Snowflake viewer,
                                                        std::optional<domain::Snowflake> guild_id,
                                                        std::span<const domain::Message> messages);

  // Takes the user's turn under the channel's slowmode (rate_limit_per_user; MANAGE_MESSAGES and
  // MANAGE_CHANNELS bypass it): 429 20016 with retry_after when it is not theirs yet. Also spaces
  // a member's posts in a forum (service/forum_service.hpp).
  [[nodiscard]] Result<void> CheckSlowmode(domain::Snowflake user_id, const ChannelAccess& access);

  // Keeps slowmode and nonces where every node sees them (app.cpp, with REDIS_URL); see
  // MessageLimits.
  void ShareLimits(bus::SharedKeys* keys) { limits_.Share(keys); }

  // Webhooks (service/webhook_service.hpp): a webhook posts in its own channel whatever its
  // creator's roles, as itself (`name` and `avatar` shown as the author), without slowmode;
  // mentions resolve with the guild owner's permissions, then allowed_mentions. It reads, edits
  // and deletes only its own messages (10008 for others).
  // `thread_id` (Discord's ?thread_id=): a thread of the webhook's channel to act in instead.
  [[nodiscard]] Result<MessageView> CreateAsWebhook(
      const domain::Webhook& webhook, std::string name, std::optional<std::string> avatar,
      const MessageInput& input, std::optional<domain::Snowflake> thread_id = std::nullopt);
  [[nodiscard]] Result<MessageView> GetAsWebhook(
      const domain::Webhook& webhook, domain::Snowflake message_id,
      std::optional<domain::Snowflake> thread_id = std::nullopt);
  [[nodiscard]] Result<MessageView> EditAsWebhook(
      const domain::Webhook& webhook, domain::Snowflake message_id, const MessageEdit& edit,
      std::optional<domain::Snowflake> thread_id = std::nullopt);
  [[nodiscard]] Result<void> DeleteAsWebhook(
      const domain::Webhook& webhook, domain::Snowflake message_id,
      std::optional<domain::Snowflake> thread_id = std::nullopt);

  // Polls (service/message_polls.cpp). A vote replaces the user's answers (empty withdraws
  // them): VIEW_CHANNEL + READ_MESSAGE_HISTORY, people only (bots get 20001: Discord lets no bot
  // vote), one answer unless the poll allows several, 520001 once it has ended. Publishes
  // MESSAGE_POLL_VOTE_ADD/REMOVE per answer gained or lost.
  [[nodiscard]] Result<void> Vote(domain::Snowflake user_id, domain::Snowflake channel_id,
                                  domain::Snowflake message_id, std::vector<int> answer_ids);
  // The voters of one answer, ascending by id after `after`; limit 1..100.
  [[nodiscard]] Result<std::vector<domain::User>> PollVoters(domain::Snowflake user_id,
                                                             domain::Snowflake channel_id,
                                                             domain::Snowflake message_id,
                                                             int answer_id, domain::Snowflake after,
                                                             int limit);
  // Ends the poll now: its author only. Publishes MESSAGE_UPDATE with the counted results and
  // posts the POLL_RESULT message (type 46) that answers the poll.
  [[nodiscard]] Result<MessageView> EndPoll(domain::Snowflake user_id, domain::Snowflake channel_id,
                                            domain::Snowflake message_id);
  // Ends the polls whose time is up (every node runs it; each poll ends once, by the store's
  // compare-and-set). Returns how many this call ended.
  [[nodiscard]] Result<int> EndDuePolls(int limit = 100);
  // The outbox sweep (store/task_store.hpp): the work that follows a committed change — an ended
  // poll's POLL_RESULT message, a published message's copies — when the node that committed it did
  // not finish it (it stopped, or a write failed) and its lease has run out. Every node runs it;
  // each task goes to one claim at a time. Returns how many tasks it claimed.
  [[nodiscard]] Result<int> RunDueTasks(int limit = 10);

  // Moderators' deletes, bulk deletes and pins in guilds go to the audit log (app.cpp sets it).
  void SetAuditLog(AuditLogService* audit) { audit_ = audit; }
  // Runs the guilds' auto moderation rules on what members send and edit; set once by app.cpp
  // before serving. Without it, nothing is moderated.
  void SetAutoModerator(AutoModerator* automod) { automod_ = automod; }

  // The DM between the two users, created on first use. 404 Unknown User for a stranger id.
  [[nodiscard]] Result<DmView> OpenDm(domain::Snowflake user_id, domain::Snowflake recipient_id);
  [[nodiscard]] Result<std::vector<DmView>> ListDms(domain::Snowflake user_id);
  // A DM's or group DM's own notice (a group DM's recipient and name changes), stored and
  // announced with MESSAGE_CREATE to the recipients `channel` lists. Failures are logged: the
  // change it reports is done either way.
  void PostDmNotice(const domain::Message& message, const domain::Channel& channel);

 private:
  // Who sends or changes a message: a user, or a webhook (user_id is then its creator).
  struct Actor {
    domain::Snowflake user_id = 0;
    const domain::Webhook* webhook = nullptr;
    std::string name;  // a webhook's: what it posts under
    std::optional<std::string> avatar;
    // Nonzero: the channel is reached with this user's access instead (an auto moderation alert
    // is the member's message in a channel only the guild's managers may see).
    domain::Snowflake access_as = 0;
    domain::Snowflake id() const { return webhook ? webhook->id : user_id; }
  };
  // The actor's access to the channel, `required` checked for a user; a webhook reaches only its
  // own channel and that channel's threads, with the guild owner's permissions there.
  Result<ChannelAccess> AccessAs(const Actor& actor, domain::Snowflake channel_id,
                                 std::uint64_t required, bool with_user = false);
  Result<MessageView> CreateAs(const Actor& actor, domain::Snowflake channel_id,
                               const MessageInput& input);
  // The auto moderation rules `content` sets off, sent by `actor` where `access` says (none for
  // webhooks, bots and DMs, or without an AutoModerator).
  Result<AutoModVerdict> Moderate(const Actor& actor, const ChannelAccess& access,
                                  const std::string& content);
  // Posts the firings' alert messages (type 24, as the member, in each alert channel), then has
  // the AutoModerator carry out the rest. `message_id`: the message, unless it was blocked.
  void CarryAutoMod(const AutoModVerdict& verdict, const ChannelAccess& access,
                    domain::Snowflake user_id, std::optional<domain::Snowflake> message_id,
                    const std::string& content);
  // Interactive components need a bot as the message's owner (400 otherwise).
  Result<void> CheckComponentSender(const Actor& actor, const ChannelAccess& access,
                                    const ComponentsInput& components);
  // Unarchives the thread `access` is for and announces THREAD_UPDATE; `access.channel` becomes
  // the reopened thread.
  Result<void> Reopen(ChannelAccess& access);
  Result<MessageView> EditAs(const Actor& actor, domain::Snowflake channel_id,
                             domain::Snowflake message_id, const MessageEdit& edit);
  Result<void> DeleteAs(const Actor& actor, domain::Snowflake channel_id,
                        domain::Snowflake message_id, const AuditReason& reason);

  // Users by id: a page's authors and mentioned users, read at once (UsersOf).
  using UserMap = std::unordered_map<domain::Snowflake, domain::User>;
  Result<UserMap> UsersOf(std::span<const domain::Message> messages);
  // From `users` when there, else from the store; nullopt for a deleted account.
  Result<std::optional<domain::User>> FindUser(domain::Snowflake id, const UserMap* users);
  // `with_attachments` false leaves data.attachments to a batch FillAttachments. `author`, when
  // the caller already holds the author's account, saves reading it again; so does `users`.
  Result<domain::json::MessageData> Load(const domain::Message& message,
                                         std::optional<domain::Snowflake> guild_id,
                                         bool with_reference, bool with_attachments = true,
                                         const domain::User* author = nullptr,
                                         const UserMap* users = nullptr);
  // One store query for the attachments of every view; call before AddReactions (which
  // rebuilds the JSON).
  Result<void> FillAttachments(std::vector<MessageView>& views);
  // The message's attachments (one query); empty without an AttachmentService.
  Result<std::vector<domain::Attachment>> AttachmentsOf(std::span<const domain::Snowflake> ids);
  // Fills the viewer's reaction counts and poll votes into each view and rebuilds its JSON.
  Result<void> AddReactions(std::vector<MessageView>& views, domain::Snowflake viewer);
  // A poll's state as `viewer` sees it; nullopt when the store holds none for the message.
  Result<std::optional<domain::PollTally>> TallyOf(domain::Snowflake message_id,
                                                   domain::Snowflake viewer);
  // After a poll was marked ended, by the holder of its kPollResult task: MESSAGE_UPDATE with its
  // counted results, then the POLL_RESULT message, written with the task's completion. Returns the
  // updated poll message as `viewer` sees it.
  Result<MessageView> AnnouncePollEnd(const ChannelAccess& access, domain::Snowflake message_id,
                                      domain::Snowflake viewer);
  // Channel following (service/message_crosspost.cpp): posts a copy of `published` through each
  // follower of its channel that has none yet, by the holder of its kCrosspostCopies task, and
  // settles the task. Brings the copies in line with the original after it was edited or deleted.
  // Failures are logged, never returned: the original's change is committed.
  void PostCopies(const domain::Message& published);
  // PostCopies, then marks the copies if the original was deleted meanwhile.
  void PostCopiesChecked(const domain::Message& published);
  // Each copy's text, embeds and SUPPRESS_EMBEDS as the original's, and its files replaced by
  // copies of the original's where they differ (names, types, sizes), or all with `refile_all`
  // (a change of files, whose bytes may differ alone); or, `deleted`, marked so. Returns the
  // first failure worth another try, if any.
  std::optional<Error> UpdateCopies(const domain::Message& original, bool deleted, bool refile_all);
  // UpdateCopies by the holder of the original's kSyncCopies task, leased until `lease` (none
  // when the change wrote no task), again while the original changed meanwhile; completes the
  // task unless a failure calls for another try.
  void SyncCopies(const domain::Message& original, bool deleted, bool refile,
                  std::optional<std::int64_t> lease);
  // The kSyncCopies task a change of a published message writes, leased to this node.
  store::NewTask CopySyncTask(const domain::Message& original);
  // The message's files, read into `bytes` and described in `files` (which view `bytes`) as new
  // uploads; a file that cannot be read is logged and left out.
  Result<void> ReadFiles(domain::Snowflake message_id, std::vector<std::string>& bytes,
                         std::vector<NewAttachment>& files);
  // sticker_ids as the message keeps them (Discord's sticker_items), each a sticker of the
  // channel's guild: 50081 otherwise, and for webhooks and DMs.
  Result<std::optional<std::string>> StickerItems(const Actor& actor,
                                                  std::optional<domain::Snowflake> guild_id,
                                                  const std::vector<domain::Snowflake>& ids);
  // Stores a message the server writes itself (a poll's result, CHANNEL_FOLLOW_ADD) and announces
  // it with MESSAGE_CREATE to the channel's viewers.
  // With `completes`, the message is written with that task's completion (nothing is written or
  // announced, and Conflict returned, when the task is already done).
  Result<void> PostSystemMessage(const domain::Message& message, const ChannelAccess& access,
                                 const store::TaskKey* completes = nullptr);
  // The channel as the server itself posts in it: as its guild's owner reaches it, or a DM's or
  // group DM's recipients as they are now. What copies, results and their events go out with.
  Result<ChannelAccess> AnnouncerAccess(domain::Snowflake channel_id);
  // A task's work failed with `error`: kept for another sweep when the failure may pass (the
  // database), removed otherwise (its subject is gone, or can never be written). Success settles
  // by CompleteTask (or in the transaction that did the work).
  void SettleTask(store::TaskKey key, const Error& error, std::int64_t only_if_due_at_ms = 0);
  // How long the node that commits a task's cause holds the task before a sweep may take it, and
  // how long each sweep's claim holds it: far longer than the work takes.
  static constexpr std::int64_t kTaskLeaseMs = 60'000;
  void CompleteTask(store::TaskKey key, std::int64_t only_if_due_at_ms = 0);
  // Whether a failure may pass by itself: the database (or cache) failed, not the request.
  static bool IsTransient(const Error& error);
  Result<domain::Message> ResolveMentions(domain::Message message, const ChannelAccess& access,
                                          const std::optional<AllowedMentions>& allowed,
                                          std::optional<domain::Snowflake> replied_author);
  // enforce_nonce: claims `nonce` for `message_id`. Returns the message sent with it, if any;
  // otherwise nullopt, with `claimed` saying whether this request now holds the nonce; kInFlight
  // while another request holding it is still writing its message.
  Result<std::optional<domain::Message>> ClaimNonce(domain::Snowflake author_id,
                                                    domain::Snowflake channel_id,
                                                    const std::string& nonce,
                                                    domain::Snowflake message_id, bool& claimed);
  void PublishMessage(const char* type, const ChannelAccess& access, domain::Snowflake author_id,
                      const boost::json::object& message);
  void Publish(const char* type, const ChannelAccess& access, boost::json::object payload,
               bus::Intent guild_intent, bus::Intent dm_intent);
  std::optional<boost::json::object> PartialMember(const ChannelAccess& access,
                                                   domain::Snowflake user_id);

  store::Store& store_;
  AccessService& access_;
  bus::EventBus& bus_;
  domain::SnowflakeGenerator& ids_;
  const Clock clock_;
  AttachmentService* attachments_ = nullptr;
  AuditLogService* audit_ = nullptr;  // null: nothing is recorded
  AutoModerator* automod_ = nullptr;  // null: nothing is moderated

  MessageLimits limits_;
};

}  // namespace chat::service
