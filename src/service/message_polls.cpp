// service/message_polls.cpp — MessageService's polls: votes, the voters of an answer, and a poll's
// end, asked for by its author or reached by the clock (EndDuePolls, which app.cpp runs every 15 s
// on every node; the store's compare-and-set ends each poll once).
#include <algorithm>
#include <string>
#include <utility>

#include <boost/json.hpp>

#include "common/log.hpp"
#include "domain/json/poll_json.hpp"
#include "domain/permissions.hpp"
#include "service/message_service.hpp"
#include "store/errors.hpp"

namespace chat::service {
namespace {

using domain::Snowflake;

constexpr const char* kPollTarget = "chat_server::polls";

Error PollEnded() {
  Error e = Error::Validation("This poll has already ended");
  e.api_code = 520001;
  return e;
}

Error AnswerIds(std::string code, std::string message) {
  return Error::Validation("Invalid Form Body",
                           {{"answer_ids", std::move(code), std::move(message)}});
}

// The poll a message carries; a 400 naming `field` when it carries none.
Result<domain::Poll> PollOf(const domain::Message& message, const char* field) {
  auto poll = message.poll_json ? domain::json::ParseStoredPoll(*message.poll_json) : std::nullopt;
  if (!poll) {
    return Error::Validation("Invalid Form Body",
                             {{field, "POLL_NOT_FOUND", "This message has no poll."}});
  }
  return std::move(*poll);
}

}  // namespace

Result<std::optional<domain::PollTally>> MessageService::TallyOf(Snowflake message_id,
                                                                 Snowflake viewer) {
  auto tallies = store_.ListPollTallies(std::span<const Snowflake>(&message_id, 1), viewer);
  if (!tallies) return tallies.error();
  if (tallies->empty()) return std::optional<domain::PollTally>();
  return std::optional<domain::PollTally>(std::move(tallies->front().second));
}

Result<void> MessageService::Vote(Snowflake user_id, Snowflake channel_id, Snowflake message_id,
                                  std::vector<int> answer_ids) {
  auto access = access_.RequireChannel(
      user_id, channel_id, domain::perm::kViewChannel | domain::perm::kReadMessageHistory,
      /*with_user=*/true);
  if (!access) return access.error();
  if (access->user && access->user->bot) {
    return Error::Forbidden("Bots cannot use this endpoint", 20001);
  }
  auto message = store_.GetMessage(channel_id, message_id);
  if (!message) return message.error();
  auto poll = PollOf(*message, "answer_ids");
  if (!poll) return poll.error();
  std::sort(answer_ids.begin(), answer_ids.end());
  answer_ids.erase(std::unique(answer_ids.begin(), answer_ids.end()), answer_ids.end());
  for (int answer : answer_ids) {
    if (!poll->HasAnswer(answer)) return AnswerIds("POLL_ANSWER_INVALID", "Unknown answer.");
  }
  if (answer_ids.size() > 1 && !poll->allow_multiselect) {
    return AnswerIds("POLL_MULTISELECT_NOT_ALLOWED", "This poll allows one answer.");
  }
  auto change = store_.SetPollVotes(message_id, user_id, answer_ids, clock_());
  if (!change) return change.error();
  if (!*change) return PollEnded();

  // A changed choice reads as Discord sends it: the answers given up, then the new ones.
  auto announce = [&](const char* type, int answer) {
    boost::json::object payload{{"user_id", domain::ToString(user_id)},
                                {"channel_id", domain::ToString(channel_id)},
                                {"message_id", domain::ToString(message_id)},
                                {"answer_id", answer}};
    if (access->channel.guild_id) payload["guild_id"] = domain::ToString(*access->channel.guild_id);
    Publish(type, *access, std::move(payload), bus::Intent::kGuildMessagePolls,
            bus::Intent::kDirectMessagePolls);
  };
  for (int answer : (*change)->removed) announce("MESSAGE_POLL_VOTE_REMOVE", answer);
  for (int answer : (*change)->added) announce("MESSAGE_POLL_VOTE_ADD", answer);
  return {};
}

Result<std::vector<domain::User>> MessageService::PollVoters(Snowflake user_id,
                                                             Snowflake channel_id,
                                                             Snowflake message_id, int answer_id,
                                                             Snowflake after, int limit) {
  auto access = access_.RequireChannel(
      user_id, channel_id, domain::perm::kViewChannel | domain::perm::kReadMessageHistory);
  if (!access) return access.error();
  auto message = store_.GetMessage(channel_id, message_id);
  if (!message) return message.error();
  auto poll = PollOf(*message, "answer_id");
  if (!poll) return poll.error();
  if (!poll->HasAnswer(answer_id)) {
    return Error::Validation("Invalid Form Body",
                             {{"answer_id", "POLL_ANSWER_INVALID", "Unknown answer."}});
  }
  auto ids = store_.ListPollVoters(message_id, answer_id, after, std::clamp(limit, 1, 100));
  if (!ids) return ids.error();
  auto users = store_.ListUsers(*ids);
  if (!users) return users.error();
  std::sort(users->begin(), users->end(),
            [](const domain::User& a, const domain::User& b) { return a.id < b.id; });
  return std::move(*users);
}

Result<MessageView> MessageService::EndPoll(Snowflake user_id, Snowflake channel_id,
                                            Snowflake message_id) {
  auto access = access_.RequireChannel(user_id, channel_id, domain::perm::kViewChannel);
  if (!access) return access.error();
  auto message = store_.GetMessage(channel_id, message_id);
  if (!message) return message.error();
  if (!message->poll_json) {
    Error e = Error::Validation("Cannot expire a non-poll message");
    e.api_code = 520006;
    return e;
  }
  if (message->webhook_id || message->author_id != user_id) {
    return Error::Forbidden("Cannot edit a message authored by another user", 50005);
  }
  const std::int64_t now = clock_();
  auto ended = store_.FinalizePoll(message_id, now, now + kTaskLeaseMs);
  if (!ended) return ended.error();
  if (!*ended) return PollEnded();
  return AnnouncePollEnd(*access, message_id, user_id);
}

Result<MessageView> MessageService::AnnouncePollEnd(const ChannelAccess& access,
                                                    Snowflake message_id, Snowflake viewer) {
  const store::TaskKey task{store::TaskKind::kPollResult, message_id};
  auto message = store_.GetMessage(access.channel.id, message_id);
  if (!message) {
    SettleTask(task, message.error());
    return message.error();
  }
  auto data = Load(*message, access.channel.guild_id, true);
  if (!data) {
    SettleTask(task, data.error());
    return data.error();
  }
  std::vector<MessageView> views;
  views.push_back(MessageView{std::move(*data), {}});
  MessageView& view = views.front();
  // One payload for every viewer: it shows the counts, not anyone's own votes.
  view.json = domain::json::MessageJson(view.data);
  PublishMessage("MESSAGE_UPDATE", access, domain::AuthorOf(*message), view.json);

  // The POLL_RESULT message answers the poll in its channel, from the poll's author.
  auto poll =
      message->poll_json ? domain::json::ParseStoredPoll(*message->poll_json) : std::nullopt;
  if (poll && view.data.poll) {
    domain::Message result;
    result.id = ids_.Next();
    result.channel_id = message->channel_id;
    result.author_id = message->author_id;
    result.webhook_id = message->webhook_id;
    result.webhook_name = message->webhook_name;
    result.webhook_avatar = message->webhook_avatar;
    result.type = domain::json::kMessageTypePollResult;
    result.embeds_json = domain::json::PollResultEmbeds(*poll, *view.data.poll);
    result.referenced_message_id = message->id;
    result.created_at_ms = domain::SnowflakeUnixMs(result.id);
    // The poll has ended either way: a result message that cannot be written now is left to the
    // task, or (its author's account is gone) logged, not answered as a failed end. Conflict: a
    // concurrent run of the task wrote it.
    if (auto r = PostSystemMessage(result, access, &task);
        !r && r.error().code != Errc::kConflict) {
      log::Warn(kPollTarget, "poll result message not sent",
                {{"message_id", domain::ToString(message_id)}, {"error", r.error().message}});
      SettleTask(task, r.error());
    }
  } else {
    CompleteTask(task);  // no poll left to answer
  }
  if (auto r = AddReactions(views, viewer); !r) return r.error();
  return std::move(views.front());
}

Result<int> MessageService::EndDuePolls(int limit) {
  auto due = store_.ListDuePolls(clock_(), limit);
  if (!due) return due.error();
  int ended = 0;
  for (const store::DuePoll& poll : *due) {
    const std::int64_t now = clock_();
    auto won = store_.FinalizePoll(poll.message_id, now, now + kTaskLeaseMs);
    if (!won || !*won) continue;  // gone meanwhile, or another node ended it
    ++ended;
    // Announced as the guild's owner sees the channel (all of it), or in a DM or group DM to its
    // recipients as they are now (the poll's author may have left a group).
    auto access = AnnouncerAccess(poll.channel_id);
    auto announced =
        access ? AnnouncePollEnd(*access, poll.message_id, 0) : Result<MessageView>(access.error());
    if (!access) SettleTask({store::TaskKind::kPollResult, poll.message_id}, access.error());
    if (!announced) {
      log::Warn(kPollTarget, "poll end not announced",
                {{"message_id", domain::ToString(poll.message_id)},
                 {"error", announced.error().message}});
    }
  }
  return ended;
}

}  // namespace chat::service
