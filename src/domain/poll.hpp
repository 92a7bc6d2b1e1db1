// domain/poll.hpp — a poll sent with a message (Discord's poll resource): a question, up to ten
// answers numbered from 1, and the votes members cast until it ends. What it shows once ended
// (the winning answer, the totals) is decided here, from the counts alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/snowflake.hpp"

namespace chat::domain {

inline constexpr std::size_t kMaxPollAnswers = 10;
inline constexpr std::size_t kMaxPollQuestionLength = 300;
inline constexpr std::size_t kMaxPollAnswerLength = 55;
inline constexpr int kDefaultPollHours = 24;
inline constexpr int kMaxPollHours = 32 * 24;  // Discord: up to 32 days
inline constexpr int kPollLayoutDefault = 1;   // the only layout Discord has
inline constexpr std::int64_t kHourMs = 3600LL * 1000;

struct PollAnswer {
  int answer_id = 0;  // 1..answers.size(), in the order sent
  std::string text;
  // A custom emoji by id, or a unicode one by name; neither: none.
  std::optional<Snowflake> emoji_id;
  std::optional<std::string> emoji_name;
};

struct Poll {
  std::string question;
  std::vector<PollAnswer> answers;
  bool allow_multiselect = false;
  int layout_type = kPollLayoutDefault;

  bool HasAnswer(int id) const { return id >= 1 && static_cast<std::size_t>(id) <= answers.size(); }
};

// What changes while a poll runs, as one viewer sees it.
struct PollTally {
  std::int64_t expires_at_ms = 0;
  bool finalized = false;                            // the votes were counted at its end
  std::vector<std::pair<int, std::int64_t>> counts;  // (answer_id, votes), answers with votes only
  std::vector<int> mine;                             // the viewer's answers
};

// The outcome a POLL_RESULT message announces. The victor is the one answer with the most votes;
// a tie, or no vote at all, has none.
struct PollOutcome {
  std::int64_t total_votes = 0;
  std::optional<int> victor;
  std::int64_t victor_votes = 0;
};

inline PollOutcome OutcomeOf(const PollTally& tally) {
  PollOutcome out;
  bool tied = false;
  for (const auto& [answer, votes] : tally.counts) {
    out.total_votes += votes;
    if (votes > out.victor_votes) {
      out.victor = answer;
      out.victor_votes = votes;
      tied = false;
    } else if (votes == out.victor_votes && votes > 0) {
      tied = true;
    }
  }
  if (tied) out.victor.reset();
  return out;
}

}  // namespace chat::domain
