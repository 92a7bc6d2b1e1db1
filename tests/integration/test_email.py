"""Mail through SMTP_HOST. Password reset: POST /auth/forgot mails a one-use token, and
POST /auth/reset with it sets a new password, ends every session of the account (refresh and
access tokens refused, gateway sessions closed with 4004) and signs it in. Email verification: registering mails a token, and POST /auth/verify with it marks the
account verified (GET /users/@me "verified").
The relay is SmtpSink, a minimal SMTP server in this process that keeps every message it is
given; the server talks to it over real loopback SMTP (libcurl)."""
import os
import queue
import re
import socket
import threading
import unittest

import subprocess
import time

from harness import BIN, Server, ServerTestCase
from test_gateway import WsClient

INTENTS = (1 << 17) - 1

TOKEN = re.compile(r"^Reset token: (\S+)$", re.M)
VERIFY_TOKEN = re.compile(r"^Verification token: (\S+)$", re.M)
RESET_SUBJECT = "Subject: Reset your chat-server password"
VERIFY_SUBJECT = "Subject: Confirm your chat-server email address"
PASSWORD = "StrongP@ss123"
NEW_PASSWORD = "N3w-Str0ng!pass"


class SmtpSink:
    """Accepts SMTP on a loopback port; next() returns (recipients, message text) in the order
    the messages were accepted."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.messages = queue.Queue()
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(conn,), daemon=True).start()

    def serve(self, conn):
        with conn, conn.makefile("rb") as f:
            conn.sendall(b"220 sink ESMTP\r\n")
            recipients = []
            for raw in f:
                line = raw.decode().rstrip("\r\n")
                verb = line.split(" ", 1)[0].upper()
                if verb == "DATA":
                    conn.sendall(b"354 go on\r\n")
                    lines = []
                    for data in f:
                        if data == b".\r\n":
                            break
                        # SMTP dot-stuffing: a leading '.' was doubled by the sender.
                        lines.append(data[1:] if data.startswith(b"..") else data)
                    self.messages.put((recipients, b"".join(lines).decode()))
                    recipients = []
                    conn.sendall(b"250 queued\r\n")
                elif verb == "RCPT":
                    recipients.append(line.split(":", 1)[1].strip())
                    conn.sendall(b"250 ok\r\n")
                elif verb == "QUIT":
                    conn.sendall(b"221 bye\r\n")
                    return
                else:  # EHLO, MAIL, RSET, NOOP
                    conn.sendall(b"250 sink\r\n")

    def next(self, subject, timeout=20):
        """The next message with `subject`, in the order they were accepted; messages of other
        subjects (each registration's verification mail) are passed over."""
        while True:
            recipients, text = self.messages.get(timeout=timeout)
            if subject in text:
                return recipients, text

    def close(self):
        self.sock.close()


class WithSink:
    """The class's server mails to its own SmtpSink; MAIL_ENV adds to SMTP_HOST/SMTP_PORT."""
    MAIL_ENV = {}

    @classmethod
    def setUpClass(cls):
        cls.sink = SmtpSink()
        cls.ENV = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(cls.sink.port), **cls.MAIL_ENV}
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.sink.close()


