#include "service/invite_service.hpp"

#include <algorithm>
#include <random>

#include <boost/json.hpp>

#include "domain/json/user_json.hpp"
#include "domain/permissions.hpp"
#include "store/errors.hpp"

namespace chat::service {
namespace perm = domain::perm;
using domain::Snowflake;

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

// 10 characters from the OS random source: 62^10 codes, so that they cannot be guessed.
std::string NewCode() {
  std::random_device rd;
  std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
  std::string code;
  for (int i = 0; i < 10; ++i) code.push_back(kAlphabet[pick(rd)]);
  return code;
}

}  // namespace

Result<InviteView> InviteService::View(store::Invite invite, bool with_counts) {
  auto guild = deps_.store.GetGuild(invite.guild_id);
  if (!guild) return store::UnknownInvite();
  auto channel = deps_.store.GetChannel(invite.channel_id);
  if (!channel) return store::UnknownInvite();
  InviteView view{std::move(invite), std::move(*guild), std::move(*channel),
                  std::nullopt,      std::nullopt,      std::nullopt};
  if (view.invite.inviter_id) {
    if (auto u = deps_.store.GetUser(*view.invite.inviter_id)) view.inviter = std::move(*u);
  }
  if (with_counts) {
    auto count = deps_.store.CountMembers(view.guild.id);
    if (!count) return count.error();
    view.member_count = *count;
    auto online = CountOnline(deps_, view.guild.id);
    if (!online) return online.error();
    view.presence_count = *online;
  }
  return view;
}

Result<InviteView> InviteService::Create(Snowflake user_id, Snowflake channel_id,
                                         const InviteInput& input, const AuditReason& reason) {
  auto ca = deps_.access.RequireChannel(user_id, channel_id, perm::kCreateInstantInvite);
  if (!ca) return ca.error();
  if (!ca->channel.guild_id) return MissingPermissions();
  if (domain::IsThread(ca->channel.type)) {
    return WrongChannelType();  // an invite lands a newcomer in a channel, not a thread
  }
  const std::int64_t now = deps_.access.Now();
  if (!input.unique) {
    auto existing = deps_.store.ListChannelInvites(channel_id);
    if (!existing) return existing.error();
    for (auto& inv : *existing) {
      if (inv.inviter_id == user_id && inv.max_age == input.max_age &&
          inv.max_uses == input.max_uses && inv.temporary == input.temporary && !inv.Spent(now)) {
        return View(std::move(inv), false);
      }
    }
  }
  store::Invite invite;
  invite.guild_id = *ca->channel.guild_id;
  invite.channel_id = channel_id;
  invite.inviter_id = user_id;
  invite.max_age = input.max_age;
  invite.max_uses = input.max_uses;
  invite.temporary = input.temporary;
  invite.created_at_ms = now;
  for (int attempt = 0;; ++attempt) {
    invite.code = NewCode();
    auto r = deps_.store.CreateInvite(invite);
    if (r) break;
    if (r.error().code != Errc::kConflict || attempt >= 3) return r.error();
  }
  RecordAudit(deps_.audit, invite.guild_id, user_id, std::nullopt,
              domain::AuditLogAction::kInviteCreate, AuditDiff({}, AuditFields(invite)), reason);
  return View(std::move(invite), false);
}

Result<InviteView> InviteService::Get(const std::string& code, bool with_counts) {
  auto invite = deps_.store.GetInvite(code);
  if (!invite) return invite.error();
  if (invite->Spent(deps_.access.Now())) return store::UnknownInvite();
  return View(std::move(*invite), with_counts);
}

Result<InviteView> InviteService::Join(Snowflake user_id, const std::string& code) {
  auto invite = deps_.store.GetInvite(code);
  if (!invite) return invite.error();
  const Snowflake guild_id = invite->guild_id;
  auto member = deps_.store.IsMember(guild_id, user_id);
  if (!member) return member.error();
  if (*member) return View(std::move(*invite), false);
  auto ban = deps_.store.GetBan(guild_id, user_id);
  if (ban) return Error::Forbidden("You are banned from this guild.", 40007);
  if (ban.error().code != Errc::kNotFound) return ban.error();
  auto used = deps_.store.UseInvite(code, deps_.access.Now());
  if (!used) return used.error();
  auto joined = guilds_.Join(user_id, guild_id);
  // A racing second join of the same user finds the membership already there: same outcome.
  if (!joined && joined.error().code != Errc::kConflict) return joined.error();
  return View(std::move(*used), false);
}

