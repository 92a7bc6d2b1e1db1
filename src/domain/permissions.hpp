// domain/permissions.hpp — Discord's permission bitfield (API v10, bits 0–52), the guild- and
// channel-level computation (roles, overwrites, implicit rules, timeouts) and the role-hierarchy
// checks that role and member routes use. Pure functions over the entity structs: no I/O, no
// state, safe to call from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/channel.hpp"
#include "domain/guild.hpp"

namespace chat::domain {

namespace perm {

inline constexpr std::uint64_t kCreateInstantInvite = 1ull << 0;
inline constexpr std::uint64_t kKickMembers = 1ull << 1;
inline constexpr std::uint64_t kBanMembers = 1ull << 2;
inline constexpr std::uint64_t kAdministrator = 1ull << 3;
inline constexpr std::uint64_t kManageChannels = 1ull << 4;
inline constexpr std::uint64_t kManageGuild = 1ull << 5;
inline constexpr std::uint64_t kAddReactions = 1ull << 6;
inline constexpr std::uint64_t kViewAuditLog = 1ull << 7;
inline constexpr std::uint64_t kPrioritySpeaker = 1ull << 8;
inline constexpr std::uint64_t kStream = 1ull << 9;
inline constexpr std::uint64_t kViewChannel = 1ull << 10;
inline constexpr std::uint64_t kSendMessages = 1ull << 11;
inline constexpr std::uint64_t kSendTtsMessages = 1ull << 12;
inline constexpr std::uint64_t kManageMessages = 1ull << 13;
inline constexpr std::uint64_t kEmbedLinks = 1ull << 14;
inline constexpr std::uint64_t kAttachFiles = 1ull << 15;
inline constexpr std::uint64_t kReadMessageHistory = 1ull << 16;
inline constexpr std::uint64_t kMentionEveryone = 1ull << 17;
inline constexpr std::uint64_t kUseExternalEmojis = 1ull << 18;
inline constexpr std::uint64_t kViewGuildInsights = 1ull << 19;
inline constexpr std::uint64_t kConnect = 1ull << 20;
inline constexpr std::uint64_t kSpeak = 1ull << 21;
inline constexpr std::uint64_t kMuteMembers = 1ull << 22;
inline constexpr std::uint64_t kDeafenMembers = 1ull << 23;
inline constexpr std::uint64_t kMoveMembers = 1ull << 24;
inline constexpr std::uint64_t kUseVad = 1ull << 25;
inline constexpr std::uint64_t kChangeNickname = 1ull << 26;
inline constexpr std::uint64_t kManageNicknames = 1ull << 27;
inline constexpr std::uint64_t kManageRoles = 1ull << 28;
inline constexpr std::uint64_t kManageWebhooks = 1ull << 29;
inline constexpr std::uint64_t kManageGuildExpressions = 1ull << 30;
inline constexpr std::uint64_t kUseApplicationCommands = 1ull << 31;
inline constexpr std::uint64_t kRequestToSpeak = 1ull << 32;
inline constexpr std::uint64_t kManageEvents = 1ull << 33;
inline constexpr std::uint64_t kManageThreads = 1ull << 34;
inline constexpr std::uint64_t kCreatePublicThreads = 1ull << 35;
inline constexpr std::uint64_t kCreatePrivateThreads = 1ull << 36;
inline constexpr std::uint64_t kUseExternalStickers = 1ull << 37;
inline constexpr std::uint64_t kSendMessagesInThreads = 1ull << 38;
inline constexpr std::uint64_t kUseEmbeddedActivities = 1ull << 39;
inline constexpr std::uint64_t kModerateMembers = 1ull << 40;
inline constexpr std::uint64_t kViewCreatorMonetizationAnalytics = 1ull << 41;
inline constexpr std::uint64_t kUseSoundboard = 1ull << 42;
inline constexpr std::uint64_t kCreateGuildExpressions = 1ull << 43;
inline constexpr std::uint64_t kCreateEvents = 1ull << 44;
inline constexpr std::uint64_t kUseExternalSounds = 1ull << 45;
inline constexpr std::uint64_t kSendVoiceMessages = 1ull << 46;
// Bit 47 is unassigned in Discord's table.
inline constexpr std::uint64_t kSetVoiceChannelStatus = 1ull << 48;
inline constexpr std::uint64_t kSendPolls = 1ull << 49;
inline constexpr std::uint64_t kUseExternalApps = 1ull << 50;
inline constexpr std::uint64_t kPinMessages = 1ull << 51;
inline constexpr std::uint64_t kBypassSlowmode = 1ull << 52;

// Every defined bit: what the owner and administrators hold.
inline constexpr std::uint64_t kAll = ((1ull << 53) - 1) & ~(1ull << 47);

// Lost in a channel without SEND_MESSAGES (Discord's implicit rule).
inline constexpr std::uint64_t kNeedSendMessages =
    kMentionEveryone | kSendTtsMessages | kAttachFiles | kEmbedLinks;
// Lost in a voice channel without CONNECT.
inline constexpr std::uint64_t kNeedConnect =
    kSpeak | kMuteMembers | kDeafenMembers | kMoveMembers | kUseVad | kPrioritySpeaker | kStream;
// All a timed-out member keeps: reading, never writing, reacting or moderating.
inline constexpr std::uint64_t kTimeoutAllowed = kViewChannel | kReadMessageHistory;

// True when `perms` holds every bit of `bits` (all of them, not any).
constexpr bool Has(std::uint64_t perms, std::uint64_t bits) { return (perms & bits) == bits; }

// Decimal, as Discord serializes permissions in JSON ("104324673").
std::string ToString(std::uint64_t perms);

// Parses a decimal permission string from a client or the store. Refuses empty input, signs,
// whitespace, non-digits, values over 2^64-1 and values with undefined bits (47, 53–63): a client
// that sends a bit we do not know is refused rather than silently granted less than it asked.
std::optional<std::uint64_t> ParsePermissions(std::string_view text);

}  // namespace perm

// The following are fail-closed: a member, channel or role that belongs to another guild than
// `guild` contributes nothing (the result is 0, or the role is ignored), because passing one is a
// caller bug that must never grant access. Role.guild_id and Member.guild_id must therefore be
// filled in. Stored role bits outside perm::kAll are masked away.

// Guild-wide permissions, ignoring timeouts: owner ⇒ kAll; otherwise @everyone (the role whose
// id is the guild id) OR the member's roles; ADMINISTRATOR ⇒ kAll. Ids in member.role_ids that
// are not in `guild_roles` are ignored.
std::uint64_t ComputeBasePermissions(const Guild& guild, const std::vector<Role>& guild_roles,
                                     const Member& member);

// True while the member's timeout (communication_disabled_until_ms) lies after `now_unix_ms`.
bool IsTimedOut(const Member& member, std::int64_t now_unix_ms);

// Guild-wide permissions as routes without a channel check them (kick, ban, manage roles…):
// ComputeBasePermissions, narrowed to perm::kTimeoutAllowed while a non-owner, non-admin member
// is timed out.
std::uint64_t ComputeGuildPermissions(const Guild& guild, const std::vector<Role>& guild_roles,
                                      const Member& member, std::int64_t now_unix_ms);

// Applies `channel`'s overwrites to `base` (from ComputeBasePermissions) in Discord's order:
// @everyone deny/allow, then the union of the member's role denies, then the union of their
// allows, then the member's own deny/allow. Then the implicit rules: no VIEW_CHANNEL ⇒ 0; no
// SEND_MESSAGES ⇒ no kNeedSendMessages; a voice channel without CONNECT ⇒ no kNeedConnect. Then
// the timeout rule. Owner and ADMINISTRATOR get kAll and skip all of it. A channel without a
// guild (DM) or of another guild yields 0: DM access is a recipient check, not a bitfield.
std::uint64_t ComputeChannelPermissions(std::uint64_t base, const Guild& guild,
                                        const Channel& channel, const Member& member,
                                        std::int64_t now_unix_ms);

// The one call most routes need: ComputeChannelPermissions(ComputeBasePermissions(...), ...).
std::uint64_t ComputePermissions(const Guild& guild, const std::vector<Role>& guild_roles,
                                 const Member& member, const Channel& channel,
                                 std::int64_t now_unix_ms);

// A thread's permissions from its parent's (ComputePermissions on the parent channel), as
// Discord words them: a private thread is seen only by its members and by holders of
// MANAGE_THREADS; sending takes SEND_MESSAGES_IN_THREADS, reported here as kSendMessages so that
// message routes need no thread case (without it the kNeedSendMessages bits go too); in a locked
// thread only MANAGE_THREADS holders send.
std::uint64_t ApplyThreadRules(std::uint64_t parent_perms, const Channel& thread,
                               bool thread_member);

// A thread's permissions for `member`: the parent's, where lacking SEND_MESSAGES_IN_THREADS (not
// SEND_MESSAGES) is what takes the kNeedSendMessages bits, then ApplyThreadRules.
std::uint64_t ComputeThreadPermissions(const Guild& guild, const std::vector<Role>& guild_roles,
                                       const Member& member, const Channel& parent,
                                       const Channel& thread, bool thread_member,
                                       std::int64_t now_unix_ms);

// The highest position among the member's roles found in `guild_roles`; 0 (the @everyone
// position) when the member has none.
int HighestRolePosition(const Member& member, const std::vector<Role>& guild_roles);

// May `actor` create, edit, delete or assign `target`? The owner always may. Anyone else needs
// MANAGE_ROLES (or ADMINISTRATOR) at guild level, not timed out, and a highest role strictly
// above target.position. Whether the permissions being set are grantable is CanGrantPermissions.
bool CanManageRole(const Guild& guild, const std::vector<Role>& guild_roles, const Member& actor,
                   const Role& target, std::int64_t now_unix_ms);

// The hierarchy half of kick, ban, timeout and nickname changes on someone else (the route checks
// the permission bit itself): nobody acts on the owner; the owner acts on anyone else; otherwise
// the actor's highest role must be strictly above the target's. Equal positions are refused.
bool CanActOnMember(const Guild& guild, const std::vector<Role>& guild_roles, const Member& actor,
                    const Member& target);

// May someone holding `actor_perms` (guild-level) put `requested` on a role or an overwrite?
// Administrators may grant any defined bit; others only bits they hold themselves. Undefined bits
// are never grantable.
bool CanGrantPermissions(std::uint64_t actor_perms, std::uint64_t requested);

}  // namespace chat::domain
