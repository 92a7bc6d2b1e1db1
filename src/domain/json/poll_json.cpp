#include "domain/json/poll_json.hpp"

#include <string>

#include <boost/json.hpp>

#include "domain/json/field_checker.hpp"
#include "domain/json/time_json.hpp"

namespace chat::domain::json {
namespace {

namespace bj = boost::json;

// A poll media object: {text, emoji?}; `with_emoji` false for the question, which has none.
std::optional<bj::object> Media(FieldChecker& check, const bj::value& raw, const std::string& path,
                                std::size_t max, bool with_emoji,
                                std::vector<Snowflake>& emoji_ids) {
  const auto* o = check.Object(raw, path);
  if (!o) return std::nullopt;
  auto text = check.String(*o, "text", path + ".text", 1, max);
  bj::object out;
  if (text) out["text"] = *text;
  if (with_emoji) {
    auto emoji = check.Emoji(*o, path + ".emoji");
    if (!emoji) return std::nullopt;
    if (!emoji->empty()) {
      if (const auto* id = emoji->if_contains("id")) {
        if (auto parsed = ParseSnowflake(id->as_string())) emoji_ids.push_back(*parsed);
      }
      out["emoji"] = std::move(*emoji);
    }
  }
  if (!text) return std::nullopt;
  return out;
}

}  // namespace

Result<NewPoll> ParsePollCreate(const bj::value& raw) {
  FieldChecker check;
  NewPoll out;
  const auto* o = check.Object(raw, "poll");
  if (!o) return check.Fail();

  bj::object stored;
  const auto* question = o->if_contains("question");
  if (!question || question->is_null()) {
    check.Add("poll.question", "BASE_TYPE_REQUIRED", "This field is required");
  } else if (auto media = Media(check, *question, "poll.question", kMaxPollQuestionLength, false,
                                out.emoji_ids)) {
    stored["question"] = std::move(*media);
  }

  bj::array answers;
  const auto* list = o->if_contains("answers");
  if (!list || list->is_null()) {
    check.Add("poll.answers", "BASE_TYPE_REQUIRED", "This field is required");
  } else if (const auto* a = check.Array(*list, "poll.answers", kMaxPollAnswers)) {
    if (a->empty()) {
      check.Add("poll.answers", "BASE_TYPE_MIN_LENGTH", "Must be 1 or more in length.");
    }
    for (std::size_t i = 0; i < a->size(); ++i) {
      const std::string at = "poll.answers." + std::to_string(i);
      const auto* answer = check.Object((*a)[i], at);
      if (!answer) continue;
      const auto* media = answer->if_contains("poll_media");
      if (!media || media->is_null()) {
        check.Add(at + ".poll_media", "BASE_TYPE_REQUIRED", "This field is required");
        continue;
      }
      // Discord numbers the answers itself; an answer_id sent along is ignored.
      if (auto m =
              Media(check, *media, at + ".poll_media", kMaxPollAnswerLength, true, out.emoji_ids)) {
        answers.push_back(bj::object{{"answer_id", static_cast<std::int64_t>(i + 1)},
                                     {"poll_media", std::move(*m)}});
      }
    }
  }
  stored["answers"] = std::move(answers);

  if (auto hours =
          check.IntIn(*o, "duration", "poll.duration", 1, kMaxPollHours, kDefaultPollHours)) {
    out.duration_hours = static_cast<int>(*hours);
  }
  if (auto multi = check.Bool(*o, "allow_multiselect", "poll.allow_multiselect", false)) {
    stored["allow_multiselect"] = *multi;
  }
  if (auto layout = check.IntIn(*o, "layout_type", "poll.layout_type", kPollLayoutDefault,
                                kPollLayoutDefault, kPollLayoutDefault)) {
    stored["layout_type"] = *layout;
  }
  if (!check.ok()) return check.Fail();
  out.stored_json = bj::serialize(stored);
  return out;
}

std::optional<Poll> ParseStoredPoll(std::string_view stored_json) {
  boost::system::error_code ec;
  auto v = bj::parse(stored_json, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.as_object();
  Poll poll;
  const auto* q = o.if_contains("question");
  const auto* text = q && q->is_object() ? q->as_object().if_contains("text") : nullptr;
  if (!text || !text->is_string()) return std::nullopt;
  poll.question = std::string(text->as_string());
  const auto* answers = o.if_contains("answers");
  if (!answers || !answers->is_array()) return std::nullopt;
  for (const auto& a : answers->as_array()) {
    const auto* media = a.is_object() ? a.as_object().if_contains("poll_media") : nullptr;
    if (!media || !media->is_object()) return std::nullopt;
    PollAnswer answer;
    answer.answer_id = static_cast<int>(poll.answers.size() + 1);
    if (const auto* t = media->as_object().if_contains("text"); t && t->is_string()) {
      answer.text = std::string(t->as_string());
    }
    if (const auto* e = media->as_object().if_contains("emoji"); e && e->is_object()) {
      if (const auto* id = e->as_object().if_contains("id"); id && id->is_string()) {
        answer.emoji_id = ParseSnowflake(id->as_string());
      }
      if (const auto* name = e->as_object().if_contains("name"); name && name->is_string()) {
        answer.emoji_name = std::string(name->as_string());
      }
    }
    poll.answers.push_back(std::move(answer));
  }
  if (const auto* m = o.if_contains("allow_multiselect"); m && m->is_bool()) {
    poll.allow_multiselect = m->as_bool();
  }
  return poll;
}

bj::object PollJson(std::string_view stored_json, const std::optional<PollTally>& tally) {
  boost::system::error_code ec;
  auto v = bj::parse(stored_json, ec);
  bj::object out = !ec && v.is_object() ? std::move(v.as_object()) : bj::object{};
  if (!tally) {
    out["expiry"] = nullptr;
    return out;
  }
  out["expiry"] = IsoTimestamp(tally->expires_at_ms);
  bj::array counts;
  for (const auto& [answer, votes] : tally->counts) {
    bool mine = false;
    for (int m : tally->mine) mine = mine || m == answer;
    counts.push_back(bj::object{{"id", answer}, {"count", votes}, {"me_voted", mine}});
  }
  out["results"] = bj::object{{"is_finalized", tally->finalized}, {"answer_counts", counts}};
  return out;
}

std::string PollResultEmbeds(const Poll& poll, const PollTally& tally) {
  const PollOutcome outcome = OutcomeOf(tally);
  bj::array fields;
  auto field = [&](std::string_view name, std::string value) {
    fields.push_back(bj::object{{"name", name}, {"value", std::move(value)}, {"inline", false}});
  };
  field("poll_question_text", poll.question);
  field("victor_answer_votes", std::to_string(outcome.victor_votes));
  field("total_votes", std::to_string(outcome.total_votes));
  if (outcome.victor && poll.HasAnswer(*outcome.victor)) {
    const PollAnswer& victor = poll.answers[static_cast<std::size_t>(*outcome.victor - 1)];
    field("victor_answer_id", std::to_string(victor.answer_id));
    field("victor_answer_text", victor.text);
    if (victor.emoji_id) field("victor_answer_emoji_id", ToString(*victor.emoji_id));
    if (victor.emoji_name) field("victor_answer_emoji_name", *victor.emoji_name);
  }
  bj::array embeds;
  embeds.push_back(bj::object{{"type", "poll_result"}, {"fields", std::move(fields)}});
  return bj::serialize(embeds);
}

}  // namespace chat::domain::json
