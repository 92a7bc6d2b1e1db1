// store/sqlite/sqlite_store_impl.hpp — SqliteStore, the Store over SQLite (internal to the
// sqlite/ folder; others use sqlite_store.hpp). Methods are defined per resource in
// sqlite_<resource>.cpp. Concurrency: writes take the single writer connection under
// writer_mutex_ inside BEGIN IMMEDIATE, several concurrent ones in one transaction (group
// commit); reads lease a reader connection from the pool (or the
// writer, for ":memory:") inside a deferred transaction, so each call sees one snapshot.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_db.hpp"
#include "store/sqlite/sqlite_group_commit.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/store.hpp"

namespace chat::store::sqlite {

class SqliteStore final : public Store {
 public:
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                   const SqliteOptions& options);
  ~SqliteStore() override;

  Result<void> Ping() override;

  // UserStore
  Result<void> CreateUser(const domain::User& user) override;
  Result<domain::User> GetUser(domain::Snowflake id) override;
  Result<domain::User> GetUserByUsername(std::string_view username) override;
  Result<domain::User> GetUserByEmail(std::string_view email) override;
  Result<domain::User> GetUserByLogin(std::string_view login) override;
  Result<domain::User> UpdateUser(domain::Snowflake id, const UserUpdate& update) override;
  Result<std::vector<domain::User>> ListUsers(std::span<const domain::Snowflake> ids) override;

  // TokenStore
  Result<void> CreateRefreshToken(const RefreshToken& token) override;
  Result<RefreshToken> FindRefreshToken(std::string_view token_hash) override;
  Result<bool> MarkRefreshTokenUsed(std::string_view token_hash) override;
  Result<bool> RotateRefreshToken(std::string_view old_hash, const RefreshToken& next) override;
  Result<void> RevokeTokenFamily(domain::Snowflake family_id) override;
  Result<std::int64_t> EndUserSessions(domain::Snowflake user_id) override;
  Result<std::int64_t> ChangePassword(domain::Snowflake user_id,
                                      std::string_view password_hash) override;
  Result<TokenVersionList> ListTokenVersions() override;
  Result<bool> CreateMailToken(MailTokenKind kind, const MailToken& token,
                               std::int64_t not_before_ms) override;
  Result<domain::Snowflake> TakeMailToken(MailTokenKind kind, std::string_view token_hash,
                                          std::int64_t now_ms) override;
  Result<bool> MailTokenLive(MailTokenKind kind, std::string_view token_hash,
                             std::int64_t now_ms) override;
  Result<SessionsEnded> ResetPassword(std::string_view token_hash, std::int64_t now_ms,
                                      std::string_view password_hash) override;
  Result<std::int64_t> DeleteExpiredRefreshTokens(std::int64_t now_ms) override;

  // WebhookStore
  Result<bool> CreateWebhook(const domain::Webhook& webhook, std::size_t max) override;
  Result<domain::Webhook> GetWebhook(domain::Snowflake id) override;
  Result<std::vector<domain::Webhook>> ListChannelWebhooks(domain::Snowflake channel_id) override;
  Result<std::vector<domain::Webhook>> ListGuildWebhooks(domain::Snowflake guild_id) override;
  Result<std::vector<domain::Webhook>> ListChannelFollowers(
      domain::Snowflake source_channel_id) override;
  Result<domain::Webhook> UpdateWebhook(domain::Snowflake id, const WebhookUpdate& update) override;
  Result<void> DeleteWebhook(domain::Snowflake id) override;

  // InteractionStore
  Result<void> CreateInteraction(const Interaction& interaction,
                                 std::int64_t forget_before_ms) override;
  Result<Interaction> GetInteraction(domain::Snowflake id) override;
  Result<bool> AcknowledgeInteraction(domain::Snowflake id, bool ephemeral) override;
  Result<void> ReleaseInteraction(domain::Snowflake id) override;
  Result<bool> SetInteractionResponse(domain::Snowflake id, domain::Snowflake message_id) override;
  Result<void> SetInteractionModal(domain::Snowflake id, const std::string& modal_json) override;
  Result<void> PutEphemeralMessage(const EphemeralMessage& message) override;
  Result<EphemeralMessage> GetEphemeralMessage(domain::Snowflake id,
                                               domain::Snowflake user_id) override;
  Result<void> DeleteEphemeralMessage(domain::Snowflake id) override;

