// AutoModerationStore over PostgreSQL.
#include "store/auto_moderation_store.hpp"
#include "store/errors.hpp"
#include "store/id_list.hpp"
#include "store/postgres/postgres_rows.hpp"
#include "store/postgres/postgres_store_impl.hpp"

namespace chat::store::postgres {

namespace {

using domain::AutoModRule;

constexpr std::string_view kRuleColumns =
    "id, server_id, name, creator_id, event_type, trigger_type, trigger_metadata, actions, "
    "enabled, exempt_roles, exempt_channels";

Result<std::vector<AutoModRule>> ReadRules(Result<Rows> rows) {
  if (!rows) return rows.error();
  std::vector<AutoModRule> out;
  out.reserve(static_cast<std::size_t>(rows->size()));
  for (int i = 0; i < rows->size(); ++i) {
    const Row r = (*rows)[i];
    AutoModRule rule;
    rule.id = r.Id(0);
    rule.guild_id = r.Id(1);
    rule.name = r.Text(2);
    rule.creator_id = r.Id(3);
    rule.event_type = static_cast<int>(r.Int(4));
    rule.trigger_type = static_cast<int>(r.Int(5));
    rule.trigger_metadata_json = r.Text(6);
    rule.actions_json = r.Text(7);
    rule.enabled = r.Bool(8);
    rule.exempt_roles = SplitIds(r.Text(9));
    rule.exempt_channels = SplitIds(r.Text(10));
    out.push_back(std::move(rule));
  }
  return out;
}

Result<AutoModRule> OneRule(Result<Rows> rows) {
  auto found = ReadRules(std::move(rows));
  if (!found) return found.error();
  if (found->empty()) return UnknownAutoModRule();
  return std::move(found->front());
}

}  // namespace

Result<bool> PostgresStore::CreateAutoModRule(const AutoModRule& rule, std::size_t max) {
  return Write([&](Connection& conn) -> Result<bool> {
    // The guild row's lock orders concurrent creations: each counts what the one before stored.
    auto guild = conn.Query("SELECT 1 FROM servers WHERE id = $1 FOR NO KEY UPDATE",
                            Params().Id(rule.guild_id));
    if (!guild) return guild.error();
    if (guild->size() == 0) return UnknownGuild();
    auto count = conn.Query(
        "SELECT count(*) FROM auto_moderation_rules WHERE server_id = $1 AND trigger_type = $2",
        Params().Id(rule.guild_id).Int(rule.trigger_type));
    if (!count) return count.error();
    if (static_cast<std::size_t>((*count)[0].Int(0)) >= max) return false;
    auto rows = conn.Query(
        "INSERT INTO auto_moderation_rules (id, server_id, name, creator_id, event_type, "
        "trigger_type, trigger_metadata, actions, enabled, exempt_roles, exempt_channels) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        Params()
            .Id(rule.id)
            .Id(rule.guild_id)
            .Text(rule.name)
            .Id(rule.creator_id)
            .Int(rule.event_type)
            .Int(rule.trigger_type)
            .Text(rule.trigger_metadata_json)
            .Text(rule.actions_json)
            .Bool(rule.enabled)
            .Text(JoinIds(rule.exempt_roles))
            .Text(JoinIds(rule.exempt_channels)));
    if (!rows) return rows.error();
    return true;
  });
}

Result<AutoModRule> PostgresStore::GetAutoModRule(domain::Snowflake guild_id,
                                                  domain::Snowflake rule_id) {
  return Auto([&](Connection& conn) {
    return OneRule(conn.Query("SELECT " + std::string(kRuleColumns) +
                                  " FROM auto_moderation_rules WHERE id = $1 AND server_id = $2",
                              Params().Id(rule_id).Id(guild_id)));
  });
}

Result<std::vector<AutoModRule>> PostgresStore::ListAutoModRules(domain::Snowflake guild_id) {
  return Auto([&](Connection& conn) {
    return ReadRules(conn.Query("SELECT " + std::string(kRuleColumns) +
                                    " FROM auto_moderation_rules WHERE server_id = $1 ORDER BY id",
                                Params().Id(guild_id)));
  });
}

Result<void> PostgresStore::UpdateAutoModRule(const AutoModRule& rule) {
  return Auto([&](Connection& conn) -> Result<void> {
    auto rows = conn.Query(
        "UPDATE auto_moderation_rules SET name = $3, event_type = $4, trigger_metadata = $5, "
        "actions = $6, enabled = $7, exempt_roles = $8, exempt_channels = $9 "
        "WHERE id = $1 AND server_id = $2",
        Params()
            .Id(rule.id)
            .Id(rule.guild_id)
            .Text(rule.name)
            .Int(rule.event_type)
            .Text(rule.trigger_metadata_json)
            .Text(rule.actions_json)
            .Bool(rule.enabled)
            .Text(JoinIds(rule.exempt_roles))
            .Text(JoinIds(rule.exempt_channels)));
    if (!rows) return rows.error();
    if (rows->Affected() == 0) return UnknownAutoModRule();
    return {};
  });
}

Result<AutoModRule> PostgresStore::DeleteAutoModRule(domain::Snowflake guild_id,
                                                     domain::Snowflake rule_id) {
  return Auto([&](Connection& conn) {
    return OneRule(
        conn.Query("DELETE FROM auto_moderation_rules WHERE id = $1 AND server_id = $2 "
                   "RETURNING " +
                       std::string(kRuleColumns),
                   Params().Id(rule_id).Id(guild_id)));
  });
}

}  // namespace chat::store::postgres
