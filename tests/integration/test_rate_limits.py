"""REST rate limits as Discord reports them (FEATURE_RATE_LIMITING): every answer to a request
with a token carries its route bucket's X-RateLimit-Limit / -Remaining / -Reset / -Reset-After /
-Bucket; past the allowance the answer is a 429 with {message, retry_after, global}, Retry-After,
X-RateLimit-Scope and Via (discord.py takes a 429 without Via for a Cloudflare ban). A bucket is
one token's use of one route in one channel or guild; the global allowance spans all routes; two
nodes on Redis share both. The windows here are the server's (5 s per route, 1 s global): each
test stays well inside one."""
import json
import os
import time
import unittest

from harness import Server, create_postgres_database
from test_gateway import login
from test_multinode import test_redis_url

GENERAL, RANDOM = "1", "2"  # the seed's text channels


def post(server, token, channel, text):
    return server.request("POST", f"/api/v10/channels/{channel}/messages", {"content": text},
                          token=token)


class SeededServer(unittest.TestCase):
    """A seeded SQLite server with the limits in ENV."""
    ENV = {}

    @classmethod
    def setUpClass(cls):
        cls.server = Server("sqlite", env=cls.ENV)
        seeded = cls.server.run_command("seed")
        assert seeded.returncode == 0, seeded.stderr
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()


class RouteLimits(SeededServer):
    ENV = {"RATE_LIMIT_ROUTE": "3", "RATE_LIMIT_GLOBAL": "1000"}

    def test_a_route_answers_its_allowance_then_429_until_its_window_ends(self):
        token, _ = login(self.server, "testuser1", "TestUser1@123")
        started = time.time()
        buckets = set()
        for remaining in (2, 1, 0):
            r = post(self.server, token, GENERAL, "within")
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.headers["x-ratelimit-limit"], "3")
            self.assertEqual(r.headers["x-ratelimit-remaining"], str(remaining))
            after = float(r.headers["x-ratelimit-reset-after"])
            self.assertGreater(after, 0)
            self.assertLessEqual(after, 5)
            reset = float(r.headers["x-ratelimit-reset"])  # epoch seconds
            self.assertGreater(reset, started)
            self.assertLess(reset, started + 6)
            buckets.add(r.headers["x-ratelimit-bucket"])
        self.assertEqual(len(buckets), 1)

        r = post(self.server, token, GENERAL, "over")
        self.assertEqual(r.status, 429, r)
        body = r.json()
        self.assertFalse(body["global"])
        self.assertGreater(body["retry_after"], 0)
        self.assertLessEqual(body["retry_after"], 5)
        self.assertEqual(r.headers["x-ratelimit-scope"], "user")
        self.assertEqual(r.headers["x-ratelimit-remaining"], "0")
        self.assertGreaterEqual(int(r.headers["retry-after"]), 1)
        self.assertIn("via", r.headers)
        self.assertNotIn("x-ratelimit-global", r.headers)
        # The refused message was not sent.
        history = self.server.request("GET", f"/api/v10/channels/{GENERAL}/messages?limit=10",
                                      token=token).json()
        self.assertNotIn("over", [m["content"] for m in history])

        # Another channel is another bucket of the same route; another user has their own.
        r = post(self.server, token, RANDOM, "elsewhere")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.headers["x-ratelimit-remaining"], "2")
        self.assertIn(r.headers["x-ratelimit-bucket"], buckets)
        other, _ = login(self.server, "testuser2", "TestUser2@123")
        self.assertEqual(post(self.server, other, GENERAL, "theirs").status, 200)

    def test_a_fresh_access_token_brings_no_fresh_allowance(self):
        r = self.server.request("POST", "/api/v1/auth/login",
                                {"username": "admin", "password": "Admin@12345"})
        first = r.json()
        for _ in range(3):
            self.assertEqual(post(self.server, first["access_token"], GENERAL, "a").status, 200)
        again = self.server.request("POST", "/api/v1/auth/refresh",
                                    {"refresh_token": first["refresh_token"]})
        self.assertEqual(again.status, 200, again)
        r = post(self.server, again.json()["access_token"], GENERAL, "b")
        self.assertEqual(r.status, 429, r)

    def test_an_invalid_token_is_not_counted(self):
        for _ in range(5):
            r = post(self.server, "Bearer not.a.jwt", GENERAL, "x")
            self.assertEqual(r.status, 401, r)
            self.assertNotIn("x-ratelimit-limit", r.headers)

    def test_requests_without_a_token_are_not_counted(self):
        for _ in range(5):
            r = self.server.request("GET", "/api/v10/gateway")
            self.assertEqual(r.status, 200, r)
            self.assertNotIn("x-ratelimit-limit", r.headers)


    def test_a_webhook_token_has_an_allowance_of_its_own(self):
        admin, _ = login(self.server, "admin", "Admin@12345")
        r = self.server.request("POST", "/api/v10/channels/" + GENERAL + "/webhooks",
                                {"name": "Limited"}, token=admin)
        self.assertEqual(r.status, 200, r)
        hook = r.json()
        path = f"/api/v10/webhooks/{hook['id']}/{hook['token']}"
        # Someone guessing tokens spends none of the real token's allowance.
        for _ in range(4):
            guess = f"/api/v10/webhooks/{hook['id']}/{os.urandom(34).hex()}"
            r = self.server.request("POST", guess, {"content": "guess"})
            self.assertEqual(r.status, 401, r)
        answers = [self.server.request("POST", path, {"content": f"n{i}"}) for i in range(4)]
        self.assertEqual([a.status for a in answers], [204, 204, 204, 429], answers)
        self.assertEqual(answers[0].headers["x-ratelimit-limit"], "3")
        self.assertIn("retry_after", json.loads(answers[3].body))


