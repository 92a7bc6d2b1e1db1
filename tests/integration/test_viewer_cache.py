"""Message recipients come from a per-guild cache (service/viewer_cache.hpp): losing VIEW_CHANNEL
(an overwrite, a role removed, @everyone's permissions edited, a kick, a ban) must stop delivery
from the very next message, and regaining it must restore delivery at once. Each test first
delivers a message to the member, so the cache holds them, then changes access and posts again.
"Not delivered" is checked without sleeping: after the message that must not arrive, the owner
posts a barrier in a DM; the member's session must reach the barrier without having seen the
hidden message (one client's events are published in order). On SQLite and PostgreSQL, and across
two nodes sharing PostgreSQL and Redis.

The same cache answers the permission checks of the message routes (AccessService::Channel), so
the member's own posts must be refused, or allowed again, from the very next request after a
change as well."""
import datetime
import os
import unittest
import uuid

from harness import Server, ServerTestCase, create_postgres_database
from test_gateway import WsClient

VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
INTENTS = (1 << 17) - 1


def unique(prefix="v"):
    return prefix + uuid.uuid4().hex[:10]


class Client:
    """REST calls as one user against one server."""

    def __init__(self, server, token):
        self.server, self.token = server, token

    def api(self, method, path, body=None):
        return self.server.request(method, "/api/v10" + path, body, token=self.token)


def register(server):
    name = unique()
    r = server.request("POST", "/api/v10/auth/register",
                       {"username": name, "email": name + "@example.com",
                        "password": "StrongP@ss123"})
    assert r.status == 201, r
    uid = r.json()["id"]
    r = server.request("POST", "/api/v10/auth/login",
                       {"username": name, "password": "StrongP@ss123"})
    assert r.status == 200, r
    return uid, r.json()["token"]


class Scenario:
    """Shared by every backend: an owner's guild with two text channels and one member, the
    member's gateway session, and a DM between them for barriers."""

    def open_session(self, server, token):
        ws = WsClient(server.port)
        self.addCleanup(ws.drop)
        ws.identify(token, INTENTS)
        ready = ws.recv()
        self.assertEqual(ready["t"], "READY", ready)
        for _ in ready["d"]["guilds"]:
            ws.recv()
        return ws

    def setup_guild(self, owner_server, member_server=None):
        member_server = member_server or owner_server
        owner_id, owner_token = register(owner_server)
        member_id, member_token = register(owner_server)
        owner = Client(owner_server, owner_token)
        # The member acts on the node their session is on.
        member = Client(member_server, member_token)
        r = owner.api("POST", "/guilds", {"name": "Cache"})
        self.assertEqual(r.status, 201, r)
        guild = r.json()["id"]
        channels = owner.api("GET", f"/guilds/{guild}/channels").json()
        text = next(c for c in channels if c["type"] == 0)["id"]
        r = owner.api("POST", f"/guilds/{guild}/channels", {"name": "other", "type": 0})
        self.assertIn(r.status, (200, 201), r)
        other = r.json()["id"]
        r = owner.api("POST", f"/channels/{text}/invites", {"max_age": 0})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(member.api("POST", f"/invites/{r.json()['code']}").status, 200)
        r = owner.api("POST", "/users/@me/channels", {"recipient_id": member_id})
        self.assertIn(r.status, (200, 201), r)
        dm = r.json()["id"]
        ws = self.open_session(member_server, member_token)
        return dict(guild=guild, text=text, other=other, dm=dm, owner=owner, owner_id=owner_id,
                    member=member, member_id=member_id, ws=ws)

    def post(self, client, channel, content):
        r = client.api("POST", f"/channels/{channel}/messages", {"content": content})
        self.assertIn(r.status, (200, 201), r)
        return r.json()["id"]

    def messages_until(self, ws, last_id):
        """Ids of the MESSAGE_CREATEs the session gets, up to and including last_id."""
        seen = []
        while True:
            m = ws.recv()
            if m["op"] == 0 and m["t"] == "MESSAGE_CREATE":
                seen.append(m["d"]["id"])
                if m["d"]["id"] == last_id:
                    return seen

    def assert_delivered(self, s, channel):
        sent = self.post(s["owner"], channel, "seen")
        self.assertEqual(self.messages_until(s["ws"], sent), [sent])

    def assert_hidden(self, s, channel):
        hidden = self.post(s["owner"], channel, "hidden")
        barrier = self.post(s["owner"], s["dm"], "barrier")
        self.assertEqual(self.messages_until(s["ws"], barrier), [barrier],
                         "a message of a channel the member cannot view reached them")



