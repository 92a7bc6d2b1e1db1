"""The guild audit log through the real server (issue 6, point 8): every moderation change writes
an entry with Discord's action type, actor, target, old/new values and the X-Audit-Log-Reason;
GET /guilds/{id}/audit-logs filters and pages them and needs VIEW_AUDIT_LOG; the entries also
reach VIEW_AUDIT_LOG holders live over the gateway; FEATURE_AUDIT_LOGGING=false records nothing.
On SQLite and on PostgreSQL."""
import unittest
import uuid
from urllib.parse import quote

from harness import ServerTestCase
from test_gateway import WsClient

SECRET = "integration-test-secret-0123456789abcdef"
VIEW_AUDIT_LOG = 1 << 7
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13

GUILD_UPDATE = 1
CHANNEL_CREATE, CHANNEL_UPDATE, CHANNEL_DELETE = 10, 11, 12
OVERWRITE_CREATE, OVERWRITE_UPDATE, OVERWRITE_DELETE = 13, 14, 15
MEMBER_KICK, BAN_ADD, BAN_REMOVE, MEMBER_UPDATE, MEMBER_ROLE_UPDATE = 20, 22, 23, 24, 25
ROLE_CREATE, ROLE_UPDATE, ROLE_DELETE = 30, 31, 32
INVITE_CREATE, INVITE_DELETE = 40, 42
MESSAGE_DELETE, MESSAGE_BULK_DELETE, MESSAGE_PIN, MESSAGE_UNPIN = 72, 73, 74, 75


def unique(prefix="a"):
    return prefix + uuid.uuid4().hex[:10]


def changes_of(entry):
    """{key: (old_value, new_value)} with None for an absent side."""
    return {c["key"]: (c.get("old_value"), c.get("new_value")) for c in entry.get("changes", [])}


class AuditLogBase:
    ENV = {"JWT_SECRET": SECRET}

    def user(self):
        name = unique()
        r = self.req("POST", "/api/v10/auth/register",
                     {"username": name, "email": name + "@example.com",
                      "password": "StrongP@ss123"})
        self.assertStatus(r, 201)
        uid = r.json()["id"]
        r = self.req("POST", "/api/v10/auth/login",
                     {"username": name, "password": "StrongP@ss123"})
        self.assertStatus(r, 200)
        return uid, r.json()["token"]

    def api(self, method, path, token, body=None, reason=None):
        headers = {"X-Audit-Log-Reason": reason} if reason is not None else None
        return self.req(method, "/api/v10" + path, body, token=token, headers=headers)

    def ok(self, method, path, token, body=None, reason=None, status=None):
        r = self.api(method, path, token, body, reason)
        if status is None:
            self.assertIn(r.status, (200, 201, 204), r)
        else:
            self.assertStatus(r, status)
        return r.json() if r.body else None

    def general(self, token, guild_id):
        channels = self.ok("GET", f"/guilds/{guild_id}/channels", token)
        return next(c for c in channels if c["type"] == 0 and c["name"] == "general")

    def join(self, owner_token, guild_id, token):
        channel = self.general(owner_token, guild_id)
        code = self.ok("POST", f"/channels/{channel['id']}/invites", owner_token,
                       {"max_age": 0})["code"]
        self.ok("POST", f"/invites/{code}", token)

    def log(self, token, guild_id, query="", status=200):
        r = self.api("GET", f"/guilds/{guild_id}/audit-logs{query}", token)
        self.assertStatus(r, status)
        return r.json()


