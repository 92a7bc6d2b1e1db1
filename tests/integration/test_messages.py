"""Messages through the real server (issue 7): send, read, edit, delete, bulk delete, history
pagination, replies, nonces, mentions, typing and DMs, with the bad inputs and the rights, on
SQLite and on PostgreSQL. Fixtures come from `chat-server seed` ("Test Server", guild 1, text
channels 1-3; admin owns it, testuser1/testuser2 are plain members)."""
import json
import unittest
import uuid
from urllib.parse import quote

from harness import Server

SECRET = "integration-test-secret-0123456789abcdef"
# A 1x1 PNG as a data URI, for a custom emoji to react with.
PARTY_PNG = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4"
             "nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC")
PASSWORDS = {"admin": "Admin@12345", "testuser1": "TestUser1@123", "testuser2": "TestUser2@123"}
GENERAL, RANDOM, ANNOUNCEMENTS, VOICE = "1", "2", "3", "4"
ALWAYS_PRESENT = ("id", "channel_id", "author", "content", "timestamp", "edited_timestamp", "tts",
                  "mention_everyone", "mentions", "mention_roles", "attachments", "embeds",
                  "pinned", "type", "flags")
OLD_SNOWFLAKE = str((1000 * 86400 * 365) << 22)  # a message id from early 2016


