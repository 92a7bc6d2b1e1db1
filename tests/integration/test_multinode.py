"""Two chat-server nodes on one PostgreSQL database and one Redis (REDIS_URL): events committed
on one node reach the gateway sessions of the other exactly once, snowflakes do not collide
(different WORKER_IDs), slowmode, enforced nonces and failed-login counts hold across nodes, a
Redis outage leaves REST, local delivery and per-node slowmode working, with sharing coming back
when Redis does, and the sessions of a node that shuts down resume on the other with every missed
event once. Needs CHAT_TEST_DATABASE_URL and CHAT_TEST_REDIS_URL (scripts/services.sh start DIR
writes both)."""
import json
import os
import re
import signal
import subprocess
import time
import unittest

from harness import Server, create_postgres_database, free_port, race
from test_attachments import form
from test_gateway import Closed, WsClient, login

# Every intent up to 16, and AUTO_MODERATION_CONFIGURATION and _EXECUTION.
INTENTS = ((1 << 17) - 1) | (1 << 20) | (1 << 21)
VOICE = "4"  # the seed's voice channel "General"
CONNECTED = re.compile(r"^bus_redis_connected (\S+)$", re.M)


def test_redis_url():
    url = os.environ.get("CHAT_TEST_REDIS_URL")
    if not url:
        raise RuntimeError("CHAT_TEST_REDIS_URL is not set: run the suite with `make test`, or "
                           "scripts/services.sh start DIR and export DIR/env")
    return url


def bus_connected(server):
    r = server.request("GET", "/metrics")
    assert r.status == 200, r
    m = CONNECTED.search(r.body.decode())
    assert m, "no bus_redis_connected gauge: is REDIS_URL set?"
    return float(m.group(1)) == 1.0


def wait_bus(servers, connected=True, timeout=30):
    deadline = time.monotonic() + timeout
    while not all(bus_connected(s) == connected for s in servers):
        if time.monotonic() > deadline:
            raise AssertionError(f"bus_redis_connected did not become {connected}")
        time.sleep(0.05)  # polling for a state change, not timing a behaviour


class Nodes:
    """Starts node A (WORKER_ID 1) and node B (WORKER_ID 2) on one fresh database, sharing a
    JWT_SECRET as a deployment's nodes do (a token from one is good on the other)."""

    @staticmethod
    def start(redis_url):
        database = create_postgres_database()
        secret = os.urandom(24).hex()
        # Its own channel: other tests' nodes on the same Redis (ctest -j) are another deployment.
        # A quick presence beat: a killed node's users go offline within four seconds.
        shared = {"REDIS_URL": redis_url, "REDIS_CHANNEL": "chat:test:" + secret,
                  "JWT_SECRET": secret, "PRESENCE_BEAT": "1s"}
        a = Server("postgres", database_url=database, env={**shared, "WORKER_ID": "1"})
        seeded = a.run_command("seed")
        assert seeded.returncode == 0, seeded.stderr
        a.start()
        b = Server("postgres", database_url=database, env={**shared, "WORKER_ID": "2"})
        b.start()
        a.deployment_env = shared  # for a third node of the same deployment
        return a, b


class MultiNodeCase(unittest.TestCase):
    def session(self, server, token):
        """An identified session, past READY and its GUILD_CREATEs; ws.session_id and ws.seq
        (the last s received) are what a RESUME needs."""
        ws = WsClient(server.port)
        self.addCleanup(ws.drop)
        ws.identify(token, INTENTS)
        ready = ws.recv()
        self.assertEqual(ready["t"], "READY", ready)
        ws.session_id, ws.seq = ready["d"]["session_id"], ready["s"]
        for _ in ready["d"]["guilds"]:
            ws.seq = ws.recv()["s"]
        return ws

    def first_guild_create(self, server, token):
        """The GUILD_CREATE of guild 1 that a new session of `token` on `server` starts with."""
        ws = WsClient(server.port)
        self.addCleanup(ws.drop)
        ws.identify(token, INTENTS)
        return self.next_dispatch(ws, "GUILD_CREATE")["d"]

    def next_dispatch(self, ws, t):
        while True:
            m = ws.recv()
            if m["op"] == 0 and m["t"] == t:
                return m

    def dispatches_until(self, ws, t, last_id):
        """Every `t` dispatch up to and including the one whose d.id is last_id."""
        seen = []
        while True:
            m = self.next_dispatch(ws, t)
            seen.append(m["d"]["id"])
            if m["d"]["id"] == last_id:
                return seen

    def post(self, server, token, content, channel=1):
        r = server.request("POST", f"/api/v10/channels/{channel}/messages", {"content": content},
                           token=token)
        self.assertIn(r.status, (200, 201), r)
        return r.json()

    def online_count(self, server, token):
        """Guild 1's approximate_presence_count as `server` counts it."""
        r = server.request("GET", "/api/v10/guilds/1?with_counts=true", token=token)
        self.assertEqual(r.status, 200, r)
        return r.json()["approximate_presence_count"]

    def stop_nodes(self, *servers):
        for s in servers:
            code = s.stop()
            self.assertEqual(code, 0, s.read_log()[-4000:])


