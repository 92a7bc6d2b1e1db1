// domain/json/poll_json.hpp — Discord's poll on the wire: the create request (a message's `poll`)
// checked and rebuilt, the form stored with the message (domain::Message::poll_json: the question,
// the numbered answers, allow_multiselect, layout_type), and the poll object a message shows, with
// its expiry and results added.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "common/result.hpp"
#include "domain/poll.hpp"
#include "domain/snowflake.hpp"

namespace chat::domain::json {

inline constexpr int kMessageTypePollResult = 46;

struct NewPoll {
  std::string stored_json;
  int duration_hours = kDefaultPollHours;
  std::vector<Snowflake> emoji_ids;  // the custom emojis the answers show, for the sender to check
};

// Discord's poll create request: question.text 1–300 characters, 1–10 answers with poll_media.text
// 1–55 and an optional emoji, duration 1–768 hours (default 24), allow_multiselect, layout_type 1.
// Every problem is named under "poll." in one 50035.
[[nodiscard]] Result<NewPoll> ParsePollCreate(const boost::json::value& raw);

// The stored form read back; nullopt for a row that does not hold one.
std::optional<Poll> ParseStoredPoll(std::string_view stored_json);

// The poll object: the stored form plus expiry and results (answer_counts lists the answers with
// votes; me_voted is the viewer's). Without a tally (a row written without its poll) expiry is
// null and results are left out.
boost::json::object PollJson(std::string_view stored_json, const std::optional<PollTally>& tally);

// The embeds of the POLL_RESULT message announcing an ended poll (Discord's "poll_result" embed:
// its fields carry the question, the totals and the winning answer, when there is one).
std::string PollResultEmbeds(const Poll& poll, const PollTally& tally);

}  // namespace chat::domain::json
