"""Auto moderation (/guilds/{id}/auto-moderation/rules): a guild's managers keep keyword and
mention-spam rules, announced (AUTO_MODERATION_RULE_*) and audited; what members send or edit is
checked against the enabled rules, which block it (400 200000), post an alert (type 24) to a
channel, or time the member out, each announced as AUTO_MODERATION_ACTION_EXECUTION and audited.
Managers, webhooks, exempt roles and exempt channels are left alone. SQLite and PostgreSQL."""
import unittest

from community_client import CommunityClient
from harness import ServerTestCase

SECRET = "integration-test-secret-0123456789abcdef"
GUILDS = 1 << 0
AUTO_MODERATION_CONFIGURATION, AUTO_MODERATION_EXECUTION = 1 << 20, 1 << 21
MANAGE_GUILD = 1 << 5
VIEW_CHANNEL = 1 << 10


def field_codes(r):
    """{field path: [error codes]} of a Discord 50035 answer."""
    out = {}

    def walk(node, path):
        for key, value in node.items():
            if key == "_errors":
                out[".".join(path)] = [e["code"] for e in value]
            elif isinstance(value, dict):
                walk(value, path + [key])
    walk(r.json().get("errors", {}), [])
    return out


class AutoModerationSuite(CommunityClient):
    ENV = {"JWT_SECRET": SECRET}

    def community(self):
        """A guild with a member, an alert channel and a manager's session:
        (guild, general, alerts, (owner, token), (member, token), owner's session)."""
        owner = self.user()
        guild, general = self.guild_with_channel(owner[1], "Moderated")
        member = self.user()
        self.join_through(owner[1], general, member[1])
        r = self.api("POST", f"/guilds/{guild}/channels", owner[1], {"name": "mod-log"})
        self.assertStatus(r, 201)
        # As guilds set it up: members do not see the alerts about them.
        self.assertStatus(self.api("PUT", f"/channels/{r.json()['id']}/permissions/{guild}",
                                   owner[1], {"type": 0, "deny": str(VIEW_CHANNEL)}), 204)
        ws, _ = self.session(owner[1], GUILDS | AUTO_MODERATION_CONFIGURATION |
                             AUTO_MODERATION_EXECUTION)
        return guild, general, r.json()["id"], owner, member, ws

    def rules(self, guild):
        return f"/guilds/{guild}/auto-moderation/rules"

    def send(self, channel, token, content):
        return self.api("POST", f"/channels/{channel}/messages", token, {"content": content})

    def audit(self, guild, token, action):
        r = self.api("GET", f"/guilds/{guild}/audit-logs?action_type={action}", token)
        self.assertStatus(r, 200)
        return r.json()["audit_log_entries"]

    def test_managers_keep_rules_and_are_told_of_each_change(self):
        guild, general, alerts, (owner, owner_token), (member, member_token), ws = \
            self.community()
        rule = {"name": "No cats", "event_type": 1, "trigger_type": 1, "enabled": True,
                "trigger_metadata": {"keyword_filter": ["cat*", "bad word"],
                                     "regex_patterns": ["b[a4]d+ie"], "allow_list": ["catalog"]},
                "actions": [{"type": 1, "metadata": {"custom_message": "Not here."}},
                            {"type": 2, "metadata": {"channel_id": alerts}}]}
        # Only those with MANAGE_GUILD see or change the rules.
        self.assertStatus(self.api("GET", self.rules(guild), member_token), 403)
        self.assertStatus(self.api("POST", self.rules(guild), member_token, rule), 403)

        # Bad rules are refused with the field named.
        for bad, field, code in (
                ({k: v for k, v in rule.items() if k != "actions"}, "actions",
                 "BASE_TYPE_REQUIRED"),
                ({**rule, "trigger_type": 4, "trigger_metadata": {"presets": [1]}},
                 "trigger_type", "AUTO_MODERATION_TRIGGER_TYPE_NOT_SUPPORTED"),
                ({**rule, "trigger_metadata": {"regex_patterns": ["(unclosed"]}},
                 "trigger_metadata.regex_patterns.0", "AUTO_MODERATION_INVALID_REGEX"),
                ({**rule, "trigger_metadata": {"keyword_filter": ["x" * 61]}},
                 "trigger_metadata.keyword_filter.0", "BASE_TYPE_BAD_LENGTH"),
                ({**rule, "actions": [{"type": 2, "metadata": {"channel_id": "1"}}]},
                 "actions.0.metadata.channel_id", "CHANNEL_INVALID"),
                ({**rule, "exempt_roles": ["12345"]}, "exempt_roles.0", "ROLE_INVALID"),
                ({**rule, "actions": [{"type": 4294967297}]}, "actions.0.type",
                 "BASE_TYPE_CHOICES")):
            r = self.api("POST", self.rules(guild), owner_token, bad)
            self.assertStatus(r, 400)
            self.assertEqual(r.json()["code"], 50035, r.json())
            self.assertIn(code, field_codes(r).get(field, []), r.json())

        r = self.api("POST", self.rules(guild), owner_token, rule,
                     headers={"X-Audit-Log-Reason": "keep it civil"})
        self.assertStatus(r, 200)
        made = r.json()
        self.assertEqual((made["guild_id"], made["creator_id"], made["name"], made["enabled"]),
                         (guild, owner, "No cats", True))
        self.assertEqual(made["trigger_metadata"],
                         {"keyword_filter": ["cat*", "bad word"], "regex_patterns": ["b[a4]d+ie"],
                          "allow_list": ["catalog"]})
        self.assertEqual(made["actions"],
                         [{"type": 1, "metadata": {"custom_message": "Not here."}},
                          {"type": 2, "metadata": {"channel_id": alerts}}])
        self.assertEqual((made["exempt_roles"], made["exempt_channels"]), ([], []))
        self.assertEqual(self.next_dispatch(ws, "AUTO_MODERATION_RULE_CREATE"), made)

        self.assertEqual(self.api("GET", self.rules(guild), owner_token).json(), [made])
        self.assertEqual(self.api("GET", f"{self.rules(guild)}/{made['id']}", owner_token).json(),
                         made)
        r = self.api("PATCH", f"{self.rules(guild)}/{made['id']}", owner_token,
                     {"name": "No felines", "exempt_channels": [alerts]})
        self.assertStatus(r, 200)
        changed = r.json()
        self.assertEqual((changed["name"], changed["exempt_channels"], changed["actions"]),
                         ("No felines", [alerts], made["actions"]))
        self.assertEqual(self.next_dispatch(ws, "AUTO_MODERATION_RULE_UPDATE"), changed)
        r = self.api("PATCH", f"{self.rules(guild)}/{made['id']}", owner_token,
                     {"trigger_type": 5})
        self.assertStatus(r, 400)

        # Six keyword rules per guild, and one mention-spam rule.
        extra = []
        for i in range(5):
            r = self.api("POST", self.rules(guild), owner_token,
                         {**rule, "name": f"extra {i}", "enabled": False})
            self.assertStatus(r, 200)
            extra.append(r.json()["id"])
        r = self.api("POST", self.rules(guild), owner_token, {**rule, "name": "seventh"})
        self.assertStatus(r, 400)
        self.assertIn("AUTO_MODERATION_MAX_RULES_OF_TYPE_EXCEEDED",
                      field_codes(r)["trigger_type"])
        spam = {"name": "Pings", "event_type": 1, "trigger_type": 5,
                "trigger_metadata": {"mention_total_limit": 5},
                "actions": [{"type": 1}]}
        self.assertStatus(self.api("POST", self.rules(guild), owner_token, spam), 200)
        self.assertStatus(self.api("POST", self.rules(guild), owner_token, spam), 400)
        for rule_id in extra:
            self.assertStatus(self.api("DELETE", f"{self.rules(guild)}/{rule_id}", owner_token),
                              204)

        # A rule whose alert channel is gone still takes changes that leave its actions alone.
        gone = self.api("POST", f"/guilds/{guild}/channels", owner_token, {"name": "old-log"}).json()
        self.assertStatus(self.api("PATCH", f"{self.rules(guild)}/{made['id']}", owner_token,
                                   {"actions": [{"type": 2, "metadata": {"channel_id": gone["id"]}}]}),
                          200)
        self.assertStatus(self.api("DELETE", f"/channels/{gone['id']}", owner_token), 200)
        r = self.api("PATCH", f"{self.rules(guild)}/{made['id']}", owner_token, {"enabled": False})
        self.assertStatus(r, 200)
        self.assertFalse(r.json()["enabled"])

        self.assertStatus(self.api("DELETE", f"{self.rules(guild)}/{made['id']}", owner_token),
                          204)
        deleted = self.next_dispatch(ws, "AUTO_MODERATION_RULE_DELETE")
        while deleted["id"] != made["id"]:
            deleted = self.next_dispatch(ws, "AUTO_MODERATION_RULE_DELETE")
        self.assertStatus(self.api("GET", f"{self.rules(guild)}/{made['id']}", owner_token), 404)
        self.assertStatus(self.api("DELETE", f"{self.rules(guild)}/{made['id']}", owner_token),
                          404)

        created = self.audit(guild, owner_token, 140)
        self.assertIn((made["id"], owner, "keep it civil"),
                      [(e["target_id"], e["user_id"], e.get("reason")) for e in created])
        self.assertIn(made["id"], [e["target_id"] for e in self.audit(guild, owner_token, 141)])
        self.assertIn(made["id"], [e["target_id"] for e in self.audit(guild, owner_token, 142)])

    def test_rules_block_and_report_what_members_send(self):
        guild, general, alerts, (owner, owner_token), (member, member_token), ws = \
            self.community()
        r = self.api("POST", self.rules(guild), owner_token,
                     {"name": "No cats", "event_type": 1, "trigger_type": 1, "enabled": True,
                      "trigger_metadata": {"keyword_filter": ["cat*"], "allow_list": ["catalog"]},
                      "actions": [{"type": 1}, {"type": 2, "metadata": {"channel_id": alerts}}]})
        self.assertStatus(r, 200)
        rule = r.json()

        blocked = self.send(general, member_token, "I love Catapults")
        self.assertStatus(blocked, 400)
        self.assertEqual(blocked.json()["code"], 200000)
        executions = [self.next_dispatch(ws, "AUTO_MODERATION_ACTION_EXECUTION")
                      for _ in range(2)]
        self.assertEqual(sorted(e["action"]["type"] for e in executions), [1, 2])
        for e in executions:
            self.assertEqual((e["rule_id"], e["rule_trigger_type"], e["user_id"],
                              e["channel_id"], e["content"], e["matched_keyword"],
                              e["matched_content"]),
                             (rule["id"], 1, member, general, "I love Catapults", "cat*",
                              "Catapults"))
            self.assertNotIn("message_id", e)
        alert_id = next(e for e in executions if e["action"]["type"] == 2)[
            "alert_system_message_id"]
        history = self.api("GET", f"/channels/{general}/messages", owner_token).json()
        self.assertNotIn("I love Catapults", [m["content"] for m in history])
        self.assertStatus(self.api("GET", f"/channels/{alerts}/messages", member_token), 403)
        alert = self.api("GET", f"/channels/{alerts}/messages/{alert_id}", owner_token).json()
        self.assertEqual((alert["type"], alert["author"]["id"]), (24, member))
        embed = alert["embeds"][0]
        self.assertEqual((embed["type"], embed["description"]),
                         ("auto_moderation_message", "I love Catapults"))
        fields = {f["name"]: f["value"] for f in embed["fields"]}
        self.assertEqual((fields["rule_name"], fields["channel_id"], fields["keyword"],
                          fields["keyword_matched_content"]),
                         ("No cats", general, "cat*", "Catapults"))

        # The allow list, the word rule ("cat*" starts a word), managers and webhooks pass.
        for content, token in (("see the catalog", member_token),
                               ("concatenate strings", member_token),
                               ("my catapult", owner_token)):
            self.assertStatus(self.send(general, token, content), 200)
        hook = self.api("POST", f"/channels/{general}/webhooks", owner_token,
                        {"name": "feed"}).json()
        self.assertStatus(self.req("POST", f"/api/v10/webhooks/{hook['id']}/{hook['token']}",
                                   {"content": "catapult news"}), 204)

        # Edits are checked too: the message keeps its words.
        kept = self.send(general, member_token, "a fine dog").json()
        r = self.api("PATCH", f"/channels/{general}/messages/{kept['id']}", member_token,
                     {"content": "a fine cat"})
        self.assertStatus(r, 400)
        self.assertEqual(r.json()["code"], 200000)
        self.assertEqual(self.api("GET", f"/channels/{general}/messages/{kept['id']}",
                                  member_token).json()["content"], "a fine dog")

        # An exempt role, an exempt channel and a disabled rule let it through.
        role = self.api("POST", f"/guilds/{guild}/roles", owner_token,
                        {"name": "trusted", "permissions": "0"}).json()
        other = self.api("POST", f"/guilds/{guild}/channels", owner_token,
                         {"name": "cats"}).json()
        self.assertStatus(self.api("PATCH", f"{self.rules(guild)}/{rule['id']}", owner_token,
                                   {"exempt_channels": [other["id"]]}), 200)
        self.assertStatus(self.send(other["id"], member_token, "catapult"), 200)
        self.assertStatus(self.send(general, member_token, "catapult"), 400)
        # Exempting a category exempts the channels in it.
        category = self.api("POST", f"/guilds/{guild}/channels", owner_token,
                            {"name": "Off topic", "type": 4}).json()
        inside = self.api("POST", f"/guilds/{guild}/channels", owner_token,
                          {"name": "pets", "parent_id": category["id"]}).json()
        self.assertStatus(self.send(inside["id"], member_token, "catapult"), 400)
        self.assertStatus(self.api("PATCH", f"{self.rules(guild)}/{rule['id']}", owner_token,
                                   {"exempt_channels": [other["id"], category["id"]]}), 200)
        self.assertStatus(self.send(inside["id"], member_token, "catapult"), 200)
        self.assertStatus(self.api("PATCH", f"{self.rules(guild)}/{rule['id']}", owner_token,
                                   {"exempt_roles": [role["id"]]}), 200)
        self.assertStatus(self.api("PUT", f"/guilds/{guild}/members/{member}/roles/{role['id']}",
                                   owner_token), 204)
        self.assertStatus(self.send(general, member_token, "catapult"), 200)
        self.assertStatus(self.api("DELETE",
                                   f"/guilds/{guild}/members/{member}/roles/{role['id']}",
                                   owner_token), 204)
        self.assertStatus(self.send(general, member_token, "catapult"), 400)
        self.assertStatus(self.api("PATCH", f"{self.rules(guild)}/{rule['id']}", owner_token,
                                   {"enabled": False}), 200)
        self.assertStatus(self.send(general, member_token, "catapult"), 200)

        entries = self.audit(guild, owner_token, 143)
        self.assertGreaterEqual(len(entries), 3)
        self.assertEqual((entries[0]["user_id"], entries[0]["target_id"],
                          entries[0]["options"]["auto_moderation_rule_name"],
                          entries[0]["options"]["auto_moderation_rule_trigger_type"],
                          entries[0]["options"]["channel_id"]),
                         (member, member, "No cats", "1", general))
        self.assertTrue(self.audit(guild, owner_token, 144))

    def test_mention_spam_times_the_member_out(self):
        guild, general, alerts, (owner, owner_token), (member, member_token), ws = \
            self.community()
        spam = {"name": "Pings", "event_type": 1, "trigger_type": 5, "enabled": True,
                "trigger_metadata": {"mention_total_limit": 2},
                "actions": [{"type": 3, "metadata": {"duration_seconds": 600}},
                            {"type": 2, "metadata": {"channel_id": alerts}}]}
        # A timeout takes MODERATE_MEMBERS besides MANAGE_GUILD.
        manager = self.user()
        self.join_through(owner_token, general, manager[1])
        role = self.api("POST", f"/guilds/{guild}/roles", owner_token,
                        {"name": "managers", "permissions": str(MANAGE_GUILD)}).json()
        self.assertStatus(self.api("PUT", f"/guilds/{guild}/members/{manager[0]}/roles/"
                                   f"{role['id']}", owner_token), 204)
        self.assertStatus(self.api("POST", self.rules(guild), manager[1], spam), 403)
        for bad in ({**spam, "trigger_metadata": {}}, {**spam, "trigger_metadata":
                                                       {"mention_total_limit": 51}},
                    {**spam, "actions": [{"type": 3, "metadata": {"duration_seconds": 2419201}}]}):
            self.assertStatus(self.api("POST", self.rules(guild), owner_token, bad), 400)
        r = self.api("POST", self.rules(guild), owner_token, spam)
        self.assertStatus(r, 200)
        rule = r.json()
        # Nor may they change a rule that times members out, even without touching its actions.
        self.assertStatus(self.api("PATCH", f"{self.rules(guild)}/{rule['id']}", manager[1],
                                   {"trigger_metadata": {"mention_total_limit": 1}}), 403)
        self.assertStatus(self.api("GET", f"{self.rules(guild)}/{rule['id']}", manager[1]), 200)

        self.assertStatus(self.send(general, member_token, "<@1> and <@&2>"), 200)
        sent = self.send(general, member_token, "<@1> <@2> <@!3> hello")
        self.assertStatus(sent, 200)  # no BLOCK_MESSAGE: it stays, and they are timed out
        executions = [self.next_dispatch(ws, "AUTO_MODERATION_ACTION_EXECUTION")
                      for _ in range(2)]
        self.assertEqual(sorted(e["action"]["type"] for e in executions), [2, 3])
        for e in executions:
            self.assertEqual((e["rule_id"], e["message_id"], e["matched_keyword"]),
                             (rule["id"], sent.json()["id"], None))
        timeout = next(e for e in executions if e["action"]["type"] == 3)
        self.assertEqual(timeout["action"]["metadata"], {"duration_seconds": 600})
        got = self.api("GET", f"/guilds/{guild}/members/{member}", owner_token).json()
        self.assertIsNotNone(got["communication_disabled_until"])
        self.assertStatus(self.send(general, member_token, "still here?"), 403)
        entries = self.audit(guild, owner_token, 145)
        self.assertEqual([(e["target_id"], e["options"]["auto_moderation_rule_name"])
                          for e in entries], [(member, "Pings")])


class SqliteAutoModeration(AutoModerationSuite, ServerTestCase):
    pass


class PostgresAutoModeration(AutoModerationSuite, ServerTestCase):
    BACKEND = "postgres"


if __name__ == "__main__":
    unittest.main()