class MessagesSuite:
    BACKEND = "sqlite"

    @classmethod
    def setUpClass(cls):
        cls.server = Server(cls.BACKEND, env={"JWT_SECRET": SECRET})
        seeded = cls.server.run_command("seed")
        if seeded.returncode != 0:
            raise RuntimeError("seed failed: " + seeded.stdout + seeded.stderr)
        cls.server.start()
        cls.tokens = {}
        cls.ids = {}
        for name, password in PASSWORDS.items():
            r = cls.server.request("POST", "/api/v1/auth/login",
                                   {"username": name, "password": password})
            assert r.status == 200, r
            cls.tokens[name] = r.json()["access_token"]
            me = cls.server.request("GET", "/api/v10/users/@me", token=cls.tokens[name]).json()
            cls.ids[name] = me["id"]
        outsider = "out" + uuid.uuid4().hex[:8]
        r = cls.server.request("POST", "/api/v1/auth/register",
                               {"username": outsider, "email": outsider + "@example.com",
                                "password": "StrongP@ss123"})
        assert r.status == 201, r
        r = cls.server.request("POST", "/api/v1/auth/login",
                               {"username": outsider, "password": "StrongP@ss123"})
        cls.tokens["outsider"] = r.json()["access_token"]
        cls.ids["outsider"] = cls.server.request(
            "GET", "/api/v10/users/@me", token=cls.tokens["outsider"]).json()["id"]

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        if code != 0:
            raise AssertionError(f"chat-server exited with {code}:\n{cls.server.read_log()[-4000:]}")

    # -- helpers ----------------------------------------------------------------------------
    def req(self, method, path, body=None, who="testuser1", **kw):
        token = self.tokens[who] if who else None
        return self.server.request(method, "/api/v10" + path, body, token=token, **kw)

    def assertStatus(self, resp, status):
        self.assertEqual(resp.status, status, f"{resp!r}")

    def assertDiscordError(self, resp, status, code=None):
        self.assertEqual(resp.status, status, f"{resp!r}")
        body = resp.json()
        self.assertIsInstance(body.get("code"), int, body)
        self.assertIsInstance(body.get("message"), str, body)
        if code is not None:
            self.assertEqual(body["code"], code, body)
        return body

    def send(self, content, channel=GENERAL, who="testuser1", **extra):
        r = self.req("POST", f"/channels/{channel}/messages", {"content": content, **extra}, who)
        self.assertStatus(r, 200)
        return r.json()

    def assertMessageShape(self, m):
        for field in ALWAYS_PRESENT:
            self.assertIn(field, m)
        self.assertNotIn("thread", m)
        self.assertIsInstance(m["id"], str)
        self.assertIsInstance(m["channel_id"], str)
        self.assertIsInstance(m["author"]["id"], str)
        self.assertIsInstance(m["type"], int)
        self.assertIsInstance(m["flags"], int)
        self.assertIsInstance(m["pinned"], bool)
        self.assertIsInstance(m["mentions"], list)
        self.assertEqual(m["attachments"], [])

    # -- send / get / edit / delete ---------------------------------------------------------
    def test_send_returns_a_complete_message_object(self):
        m = self.send("hello there")
        self.assertMessageShape(m)
        self.assertEqual(m["content"], "hello there")
        self.assertEqual(m["channel_id"], GENERAL)
        self.assertEqual(m["author"]["id"], self.ids["testuser1"])
        self.assertIsNone(m["edited_timestamp"])
        self.assertRegex(m["timestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$")
        self.assertEqual(m["type"], 0)
        self.assertFalse(m["pinned"])

    def test_get_returns_the_message_and_list_shows_it_first(self):
        m = self.send("fetch me")
        r = self.req("GET", f"/channels/{GENERAL}/messages/{m['id']}", who="testuser2")
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["content"], "fetch me")
        r = self.req("GET", f"/channels/{GENERAL}/messages?limit=5", who="testuser2")
        self.assertStatus(r, 200)
        page = r.json()
        self.assertEqual(page[0]["id"], m["id"])
        for message in page:
            self.assertMessageShape(message)

    def test_author_edits_and_edited_timestamp_is_set(self):
        m = self.send("first draft")
        r = self.req("PATCH", f"/channels/{GENERAL}/messages/{m['id']}", {"content": "final"})
        self.assertStatus(r, 200)
        edited = r.json()
        self.assertEqual(edited["content"], "final")
        self.assertIsNotNone(edited["edited_timestamp"])
        self.assertEqual(self.req("GET", f"/channels/{GENERAL}/messages/{m['id']}").json()
                         ["content"], "final")

    def test_only_the_author_may_edit(self):
        m = self.send("mine")
        for other in ("testuser2", "admin"):
            r = self.req("PATCH", f"/channels/{GENERAL}/messages/{m['id']}", {"content": "x"},
                         other)
            self.assertDiscordError(r, 403, 50005)

    def test_delete_by_author_then_unknown_message(self):
        m = self.send("short lived")
        r = self.req("DELETE", f"/channels/{GENERAL}/messages/{m['id']}")
        self.assertStatus(r, 204)
        r = self.req("GET", f"/channels/{GENERAL}/messages/{m['id']}")
        self.assertDiscordError(r, 404, 10008)

    def test_members_cannot_delete_others_messages_but_the_owner_can(self):
        m = self.send("moderate me")
        r = self.req("DELETE", f"/channels/{GENERAL}/messages/{m['id']}", who="testuser2")
        self.assertDiscordError(r, 403, 50013)
        r = self.req("DELETE", f"/channels/{GENERAL}/messages/{m['id']}", who="admin")
        self.assertStatus(r, 204)

    def test_bulk_delete_needs_manage_messages_and_2_to_100_recent_ids(self):
        a, b = self.send("bulk a"), self.send("bulk b")
        path = f"/channels/{GENERAL}/messages/bulk-delete"
        r = self.req("POST", path, {"messages": [a["id"], b["id"]]}, "testuser1")
        self.assertDiscordError(r, 403, 50013)
        r = self.req("POST", path, {"messages": [a["id"]]}, "admin")
        self.assertDiscordError(r, 400, 50016)
        r = self.req("POST", path, {"messages": [a["id"], OLD_SNOWFLAKE]}, "admin")
        self.assertDiscordError(r, 400, 50034)
        r = self.req("POST", path, {"messages": [a["id"], "zz"]}, "admin")
        self.assertDiscordError(r, 400)
        r = self.req("POST", path, {"messages": [a["id"], b["id"]]}, "admin")
        self.assertStatus(r, 204)
        for m in (a, b):
            r = self.req("GET", f"/channels/{GENERAL}/messages/{m['id']}")
            self.assertDiscordError(r, 404, 10008)

    # -- history ----------------------------------------------------------------------------
    def test_pagination_before_after_around_newest_first(self):
        ids = [self.send(f"page {i}", channel=ANNOUNCEMENTS)["id"] for i in range(7)]
        base = f"/channels/{ANNOUNCEMENTS}/messages"

        def page(query):
            r = self.req("GET", base + query)
            self.assertStatus(r, 200)
            return [m["id"] for m in r.json()]

        self.assertEqual(page("?limit=3"), [ids[6], ids[5], ids[4]])
        self.assertEqual(page(f"?before={ids[3]}&limit=2"), [ids[2], ids[1]])
        self.assertEqual(page(f"?after={ids[1]}&limit=2"), [ids[3], ids[2]])
        self.assertEqual(page(f"?around={ids[3]}&limit=3"), [ids[4], ids[3], ids[2]])

    def test_default_page_is_50(self):
        for i in range(52):
            self.send(f"bulk history {i}", channel=RANDOM)
        r = self.req("GET", f"/channels/{RANDOM}/messages")
        self.assertStatus(r, 200)
        self.assertEqual(len(r.json()), 50)
        self.assertEqual(r.json()[0]["content"], "bulk history 51")
        r = self.req("GET", f"/channels/{RANDOM}/messages?limit=100")
        self.assertEqual(len(r.json()), 52)

    def test_bad_history_parameters_are_400(self):
        for query in ("limit=abc", "limit=0", "limit=101", "limit=-1", "before=zz", "after=1x",
                      "around=", "before=1&after=2"):
            r = self.req("GET", f"/channels/{GENERAL}/messages?{query}")
            self.assertDiscordError(r, 400, 50035)

    # -- replies, nonces, mentions ----------------------------------------------------------
    def test_reply_carries_reference_and_referenced_message(self):
        original = self.send("question?", who="testuser2")
        r = self.req("POST", f"/channels/{GENERAL}/messages",
                     {"content": "answer", "message_reference": {"message_id": original["id"]}})
        self.assertStatus(r, 200)
        reply = r.json()
        self.assertEqual(reply["type"], 19)
        self.assertEqual(reply["message_reference"]["message_id"], original["id"])
        self.assertEqual(reply["message_reference"]["channel_id"], GENERAL)
        self.assertEqual(reply["referenced_message"]["id"], original["id"])
        self.assertEqual(reply["referenced_message"]["content"], "question?")
        self.assertIn(self.ids["testuser2"], [u["id"] for u in reply["mentions"]])
        got = self.req("GET", f"/channels/{GENERAL}/messages/{reply['id']}").json()
        self.assertEqual(got["referenced_message"]["id"], original["id"])

    def test_reply_to_unknown_or_other_channel_message(self):
        elsewhere = self.send("other channel", channel=RANDOM)
        path = f"/channels/{GENERAL}/messages"
        r = self.req("POST", path, {"content": "x", "message_reference": {"message_id": "12345"}})
        self.assertDiscordError(r, 400, 50035)
        r = self.req("POST", path, {"content": "x", "message_reference": {
            "message_id": elsewhere["id"], "channel_id": RANDOM}})
        self.assertDiscordError(r, 400, 50035)
        r = self.req("POST", path, {"content": "x", "message_reference": {
            "message_id": "12345", "fail_if_not_exists": False}})
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["type"], 0)

    def test_enforce_nonce_returns_the_first_message(self):
        nonce = uuid.uuid4().hex[:20]
        first = self.send("once", nonce=nonce, enforce_nonce=True)
        self.assertEqual(first["nonce"], nonce)
        again = self.send("once", nonce=nonce, enforce_nonce=True)
        self.assertEqual(again["id"], first["id"])
        without = self.send("twice", nonce=nonce)
        self.assertNotEqual(without["id"], first["id"])
        r = self.req("POST", f"/channels/{GENERAL}/messages", {"content": "x", "nonce": "n" * 26})
        self.assertDiscordError(r, 400, 50035)

    def test_retries_racing_with_an_enforced_nonce_make_one_message(self):
        nonce = uuid.uuid4().hex[:20]
        body = json.dumps({"content": "raced", "nonce": nonce, "enforce_nonce": True}).encode()
        answers = self.server.race(
            "POST", f"/api/v10/channels/{GENERAL}/messages", body,
            {"Authorization": "Bearer " + self.tokens["testuser1"],
             "Content-Type": "application/json"}, attempts=16)
        self.assertEqual([r.status for r in answers], [200] * 16, answers)
        self.assertEqual({r.json()["id"] for r in answers}, {answers[0].json()["id"]})
        listed = self.req("GET", f"/channels/{GENERAL}/messages?limit=50").json()
        self.assertEqual([m["id"] for m in listed if m.get("nonce") == nonce],
                         [answers[0].json()["id"]])

    def test_mentions_are_parsed_and_allowed_mentions_honoured(self):
        other = self.ids["testuser2"]
        m = self.send(f"hi <@{other}> and <@!{self.ids['admin']}> and <@&3> @everyone")
        self.assertEqual(sorted(u["id"] for u in m["mentions"]),
                         sorted([other, self.ids["admin"]]))
        self.assertEqual(m["mention_roles"], ["3"])
        self.assertTrue(m["mention_everyone"])
        quiet = self.send(f"hi <@{other}> @everyone", allowed_mentions={"parse": []})
        self.assertEqual(quiet["mentions"], [])
        self.assertFalse(quiet["mention_everyone"])
        only = self.send(f"<@{other}> <@{self.ids['admin']}>",
                         allowed_mentions={"users": [other]})
        self.assertEqual([u["id"] for u in only["mentions"]], [other])
        ghost = self.send("<@99999999> <@abc>")
        self.assertEqual(ghost["mentions"], [])

    def test_everyone_needs_mention_everyone(self):
        r = self.req("POST", "/guilds/1/channels", {"name": "quiet-" + uuid.uuid4().hex[:6]},
                     "admin")
        self.assertStatus(r, 201)
        channel = r.json()["id"]
        r = self.req("PUT", f"/channels/{channel}/permissions/{self.ids['testuser1']}",
                     {"type": 1, "allow": "0", "deny": str(1 << 17)}, "admin")
        self.assertStatus(r, 204)
        m = self.send("@everyone @here wake up", channel=channel)
        self.assertFalse(m["mention_everyone"])
        m = self.send("@everyone wake up", channel=channel, who="testuser2")
        self.assertTrue(m["mention_everyone"])

    # -- bad inputs -------------------------------------------------------------------------
    def test_content_limits(self):
        path = f"/channels/{GENERAL}/messages"
        body = self.assertDiscordError(self.req("POST", path, {"content": "a" * 2001}), 400, 50035)
        self.assertIn("content", body["errors"])
        self.assertStatus(self.req("POST", path, {"content": "é" * 2000}), 200)
        self.assertDiscordError(self.req("POST", path, {"content": ""}), 400, 50006)
        self.assertDiscordError(self.req("POST", path, {}), 400, 50006)
        self.assertDiscordError(self.req("POST", path, {"content": "a\u0000b"}), 400, 50035)
        self.assertDiscordError(self.req("POST", path, {"content": 5}), 400, 50035)
        invalid = b'{"content": "\xff\xfe"}'
        r = self.req("POST", path, invalid, headers={"Content-Type": "application/json"})
        self.assertDiscordError(r, 400)
        self.assertDiscordError(self.req("POST", path, "not json",
                                         headers={"Content-Type": "application/json"}), 400)
        lone_surrogate = b'{"content": "\\ud800"}'
        self.assertDiscordError(self.req("POST", path, lone_surrogate,
                                         headers={"Content-Type": "application/json"}), 400)
        for bad in ({"content": "x", "tts": "yes"}, {"content": "x", "nonce": [1]},
                    {"content": "x", "message_reference": 5},
                    {"content": "x", "allowed_mentions": {"parse": ["bogus"]}},
                    {"content": "x", "allowed_mentions": {"parse": ["users"], "users": ["1"]}}):
            self.assertDiscordError(self.req("POST", path, bad), 400, 50035)

    def test_embeds_alone_make_a_message(self):
        m = self.send(None, embeds=[{"title": "Embed", "description": "body"}])
        self.assertEqual(m["embeds"][0]["title"], "Embed")
        self.assertEqual(m["content"], "")
        r = self.req("POST", f"/channels/{GENERAL}/messages", {"embeds": ["nope"]})
        self.assertDiscordError(r, 400, 50035)

    def test_ids_that_are_not_snowflakes_and_unknown_ids(self):
        self.assertDiscordError(self.req("GET", "/channels/abc/messages"), 404, 10003)
        self.assertDiscordError(self.req("POST", "/channels/abc/messages", {"content": "x"}),
                                404, 10003)
        self.assertDiscordError(self.req("GET", f"/channels/{GENERAL}/messages/abc"), 404, 10008)
        self.assertDiscordError(self.req("GET", f"/channels/{GENERAL}/messages/99999999"), 404,
                                10008)
        self.assertDiscordError(self.req("GET", "/channels/99999999/messages"), 404, 10003)
        self.assertDiscordError(self.req("DELETE", f"/channels/{GENERAL}/messages/-1"), 404, 10008)

    def test_non_members_and_anonymous_callers_are_refused(self):
        path = f"/channels/{GENERAL}/messages"
        self.assertDiscordError(self.req("POST", path, {"content": "let me in"}, "outsider"), 403)
        self.assertDiscordError(self.req("GET", path, who="outsider"), 403)
        self.assertDiscordError(self.req("POST", f"/channels/{GENERAL}/typing", who="outsider"),
                                403)
        self.assertEqual(self.req("POST", path, {"content": "anon"}, who=None).status, 401)

    def test_voice_channels_take_no_messages(self):
        r = self.req("POST", f"/channels/{VOICE}/messages", {"content": "hello?"})
        self.assertDiscordError(r, 400, 50008)

    def test_typing_is_204(self):
        self.assertStatus(self.req("POST", f"/channels/{GENERAL}/typing"), 204)

    def test_slowmode_limits_members_but_not_moderators(self):
        r = self.req("POST", "/guilds/1/channels", {"name": "slow-" + uuid.uuid4().hex[:6]},
                     "admin")
        self.assertStatus(r, 201)
        channel = r.json()["id"]
        r = self.req("PATCH", f"/channels/{channel}", {"rate_limit_per_user": 60}, "admin")
        self.assertStatus(r, 200)
        self.send("first", channel=channel)
        r = self.req("POST", f"/channels/{channel}/messages", {"content": "second"})
        self.assertEqual(r.status, 429, r)
        self.assertGreater(r.json()["retry_after"], 0)
        self.assertEqual(r.json()["code"], 20016)
        self.send("one", channel=channel, who="admin")
        self.send("two", channel=channel, who="admin")

    # -- reactions and pins ------------------------------------------------------------------
    def react_path(self, m, emoji, who="@me"):
        return f"/channels/{GENERAL}/messages/{m['id']}/reactions/{quote(emoji)}/{who}"

    def test_reactions_count_with_me_and_list_users(self):
        m = self.send("react to me")
        self.assertStatus(self.req("PUT", self.react_path(m, "👍")), 204)
        self.assertStatus(self.req("PUT", self.react_path(m, "👍")), 204)  # idempotent
        self.assertStatus(self.req("PUT", self.react_path(m, "👍"), who="testuser2"), 204)
        # A custom emoji must exist (10014 otherwise), as on Discord.
        self.assertDiscordError(self.req("PUT", self.react_path(m, "party:123456")), 400, 10014)
        party = self.req("POST", "/guilds/1/emojis", {"name": "party", "image": PARTY_PNG},
                         who="admin")
        self.assertStatus(party, 201)
        party_id = party.json()["id"]
        self.assertStatus(self.req("PUT", self.react_path(m, f"party:{party_id}")), 204)
        got = self.req("GET", f"/channels/{GENERAL}/messages/{m['id']}").json()
        self.assertEqual(got["reactions"][0]["emoji"], {"id": None, "name": "👍"})
        self.assertEqual(got["reactions"][0]["count"], 2)
        self.assertTrue(got["reactions"][0]["me"])
        self.assertEqual(got["reactions"][1]["emoji"], {"id": party_id, "name": "party"})
        seen_by_admin = self.req("GET", f"/channels/{GENERAL}/messages/{m['id']}",
                                 who="admin").json()
        self.assertFalse(seen_by_admin["reactions"][0]["me"])
        r = self.req("GET", f"/channels/{GENERAL}/messages/{m['id']}/reactions/{quote('👍')}")
        self.assertStatus(r, 200)
        self.assertEqual(sorted(u["id"] for u in r.json()),
                         sorted([self.ids["testuser1"], self.ids["testuser2"]]))
        self.assertStatus(self.req("DELETE", self.react_path(m, "👍")), 204)
        got = self.req("GET", f"/channels/{GENERAL}/messages/{m['id']}").json()
        # Reactions are ordered by when each emoji was first added; two added in the same
        # millisecond tie, so look the emoji up rather than trusting its position.
        thumbs = next(r for r in got["reactions"] if r["emoji"]["name"] == "👍")
        self.assertEqual(thumbs["count"], 1)
        self.assertFalse(thumbs["me"])

    def test_reaction_rights_and_bad_emoji(self):
        m = self.send("guarded")
        self.assertStatus(self.req("PUT", self.react_path(m, "🎉"), who="testuser2"), 204)
        r = self.req("DELETE", self.react_path(m, "🎉", self.ids["testuser2"]))
        self.assertDiscordError(r, 403, 50013)
        r = self.req("DELETE", f"/channels/{GENERAL}/messages/{m['id']}/reactions")
        self.assertDiscordError(r, 403, 50013)
        self.assertStatus(self.req("DELETE", self.react_path(m, "🎉", self.ids["testuser2"]),
                                   who="admin"), 204)
        self.assertStatus(self.req("PUT", self.react_path(m, "🎉")), 204)
        self.assertStatus(self.req("DELETE", f"/channels/{GENERAL}/messages/{m['id']}/reactions/"
                                   + quote("🎉"), who="admin"), 204)
        self.assertNotIn("reactions", self.req("GET", f"/channels/{GENERAL}/messages/{m['id']}")
                         .json())
        self.assertDiscordError(self.req("PUT", self.react_path(m, "abc")), 400, 10014)
        self.assertDiscordError(self.req("PUT", self.react_path(m, "x:notanid")), 400, 10014)
        self.assertDiscordError(self.req("PUT", self.react_path(m, "👍"), who="outsider"), 403)
        r = self.req("PUT", f"/channels/{GENERAL}/messages/99999999/reactions/{quote('👍')}/@me")
        self.assertDiscordError(r, 404, 10008)

    def test_pins_on_current_and_legacy_routes(self):
        m = self.send("pin me", channel=ANNOUNCEMENTS)
        path = f"/channels/{ANNOUNCEMENTS}/messages/pins/{m['id']}"
        self.assertDiscordError(self.req("PUT", path), 403, 50013)
        self.assertStatus(self.req("PUT", path, who="admin"), 204)
        got = self.req("GET", f"/channels/{ANNOUNCEMENTS}/messages/{m['id']}").json()
        self.assertTrue(got["pinned"])
        r = self.req("GET", f"/channels/{ANNOUNCEMENTS}/messages/pins")
        self.assertStatus(r, 200)
        body = r.json()
        self.assertFalse(body["has_more"])
        self.assertEqual(body["items"][0]["message"]["id"], m["id"])
        self.assertIn("pinned_at", body["items"][0])
        legacy = self.req("GET", f"/channels/{ANNOUNCEMENTS}/pins")
        self.assertStatus(legacy, 200)
        self.assertEqual([x["id"] for x in legacy.json()], [m["id"]])
        self.assertStatus(self.req("DELETE", f"/channels/{ANNOUNCEMENTS}/pins/{m['id']}",
                                   who="admin"), 204)
        self.assertEqual(self.req("GET", f"/channels/{ANNOUNCEMENTS}/pins").json(), [])
        self.assertDiscordError(self.req("PUT", f"/channels/{ANNOUNCEMENTS}/pins/99999999",
                                         who="admin"), 404, 10008)

    # -- DMs --------------------------------------------------------------------------------
    def test_dm_channel_is_created_once_and_private_to_its_two_users(self):
        r = self.req("POST", "/users/@me/channels", {"recipient_id": self.ids["testuser2"]})
        self.assertStatus(r, 200)
        dm = r.json()
        self.assertEqual(dm["type"], 1)
        self.assertEqual([u["id"] for u in dm["recipients"]], [self.ids["testuser2"]])
        again = self.req("POST", "/users/@me/channels", {"recipient_id": self.ids["testuser2"]})
        self.assertEqual(again.json()["id"], dm["id"])
        back = self.req("POST", "/users/@me/channels", {"recipient_id": self.ids["testuser1"]},
                        "testuser2")
        self.assertEqual(back.json()["id"], dm["id"])
        listed = self.req("GET", "/users/@me/channels").json()
        self.assertIn(dm["id"], [c["id"] for c in listed])

        m = self.send("psst", channel=dm["id"])
        self.assertMessageShape(m)
        self.assertNotIn("guild_id", m.get("message_reference", {}))
        r = self.req("GET", f"/channels/{dm['id']}/messages", who="testuser2")
        self.assertStatus(r, 200)
        self.assertEqual(r.json()[0]["id"], m["id"])
        for intruder in ("outsider", "admin"):
            self.assertDiscordError(self.req("GET", f"/channels/{dm['id']}/messages", who=intruder),
                                    403)
            self.assertDiscordError(self.req("POST", f"/channels/{dm['id']}/messages",
                                             {"content": "hi"}, intruder), 403)
        self.assertNotIn(dm["id"], [c["id"] for c in self.req("GET", "/users/@me/channels",
                                                               who="outsider").json()])

    def test_dm_with_unknown_or_malformed_recipient(self):
        self.assertDiscordError(self.req("POST", "/users/@me/channels",
                                         {"recipient_id": "99999999"}), 404, 10013)
        self.assertDiscordError(self.req("POST", "/users/@me/channels", {"recipient_id": "zz"}),
                                400, 50035)
        self.assertDiscordError(self.req("POST", "/users/@me/channels", {}), 400, 50035)


class SqliteMessages(MessagesSuite, unittest.TestCase):
    BACKEND = "sqlite"


class PostgresMessages(MessagesSuite, unittest.TestCase):
    BACKEND = "postgres"


if __name__ == "__main__":
    unittest.main()
