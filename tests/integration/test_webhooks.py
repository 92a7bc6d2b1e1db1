"""Incoming webhooks: members with MANAGE_WEBHOOKS make, list, change and delete them; whoever
holds a webhook's token executes it (JSON or multipart, `wait`), reads, edits and deletes its own
messages, changes or deletes it, all without an account. Its messages show the webhook as their
author (webhook_id, the name and avatar they were sent under) over REST and the gateway, and its
changes are audited and announced as WEBHOOKS_UPDATE. SQLite and PostgreSQL."""
import json
import os
import unittest

from harness import ServerTestCase
from test_attachments import form
from test_gateway import WsClient

SECRET = "integration-test-secret-0123456789abcdef"
MANAGE_WEBHOOKS = 1 << 29
GUILDS, GUILD_MESSAGES, GUILD_WEBHOOKS, MESSAGE_CONTENT = 1 << 0, 1 << 9, 1 << 5, 1 << 15


def unique(prefix="hook"):
    return prefix + "_" + os.urandom(4).hex()


class WebhookSuite:
    ENV = {"JWT_SECRET": SECRET}

    def user(self):
        name = unique("u")
        r = self.req("POST", "/api/v10/auth/register",
                     {"username": name, "email": name + "@example.com",
                      "password": "StrongP@ss123"})
        self.assertStatus(r, 201)
        r = self.req("POST", "/api/v10/auth/login", {"username": name, "password": "StrongP@ss123"})
        self.assertStatus(r, 200)
        return r.json()["user_id"], r.json()["token"]

    def api(self, method, path, token=None, body=None, **kw):
        return self.req(method, "/api/v10" + path, body, token=token, **kw)

    def community(self):
        """A guild of `owner` with `member` joined; its first text channel's id."""
        owner, owner_token = self.user()
        g = self.api("POST", "/guilds", owner_token, {"name": "Hooks"}).json()
        channels = self.api("GET", f"/guilds/{g['id']}/channels", owner_token).json()
        channel = next(c["id"] for c in channels if c["type"] == 0)
        member, member_token = self.user()
        code = self.api("POST", f"/channels/{channel}/invites", owner_token, {}).json()["code"]
        self.assertStatus(self.api("POST", f"/invites/{code}", member_token), 200)
        return g["id"], channel, (owner, owner_token), (member, member_token)

    def hook(self, token, channel, name="Deploys"):
        r = self.api("POST", f"/channels/{channel}/webhooks", token, {"name": name})
        self.assertStatus(r, 200)
        return r.json()

    def execute(self, hook, body, wait=True, **kw):
        path = f"/webhooks/{hook['id']}/{hook['token']}" + ("?wait=true" if wait else "")
        return self.api("POST", path, None, body, **kw)

    def session(self, token, intents):
        ws = WsClient(self.server.port)
        self.addCleanup(ws.drop)
        ws.identify(token, intents)
        ready = ws.recv()
        self.assertEqual(ready["t"], "READY", ready)
        for _ in ready["d"]["guilds"]:
            ws.recv()
        return ws

    def next_dispatch(self, ws, t):
        while True:
            m = ws.recv()
            if m["op"] == 0 and m["t"] == t:
                return m

    def test_members_with_manage_webhooks_make_them_and_others_cannot(self):
        guild, channel, (owner, owner_token), (member, member_token) = self.community()
        self.assertStatus(self.api("POST", f"/channels/{channel}/webhooks", member_token,
                                   {"name": "Nope"}), 403)
        self.assertStatus(self.api("GET", f"/channels/{channel}/webhooks", member_token), 403)
        self.assertStatus(self.api("GET", f"/guilds/{guild}/webhooks", member_token), 403)
        for name in ("", "x" * 81, "my Discord hook", "clyde"):
            r = self.api("POST", f"/channels/{channel}/webhooks", owner_token, {"name": name})
            self.assertStatus(r, 400)
            self.assertIn("name", r.json()["errors"])
        self.assertStatus(self.api("POST", f"/channels/{channel}/webhooks", owner_token, {}), 400)

        hook = self.hook(owner_token, channel)
        self.assertEqual(hook["type"], 1)
        self.assertEqual(hook["channel_id"], channel)
        self.assertEqual(hook["guild_id"], guild)
        self.assertEqual(hook["name"], "Deploys")
        self.assertEqual(hook["user"]["id"], owner)
        self.assertGreaterEqual(len(hook["token"]), 60)
        # Its url is where it is executed, on this server.
        base = f"http://127.0.0.1:{self.server.port}"
        self.assertEqual(hook["url"], f"{base}/api/webhooks/{hook['id']}/{hook['token']}")
        self.assertStatus(self.req("POST", hook["url"][len(base):] + "?wait=true",
                                   {"content": "through the url"}), 200)
        listed = self.api("GET", f"/channels/{channel}/webhooks", owner_token).json()
        self.assertEqual([h["id"] for h in listed], [hook["id"]])
        self.assertEqual(listed[0]["token"], hook["token"])
        listed = self.api("GET", f"/guilds/{guild}/webhooks", owner_token).json()
        self.assertEqual([h["id"] for h in listed], [hook["id"]])
        got = self.api("GET", f"/webhooks/{hook['id']}", owner_token)
        self.assertStatus(got, 200)
        self.assertEqual(got.json()["user"]["id"], owner)
        self.assertStatus(self.api("GET", f"/webhooks/{hook['id']}", member_token), 403)
        # With the token, no account is needed, and the creator is not shown.
        by_token = self.api("GET", f"/webhooks/{hook['id']}/{hook['token']}")
        self.assertStatus(by_token, 200)
        self.assertEqual(by_token.json()["name"], "Deploys")
        self.assertNotIn("user", by_token.json())
        wrong = self.api("GET", f"/webhooks/{hook['id']}/{'x' * 68}")
        self.assertStatus(wrong, 401)
        self.assertEqual(wrong.json()["code"], 50027)
        unknown = self.api("GET", f"/webhooks/424242/{hook['token']}")
        self.assertStatus(unknown, 404)
        self.assertEqual(unknown.json()["code"], 10015)

        # A member given MANAGE_WEBHOOKS may, up to Discord's 15 per channel.
        role = self.api("POST", f"/guilds/{guild}/roles", owner_token,
                        {"name": "hooks", "permissions": str(MANAGE_WEBHOOKS)}).json()
        self.assertStatus(self.api("PUT", f"/guilds/{guild}/members/{member}/roles/{role['id']}",
                                   owner_token), 204)
        for i in range(14):
            self.hook(member_token, channel, name=f"hook {i}")
        full = self.api("POST", f"/channels/{channel}/webhooks", member_token, {"name": "16th"})
        self.assertStatus(full, 400)
        self.assertEqual(full.json()["code"], 30007)

    def test_an_execution_posts_as_the_webhook_for_everyone_to_see(self):
        guild, channel, (owner, owner_token), (member, member_token) = self.community()
        hook = self.hook(owner_token, channel)
        ws = self.session(member_token, GUILDS | GUILD_MESSAGES | MESSAGE_CONTENT)

        r = self.execute(hook, {"content": "build #1 passed", "username": "CI"})
        self.assertStatus(r, 200)
        m = r.json()
        self.assertEqual(m["webhook_id"], hook["id"])
        self.assertEqual(m["author"]["id"], hook["id"])
        self.assertEqual(m["author"]["username"], "CI")
        self.assertTrue(m["author"]["bot"])
        self.assertEqual(m["content"], "build #1 passed")
        self.assertEqual(m["channel_id"], channel)
        live = self.next_dispatch(ws, "MESSAGE_CREATE")["d"]
        self.assertEqual(live["id"], m["id"])
        self.assertEqual(live["webhook_id"], hook["id"])
        self.assertEqual(live["author"]["username"], "CI")
        self.assertNotIn("member", live)  # a webhook is nobody's member

        # Without wait the answer is 204; the message is there all the same, under the hook's name.
        self.assertStatus(self.execute(hook, {"content": "build #2 passed"}, wait=False), 204)
        live = self.next_dispatch(ws, "MESSAGE_CREATE")["d"]
        self.assertEqual(live["author"]["username"], "Deploys")
        history = self.api("GET", f"/channels/{channel}/messages?limit=2", member_token).json()
        self.assertEqual([x["content"] for x in history], ["build #2 passed", "build #1 passed"])
        self.assertTrue(all(x["webhook_id"] == hook["id"] for x in history))

        # Files come as multipart, the way discord.py and discord.js send them.
        body, ctype = form(fields=[("payload_json", json.dumps(
            {"content": "the log", "attachments": [{"id": 0, "filename": "log.txt"}]}))],
            files=[("files[0]", "log.txt", "text/plain", b"all green")])
        r = self.execute(hook, body, headers={"Content-Type": ctype})
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["attachments"][0]["filename"], "log.txt")
        self.assertEqual(r.json()["attachments"][0]["size"], 9)

        for bad in ({}, {"content": "x" * 2001}, {"content": "hi", "username": "discord"}):
            self.assertStatus(self.execute(hook, bad), 400)
        # thread_id must name a thread of the webhook's channel (test_threads posts in one).
        r = self.api("POST", f"/webhooks/{hook['id']}/{hook['token']}?thread_id={channel}", None,
                     {"content": "hi"})
        self.assertStatus(r, 404)
        self.assertEqual(r.json()["code"], 10003)
        # Authorization on a token route is not read: a made-up one changes nothing.
        r = self.execute(hook, {"content": "with a header"},
                         headers={"Authorization": "Bot made.up"})
        self.assertStatus(r, 200)
        bad_wait = self.api("POST", f"/webhooks/{hook['id']}/{hook['token']}?wait=maybe", None,
                            {"content": "hi"})
        self.assertStatus(bad_wait, 400)

    def test_a_webhook_manages_only_its_own_messages(self):
        guild, channel, (owner, owner_token), (member, member_token) = self.community()
        hook = self.hook(owner_token, channel)
        other = self.hook(owner_token, channel, name="Other")
        sent = self.execute(hook, {"content": "v1"}).json()
        mine = f"/webhooks/{hook['id']}/{hook['token']}/messages/{sent['id']}"
        self.assertEqual(self.api("GET", mine).json()["content"], "v1")
        edited = self.api("PATCH", mine, None, {"content": "v2"})
        self.assertStatus(edited, 200)
        self.assertEqual(edited.json()["content"], "v2")
        self.assertIsNotNone(edited.json()["edited_timestamp"])
        self.assertEqual(edited.json()["author"]["id"], hook["id"])
        # Another webhook, or a user's message, is unknown to it.
        theirs = f"/webhooks/{other['id']}/{other['token']}/messages/{sent['id']}"
        for method in ("GET", "PATCH", "DELETE"):
            r = self.api(method, theirs, None, {"content": "x"} if method == "PATCH" else None)
            self.assertStatus(r, 404)
            self.assertEqual(r.json()["code"], 10008)
        user_message = self.api("POST", f"/channels/{channel}/messages", member_token,
                                {"content": "mine"}).json()
        r = self.api("GET", f"/webhooks/{hook['id']}/{hook['token']}/messages/"
                            f"{user_message['id']}")
        self.assertStatus(r, 404)
        # Nor is the webhook's message anyone's own: its creator cannot edit it.
        r = self.api("PATCH", f"/channels/{channel}/messages/{sent['id']}", owner_token,
                     {"content": "hijack"})
        self.assertStatus(r, 403)
        self.assertStatus(self.api("DELETE", f"/channels/{channel}/messages/{sent['id']}",
                                   member_token), 403)
        self.assertStatus(self.api("DELETE", mine), 204)
        self.assertStatus(self.api("GET", mine), 404)

    def test_changes_are_made_by_members_or_token_holders_audited_and_announced(self):
        guild, channel, (owner, owner_token), (member, member_token) = self.community()
        ws = self.session(owner_token, GUILDS | GUILD_WEBHOOKS)
        hook = self.hook(owner_token, channel)
        update = self.next_dispatch(ws, "WEBHOOKS_UPDATE")["d"]
        self.assertEqual(update, {"guild_id": guild, "channel_id": channel})

        r = self.api("PATCH", f"/webhooks/{hook['id']}", owner_token, {"name": "Releases"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["name"], "Releases")
        r = self.api("PATCH", f"/webhooks/{hook['id']}/{hook['token']}", None,
                     {"name": "Nightly", "avatar": "abc"})
        self.assertStatus(r, 200)
        self.assertEqual((r.json()["name"], r.json()["avatar"]), ("Nightly", "abc"))
        moved = self.api("PATCH", f"/webhooks/{hook['id']}/{hook['token']}", None,
                         {"channel_id": channel})
        self.assertStatus(moved, 400)
        self.assertEqual(self.execute(hook, {"content": "hi"}).json()["author"]["avatar"], "abc")
        self.assertStatus(self.api("PATCH", f"/webhooks/{hook['id']}", member_token,
                                   {"name": "Mine now"}), 403)

        # A new text channel: the webhook moves there, announced in both.
        second = self.api("POST", f"/guilds/{guild}/channels", owner_token,
                          {"name": "releases"}).json()["id"]
        r = self.api("PATCH", f"/webhooks/{hook['id']}", owner_token, {"channel_id": second})
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["channel_id"], second)
        announced = set()
        while len(announced) < 2:
            announced.add(self.next_dispatch(ws, "WEBHOOKS_UPDATE")["d"]["channel_id"])
            announced &= {channel, second}
        self.assertEqual(announced, {channel, second})
        self.assertEqual(self.execute(hook, {"content": "moved"}).json()["channel_id"], second)

        self.assertStatus(self.api("DELETE", f"/webhooks/{hook['id']}/{hook['token']}"), 204)
        gone = self.execute(hook, {"content": "gone"})
        self.assertStatus(gone, 404)
        self.assertEqual(gone.json()["code"], 10015)
        self.assertStatus(self.api("DELETE", f"/webhooks/{hook['id']}", owner_token), 404)
        doomed = self.hook(owner_token, channel, name="Doomed")
        self.assertStatus(self.api("DELETE", f"/webhooks/{doomed['id']}", member_token), 403)
        self.assertStatus(self.api("DELETE", f"/webhooks/{doomed['id']}", owner_token), 204)

        log = self.api("GET", f"/guilds/{guild}/audit-logs", owner_token).json()
        actions = [(e["action_type"], e["target_id"]) for e in log["audit_log_entries"]]
        self.assertIn((50, hook["id"]), actions)
        self.assertIn((51, hook["id"]), actions)
        self.assertIn((52, doomed["id"]), actions)
        # The webhooks the entries name, as long as they exist, and never their token.
        self.assertEqual([w["id"] for w in log["webhooks"]], [])  # both deleted
        kept = self.hook(owner_token, channel, name="Kept")
        log = self.api("GET", f"/guilds/{guild}/audit-logs", owner_token).json()
        self.assertEqual([w["id"] for w in log["webhooks"]], [kept["id"]])
        self.assertEqual(log["webhooks"][0]["name"], "Kept")
        self.assertNotIn("token", log["webhooks"][0])


    def test_a_webhooks_messages_are_not_its_creators(self):
        guild, channel, (owner, owner_token), (member, member_token) = self.community()
        role = self.api("POST", f"/guilds/{guild}/roles", owner_token,
                        {"name": "hooks", "permissions": str(MANAGE_WEBHOOKS)}).json()
        self.assertStatus(self.api("PUT", f"/guilds/{guild}/members/{member}/roles/{role['id']}",
                                   owner_token), 204)
        hook = self.hook(member_token, channel)
        posted = self.execute(hook, {"content": "from the hook"}).json()
        own = self.api("POST", f"/channels/{channel}/messages", member_token,
                       {"content": "from the member"}).json()
        # Banning the creator with their recent messages takes theirs, not the webhook's.
        self.assertStatus(self.api("PUT", f"/guilds/{guild}/bans/{member}", owner_token,
                                   {"delete_message_seconds": 3600}), 204)
        left = [m["id"] for m in
                self.api("GET", f"/channels/{channel}/messages?limit=10", owner_token).json()]
        self.assertIn(posted["id"], left)
        self.assertNotIn(own["id"], left)
        # Search by author finds the webhook's message under the webhook, not under its creator.
        for author, expected in ((hook["id"], [posted["id"]]), (member, [])):
            r = self.api("GET", f"/guilds/{guild}/messages/search?author_id={author}", owner_token)
            self.assertStatus(r, 200)
            self.assertEqual([m[0]["id"] for m in r.json()["messages"]], expected)


class SqliteWebhooks(WebhookSuite, ServerTestCase):
    pass


class PostgresWebhooks(WebhookSuite, ServerTestCase):
    BACKEND = "postgres"


if __name__ == "__main__":
    unittest.main()
