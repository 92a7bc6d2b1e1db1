"""chat-loadgen against the real server: every scenario small and short (sessions, fanout, rest,
the seed's k6 profile at a tiny time scale), plus its safety rails (remote targets refused, caps,
per-scenario help). Correctness checks only, never timing thresholds: a run must finish, its JSON
must add up, and fanout must lose and duplicate nothing.
"""
import json
import os
import subprocess
import tempfile
import unittest
import uuid

from harness import Server

LOADGEN = os.environ.get("CHAT_LOADGEN_BIN",
                         os.path.join(os.path.dirname(__file__), "../../build/chat-loadgen"))


class LoadgenSuite:
    BACKEND = "sqlite"

    @classmethod
    def setUpClass(cls):
        cls.server = Server(cls.BACKEND, env={"FEATURE_RATE_LIMITING": "false"})
        seeded = cls.server.run_command("seed", "--load-test-users", "50")
        if seeded.returncode != 0:
            raise RuntimeError("seed failed: " + seeded.stdout + seeded.stderr)
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        if code != 0:
            raise AssertionError(f"chat-server exited with {code}:\n{cls.server.read_log()[-4000:]}")

    def loadgen(self, *args, timeout=180):
        cmd = [LOADGEN, *args, "--target", f"http://127.0.0.1:{self.server.port}", "--quiet"]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)

    def run_json(self, *args):
        proc = self.loadgen(*args, "--json")
        self.assertTrue(proc.stdout.strip(), f"no output; stderr: {proc.stderr}")
        return proc, json.loads(proc.stdout)

    def test_sessions_open_hold_and_close_fifty_sessions(self):
        proc, out = self.run_json("sessions", "--sessions", "50", "--duration", "2",
                                  "--server-pid", str(self.server.proc.pid))
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertEqual(out["result"], "PASS")
        m = out["metrics"]
        self.assertEqual(m["sessions_ready"], 50)
        self.assertEqual(m["sessions_failed"], 0)
        self.assertEqual(m["sessions_dropped"], 0)
        lat = out["latency_ms"]["connect_to_ready"]
        self.assertEqual(lat["count"], 50)
        self.assertGreater(lat["p50"], 0)
        self.assertLessEqual(lat["p50"], lat["p99"])
        self.assertLessEqual(lat["p99"], lat["max"])
        self.assertIn("server_rss_per_session_kib", m)
        self.assertGreater(m["server_rss_after_kib"], 0)

    def test_fanout_delivers_every_message_to_every_member_exactly_once(self):
        proc, out = self.run_json("fanout", "--members", "20", "--senders", "2", "--rate", "20",
                                  "--duration", "3", "--drain", "10")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        m = out["metrics"]
        self.assertEqual(m["messages_sent"], 60)
        self.assertEqual(m["send_errors"], 0)
        self.assertEqual(m["lost"], 0)
        self.assertEqual(m["duplicated"], 0)
        self.assertEqual(m["deliveries"], 60 * 20)
        self.assertEqual(out["latency_ms"]["delivery"]["count"], 60 * 20)
        self.assertGreater(m["deliveries_per_s"], 0)
        self.assertEqual(out["result"], "PASS")

    def test_fanout_with_receivers_on_two_threads_counts_every_delivery_once(self):
        proc, out = self.run_json("fanout", "--members", "20", "--senders", "1", "--rate", "20",
                                  "--duration", "2", "--drain", "10", "--threads", "2")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertEqual(out["config"]["threads"], 2)
        m = out["metrics"]
        self.assertEqual(m["messages_sent"], 40)
        self.assertEqual(m["send_errors"], 0)
        self.assertEqual(m["lost"], 0)
        self.assertEqual(m["duplicated"], 0)
        self.assertEqual(m["deliveries_expected"], 40 * 20)
        self.assertEqual(m["deliveries"], 40 * 20)
        self.assertEqual(out["latency_ms"]["delivery"]["count"], 40 * 20)
        self.assertEqual(out["latency_ms"]["connect_to_ready"]["count"], 20)
        self.assertEqual(out["result"], "PASS")

    def test_fanout_with_its_own_registered_users_and_guild(self):
        prefix = "lg" + uuid.uuid4().hex[:6] + "_"
        proc, out = self.run_json("fanout", "--create-users", "--create-guild", "--login",
                                  "discord", "--user-prefix", prefix, "--password",
                                  "Loadgen-pass-1", "--members", "3", "--senders", "1",
                                  "--rate", "5", "--duration", "1", "--drain", "10")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertNotEqual(out["config"]["channel_id"], "1")
        self.assertEqual(out["metrics"]["lost"], 0)
        self.assertEqual(out["metrics"]["deliveries"], 5 * 3)
        r = self.server.request("POST", "/api/v10/auth/login",
                                {"login": prefix + "2", "password": "Loadgen-pass-1"})
        self.assertEqual(r.status, 200, r)

    def test_rest_posts_and_reads_history_without_errors(self):
        proc, out = self.run_json("rest", "--concurrency", "4", "--duration", "2")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        m = out["metrics"]
        self.assertGreater(m["posts"], 0)
        self.assertGreater(m["history_gets"], 0)
        self.assertEqual(m["posts"] + m["history_gets"], m["requests"])
        self.assertEqual(m["non_2xx"], 0)
        self.assertEqual(m["transport_errors"], 0)
        self.assertEqual(out["latency_ms"]["all"]["count"], m["requests"])

    def test_rest_fills_a_new_channel_to_a_full_page_before_measuring(self):
        proc, out = self.run_json("rest", "--concurrency", "2", "--duration", "1",
                                  "--history-percent", "100", "--create-guild")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        m = out["metrics"]
        self.assertEqual(m["prefilled_messages"], 50)  # a new guild's channel starts empty
        self.assertEqual(m["posts"], 0)  # the filling is not measured
        self.assertGreater(m["history_gets"], 0)
        # A POST-only run has no page to fill.
        proc, out = self.run_json("rest", "--concurrency", "2", "--duration", "1",
                                  "--history-percent", "0")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertNotIn("prefilled_messages", out["metrics"])

    def test_seed_profile_at_a_tiny_time_scale(self):
        proc, out = self.run_json("seed", "--vus", "5", "--time-scale", "0.01")
        m = out["metrics"]
        self.assertGreater(m["iterations"], 0)
        self.assertEqual(m["errors"], 0, out["notes"])
        self.assertEqual(m["http_req_failed"], 0)
        self.assertEqual(m["messages_echoed"], m["messages_sent"])
        self.assertEqual(out["latency_ms"]["message_latency"]["count"], m["messages_sent"])
        # Every close handshake the VUs started was finished by the server.
        self.assertEqual(m["closes_unfinished"], 0)
        self.assertEqual(out["latency_ms"]["close_latency"]["count"], m["iterations"])
        self.assertEqual(m["vus_peak"], 5)
        checks = {c["name"]: c for c in out["checks"]}
        self.assertEqual(set(checks), {"http_req_duration", "errors", "message_latency"})
        self.assertTrue(checks["errors"]["pass"])
        # Timing thresholds decide the exit code but are not asserted here.
        self.assertEqual(proc.returncode, 0 if out["result"] == "PASS" else 1)

    def test_tokens_file_replaces_the_login(self):
        tokens = []
        for i in (1, 2):
            r = self.server.request("POST", "/api/v1/auth/login",
                                    form={"username": f"user_{i}", "password": "password123"})
            self.assertEqual(r.status, 200, r)
            tokens.append(r.json()["access_token"])
        with tempfile.NamedTemporaryFile("w", suffix=".tokens", delete=False) as f:
            f.write("\n".join(tokens) + "\n")
        self.addCleanup(os.unlink, f.name)
        proc, out = self.run_json("sessions", "--tokens-file", f.name, "--sessions", "4",
                                  "--users", "2", "--duration", "0.2")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertEqual(out["metrics"]["sessions_ready"], 4)

    def test_a_failed_login_is_a_fail_not_a_hang(self):
        proc, out = self.run_json("rest", "--concurrency", "2", "--duration", "1",
                                  "--password", "wrong-password")
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(out["result"], "FAIL")
        self.assertTrue(any("login" in n for n in out["notes"]), out["notes"])

    def test_remote_targets_and_oversized_runs_are_refused(self):
        proc = subprocess.run([LOADGEN, "rest", "--target", "http://192.0.2.1:80"],
                              capture_output=True, text=True, timeout=30)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("--allow-remote", proc.stderr)
        proc = self.loadgen("sessions", "--sessions", "1000000")
        self.assertEqual(proc.returncode, 2)
        self.assertIn("--max-connections", proc.stderr)

    def test_each_scenario_has_help(self):
        for scenario in ("sessions", "fanout", "rest", "seed"):
            proc = subprocess.run([LOADGEN, scenario, "--help"], capture_output=True, text=True,
                                  timeout=30)
            self.assertEqual(proc.returncode, 0)
            self.assertIn(f"chat-loadgen {scenario}", proc.stdout)
            self.assertIn("example:", proc.stdout)


class SqliteLoadgen(LoadgenSuite, unittest.TestCase):
    BACKEND = "sqlite"


class PostgresLoadgen(LoadgenSuite, unittest.TestCase):
    BACKEND = "postgres"


if __name__ == "__main__":
    unittest.main()