class TwoNodes(MultiNodeCase):
    @classmethod
    def setUpClass(cls):
        cls.a, cls.b = Nodes.start(test_redis_url())
        wait_bus([cls.a, cls.b])
        cls.admin_a, cls.admin_id = login(cls.a, "admin", "Admin@12345")
        cls.admin_b, _ = login(cls.b, "admin", "Admin@12345")
        cls.user1_a, cls.user1_id = login(cls.a, "testuser1", "TestUser1@123")
        cls.user1_b, _ = login(cls.b, "testuser1", "TestUser1@123")

    @classmethod
    def tearDownClass(cls):
        failures = []
        for s in (cls.a, cls.b):
            if s.stop() != 0:
                failures.append(s.read_log()[-4000:])
        if failures:
            raise AssertionError("a node did not exit cleanly:\n" + "\n".join(failures))

    def test_a_message_posted_on_a_arrives_once_on_b(self):
        ws_b = self.session(self.b, self.user1_b)
        sent = self.post(self.a, self.admin_a, "from node A")
        m = self.next_dispatch(ws_b, "MESSAGE_CREATE")
        self.assertEqual(m["d"]["id"], sent["id"])
        self.assertEqual(m["d"]["content"], "from node A")
        self.assertEqual(m["d"]["author"]["id"], self.admin_id)
        # Events of one node arrive in order: the marker comes after any copy of the first.
        marker = self.post(self.a, self.admin_a, "marker")
        self.assertEqual(self.dispatches_until(ws_b, "MESSAGE_CREATE", marker["id"]), [marker["id"]])

    def test_a_member_joining_through_a_shows_on_b(self):
        ws_b = self.session(self.b, self.admin_b)
        r = self.a.request("POST", "/api/v1/auth/register",
                           {"username": "joiner", "email": "joiner@x.io",
                            "password": "StrongP@ss123"})
        self.assertEqual(r.status, 201, r)
        joiner, joiner_id = login(self.a, "joiner", "StrongP@ss123")
        invite = self.a.request("POST", "/api/v10/channels/1/invites", {}, token=self.admin_a)
        self.assertIn(invite.status, (200, 201), invite)
        joined = self.a.request("POST", f"/api/v10/invites/{invite.json()['code']}", token=joiner)
        self.assertEqual(joined.status, 200, joined)
        m = self.next_dispatch(ws_b, "GUILD_MEMBER_ADD")
        self.assertEqual(m["d"]["user"]["id"], joiner_id)
        self.assertEqual(m["d"]["guild_id"], "1")

    def test_typing_on_b_reaches_a_session_on_a(self):
        ws_a = self.session(self.a, self.user1_a)
        r = self.b.request("POST", "/api/v10/channels/1/typing", token=self.admin_b)
        self.assertEqual(r.status, 204, r)
        m = self.next_dispatch(ws_a, "TYPING_START")
        self.assertEqual(m["d"]["user_id"], self.admin_id)
        self.assertEqual(m["d"]["channel_id"], "1")

    def test_each_node_delivers_its_own_events_once(self):
        ws_a = self.session(self.a, self.user1_a)
        first = self.post(self.a, self.admin_a, "local one")
        marker = self.post(self.a, self.admin_a, "local marker")
        self.assertEqual(self.dispatches_until(ws_a, "MESSAGE_CREATE", marker["id"]),
                         [first["id"], marker["id"]])

    def test_a_bot_token_reset_on_a_closes_the_bots_sessions_on_b(self):
        app = self.a.request("POST", "/api/v10/applications", {"name": "Two Node Bot"},
                             token=self.admin_a)
        self.assertEqual(app.status, 201, app)
        app = app.json()
        old = app["bot"]["token"]
        ws_b = WsClient(self.b.port)
        self.addCleanup(ws_b.drop)
        ws_b.identify(old, 1 | 1 << 9)
        self.assertEqual(ws_b.recv()["t"], "READY")
        r = self.a.request("POST", f"/api/v10/applications/{app['id']}/bot/reset",
                           token=self.admin_a)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(ws_b.expect_close(), 4004)
        # The new token opens a session on B that the reset's event does not touch.
        fresh = WsClient(self.b.port)
        self.addCleanup(fresh.drop)
        fresh.identify(r.json()["token"], 1 | 1 << 9)
        self.assertEqual(fresh.recv()["t"], "READY")
        fresh.send({"op": 1, "d": None})
        self.assertEqual(fresh.recv()["op"], 11)

    def test_a_password_changed_on_a_ends_the_users_sessions_on_b(self):
        name = "mover_" + os.urandom(3).hex()
        r = self.a.request("POST", "/api/v1/auth/register",
                           {"username": name, "email": name + "@x.io", "password": "StrongP@ss123"})
        self.assertEqual(r.status, 201, r)
        on_a, _ = login(self.a, name, "StrongP@ss123")
        on_b, _ = login(self.b, name, "StrongP@ss123")
        ws_b = WsClient(self.b.port)
        self.addCleanup(ws_b.drop)
        ws_b.identify(on_b, INTENTS)
        self.assertEqual(ws_b.recv()["t"], "READY")
        r = self.a.request("PATCH", "/api/v10/users/@me",
                           {"password": "StrongP@ss123", "new_password": "N3w-Str0ng!pass"},
                           token=on_a)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(ws_b.expect_close(), 4004)
        # B learned it from the bus: both old access tokens are refused there, the new one is not.
        for old in (on_a, on_b):
            self.assertEqual(self.b.request("GET", "/api/v10/users/@me", token=old).status, 401)
        self.assertEqual(self.b.request("GET", "/api/v10/users/@me",
                                        token=r.json()["token"]).status, 200)

    def test_snowflakes_of_the_two_nodes_carry_their_worker_ids(self):
        on_a = self.post(self.a, self.admin_a, "id on A")
        on_b = self.post(self.b, self.admin_b, "id on B")
        self.assertNotEqual(on_a["id"], on_b["id"])
        self.assertEqual((int(on_a["id"]) >> 17) & 0x1F, 1)
        self.assertEqual((int(on_b["id"]) >> 17) & 0x1F, 2)

    def slow_channel(self, seconds):
        r = self.a.request("POST", "/api/v10/guilds/1/channels",
                           {"name": "slow-" + os.urandom(3).hex(), "rate_limit_per_user": seconds},
                           token=self.admin_a)
        self.assertEqual(r.status, 201, r)
        return r.json()["id"]

    def test_slowmode_holds_for_a_member_who_posts_through_the_other_node(self):
        channel = self.slow_channel(60)
        self.post(self.a, self.user1_a, "first, on A", channel)
        r = self.b.request("POST", f"/api/v10/channels/{channel}/messages", {"content": "on B"},
                           token=self.user1_b)
        self.assertEqual(r.status, 429, r)
        self.assertEqual(r.json()["code"], 20016)
        self.assertGreater(r.json()["retry_after"], 50)
        self.assertLessEqual(r.json()["retry_after"], 60)
        # B stored nothing.
        listed = self.a.request("GET", f"/api/v10/channels/{channel}/messages", token=self.admin_a)
        self.assertEqual([m["content"] for m in listed.json()], ["first, on A"])
        # Moderators are not slowed, on either node.
        self.post(self.b, self.admin_b, "moderator on B", channel)
        self.post(self.a, self.admin_a, "moderator on A", channel)

    def test_an_auto_moderation_rule_made_on_a_blocks_on_b(self):
        # B has read guild 1's rules (none) for a message before the rule exists.
        self.post(self.b, self.user1_b, "a rhubarb pie")
        ws_b = self.session(self.b, self.admin_b)
        r = self.a.request("POST", "/api/v10/guilds/1/auto-moderation/rules", {
            "name": "no rhubarb", "event_type": 1, "trigger_type": 1, "enabled": True,
            "trigger_metadata": {"keyword_filter": ["rhubarb"]}, "actions": [{"type": 1}]},
            token=self.admin_a)
        self.assertEqual(r.status, 200, r)
        rule = r.json()
        self.addCleanup(self.a.request, "DELETE",
                        f"/api/v10/guilds/1/auto-moderation/rules/{rule['id']}",
                        token=self.admin_a)
        # The event reached B. B's handlers run one after the other on its Redis thread: the
        # gateway's queued it for this session, then auto moderation's dropped B's copy of the
        # guild's rules, microseconds before this client can read it and send again.
        self.assertEqual(self.next_dispatch(ws_b, "AUTO_MODERATION_RULE_CREATE")["d"]["id"],
                         rule["id"])
        r = self.b.request("POST", "/api/v10/channels/1/messages", {"content": "more rhubarb"},
                           token=self.user1_b)
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json()["code"], 200000)

    def test_an_enforced_nonce_returns_the_first_message_on_either_node(self):
        nonce = os.urandom(8).hex()
        body = {"content": "sent once", "nonce": nonce, "enforce_nonce": True}
        first = self.a.request("POST", "/api/v10/channels/1/messages", body, token=self.user1_a)
        self.assertEqual(first.status, 200, first)
        retry = self.b.request("POST", "/api/v10/channels/1/messages", body, token=self.user1_b)
        self.assertEqual(retry.status, 200, retry)
        self.assertEqual(retry.json()["id"], first.json()["id"])
        self.assertEqual(retry.json()["nonce"], nonce)
        listed = self.b.request("GET", "/api/v10/channels/1/messages?limit=20", token=self.admin_b)
        self.assertEqual([m["id"] for m in listed.json() if m.get("nonce") == nonce],
                         [first.json()["id"]])

    def test_retried_uploads_racing_on_both_nodes_with_an_enforced_nonce_make_one_message(self):
        # Each copy writes 8 MiB of files, so the first is still writing when the others arrive.
        nonce = os.urandom(8).hex()
        files = [(f"files[{k}]", f"part{k}.bin", "application/octet-stream", os.urandom(1 << 20))
                 for k in range(8)]
        body, ctype = form([("payload_json", json.dumps(
            {"content": "uploaded once", "nonce": nonce, "enforce_nonce": True}))], files)
        answers = race([self.a, self.b] * 3, "POST", "/api/v10/channels/1/messages", body,
                       {"Authorization": "Bearer " + self.user1_a, "Content-Type": ctype})
        self.assertEqual([r.status for r in answers], [200] * 6, answers)
        self.assertEqual({r.json()["id"] for r in answers}, {answers[0].json()["id"]})
        listed = self.b.request("GET", "/api/v10/channels/1/messages?limit=50", token=self.admin_b)
        self.assertEqual([m["id"] for m in listed.json() if m.get("nonce") == nonce],
                         [answers[0].json()["id"]])

    def test_failed_logins_on_one_node_count_on_the_other(self):
        name = "brute" + os.urandom(4).hex()
        r = self.a.request("POST", "/api/v1/auth/register",
                           {"username": name, "email": name + "@x.io",
                            "password": "StrongP@ss123"})
        self.assertEqual(r.status, 201, r)
        wrong = {"username": name, "password": "Wrong@1234"}
        # LOGIN_MAX_FAILURES is 5: three on A and two on B reach it.
        for node in (self.a, self.a, self.a, self.b, self.b):
            self.assertEqual(node.request("POST", "/api/v1/auth/login", wrong).status, 401)
        for node in (self.a, self.b):
            r = node.request("POST", "/api/v1/auth/login",
                             {"username": name, "password": "StrongP@ss123"})
            self.assertEqual(r.status, 429, r)
            self.assertGreater(r.json()["retry_after"], 0)

    def presence_of(self, ws, user_id):
        """The next PRESENCE_UPDATE about user_id."""
        while True:
            d = self.next_dispatch(ws, "PRESENCE_UPDATE")["d"]
            if d["user"]["id"] == user_id:
                return d

    def test_a_user_connected_to_both_nodes_is_one_presence(self):
        token_a, user = login(self.a, "testuser2", "TestUser2@123")
        token_b, _ = login(self.b, "testuser2", "TestUser2@123")
        watcher = self.session(self.a, self.admin_a)
        on_b = self.session(self.b, token_b)
        self.assertEqual(self.presence_of(watcher, user)["status"], "online")
        on_a = self.session(self.a, token_a)  # online already: no second "online"
        on_a.close()  # their last session on A, not their last one
        on_b.send({"op": 3, "d": {"status": "dnd", "since": None, "afk": False,
                                  "activities": [{"name": "chess", "type": 0}]}})
        # The next word about them is the dnd: nothing from A's session coming and going.
        self.assertEqual(self.presence_of(watcher, user)["status"], "dnd")
        # A session starting on A sees them, connected to B only, as B's session set them.
        guild = self.first_guild_create(self.a, self.user1_a)
        shown = [p for p in guild["presences"] if p["user"]["id"] == user]
        self.assertEqual([(p["status"], p["activities"][0]["name"]) for p in shown],
                         [("dnd", "chess")], guild["presences"])
        on_b.close()
        self.assertEqual(self.presence_of(watcher, user)["status"], "offline")

    def test_the_users_of_a_node_that_died_go_offline(self):
        c = Server("postgres", database_url=self.a.database_url,
                   env={**self.a.deployment_env, "WORKER_ID": "3"}).start()
        self.addCleanup(c.stop, signal.SIGKILL)
        wait_bus([c])
        token_c, user = login(c, "testuser2", "TestUser2@123")
        watcher = self.session(self.a, self.admin_a)
        on_c = self.session(c, token_c)
        self.assertEqual(self.presence_of(watcher, user)["status"], "online")
        on_c.send({"op": 4, "d": {"guild_id": "1", "channel_id": VOICE, "self_mute": False,
                                  "self_deaf": False}})
        self.assertEqual(self.next_dispatch(watcher, "VOICE_STATE_UPDATE")["d"]["channel_id"],
                         VOICE)
        online = self.online_count(self.b, self.admin_b)  # B counts C's user
        c.stop(signal.SIGKILL)  # no hand-off, no goodbye: A or B finds it dead
        # It went offline and left the voice channel, each told once.
        heard = {}
        while len(heard) < 2:
            m = watcher.recv()
            if m["op"] == 0 and m["t"] in ("PRESENCE_UPDATE", "VOICE_STATE_UPDATE"):
                self.assertNotIn(m["t"], heard, m)
                heard[m["t"]] = m["d"]
        self.assertEqual(heard["PRESENCE_UPDATE"]["status"], "offline")
        self.assertEqual(heard["VOICE_STATE_UPDATE"]["user_id"], user)
        self.assertIsNone(heard["VOICE_STATE_UPDATE"]["channel_id"])
        self.assertEqual(self.online_count(self.b, self.admin_b), online - 1)

    def test_a_voice_state_taken_through_one_node_shows_on_the_other(self):
        token_b, user = login(self.b, "testuser1", "TestUser1@123")
        watcher = self.session(self.a, self.admin_a)
        on_b = self.session(self.b, token_b)
        on_b.send({"op": 4, "d": {"guild_id": "1", "channel_id": VOICE, "self_mute": True,
                                  "self_deaf": False}})
        self.assertEqual(self.next_dispatch(watcher, "VOICE_STATE_UPDATE")["d"]["channel_id"],
                         VOICE)
        # A session starting on A finds them in the channel, though they joined through B.
        guild = self.first_guild_create(self.a, self.admin_a)
        self.assertEqual([(v["user_id"], v["channel_id"], v["self_mute"])
                          for v in guild["voice_states"]], [(user, VOICE, True)])
        on_b.close()
        left = self.next_dispatch(watcher, "VOICE_STATE_UPDATE")["d"]
        self.assertEqual((left["user_id"], left["channel_id"]), (user, None))

    def test_the_startup_log_names_the_redis_bus(self):
        log = self.a.read_log()
        self.assertIn('"bus":"redis"', log)
        self.assertIn("redis subscriber listening", log)


