"""Measures how a login storm affects other requests: N concurrent logins (argon2id at the
seed's m=65536, t=3, p=4) while one client times GET /health (and GET /users/@me, which needs the
database pool) back to back. Loopback only; bounded by N and by the storm's own end.

    python3 bench/scripts/login_storm.py --server build/chat-server --logins 200
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import http.client

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../tests/integration"))
from harness import Server  # noqa: E402


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", default="build/chat-server")
    ap.add_argument("--logins", type=int, default=200)
    args = ap.parse_args()
    os.environ["CHAT_SERVER_BIN"] = os.path.abspath(args.server)
    import harness
    harness.BIN = os.environ["CHAT_SERVER_BIN"]
    s = Server(env={"FEATURE_RATE_LIMITING": "false"}).start()
    try:
        r = s.request("POST", "/api/v1/auth/register",
                      {"username": "storm", "email": "s@x.io", "password": "StrongP@ss123"})
        assert r.status == 201, r
        token = s.request("POST", "/api/v1/auth/login",
                          {"username": "storm", "password": "StrongP@ss123"}).json()["access_token"]
        done = threading.Event()
        statuses = []

        def login():
            conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=120)
            conn.request("POST", "/api/v1/auth/login",
                         body=json.dumps({"username": "storm", "password": "StrongP@ss123"}),
                         headers={"Content-Type": "application/json"})
            statuses.append(conn.getresponse().status)
            conn.close()

        health, me = [], []
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)

        def probe():
            while not done.is_set():
                for path, sink, headers in (("/health", health, {}),
                                            ("/api/v10/users/@me", me, {"Authorization": "Bearer " + token})):
                    t0 = time.perf_counter()
                    conn.request("GET", path, headers=headers)
                    conn.getresponse().read()
                    sink.append((time.perf_counter() - t0) * 1000)

        threads = [threading.Thread(target=login) for _ in range(args.logins)]
        prober = threading.Thread(target=probe)
        started = time.perf_counter()
        prober.start()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        storm = time.perf_counter() - started
        done.set()
        prober.join()
        ok = sum(1 for x in statuses if x == 200)
        print(f"logins: {ok}/{args.logins} ok in {storm:.1f} s ({args.logins / storm:.1f}/s)")
        for name, v in (("GET /health", health), ("GET /users/@me", me)):
            print(f"{name}: n={len(v)} p50={statistics.median(v):.2f} ms "
                  f"p99={percentile(v, 99):.2f} ms max={max(v):.2f} ms")
    finally:
        s.stop()


if __name__ == "__main__":
    main()