class AuditLogSuite(AuditLogBase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scenario = None

    def run_scenario(self):
        """One guild in which every audited action happens once; returns what the tests check."""
        if type(self).scenario:
            return type(self).scenario
        s = {}
        s["owner"], owner_token = self.user()
        s["owner_token"] = owner_token
        s["member"], s["member_token"] = self.user()
        s["kicked"], kicked_token = self.user()
        s["banned"], _ = self.user()
        g = self.ok("POST", "/guilds", owner_token, {"name": "Audit Guild"}, status=201)
        gid = s["guild"] = g["id"]
        for token in (s["member_token"], kicked_token):
            self.join(owner_token, gid, token)
        s["joined_through"] = self.general(owner_token, gid)["id"]
        # The reason travels URL-encoded, as Discord clients send it.
        self.ok("PATCH", f"/guilds/{gid}", owner_token, {"name": "Renamed Guild"},
                reason=quote("tidy up — été"))
        ch = self.ok("POST", f"/guilds/{gid}/channels", owner_token,
                     {"name": "audit room", "topic": "first"}, reason="new%20room", status=201)
        s["channel"] = ch["id"]
        self.ok("PATCH", f"/channels/{ch['id']}", owner_token, {"topic": "second", "nsfw": True})
        role = self.ok("POST", f"/guilds/{gid}/roles", owner_token,
                       {"name": "Helpers", "permissions": str(SEND_MESSAGES)}, reason="helpers")
        s["role"] = role["id"]
        self.ok("PATCH", f"/guilds/{gid}/roles/{role['id']}", owner_token,
                {"name": "Mods", "permissions": str(SEND_MESSAGES | MANAGE_MESSAGES),
                 "hoist": True})
        ow = f"/channels/{ch['id']}/permissions/{role['id']}"
        self.ok("PUT", ow, owner_token, {"type": 0, "allow": str(VIEW_CHANNEL), "deny": "0"})
        self.ok("PUT", ow, owner_token,
                {"type": 0, "allow": str(VIEW_CHANNEL), "deny": str(SEND_MESSAGES)})
        self.ok("DELETE", ow, owner_token, reason="not needed")
        self.ok("PATCH", f"/guilds/{gid}/members/{s['member']}", owner_token, {"nick": "Nicky"},
                reason="better name")
        self.ok("PUT", f"/guilds/{gid}/members/{s['member']}/roles/{role['id']}", owner_token)
        self.ok("DELETE", f"/guilds/{gid}/members/{s['member']}/roles/{role['id']}", owner_token)
        self.ok("PATCH", f"/guilds/{gid}/members/{s['member']}", owner_token,
                {"roles": [role["id"]]})
        # A moderator deleting someone else's message is logged; deleting one's own is not.
        general = s["joined_through"]
        mine = self.ok("POST", f"/channels/{general}/messages", owner_token, {"content": "own"})
        theirs = self.ok("POST", f"/channels/{general}/messages", s["member_token"],
                         {"content": "spam"})
        pinned = self.ok("POST", f"/channels/{general}/messages", s["member_token"],
                         {"content": "pin me"})
        s["pinned"] = pinned["id"]
        self.ok("PUT", f"/channels/{general}/pins/{pinned['id']}", owner_token, reason="keep")
        self.ok("DELETE", f"/channels/{general}/messages/{mine['id']}", owner_token)
        self.ok("DELETE", f"/channels/{general}/messages/{theirs['id']}", owner_token,
                reason="spam")
        bulk = [self.ok("POST", f"/channels/{general}/messages", s["member_token"],
                        {"content": f"bulk {i}"})["id"] for i in range(3)]
        self.ok("POST", f"/channels/{general}/messages/bulk-delete", owner_token,
                {"messages": bulk}, reason="cleanup")
        self.ok("DELETE", f"/guilds/{gid}/members/{s['kicked']}", owner_token, reason="rude")
        self.ok("PUT", f"/guilds/{gid}/bans/{s['banned']}", owner_token, {},
                reason="raid%20bot")
        self.ok("DELETE", f"/guilds/{gid}/bans/{s['banned']}", owner_token, reason="appealed")
        inv = self.ok("POST", f"/channels/{ch['id']}/invites", owner_token,
                      {"max_age": 3600, "max_uses": 5, "unique": True})
        s["invite"] = inv["code"]
        self.ok("DELETE", f"/invites/{inv['code']}", owner_token)
        self.ok("DELETE", f"/channels/{ch['id']}", owner_token, reason="done")
        s["log"] = self.log(owner_token, gid, "?limit=100")
        type(self).scenario = s
        return s

    def entries(self, action):
        return [e for e in self.run_scenario()["log"]["audit_log_entries"]
                if e["action_type"] == action]

    def bound(self):
        """`before=` just above the scenario's newest entry: other tests add entries later."""
        return "before=" + str(int(self.run_scenario()["log"]["audit_log_entries"][0]["id"]) + 1)

    def one(self, action):
        found = self.entries(action)
        self.assertEqual(len(found), 1, found)
        return found[0]

    # -- what each action writes -----------------------------------------------------------
    def test_response_shape_and_newest_first(self):
        s = self.run_scenario()
        log = s["log"]
        for key in ("audit_log_entries", "users", "integrations", "webhooks",
                    "guild_scheduled_events", "threads", "application_commands",
                    "auto_moderation_rules"):
            self.assertIsInstance(log[key], list, key)
        ids = [int(e["id"]) for e in log["audit_log_entries"]]
        self.assertEqual(ids, sorted(ids, reverse=True))
        for e in log["audit_log_entries"]:
            self.assertEqual(e["user_id"], s["owner"])
            self.assertIsInstance(e["id"], str)
        # Actors and targeted users, each once, as user objects.
        users = {u["id"] for u in log["users"]}
        self.assertEqual(len(users), len(log["users"]))
        self.assertTrue({s["owner"], s["member"], s["kicked"], s["banned"]} <= users, users)

    def test_guild_update_has_old_and_new_name_and_decoded_reason(self):
        s = self.run_scenario()
        e = self.one(GUILD_UPDATE)
        self.assertEqual(e["target_id"], s["guild"])
        self.assertEqual(changes_of(e), {"name": ("Audit Guild", "Renamed Guild")})
        self.assertEqual(e["reason"], "tidy up — été")

    def test_channel_create_update_delete(self):
        s = self.run_scenario()
        created = self.one(CHANNEL_CREATE)
        self.assertEqual(created["target_id"], s["channel"])
        c = changes_of(created)
        self.assertEqual(c["name"], (None, "audit-room"))
        self.assertEqual(c["type"], (None, 0))
        self.assertEqual(c["topic"], (None, "first"))
        self.assertEqual(created["reason"], "new room")
        updated = self.one(CHANNEL_UPDATE)
        self.assertEqual(changes_of(updated),
                         {"topic": ("first", "second"), "nsfw": (False, True)})
        self.assertNotIn("reason", updated)
        deleted = self.one(CHANNEL_DELETE)
        self.assertEqual(deleted["target_id"], s["channel"])
        self.assertEqual(changes_of(deleted)["name"], ("audit-room", None))
        self.assertEqual(deleted["reason"], "done")

    def test_overwrite_create_update_delete_carry_options(self):
        s = self.run_scenario()
        created = self.one(OVERWRITE_CREATE)
        self.assertEqual(created["target_id"], s["channel"])
        self.assertEqual(created["options"], {"id": s["role"], "type": "0", "role_name": "Mods"})
        self.assertEqual(changes_of(created),
                         {"id": (None, s["role"]), "type": (None, 0),
                          "allow": (None, str(VIEW_CHANNEL)), "deny": (None, "0")})
        updated = self.one(OVERWRITE_UPDATE)
        self.assertEqual(changes_of(updated), {"deny": ("0", str(SEND_MESSAGES))})
        deleted = self.one(OVERWRITE_DELETE)
        self.assertEqual(changes_of(deleted)["deny"], (str(SEND_MESSAGES), None))
        self.assertEqual(deleted["reason"], "not needed")

    def test_role_create_update_delete(self):
        s = self.run_scenario()
        created = self.one(ROLE_CREATE)
        self.assertEqual(created["target_id"], s["role"])
        self.assertEqual(changes_of(created)["name"], (None, "Helpers"))
        self.assertEqual(changes_of(created)["permissions"], (None, str(SEND_MESSAGES)))
        self.assertEqual(created["reason"], "helpers")
        updated = self.one(ROLE_UPDATE)
        self.assertEqual(changes_of(updated), {
            "name": ("Helpers", "Mods"),
            "permissions": (str(SEND_MESSAGES), str(SEND_MESSAGES | MANAGE_MESSAGES)),
            "hoist": (False, True)})
        self.assertEqual(self.entries(ROLE_DELETE), [])  # the role is still there

    def test_member_nick_and_role_updates(self):
        s = self.run_scenario()
        nick = self.one(MEMBER_UPDATE)
        self.assertEqual(nick["target_id"], s["member"])
        self.assertEqual(changes_of(nick), {"nick": (None, "Nicky")})
        self.assertEqual(nick["reason"], "better name")
        roles = self.entries(MEMBER_ROLE_UPDATE)
        self.assertEqual(len(roles), 3, roles)
        # Newest first: the PATCH re-adding, the removal, the first add.
        readd, removal, add = roles
        for e in roles:
            self.assertEqual(e["target_id"], s["member"])
        mods = [{"id": s["role"], "name": "Mods"}]
        self.assertEqual(add["changes"], [{"key": "$add", "new_value": mods}])
        self.assertEqual(removal["changes"], [{"key": "$remove", "new_value": mods}])
        self.assertEqual(readd["changes"], [{"key": "$add", "new_value": mods}])

    def test_kick_ban_unban(self):
        s = self.run_scenario()
        kick = self.one(MEMBER_KICK)
        self.assertEqual((kick["target_id"], kick["reason"]), (s["kicked"], "rude"))
        self.assertNotIn("changes", kick)
        ban = self.one(BAN_ADD)
        self.assertEqual((ban["target_id"], ban["reason"]), (s["banned"], "raid bot"))
        unban = self.one(BAN_REMOVE)
        self.assertEqual((unban["target_id"], unban["reason"]), (s["banned"], "appealed"))
        # The header is the ban's reason too, as on Discord.
        r = self.api("PUT", f"/guilds/{s['guild']}/bans/{s['banned']}", s["owner_token"], {},
                     reason="again")
        self.assertStatus(r, 204)
        got = self.ok("GET", f"/guilds/{s['guild']}/bans/{s['banned']}", s["owner_token"])
        self.assertEqual(got["reason"], "again")

    def test_invite_create_and_delete(self):
        s = self.run_scenario()
        created = [e for e in self.entries(INVITE_CREATE)
                   if changes_of(e)["code"][1] == s["invite"]]
        self.assertEqual(len(created), 1)
        c = changes_of(created[0])
        self.assertIsNone(created[0]["target_id"])
        self.assertEqual(c["channel_id"], (None, s["channel"]))
        self.assertEqual(c["inviter_id"], (None, s["owner"]))
        self.assertEqual(c["max_age"], (None, 3600))
        self.assertEqual(c["max_uses"], (None, 5))
        # The joins' invite is in the log too.
        self.assertEqual(len(self.entries(INVITE_CREATE)), 2)
        deleted = self.one(INVITE_DELETE)
        self.assertEqual(changes_of(deleted)["code"], (s["invite"], None))

    def test_message_delete_bulk_delete_and_pin(self):
        s = self.run_scenario()
        deleted = self.one(MESSAGE_DELETE)  # the owner's own message is not logged
        self.assertEqual(deleted["target_id"], s["member"])
        self.assertEqual(deleted["options"], {"channel_id": s["joined_through"], "count": "1"})
        self.assertEqual(deleted["reason"], "spam")
        bulk = self.one(MESSAGE_BULK_DELETE)
        self.assertEqual(bulk["target_id"], s["joined_through"])
        self.assertEqual(bulk["options"], {"count": "3"})
        self.assertEqual(bulk["reason"], "cleanup")
        pin = self.one(MESSAGE_PIN)
        self.assertEqual(pin["target_id"], s["member"])
        self.assertEqual(pin["options"],
                         {"channel_id": s["joined_through"], "message_id": s["pinned"]})
        self.assertEqual(pin["reason"], "keep")
        # Unpinning is logged too.
        self.ok("DELETE", f"/channels/{s['joined_through']}/pins/{s['pinned']}",
                s["owner_token"])
        unpin = self.log(s["owner_token"], s["guild"],
                         f"?action_type={MESSAGE_UNPIN}")["audit_log_entries"]
        self.assertEqual(len(unpin), 1)
        self.assertEqual(unpin[0]["target_id"], s["member"])

    def test_role_delete_is_logged_with_old_values(self):
        s = self.run_scenario()
        role = self.ok("POST", f"/guilds/{s['guild']}/roles", s["owner_token"],
                       {"name": "Temp"})
        self.ok("DELETE", f"/guilds/{s['guild']}/roles/{role['id']}", s["owner_token"],
                reason="cleanup")
        log = self.log(s["owner_token"], s["guild"], f"?action_type={ROLE_DELETE}")
        self.assertEqual(len(log["audit_log_entries"]), 1)
        e = log["audit_log_entries"][0]
        self.assertEqual((e["target_id"], e["reason"]), (role["id"], "cleanup"))
        self.assertEqual(changes_of(e)["name"], ("Temp", None))

    # -- filters and paging -----------------------------------------------------------------
    def test_filters_by_user_and_action_type(self):
        s = self.run_scenario()
        gid, token = s["guild"], s["owner_token"]
        only = self.log(token, gid, f"?action_type={MEMBER_ROLE_UPDATE}&{self.bound()}")[
            "audit_log_entries"]
        self.assertEqual(len(only), 3)
        self.assertTrue(all(e["action_type"] == MEMBER_ROLE_UPDATE for e in only))
        self.assertEqual(self.log(token, gid, f"?user_id={s['member']}")["audit_log_entries"],
                         [])
        mine = self.log(token, gid, f"?user_id={s['owner']}&limit=100&{self.bound()}")
        self.assertEqual(mine["audit_log_entries"], s["log"]["audit_log_entries"])
        users = self.log(token, gid, f"?action_type={MEMBER_KICK}")["users"]
        self.assertEqual({u["id"] for u in users}, {s["owner"], s["kicked"]})

    def test_limit_before_and_after_page_through_the_log(self):
        s = self.run_scenario()
        gid, token = s["guild"], s["owner_token"]
        all_ids = [e["id"] for e in s["log"]["audit_log_entries"]]
        self.assertGreater(len(all_ids), 20)
        first = self.log(token, gid, f"?limit=5&{self.bound()}")["audit_log_entries"]
        self.assertEqual([e["id"] for e in first], all_ids[:5])
        older = self.log(token, gid, f"?limit=5&before={first[-1]['id']}")["audit_log_entries"]
        self.assertEqual([e["id"] for e in older], all_ids[5:10])
        # after: the entries right above the id, newest first.
        pivot = all_ids[-1]
        newer = self.log(token, gid, f"?limit=3&after={pivot}")["audit_log_entries"]
        self.assertEqual([e["id"] for e in newer], all_ids[-4:-1])
        both = self.log(token, gid, f"?before={all_ids[0]}&after={all_ids[3]}")
        self.assertEqual([e["id"] for e in both["audit_log_entries"]], all_ids[1:3])
        default = self.log(token, gid, f"?{self.bound()}")["audit_log_entries"]
        self.assertEqual(len(default), min(50, len(all_ids)))

    def test_bad_query_parameters_are_400(self):
        s = self.run_scenario()
        for query in ("?limit=0", "?limit=101", "?limit=x", "?action_type=abc",
                      "?action_type=0", "?before=nope", "?after=-1", "?user_id=abc"):
            r = self.api("GET", f"/guilds/{s['guild']}/audit-logs{query}", s["owner_token"])
            self.assertStatus(r, 400)
            self.assertIn("code", r.json())

    # -- who may read it --------------------------------------------------------------------
    def test_needs_view_audit_log_which_a_role_can_grant(self):
        s = self.run_scenario()
        gid = s["guild"]
        member, member_token = self.user()
        self.join(s["owner_token"], gid, member_token)
        r = self.api("GET", f"/guilds/{gid}/audit-logs", member_token)
        self.assertStatus(r, 403)
        self.assertEqual(r.json()["code"], 50013)
        role = self.ok("POST", f"/guilds/{gid}/roles", s["owner_token"],
                       {"name": "Auditors", "permissions": str(VIEW_AUDIT_LOG)})
        self.ok("PUT", f"/guilds/{gid}/members/{member}/roles/{role['id']}", s["owner_token"])
        log = self.log(member_token, gid)
        self.assertTrue(log["audit_log_entries"])

    def test_outsiders_and_unknown_guilds_get_nothing(self):
        s = self.run_scenario()
        _, outsider = self.user()
        r = self.api("GET", f"/guilds/{s['guild']}/audit-logs", outsider)
        self.assertStatus(r, 403)
        self.assertEqual(r.json()["code"], 50001)
        self.assertNotIn("audit_log_entries", r.json())
        self.assertStatus(self.api("GET", "/guilds/123456789012345678/audit-logs", outsider), 404)
        self.assertStatus(self.req("GET", f"/api/v10/guilds/{s['guild']}/audit-logs"), 401)

    def test_reason_header_is_capped_and_bad_encoding_ignored(self):
        s = self.run_scenario()
        gid, token = s["guild"], s["owner_token"]
        self.ok("PATCH", f"/guilds/{gid}", token, {"name": "Long Reason"}, reason="x" * 600)
        # %FF decodes to a byte that is not UTF-8: the change goes through without a reason.
        self.ok("PATCH", f"/guilds/{gid}", token, {"name": "Bad Reason"}, reason="%FF%FE")
        updates = self.log(token, gid, f"?action_type={GUILD_UPDATE}&limit=2")
        bad, long = updates["audit_log_entries"]
        self.assertEqual(changes_of(bad)["name"][1], "Bad Reason")
        self.assertNotIn("reason", bad)
        self.assertEqual(long["reason"], "x" * 512)

    def test_deleting_the_guild_deletes_its_log(self):
        owner, token = self.user()
        g = self.ok("POST", "/guilds", token, {"name": "Short lived"}, status=201)
        self.ok("PATCH", f"/guilds/{g['id']}", token, {"name": "Shorter lived"})
        self.assertEqual(len(self.log(token, g["id"])["audit_log_entries"]), 1)
        self.ok("DELETE", f"/guilds/{g['id']}", token)
        self.assertStatus(self.api("GET", f"/guilds/{g['id']}/audit-logs", token), 404)

    # -- live -------------------------------------------------------------------------------
    def test_entries_reach_view_audit_log_holders_over_the_gateway(self):
        owner, token = self.user()
        g = self.ok("POST", "/guilds", token, {"name": "Live Guild"}, status=201)
        ws = WsClient(self.server.port)
        self.addCleanup(ws.drop)
        self.assertEqual(ws.recv()["op"], 10)
        ws.send({"op": 2, "d": {"token": token, "intents": 1 << 0 | 1 << 2,
                                "properties": {"os": "linux", "browser": "t", "device": "t"}}})
        ready = ws.recv()
        self.assertEqual(ready["t"], "READY", ready)
        for _ in ready["d"]["guilds"]:
            ws.recv()  # the guilds' GUILD_CREATE
        self.ok("PATCH", f"/guilds/{g['id']}", token, {"name": "Live Guild 2"}, reason="live")
        while True:
            m = ws.recv()
            if m["op"] == 0 and m["t"] == "GUILD_AUDIT_LOG_ENTRY_CREATE":
                break
        d = m["d"]
        self.assertEqual((d["guild_id"], d["action_type"], d["user_id"], d["reason"]),
                         (g["id"], GUILD_UPDATE, owner, "live"))
        self.assertEqual(changes_of(d), {"name": ("Live Guild", "Live Guild 2")})


class AuditLogDisabledSuite(AuditLogBase):
    ENV = {"JWT_SECRET": SECRET, "FEATURE_AUDIT_LOGGING": "false"}

    def test_nothing_is_recorded_but_the_route_answers(self):
        owner, token = self.user()
        member, member_token = self.user()
        g = self.ok("POST", "/guilds", token, {"name": "Quiet Guild"}, status=201)
        self.join(token, g["id"], member_token)
        self.ok("PATCH", f"/guilds/{g['id']}", token, {"name": "Quiet 2"}, reason="x")
        role = self.ok("POST", f"/guilds/{g['id']}/roles", token, {"name": "R"})
        self.ok("PUT", f"/guilds/{g['id']}/members/{member}/roles/{role['id']}", token)
        self.ok("DELETE", f"/guilds/{g['id']}/members/{member}", token)
        log = self.log(token, g["id"])
        self.assertEqual(log["audit_log_entries"], [])
        self.assertEqual(log["users"], [])
        # Reading still needs the permission.
        _, outsider = self.user()
        self.assertStatus(self.api("GET", f"/guilds/{g['id']}/audit-logs", outsider), 403)


class SqliteAuditLog(AuditLogSuite, ServerTestCase):
    BACKEND = "sqlite"


class PostgresAuditLog(AuditLogSuite, ServerTestCase):
    BACKEND = "postgres"


class SqliteAuditLogDisabled(AuditLogDisabledSuite, ServerTestCase):
    BACKEND = "sqlite"


class PostgresAuditLogDisabled(AuditLogDisabledSuite, ServerTestCase):
    BACKEND = "postgres"


if __name__ == "__main__":
    unittest.main()
