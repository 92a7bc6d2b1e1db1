"""Storage through the real binary: seed data, load-test accounts, migrations and, on
PostgreSQL, an outage while the server runs. Both databases."""
import os
import subprocess
import tempfile
import time
import unittest
from urllib.parse import urlparse

from harness import Server

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))


class StorageSuite:
    BACKEND = "sqlite"

    def test_seed_then_form_login_as_load_test_user(self):
        s = Server(self.BACKEND)
        r = s.run_command("seed", "--load-test-users", "5")
        self.assertEqual(r.returncode, 0, r.stderr + r.stdout)
        again = s.run_command("seed", "--load-test-users", "5")  # idempotent
        self.assertEqual(again.returncode, 0, again.stderr + again.stdout)
        s.start()
        try:
            r = s.request("POST", "/api/v1/auth/login",
                          form={"username": "user_3", "password": "password123"})
            self.assertEqual(r.status, 200, r)
            token = r.json()["access_token"]
            self.assertEqual(s.request("GET", "/api/v10/users/@me", token=token).json()["username"],
                             "user_3")
            r = s.request("POST", "/api/v1/auth/login",
                          {"username": "admin", "password": "Admin@12345"})
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json()["user_id"], "1")
            for name, password in (("testuser1", "TestUser1@123"), ("testuser2", "TestUser2@123")):
                r = s.request("POST", "/api/v1/auth/login", {"username": name, "password": password})
                self.assertEqual(r.status, 200, r)
        finally:
            self.assertEqual(s.stop(), 0)

    def test_migrations_go_down_and_up_and_the_server_serves(self):
        s = Server(self.BACKEND)
        r = s.run_command("migrate", "up")
        self.assertEqual(r.returncode, 0, r.stderr)
        status = s.run_command("migrate", "status")
        self.assertIn("0001", status.stdout)
        self.assertIn("applied", status.stdout)
        r = s.run_command("migrate", "down", "--all")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("pending", s.run_command("migrate", "status").stdout)
        self.assertNotIn("applied", s.run_command("migrate", "status").stdout)
        self.assertEqual(s.run_command("migrate", "up").returncode, 0)
        self.assertEqual(s.run_command("migrate", "bogus").returncode, 2)
        self.assertEqual(s.run_command("migrate", "down", "x").returncode, 2)
        s.start()
        try:
            r = s.request("POST", "/api/v1/auth/register",
                          {"username": "afterdown", "email": "a@d.io", "password": "StrongP@ss123"})
            self.assertEqual(r.status, 201, r)
        finally:
            self.assertEqual(s.stop(), 0)


class SqliteStorage(StorageSuite, unittest.TestCase):
    BACKEND = "sqlite"

    def test_sqlite_file_is_in_data_dir(self):
        s = Server("sqlite").start()
        self.assertEqual(s.stop(), 0)
        self.assertTrue(os.path.exists(os.path.join(s.data_dir, "chat.db")))


class PostgresStorage(StorageSuite, unittest.TestCase):
    BACKEND = "postgres"


def as_postgres(command):
    return subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", command], capture_output=True,
                          text=True, timeout=60)


class PostgresOutage(unittest.TestCase):
    """Stops a dedicated PostgreSQL under a running server and starts it again."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="chat-outage-")
        os.chmod(self.dir, 0o755)
        r = subprocess.run(["bash", os.path.join(ROOT, "scripts/services.sh"), "start", self.dir],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        env = dict(line.split("=", 1) for line in open(os.path.join(self.dir, "env")).read().split())
        self.url = env["CHAT_TEST_DATABASE_URL"]
        self.pg_bin = env["CHAT_TEST_PG_BIN"]
        self.port = urlparse(self.url).port

    def tearDown(self):
        subprocess.run(["bash", os.path.join(ROOT, "scripts/services.sh"), "stop", self.dir],
                       capture_output=True, timeout=60)

    def pg(self, action):
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        r = as_postgres(f"{self.pg_bin}/pg_ctl -D {self.dir}/pg -o '{opts}' -l {self.dir}/pg.log "
                        f"-m fast -w {action}")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def test_requests_fail_fast_with_503_and_service_returns_by_itself(self):
        s = Server("postgres", database_url=self.url, env={"DB_TIMEOUT": "2s"}).start()
        try:
            r = s.request("POST", "/api/v1/auth/register",
                          {"username": "outage", "email": "o@x.io", "password": "StrongP@ss123"})
            self.assertEqual(r.status, 201, r)
            self.pg("stop")
            started = time.monotonic()
            ready = s.request("GET", "/ready")
            self.assertEqual(ready.status, 503, ready)
            self.assertEqual(ready.json()["status"], "not ready")
            r = s.request("POST", "/api/v1/auth/login", {"username": "outage", "password": "StrongP@ss123"})
            self.assertEqual(r.status, 503, r)
            self.assertIn("message", r.json())
            self.assertLess(time.monotonic() - started, 20)
            self.pg("start")
            deadline = time.monotonic() + 30
            while s.request("GET", "/ready").status != 200:
                self.assertLess(time.monotonic(), deadline, "service did not come back")
                time.sleep(0.1)  # polling for recovery, not timing it
            r = s.request("POST", "/api/v1/auth/login", {"username": "outage", "password": "StrongP@ss123"})
            self.assertEqual(r.status, 200, r)
        finally:
            self.assertEqual(s.stop(), 0)


if __name__ == "__main__":
    unittest.main()
