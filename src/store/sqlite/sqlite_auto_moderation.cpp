// AutoModerationStore over SQLite.
#include "store/auto_moderation_store.hpp"
#include "store/errors.hpp"
#include "store/id_list.hpp"
#include "store/sqlite/sqlite_rows.hpp"
#include "store/sqlite/sqlite_store_impl.hpp"

namespace chat::store::sqlite {

namespace {

using domain::AutoModRule;

constexpr std::string_view kSelectRule =
    "SELECT id, server_id, name, creator_id, event_type, trigger_type, trigger_metadata, actions, "
    "enabled, exempt_roles, exempt_channels FROM auto_moderation_rules ";

AutoModRule ReadRule(const Statement& s) {
  AutoModRule r;
  r.id = s.Id(0);
  r.guild_id = s.Id(1);
  r.name = s.Text(2);
  r.creator_id = s.Id(3);
  r.event_type = static_cast<int>(s.Int(4));
  r.trigger_type = static_cast<int>(s.Int(5));
  r.trigger_metadata_json = s.Text(6);
  r.actions_json = s.Text(7);
  r.enabled = s.Bool(8);
  r.exempt_roles = SplitIds(s.Text(9));
  r.exempt_channels = SplitIds(s.Text(10));
  return r;
}

Result<AutoModRule> LoadRule(Connection& conn, domain::Snowflake guild_id,
                             domain::Snowflake rule_id) {
  auto stmt = conn.Prepare(std::string(kSelectRule) + "WHERE id = ?1 AND server_id = ?2");
  if (!stmt) return stmt.error();
  stmt->BindId(1, rule_id).BindId(2, guild_id);
  auto row = stmt->Step();
  if (!row) return row.error();
  if (!*row) return UnknownAutoModRule();
  return ReadRule(*stmt);
}

}  // namespace

Result<bool> SqliteStore::CreateAutoModRule(const AutoModRule& rule, std::size_t max) {
  return Write([&](Connection& conn) -> Result<bool> {
    auto guild = GuildExists(conn, rule.guild_id);
    if (!guild) return guild.error();
    if (!*guild) return UnknownGuild();
    // One writer: the count and the insert cannot interleave with another creation.
    auto count = conn.Prepare(
        "SELECT count(*) FROM auto_moderation_rules WHERE server_id = ?1 AND trigger_type = ?2");
    if (!count) return count.error();
    count->BindId(1, rule.guild_id).BindInt(2, rule.trigger_type);
    auto row = count->Step();
    if (!row) return row.error();
    if (static_cast<std::size_t>(count->Int(0)) >= max) return false;
    auto stmt = conn.Prepare(
        "INSERT INTO auto_moderation_rules (id, server_id, name, creator_id, event_type, "
        "trigger_type, trigger_metadata, actions, enabled, exempt_roles, exempt_channels) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    if (!stmt) return stmt.error();
    stmt->BindId(1, rule.id).BindId(2, rule.guild_id).BindText(3, rule.name);
    stmt->BindId(4, rule.creator_id).BindInt(5, rule.event_type).BindInt(6, rule.trigger_type);
    stmt->BindText(7, rule.trigger_metadata_json).BindText(8, rule.actions_json);
    stmt->BindBool(9, rule.enabled).BindText(10, JoinIds(rule.exempt_roles));
    stmt->BindText(11, JoinIds(rule.exempt_channels));
    if (auto r = stmt->Run(); !r) return r.error();
    return true;
  });
}

Result<AutoModRule> SqliteStore::GetAutoModRule(domain::Snowflake guild_id,
                                                domain::Snowflake rule_id) {
  return Read([&](Connection& conn) { return LoadRule(conn, guild_id, rule_id); });
}

Result<std::vector<AutoModRule>> SqliteStore::ListAutoModRules(domain::Snowflake guild_id) {
  return Read([&](Connection& conn) -> Result<std::vector<AutoModRule>> {
    auto stmt = conn.Prepare(std::string(kSelectRule) + "WHERE server_id = ?1 ORDER BY id");
    if (!stmt) return stmt.error();
    stmt->BindId(1, guild_id);
    std::vector<AutoModRule> out;
    for (;;) {
      auto row = stmt->Step();
      if (!row) return row.error();
      if (!*row) return out;
      out.push_back(ReadRule(*stmt));
    }
  });
}

Result<void> SqliteStore::UpdateAutoModRule(const AutoModRule& rule) {
  return Write([&](Connection& conn) -> Result<void> {
    auto stmt = conn.Prepare(
        "UPDATE auto_moderation_rules SET name = ?3, event_type = ?4, trigger_metadata = ?5, "
        "actions = ?6, enabled = ?7, exempt_roles = ?8, exempt_channels = ?9 "
        "WHERE id = ?1 AND server_id = ?2");
    if (!stmt) return stmt.error();
    stmt->BindId(1, rule.id).BindId(2, rule.guild_id).BindText(3, rule.name);
    stmt->BindInt(4, rule.event_type).BindText(5, rule.trigger_metadata_json);
    stmt->BindText(6, rule.actions_json).BindBool(7, rule.enabled);
    stmt->BindText(8, JoinIds(rule.exempt_roles)).BindText(9, JoinIds(rule.exempt_channels));
    if (auto r = stmt->Run(); !r) return r;
    if (stmt->Changes() == 0) return UnknownAutoModRule();
    return {};
  });
}

Result<AutoModRule> SqliteStore::DeleteAutoModRule(domain::Snowflake guild_id,
                                                   domain::Snowflake rule_id) {
  return Write([&](Connection& conn) -> Result<AutoModRule> {
    auto before = LoadRule(conn, guild_id, rule_id);
    if (!before) return before.error();
    auto stmt = conn.Prepare("DELETE FROM auto_moderation_rules WHERE id = ?1 AND server_id = ?2");
    if (!stmt) return stmt.error();
    stmt->BindId(1, rule_id).BindId(2, guild_id);
    if (auto r = stmt->Run(); !r) return r.error();
    return before;
  });
}

}  // namespace chat::store::sqlite
