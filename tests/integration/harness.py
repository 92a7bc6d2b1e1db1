"""Starts the real chat-server binary on a free loopback port and talks HTTP to it.

Used by every integration test: no mocks, the binary as built, SQLite in a temporary DATA_DIR or a
fresh PostgreSQL database (created on the server that scripts/services.sh started).
"""
import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
import unittest
import uuid
from urllib.parse import urlencode

BIN = os.environ.get("CHAT_SERVER_BIN",
                     os.path.join(os.path.dirname(__file__), "../../build/chat-server"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def admin_database_url():
    url = os.environ.get("CHAT_TEST_DATABASE_URL")
    if not url:
        raise RuntimeError("CHAT_TEST_DATABASE_URL is not set: run the suite with `make test`")
    return url


def create_postgres_database():
    """A fresh, empty database on the test PostgreSQL; returns its URL."""
    admin = admin_database_url()
    name = "t_" + uuid.uuid4().hex[:16]
    # FILE_COPY: for a database this small, about half the time of the default WAL_LOG.
    subprocess.run(["psql", admin, "-v", "ON_ERROR_STOP=1", "-qc",
                    f"CREATE DATABASE {name} STRATEGY FILE_COPY"],
                   check=True, capture_output=True)
    return admin.rsplit("/", 1)[0] + "/" + name


class PortTaken(Exception):
    """The server could not listen: another process holds the port."""


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"<{self.status} {self.body[:300]!r}>"


class Server:
    def __init__(self, backend="sqlite", env=None, args=(), data_dir=None, database_url=None):
        self.backend = backend
        self.port = free_port()
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="chat-it-")
        self.extra_env = dict(env or {})
        self.args = list(args)
        self.database_url = database_url
        if backend == "postgres" and not database_url:
            self.database_url = create_postgres_database()
        self.proc = None
        self.log_path = os.path.join(self.data_dir, "server.log")

    def env(self):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("CHAT_") or k.startswith("CHAT_TEST")}
        env.pop("RUST_LOG", None)
        env.update({"HOST": "127.0.0.1", "PORT": str(self.port), "DATA_DIR": self.data_dir,
                    "LOG_FORMAT": "json", "CHAT_LOG": "info", "HTTP_THREADS": "2",
                    # Suites send bursts; test_rate_limits sets the limits it tests.
                    "RATE_LIMIT_GLOBAL": "1000000", "RATE_LIMIT_ROUTE": "1000000",
                    # Cheap argon2id: at the seed's cost (64 MiB, 3 passes) the suites' thousands
                    # of registrations and logins were half of the test run's CPU.
                    # test_auth checks the default cost.
                    "PASSWORD_HASH_MEMORY_KIB": "1024", "PASSWORD_HASH_ITERATIONS": "1",
                    "PASSWORD_HASH_PARALLELISM": "1"})
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        env.update(self.extra_env)
        return {k: v for k, v in env.items() if v is not None}  # None: leave it unset

    def execute(self, *statements):
        """Runs the statements in one transaction on this server's database (stopped, or not
        writing what they touch)."""
        if self.database_url and self.database_url.startswith("postgres"):
            subprocess.run(["psql", self.database_url, "-v", "ON_ERROR_STOP=1", "-1",
                            *[arg for s in statements for arg in ("-c", s)]],
                           check=True, capture_output=True)
            return
        db = sqlite3.connect(os.path.join(self.data_dir, "chat.db"))
        db.execute("PRAGMA foreign_keys = ON")  # as the server's connections have it
        try:
            with db:
                for statement in statements:
                    db.execute(statement)
        finally:
            db.close()

    def scalar(self, query):
        """The first column of the first row of `query` on this server's database (None if none)."""
        if self.database_url and self.database_url.startswith("postgres"):
            out = subprocess.run(["psql", self.database_url, "-tAc", query], check=True,
                                 capture_output=True, text=True).stdout.strip()
            return out or None
        db = sqlite3.connect(os.path.join(self.data_dir, "chat.db"))
        try:
            row = db.execute(query).fetchone()
            return None if row is None else row[0]
        finally:
            db.close()

    def run_command(self, *args, timeout=120):
        """Runs `chat-server ARGS` (migrate, seed) against this server's database."""
        return subprocess.run([BIN, *args], env=self.env(), capture_output=True, text=True,
                              timeout=timeout, cwd=self.data_dir)

    def start(self, wait=True):
        # The port was free when chosen, but another test's server (ctest -j) may take it first:
        # then this server cannot listen and exits, and it is started again on another port.
        for _ in range(3):
            self.log = open(self.log_path, "ab")
            self.log_offset = self.log.tell()  # what this start writes comes after
            self.proc = subprocess.Popen([BIN, *self.args], env=self.env(), stdout=self.log,
                                         stderr=subprocess.STDOUT, cwd=self.data_dir)
            if not wait:
                return self
            try:
                self.wait_ready()
                return self
            except PortTaken:
                self.log.close()
                self.port = free_port()
        raise RuntimeError("chat-server found no free port:\n" + self.read_log())

    def wait_ready(self, timeout=30):
        """Until this process logs that it listens on self.port: a connection alone could reach
        another process that took the port."""
        deadline = time.monotonic() + timeout
        listening = f'"address":"127.0.0.1:{self.port}"'
        while time.monotonic() < deadline:
            log = self.read_log(self.log_offset)
            if '"msg":"listening"' in log and listening in log:
                return
            if self.proc.poll() is not None:
                if "in use" in log.lower():
                    raise PortTaken(self.port)
                raise RuntimeError(f"chat-server exited with {self.proc.returncode}:\n{log}")
            time.sleep(0.02)  # polling for the server to listen, not timing a behaviour
        raise RuntimeError("chat-server did not start listening:\n" + self.read_log())

    def read_log(self, offset=0):
        with open(self.log_path, "rb") as f:
            f.seek(offset)
            return f.read().decode("utf-8", "replace")

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise
        if self.proc:
            self.log.close()
        return self.proc.returncode if self.proc else None

    def race(self, method, path, body, headers, attempts):
        """Sends one request `attempts` times at once, as a client retrying before an answer.
        Returns the Responses in sending order."""
        return race([self] * attempts, method, path, body, headers)

    def connection(self, timeout=10):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, token=None, form=None):
        headers = dict(headers or {})
        data = None
        if form is not None:
            data = urlencode(form).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        elif body is not None:
            if isinstance(body, (bytes, str)):
                data = body.encode() if isinstance(body, str) else body
            else:
                data = json.dumps(body).encode()
                headers.setdefault("Content-Type", "application/json")
        if token:
            headers.setdefault("Authorization", token if " " in token else "Bearer " + token)
        conn = self.connection()
        try:
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            payload = resp.read()
            return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, payload)
        finally:
            conn.close()


