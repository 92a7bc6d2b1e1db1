"""Accounts and tokens through the real server (issue: register, login, refresh, bots, users),
on SQLite and on PostgreSQL."""
import base64
import hashlib
import hmac
import json
import threading
import time
import unittest
import uuid

from harness import Server, ServerTestCase
from test_gateway import WsClient

SECRET = "integration-test-secret-0123456789abcdef"


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge(payload, alg="HS256", secret=SECRET, header=None):
    head = header or {"alg": alg, "typ": "JWT"}
    signing = b64(json.dumps(head).encode()) + "." + b64(json.dumps(payload).encode())
    sig = b64(hmac.new(secret.encode(), signing.encode(), hashlib.sha256).digest())
    return signing + "." + sig


def unique(prefix="u"):
    return prefix + uuid.uuid4().hex[:10]


class AuthSuite:
    ENV = {"JWT_SECRET": SECRET, "LOGIN_MAX_FAILURES": "3",
           # Long enough that three argon2 checks on a loaded machine fit inside one window.
           "LOGIN_FAILURE_WINDOW": "8s"}

    def register(self, username=None, password="StrongP@ss123", email=None):
        username = username or unique()
        r = self.req("POST", "/api/v1/auth/register",
                     {"username": username, "email": email or username + "@example.com",
                      "password": password})
        self.assertStatus(r, 201)
        return username, r.json()

    def login(self, username, password="StrongP@ss123"):
        r = self.req("POST", "/api/v1/auth/login", {"username": username, "password": password})
        self.assertStatus(r, 200)
        return r.json()

    # -- register -------------------------------------------------------------------------
    def test_register_returns_user_without_secrets(self):
        name, user = self.register()
        self.assertEqual(user["username"], name)
        self.assertIsInstance(user["id"], str)
        self.assertEqual(user["discriminator"], "0")
        for secret in ("password", "password_hash", "token"):
            self.assertNotIn(secret, user)
        self.assertNotIn("argon2", json.dumps(user))

    def test_register_refuses_bad_fields_naming_each(self):
        r = self.req("POST", "/api/v1/auth/register",
                     {"username": "ab", "email": "not-an-email", "password": "weak"})
        self.assertStatus(r, 400)
        body = r.json()
        self.assertEqual(body["code"], 50035)
        self.assertEqual(set(body["errors"]), {"username", "email", "password"})
        r = self.req("POST", "/api/v1/auth/register",
                     {"username": "invalid user", "email": unique() + "@x.io",
                      "password": "StrongP@ss123"})
        self.assertStatus(r, 400)
        self.assertIn("username", r.json()["errors"])

    def test_weak_password_says_why(self):
        r = self.req("POST", "/api/v1/auth/register",
                     {"username": unique(), "email": unique() + "@x.io", "password": "weakweakweak"})
        self.assertStatus(r, 400)
        message = r.json()["errors"]["password"]["_errors"][0]["message"]
        self.assertTrue(message)

    def test_duplicate_username_or_email_is_409(self):
        name, _ = self.register()
        r = self.req("POST", "/api/v1/auth/register",
                     {"username": name, "email": unique() + "@x.io", "password": "StrongP@ss123"})
        self.assertStatus(r, 409)
        r = self.req("POST", "/api/v1/auth/register",
                     {"username": unique(), "email": (name + "@example.com").upper(),
                      "password": "StrongP@ss123"})
        self.assertStatus(r, 409)

    def test_malformed_or_missing_body_is_400(self):
        r = self.req("POST", "/api/v1/auth/register", b"{not json",
                     headers={"Content-Type": "application/json"})
        self.assertStatus(r, 400)
        self.assertEqual(r.json()["code"], 50109)
        self.assertStatus(self.req("POST", "/api/v1/auth/register"), 400)
        self.assertStatus(self.req("POST", "/api/v1/auth/register", [1, 2]), 400)
        r = self.req("POST", "/api/v1/auth/register", {"username": 5, "email": [], "password": None})
        self.assertStatus(r, 400)

    # -- login ----------------------------------------------------------------------------
    def test_login_by_json_form_and_email(self):
        name, user = self.register()
        tokens = self.login(name)
        for key in ("access_token", "refresh_token", "token", "expires_in", "user_id"):
            self.assertIn(key, tokens)
        self.assertEqual(tokens["token_type"], "Bearer")
        self.assertEqual(tokens["user_id"], user["id"])
        self.assertEqual(tokens["expires_in"], 900)
        r = self.req("POST", "/api/v1/auth/login", form={"username": name, "password": "StrongP@ss123"})
        self.assertStatus(r, 200)
        r = self.req("POST", "/api/v1/auth/login",
                     {"login": name + "@example.com", "password": "StrongP@ss123"})
        self.assertStatus(r, 200)

    def test_unknown_user_and_wrong_password_are_the_same_401(self):
        name, _ = self.register()
        wrong = self.req("POST", "/api/v1/auth/login", {"username": name, "password": "Nope@12345"})
        unknown = self.req("POST", "/api/v1/auth/login",
                           {"username": unique(), "password": "Nope@12345"})
        self.assertStatus(wrong, 401)
        self.assertStatus(unknown, 401)
        self.assertEqual(wrong.json(), unknown.json())

    def test_token_works_as_bearer_bot_and_bare_on_every_base(self):
        name, user = self.register()
        token = self.login(name)["access_token"]
        for auth in ("Bearer " + token, "Bot " + token, token):
            for base in ("/api/v10", "/api/v9", "/api/v1", "/api"):
                r = self.req("GET", base + "/users/@me", headers={"Authorization": auth})
                self.assertStatus(r, 200)
                self.assertEqual(r.json()["id"], user["id"])

    def test_forged_or_expired_tokens_are_refused(self):
        name, user = self.register()
        now = int(time.time())
        good = forge({"sub": user["id"], "iat": now, "exp": now + 600})
        self.assertStatus(self.req("GET", "/api/v10/users/@me", token=good), 200)
        cases = {
            "expired": forge({"sub": user["id"], "iat": now - 700, "exp": now - 100}),
            "alg none": forge({"sub": user["id"], "iat": now, "exp": now + 600},
                              header={"alg": "none"}).rsplit(".", 1)[0] + ".",
            "other secret": forge({"sub": user["id"], "iat": now, "exp": now + 600},
                                  secret="another-secret-another-secret-xx"),
            "tampered": good.split(".")[0] + "." +
                        b64(json.dumps({"sub": "1", "iat": now, "exp": now + 600}).encode()) +
                        "." + good.split(".")[2],
            "garbage": "not-a-token",
        }
        for label, token in cases.items():
            r = self.req("GET", "/api/v10/users/@me", token=token)
            self.assertEqual(r.status, 401, label)
        self.assertStatus(self.req("GET", "/api/v10/users/@me"), 401)

    # -- refresh / logout -----------------------------------------------------------------
    def test_refresh_rotates_and_reuse_revokes_the_family(self):
        name, _ = self.register()
        first = self.login(name)
        r = self.req("POST", "/api/v1/auth/refresh", {"refresh_token": first["refresh_token"]})
        self.assertStatus(r, 200)
        second = r.json()
        self.assertNotEqual(second["refresh_token"], first["refresh_token"])
        self.assertStatus(self.req("GET", "/api/v10/users/@me", token=second["access_token"]), 200)
        # The spent token comes back: reuse. Both it and its successor stop working.
        r = self.req("POST", "/api/v1/auth/refresh", {"refresh_token": first["refresh_token"]})
        self.assertStatus(r, 401)
        r = self.req("POST", "/api/v1/auth/refresh", {"refresh_token": second["refresh_token"]})
        self.assertStatus(r, 401)

    def test_logout_revokes_the_refresh_token(self):
        name, _ = self.register()
        pair = self.login(name)
        self.assertStatus(self.req("POST", "/api/v1/auth/logout",
                                   {"refresh_token": pair["refresh_token"]}), 204)
        r = self.req("POST", "/api/v1/auth/refresh", {"refresh_token": pair["refresh_token"]})
        self.assertStatus(r, 401)
        self.assertStatus(self.req("POST", "/api/v1/auth/refresh", {"refresh_token": "bogus"}), 401)

    # -- users ----------------------------------------------------------------------------
    def test_patch_me_and_get_user(self):
        name, user = self.register()
        token = self.login(name)["access_token"]
        r = self.req("PATCH", "/api/v10/users/@me", {"global_name": "Alice A."}, token=token)
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["global_name"], "Alice A.")
        new_name = unique("n")
        r = self.req("PATCH", "/api/v10/users/@me", {"username": new_name}, token=token)
        self.assertStatus(r, 400)
        self.assertIn("password", r.json()["errors"])
        r = self.req("PATCH", "/api/v10/users/@me",
                     {"username": new_name, "password": "StrongP@ss123"}, token=token)
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["username"], new_name)
        other_name, _ = self.register()
        other = self.login(other_name)["access_token"]
        r = self.req("GET", "/api/v10/users/" + user["id"], token=other)
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["global_name"], "Alice A.")
        self.assertNotIn("email", r.json())
        self.assertStatus(self.req("GET", "/api/v10/users/zz", token=other), 404)
        self.assertStatus(self.req("GET", "/api/v10/users/12345", token=other), 404)

    def test_a_new_password_ends_the_other_sessions_and_answers_with_a_new_token(self):
        name, _ = self.register()
        first = self.login(name)
        other = self.login(name)
        ws = WsClient(self.server.port)
        self.addCleanup(ws.drop)
        ws.identify(other["access_token"], 1)
        self.assertEqual(ws.recv()["t"], "READY")
        token = first["access_token"]
        for body, field in (({"new_password": "N3w-Str0ng!pass"}, "password"),
                            ({"new_password": "N3w-Str0ng!pass", "password": "Wrong@1234"},
                             "password"),
                            ({"new_password": "weak", "password": "StrongP@ss123"},
                             "new_password")):
            r = self.req("PATCH", "/api/v10/users/@me", body, token=token)
            self.assertStatus(r, 400)
            self.assertIn(field, r.json()["errors"])
        self.assertStatus(self.req("GET", "/api/v10/users/@me", token=token), 200)

        r = self.req("PATCH", "/api/v10/users/@me",
                     {"new_password": "N3w-Str0ng!pass", "password": "StrongP@ss123"},
                     token=token)
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["username"], name)
        self.assertEqual(ws.expect_close(), 4004)
        for old in (first, other):
            self.assertStatus(self.req("GET", "/api/v10/users/@me", token=old["access_token"]),
                              401)
            self.assertStatus(self.req("POST", "/api/v1/auth/refresh",
                                       {"refresh_token": old["refresh_token"]}), 401)
        self.assertStatus(self.req("GET", "/api/v10/users/@me", token=r.json()["token"]), 200)
        refreshed = self.req("POST", "/api/v1/auth/refresh",
                             {"refresh_token": r.json()["refresh_token"]})
        self.assertStatus(refreshed, 200)
        self.assertStatus(self.req("POST", "/api/v1/auth/login",
                                   {"username": name, "password": "StrongP@ss123"}), 401)
        self.login(name, "N3w-Str0ng!pass")

    # -- bots -----------------------------------------------------------------------------
    def test_bot_application_token_works_and_resets(self):
        name, owner = self.register()
        token = self.login(name)["access_token"]
        r = self.req("POST", "/api/v10/applications", {"name": "Helper Bot"}, token=token)
        self.assertStatus(r, 201)
        app = r.json()
        bot_token = app["bot"]["token"]
        self.assertEqual(app["owner"]["id"], owner["id"])
        me = self.req("GET", "/api/v10/users/@me", headers={"Authorization": "Bot " + bot_token})
        self.assertStatus(me, 200)
        self.assertTrue(me.json()["bot"])
        self.assertEqual(me.json()["id"], app["bot"]["id"])
        self.assertStatus(self.req("GET", "/api/v10/users/@me", token=bot_token), 200)
        for path in ("/api/v10/oauth2/applications/@me", "/api/v10/applications/@me"):
            r = self.req("GET", path, headers={"Authorization": "Bot " + bot_token})
            self.assertStatus(r, 200)
            self.assertEqual(r.json()["id"], app["id"])
            self.assertNotIn("token", json.dumps(r.json()))
        r = self.req("GET", "/api/v10/gateway/bot", headers={"Authorization": "Bot " + bot_token})
        self.assertStatus(r, 200)
        self.assertTrue(r.json()["url"].startswith("ws://"))
        self.assertEqual(r.json()["session_start_limit"]["max_concurrency"], 1)
        # Someone else cannot reset it; the owner can, and the old token dies at once.
        stranger = self.login(self.register()[0])["access_token"]
        self.assertStatus(self.req("POST", f"/api/v10/applications/{app['id']}/bot/reset",
                                   token=stranger), 404)
        r = self.req("POST", f"/api/v10/applications/{app['id']}/bot/reset", token=token)
        self.assertStatus(r, 200)
        new_token = r.json()["token"]
        self.assertStatus(self.req("GET", "/api/v10/users/@me",
                                   headers={"Authorization": "Bot " + bot_token}), 401)
        self.assertStatus(self.req("GET", "/api/v10/users/@me",
                                   headers={"Authorization": "Bot " + new_token}), 200)
        # Its open gateway sessions end too (4004), as on Discord; the new token's do not.
        ws = WsClient(self.server.port)
        self.addCleanup(ws.drop)
        ws.identify(new_token, 1)
        self.assertEqual(ws.recv()["t"], "READY")
        r = self.req("POST", f"/api/v10/applications/{app['id']}/bot/reset", token=token)
        self.assertStatus(r, 200)
        self.assertEqual(ws.expect_close(), 4004)

    def test_bot_cannot_log_in_with_a_password(self):
        name, _ = self.register()
        token = self.login(name)["access_token"]
        app = self.req("POST", "/api/v10/applications", {"name": "NoLogin"}, token=token).json()
        r = self.req("POST", "/api/v1/auth/login",
                     {"username": app["bot"]["username"], "password": ""})
        self.assertIn(r.status, (400, 401))

    # -- brute force ----------------------------------------------------------------------
    def test_failed_logins_are_throttled_then_allowed_again(self):
        name, _ = self.register()
        for _ in range(3):
            self.assertStatus(self.req("POST", "/api/v1/auth/login",
                                       {"username": name, "password": "Wrong@1234"}), 401)
        r = self.req("POST", "/api/v1/auth/login", {"username": name, "password": "StrongP@ss123"})
        self.assertStatus(r, 429)
        body = r.json()
        self.assertIn("message", body)
        self.assertIs(body["global"], False)
        self.assertGreater(body["retry_after"], 0)
        self.assertIn("retry-after", r.headers)
        self.assertIn("via", r.headers)
        # After the advertised wait the right password works again.
        time.sleep(body["retry_after"] + 0.05)
        self.assertStatus(self.req("POST", "/api/v1/auth/login",
                                   {"username": name, "password": "StrongP@ss123"}), 200)

    def test_guessing_the_password_on_patch_me_is_throttled_too(self):
        name, _ = self.register()
        token = self.login(name)["access_token"]
        for _ in range(3):
            r = self.req("PATCH", "/api/v10/users/@me",
                         {"password": "Wrong@1234", "new_password": "N3w-Str0ng!pass"}, token=token)
            self.assertStatus(r, 400)
        r = self.req("PATCH", "/api/v10/users/@me",
                     {"password": "StrongP@ss123", "new_password": "N3w-Str0ng!pass"}, token=token)
        self.assertStatus(r, 429)
        self.assertGreater(r.json()["retry_after"], 0)
        # Nothing changed meanwhile, and what needs no password still works.
        self.assertStatus(self.req("GET", "/api/v10/users/@me", token=token), 200)
        r = self.req("PATCH", "/api/v10/users/@me", {"global_name": "Still Here"}, token=token)
        self.assertStatus(r, 200)
        self.login(name)

    def test_health_keeps_answering_during_a_login_storm(self):
        name, _ = self.register()
        failures = []

        def storm():
            r = self.req("POST", "/api/v1/auth/login", {"username": name, "password": "StrongP@ss123"})
            if r.status != 200:
                failures.append(r.status)

        threads = [threading.Thread(target=storm) for _ in range(24)]
        for t in threads:
            t.start()
        for _ in range(10):
            self.assertStatus(self.req("GET", "/health"), 200)
        for t in threads:
            t.join()
        self.assertEqual(failures, [])