  // CommandStore
  Result<std::vector<domain::ApplicationCommand>> ListCommands(
      domain::Snowflake application_id, std::optional<domain::Snowflake> guild_id) override;
  Result<domain::ApplicationCommand> GetCommand(domain::Snowflake application_id,
                                                std::optional<domain::Snowflake> guild_id,
                                                domain::Snowflake id) override;
  Result<std::optional<StoredCommand>> PutCommand(const domain::ApplicationCommand& command,
                                                  std::size_t max) override;
  Result<void> UpdateCommand(const domain::ApplicationCommand& command) override;
  Result<std::vector<domain::ApplicationCommand>> ListGuildCommandIndex(
      domain::Snowflake guild_id) override;
  Result<void> DeleteCommand(domain::Snowflake application_id,
                             std::optional<domain::Snowflake> guild_id,
                             domain::Snowflake id) override;
  Result<std::vector<domain::ApplicationCommand>> ReplaceCommands(
      domain::Snowflake application_id, std::optional<domain::Snowflake> guild_id,
      std::vector<domain::ApplicationCommand> commands) override;

  Result<std::vector<store::CommandPermissionsRow>> ListCommandPermissions(
      domain::Snowflake application_id, domain::Snowflake guild_id) override;
  Result<void> PutCommandPermissions(domain::Snowflake application_id, domain::Snowflake guild_id,
                                     const store::CommandPermissionsRow& row) override;

  // EmojiStore
  Result<bool> CreateEmoji(const domain::CustomEmoji& emoji, const domain::EmojiImage& image,
                           std::size_t max) override;
  Result<domain::CustomEmoji> GetEmoji(domain::Snowflake id) override;
  Result<std::vector<domain::CustomEmoji>> ListEmojis(domain::Snowflake guild_id) override;
  Result<domain::CustomEmoji> RenameEmoji(domain::Snowflake id, const std::string& name) override;
  Result<void> DeleteEmoji(domain::Snowflake id) override;
  Result<domain::EmojiImage> GetEmojiImage(domain::Snowflake id) override;

  // ScheduledEventStore
  Result<bool> CreateScheduledEvent(const domain::ScheduledEvent& event, std::size_t max,
                                    const CoverWrite* cover) override;
  Result<domain::EventCover> GetScheduledEventCover(domain::Snowflake id) override;
  Result<domain::ScheduledEvent> GetScheduledEvent(domain::Snowflake id) override;
  Result<std::vector<domain::ScheduledEvent>> ListScheduledEvents(
      domain::Snowflake guild_id) override;
  Result<bool> UpdateScheduledEvent(const domain::ScheduledEvent& event,
                                    domain::EventStatus expected_status,
                                    const CoverWrite* cover) override;
  Result<bool> SetScheduledEventStatus(domain::Snowflake id, domain::EventStatus from,
                                       domain::EventStatus to) override;
  Result<void> DeleteScheduledEvent(domain::Snowflake id) override;
  Result<std::vector<domain::ScheduledEvent>> ListScheduledEventsDue(std::int64_t now_ms,
                                                                     std::size_t limit) override;
  Result<bool> AddScheduledEventUser(domain::Snowflake event_id,
                                     domain::Snowflake user_id) override;
  Result<bool> RemoveScheduledEventUser(domain::Snowflake event_id,
                                        domain::Snowflake user_id) override;
  Result<std::vector<domain::Snowflake>> ListScheduledEventUsers(domain::Snowflake event_id,
                                                                 domain::Snowflake before,
                                                                 domain::Snowflake after,
                                                                 std::size_t limit) override;
  Result<std::vector<std::int64_t>> CountScheduledEventUsers(
      const std::vector<domain::Snowflake>& event_ids) override;

