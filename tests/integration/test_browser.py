"""The browser client (web/, served at /app/) in a real headless Chromium (Debian's, driven by
playwright-core from tests/e2e/browser): wrong password, login, the seeded history, sending,
another user's message, edit and delete arriving live, markup shown as text, reactions both ways,
a file upload, a slash command whose answer's menu, button and form the page uses, threads (started from the page in #general, talked in both ways, another user's
appearing, renamed and archived live in the sidebar), a post in a forum, a DM opened from an author's name and
answered live, a group DM made from it, renamed and written in live, and left, a sticker shown, a message auto moderation blocks
(its reason and the rule's alert shown), a reload keeping the session, logout. `make test` installs Chromium
(scripts/deps.sh test)."""
import os
import shutil
import subprocess
import threading
import unittest

from harness import ServerTestCase, npm_install
from test_gateway import Closed, WsClient

E2E = os.path.abspath(os.path.join(os.path.dirname(__file__), "../e2e/browser"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# The seed's @everyone (104324673) with CREATE_PUBLIC_THREADS, CREATE_PRIVATE_THREADS,
# SEND_MESSAGES_IN_THREADS, USE_APPLICATION_COMMANDS, CREATE_EVENTS, SEND_POLLS, MANAGE_WEBHOOKS and
# CREATE_GUILD_EXPRESSIONS, for the threads the page starts and follows, the slash command it runs,
# the events it schedules, its poll, the channel following it sets up and the other user's sticker.
THREADS_EVERYONE = (104324673 | (1 << 35) | (1 << 36) | (1 << 38) | (1 << 31) | (1 << 44) |
                    (1 << 49) | (1 << 29) | (1 << 43))


def ensure_installed():
    npm_install(E2E, "playwright-core")
    if not shutil.which(CHROMIUM):
        raise RuntimeError(f"no Chromium at {CHROMIUM}: run the suite with `make test`")


class BrowserSuite:
    @classmethod
    def setUpClass(cls):
        ensure_installed()
        super().setUpClass()
        seeded = cls.server.run_command("seed")
        assert seeded.returncode == 0, seeded.stderr

    def answering_bot(self, admin):
        """An application whose bot is in guild 1 with a /roll command, answering each run of it,
        and the use of its answer's menu, button and form, from a gateway session on its own
        thread: (the thread, the session)."""
        app = self.req("POST", "/api/v10/applications", {"name": "dice"}, token=admin)
        self.assertStatus(app, 201)
        app = app.json()
        bot = {"Authorization": "Bot " + app["bot"]["token"]}
        code = self.req("POST", "/api/v10/channels/1/invites", {"max_age": 0}, token=admin)
        self.assertStatus(self.req("POST", f"/api/v10/invites/{code.json()['code']}",
                                   headers=bot), 200)
        self.assertStatus(self.req("POST", f"/api/v10/applications/{app['id']}/commands",
                                   {"name": "roll", "description": "rolls a die", "options": [
                                       {"type": 3, "name": "label", "description": "what for",
                                        "required": True}]}, headers=bot), 201)
        ws = WsClient(self.server.port)
        ws.identify(app["bot"]["token"], 1)
        ws.sock.settimeout(None)  # it waits for the page; dropping the session ends the wait

        def reply(it):
            """The answer to an interaction: the roll with a die menu and a rename button; the
            roll again with the die picked or the label the form was given; or that form."""
            if it["type"] == 2:
                label = it["data"]["options"][0]["value"]
                return {"type": 4, "data": {"content": f"rolled 4 for {label}", "components": [
                    {"type": 1, "components": [{"type": 3, "custom_id": "sides",
                                                "placeholder": "Pick a die", "options": [
                                                    {"label": "d6", "value": "6"},
                                                    {"label": "d20", "value": "20"}]}]},
                    {"type": 1, "components": [{"type": 2, "style": 1, "label": "Rename",
                                                "custom_id": "rename"}]}]}}
            if it["data"]["custom_id"] == "rename" and it["type"] == 3:
                return {"type": 9, "data": {"custom_id": "rename", "title": "Rename the roll",
                                            "components": [{"type": 1, "components": [
                                                {"type": 4, "custom_id": "label", "style": 1,
                                                 "label": "New label"}]}]}}
            rolled, label = it["message"]["content"][len("rolled "):].split(" for ", 1)
            if it["type"] == 3:
                rolled = it["data"]["values"][0]
            else:
                label = it["data"]["components"][0]["components"][0]["value"]
            return {"type": 7, "data": {"content": f"rolled {rolled} for {label}",
                                        "components": it["message"]["components"]}}

        def answer():
            try:
                while True:
                    m = ws.recv()
                    if m.get("t") != "INTERACTION_CREATE":
                        continue
                    it = m["d"]
                    self.server.request("POST", f"/api/v10/interactions/{it['id']}/{it['token']}"
                                        "/callback", reply(it))
            except (Closed, OSError):
                return  # the test is over
        thread = threading.Thread(target=answer, daemon=True)
        thread.start()
        return thread, ws

    def test_the_client_logs_in_reads_sends_and_follows_the_channel_live(self):
        # The seed's @everyone predates threads and commands; an operator grants them.
        r = self.req("POST", "/api/v1/auth/login", {"username": "admin", "password": "Admin@12345"})
        self.assertStatus(r, 200)
        admin = r.json()["access_token"]
        r = self.req("PATCH", "/api/v10/guilds/1/roles/1", {"permissions": str(THREADS_EVERYONE)},
                     token=admin)
        self.assertStatus(r, 200)
        self.assertStatus(self.req("POST", "/api/v10/guilds/1/channels",
                                   {"name": "questions", "type": 15}, token=admin), 201)
        self.assertStatus(self.req("POST", "/api/v10/guilds/1/channels",
                                   {"name": "news", "type": 5}, token=admin), 201)
        # An auto moderation rule that blocks "pineapple" and alerts #general.
        self.assertStatus(self.req("POST", "/api/v10/guilds/1/auto-moderation/rules", {
            "name": "page filter", "event_type": 1, "trigger_type": 1, "enabled": True,
            "trigger_metadata": {"keyword_filter": ["pineapple"]},
            "actions": [{"type": 1}, {"type": 2, "metadata": {"channel_id": "1"}}]},
            token=admin), 200)
        bot_thread, bot_ws = self.answering_bot(admin)
        self.addCleanup(bot_thread.join, 10)
        self.addCleanup(bot_ws.drop)
        r = self.req("POST", "/api/v1/auth/login",
                     {"username": "testuser2", "password": "TestUser2@123"})
        self.assertStatus(r, 200)
        run = subprocess.run(["node", "browser.mjs", str(self.server.port), r.json()["access_token"]],
                             cwd=E2E, capture_output=True, text=True, timeout=120,
                             env={**os.environ, "CHROMIUM": CHROMIUM})
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        self.assertIn("OK", run.stdout)

    def test_the_client_is_served_with_a_content_security_policy(self):
        for path, kind in (("/app", "text/html"), ("/app/app.js", "text/javascript"),
                           ("/app/style.css", "text/css")):
            r = self.req("GET", path)
            self.assertStatus(r, 200)
            self.assertTrue(r.headers["content-type"].startswith(kind), r.headers)
            self.assertIn("default-src 'self'", r.headers["content-security-policy"])
            self.assertEqual(r.headers["x-content-type-options"], "nosniff")
        self.assertStatus(self.req("GET", "/app/nothing.js"), 404)
        root = self.req("GET", "/")
        self.assertStatus(root, 302)
        self.assertEqual(root.headers["location"], "/app/")


class SqliteBrowser(BrowserSuite, ServerTestCase):
    BACKEND = "sqlite"


if __name__ == "__main__":
    unittest.main()
