// PollStore over SQLite. A vote replaces the user's whole choice in one write transaction that
// first checks the poll is still open, so no vote lands after the poll was counted.
#include <algorithm>

#include "store/errors.hpp"
#include "store/poll_store.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace chat::store::sqlite {

namespace {

// The user's current answers, ascending.
Result<std::vector<int>> VotesOf(Connection& conn, domain::Snowflake message_id,
                                 domain::Snowflake user_id) {
  auto stmt = conn.Prepare(
      "SELECT answer_id FROM poll_votes WHERE message_id = ?1 AND user_id = ?2 "
      "ORDER BY answer_id");
  if (!stmt) return stmt.error();
  stmt->BindId(1, message_id).BindId(2, user_id);
  std::vector<int> out;
  while (true) {
    auto row = stmt->Step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back(static_cast<int>(stmt->Int(0)));
  }
}

}  // namespace

Result<std::vector<std::pair<domain::Snowflake, domain::PollTally>>> SqliteStore::ListPollTallies(
    std::span<const domain::Snowflake> message_ids, domain::Snowflake viewer) {
  using Out = std::vector<std::pair<domain::Snowflake, domain::PollTally>>;
  return Read([&](Connection& conn) -> Result<Out> {
    Out out;
    for (domain::Snowflake id : message_ids) {
      auto poll = conn.Prepare("SELECT expires_at, finalized FROM polls WHERE message_id = ?1");
      if (!poll) return poll.error();
      poll->BindId(1, id);
      auto found = poll->Step();
      if (!found) return found.error();
      if (!*found) continue;
      domain::PollTally tally;
      tally.expires_at_ms = poll->Int(0);
      tally.finalized = poll->Bool(1);
      auto counts = conn.Prepare(
          "SELECT answer_id, count(*) FROM poll_votes WHERE message_id = ?1 GROUP BY answer_id "
          "ORDER BY answer_id");
      if (!counts) return counts.error();
      counts->BindId(1, id);
      while (true) {
        auto row = counts->Step();
        if (!row) return row.error();
        if (!*row) break;
        tally.counts.emplace_back(static_cast<int>(counts->Int(0)), counts->Int(1));
      }
      if (viewer != 0) {
        auto mine = VotesOf(conn, id, viewer);
        if (!mine) return mine.error();
        tally.mine = std::move(*mine);
      }
      out.emplace_back(id, std::move(tally));
    }
    return out;
  });
}

Result<std::optional<PollVoteChange>> SqliteStore::SetPollVotes(domain::Snowflake message_id,
                                                                domain::Snowflake user_id,
                                                                std::span<const int> answer_ids,
                                                                std::int64_t now_ms) {
  return Write([&](Connection& conn) -> Result<std::optional<PollVoteChange>> {
    auto poll = conn.Prepare("SELECT expires_at, finalized FROM polls WHERE message_id = ?1");
    if (!poll) return poll.error();
    poll->BindId(1, message_id);
    auto found = poll->Step();
    if (!found) return found.error();
    if (!*found) return UnknownMessage();
    if (poll->Bool(1) || poll->Int(0) <= now_ms) return std::optional<PollVoteChange>();
    auto before = VotesOf(conn, message_id, user_id);
    if (!before) return before.error();
    PollVoteChange change;
    std::set_difference(answer_ids.begin(), answer_ids.end(), before->begin(), before->end(),
                        std::back_inserter(change.added));
    std::set_difference(before->begin(), before->end(), answer_ids.begin(), answer_ids.end(),
                        std::back_inserter(change.removed));
    for (int answer : change.removed) {
      auto stmt = conn.Prepare(
          "DELETE FROM poll_votes WHERE message_id = ?1 AND user_id = ?2 AND answer_id = ?3");
      if (!stmt) return stmt.error();
      stmt->BindId(1, message_id).BindId(2, user_id).BindInt(3, answer);
      if (auto r = stmt->Run(); !r) return r.error();
    }
    for (int answer : change.added) {
      auto stmt = conn.Prepare(
          "INSERT INTO poll_votes (message_id, answer_id, user_id) VALUES (?1, ?2, ?3)");
      if (!stmt) return stmt.error();
      stmt->BindId(1, message_id).BindInt(2, answer).BindId(3, user_id);
      if (auto r = stmt->Run(); !r) return r.error();
    }
    return std::optional<PollVoteChange>(std::move(change));
  });
}

Result<std::vector<domain::Snowflake>> SqliteStore::ListPollVoters(domain::Snowflake message_id,
                                                                   int answer_id,
                                                                   domain::Snowflake after,
                                                                   int limit) {
  return Read([&](Connection& conn) -> Result<std::vector<domain::Snowflake>> {
    auto stmt = conn.Prepare(
        "SELECT user_id FROM poll_votes WHERE message_id = ?1 AND answer_id = ?2 "
        "AND user_id > ?3 ORDER BY user_id LIMIT ?4");
    if (!stmt) return stmt.error();
    stmt->BindId(1, message_id).BindInt(2, answer_id).BindId(3, after).BindInt(4, limit);
    std::vector<domain::Snowflake> out;
    while (true) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) return out;
      out.push_back(stmt->Id(0));
    }
  });
}

Result<bool> SqliteStore::FinalizePoll(domain::Snowflake message_id, std::int64_t now_ms,
                                       std::int64_t announce_by_ms) {
  return Write([&](Connection& conn) -> Result<bool> {
    auto stmt = conn.Prepare(
        "UPDATE polls SET finalized = 1, expires_at = min(expires_at, ?2) "
        "WHERE message_id = ?1 AND finalized = 0 RETURNING channel_id");
    if (!stmt) return stmt.error();
    stmt->BindId(1, message_id).BindInt(2, now_ms);
    auto row = stmt->Step();
    if (!row) return row.error();
    if (*row) {
      const NewTask task{{TaskKind::kPollResult, message_id}, stmt->Id(0), announce_by_ms};
      if (auto done = stmt->Step(); !done) return done.error();  // one row: the key is unique
      if (auto r = InsertTask(conn, task); !r) return r.error();
      return true;
    }
    auto exists = RowExists(conn, "SELECT 1 FROM polls WHERE message_id = ?1", message_id);
    if (!exists) return exists.error();
    if (!*exists) return UnknownMessage();
    return false;
  });
}

Result<std::vector<DuePoll>> SqliteStore::ListDuePolls(std::int64_t now_ms, int limit) {
  return Read([&](Connection& conn) -> Result<std::vector<DuePoll>> {
    auto stmt = conn.Prepare(
        "SELECT message_id, channel_id FROM polls WHERE finalized = 0 AND expires_at <= ?1 "
        "ORDER BY expires_at LIMIT ?2");
    if (!stmt) return stmt.error();
    stmt->BindInt(1, now_ms).BindInt(2, limit);
    std::vector<DuePoll> out;
    while (true) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) return out;
      out.push_back({stmt->Id(0), stmt->Id(1)});
    }
  });
}

}  // namespace chat::store::sqlite