  // PollStore
  Result<std::vector<std::pair<domain::Snowflake, domain::PollTally>>> ListPollTallies(
      std::span<const domain::Snowflake> message_ids, domain::Snowflake viewer) override;
  Result<std::optional<PollVoteChange>> SetPollVotes(domain::Snowflake message_id,
                                                     domain::Snowflake user_id,
                                                     std::span<const int> answer_ids,
                                                     std::int64_t now_ms) override;
  Result<std::vector<domain::Snowflake>> ListPollVoters(domain::Snowflake message_id, int answer_id,
                                                        domain::Snowflake after,
                                                        int limit) override;
  Result<bool> FinalizePoll(domain::Snowflake message_id, std::int64_t now_ms,
                            std::int64_t announce_by_ms) override;
  // TaskStore
  Result<std::vector<PendingTask>> ClaimDueTasks(std::int64_t now_ms, std::int64_t lease_until_ms,
                                                 int limit) override;
  Result<bool> CompleteTask(TaskKey key, std::int64_t only_if_due_at_ms) override;
  Result<std::vector<DuePoll>> ListDuePolls(std::int64_t now_ms, int limit) override;

  // StageInstanceStore
  Result<void> CreateStageInstance(const domain::StageInstance& instance) override;
  Result<domain::StageInstance> GetStageInstance(domain::Snowflake channel_id) override;
  Result<std::vector<domain::StageInstance>> ListStageInstances(
      domain::Snowflake guild_id) override;
  Result<domain::StageInstance> UpdateStageInstance(domain::Snowflake channel_id,
                                                    const std::string& topic) override;
  Result<domain::StageInstance> DeleteStageInstance(domain::Snowflake channel_id) override;

  // ThreadStore
  Result<void> CreateThread(const domain::Channel& thread,
                            const std::vector<domain::ThreadMember>& members) override;
  Result<domain::Channel> UpdateThread(domain::Snowflake id, const ThreadUpdate& update) override;
  Result<bool> AddThreadMember(const domain::ThreadMember& member) override;
  Result<bool> RemoveThreadMember(domain::Snowflake thread_id, domain::Snowflake user_id) override;
  Result<std::optional<domain::ThreadMember>> GetThreadMember(domain::Snowflake thread_id,
                                                              domain::Snowflake user_id) override;
  Result<std::vector<domain::ThreadMember>> ListThreadMembers(domain::Snowflake thread_id) override;
  Result<std::vector<domain::Channel>> ListActiveThreads(domain::Snowflake guild_id) override;
  Result<std::vector<ThreadAccessRow>> ListThreadAccess(domain::Snowflake guild_id,
                                                        domain::Snowflake user_id) override;
  Result<std::vector<domain::ThreadMember>> ListJoinedActiveThreads(
      domain::Snowflake guild_id, domain::Snowflake user_id) override;
  Result<std::vector<domain::Channel>> ListArchivedThreads(
      const ArchivedThreadQuery& query) override;
  Result<std::vector<domain::Channel>> ArchiveIdleThreads(std::int64_t now_ms, int limit) override;

  // ApplicationStore
  Result<void> CreateApplication(const Application& app) override;
  Result<Application> GetApplication(domain::Snowflake id) override;
  Result<Application> GetApplicationByBotUser(domain::Snowflake bot_user_id) override;
  Result<std::vector<Application>> ListApplicationsByOwner(domain::Snowflake owner_id) override;
  Result<void> UpdateBotTokenHash(domain::Snowflake app_id, std::string_view token_hash) override;