Result<std::vector<InviteView>> InviteService::ListChannel(Snowflake user_id,
                                                           Snowflake channel_id) {
  auto ca = deps_.access.RequireChannel(user_id, channel_id, perm::kManageChannels);
  if (!ca) return ca.error();
  auto list = deps_.store.ListChannelInvites(channel_id);
  if (!list) return list.error();
  std::vector<InviteView> out;
  for (auto& inv : *list) {
    if (auto v = View(std::move(inv), false)) out.push_back(std::move(*v));
  }
  return out;
}

Result<std::vector<InviteView>> InviteService::ListGuild(Snowflake user_id, Snowflake guild_id) {
  auto ga = deps_.access.RequireGuild(user_id, guild_id, perm::kManageGuild);
  if (!ga) return ga.error();
  auto list = deps_.store.ListGuildInvites(guild_id);
  if (!list) return list.error();
  std::vector<InviteView> out;
  for (auto& inv : *list) {
    if (auto v = View(std::move(inv), false)) out.push_back(std::move(*v));
  }
  return out;
}

Result<InviteView> InviteService::Delete(Snowflake user_id, const std::string& code,
                                         const AuditReason& reason) {
  auto invite = deps_.store.GetInvite(code);
  if (!invite) return invite.error();
  auto ca = deps_.access.Channel(user_id, invite->channel_id);
  if (!ca) return ca.error();
  const bool allowed = perm::Has(ca->permissions, perm::kManageChannels) ||
                       (ca->guild && perm::Has(ca->guild->permissions, perm::kManageGuild));
  if (!allowed) return MissingPermissions();
  auto view = View(*invite, false);
  if (auto r = deps_.store.DeleteInvite(code); !r) return r.error();
  RecordAudit(deps_.audit, invite->guild_id, user_id, std::nullopt,
              domain::AuditLogAction::kInviteDelete, AuditDiff(AuditFields(*invite), {}), reason);
  return view;
}

Result<void> InviteService::Ban(Snowflake user_id, Snowflake guild_id, Snowflake target_id,
                                std::optional<std::string> reason, int delete_message_seconds) {
  auto ga = deps_.access.RequireGuild(user_id, guild_id, perm::kBanMembers);
  if (!ga) return ga.error();
  if (target_id == user_id || target_id == ga->guild.owner_id) return MissingPermissions();
  auto target = deps_.store.GetMember(guild_id, target_id);
  const bool was_member = target.has_value();
  if (was_member && !domain::CanActOnMember(ga->guild, ga->roles, ga->member, *target)) {
    return MissingPermissions();
  }
  auto user = deps_.store.GetUser(target_id);
  if (!user) return user.error();
  store::Ban ban{guild_id, target_id, reason, deps_.access.Now()};
  if (auto r = deps_.store.PutBan(ban); !r) return r.error();
  RecordAudit(deps_.audit, guild_id, user_id, target_id, domain::AuditLogAction::kMemberBanAdd, {},
              reason);
  PublishToGuild(deps_, "GUILD_BAN_ADD", guild_id, bus::Intent::kGuildModeration,
                 boost::json::object{{"guild_id", domain::ToString(guild_id)},
                                     {"user", domain::json::UserJson(*user)}});
  if (was_member) guilds_.AnnounceRemoval(guild_id, target_id);
  if (delete_message_seconds > 0) {
    DeleteRecentMessages(guild_id, target_id,
                         deps_.access.Now() - std::int64_t{delete_message_seconds} * 1000);
  }
  return {};
}

Result<InviteService::BulkBanResult> InviteService::BulkBan(Snowflake user_id, Snowflake guild_id,
                                                            std::span<const Snowflake> targets,
                                                            std::optional<std::string> reason,
                                                            int delete_message_seconds) {
  if (targets.empty() || targets.size() > kMaxBulkBan) {
    return Error::Validation("Invalid Form Body", {{"user_ids", "BASE_TYPE_BAD_LENGTH",
                                                    "Must be between 1 and 200 in length."}});
  }
  auto ga = deps_.access.RequireGuild(user_id, guild_id, perm::kBanMembers | perm::kManageGuild);
  if (!ga) return ga.error();
  BulkBanResult out;
  for (const auto target : targets) {
    if (std::find(out.banned.begin(), out.banned.end(), target) != out.banned.end() ||
        std::find(out.failed.begin(), out.failed.end(), target) != out.failed.end()) {
      continue;  // listed twice
    }
    const bool already = deps_.store.GetBan(guild_id, target).has_value();
    if (!already && Ban(user_id, guild_id, target, reason, delete_message_seconds)) {
      out.banned.push_back(target);
    } else {
      out.failed.push_back(target);
    }
  }
  if (out.banned.empty()) return Error{Errc::kValidation, "Failed to ban users", 500000};
  return out;
}

