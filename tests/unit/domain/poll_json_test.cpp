// Polls as Discord validates them (domain/json/poll_json), the stored form read back, the poll
// object with its results, and the POLL_RESULT embed with its winner (domain::OutcomeOf).
#include "domain/json/poll_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <string>
#include <vector>

namespace chat::domain::json {
namespace {

namespace bj = boost::json;

bj::value PollBody(const std::string& text) { return bj::parse(text); }

std::vector<std::string> PollFields(const Result<NewPoll>& r) {
  std::vector<std::string> out;
  if (r) return out;
  for (const auto& f : r.error().fields) out.push_back(f.field);
  return out;
}

TEST(PollJson, ACreateRequestIsRebuiltWithNumberedAnswers) {
  auto poll = ParsePollCreate(PollBody(
      R"({"question":{"text":"Lunch?","emoji":{"name":"x"}},"answers":[)"
      R"({"answer_id":7,"poll_media":{"text":"Pizza","emoji":{"id":"41771983423143937"}}},)"
      R"({"poll_media":{"text":"Sushi","emoji":{"name":"🍣"}}}],"duration":5,)"
      R"("allow_multiselect":true,"unknown":1})"));
  ASSERT_TRUE(poll) << poll.error().message;
  EXPECT_EQ(poll->duration_hours, 5);
  EXPECT_EQ(poll->emoji_ids, std::vector<Snowflake>{41771983423143937});
  // The question shows no emoji; answers are numbered from 1 whatever was sent.
  EXPECT_EQ(
      PollBody(poll->stored_json),
      PollBody(
          R"({"question":{"text":"Lunch?"},"answers":[)"
          R"({"answer_id":1,"poll_media":{"text":"Pizza","emoji":{"id":"41771983423143937"}}},)"
          R"({"answer_id":2,"poll_media":{"text":"Sushi","emoji":{"name":"🍣"}}}],)"
          R"("allow_multiselect":true,"layout_type":1})"));
  auto defaults = ParsePollCreate(
      PollBody(R"({"question":{"text":"?"},"answers":[{"poll_media":{"text":"a"}}]})"));
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->duration_hours, 24);

  auto stored = ParseStoredPoll(poll->stored_json);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->question, "Lunch?");
  ASSERT_EQ(stored->answers.size(), 2u);
  EXPECT_EQ(stored->answers[0].emoji_id, Snowflake{41771983423143937});
  EXPECT_EQ(stored->answers[1].emoji_name, "🍣");
  EXPECT_TRUE(stored->allow_multiselect);
  EXPECT_TRUE(stored->HasAnswer(2));
  EXPECT_FALSE(stored->HasAnswer(3));
  EXPECT_FALSE(ParseStoredPoll("not json"));
}

TEST(PollJson, EveryBadFieldIsNamed) {
  EXPECT_EQ(PollFields(ParsePollCreate(PollBody(R"({"answers":[]})"))),
            (std::vector<std::string>{"poll.question", "poll.answers"}));
  EXPECT_EQ(PollFields(ParsePollCreate(
                PollBody(R"({"question":{"text":""},"answers":[{"poll_media":{}},{"x":1},3],)"
                         R"("duration":769,"layout_type":2,"allow_multiselect":1})"))),
            (std::vector<std::string>{
                "poll.question.text", "poll.answers.0.poll_media.text", "poll.answers.1.poll_media",
                "poll.answers.2", "poll.duration", "poll.allow_multiselect", "poll.layout_type"}));
  const std::string eleven = R"({"question":{"text":"q"},"answers":[)" + [] {
    std::string s;
    for (int i = 0; i < 11; ++i) s += std::string(i ? "," : "") + R"({"poll_media":{"text":"a"}})";
    return s;
  }() + "]}";
  EXPECT_EQ(PollFields(ParsePollCreate(PollBody(eleven))),
            std::vector<std::string>{"poll.answers"});
  EXPECT_EQ(PollFields(ParsePollCreate(PollBody(R"({"question":{"text":")" + std::string(301, 'q') +
                                                R"("},"answers":[{"poll_media":{"text":")" +
                                                std::string(56, 'a') +
                                                R"(","emoji":{}}}],"duration":0})"))),
            (std::vector<std::string>{"poll.question.text", "poll.answers.0.poll_media.text",
                                      "poll.answers.0.poll_media.emoji", "poll.duration"}));
  EXPECT_EQ(PollFields(ParsePollCreate(PollBody("[]"))), std::vector<std::string>{"poll"});
}

TEST(PollJson, ThePollObjectCarriesExpiryAndTheViewersResults) {
  const std::string stored = R"({"question":{"text":"Q"},"answers":[],"allow_multiselect":false})";
  PollTally tally;
  tally.expires_at_ms = 1'700'000'000'000;
  tally.counts = {{1, 2}, {3, 1}};
  tally.mine = {3};
  EXPECT_EQ(
      bj::value(PollJson(stored, tally)),
      PollBody(R"({"question":{"text":"Q"},"answers":[],"allow_multiselect":false,)"
               R"("expiry":"2023-11-14T22:13:20.000000+00:00","results":{"is_finalized":false,)"
               R"("answer_counts":[{"id":1,"count":2,"me_voted":false},)"
               R"({"id":3,"count":1,"me_voted":true}]}})"));
  EXPECT_EQ(bj::value(PollJson(stored, std::nullopt)),
            PollBody(R"({"question":{"text":"Q"},"answers":[],"allow_multiselect":false,)"
                     R"("expiry":null})"));
}

TEST(PollJson, TheResultNamesTheOneWinnerAndNoneOnATie) {
  auto poll = ParseStoredPoll(
      R"({"question":{"text":"Q"},"answers":[{"answer_id":1,"poll_media":{"text":"a"}},)"
      R"({"answer_id":2,"poll_media":{"text":"b","emoji":{"name":"🐝"}}}]})");
  ASSERT_TRUE(poll);
  PollTally tally;
  tally.counts = {{1, 2}, {2, 5}};
  auto fields = [](const std::string& embeds) {
    std::vector<std::pair<std::string, std::string>> out;
    const auto v = bj::parse(embeds);
    EXPECT_EQ(v.at(0).at("type"), "poll_result");
    for (const auto& f : v.at(0).at("fields").as_array()) {
      out.emplace_back(std::string(f.at("name").as_string()),
                       std::string(f.at("value").as_string()));
    }
    return out;
  };
  using FieldList = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(fields(PollResultEmbeds(*poll, tally)), (FieldList{{"poll_question_text", "Q"},
                                                               {"victor_answer_votes", "5"},
                                                               {"total_votes", "7"},
                                                               {"victor_answer_id", "2"},
                                                               {"victor_answer_text", "b"},
                                                               {"victor_answer_emoji_name", "🐝"}}));
  tally.counts = {{1, 5}, {2, 5}};
  EXPECT_EQ(fields(PollResultEmbeds(*poll, tally)),
            (FieldList{
                {"poll_question_text", "Q"}, {"victor_answer_votes", "5"}, {"total_votes", "10"}}));
  tally.counts.clear();
  const PollOutcome none = OutcomeOf(tally);
  EXPECT_EQ(none.total_votes, 0);
  EXPECT_FALSE(none.victor);
}

}  // namespace
}  // namespace chat::domain::json
