"""Two chat-server nodes on one PostgreSQL database and one Redis (REDIS_URL): events committed
on one node reach the gateway sessions of the other exactly once, snowflakes do not collide
(different WORKER_IDs), and a Redis outage leaves REST and local delivery working, with
cross-node delivery coming back when Redis does. Needs CHAT_TEST_DATABASE_URL and
CHAT_TEST_REDIS_URL (scripts/services.sh start DIR writes both)."""
import os
import re
import subprocess
import time
import unittest

from harness import Server, create_postgres_database, free_port
from test_gateway import WsClient, login

INTENTS = (1 << 17) - 1
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
    """Starts node A (WORKER_ID 1) and node B (WORKER_ID 2) on one fresh database."""

    @staticmethod
    def start(redis_url):
        database = create_postgres_database()
        a = Server("postgres", database_url=database, env={"REDIS_URL": redis_url, "WORKER_ID": "1"})
        seeded = a.run_command("seed")
        assert seeded.returncode == 0, seeded.stderr
        a.start()
        b = Server("postgres", database_url=database, env={"REDIS_URL": redis_url, "WORKER_ID": "2"})
        b.start()
        return a, b


class MultiNodeCase(unittest.TestCase):
    def session(self, server, token):
        ws = WsClient(server.port)
        self.addCleanup(ws.drop)
        self.assertEqual(ws.recv()["op"], 10)
        ws.send({"op": 2, "d": {"token": token, "intents": INTENTS,
                                "properties": {"os": "linux", "browser": "t", "device": "t"}}})
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

    def test_snowflakes_of_the_two_nodes_carry_their_worker_ids(self):
        on_a = self.post(self.a, self.admin_a, "id on A")
        on_b = self.post(self.b, self.admin_b, "id on B")
        self.assertNotEqual(on_a["id"], on_b["id"])
        self.assertEqual((int(on_a["id"]) >> 17) & 0x1F, 1)
        self.assertEqual((int(on_b["id"]) >> 17) & 0x1F, 2)

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
            log = a.read_log()
            self.assertIn("redis subscriber lost its connection", log)
            self.assertIn("events are delivered on this node only", log)
        finally:
            self.stop_nodes(a, b)


if __name__ == "__main__":
    unittest.main()