void InviteService::DeleteRecentMessages(Snowflake guild_id, Snowflake author_id,
                                         std::int64_t since_ms) {
  constexpr int kPage = 100;
  constexpr int kMaxPages = 200;  // bounds one ban's work: 20,000 messages per channel
  auto channels = deps_.store.ListChannels(guild_id);
  if (!channels) return;
  for (const auto& channel : *channels) {
    if (channel.type == domain::ChannelType::kGuildCategory) continue;
    std::vector<Snowflake> ids;
    std::vector<domain::Message> published;  // their copies learn the originals are gone
    store::MessageQuery query;
    query.after = domain::SnowflakeFromUnixMs(std::max<std::int64_t>(since_ms, 0));
    query.limit = kPage;
    for (int page = 0; page < kMaxPages; ++page) {
      auto messages = deps_.store.ListMessages(channel.id, query);
      if (!messages || messages->empty()) break;
      for (const auto& m : *messages) {
        if (domain::AuthorOf(m) == author_id) {  // not their webhooks'
          ids.push_back(m.id);
          if (m.flags & domain::json::kFlagCrossposted) published.push_back(m);
        }

        query.after = std::max(*query.after, m.id);
      }
      if (static_cast<int>(messages->size()) < kPage) break;
    }
    if (ids.empty()) continue;
    const std::vector<store::NewTask> tasks =
        messages_ ? messages_->CopySyncTasks(published) : std::vector<store::NewTask>{};
    if (!deps_.store.DeleteMessages(channel.id, ids, tasks)) continue;
    boost::json::array id_array;
    for (Snowflake id : ids) id_array.emplace_back(domain::ToString(id));
    if (auto viewers = deps_.access.ChannelViewers(channel)) {
      PublishTo(deps_.bus, "MESSAGE_DELETE_BULK", guild_id, std::move(*viewers),
                bus::Intent::kGuildMessages,
                boost::json::object{{"ids", std::move(id_array)},
                                    {"channel_id", domain::ToString(channel.id)},
                                    {"guild_id", domain::ToString(guild_id)}});
    }
    if (messages_ && !published.empty()) messages_->OriginalsDeleted(published, tasks);
  }
}

Result<void> InviteService::Unban(Snowflake user_id, Snowflake guild_id, Snowflake target_id,
                                  const AuditReason& reason) {
  auto ga = deps_.access.RequireGuild(user_id, guild_id, perm::kBanMembers);
  if (!ga) return ga.error();
  if (auto r = deps_.store.DeleteBan(guild_id, target_id); !r) return r.error();
  RecordAudit(deps_.audit, guild_id, user_id, target_id, domain::AuditLogAction::kMemberBanRemove,
              {}, reason);
  if (auto user = deps_.store.GetUser(target_id)) {
    PublishToGuild(deps_, "GUILD_BAN_REMOVE", guild_id, bus::Intent::kGuildModeration,
                   boost::json::object{{"guild_id", domain::ToString(guild_id)},
                                       {"user", domain::json::UserJson(*user)}});
  }
  return {};
}

Result<BanView> InviteService::GetBan(Snowflake user_id, Snowflake guild_id, Snowflake target_id) {
  auto ga = deps_.access.RequireGuild(user_id, guild_id, perm::kBanMembers);
  if (!ga) return ga.error();
  auto ban = deps_.store.GetBan(guild_id, target_id);
  if (!ban) return ban.error();
  auto user = deps_.store.GetUser(target_id);
  if (!user) return store::UnknownBan();
  return BanView{std::move(*ban), std::move(*user)};
}

Result<std::vector<BanView>> InviteService::ListBans(Snowflake user_id, Snowflake guild_id,
                                                     Snowflake after, int limit) {
  auto ga = deps_.access.RequireGuild(user_id, guild_id, perm::kBanMembers);
  if (!ga) return ga.error();
  auto bans = deps_.store.ListBans(guild_id, after, limit);
  if (!bans) return bans.error();
  std::vector<BanView> out;
  for (auto& b : *bans) {
    if (auto u = deps_.store.GetUser(b.user_id)) out.push_back({std::move(b), std::move(*u)});
  }
  return out;
}

}  // namespace chat::service