class SingleNode(Scenario):
    """Everything on one server (self.server)."""

    def test_member_overwrite_denying_view_hides_the_next_message(self):
        s = self.setup_guild(self.server)
        self.assert_delivered(s, s["text"])
        r = s["owner"].api("PUT", f"/channels/{s['text']}/permissions/{s['member_id']}",
                           {"type": 1, "allow": "0", "deny": str(VIEW_CHANNEL)})
        self.assertIn(r.status, (200, 204), r)
        self.assert_hidden(s, s["text"])
        self.assert_delivered(s, s["other"])
        r = s["owner"].api("DELETE", f"/channels/{s['text']}/permissions/{s['member_id']}")
        self.assertIn(r.status, (200, 204), r)
        self.assert_delivered(s, s["text"])

    def test_removing_the_role_that_grants_view_hides_the_next_message(self):
        s = self.setup_guild(self.server)
        owner, guild = s["owner"], s["guild"]
        r = owner.api("POST", f"/guilds/{guild}/roles", {"name": "readers", "permissions": "0"})
        self.assertEqual(r.status, 200, r)
        role = r.json()["id"]
        for target, kind, allow, deny in ((guild, 0, 0, VIEW_CHANNEL), (role, 0, VIEW_CHANNEL, 0)):
            r = owner.api("PUT", f"/channels/{s['text']}/permissions/{target}",
                          {"type": kind, "allow": str(allow), "deny": str(deny)})
            self.assertIn(r.status, (200, 204), r)
        self.assert_hidden(s, s["text"])
        path = f"/guilds/{guild}/members/{s['member_id']}/roles/{role}"
        self.assertEqual(owner.api("PUT", path).status, 204)
        self.assert_delivered(s, s["text"])
        self.assertEqual(owner.api("DELETE", path).status, 204)
        self.assert_hidden(s, s["text"])
        # Through PATCH /members too (the role list replaced at once).
        r = owner.api("PATCH", f"/guilds/{guild}/members/{s['member_id']}", {"roles": [role]})
        self.assertEqual(r.status, 200, r)
        self.assert_delivered(s, s["text"])
        r = owner.api("PATCH", f"/guilds/{guild}/members/{s['member_id']}", {"roles": []})
        self.assertEqual(r.status, 200, r)
        self.assert_hidden(s, s["text"])

    def test_editing_everyones_permissions_hides_the_next_message(self):
        s = self.setup_guild(self.server)
        owner, guild = s["owner"], s["guild"]
        self.assert_delivered(s, s["text"])
        r = owner.api("PATCH", f"/guilds/{guild}/roles/{guild}", {"permissions": "0"})
        self.assertEqual(r.status, 200, r)
        self.assert_hidden(s, s["text"])
        r = owner.api("PATCH", f"/guilds/{guild}/roles/{guild}",
                      {"permissions": str(VIEW_CHANNEL)})
        self.assertEqual(r.status, 200, r)
        self.assert_delivered(s, s["text"])

    def test_kick_and_ban_hide_the_next_message(self):
        s = self.setup_guild(self.server)
        owner, guild = s["owner"], s["guild"]
        self.assert_delivered(s, s["text"])
        r = owner.api("DELETE", f"/guilds/{guild}/members/{s['member_id']}")
        self.assertEqual(r.status, 204, r)
        self.assert_hidden(s, s["text"])
        r = owner.api("POST", f"/channels/{s['text']}/invites", {"max_age": 0})
        self.assertEqual(s["member"].api("POST", f"/invites/{r.json()['code']}").status, 200)
        self.assert_delivered(s, s["text"])
        r = owner.api("PUT", f"/guilds/{guild}/bans/{s['member_id']}",
                      {"delete_message_seconds": 0})
        self.assertEqual(r.status, 204, r)
        self.assert_hidden(s, s["text"])

    def test_leaving_hides_the_next_message(self):
        s = self.setup_guild(self.server)
        self.assert_delivered(s, s["text"])
        r = s["member"].api("DELETE", f"/users/@me/guilds/{s['guild']}")
        self.assertEqual(r.status, 204, r)
        self.assert_hidden(s, s["text"])

    def test_new_channel_and_ownership_transfer_are_seen_at_once(self):
        s = self.setup_guild(self.server)
        owner, guild = s["owner"], s["guild"]
        self.assert_delivered(s, s["text"])
        r = owner.api("POST", f"/guilds/{guild}/channels",
                      {"name": "secret", "type": 0, "permission_overwrites": [
                          {"id": guild, "type": 0, "allow": "0", "deny": str(VIEW_CHANNEL)}]})
        self.assertIn(r.status, (200, 201), r)
        secret = r.json()["id"]
        self.assert_hidden(s, secret)
        # The new owner sees every channel: their own message there reaches them.
        r = owner.api("PATCH", f"/guilds/{guild}", {"owner_id": s["member_id"]})
        self.assertEqual(r.status, 200, r)
        sent = self.post(s["member"], secret, "mine")
        self.assertEqual(self.messages_until(s["ws"], sent), [sent])

    def member_post(self, s, channel):
        return s["member"].api("POST", f"/channels/{channel}/messages", {"content": "mine"})

    def test_the_members_own_posts_follow_each_change_at_once(self):
        s = self.setup_guild(self.server)
        owner, guild, text, member_id = s["owner"], s["guild"], s["text"], s["member_id"]
        self.assertEqual(self.member_post(s, text).status, 200)  # the cache holds the guild now
        # An overwrite taking SEND_MESSAGES away, and back.
        path = f"/channels/{text}/permissions/{member_id}"
        r = owner.api("PUT", path, {"type": 1, "allow": "0", "deny": str(SEND_MESSAGES)})
        self.assertIn(r.status, (200, 204), r)
        r = self.member_post(s, text)
        self.assertEqual((r.status, r.json()["code"]), (403, 50013), r)
        self.assertIn(owner.api("DELETE", path).status, (200, 204))
        self.assertEqual(self.member_post(s, text).status, 200)
        # Slowmode set on the channel.
        r = owner.api("PATCH", f"/channels/{text}", {"rate_limit_per_user": 60})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.member_post(s, text).status, 200)
        self.assertEqual(self.member_post(s, text).status, 429)
        # A timeout, and its end.
        members = f"/guilds/{guild}/members/{member_id}"
        until = (datetime.datetime.now(datetime.timezone.utc)
                 + datetime.timedelta(days=1)).isoformat()
        r = owner.api("PATCH", members, {"communication_disabled_until": until})
        self.assertEqual(r.status, 200, r)
        r = self.member_post(s, s["other"])
        self.assertEqual(r.status, 403, r)
        r = owner.api("PATCH", members, {"communication_disabled_until": None})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.member_post(s, s["other"]).status, 200)
        # A channel created after the guild was cached, and one deleted.
        r = owner.api("POST", f"/guilds/{guild}/channels", {"name": "new", "type": 0})
        self.assertIn(r.status, (200, 201), r)
        self.assertEqual(self.member_post(s, r.json()["id"]).status, 200)
        self.assertEqual(owner.api("DELETE", f"/channels/{s['other']}").status, 200)
        r = self.member_post(s, s["other"])
        self.assertEqual((r.status, r.json()["code"]), (404, 10003), r)
        # A kick: no more posts or reactions.
        self.assertEqual(owner.api("DELETE", members).status, 204)
        r = self.member_post(s, text)
        self.assertEqual((r.status, r.json()["code"]), (403, 50001), r)


