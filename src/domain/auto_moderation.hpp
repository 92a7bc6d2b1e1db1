// domain/auto_moderation.hpp — a guild's auto moderation rules (Discord's AutoMod): what a rule
// looks for in a message a member sends, and what it does when it finds it. The rule row keeps
// its trigger metadata and actions as the JSON Discord shows (checked on the way in by
// service/auto_moderation_service); Compile turns a rule into the matcher the message path runs.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/snowflake.hpp"

namespace chat::domain {

enum class AutoModTrigger : int {
  kKeyword = 1,
  kSpam = 3,
  kKeywordPreset = 4,
  kMentionSpam = 5,
  kMemberProfile = 6,
};

enum class AutoModActionType : int {
  kBlockMessage = 1,
  kSendAlertMessage = 2,
  kTimeout = 3,
  kBlockMemberInteraction = 4,
};

inline constexpr int kAutoModEventMessageSend = 1;

struct AutoModRule {
  Snowflake id = 0;
  Snowflake guild_id = 0;
  std::string name;
  Snowflake creator_id = 0;
  int event_type = kAutoModEventMessageSend;
  int trigger_type = static_cast<int>(AutoModTrigger::kKeyword);
  std::string trigger_metadata_json = "{}";  // Discord's trigger_metadata object
  std::string actions_json = "[]";           // Discord's actions array
  bool enabled = false;
  std::vector<Snowflake> exempt_roles;
  std::vector<Snowflake> exempt_channels;
};

struct AutoModAction {
  AutoModActionType type = AutoModActionType::kBlockMessage;
  std::string custom_message;         // BLOCK_MESSAGE, may be empty
  Snowflake channel_id = 0;           // SEND_ALERT_MESSAGE
  std::int64_t duration_seconds = 0;  // TIMEOUT
};

// What a rule found: Discord's matched_keyword (the keyword or pattern as configured; empty for
// mention spam) and matched_content (the part of the message it matched).
struct AutoModMatch {
  std::string keyword;
  std::string content;
};

// A rule ready to run on messages. Built once per rule read; cheap to keep.
class AutoModMatcher {
 public:
  virtual ~AutoModMatcher() = default;
  // `content` is the message's text; `mentions` the number of distinct users and roles it
  // mentions.
  [[nodiscard]] virtual std::optional<AutoModMatch> Match(std::string_view content,
                                                          std::size_t mentions) const = 0;
  // Compiled regular expressions it holds (each up to 256 KiB), for whoever keeps matchers to
  // bound what they hold.
  [[nodiscard]] virtual std::size_t RegexCount() const { return 0; }
};

// Keyword matching as Discord documents it, case-insensitive (ASCII letters): "cat" must be a
// whole word or phrase, "cat*" starts a word, "*cat" ends one, "*cat*" is anywhere. A word is
// bounded by the start or end of the text or by a character that is neither an ASCII letter or
// digit nor part of a multi-byte UTF-8 character. The whole words around a match are its
// matched content.
std::optional<AutoModMatch> MatchKeyword(std::string_view content, std::string_view keyword);

// Whether a regular expression compiles: RE2's syntax (Discord documents Rust's, which it
// closely follows), within the memory one pattern may take.
bool ValidRegex(const std::string& pattern);

// The matcher of a KEYWORD rule (keywords, regex patterns, allow list) or a MENTION_SPAM rule
// (more than `mention_total_limit` distinct mentions). Null for trigger types this server does not
// run.
std::unique_ptr<AutoModMatcher> CompileKeywordRule(std::vector<std::string> keywords,
                                                   std::vector<std::string> regex_patterns,
                                                   std::vector<std::string> allow_list);
std::unique_ptr<AutoModMatcher> CompileMentionSpamRule(int mention_total_limit);

}  // namespace chat::domain