  // GuildStore
  Result<void> CreateGuild(const NewGuild& guild) override;
  Result<domain::Guild> GetGuild(domain::Snowflake id) override;
  Result<domain::Guild> UpdateGuild(domain::Snowflake id, const GuildUpdate& update) override;
  Result<void> DeleteGuild(domain::Snowflake id) override;
  Result<std::vector<domain::Snowflake>> ListUserGuildIds(domain::Snowflake user_id) override;
  Result<std::vector<domain::Guild>> ListUserGuilds(domain::Snowflake user_id) override;
  Result<std::int64_t> CountMembers(domain::Snowflake guild_id) override;

  // RoleStore
  Result<void> CreateRole(const domain::Role& role) override;
  Result<domain::Role> GetRole(domain::Snowflake guild_id, domain::Snowflake role_id) override;
  Result<std::vector<domain::Role>> ListRoles(domain::Snowflake guild_id) override;
  Result<domain::Role> UpdateRole(domain::Snowflake guild_id, domain::Snowflake role_id,
                                  const RoleUpdate& update) override;
  Result<void> DeleteRole(domain::Snowflake guild_id, domain::Snowflake role_id) override;
  Result<std::vector<domain::Role>> SetRolePositions(
      domain::Snowflake guild_id, std::span<const RolePosition> positions) override;

  // ChannelStore
  Result<void> CreateChannel(const domain::Channel& channel) override;
  Result<domain::Channel> GetChannel(domain::Snowflake id) override;
  Result<std::vector<domain::Channel>> ListChannels(domain::Snowflake guild_id) override;
  Result<domain::Channel> UpdateChannel(domain::Snowflake id, const ChannelUpdate& update) override;
  Result<void> SetChannelPositions(domain::Snowflake guild_id,
                                   std::span<const ChannelPosition> positions) override;
  Result<void> DeleteChannel(domain::Snowflake id) override;
  Result<void> PutOverwrite(domain::Snowflake channel_id,
                            const domain::PermissionOverwrite& overwrite) override;
  Result<void> DeleteOverwrite(domain::Snowflake channel_id, domain::Snowflake target_id) override;
  Result<std::optional<domain::Channel>> FindDmChannel(domain::Snowflake user_a,
                                                       domain::Snowflake user_b) override;
  Result<std::vector<domain::Channel>> ListDmChannels(domain::Snowflake user_id) override;
  Result<bool> AddRecipient(domain::Snowflake channel_id, domain::Snowflake user_id,
                            domain::Snowflake actor, std::size_t max) override;
  Result<RecipientRemoval> RemoveRecipient(domain::Snowflake channel_id, domain::Snowflake user_id,
                                           domain::Snowflake actor) override;
  Result<domain::Channel> UpdateGroupDm(domain::Snowflake channel_id,
                                        const GroupDmUpdate& update) override;
  Result<domain::StoredImage> GetChannelIcon(domain::Snowflake channel_id) override;

  // StickerStore
  Result<bool> CreateSticker(const domain::Sticker& sticker, const domain::StickerImage& image,
                             std::size_t max) override;
  Result<domain::Sticker> GetSticker(domain::Snowflake id) override;
  Result<std::vector<domain::Sticker>> ListStickers(domain::Snowflake guild_id) override;
  Result<domain::Sticker> UpdateSticker(domain::Snowflake id, const StickerUpdate& update) override;
  Result<void> DeleteSticker(domain::Snowflake id) override;
  Result<domain::StickerImage> GetStickerImage(domain::Snowflake id) override;

  // AutoModerationStore
  Result<bool> CreateAutoModRule(const domain::AutoModRule& rule, std::size_t max) override;
  Result<domain::AutoModRule> GetAutoModRule(domain::Snowflake guild_id,
                                             domain::Snowflake rule_id) override;
  Result<std::vector<domain::AutoModRule>> ListAutoModRules(domain::Snowflake guild_id) override;
  Result<void> UpdateAutoModRule(const domain::AutoModRule& rule) override;
  Result<domain::AutoModRule> DeleteAutoModRule(domain::Snowflake guild_id,
                                                domain::Snowflake rule_id) override;