class EmailSuite(WithSink):
    MAIL_ENV = {"SMTP_FROM": "noreply@chat.test"}

    def register(self):
        name = "mail_" + os.urandom(4).hex()
        email = name + "@example.test"
        r = self.req("POST", "/api/v1/auth/register",
                     {"username": name, "email": email, "password": PASSWORD})
        self.assertStatus(r, 201)
        return name, email

    def login(self, name, password):
        return self.req("POST", "/api/v1/auth/login", {"username": name, "password": password})

    def forgot(self, login):
        r = self.req("POST", "/api/v10/auth/forgot", {"login": login})
        self.assertStatus(r, 204)

    def mailed_token(self, email, subject=RESET_SUBJECT, pattern=TOKEN):
        recipients, text = self.sink.next(subject)
        self.assertEqual(recipients, [f"<{email}>"])
        self.assertIn(f"To: <{email}>", text)
        self.assertIn("From: <noreply@chat.test>", text)
        m = pattern.search(text.replace("\r\n", "\n"))
        self.assertIsNotNone(m, text)
        return m.group(1)

    def test_registering_mails_a_token_that_verifies_the_address(self):
        name, email = self.register()
        token = self.mailed_token(email, VERIFY_SUBJECT, VERIFY_TOKEN)
        access = self.login(name, PASSWORD).json()["access_token"]
        self.assertFalse(self.req("GET", "/api/v10/users/@me", token=access).json()["verified"])

        r = self.req("POST", "/api/v10/auth/verify", {"token": token})
        self.assertStatus(r, 200)
        self.assertTrue(r.json()["verified"])
        self.assertEqual(r.json()["username"], name)
        self.assertTrue(self.req("GET", "/api/v10/users/@me", token=access).json()["verified"])
        again = self.req("POST", "/api/v10/auth/verify", {"token": token})
        self.assertStatus(again, 400)
        self.assertIn("token", again.json()["errors"])

        # Verified: asking again mails nothing (the next mail to this address is the reset).
        self.assertStatus(self.req("POST", "/api/v10/auth/verify/resend", token=access), 204)
        self.forgot(email)
        recipients, text = self.sink.messages.get(timeout=20)
        self.assertIn(RESET_SUBJECT, text)
        self.assertEqual(recipients, [f"<{email}>"])

    def test_a_resend_within_a_minute_mails_nothing_and_the_first_token_holds(self):
        name, email = self.register()
        first = self.mailed_token(email, VERIFY_SUBJECT, VERIFY_TOKEN)
        access = self.login(name, PASSWORD).json()["access_token"]
        self.assertStatus(self.req("POST", "/api/v10/auth/verify/resend", token=access), 204)
        self.assertStatus(self.req("POST", "/api/v10/auth/verify/resend"), 401)
        self.forgot(email)
        recipients, text = self.sink.messages.get(timeout=20)
        self.assertIn(RESET_SUBJECT, text)  # no second verification mail came first
        self.assertStatus(self.req("POST", "/api/v10/auth/verify", {"token": first}), 200)

    def test_a_forgotten_password_is_reset_with_the_mailed_token(self):
        name, email = self.register()
        session = self.login(name, PASSWORD)
        self.assertStatus(session, 200)
        refresh = session.json()["refresh_token"]

        self.forgot(email)
        token = self.mailed_token(email)

        weak = self.req("POST", "/api/v10/auth/reset", {"token": token, "password": "weak"})
        self.assertStatus(weak, 400)
        self.assertIn("password", weak.json()["errors"])

        r = self.req("POST", "/api/v10/auth/reset", {"token": token, "password": NEW_PASSWORD})
        self.assertStatus(r, 200)
        me = self.req("GET", "/api/v10/users/@me", token=r.json()["access_token"])
        self.assertStatus(me, 200)
        self.assertEqual(me.json()["username"], name)

        self.assertStatus(self.login(name, PASSWORD), 401)
        self.assertStatus(self.login(name, NEW_PASSWORD), 200)
        # The session from before the reset cannot be refreshed any more.
        old = self.req("POST", "/api/v1/auth/refresh", {"refresh_token": refresh})
        self.assertStatus(old, 401)
        # The token was spent.
        again = self.req("POST", "/api/v10/auth/reset",
                         {"token": token, "password": "An0ther!Strong"})
        self.assertStatus(again, 400)
        self.assertIn("token", again.json()["errors"])

    def gateway_session(self, token):
        ws = WsClient(self.server.port)
        self.addCleanup(ws.drop)
        ws.identify(token, INTENTS)
        ready = ws.recv()
        self.assertEqual(ready["t"], "READY", ready)
        return ws, ready["d"]["session_id"]

    def test_a_reset_ends_every_session_the_account_had(self):
        name, email = self.register()
        old = self.login(name, PASSWORD).json()["access_token"]
        ws, session_id = self.gateway_session(old)
        self.forgot(email)
        r = self.req("POST", "/api/v10/auth/reset",
                     {"token": self.mailed_token(email), "password": NEW_PASSWORD})
        self.assertStatus(r, 200)
        new = r.json()["access_token"]

        # The gateway session opened before the reset is closed as unauthenticated, and neither
        # its token nor a RESUME with the new one brings it back.
        self.assertEqual(ws.expect_close(), 4004)
        self.assertStatus(self.req("GET", "/api/v10/users/@me", token=old), 401)
        refused = WsClient(self.server.port)
        self.addCleanup(refused.drop)
        refused.identify(old, INTENTS)
        self.assertEqual(refused.expect_close(), 4004)
        resume = WsClient(self.server.port)
        self.addCleanup(resume.drop)
        self.assertEqual(resume.recv()["op"], 10)
        resume.send({"op": 6, "d": {"token": new, "session_id": session_id, "seq": 1}})
        invalid = resume.recv()
        self.assertEqual(invalid["op"], 9)
        self.assertIs(invalid["d"], False)

        # What the reset signed in with works, over REST and the gateway, and keeps working.
        ws2, _ = self.gateway_session(new)
        self.assertStatus(self.req("GET", "/api/v10/users/@me", token=new), 200)
        ws2.send({"op": 1, "d": None})
        self.assertEqual(ws2.recv()["op"], 11)

    def test_a_server_restart_keeps_tokens_from_before_a_reset_refused(self):
        name, email = self.register()
        old = self.login(name, PASSWORD).json()["access_token"]
        self.forgot(email)
        r = self.req("POST", "/api/v10/auth/reset",
                     {"token": self.mailed_token(email), "password": NEW_PASSWORD})
        self.assertStatus(r, 200)
        new = r.json()["access_token"]
        self.server.stop()
        self.server.start()
        self.assertStatus(self.req("GET", "/api/v10/users/@me", token=old), 401)
        self.assertStatus(self.req("GET", "/api/v10/users/@me", token=new), 200)

    def test_unknown_accounts_get_the_same_answer_and_no_mail(self):
        self.forgot("nobody_" + os.urandom(4).hex())
        self.forgot("nobody@nowhere.test")
        name, email = self.register()
        self.forgot(name)  # by username
        # Mails leave in order: had the unknown logins been mailed, they would come first.
        self.mailed_token(email)

    def test_a_second_request_within_a_minute_mails_nothing_and_the_first_token_holds(self):
        name, email = self.register()
        other_name, other_email = self.register()
        self.forgot(email)
        first = self.mailed_token(email)
        self.forgot(email)
        self.forgot(other_name)
        self.mailed_token(other_email)  # the second request for `email` sent nothing
        r = self.req("POST", "/api/v10/auth/reset", {"token": first, "password": NEW_PASSWORD})
        self.assertStatus(r, 200)

    def test_a_made_up_token_is_refused(self):
        r = self.req("POST", "/api/v10/auth/reset",
                     {"token": "x" * 43, "password": NEW_PASSWORD})
        self.assertStatus(r, 400)
        self.assertIn("token", r.json()["errors"])
        r = self.req("POST", "/api/v10/auth/reset", {"password": NEW_PASSWORD})
        self.assertStatus(r, 400)