class RedisOutage(MultiNodeCase):
    """Stops a dedicated Redis under two running nodes and starts it again on the same port."""

    def start_redis(self):
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while subprocess.run(["redis-cli", "-p", str(self.redis_port), "ping"],
                             capture_output=True, text=True).stdout.strip() != "PONG":
            self.assertIsNone(self.redis.poll(), "redis-server exited")
            self.assertLess(time.monotonic(), deadline, "redis-server did not start")
            time.sleep(0.05)  # polling for the port to open

    def stop_redis(self):
        if self.redis and self.redis.poll() is None:
            self.redis.terminate()
            self.redis.wait(15)

    def setUp(self):
        self.redis = None
        self.redis_port = free_port()
        self.start_redis()
        self.addCleanup(self.stop_redis)

    def test_rest_and_local_delivery_survive_and_sharing_resumes(self):
        a, b = Nodes.start(f"redis://127.0.0.1:{self.redis_port}")
        try:
            wait_bus([a, b])
            admin_a, admin_id = login(a, "admin", "Admin@12345")
            admin_b, _ = login(b, "admin", "Admin@12345")
            user1_a, _ = login(a, "testuser1", "TestUser1@123")
            user1_b, _ = login(b, "testuser1", "TestUser1@123")
            ws_a = self.session(a, user1_a)
            ws_b = self.session(b, user1_b)
            user2_a, _ = login(a, "testuser2", "TestUser2@123")
            self.session(a, user2_a)  # online through A alone
            self.assertEqual(self.online_count(b, admin_b), 2)

            r = a.request("POST", "/api/v10/guilds/1/channels",
                          {"name": "slow-outage", "rate_limit_per_user": 60}, token=admin_a)
            self.assertEqual(r.status, 201, r)
            slow = r.json()["id"]

            self.stop_redis()
            wait_bus([a, b], connected=False)
            # REST keeps working on both nodes, on the shared database.
            on_a = self.post(a, admin_a, "during the outage, on A")
            on_b = self.post(b, admin_b, "during the outage, on B")
            listed = b.request("GET", "/api/v10/channels/1/messages?limit=5", token=admin_b)
            self.assertEqual(listed.status, 200, listed)
            self.assertIn(on_a["id"], [m["id"] for m in listed.json()])
            # Each node still delivers its own events to its own sessions.
            self.assertEqual(self.next_dispatch(ws_a, "MESSAGE_CREATE")["d"]["id"], on_a["id"])
            self.assertEqual(self.next_dispatch(ws_b, "MESSAGE_CREATE")["d"]["id"], on_b["id"])
            # Slowmode falls back to each node's memory: still enforced for what a node serves.
            self.post(a, user1_a, "slow, during the outage", slow)
            r = a.request("POST", f"/api/v10/channels/{slow}/messages", {"content": "again"},
                          token=user1_a)
            self.assertEqual(r.status, 429, r)
            metrics = a.request("GET", "/metrics").body.decode()
            not_shared = re.search(r"^bus_redis_not_shared_total (\S+)$", metrics, re.M)
            self.assertGreaterEqual(float(not_shared.group(1)), 1)

            self.start_redis()
            wait_bus([a, b])
            # Cross-node delivery is back, in both directions, once each.
            after = self.post(a, admin_a, "after the outage, from A")
            self.assertEqual(self.dispatches_until(ws_b, "MESSAGE_CREATE", after["id"]),
                             [after["id"]])
            r = b.request("POST", "/api/v10/channels/1/typing", token=admin_b)
            self.assertEqual(r.status, 204, r)
            typing = self.next_dispatch(ws_a, "TYPING_START")
            self.assertEqual(typing["d"]["user_id"], admin_id)
            # Slowmode is shared again: a turn taken on A holds on B. A node that failed to reach
            # Redis waits a moment before dialling it again, so poll for that moment to pass.
            deadline = time.monotonic() + 15
            while True:
                r = a.request("POST", "/api/v10/guilds/1/channels",
                              {"name": "slow-after", "rate_limit_per_user": 60}, token=admin_a)
                self.assertEqual(r.status, 201, r)
                slow = r.json()["id"]
                self.post(a, user1_a, "slow, after the outage", slow)
                r = b.request("POST", f"/api/v10/channels/{slow}/messages", {"content": "on B"},
                              token=user1_b)
                if r.status == 429:
                    break
                self.assertEqual(r.status, 200, r)
                self.assertLess(time.monotonic(), deadline, "slowmode was not shared again")
                time.sleep(0.05)  # polling for a state change, not timing a behaviour
            # Presence is shared again: Redis came back empty, and A's next beat found its entries
            # gone and told it again of the users A holds, so B counts testuser2 again.
            deadline = time.monotonic() + 15
            while self.online_count(b, admin_b) != 2:
                self.assertLess(time.monotonic(), deadline, "A's users were not shared again")
                time.sleep(0.05)  # polling for a state change, not timing a behaviour
            log = a.read_log()
            self.assertIn("shared slowmode and nonces unavailable", log)
            self.assertIn("shared slowmode and nonces: back", log)
            self.assertIn("redis subscriber lost its connection", log)
            self.assertIn("events are delivered on this node only", log)
        finally:
            self.stop_nodes(a, b)


    def test_an_end_of_sessions_the_bus_lost_is_caught_up_within_a_beat(self):
        a, b = Nodes.start(f"redis://127.0.0.1:{self.redis_port}")
        try:
            wait_bus([a, b])
            name = "outage_" + os.urandom(3).hex()
            r = a.request("POST", "/api/v1/auth/register",
                          {"username": name, "email": name + "@x.io",
                           "password": "StrongP@ss123"})
            self.assertEqual(r.status, 201, r)
            on_a, _ = login(a, name, "StrongP@ss123")
            on_b, _ = login(b, name, "StrongP@ss123")
            ws_b = WsClient(b.port)
            self.addCleanup(ws_b.drop)
            ws_b.identify(on_b, INTENTS)
            self.assertEqual(ws_b.recv()["t"], "READY")
            self.stop_redis()
            wait_bus([a, b], connected=False)
            r = a.request("PATCH", "/api/v10/users/@me",
                          {"password": "StrongP@ss123", "new_password": "N3w-Str0ng!pass"},
                          token=on_a)
            self.assertEqual(r.status, 200, r)
            # No bus carried it to B; B's next presence beat (1 s here) reads it from the store.
            self.assertEqual(ws_b.expect_close(), 4004)
            self.assertEqual(b.request("GET", "/api/v10/users/@me", token=on_b).status, 401)
        finally:
            self.stop_nodes(a, b)