  // MemberStore
  Result<void> AddMember(const domain::Member& member) override;
  Result<domain::Member> GetMember(domain::Snowflake guild_id, domain::Snowflake user_id) override;
  Result<std::vector<domain::Member>> ListMembers(domain::Snowflake guild_id,
                                                  domain::Snowflake after, int limit) override;
  Result<std::vector<domain::Member>> SearchMembers(domain::Snowflake guild_id,
                                                    std::string_view prefix, int limit) override;
  Result<domain::Member> UpdateMember(domain::Snowflake guild_id, domain::Snowflake user_id,
                                      const MemberUpdate& update) override;
  Result<void> SetMemberRoles(domain::Snowflake guild_id, domain::Snowflake user_id,
                              std::span<const domain::Snowflake> role_ids) override;
  Result<void> AddMemberRole(domain::Snowflake guild_id, domain::Snowflake user_id,
                             domain::Snowflake role_id) override;
  Result<void> RemoveMemberRole(domain::Snowflake guild_id, domain::Snowflake user_id,
                                domain::Snowflake role_id) override;
  Result<void> RemoveMember(domain::Snowflake guild_id, domain::Snowflake user_id) override;
  Result<bool> IsMember(domain::Snowflake guild_id, domain::Snowflake user_id) override;

  // MessageStore
  Result<void> CreateMessage(const domain::Message& message) override;
  Result<void> CreateMessageCompleting(const domain::Message& message, TaskKey task) override;
  Result<domain::Message> GetMessage(domain::Snowflake channel_id,
                                     domain::Snowflake message_id) override;
  Result<std::vector<domain::Message>> ListMessages(domain::Snowflake channel_id,
                                                    const MessageQuery& query) override;
  Result<domain::Message> UpdateMessage(domain::Snowflake channel_id, domain::Snowflake message_id,
                                        const MessageUpdate& update) override;
  using MessageStore::DeleteMessage;
  using MessageStore::DeleteMessages;
  Result<void> DeleteMessage(domain::Snowflake channel_id, domain::Snowflake message_id,
                             std::span<const NewTask> tasks) override;
  Result<std::vector<domain::Message>> ListCrosspostCopies(
      domain::Snowflake source_message_id) override;
  Result<std::int64_t> DeleteMessages(domain::Snowflake channel_id,
                                      std::span<const domain::Snowflake> ids,
                                      std::span<const NewTask> tasks) override;
  Result<std::optional<domain::Snowflake>> GetLastMessageId(domain::Snowflake channel_id) override;

  Result<void> CreateInvite(const Invite& invite) override;
  Result<Invite> GetInvite(std::string_view code) override;
  Result<std::vector<Invite>> ListChannelInvites(domain::Snowflake channel_id) override;
  Result<std::vector<Invite>> ListGuildInvites(domain::Snowflake guild_id) override;
  Result<void> DeleteInvite(std::string_view code) override;
  Result<Invite> UseInvite(std::string_view code, std::int64_t now_ms) override;
  Result<void> PutBan(const Ban& ban) override;
  Result<Ban> GetBan(domain::Snowflake guild_id, domain::Snowflake user_id) override;
  Result<std::vector<Ban>> ListBans(domain::Snowflake guild_id, domain::Snowflake after,
                                    int limit) override;
  Result<void> DeleteBan(domain::Snowflake guild_id, domain::Snowflake user_id) override;
  Result<bool> AddReaction(domain::Snowflake message_id, domain::Snowflake user_id,
                           std::string_view emoji, std::int64_t at_ms) override;
  Result<bool> RemoveReaction(domain::Snowflake message_id, domain::Snowflake user_id,
                              std::string_view emoji) override;
  Result<std::int64_t> RemoveReactions(domain::Snowflake message_id,
                                       const std::optional<std::string>& emoji) override;
  Result<std::vector<domain::Snowflake>> ListReactionUsers(domain::Snowflake message_id,
                                                           std::string_view emoji,
                                                           domain::Snowflake after,
                                                           int limit) override;
  Result<std::vector<ReactionSummary>> ListReactionSummaries(
      std::span<const domain::Snowflake> message_ids, domain::Snowflake viewer) override;
  Result<std::vector<domain::Snowflake>> ListPinnedMessageIds(domain::Snowflake channel_id,
                                                              int limit) override;
  // AttachmentStore
  Result<void> CreateAttachments(std::span<const domain::Attachment> attachments) override;
  Result<domain::Attachment> GetAttachment(domain::Snowflake id) override;
  Result<std::vector<domain::Attachment>> ListAttachments(
      std::span<const domain::Snowflake> message_ids) override;
  Result<std::int64_t> DeleteAttachments(std::span<const domain::Snowflake> ids) override;
  // PinStore
  Result<void> SetPinned(domain::Snowflake channel_id, domain::Snowflake message_id, bool pinned,
                         std::int64_t at_ms) override;
  Result<std::vector<PinEntry>> ListPins(domain::Snowflake channel_id, int limit) override;
  // SearchStore
  Result<SearchPage> SearchMessages(const SearchQuery& query) override;
  // AuditLogStore
  Result<void> AppendAuditLogEntry(const domain::AuditLogEntry& entry) override;
  Result<std::vector<domain::AuditLogEntry>> ListAuditLogEntries(
      const AuditLogQuery& query) override;