class SqliteEmail(EmailSuite, ServerTestCase):
    BACKEND = "sqlite"


class PostgresEmail(EmailSuite, ServerTestCase):
    BACKEND = "postgres"


class RequiredTls(WithSink, ServerTestCase):
    """SMTP_TLS=require: a relay that offers no STARTTLS (the sink) gets no mail at all."""
    MAIL_ENV = {"SMTP_TLS": "require"}

    def test_no_mail_goes_out_in_clear_text(self):
        name = "tls_" + os.urandom(4).hex()
        r = self.req("POST", "/api/v1/auth/register",
                     {"username": name, "email": name + "@example.test", "password": PASSWORD})
        self.assertStatus(r, 201)
        deadline = time.monotonic() + 20
        while "mail not sent" not in self.server.read_log():
            self.assertLess(time.monotonic(), deadline, "the send was never attempted")
            time.sleep(0.05)  # polling the log for the attempt, not timing it
        self.assertTrue(self.sink.messages.empty())

    def test_a_bad_tls_mode_stops_start_up(self):
        r = subprocess.run([BIN, "--smtp-tls", "sometimes", "migrate", "status"],
                           capture_output=True, text=True, timeout=30, cwd=self.server.data_dir,
                           env={**self.server.env(), "SMTP_TLS": "sometimes"})
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("SMTP_TLS", r.stderr)


class WithoutMail(ServerTestCase):
    def test_forgot_says_mail_is_not_configured(self):
        r = self.req("POST", "/api/v10/auth/forgot", {"login": "someone"})
        self.assertStatus(r, 503)
        self.assertIn("email is not configured", r.json()["message"])


if __name__ == "__main__":
    unittest.main()
