// store/poll_store.hpp — the votes of polls and when each poll ends. A poll row is written with
// its message (MessageStore::CreateMessage, when the message carries poll_json) and goes with it,
// its votes too. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "domain/poll.hpp"
#include "domain/snowflake.hpp"

namespace chat::store {

// What a vote changed: the answers the user now holds and no longer holds, ascending.
struct PollVoteChange {
  std::vector<int> added;
  std::vector<int> removed;
};

struct DuePoll {
  domain::Snowflake message_id = 0;
  domain::Snowflake channel_id = 0;
};

class PollStore {
 public:
  virtual ~PollStore() = default;

  // The poll of each message that has one (others are left out): its end, whether it was counted,
  // its counts, and the answers `viewer` chose (none for viewer 0).
  [[nodiscard]] virtual Result<std::vector<std::pair<domain::Snowflake, domain::PollTally>>>
  ListPollTallies(std::span<const domain::Snowflake> message_ids, domain::Snowflake viewer) = 0;
  // Makes `answer_ids` (ascending, no repeats; empty withdraws every vote) the user's votes, in
  // one transaction with the check that the poll is still open at `now_ms`. nullopt (nothing
  // written) when it has ended; NotFound 10008 when the message has no poll.
  [[nodiscard]] virtual Result<std::optional<PollVoteChange>> SetPollVotes(
      domain::Snowflake message_id, domain::Snowflake user_id, std::span<const int> answer_ids,
      std::int64_t now_ms) = 0;
  // The voters of one answer, ascending by id, after `after` (0: from the first).
  [[nodiscard]] virtual Result<std::vector<domain::Snowflake>> ListPollVoters(
      domain::Snowflake message_id, int answer_id, domain::Snowflake after, int limit) = 0;
  // Ends the poll at `now_ms` (its expiry moves there if it was later) and marks it counted, with
  // the task of announcing its result (TaskKind::kPollResult, leased to the caller until
  // `announce_by_ms`) in the same transaction: false when it already was (another node, or an
  // earlier call, ended it). NotFound 10008 when the message has no poll.
  [[nodiscard]] virtual Result<bool> FinalizePoll(domain::Snowflake message_id, std::int64_t now_ms,
                                                  std::int64_t announce_by_ms) = 0;
  // Polls past their expiry and not yet counted, oldest expiry first.
  [[nodiscard]] virtual Result<std::vector<DuePoll>> ListDuePolls(std::int64_t now_ms,
                                                                  int limit) = 0;
};

}  // namespace chat::store
