"""An unmodified discord.js v14 (tests/e2e/discordjs, installed from npm) logs in to the real
server with a bot token and with a user's access token, and runs client.js: ready with guilds,
send, edit, react, history, threads, a forum post, emojis, auto moderation, scheduled events,
polls, a forward, channel following, interactions, components, messageCreate from another user,
guildMemberAdd, delete."""
import os
import subprocess
import unittest

from harness import ServerTestCase, npm_install

# The seed's @everyone (104324673) with CREATE_PUBLIC_THREADS, CREATE_PRIVATE_THREADS,
# SEND_MESSAGES_IN_THREADS, CREATE_GUILD_EXPRESSIONS, USE_APPLICATION_COMMANDS, CREATE_EVENTS and
# SEND_POLLS, for client.js's threads, emojis, interactions, scheduled events and polls, and
# MANAGE_WEBHOOKS for its channel following.
CLIENT_EVERYONE = (104324673 | (1 << 35) | (1 << 36) | (1 << 38) | (1 << 43) | (1 << 31) |
                   (1 << 44) | (1 << 49) | (1 << 29))
MANAGE_GUILD = 1 << 5
E2E = os.path.abspath(os.path.join(os.path.dirname(__file__), "../e2e/discordjs"))


class DiscordJsSuite:
    @classmethod
    def setUpClass(cls):
        npm_install(E2E, "discord.js")
        super().setUpClass()
        seeded = cls.server.run_command("seed")
        assert seeded.returncode == 0, seeded.stderr

    def login(self, username, password):
        r = self.req("POST", "/api/v1/auth/login", {"username": username, "password": password})
        self.assertStatus(r, 200)
        return r.json()["access_token"]

    def invite(self, admin):
        r = self.req("POST", "/api/v10/channels/1/invites", {"max_age": 0}, token=admin)
        self.assertStatus(r, 200)
        return r.json()["code"]

    def webhook(self):
        """A webhook of channel 1 for client.js's WebhookClient: "id/token"."""
        admin = self.login("admin", "Admin@12345")
        r = self.req("POST", "/api/v10/channels/1/webhooks", {"name": "djs hook"}, token=admin)
        self.assertStatus(r, 200)
        return f"{r.json()['id']}/{r.json()['token']}"

    def run_client(self, token, other, code):
        # The seed's @everyone predates threads and emojis; an operator grants them.
        admin = self.login("admin", "Admin@12345")
        r = self.req("PATCH", "/api/v10/guilds/1/roles/1", {"permissions": str(CLIENT_EVERYONE)},
                     token=admin)
        self.assertStatus(r, 200)
        forum = self.req("POST", "/api/v10/guilds/1/channels", {
            "name": "djs forum", "type": 15,
            "available_tags": [{"name": "bug"}, {"name": "idea"}]}, token=admin)
        self.assertStatus(forum, 201)
        news = self.req("POST", "/api/v10/guilds/1/channels", {"name": "djs news", "type": 5},
                        token=admin)
        self.assertStatus(news, 201)
        # Auto moderation rules are kept by those with MANAGE_GUILD: an operator makes the client
        # a manager.
        me = self.req("GET", "/api/v10/users/@me", token=token)
        self.assertStatus(me, 200)
        role = self.req("POST", "/api/v10/guilds/1/roles",
                        {"name": "djs managers", "permissions": str(MANAGE_GUILD)}, token=admin)
        self.assertStatus(role, 200)
        given = self.req("PUT", f"/api/v10/guilds/1/members/{me.json()['id']}/roles/"
                         f"{role.json()['id']}", token=admin)
        self.assertStatus(given, 204)
        r = subprocess.run(["node", "client.js", str(self.server.port), token, other, code,
                            self.webhook(), forum.json()["id"], news.json()["id"]],
                           cwd=E2E, capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("OK", r.stdout)

    def test_bot_token(self):
        admin = self.login("admin", "Admin@12345")
        other = self.login("testuser1", "TestUser1@123")
        app = self.req("POST", "/api/v10/applications", {"name": "discordjs bot"}, token=admin)
        self.assertStatus(app, 201)
        bot = app.json()["bot"]["token"]
        code = self.invite(admin)
        joined = self.req("POST", f"/api/v10/invites/{code}", headers={"Authorization": "Bot " + bot})
        self.assertStatus(joined, 200)
        self.run_client(bot, other, code)

    def test_user_access_token(self):
        admin = self.login("admin", "Admin@12345")
        self.run_client(self.login("testuser2", "TestUser2@123"),
                        self.login("testuser1", "TestUser1@123"), self.invite(admin))


class SqliteDiscordJs(DiscordJsSuite, ServerTestCase):
    BACKEND = "sqlite"


class PostgresDiscordJs(DiscordJsSuite, ServerTestCase):
    BACKEND = "postgres"


if __name__ == "__main__":
    unittest.main()
