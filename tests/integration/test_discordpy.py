"""An unmodified discord.py 2 (Debian's python3-discord) runs tests/e2e/discordpy/client.py as a
bot against the real server: ready, messages and their events, members, roles, channels, invites,
threads, webhooks, emojis, stickers, auto moderation, a group DM, audit log, purge, a resumed
connection, and slash commands its command tree syncs and answers when another user runs them."""
import os
import subprocess
import sys
import unittest

from harness import ServerTestCase

SEED_EVERYONE = 104324673
USE_APPLICATION_COMMANDS = 1 << 31
CLIENT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../e2e/discordpy/client.py"))


class DiscordPySuite:
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        seeded = cls.server.run_command("seed")
        assert seeded.returncode == 0, seeded.stderr

    def login(self, username, password):
        r = self.req("POST", "/api/v1/auth/login", {"username": username, "password": password})
        self.assertStatus(r, 200)
        return r.json()["access_token"]

    def test_bot(self):
        admin = self.login("admin", "Admin@12345")
        app = self.req("POST", "/api/v10/applications", {"name": "discordpy bot"}, token=admin)
        self.assertStatus(app, 201)
        bot = app.json()["bot"]
        invite = self.req("POST", "/api/v10/channels/1/invites", {"max_age": 0}, token=admin)
        self.assertStatus(invite, 200)
        code = invite.json()["code"]
        joined = self.req("POST", f"/api/v10/invites/{code}",
                          headers={"Authorization": "Bot " + bot["token"]})
        self.assertStatus(joined, 200)
        # The bot manages roles, channels, webhooks and emojis: an operator makes it an admin.
        role = self.req("POST", "/api/v10/guilds/1/roles", {"name": "bots", "permissions": "8"},
                        token=admin)
        self.assertStatus(role, 200)
        given = self.req("PUT", f"/api/v10/guilds/1/members/{bot['id']}/roles/{role.json()['id']}",
                         token=admin)
        self.assertStatus(given, 204)
        # The seed's @everyone predates application commands: an operator lets members use them.
        r = self.req("PATCH", "/api/v10/guilds/1/roles/1",
                     {"permissions": str(SEED_EVERYONE | USE_APPLICATION_COMMANDS)}, token=admin)
        self.assertStatus(r, 200)
        r = subprocess.run([sys.executable, CLIENT, str(self.server.port), bot["token"],
                            self.login("testuser1", "TestUser1@123"), code],
                           capture_output=True, text=True, timeout=90)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("OK", r.stdout)


class SqliteDiscordPy(DiscordPySuite, ServerTestCase):
    BACKEND = "sqlite"


class PostgresDiscordPy(DiscordPySuite, ServerTestCase):
    BACKEND = "postgres"


if __name__ == "__main__":
    unittest.main()