class SqliteAuth(AuthSuite, ServerTestCase):
    BACKEND = "sqlite"


class PostgresAuth(AuthSuite, ServerTestCase):
    BACKEND = "postgres"


class PersistenceSuite:
    BACKEND = "sqlite"

    def test_accounts_survive_a_restart(self):
        s = Server(self.BACKEND, env={"JWT_SECRET": SECRET}).start()
        name = unique()
        r = s.request("POST", "/api/v1/auth/register",
                      {"username": name, "email": name + "@x.io", "password": "StrongP@ss123"})
        self.assertEqual(r.status, 201)
        self.assertEqual(s.stop(), 0)
        s2 = Server(self.BACKEND, env={"JWT_SECRET": SECRET}, data_dir=s.data_dir,
                    database_url=s.database_url).start()
        r = s2.request("POST", "/api/v1/auth/login", {"username": name, "password": "StrongP@ss123"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(s2.stop(), 0)


    def test_new_passwords_take_the_configured_argon2_cost(self):
        def register(server):
            name = unique()
            r = server.request("POST", "/api/v1/auth/register",
                               {"username": name, "email": name + "@x.io",
                                "password": "StrongP@ss123"})
            self.assertEqual(r.status, 201, r)
            stored = server.scalar(f"SELECT password_hash FROM users WHERE username = '{name}'")
            return name, stored

        def logs_in(server, name):
            return server.request("POST", "/api/v1/auth/login",
                                  {"username": name, "password": "StrongP@ss123"}).status

        # Unset, the cost is the seed's (the harness lowers it for every other suite).
        unset = {"PASSWORD_HASH_MEMORY_KIB": None, "PASSWORD_HASH_ITERATIONS": None,
                 "PASSWORD_HASH_PARALLELISM": None}
        s = Server(self.BACKEND, env={"JWT_SECRET": SECRET, **unset}).start()
        old_name, old_hash = register(s)
        self.assertTrue(old_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$"), old_hash)
        self.assertEqual(s.stop(), 0)

        s2 = Server(self.BACKEND, env={"JWT_SECRET": SECRET, "PASSWORD_HASH_MEMORY_KIB": "2048",
                                       "PASSWORD_HASH_ITERATIONS": "2",
                                       "PASSWORD_HASH_PARALLELISM": "1"},
                    data_dir=s.data_dir, database_url=s.database_url).start()
        new_name, new_hash = register(s2)
        self.assertTrue(new_hash.startswith("$argon2id$v=19$m=2048,t=2,p=1$"), new_hash)
        # Each hash keeps its own cost: both accounts log in.
        self.assertEqual(logs_in(s2, new_name), 200)
        self.assertEqual(logs_in(s2, old_name), 200)
        # The seed command's accounts take the configured cost too.
        seeded = s2.run_command("seed")
        self.assertEqual(seeded.returncode, 0, seeded.stderr)
        admin_hash = s2.scalar("SELECT password_hash FROM users WHERE username = 'admin'")
        self.assertTrue(admin_hash.startswith("$argon2id$v=19$m=2048,t=2,p=1$"), admin_hash)
        self.assertEqual(s2.stop(), 0)


class SqlitePersistence(PersistenceSuite, unittest.TestCase):
    BACKEND = "sqlite"


class PostgresPersistence(PersistenceSuite, unittest.TestCase):
    BACKEND = "postgres"


if __name__ == "__main__":
    unittest.main()