  // AccessStore
  Result<GuildAccessRows> ReadGuildAccess(domain::Snowflake guild_id,
                                          domain::Snowflake user_id) override;
  Result<ChannelAccessRows> ReadChannelAccess(domain::Snowflake channel_id,
                                              domain::Snowflake user_id, bool with_user) override;

 private:
  SqliteStore() = default;

  // Runs fn(Connection&) → Result<T> on the writer connection, committed with the writes of
  // other threads that arrive meanwhile (see sqlite_group_commit.hpp). fn's changes are kept
  // only if it succeeds; the call returns once they are committed.
  template <class Fn>
  auto Write(Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
    using R = decltype(fn(std::declval<Connection&>()));
    struct Context {
      Fn& fn;
      std::optional<R> result;
    } context{fn, std::nullopt};
    GroupWrite write;
    write.context = &context;
    write.run = [](void* c, Connection& conn) {
      auto& ctx = *static_cast<Context*>(c);
      ctx.result.emplace(ctx.fn(conn));
      return static_cast<bool>(*ctx.result);
    };
    group_commit_->Run(write);
    if (write.commit_error) return *write.commit_error;
    return std::move(*context.result);
  }

  // Runs fn(Connection&) → Result<T> in a read transaction on a leased reader connection.
  template <class Fn>
  auto Read(Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
    if (readers_.empty()) {
      std::lock_guard lock(writer_mutex_);
      return InTransaction(*writer_, "BEGIN", fn);
    }
    ReaderLease lease(*this);
    return InTransaction(*lease.conn, "BEGIN", fn);
  }

  struct ReaderLease {
    explicit ReaderLease(SqliteStore& s) : store(s), conn(s.AcquireReader()) {}
    ReaderLease(const ReaderLease&) = delete;
    ReaderLease& operator=(const ReaderLease&) = delete;
    ~ReaderLease() { store.ReleaseReader(conn); }
    SqliteStore& store;
    Connection* conn;
  };

  Connection* AcquireReader();
  void ReleaseReader(Connection* conn);

  std::mutex writer_mutex_;
  std::unique_ptr<Connection> writer_;         // GUARDED_BY(writer_mutex_) once Open() returns
  std::unique_ptr<GroupCommit> group_commit_;  // over writer_, set once Open() migrated

  std::vector<std::unique_ptr<Connection>> readers_;  // fixed after Open()
  std::mutex pool_mutex_;
  std::condition_variable pool_cv_;
  std::vector<Connection*> free_readers_;  // GUARDED_BY(pool_mutex_)
};

}  // namespace chat::store::sqlite