class HandOff(MultiNodeCase):
    """Node A shuts down (SIGTERM); its sessions RESUME on node B with nothing lost or doubled."""

    def setUp(self):
        self.a, self.b = Nodes.start(test_redis_url())
        self.addCleanup(self.stop_nodes, self.b)
        wait_bus([self.a, self.b])
        self.admin_a, _ = login(self.a, "admin", "Admin@12345")
        self.admin_b, _ = login(self.b, "admin", "Admin@12345")
        self.user1, self.user1_id = login(self.b, "testuser1", "TestUser1@123")
        self.user2, _ = login(self.b, "testuser2", "TestUser2@123")

    def identify(self, server, token):
        ws = self.session(server, token)
        return ws, ws.session_id, ws.seq

    def read_until(self, ws, t, last_id, seq):
        """MESSAGE_CREATE ids up to last_id, checking that s rises by one per dispatch."""
        ids = []
        while True:
            m = ws.recv()
            if m["op"] != 0:
                continue
            self.assertEqual(m["s"], seq + 1, m)
            seq = m["s"]
            if m["t"] == t:
                ids.append(m["d"]["id"])
                if m["d"]["id"] == last_id:
                    return ids, seq

    def resume(self, server, token, session_id, seq):
        """RESUMEs on `server`; returns the dispatches up to RESUMED and RESUMED's s."""
        ws = WsClient(server.port)
        self.addCleanup(ws.drop)
        self.assertEqual(ws.recv()["op"], 10)
        ws.send({"op": 6, "d": {"token": token, "session_id": session_id, "seq": seq}})
        replayed = []
        while True:
            m = ws.recv()
            self.assertEqual(m["op"], 0, m)  # op 9 would mean the session was not taken over
            self.assertEqual(m["s"], seq + 1, m)
            seq = m["s"]
            if m["t"] == "RESUMED":
                return ws, replayed, seq
            replayed.append(m)

    def test_sessions_of_a_stopped_node_resume_on_the_other_with_every_event_once(self):
        # A session that dropped its connection before the shutdown, and one still connected.
        dropped, dropped_id, dropped_seq = self.identify(self.a, self.user1)
        live, live_id, live_seq = self.identify(self.a, self.user2)
        first = self.post(self.a, self.admin_a, "before the drop, on A")
        got, dropped_seq = self.read_until(dropped, "MESSAGE_CREATE", first["id"], dropped_seq)
        self.assertEqual(got, [first["id"]])
        dropped.drop()
        missed = [self.post(self.a, self.admin_a, "missed, posted on A")["id"],
                  self.post(self.b, self.admin_b, "missed, posted on B")["id"]]
        got, live_seq = self.read_until(live, "MESSAGE_CREATE", missed[-1], live_seq)
        self.assertEqual(got, [first["id"]] + missed)

        self.assertEqual(self.a.stop(), 0, self.a.read_log()[-4000:])
        # The connected client was told to reconnect before its connection closed.
        ops = []
        try:
            while True:
                m = live.recv()
                ops.append(m["op"])
                if m["op"] == 0:
                    live_seq = m["s"]
        except Closed:
            pass
        self.assertIn(7, ops)
        self.assertIn("sessions handed off for another node to resume", self.a.read_log())
        # Committed while no node holds the sessions' connections.
        gap = self.post(self.b, self.admin_b, "while A is gone")["id"]

        ws, replayed, seq = self.resume(self.b, self.user1, dropped_id, dropped_seq)
        self.assertEqual([m["d"]["id"] for m in replayed if m["t"] == "MESSAGE_CREATE"],
                         missed + [gap])
        after = self.post(self.b, self.admin_b, "after the resume")["id"]
        got, _ = self.read_until(ws, "MESSAGE_CREATE", after, seq)
        self.assertEqual(got, [after])

        ws2, replayed2, seq2 = self.resume(self.b, self.user2, live_id, live_seq)
        self.assertEqual([m["d"]["id"] for m in replayed2 if m["t"] == "MESSAGE_CREATE"],
                         [gap, after])
        last = self.post(self.b, self.admin_b, "last")["id"]
        got, _ = self.read_until(ws2, "MESSAGE_CREATE", last, seq2)
        self.assertEqual(got, [last])

    def test_a_voice_state_moves_with_its_handed_off_session(self):
        watcher = self.session(self.b, self.admin_b)
        ws, session_id, seq = self.identify(self.a, self.user1)
        ws.send({"op": 4, "d": {"guild_id": "1", "channel_id": VOICE, "self_mute": False,
                                "self_deaf": True}})
        seq = self.next_dispatch(ws, "VOICE_STATE_UPDATE")["s"]
        self.assertEqual(self.next_dispatch(watcher, "VOICE_STATE_UPDATE")["d"]["channel_id"],
                         VOICE)
        ws.drop()
        node_a = re.search(r'"node":"([^"]+)"', self.a.read_log()).group(1)
        self.assertEqual(self.a.stop(), 0, self.a.read_log()[-4000:])
        self.resume(self.b, self.user1, session_id, seq)
        # B (the only node left) finds A dead at a beat and clears what A still held: wait for
        # A to leave the deployment's list of nodes.
        nodes_key = self.a.deployment_env["REDIS_CHANNEL"] + ":presence:nodes"
        deadline = time.monotonic() + 15
        while subprocess.run(["redis-cli", "-u", test_redis_url(), "SISMEMBER", nodes_key,
                              node_a], capture_output=True, text=True).stdout.strip() != "0":
            self.assertLess(time.monotonic(), deadline, "node A was not found dead")
            time.sleep(0.05)  # polling for a state change, not timing a behaviour
        # The session is on B with its voice state: no "left" was told, and a new session sees it.
        marker = self.post(self.b, self.admin_b, "after A was found dead")["id"]
        told = []
        while True:
            m = watcher.recv()
            if m["op"] == 0 and m["t"] == "VOICE_STATE_UPDATE":
                told.append(m["d"])
            if m["op"] == 0 and m["t"] == "MESSAGE_CREATE" and m["d"]["id"] == marker:
                break
        self.assertEqual(told, [])
        guild = self.first_guild_create(self.b, self.admin_b)
        self.assertEqual([(v["user_id"], v["channel_id"], v["self_deaf"])
                          for v in guild["voice_states"]], [(self.user1_id, VOICE, True)])

    def test_a_handed_off_session_is_taken_once_and_only_by_its_user(self):
        ws, session_id, seq = self.identify(self.a, self.user1)
        ws.drop()
        self.assertEqual(self.a.stop(), 0, self.a.read_log()[-4000:])
        # Another user's token does not take it (and does not use it up).
        other = WsClient(self.b.port)
        self.addCleanup(other.drop)
        self.assertEqual(other.recv()["op"], 10)
        other.send({"op": 6, "d": {"token": self.user2, "session_id": session_id, "seq": seq}})
        self.assertEqual(other.recv(), {"op": 9, "d": False, "s": None, "t": None})
        _, replayed, _ = self.resume(self.b, self.user1, session_id, seq)
        self.assertEqual(replayed, [])


if __name__ == "__main__":
    unittest.main()
