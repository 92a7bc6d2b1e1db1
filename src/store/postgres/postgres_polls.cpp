// PollStore over PostgreSQL. A vote locks its poll's row (FOR UPDATE) before checking the poll is
// open, and ending a poll updates that row: a vote either commits before the count or is refused.
// The lock also orders one user's votes: each reads the choice the previous one committed.
#include <algorithm>

#include "store/errors.hpp"
#include "store/poll_store.hpp"
#include "store/postgres/postgres_rows.hpp"
#include "store/postgres/postgres_store_impl.hpp"

namespace chat::store::postgres {

Result<std::vector<std::pair<domain::Snowflake, domain::PollTally>>> PostgresStore::ListPollTallies(
    std::span<const domain::Snowflake> message_ids, domain::Snowflake viewer) {
  using Out = std::vector<std::pair<domain::Snowflake, domain::PollTally>>;
  return Read([&](Connection& conn) -> Result<Out> {
    // One round trip for the page: each poll with its counts and the viewer's answers as arrays.
    auto rows = conn.Query(
        "SELECT p.message_id, p.expires_at, p.finalized, "
        "ARRAY(SELECT v.answer_id::bigint FROM poll_votes v WHERE v.message_id = p.message_id "
        "GROUP BY v.answer_id ORDER BY v.answer_id), "
        "ARRAY(SELECT count(*) FROM poll_votes v WHERE v.message_id = p.message_id "
        "GROUP BY v.answer_id ORDER BY v.answer_id), "
        "ARRAY(SELECT v.answer_id::bigint FROM poll_votes v WHERE v.message_id = p.message_id "
        "AND v.user_id = $2 ORDER BY v.answer_id) "
        "FROM polls p WHERE p.message_id = ANY($1::bigint[]) ORDER BY p.message_id",
        Params().IdArray(message_ids).Id(viewer));
    if (!rows) return rows.error();
    Out out;
    for (int i = 0; i < rows->size(); ++i) {
      const auto& row = (*rows)[i];
      domain::PollTally tally;
      tally.expires_at_ms = row.Int(1);
      tally.finalized = row.Bool(2);
      const auto answers = row.IntArray(3);
      const auto counts = row.IntArray(4);
      for (std::size_t k = 0; k < answers.size() && k < counts.size(); ++k) {
        tally.counts.emplace_back(static_cast<int>(answers[k]), counts[k]);
      }
      for (std::int64_t a : row.IntArray(5)) tally.mine.push_back(static_cast<int>(a));
      out.emplace_back(row.Id(0), std::move(tally));
    }
    return out;
  });
}

Result<std::optional<PollVoteChange>> PostgresStore::SetPollVotes(domain::Snowflake message_id,
                                                                  domain::Snowflake user_id,
                                                                  std::span<const int> answer_ids,
                                                                  std::int64_t now_ms) {
  return Write([&](Connection& conn) -> Result<std::optional<PollVoteChange>> {
    auto poll =
        conn.Query("SELECT expires_at, finalized FROM polls WHERE message_id = $1 FOR UPDATE",
                   Params().Id(message_id));
    if (!poll) return poll.error();
    if (poll->size() == 0) return UnknownMessage();
    if ((*poll)[0].Bool(1) || (*poll)[0].Int(0) <= now_ms) return std::optional<PollVoteChange>();
    // Read after the lock, in a statement of its own: its snapshot sees a vote committed while
    // this one waited (the locking statement's snapshot predates the wait).
    auto mine = conn.Query(
        "SELECT answer_id FROM poll_votes WHERE message_id = $1 AND user_id = $2 "
        "ORDER BY answer_id",
        Params().Id(message_id).Id(user_id));
    if (!mine) return mine.error();
    std::vector<int> before;
    for (int i = 0; i < mine->size(); ++i) before.push_back(static_cast<int>((*mine)[i].Int(0)));
    PollVoteChange change;
    std::set_difference(answer_ids.begin(), answer_ids.end(), before.begin(), before.end(),
                        std::back_inserter(change.added));
    std::set_difference(before.begin(), before.end(), answer_ids.begin(), answer_ids.end(),
                        std::back_inserter(change.removed));
    std::vector<std::int64_t> added(change.added.begin(), change.added.end());
    std::vector<std::int64_t> removed(change.removed.begin(), change.removed.end());
    if (!removed.empty()) {
      auto del = conn.Query(
          "DELETE FROM poll_votes WHERE message_id = $1 AND user_id = $2 "
          "AND answer_id = ANY($3::bigint[])",
          Params().Id(message_id).Id(user_id).IntArray(removed));
      if (!del) return del.error();
    }
    if (!added.empty()) {
      auto ins = conn.Query(
          "INSERT INTO poll_votes (message_id, answer_id, user_id) "
          "SELECT $1, unnest($3::bigint[]), $2 ON CONFLICT DO NOTHING",
          Params().Id(message_id).Id(user_id).IntArray(added));
      if (!ins) return ins.error();
    }
    return std::optional<PollVoteChange>(std::move(change));
  });
}

Result<std::vector<domain::Snowflake>> PostgresStore::ListPollVoters(domain::Snowflake message_id,
                                                                     int answer_id,
                                                                     domain::Snowflake after,
                                                                     int limit) {
  return Auto([&](Connection& conn) -> Result<std::vector<domain::Snowflake>> {
    auto rows = conn.Query(
        "SELECT user_id FROM poll_votes WHERE message_id = $1 AND answer_id = $2 "
        "AND user_id > $3 ORDER BY user_id LIMIT $4",
        Params().Id(message_id).Int(answer_id).Id(after).Int(limit));
    if (!rows) return rows.error();
    std::vector<domain::Snowflake> out;
    for (int i = 0; i < rows->size(); ++i) out.push_back((*rows)[i].Id(0));
    return out;
  });
}

Result<bool> PostgresStore::FinalizePoll(domain::Snowflake message_id, std::int64_t now_ms,
                                         std::int64_t announce_by_ms) {
  return Auto([&](Connection& conn) -> Result<bool> {
    // One statement, so the task is written exactly when the poll ends.
    auto rows = conn.Query(
        "WITH ended AS (UPDATE polls SET finalized = TRUE, expires_at = LEAST(expires_at, $2) "
        "WHERE message_id = $1 AND NOT finalized RETURNING message_id, channel_id), "
        "task AS (INSERT INTO pending_tasks (kind, subject_id, channel_id, due_at, attempts) "
        "SELECT $3, message_id, channel_id, $4, 1 FROM ended) "
        "SELECT (SELECT count(*) FROM ended), EXISTS (SELECT 1 FROM polls WHERE message_id = $1)",
        Params()
            .Id(message_id)
            .Int(now_ms)
            .Int(static_cast<int>(TaskKind::kPollResult))
            .Int(announce_by_ms));
    if (!rows) return rows.error();
    if ((*rows)[0].Int(0) > 0) return true;
    if (!(*rows)[0].Bool(1)) return UnknownMessage();
    return false;
  });
}

Result<std::vector<DuePoll>> PostgresStore::ListDuePolls(std::int64_t now_ms, int limit) {
  return Auto([&](Connection& conn) -> Result<std::vector<DuePoll>> {
    auto rows = conn.Query(
        "SELECT message_id, channel_id FROM polls WHERE NOT finalized AND expires_at <= $1 "
        "ORDER BY expires_at LIMIT $2",
        Params().Int(now_ms).Int(limit));
    if (!rows) return rows.error();
    std::vector<DuePoll> out;
    for (int i = 0; i < rows->size(); ++i) out.push_back({(*rows)[i].Id(0), (*rows)[i].Id(1)});
    return out;
  });
}

}  // namespace chat::store::postgres