class SqliteViewerCache(SingleNode, ServerTestCase):
    pass


class PostgresViewerCache(SingleNode, ServerTestCase):
    BACKEND = "postgres"


class TwoNodesViewerCache(Scenario, unittest.TestCase):
    """The member's session and the messages are on node B; access changes are made on node A.
    B learns of them from Redis: once the member's session on B got the change's own event, B's
    cache has dropped the guild too (it subscribes before the gateway)."""

    @classmethod
    def setUpClass(cls):
        redis = os.environ.get("CHAT_TEST_REDIS_URL")
        if not redis:
            raise RuntimeError("CHAT_TEST_REDIS_URL is not set: scripts/services.sh start DIR")
        database = create_postgres_database()
        # One secret, so that a token issued by one node is good on the other.
        secret = "viewer-cache-" + uuid.uuid4().hex
        cls.a = Server("postgres", database_url=database,
                       env={"REDIS_URL": redis, "REDIS_CHANNEL": secret, "WORKER_ID": "1",
                            "JWT_SECRET": secret}).start()
        cls.b = Server("postgres", database_url=database,
                       env={"REDIS_URL": redis, "REDIS_CHANNEL": secret, "WORKER_ID": "2",
                            "JWT_SECRET": secret}).start()

    @classmethod
    def tearDownClass(cls):
        for node in (cls.a, cls.b):
            code = node.stop()
            if code != 0:
                raise AssertionError(f"chat-server exited with {code}:\n{node.read_log()[-4000:]}")

    def next_dispatch(self, ws, t):
        while True:
            m = ws.recv()
            if m["op"] == 0 and m["t"] == t:
                return m

    def test_kick_on_one_node_hides_the_next_message_posted_on_the_other(self):
        s = self.setup_guild(self.b)
        on_a = Client(self.a, s["owner"].token)
        # Node B computes the recipients here, and keeps the member in its cache.
        self.assert_delivered(s, s["text"])
        r = on_a.api("DELETE", f"/guilds/{s['guild']}/members/{s['member_id']}")
        self.assertEqual(r.status, 204, r)
        self.assertEqual(self.next_dispatch(s["ws"], "GUILD_DELETE")["d"]["id"], s["guild"])
        self.assert_hidden(s, s["text"])

    def test_kick_on_one_node_refuses_the_next_post_on_the_other(self):
        s = self.setup_guild(self.b)
        on_a = Client(self.a, s["owner"].token)
        r = s["member"].api("POST", f"/channels/{s['text']}/messages", {"content": "cached"})
        self.assertEqual(r.status, 200, r)  # node B's cache holds the member now
        r = on_a.api("DELETE", f"/guilds/{s['guild']}/members/{s['member_id']}")
        self.assertEqual(r.status, 204, r)
        self.assertEqual(self.next_dispatch(s["ws"], "GUILD_DELETE")["d"]["id"], s["guild"])
        r = s["member"].api("POST", f"/channels/{s['text']}/messages", {"content": "kicked"})
        self.assertEqual(r.status, 403, r)

    def test_overwrite_on_one_node_hides_the_next_message_posted_on_the_other(self):
        s = self.setup_guild(self.b)
        on_a = Client(self.a, s["owner"].token)
        self.assert_delivered(s, s["text"])
        r = on_a.api("PUT", f"/channels/{s['text']}/permissions/{s['member_id']}",
                     {"type": 1, "allow": "0", "deny": str(VIEW_CHANNEL)})
        self.assertIn(r.status, (200, 204), r)
        self.assertEqual(self.next_dispatch(s["ws"], "CHANNEL_DELETE")["d"]["id"], s["text"])
        self.assert_hidden(s, s["text"])


if __name__ == "__main__":
    unittest.main()
