"""Message search through the real server (issue 7, point 10): GET /guilds/{id}/messages/search
and GET /channels/{id}/messages/search, on SQLite (FTS5) and PostgreSQL (tsvector). Words found,
filters, pagination and total_results, the searcher's channel rights, edits and deletes, bad
parameters and query strings that look like search syntax. Fixtures come from `chat-server seed`
("Test Server", guild 1, text channels 1-3; admin owns it, testuser1/testuser2 are members).
Each test searches for words of its own (a random tag), so tests never see each other's messages.
"""
import unittest
import uuid
from urllib.parse import urlencode

from harness import Server

SECRET = "integration-test-secret-0123456789abcdef"
PASSWORDS = {"admin": "Admin@12345", "testuser1": "TestUser1@123", "testuser2": "TestUser2@123"}
GUILD, GENERAL, RANDOM = "1", "1", "2"
VIEW_CHANNEL = 1 << 10
READ_MESSAGE_HISTORY = 1 << 16


def tag():
    return "t" + uuid.uuid4().hex[:12]


class SearchSuite:
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
            cls.ids[name] = cls.server.request("GET", "/api/v10/users/@me",
                                               token=cls.tokens[name]).json()["id"]
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
    def req(self, method, path, body=None, who="testuser1"):
        token = self.tokens[who] if who else None
        return self.server.request(method, "/api/v10" + path, body, token=token)

    def assertStatus(self, resp, status):
        self.assertEqual(resp.status, status, f"{resp!r}")

    def assertDiscordError(self, resp, status, code=None):
        self.assertEqual(resp.status, status, f"{resp!r}")
        body = resp.json()
        self.assertIsInstance(body.get("code"), int, body)
        if code is not None:
            self.assertEqual(body["code"], code, body)
        return body

    def send(self, content, channel=GENERAL, who="testuser1"):
        r = self.req("POST", f"/channels/{channel}/messages", {"content": content}, who)
        self.assertStatus(r, 200)
        return r.json()

    def search(self, params, who="testuser1", guild=GUILD, path=None):
        path = path or f"/guilds/{guild}/messages/search"
        return self.req("GET", path + "?" + urlencode(params, doseq=True), who=who)

    def found(self, params, who="testuser1", **kw):
        """The ids of the hits (in order) and total_results of a search that must succeed."""
        r = self.search(params, who, **kw)
        self.assertStatus(r, 200)
        body = r.json()
        for hit in body["messages"]:
            self.assertIsInstance(hit, list)
            self.assertEqual(len(hit), 1)
        return [hit[0]["id"] for hit in body["messages"]], body["total_results"]

    def private_channel(self, allowed):
        """A channel of the guild hidden from @everyone, visible to the `allowed` user."""
        r = self.req("POST", f"/guilds/{GUILD}/channels", {
            "name": "hidden-" + tag(), "type": 0,
            "permission_overwrites": [
                {"id": GUILD, "type": 0, "allow": "0", "deny": str(VIEW_CHANNEL)},
                {"id": self.ids[allowed], "type": 1, "allow": str(VIEW_CHANNEL), "deny": "0"}]},
            who="admin")
        self.assertStatus(r, 201)
        return r.json()["id"]

    # -- finding words --------------------------------------------------------------------------
    def test_words_are_found_newest_first_with_the_discord_shape(self):
        t = tag()
        first = self.send(f"{t} deploy went fine")
        second = self.send(f"the {t.upper()} DEPLOY failed", who="testuser2")
        self.send(f"{t} unrelated words")
        r = self.search({"content": f"{t} deploy"})
        self.assertStatus(r, 200)
        body = r.json()
        self.assertEqual(body["total_results"], 2)
        self.assertEqual([h[0]["id"] for h in body["messages"]], [second["id"], first["id"]])
        self.assertEqual(body["threads"], [])
        self.assertEqual(body["members"], [])
        self.assertIsInstance(body["analytics_id"], str)
        self.assertFalse(body["doing_deep_historical_index"])
        hit = body["messages"][0][0]
        self.assertEqual(hit["content"], second["content"])
        self.assertEqual(hit["channel_id"], GENERAL)
        self.assertEqual(hit["author"]["id"], self.ids["testuser2"])
        for field in ("timestamp", "edited_timestamp", "mentions", "attachments", "embeds",
                      "pinned", "type", "flags"):
            self.assertIn(field, hit)
        self.assertEqual(self.found({"content": f"{t} nothing-like-this"}), ([], 0))

    def test_reactions_of_the_searcher_are_rendered(self):
        t = tag()
        m = self.send(f"{t} react to me")
        self.assertStatus(self.req("PUT", f"/channels/{GENERAL}/messages/{m['id']}/reactions/"
                                          "%F0%9F%91%8D/@me", who="testuser2"), 204)
        r = self.search({"content": t}, who="testuser2")
        self.assertStatus(r, 200)
        reactions = r.json()["messages"][0][0]["reactions"]
        self.assertEqual(reactions[0]["count"], 1)
        self.assertTrue(reactions[0]["me"])

    def test_pagination_with_limit_offset_and_sort_order(self):
        t = tag()
        ids = [self.send(f"{t} item {n}")["id"] for n in range(7)]
        newest_first = list(reversed(ids))
        self.assertEqual(self.found({"content": t, "limit": 3}), (newest_first[:3], 7))
        self.assertEqual(self.found({"content": t, "limit": 3, "offset": 3}),
                         (newest_first[3:6], 7))
        self.assertEqual(self.found({"content": t, "limit": 3, "offset": 6}),
                         (newest_first[6:], 7))
        self.assertEqual(self.found({"content": t, "offset": 100}), ([], 7))
        self.assertEqual(self.found({"content": t, "sort_order": "asc", "limit": 2}),
                         (ids[:2], 7))
        self.assertEqual(self.found({"content": t, "sort_by": "timestamp"})[0], newest_first)

    def test_author_channel_and_bound_filters(self):
        t = tag()
        a = self.send(f"{t} one", GENERAL, "testuser1")
        b = self.send(f"{t} two", RANDOM, "testuser2")
        c = self.send(f"{t} three", GENERAL, "testuser2")
        d = self.send(f"{t} four", RANDOM, "admin")
        self.assertEqual(self.found({"content": t, "author_id": self.ids["testuser2"]}),
                         ([c["id"], b["id"]], 2))
        self.assertEqual(self.found({"content": t, "author_id": [self.ids["testuser1"],
                                                                 self.ids["admin"]]}),
                         ([d["id"], a["id"]], 2))
        self.assertEqual(self.found({"content": t, "channel_id": RANDOM}),
                         ([d["id"], b["id"]], 2))
        self.assertEqual(self.found({"content": t, "channel_id": [GENERAL, RANDOM]})[1], 4)
        self.assertEqual(self.found({"content": t, "before": c["id"]}), ([b["id"], a["id"]], 2))
        self.assertEqual(self.found({"content": t, "after": b["id"]}), ([d["id"], c["id"]], 2))
        self.assertEqual(self.found({"content": t, "min_id": a["id"], "max_id": d["id"]}),
                         ([c["id"], b["id"]], 2))
        # Both spellings of a bound at once: the tighter one holds.
        self.assertEqual(self.found({"content": t, "after": a["id"], "min_id": b["id"]}),
                         ([d["id"], c["id"]], 2))
        self.assertEqual(self.found({"content": t, "channel_id": RANDOM,
                                     "author_id": self.ids["admin"]}), ([d["id"]], 1))

    def test_mentions_filter(self):
        t = tag()
        m = self.send(f"{t} ping <@{self.ids['testuser2']}>")
        self.send(f"{t} no ping")
        self.assertEqual(self.found({"content": t, "mentions": self.ids["testuser2"]}),
                         ([m["id"]], 1))

    def test_the_channel_route_searches_one_channel_or_dm(self):
        t = tag()
        self.send(f"{t} in general", GENERAL)
        r_msg = self.send(f"{t} in random", RANDOM)
        path = f"/channels/{RANDOM}/messages/search"
        self.assertEqual(self.found({"content": t}, path=path), ([r_msg["id"]], 1))
        # Naming another channel there narrows to nothing rather than widening.
        self.assertEqual(self.found({"content": t, "channel_id": GENERAL}, path=path), ([], 0))
        dm = self.req("POST", "/users/@me/channels", {"recipient_id": self.ids["testuser2"]})
        self.assertStatus(dm, 200)
        dm_id = dm.json()["id"]
        m = self.send(f"{t} whisper", dm_id)
        dm_path = f"/channels/{dm_id}/messages/search"
        self.assertEqual(self.found({"content": t}, "testuser2", path=dm_path), ([m["id"]], 1))
        self.assertDiscordError(self.search({"content": t}, "admin", path=dm_path), 403, 50001)
        # DMs are no part of a guild's search.
        self.assertNotIn(m["id"], self.found({"content": t})[0])

    # -- rights ---------------------------------------------------------------------------------
    def test_hidden_channels_are_searched_only_by_those_who_can_read_them(self):
        t = tag()
        private = self.private_channel(allowed="testuser2")
        secret = self.send(f"{t} the secret", private, "admin")
        public = self.send(f"{t} the public")
        self.assertEqual(self.found({"content": t}, "testuser1"), ([public["id"]], 1))
        self.assertEqual(self.found({"content": t, "channel_id": private}, "testuser1"), ([], 0))
        self.assertEqual(self.found({"content": t}, "testuser2"),
                         ([public["id"], secret["id"]], 2))
        self.assertEqual(self.found({"content": t}, "admin")[1], 2)
        self.assertDiscordError(self.search({"content": t}, "testuser1",
                                            path=f"/channels/{private}/messages/search"), 403)

    def test_read_message_history_is_needed_as_well_as_view_channel(self):
        t = tag()
        private = self.private_channel(allowed="testuser2")
        m = self.send(f"{t} history", private, "admin")
        self.assertEqual(self.found({"content": t}, "testuser2"), ([m["id"]], 1))
        r = self.req("PUT", f"/channels/{private}/permissions/{self.ids['testuser2']}",
                     {"type": 1, "allow": str(VIEW_CHANNEL), "deny": str(READ_MESSAGE_HISTORY)},
                     who="admin")
        self.assertStatus(r, 204)
        self.assertEqual(self.found({"content": t}, "testuser2"), ([], 0))

    def test_outsiders_and_anonymous_callers_get_no_data(self):
        t = tag()
        self.send(f"{t} members only")
        body = self.assertDiscordError(self.search({"content": t}, "outsider"), 403, 50001)
        self.assertNotIn("messages", body)
        self.assertDiscordError(self.search({"content": t}, "outsider",
                                            path=f"/channels/{GENERAL}/messages/search"), 403)
        self.assertDiscordError(self.search({"content": t}, None), 401)
        self.assertDiscordError(self.search({"content": t}, guild="999999999"), 404, 10004)
        self.assertDiscordError(self.search({"content": t}, guild="zz"), 404, 10004)

    # -- the index follows the messages ---------------------------------------------------------
    def test_deleted_messages_are_gone_and_edited_ones_found_by_their_new_text(self):
        t, old, new = tag(), tag(), tag()
        doomed = self.send(f"{t} doomed")
        edited = self.send(f"{t} {old}")
        self.assertStatus(self.req("DELETE", f"/channels/{GENERAL}/messages/{doomed['id']}"), 204)
        r = self.req("PATCH", f"/channels/{GENERAL}/messages/{edited['id']}",
                     {"content": f"{t} {new}"})
        self.assertStatus(r, 200)
        self.assertEqual(self.found({"content": f"{t} doomed"}), ([], 0))
        self.assertEqual(self.found({"content": old}), ([], 0))
        ids, total = self.found({"content": new})
        self.assertEqual((ids, total), ([edited["id"]], 1))
        r = self.search({"content": new})
        hit = r.json()["messages"][0][0]
        self.assertEqual(hit["content"], f"{t} {new}")
        self.assertIsNotNone(hit["edited_timestamp"])

    # -- bad input ------------------------------------------------------------------------------
    def test_bad_parameters_are_400(self):
        for params in ({"limit": "abc"}, {"limit": "0"}, {"limit": "26"}, {"offset": "-1"},
                       {"offset": "9976"}, {"author_id": "zz"}, {"channel_id": "1x"},
                       {"mentions": "-5"}, {"min_id": "abc"}, {"before": ""},
                       {"sort_order": "sideways"}, {"sort_by": "loudness"},
                       {"content": "x" * 1025}):
            body = self.assertDiscordError(self.search(params), 400, 50035)
            self.assertIn(next(iter(params)), body["errors"], params)
        self.assertStatus(self.search({"content": "é" * 1024}), 200)

    def test_query_syntax_is_plain_text_and_never_an_error(self):
        t = tag()
        m = self.send(f"{t} alpha beta")
        for hostile in ('"', '""', f'"{t}', f'{t}"', "*", f"{t}*", "(", ")", f"({t})",
                        "NEAR", f"NEAR({t} alpha)", f"{t} AND", f"OR {t}", "NOT", "-x", "^x",
                        "x:y", "content:x", "\\", "\\'", "'", "';--", "%", "_", "{x}",
                        "a & b | !c", "<->", ":*", "!!!", "🦊 ☃", "\t", "日本語",
                        "' OR 1=1 --", "\x7f"):
            r = self.search({"content": hostile})
            self.assertStatus(r, 200)
            self.assertIsInstance(r.json()["total_results"], int)
        # Quotes and parentheses around the words do not stop them being found.
        self.assertEqual(self.found({"content": f'"{t}" (alpha)'}), ([m["id"]], 1))
        self.assertEqual(self.found({"content": f"{t} OR nothing"}), ([], 0))

    def test_no_content_lists_the_readable_messages_by_the_other_filters(self):
        t = tag()
        m = self.send(f"{t} by admin", RANDOM, "admin")
        ids, total = self.found({"author_id": self.ids["admin"], "channel_id": RANDOM,
                                 "min_id": str(int(m["id"]) - 1)})
        self.assertEqual((ids, total), ([m["id"]], 1))


class SqliteSearch(SearchSuite, unittest.TestCase):
    BACKEND = "sqlite"


class PostgresSearch(SearchSuite, unittest.TestCase):
    BACKEND = "postgres"


if __name__ == "__main__":
    unittest.main()
