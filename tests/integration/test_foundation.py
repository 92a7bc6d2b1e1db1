"""Foundation behaviour of the real binary: health, errors, limits, timeouts, config, shutdown."""
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from harness import BIN, Server, ServerTestCase


class HttpBasics(ServerTestCase):
    ENV = {"HTTP_HEADER_TIMEOUT": "1s", "MAX_BODY_BYTES": "4096"}

    def test_health_answers_json(self):
        r = self.req("GET", "/health")
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["status"], "ok")
        self.assertEqual(r.headers["content-type"], "application/json")

    def test_ready_reports_database(self):
        r = self.req("GET", "/ready")
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["status"], "ready")

    def test_unknown_route_is_404_json_on_every_api_base(self):
        for base in ("", "/api", "/api/v9", "/api/v10", "/api/v1"):
            r = self.req("GET", base + "/no/such/route")
            self.assertStatus(r, 404)
            self.assertEqual(r.json(), {"code": 0, "message": "404: Not Found"})

    def test_wrong_method_is_405(self):
        r = self.req("DELETE", "/health")
        self.assertStatus(r, 405)
        self.assertIn("message", r.json())

    def test_body_over_limit_is_413(self):
        r = self.req("POST", "/health", body=b"x" * 5000,
                     headers={"Content-Type": "application/json"})
        self.assertStatus(r, 413)
        self.assertEqual(r.json()["code"], 40005)

    def test_malformed_http_is_400(self):
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=5) as s:
            s.sendall(b"THIS IS NOT HTTP\r\n\r\n")
            data = s.recv(4096)
        self.assertTrue(data.startswith(b"HTTP/1.1 400"), data)

    def test_keep_alive_serves_several_requests_on_one_connection(self):
        conn = self.server.connection()
        for _ in range(3):
            conn.request("GET", "/health")
            resp = conn.getresponse()
            resp.read()
            self.assertEqual(resp.status, 200)
        conn.close()

    def test_slow_loris_is_dropped_after_header_timeout(self):
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as s:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # never finishes the header
            started = time.monotonic()
            data = s.recv(4096)  # blocks until the server closes the connection
            elapsed = time.monotonic() - started
        self.assertEqual(data, b"")
        self.assertLess(elapsed, 5)

    def test_metrics_count_requests_by_route_template(self):
        self.req("GET", "/health")
        r = self.req("GET", "/metrics")
        self.assertStatus(r, 200)
        text = r.body.decode()
        self.assertIn('http_requests_total{method="GET",route="/health",status="200"}', text)
        self.assertIn("http_request_duration_seconds_bucket", text)
        self.assertIn("process_resident_memory_bytes", text)
        self.assertIn("process_open_fds", text)
        self.assertIn("http_open_connections", text)
        self.assertIn('chat_build_info{version=', text)

    def test_log_lines_are_json_with_required_fields(self):
        lines = [l for l in self.server.read_log().splitlines() if l.startswith("{")]
        self.assertTrue(lines)
        for line in lines:
            entry = json.loads(line)
            for key in ("time", "level", "msg", "target"):
                self.assertIn(key, entry)


class MetricsDisabled(ServerTestCase):
    ENV = {"FEATURE_METRICS": "false"}

    def test_metrics_route_is_absent(self):
        self.assertStatus(self.req("GET", "/metrics"), 404)


class Lifecycle(unittest.TestCase):
    def run_bin(self, args=(), env=None, timeout=10):
        e = {"PATH": os.environ.get("PATH", ""), "DATA_DIR": tempfile.mkdtemp()}
        e.update(env or {})
        return subprocess.run([BIN, *args], env=e, capture_output=True, text=True,
                              timeout=timeout, cwd=e["DATA_DIR"])

    def test_bad_port_exits_2_naming_the_variable(self):
        r = self.run_bin(env={"PORT": "abc"})
        self.assertEqual(r.returncode, 2)
        self.assertIn("PORT", r.stderr)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1)

    def test_bad_duration_and_bool_exit_2(self):
        self.assertEqual(self.run_bin(env={"JWT_ACCESS_EXPIRY": "soon"}).returncode, 2)
        self.assertEqual(self.run_bin(env={"FEATURE_METRICS": "maybe"}).returncode, 2)
        self.assertEqual(self.run_bin(args=["--port", "0"]).returncode, 2)

    def test_help_lists_every_seed_setting(self):
        r = self.run_bin(args=["--help"])
        self.assertEqual(r.returncode, 0)
        for name in ("HOST", "PORT", "DATABASE_URL", "DATABASE_MAX_CONNECTIONS",
                     "DATABASE_MIN_CONNECTIONS", "REDIS_URL", "REDIS_POOL_SIZE", "JWT_SECRET",
                     "JWT_ACCESS_EXPIRY", "JWT_REFRESH_EXPIRY", "FEATURE_RATE_LIMITING",
                     "FEATURE_AUDIT_LOGGING", "FEATURE_METRICS", "SMTP_HOST", "SMTP_PORT",
                     "SMTP_FROM", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_SERVICE_NAME", "DATA_DIR",
                     "WORKER_ID"):
            self.assertIn(name, r.stdout)

    def test_production_refuses_to_start_without_secret(self):
        r = self.run_bin(env={"CHAT_ENV": "production"})
        self.assertEqual(r.returncode, 2)
        self.assertIn("JWT_SECRET", r.stderr)

    def test_env_file_is_read(self):
        d = tempfile.mkdtemp()
        with open(os.path.join(d, "custom.env"), "w") as f:
            f.write("PORT=notaport\n")
        r = self.run_bin(args=["--env-file", os.path.join(d, "custom.env")])
        self.assertEqual(r.returncode, 2)
        self.assertIn("PORT", r.stderr)

    def test_seed_env_development_is_accepted_unchanged(self):
        env_file = os.path.join(os.path.dirname(__file__), "../../.env.development")
        # Its DATABASE_URL points at a PostgreSQL that is not running here: the settings must
        # load (no exit 2), then the database is unreachable (exit 1).
        r = self.run_bin(args=["migrate", "status", "--env-file", os.path.abspath(env_file)],
                         env={"DATABASE_URL": "postgres://chat_user:pw@127.0.0.1:1/chat_db"})
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertNotIn("invalid", r.stderr)

    def test_generated_jwt_secret_is_kept_across_restarts(self):
        s = Server().start()
        self.assertEqual(s.stop(), 0)
        path = os.path.join(s.data_dir, "jwt_secret")
        first = open(path).read()
        self.assertGreaterEqual(len(first.strip()), 32)
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)
        s2 = Server(data_dir=s.data_dir).start()
        self.assertEqual(s2.stop(), 0)
        self.assertEqual(open(path).read(), first)

    def test_sigterm_exits_zero_and_closes_idle_connections(self):
        s = Server().start()
        conn = socket.create_connection(("127.0.0.1", s.port), timeout=10)
        conn.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        self.assertIn(b"200 OK", conn.recv(4096))
        started = time.monotonic()
        self.assertEqual(s.stop(signal.SIGTERM), 0)
        self.assertLess(time.monotonic() - started, 5)
        self.assertEqual(conn.recv(4096), b"")  # the idle keep-alive connection was closed
        conn.close()
        self.assertIn('"msg":"stopped"', s.read_log())


if __name__ == "__main__":
    unittest.main()