class GlobalLimit(SeededServer):
    ENV = {"RATE_LIMIT_ROUTE": "0", "RATE_LIMIT_GLOBAL": "4"}

    def test_the_global_allowance_spans_routes(self):
        r = self.server.request("POST", "/api/v1/auth/login",
                                {"username": "testuser1", "password": "TestUser1@123"})
        token = r.json()["access_token"]
        paths = ["/api/v10/users/@me", "/api/v10/users/@me/guilds", "/api/v10/guilds/1",
                 f"/api/v10/channels/{GENERAL}"]
        # 4 per second: the fifth request of a second is refused. Requests are sent until one is
        # (a slow machine may straddle a window), across the four routes.
        answers = []
        while len(answers) < 40 and (not answers or answers[-1].status != 429):
            answers.append(self.server.request("GET", paths[len(answers) % 4], token=token))
        r = answers[-1]
        self.assertGreaterEqual(len(answers), 5)
        self.assertEqual([a.status for a in answers[:-1]], [200] * (len(answers) - 1))
        self.assertEqual(r.status, 429, r)
        self.assertTrue(r.json()["global"])
        self.assertEqual(r.headers["x-ratelimit-global"], "true")
        self.assertEqual(r.headers["x-ratelimit-scope"], "global")
        self.assertNotIn("x-ratelimit-limit", answers[0].headers)  # no route limit configured


class SharedAcrossNodes(unittest.TestCase):
    """Two nodes on one database and one Redis: a token's route allowance is the deployment's."""

    @classmethod
    def setUpClass(cls):
        database = create_postgres_database()
        secret = os.urandom(24).hex()
        shared = {"REDIS_URL": test_redis_url(), "REDIS_CHANNEL": "chat:test:" + secret,
                  "JWT_SECRET": secret, "RATE_LIMIT_ROUTE": "3", "RATE_LIMIT_GLOBAL": "1000"}
        cls.a = Server("postgres", database_url=database, env={**shared, "WORKER_ID": "1"})
        seeded = cls.a.run_command("seed")
        assert seeded.returncode == 0, seeded.stderr
        cls.a.start()
        cls.b = Server("postgres", database_url=database, env={**shared, "WORKER_ID": "2"})
        cls.b.start()

    @classmethod
    def tearDownClass(cls):
        cls.a.stop()
        cls.b.stop()

    def test_a_route_allowance_spans_the_nodes(self):
        token, _ = login(self.a, "testuser1", "TestUser1@123")
        for node, remaining in ((self.a, "2"), (self.b, "1"), (self.a, "0")):
            r = post(node, token, GENERAL, "shared")
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.headers["x-ratelimit-remaining"], remaining)
        r = post(self.b, token, GENERAL, "over")
        self.assertEqual(r.status, 429, r)
        self.assertFalse(r.json()["global"])


if __name__ == "__main__":
    unittest.main()
