"""The WebSocket gateway through a real RFC 6455 client: HELLO, IDENTIFY → READY/GUILD_CREATE,
heartbeats, close codes, the seed's /ws?token= flow, event delivery, RESUME exactness and the
heartbeat timeout. Debian 12's python3-websockets (10.4) has no sync client, so the few lines of
client below speak the protocol over a plain socket.
"""
import base64
import json
import os
import socket
import struct
import threading
import time
import signal
import unittest
import zlib

from harness import Server, ServerTestCase


class Closed(Exception):
    def __init__(self, code):
        super().__init__(f"closed with {code}")
        self.code = code


class WsClient:
    """A minimal blocking WebSocket client: text frames, masking, close and ping handling."""

    def __init__(self, port, path="/?v=10&encoding=json", timeout=15):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                           "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        buf = b""
        while b"\r\n\r\n" not in buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("no upgrade response")
            buf += chunk
        head, self.buf = buf.split(b"\r\n\r\n", 1)
        self.status = int(head.split(b" ")[1])
        if self.status != 101:
            raise ConnectionError(head.decode())
        self.close_code = None

    def _exact(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise Closed(None)
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def send_frame(self, opcode, payload):
        n = len(payload)
        if n < 126:
            header = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
        elif n < 65536:
            header = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
        else:
            header = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def send(self, obj):
        self.send_frame(1, json.dumps(obj).encode())

    def identify(self, token, intents):
        """Reads HELLO and sends IDENTIFY with the properties Discord clients send."""
        hello = self.recv()
        assert hello["op"] == 10, hello
        self.send({"op": 2, "d": {"token": token, "intents": intents,
                                  "properties": {"os": "linux", "browser": "t", "device": "t"}}})

    def send_raw(self, text):
        self.send_frame(1, text if isinstance(text, bytes) else text.encode())

    def recv(self):
        """The next JSON payload; raises Closed(code) when the server closes."""
        message = b""
        while True:
            b0, b1 = self._exact(2)
            opcode, n = b0 & 0x0F, b1 & 0x7F
            if n == 126:
                n = struct.unpack("!H", self._exact(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", self._exact(8))[0]
            payload = self._exact(n)
            if opcode == 8:
                self.close_code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else None
                try:
                    self.send_frame(8, payload[:2])
                except OSError:
                    pass
                raise Closed(self.close_code)
            if opcode == 9:
                self.send_frame(10, payload)
                continue
            if opcode == 10:
                continue
            message += payload
            if b0 & 0x80:
                if opcode == 2 or (opcode == 0 and self.binary):
                    self.binary = True
                    return self.on_binary(message)
                return json.loads(message)

    binary = False

    per_message = False  # IDENTIFY's compress: every binary message is a whole zlib stream

    def on_binary(self, data):
        if self.per_message:
            return json.loads(zlib.decompress(data))
        if not hasattr(self, "inflater"):
            self.inflater = zlib.decompressobj()
        if not data.endswith(b"\x00\x00\xff\xff"):
            raise AssertionError("zlib-stream message without the Z_SYNC_FLUSH suffix")
        return json.loads(self.inflater.decompress(data))

    def expect_close(self):
        """Reads until the server's close frame; returns its code."""
        try:
            while True:
                self.recv()
        except Closed as c:
            return c.code

    def close(self, code=1000):
        """A clean close: our close frame, then the server's echo, then the socket. (Closing a
        socket with unread data makes the kernel send RST, which can swallow our close frame.)"""
        try:
            self.send_frame(8, struct.pack("!H", code))
            self.expect_close()
        except OSError:
            pass
        self.sock.close()

    def drop(self):
        """Leaves without a close frame, as a network failure would."""
        self.sock.close()


def login(server, username, password):
    r = server.request("POST", "/api/v1/auth/login", {"username": username, "password": password})
    assert r.status == 200, r
    token = r.json()["access_token"]
    me = server.request("GET", "/api/v10/users/@me", token=token).json()
    return token, me["id"]


class GatewaySuite:
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        seeded = cls.server.run_command("seed")
        assert seeded.returncode == 0, seeded.stderr
        cls.admin, cls.admin_id = login(cls.server, "admin", "Admin@12345")
        cls.user1, cls.user1_id = login(cls.server, "testuser1", "TestUser1@123")

    def connect(self, path="/?v=10&encoding=json"):
        ws = WsClient(self.server.port, path)
        self.addCleanup(ws.drop)
        return ws

    def hello(self, ws):
        hello = ws.recv()
        self.assertEqual(hello["op"], 10)
        return hello

    def identify(self, token=None, intents=(1 << 17) - 1, path="/?v=10&encoding=json",
                 compress=None):
        ws = self.connect(path)
        self.hello(ws)
        d = {"token": token or self.user1, "properties": {"os": "linux", "browser": "t",
                                                           "device": "t"}}
        if intents is not None:
            d["intents"] = intents
        if compress is not None:
            d["compress"] = compress
            ws.per_message = compress and "zlib-stream" not in path
        ws.send({"op": 2, "d": d})
        ready = ws.recv()
        self.assertEqual(ready["t"], "READY", ready)
        guilds = [ws.recv() for _ in ready["d"]["guilds"]]
        return ws, ready, guilds

    def post_message(self, content, token=None, channel=1):
        r = self.req("POST", f"/api/v10/channels/{channel}/messages", {"content": content},
                     token=token or self.admin)
        self.assertIn(r.status, (200, 201), r)
        return r.json()

    def next_dispatch(self, ws, t):
        while True:
            m = ws.recv()
            if m["op"] == 0 and m["t"] == t:
                return m

    def metric(self, name):
        r = self.req("GET", "/metrics")
        self.assertStatus(r, 200)
        for line in r.body.decode().splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
        self.fail(f"{name} is not in /metrics")

    def test_metrics_show_open_connections_and_the_viewer_cache(self):
        ws, _, _ = self.identify()
        self.assertGreaterEqual(self.metric("gateway_connections"), 1)
        loads = self.metric("viewer_cache_loads_total")
        self.post_message("counted")  # its recipients come from the viewer cache
        self.next_dispatch(ws, "MESSAGE_CREATE")
        self.assertGreaterEqual(self.metric("viewer_cache_guilds"), 1)
        self.assertGreaterEqual(self.metric("viewer_cache_members"), 2)
        self.assertGreaterEqual(self.metric("viewer_cache_loads_total"), max(loads, 1))

    # -- session lifecycle ---------------------------------------------------------------
    def test_hello_has_the_heartbeat_interval_and_heartbeats_are_acked(self):
        ws = self.connect()
        hello = self.hello(ws)
        self.assertEqual(hello["d"]["heartbeat_interval"], 41250)
        self.assertIsNone(hello["s"])
        ws.send({"op": 1, "d": None})
        self.assertEqual(ws.recv()["op"], 11)

    def test_identify_gives_ready_then_one_guild_create_per_guild(self):
        ws, ready, guilds = self.identify()
        self.assertEqual(ready["op"], 0)
        self.assertEqual(ready["s"], 1)
        d = ready["d"]
        self.assertEqual(d["v"], 10)
        self.assertEqual(d["user"]["id"], self.user1_id)
        self.assertEqual(d["user"]["username"], "testuser1")
        self.assertIn({"id": "1", "unavailable": True}, d["guilds"])
        self.assertTrue(d["session_id"])
        self.assertTrue(d["resume_gateway_url"].startswith("ws://"))
        self.assertIn("id", d["application"])
        self.assertEqual(d["private_channels"], [])
        guild = next(g for g in guilds if g["d"]["id"] == "1")
        self.assertEqual(guild["t"], "GUILD_CREATE")
        self.assertEqual([g["s"] for g in guilds], list(range(2, 2 + len(guilds))))
        gd = guild["d"]
        self.assertFalse(gd["unavailable"])
        self.assertIn("general", [c["name"] for c in gd["channels"]])
        self.assertIn("1", [r["id"] for r in gd["roles"]])
        self.assertGreaterEqual(gd["member_count"], 3)
        self.assertIn(self.user1_id, [m["user"]["id"] for m in gd["members"]])
        for key in ("joined_at", "large", "presences", "voice_states", "threads"):
            self.assertIn(key, gd)

    def test_a_shard_gets_only_its_guilds(self):
        ws = self.connect()
        self.hello(ws)
        # Guild 1: (1 >> 22) % 2 == 0, so shard 1 of 2 has no guilds and shard 0 has it.
        ws.send({"op": 2, "d": {"token": self.user1, "intents": 513, "shard": [1, 2]}})
        ready = ws.recv()
        self.assertEqual(ready["d"]["shard"], [1, 2])
        self.assertNotIn("1", [g["id"] for g in ready["d"]["guilds"]])
        _, ready0, _ = self.identify()
        self.assertIn("1", [g["id"] for g in ready0["d"]["guilds"]])

    def test_ready_reports_the_version_the_client_asked_for(self):
        _, ready, _ = self.identify(path="/?v=9&encoding=json")
        self.assertEqual(ready["d"]["v"], 9)

    def test_seed_flow_token_in_url_and_identify_with_only_the_token(self):
        ws = self.connect("/ws?token=" + self.user1)
        self.hello(ws)
        ws.send({"op": 2, "d": {"token": self.user1}})
        ready = ws.recv()
        self.assertEqual(ready["t"], "READY")
        self.assertEqual(ready["s"], 1)
        ws2 = self.connect("/ws?token=" + self.user1)
        self.hello(ws2)
        ws2.send({"op": 2, "d": {}})
        self.assertEqual(ws2.recv()["t"], "READY")

    # -- delivery ------------------------------------------------------------------------
    def test_message_posted_after_ready_arrives_with_the_next_seq(self):
        ws, ready, guilds = self.identify()
        last = guilds[-1]["s"] if guilds else ready["s"]
        sent = self.post_message("hello gateway")
        m = self.next_dispatch(ws, "MESSAGE_CREATE")
        self.assertEqual(m["d"]["id"], sent["id"])
        self.assertEqual(m["d"]["content"], "hello gateway")
        self.assertEqual(m["s"], last + 1)

    def test_bot_token_identifies_and_message_content_needs_the_intent(self):
        app = self.req("POST", "/api/v10/applications", {"name": "Gateway Bot"},
                       token=self.admin).json()
        bot_token = app["bot"]["token"]
        invite = self.req("POST", "/api/v10/channels/1/invites", {}, token=self.admin).json()
        joined = self.req("POST", f"/api/v10/invites/{invite['code']}",
                          headers={"Authorization": "Bot " + bot_token})
        self.assertEqual(joined.status, 200, joined)
        guilds_bit, messages_bit, content_bit = 1 << 0, 1 << 9, 1 << 15
        # discord.js sends the raw token in IDENTIFY; no MESSAGE_CONTENT intent first.
        ws, ready, _ = self.identify(token=bot_token, intents=guilds_bit | messages_bit)
        self.assertTrue(ready["d"]["user"]["bot"])
        self.assertEqual(ready["d"]["user"]["id"], app["bot"]["id"])
        self.assertEqual(ready["d"]["application"]["id"], app["id"])
        self.post_message("secret words")
        m = self.next_dispatch(ws, "MESSAGE_CREATE")
        self.assertEqual(m["d"]["content"], "")
        with_content, _, _ = self.identify(token=bot_token,
                                           intents=guilds_bit | messages_bit | content_bit)
        self.post_message("visible words")
        m = self.next_dispatch(with_content, "MESSAGE_CREATE")
        self.assertEqual(m["d"]["content"], "visible words")

    def test_events_of_a_channel_one_cannot_view_are_not_delivered(self):
        user2, user2_id = login(self.server, "testuser2", "TestUser2@123")
        r = self.req("PUT", f"/api/v10/channels/2/permissions/{user2_id}",
                     {"type": 1, "allow": "0", "deny": str(1 << 10)}, token=self.admin)
        self.assertIn(r.status, (200, 204), r)
        ws, _, guilds = self.identify(token=user2)
        guild = next(g for g in guilds if g["d"]["id"] == "1")
        self.assertNotIn("2", [c["id"] for c in guild["d"]["channels"]])
        self.assertIn("1", [c["id"] for c in guild["d"]["channels"]])
        self.post_message("hidden", channel=2)
        visible = self.post_message("visible", channel=1)
        m = self.next_dispatch(ws, "MESSAGE_CREATE")
        self.assertEqual(m["d"]["id"], visible["id"])

    def test_concurrent_events_reach_every_session_once_in_the_same_order(self):
        sessions = [self.identify(token=t)[0] for t in (self.user1, self.admin, self.user1)]
        errors = []

        def post(k):
            for i in range(10):
                r = self.req("POST", "/api/v10/channels/1/messages", {"content": f"c{k}-{i}"},
                             token=self.admin)
                if r.status != 200:
                    errors.append(r)

        threads = [threading.Thread(target=post, args=(k,)) for k in range(3)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        self.assertEqual(errors, [])
        orders = []
        for ws in sessions:
            # Every dispatch from the first message on, until the 30th: no sequence number is
            # skipped or repeated. Another event (a presence from the identifies above) may come
            # between the messages; it is counted, not taken for a lost one.
            first = self.next_dispatch(ws, "MESSAGE_CREATE")
            frames, got = [first], [first]
            while len(got) < 30:
                m = ws.recv()
                if m["op"] != 0:
                    continue
                frames.append(m)
                if m["t"] == "MESSAGE_CREATE":
                    got.append(m)
            seqs = [m["s"] for m in frames]
            self.assertEqual(seqs, list(range(seqs[0], seqs[0] + len(frames))))
            orders.append([m["d"]["id"] for m in got])
        self.assertEqual(len(set(orders[0])), 30)
        self.assertEqual(orders[0], orders[1])
        self.assertEqual(orders[0], orders[2])

    def test_seed_message_create_over_the_gateway(self):
        ws, _, _ = self.identify()
        ws.send({"op": 0, "t": "MESSAGE_CREATE",
                 "d": {"channel_id": "1", "content": "via ws", "nonce": "n1"}})
        m = self.next_dispatch(ws, "MESSAGE_CREATE")
        self.assertEqual(m["d"]["content"], "via ws")
        self.assertEqual(m["d"]["author"]["id"], self.user1_id)

    def test_seed_message_create_errors_come_back_without_closing(self):
        ws, _, _ = self.identify()
        ws.send({"op": 0, "t": "MESSAGE_CREATE",
                 "d": {"channel_id": "999999", "content": "nowhere", "nonce": "n2"}})
        err = self.next_dispatch(ws, "MESSAGE_CREATE_FAILED")
        self.assertEqual(err["d"]["status"], 404)
        self.assertEqual(err["d"]["nonce"], "n2")
        self.assertEqual(err["d"]["error"]["code"], 10003)
        ws.send({"op": 1, "d": None})
        self.assertEqual(ws.recv()["op"], 11)

    # -- resume --------------------------------------------------------------------------
    def test_resume_after_a_drop_replays_exactly_the_missed_events_then_resumed(self):
        ws, ready, guilds = self.identify()
        session_id = ready["d"]["session_id"]
        self.post_message("before drop")
        seen = self.next_dispatch(ws, "MESSAGE_CREATE")
        ws.drop()
        sent = [self.post_message(f"missed {i}")["id"] for i in range(20)]
        ws2 = self.connect()
        self.hello(ws2)
        ws2.send({"op": 6, "d": {"token": self.user1, "session_id": session_id,
                                  "seq": seen["s"]}})
        replayed = []
        while True:
            m = ws2.recv()
            if m["t"] == "RESUMED":
                break
            replayed.append(m)
        self.assertEqual([m["d"]["id"] for m in replayed], sent)
        self.assertEqual([m["s"] for m in replayed],
                         list(range(seen["s"] + 1, seen["s"] + 1 + len(sent))))
        self.post_message("after resume")
        after = self.next_dispatch(ws2, "MESSAGE_CREATE")
        self.assertEqual(after["s"], replayed[-1]["s"] + 2)  # RESUMED took one seq

    def test_resume_of_an_unknown_session_is_invalid_session_false(self):
        ws = self.connect()
        self.hello(ws)
        ws.send({"op": 6, "d": {"token": self.user1, "session_id": "nope", "seq": 1}})
        m = ws.recv()
        self.assertEqual(m["op"], 9)
        self.assertIs(m["d"], False)

    def test_resume_with_a_seq_never_sent_is_refused(self):
        ws, ready, _ = self.identify()
        ws.drop()
        ws2 = self.connect()
        self.hello(ws2)
        ws2.send({"op": 6, "d": {"token": self.user1, "session_id": ready["d"]["session_id"],
                                  "seq": 10_000}})
        m = ws2.recv()
        self.assertEqual(m["op"], 9)
        self.assertIs(m["d"], False)
        self.assertEqual(ws2.expect_close(), 4007)

    def test_a_session_closed_with_1000_cannot_be_resumed(self):
        ws, ready, _ = self.identify()
        ws.close(1000)
        ws2 = self.connect()
        self.hello(ws2)
        # The server may still be processing the close: resume until it has.
        ws2.send({"op": 6, "d": {"token": self.user1, "session_id": ready["d"]["session_id"],
                                  "seq": 1}})
        m = ws2.recv()
        while m["op"] == 0:  # resumed before the close landed: leave normally and retry
            ws2.close(1000)
            ws2 = self.connect()
            self.hello(ws2)
            ws2.send({"op": 6, "d": {"token": self.user1,
                                      "session_id": ready["d"]["session_id"], "seq": 1}})
            m = ws2.recv()
        self.assertEqual(m["op"], 9)

    def test_resume_after_a_burst_of_1000_events_loses_and_repeats_nothing(self):
        ws, ready, _ = self.identify(token=self.admin)
        self.post_message("before the burst", token=self.user1)
        seen = self.next_dispatch(ws, "MESSAGE_CREATE")
        ws.drop()
        sent = [self.post_message(f"burst {i}", token=self.user1)["id"] for i in range(1000)]
        ws2 = self.connect()
        self.hello(ws2)
        ws2.send({"op": 6, "d": {"token": self.admin, "session_id": ready["d"]["session_id"],
                                  "seq": seen["s"]}})
        replayed = []
        while True:
            m = ws2.recv()
            if m["t"] == "RESUMED":
                break
            replayed.append(m)
        self.assertEqual([m["d"]["id"] for m in replayed if m["t"] == "MESSAGE_CREATE"], sent)
        self.assertEqual([m["s"] for m in replayed],
                         list(range(seen["s"] + 1, seen["s"] + 1 + len(replayed))))

    # -- members, compression, shutdown --------------------------------------------------
    def test_request_guild_members_answers_with_chunks(self):
        ws, _, _ = self.identify()
        ws.send({"op": 8, "d": {"guild_id": "1", "query": "", "limit": 0, "nonce": "all"}})
        chunk = self.next_dispatch(ws, "GUILD_MEMBERS_CHUNK")
        self.assertEqual(chunk["d"]["guild_id"], "1")
        self.assertEqual(chunk["d"]["nonce"], "all")
        self.assertEqual((chunk["d"]["chunk_index"], chunk["d"]["chunk_count"]), (0, 1))
        names = {m["user"]["username"] for m in chunk["d"]["members"]}
        self.assertTrue({"admin", "testuser1", "testuser2"} <= names)
        ws.send({"op": 8, "d": {"guild_id": "1", "query": "testu", "limit": 10}})
        chunk = self.next_dispatch(ws, "GUILD_MEMBERS_CHUNK")
        self.assertEqual({m["user"]["username"] for m in chunk["d"]["members"]},
                         {"testuser1", "testuser2"})
        ws.send({"op": 8, "d": {"guild_id": "1", "user_ids": [self.admin_id, "12345"]}})
        chunk = self.next_dispatch(ws, "GUILD_MEMBERS_CHUNK")
        self.assertEqual([m["user"]["id"] for m in chunk["d"]["members"]], [self.admin_id])
        self.assertEqual(chunk["d"]["not_found"], ["12345"])

    def test_members_of_a_guild_one_is_not_in_are_not_revealed(self):
        ws, _, _ = self.identify()
        ws.send({"op": 8, "d": {"guild_id": "424242", "query": "", "limit": 0}})
        chunk = self.next_dispatch(ws, "GUILD_MEMBERS_CHUNK")
        self.assertEqual(chunk["d"]["members"], [])

    def test_zlib_stream_compresses_every_message_in_one_context(self):
        ws, ready, guilds = self.identify(path="/?v=10&encoding=json&compress=zlib-stream")
        self.assertTrue(ws.binary)
        self.assertEqual(ready["s"], 1)
        ws.send({"op": 1, "d": 1})
        self.assertEqual(ws.recv()["op"], 11)

    def test_identify_compress_deflates_each_message_on_its_own(self):
        ws, ready, guilds = self.identify(compress=True)
        self.assertTrue(ws.binary)
        self.assertEqual(ready["s"], 1)
        self.assertEqual([g["t"] for g in guilds], ["GUILD_CREATE"] * len(guilds))
        sent = self.post_message("compressed hello")
        got = self.next_dispatch(ws, "MESSAGE_CREATE")
        self.assertEqual(got["d"]["id"], sent["id"])
        self.assertEqual(got["d"]["content"], "compressed hello")

    def test_identify_compress_is_ignored_under_transport_compression(self):
        # Clients that send both get one zlib stream (each message with the sync-flush suffix,
        # which on_binary checks), not messages compressed twice.
        ws, ready, _ = self.identify(path="/?v=10&encoding=json&compress=zlib-stream",
                                     compress=True)
        self.assertTrue(ws.binary)
        self.assertEqual(ready["s"], 1)
        ws.send({"op": 1, "d": 1})
        self.assertEqual(ws.recv()["op"], 11)

    # -- close codes ---------------------------------------------------------------------
    def assertClosesWith(self, payload, code, path="/?v=10&encoding=json", identify_first=False):
        if identify_first:
            ws, _, _ = self.identify()
        else:
            ws = self.connect(path)
            self.hello(ws)
        if isinstance(payload, (bytes, str)):
            ws.send_raw(payload)
        else:
            ws.send(payload)
        self.assertEqual(ws.expect_close(), code)

    def test_unknown_opcode_is_4001(self):
        self.assertClosesWith({"op": 42, "d": None}, 4001)
        self.assertClosesWith({"op": 11, "d": None}, 4001)

    def test_decode_errors_are_4002(self):
        self.assertClosesWith("not json", 4002)
        self.assertClosesWith(json.dumps({"op": 1, "d": None, "pad": "x" * 5000}), 4002)

    def test_binary_frame_is_4002(self):
        ws = self.connect()
        self.hello(ws)
        ws.send_frame(2, b"\x83\x00")
        self.assertEqual(ws.expect_close(), 4002)

    def test_commands_before_identify_are_4003(self):
        self.assertClosesWith({"op": 3, "d": {"status": "online", "since": None,
                                              "activities": [], "afk": False}}, 4003)
        self.assertClosesWith({"op": 0, "t": "MESSAGE_CREATE",
                               "d": {"channel_id": "1", "content": "x"}}, 4003)

    def test_bad_token_is_4004(self):
        self.assertClosesWith({"op": 2, "d": {"token": "garbage", "intents": 513}}, 4004)

    def test_second_identify_is_4005(self):
        self.assertClosesWith({"op": 2, "d": {"token": self.user1, "intents": 513}}, 4005,
                              identify_first=True)

    def test_more_than_120_commands_a_minute_is_4008(self):
        ws = self.connect()
        self.hello(ws)
        for _ in range(121):
            ws.send({"op": 1, "d": None})
        self.assertEqual(ws.expect_close(), 4008)

    def test_unsupported_version_is_4012(self):
        ws = WsClient(self.server.port, "/?v=7&encoding=json")
        self.addCleanup(ws.drop)
        self.assertEqual(ws.expect_close(), 4012)

    def test_invalid_intents_are_4013(self):
        self.assertClosesWith({"op": 2, "d": {"token": self.user1, "intents": 1 << 40}}, 4013)

    def test_invalid_utf8_is_1007(self):
        self.assertClosesWith(b'{"op":1,"d":"\xff\xfe"}', 1007)


class SqliteGateway(GatewaySuite, ServerTestCase):
    BACKEND = "sqlite"


class PostgresGateway(GatewaySuite, ServerTestCase):
    BACKEND = "postgres"


class PresenceTest(ServerTestCase):
    """Its own server: no earlier test left sessions of these users behind."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        assert cls.server.run_command("seed").returncode == 0
        cls.admin, cls.admin_id = login(cls.server, "admin", "Admin@12345")

    connect = GatewaySuite.connect
    hello = GatewaySuite.hello
    identify = GatewaySuite.identify
    next_dispatch = GatewaySuite.next_dispatch

    def test_without_the_presences_intent_guild_create_lists_only_oneself(self):
        # Discord's rule: no GUILD_PRESENCES, so members are the user (and voice users) only.
        user1, user1_id = login(self.server, "testuser1", "TestUser1@123")
        watcher, _, _ = self.identify(token=user1)
        admin, _, _ = self.identify(token=self.admin)
        admin.send({"op": 3, "d": {"status": "dnd", "since": None, "afk": False,
                                   "activities": []}})
        while True:  # once user1 sees it, the admin is online as dnd for everyone
            m = self.next_dispatch(watcher, "PRESENCE_UPDATE")
            if (m["d"]["user"]["id"], m["d"]["status"]) == (self.admin_id, "dnd"):
                break
        _, _, guilds = self.identify(token=user1, intents=513)
        gd = next(g for g in guilds if g["d"]["id"] == "1")["d"]
        self.assertEqual([m["user"]["id"] for m in gd["members"]], [user1_id])
        self.assertEqual(gd["presences"], [])
        self.assertGreaterEqual(gd["member_count"], 3)
        _, _, guilds = self.identify(token=user1, intents=513 | (1 << 8))
        gd = next(g for g in guilds if g["d"]["id"] == "1")["d"]
        self.assertGreaterEqual(len(gd["members"]), 3)
        self.assertIn((self.admin_id, "dnd"),
                      [(p["user"]["id"], p["status"]) for p in gd["presences"]])

    def test_presence_updates_reach_guild_members_and_leaving_goes_offline(self):
        watcher, _, _ = self.identify(token=self.admin)
        user2, user2_id = login(self.server, "testuser2", "TestUser2@123")
        ws = self.connect()
        self.hello(ws)
        ws.send({"op": 2, "d": {"token": user2, "intents": 513,
                                "presence": {"status": "idle", "activities": [], "since": None,
                                             "afk": False}}})
        self.assertEqual(ws.recv()["t"], "READY")
        m = self.next_dispatch(watcher, "PRESENCE_UPDATE")
        self.assertEqual((m["d"]["user"]["id"], m["d"]["status"]), (user2_id, "idle"))
        self.assertEqual(m["d"]["guild_id"], "1")
        _, _, guilds = self.identify(token=self.admin)
        guild = next(g for g in guilds if g["d"]["id"] == "1")
        self.assertIn((user2_id, "idle"),
                      [(p["user"]["id"], p["status"]) for p in guild["d"]["presences"]])
        ws.send({"op": 3, "d": {"status": "dnd", "since": None, "afk": False,
                                "activities": [{"name": "chess", "type": 0}]}})
        m = self.next_dispatch(watcher, "PRESENCE_UPDATE")
        self.assertEqual(m["d"]["status"], "dnd")
        self.assertEqual(m["d"]["activities"], [{"name": "chess", "type": 0}])
        # Online now: admin and testuser2 (dnd counts; only offline and invisible do not).
        self.assertEqual(self.presence_counts(), (2, 2))
        ws.close(1000)
        m = self.next_dispatch(watcher, "PRESENCE_UPDATE")
        self.assertEqual((m["d"]["user"]["id"], m["d"]["status"]), (user2_id, "offline"))
        self.assertEqual(self.presence_counts(), (1, 1))

    def presence_counts(self):
        """approximate_presence_count of guild 1 from GET /guilds/1 and GET /invites/{code}."""
        guild = self.req("GET", "/api/v10/guilds/1?with_counts=true", token=self.admin)
        self.assertEqual(guild.status, 200, guild)
        self.assertEqual(guild.json()["approximate_member_count"], 3)
        invite = self.req("POST", "/api/v10/channels/1/invites", {}, token=self.admin)
        self.assertIn(invite.status, (200, 201), invite)
        seen = self.req("GET", f"/api/v10/invites/{invite.json()['code']}?with_counts=true")
        self.assertEqual(seen.status, 200, seen)
        return (guild.json()["approximate_presence_count"],
                seen.json()["approximate_presence_count"])


    def test_voice_state_updates_reach_the_guild_and_show_in_guild_create(self):
        watcher, _, _ = self.identify(token=self.admin)
        user1, user1_id = login(self.server, "testuser1", "TestUser1@123")
        ws, _, _ = self.identify(token=user1)
        # A text channel is not joinable: ignored, no event.
        ws.send({"op": 4, "d": {"guild_id": "1", "channel_id": "1", "self_mute": False,
                                "self_deaf": False}})
        ws.send({"op": 4, "d": {"guild_id": "1", "channel_id": "4", "self_mute": True,
                                "self_deaf": False}})
        m = self.next_dispatch(watcher, "VOICE_STATE_UPDATE")
        self.assertEqual((m["d"]["user_id"], m["d"]["channel_id"], m["d"]["self_mute"]),
                         (user1_id, "4", True))
        _, _, guilds = self.identify(token=self.admin)
        guild = next(g for g in guilds if g["d"]["id"] == "1")
        self.assertEqual([(v["user_id"], v["channel_id"]) for v in guild["d"]["voice_states"]],
                         [(user1_id, "4")])
        ws.send({"op": 4, "d": {"guild_id": "1", "channel_id": None, "self_mute": False,
                                "self_deaf": False}})
        m = self.next_dispatch(watcher, "VOICE_STATE_UPDATE")
        self.assertEqual((m["d"]["user_id"], m["d"]["channel_id"]), (user1_id, None))


class GracefulShutdown(unittest.TestCase):
    def test_shutdown_sends_reconnect_then_a_resumable_close(self):
        server = Server("sqlite").start()
        try:
            self.assertEqual(server.run_command("seed").returncode, 0)
            token, _ = login(server, "testuser1", "TestUser1@123")
            ws = WsClient(server.port)
            self.addCleanup(ws.drop)
            ws.recv()
            ws.send({"op": 2, "d": {"token": token, "intents": 513}})
            self.assertEqual(ws.recv()["t"], "READY")
            server.proc.send_signal(signal.SIGTERM)
            m = ws.recv()
            while m["op"] == 0:
                m = ws.recv()
            self.assertEqual(m["op"], 7)
            self.assertEqual(ws.expect_close(), 4000)
        finally:
            self.assertEqual(server.stop(), 0, server.read_log()[-3000:])


class HeartbeatTimeout(ServerTestCase):
    ENV = {"GATEWAY_HEARTBEAT_INTERVAL": "1000ms"}

    def test_missed_heartbeats_close_with_4009_and_the_session_resumes(self):
        seeded = self.server.run_command("seed")
        self.assertEqual(seeded.returncode, 0, seeded.stderr)
        token, _ = login(self.server, "testuser2", "TestUser2@123")
        ws = WsClient(self.server.port)
        self.addCleanup(ws.drop)
        self.assertEqual(ws.recv()["d"]["heartbeat_interval"], 1000)
        ws.send({"op": 2, "d": {"token": token, "intents": 513}})
        ready = ws.recv()
        last = ready["s"]
        for _ in ready["d"]["guilds"]:
            last = ws.recv()["s"]
        # No heartbeat is sent: after 1.5 intervals the server closes, resumably.
        self.assertEqual(ws.expect_close(), 4009)
        ws2 = WsClient(self.server.port)
        self.addCleanup(ws2.drop)
        ws2.recv()
        ws2.send({"op": 6, "d": {"token": token, "session_id": ready["d"]["session_id"],
                                  "seq": last}})
        self.assertEqual(ws2.recv()["t"], "RESUMED")



def established_server_sockets(port):
    """Server-side TCP connections on `port` in ESTABLISHED state, from /proc/net/tcp."""
    count = 0
    with open("/proc/net/tcp") as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            local_port = int(fields[1].split(":")[1], 16)
            if local_port == port and fields[3] == "01":
                count += 1
    return count


class StalledClient(ServerTestCase):
    ENV = {"GATEWAY_HEARTBEAT_INTERVAL": "1000ms", "FEATURE_RATE_LIMITING": "false"}

    def test_a_client_that_heartbeats_but_stops_reading_is_dropped(self):
        seeded = self.server.run_command("seed")
        self.assertEqual(seeded.returncode, 0, seeded.stderr)
        reader, _ = login(self.server, "testuser2", "TestUser2@123")
        poster, _ = login(self.server, "testuser1", "TestUser1@123")
        ws = WsClient(self.server.port)
        self.addCleanup(ws.drop)
        ws.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        ws.recv()
        ws.send({"op": 2, "d": {"token": reader, "intents": 513}})
        self.assertEqual(ws.recv()["t"], "READY")
        self.assertEqual(established_server_sockets(self.server.port), 1)
        # ~3 MB of messages the client never reads, while it keeps heartbeating: its socket fills
        # and the server's writer waits for it with the rest.
        for i in range(1500):
            if i % 500 == 0:
                ws.send({"op": 1, "d": None})
            r = self.server.request("POST", "/api/v10/channels/1/messages",
                                    body={"content": "x" * 1900}, token=poster)
            self.assertEqual(r.status, 200, r.body)
        # The socket takes nothing for 1.5 heartbeat intervals: the server drops the connection
        # (heartbeats alone do not keep it).
        # The client heartbeats once per interval, as it should (more often would trip the
        # gateway's command rate limit, which is not what this tests).
        deadline = time.monotonic() + 20
        while established_server_sockets(self.server.port) and time.monotonic() < deadline:
            ws.send({"op": 1, "d": None})
            threading.Event().wait(1.0)
        self.assertEqual(established_server_sockets(self.server.port), 0)

if __name__ == "__main__":
    unittest.main()
