"""Password reset by mail: POST /auth/forgot mails a one-use token through SMTP_HOST, and
POST /auth/reset with it sets a new password, ends the account's other sessions and signs it in.
The relay is SmtpSink, a minimal SMTP server in this process that keeps every message it is
given; the server talks to it over real loopback SMTP (libcurl)."""
import os
import queue
import re
import socket
import threading
import unittest

from harness import Server, ServerTestCase

TOKEN = re.compile(r"^Reset token: (\S+)$", re.M)
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

    def next(self, timeout=20):
        return self.messages.get(timeout=timeout)

    def close(self):
        self.sock.close()


class EmailSuite:
    @classmethod
    def setUpClass(cls):
        cls.sink = SmtpSink()
        cls.ENV = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(cls.sink.port),
                   "SMTP_FROM": "noreply@chat.test"}
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.sink.close()

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

    def mailed_token(self, email):
        recipients, text = self.sink.next()
        self.assertEqual(recipients, [f"<{email}>"])
        self.assertIn(f"To: <{email}>", text)
        self.assertIn("Subject: Reset your chat-server password", text)
        self.assertIn("From: <noreply@chat.test>", text)
        m = TOKEN.search(text.replace("\r\n", "\n"))
        self.assertIsNotNone(m, text)
        return m.group(1)

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


class WithoutMail(ServerTestCase):
    def test_forgot_says_mail_is_not_configured(self):
        r = self.req("POST", "/api/v10/auth/forgot", {"login": "someone"})
        self.assertStatus(r, 503)
        self.assertIn("email is not configured", r.json()["message"])


if __name__ == "__main__":
    unittest.main()
