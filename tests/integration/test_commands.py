"""Application commands: an application's bot or owner registers slash, user and message commands
globally or in a guild its bot is in (Discord's /applications/{id}/commands and
/applications/{id}/guilds/{guild_id}/commands), with Discord's validation, its replace-by-name,
its bulk overwrite that keeps the ids of commands it keeps, and its limits. SQLite and
PostgreSQL."""
import unittest

from community_client import CommunityClient, unique
from harness import ServerTestCase

SECRET = "integration-test-secret-0123456789abcdef"


def slash(name, description="does a thing", **extra):
    return {"name": name, "description": description, **extra}


class CommandSuite(CommunityClient):
    ENV = {"JWT_SECRET": SECRET}

    def application(self):
        """A new user's application: (app id, owner token, bot token, bot id)."""
        _, owner = self.user()
        r = self.api("POST", "/applications", owner, {"name": unique("app")})
        self.assertStatus(r, 201)
        app = r.json()
        return app["id"], owner, "Bot " + app["bot"]["token"], app["bot"]["id"]

    def bot_api(self, method, path, bot, body=None):
        return self.req(method, "/api/v10" + path, body, headers={"Authorization": bot})

    def test_a_global_command_is_registered_replaced_edited_and_deleted(self):
        app, owner, bot, _ = self.application()
        base = f"/applications/{app}/commands"
        self.assertStatus(self.api("GET", base), 401)
        r = self.bot_api("POST", base, bot, slash("ping", "replies pong", options=[
            {"type": 3, "name": "text", "description": "what to echo", "required": True,
             "max_length": 50},
            {"type": 4, "name": "times", "description": "how often", "min_value": 1,
             "max_value": 5, "choices": [{"name": "once", "value": 1}, {"name": "twice", "value": 2}]},
        ]))
        self.assertStatus(r, 201)
        ping = r.json()
        self.assertEqual((ping["name"], ping["type"], ping["application_id"]), ("ping", 1, app))
        self.assertNotIn("guild_id", ping)
        self.assertEqual([o["name"] for o in ping["options"]], ["text", "times"])
        self.assertEqual(ping["options"][0]["max_length"], 50)
        self.assertEqual(ping["options"][1]["choices"][1], {"name": "twice", "value": 2})
        self.assertIsNone(ping["default_member_permissions"])

        # The same name again replaces the command: same id, new version, 200.
        r = self.bot_api("POST", base, bot, slash("ping", "replies pong, politely",
                                                  default_member_permissions="8"))
        self.assertStatus(r, 200)
        again = r.json()
        self.assertEqual(again["id"], ping["id"])
        self.assertNotEqual(again["version"], ping["version"])
        self.assertEqual(again["default_member_permissions"], "8")
        self.assertNotIn("options", again)

        # A user command of the same name is another command; the owner's token works too.
        r = self.api("POST", base, owner, {"type": 2, "name": "Ping Them"})
        self.assertStatus(r, 201)
        listed = self.bot_api("GET", base, bot).json()
        self.assertEqual([(c["name"], c["type"]) for c in listed], [("ping", 1), ("Ping Them", 2)])
        self.assertEqual(self.bot_api("GET", f"{base}/{ping['id']}", bot).json()["description"],
                         "replies pong, politely")

        r = self.bot_api("PATCH", f"{base}/{ping['id']}", bot, {"name": "pong"})
        self.assertStatus(r, 200)
        self.assertEqual((r.json()["name"], r.json()["description"]),
                         ("pong", "replies pong, politely"))
        self.assertStatus(self.bot_api("PATCH", f"{base}/{ping['id']}", bot, {"name": "Pong"}),
                          400)
        self.assertStatus(self.bot_api("DELETE", f"{base}/{ping['id']}", bot), 204)
        gone = self.bot_api("GET", f"{base}/{ping['id']}", bot)
        self.assertStatus(gone, 404)
        self.assertEqual(gone.json()["code"], 10063)
        self.assertStatus(self.bot_api("DELETE", f"{base}/{ping['id']}", bot), 404)

    def test_commands_are_validated_as_discord_does(self):
        app, _, bot, _ = self.application()
        base = f"/applications/{app}/commands"
        sub = {"type": 1, "name": "add", "description": "adds"}
        plain = {"type": 3, "name": "word", "description": "a word"}
        bad = [
            (slash("Upper"), "name"),
            (slash("has space"), "name"),
            (slash("x" * 33), "name"),
            ({"name": "nodescription"}, "description"),
            (slash("long", "d" * 101), "description"),
            (slash("mixed", options=[sub, plain]), "options"),
            (slash("group", options=[{"type": 2, "name": "g", "description": "g",
                                      "options": [plain]}]), "options"),
            (slash("order", options=[plain, dict(plain, name="must", required=True)]), "options"),
            (slash("twice", options=[plain, plain]), "options"),
            (slash("many", options=[dict(plain, name=f"o{i}") for i in range(26)]), "options"),
            (slash("boolchoices", options=[{"type": 5, "name": "b", "description": "b",
                                            "choices": [{"name": "y", "value": True}]}]),
             "options"),
            (slash("badtype", options=[dict(plain, type=12)]), "options"),
            ({"type": 3, "name": "Menu", "description": "not allowed"}, "description"),
            ({"type": 4, "name": "x", "description": "x"}, "type"),
            (slash("perm", default_member_permissions="lots"), "default_member_permissions"),
        ]
        for body, field in bad:
            r = self.bot_api("POST", base, bot, body)
            self.assertStatus(r, 400)
            self.assertEqual(r.json()["code"], 50035, body)
            self.assertIn(field, r.json()["errors"], body)
        self.assertEqual(self.bot_api("GET", base, bot).json(), [])
        # Subcommands inside a group, each with their own options, are fine.
        r = self.bot_api("POST", base, bot, slash("tag", options=[
            {"type": 2, "name": "admin", "description": "admin",
             "options": [dict(sub, options=[dict(plain, required=True)])]},
            dict(sub, name="show")]))
        self.assertStatus(r, 201)
        self.assertEqual(r.json()["options"][0]["options"][0]["options"][0]["name"], "word")

    def test_only_the_application_itself_manages_its_commands(self):
        app, _, bot, _ = self.application()
        other_app, _, other_bot, _ = self.application()
        _, stranger = self.user()
        base = f"/applications/{app}/commands"
        self.assertStatus(self.bot_api("POST", base, bot, slash("mine")), 201)
        for r in (self.api("GET", base, stranger), self.bot_api("GET", base, other_bot),
                  self.bot_api("POST", base, other_bot, slash("theirs"))):
            self.assertStatus(r, 404)
            self.assertEqual(r.json()["code"], 10002)
        self.assertEqual(self.bot_api("GET", f"/applications/{other_app}/commands", other_bot)
                         .json(), [])

    def test_guild_commands_need_the_bot_in_the_guild_and_stay_in_it(self):
        app, owner, bot, bot_id = self.application()
        g = self.api("POST", "/guilds", owner, {"name": "Commands"}).json()
        base = f"/applications/{app}/guilds/{g['id']}/commands"
        r = self.bot_api("POST", base, bot, slash("local"))
        self.assertStatus(r, 403)
        self.assertEqual(r.json()["code"], 50001)
        channel = next(c["id"] for c in self.api("GET", f"/guilds/{g['id']}/channels", owner).json()
                       if c["type"] == 0)
        code = self.api("POST", f"/channels/{channel}/invites", owner, {}).json()["code"]
        self.assertStatus(self.bot_api("POST", f"/invites/{code}", bot), 200)

        r = self.bot_api("POST", base, bot, slash("local"))
        self.assertStatus(r, 201)
        self.assertEqual(r.json()["guild_id"], g["id"])
        self.assertNotIn("dm_permission", r.json())
        self.assertStatus(self.bot_api("POST", f"/applications/{app}/commands", bot,
                                       slash("everywhere")), 201)
        self.assertEqual([c["name"] for c in self.bot_api("GET", base, bot).json()], ["local"])
        self.assertEqual([c["name"] for c in
                          self.bot_api("GET", f"/applications/{app}/commands", bot).json()],
                         ["everywhere"])
        # A guild command is not reachable as a global one, nor in another guild.
        local = self.bot_api("GET", base, bot).json()[0]["id"]
        self.assertStatus(self.bot_api("GET", f"/applications/{app}/commands/{local}", bot), 404)

        # Deleting the guild deletes its commands with it; the global one stays.
        self.assertStatus(self.api("DELETE", f"/guilds/{g['id']}", owner), 204)
        self.assertEqual([c["name"] for c in
                          self.bot_api("GET", f"/applications/{app}/commands", bot).json()],
                         ["everywhere"])

    def test_a_bulk_overwrite_replaces_the_scope_and_keeps_kept_ids(self):
        app, _, bot, _ = self.application()
        base = f"/applications/{app}/commands"
        r = self.bot_api("PUT", base, bot, [slash("alpha"), slash("beta")])
        self.assertStatus(r, 200)
        first = {c["name"]: c for c in r.json()}
        r = self.bot_api("PUT", base, bot, [slash("beta", "changed"), slash("gamma"),
                                            {"type": 3, "name": "Quote"}])
        self.assertStatus(r, 200)
        second = {c["name"]: c for c in r.json()}
        self.assertEqual(sorted(second), ["Quote", "beta", "gamma"])
        self.assertEqual(second["beta"]["id"], first["beta"]["id"])
        self.assertEqual(second["beta"]["description"], "changed")
        self.assertEqual(sorted(c["name"] for c in self.bot_api("GET", base, bot).json()),
                         ["Quote", "beta", "gamma"])

        # One bad command refuses the whole list and changes nothing.
        r = self.bot_api("PUT", base, bot, [slash("delta"), slash("Bad Name")])
        self.assertStatus(r, 400)
        self.assertIn("1", r.json()["errors"])
        r = self.bot_api("PUT", base, bot, [slash("same"), slash("same")])
        self.assertStatus(r, 400)
        self.assertStatus(self.bot_api("PUT", base, bot, {"not": "a list"}), 400)
        self.assertEqual(len(self.bot_api("GET", base, bot).json()), 3)
        self.assertEqual(self.bot_api("PUT", base, bot, []).json(), [])
        self.assertEqual(self.bot_api("GET", base, bot).json(), [])

    def test_a_scope_holds_five_commands_of_each_context_menu(self):
        app, _, bot, _ = self.application()
        base = f"/applications/{app}/commands"
        for i in range(5):
            self.assertStatus(self.bot_api("POST", base, bot, {"type": 2, "name": f"User {i}"}),
                              201)
        r = self.bot_api("POST", base, bot, {"type": 2, "name": "User 5"})
        self.assertStatus(r, 400)
        self.assertEqual(r.json()["code"], 30032)
        # Replacing one of the five is not a sixth; a message command is another kind.
        self.assertStatus(self.bot_api("POST", base, bot, {"type": 2, "name": "User 4"}), 200)
        self.assertStatus(self.bot_api("POST", base, bot, {"type": 3, "name": "Message 0"}), 201)
        r = self.bot_api("PUT", base, bot, [{"type": 2, "name": f"U{i}"} for i in range(6)])
        self.assertStatus(r, 400)
        self.assertEqual(r.json()["code"], 30032)
        self.assertEqual(len(self.bot_api("GET", base, bot).json()), 6)


class SqliteCommands(CommandSuite, ServerTestCase):
    BACKEND = "sqlite"


class PostgresCommands(CommandSuite, ServerTestCase):
    BACKEND = "postgres"


if __name__ == "__main__":
    unittest.main()