def race(servers, method, path, body, headers):
    """Sends one request to each of `servers` (a server may come more than once) at once: every
    copy but its last byte first, then the last bytes back to back (a server takes a request up
    when its body is whole). Returns the Responses in the order of `servers`."""
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    for name, value in headers.items():
        head += f"{name}: {value}\r\n"
    request = (head + f"Content-Length: {len(body)}\r\n\r\n").encode() + body
    socks = [socket.create_connection(("127.0.0.1", s.port), timeout=30) for s in servers]
    try:
        for sock in socks:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.sendall(request[:-1])
        for sock in socks:
            sock.sendall(request[-1:])
        answers = []
        for sock in socks:
            resp = http.client.HTTPResponse(sock)
            resp.begin()
            answers.append(Response(resp.status, {k.lower(): v for k, v in resp.getheaders()},
                                    resp.read()))
        return answers
    finally:
        for sock in socks:
            sock.close()


def npm_install(folder, package):
    """Installs folder's package-lock.json (npm ci) unless `package` is there already."""
    if not os.path.isdir(os.path.join(folder, "node_modules", package)):
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=folder, check=True,
                       capture_output=True, timeout=300)


class ServerTestCase(unittest.TestCase):
    """One server per test class; subclasses set BACKEND ('sqlite' or 'postgres') and ENV."""
    BACKEND = "sqlite"
    ENV = {}

    @classmethod
    def setUpClass(cls):
        cls.server = Server(cls.BACKEND, env=cls.ENV).start()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        if code != 0:
            raise AssertionError(
                f"chat-server exited with {code}:\n{cls.server.read_log()[-4000:]}")

    def req(self, *args, **kwargs):
        return self.server.request(*args, **kwargs)

    def assertStatus(self, resp, status):
        self.assertEqual(resp.status, status, f"{resp!r}")
