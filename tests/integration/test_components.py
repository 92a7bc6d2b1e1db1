"""Message components and modals: an application's bot sends buttons and select menus on its
messages; a member presses a button or picks values (POST /interactions, type 3), checked against
the message's components; the bot receives INTERACTION_CREATE with the message and answers: a new
message, an update of the message the component is on (7), or a deferred update (6) edited later
through @original. Ephemeral answers keep working components for their one member. A command or a
component can be answered with a modal (9), which reaches only its member, whose submission
(type 5) is checked against the modal's fields. SQLite and PostgreSQL."""
import datetime
import unittest

from community_client import CommunityClient, unique
from harness import ServerTestCase

SECRET = "integration-test-secret-0123456789abcdef"
GUILDS, GUILD_MESSAGES, MESSAGE_CONTENT = 1 << 0, 1 << 9, 1 << 15
EPHEMERAL = 1 << 6

BUTTONS = {"type": 1, "components": [
    {"type": 2, "style": 3, "label": "Yes", "custom_id": "yes"},
    {"type": 2, "style": 4, "label": "No", "custom_id": "no", "disabled": True},
    {"type": 2, "style": 5, "label": "Docs", "url": "https://example.com/docs"}]}
FLAVOURS = {"type": 1, "components": [
    {"type": 3, "custom_id": "flavour", "placeholder": "Pick", "min_values": 1, "max_values": 2,
     "options": [{"label": "Vanilla", "value": "v"}, {"label": "Mint", "value": "m",
                                                      "description": "fresh"},
                 {"label": "Lemon", "value": "l", "emoji": {"name": "🍋"}}]}]}
WHO = {"type": 1, "components": [{"type": 5, "custom_id": "who", "max_values": 2}]}
FEEDBACK = {"custom_id": "feedback", "title": "Tell us", "components": [
    {"type": 1, "components": [{"type": 4, "custom_id": "name", "style": 1, "label": "Name",
                                "max_length": 20}]},
    {"type": 1, "components": [{"type": 4, "custom_id": "text", "style": 2, "label": "Text",
                                "required": False}]}]}


class ComponentSuite(CommunityClient):
    ENV = {"JWT_SECRET": SECRET}

    def setup_guild(self):
        """A guild with a member and an application whose bot is in it, with one slash command:
        (guild, channel, owner, member, app, bot token, bot session, command)."""
        owner = self.user()
        g = self.api("POST", "/guilds", owner[1], {"name": "Components"}).json()
        channel = next(c["id"] for c in self.api("GET", f"/guilds/{g['id']}/channels",
                                                 owner[1]).json() if c["type"] == 0)
        code = self.api("POST", f"/channels/{channel}/invites", owner[1], {}).json()["code"]
        member = self.user()
        self.assertStatus(self.api("POST", f"/invites/{code}", member[1]), 200)
        app = self.api("POST", "/applications", owner[1], {"name": unique("app")}).json()
        bot = "Bot " + app["bot"]["token"]
        self.assertStatus(self.req("POST", f"/api/v10/invites/{code}",
                                   headers={"Authorization": bot}), 200)
        r = self.req("POST", f"/api/v10/applications/{app['id']}/commands",
                     {"name": "ask", "description": "asks"}, headers={"Authorization": bot})
        self.assertStatus(r, 201)
        ws, _ = self.session(app["bot"]["token"], GUILDS)
        return g["id"], channel, owner, member, app, bot, ws, r.json()

    def bot_post(self, bot, channel, body):
        return self.req("POST", f"/api/v10/channels/{channel}/messages", body,
                        headers={"Authorization": bot})

    def use(self, token, guild, channel, message, custom_id, component_type=2, values=None):
        data = {"custom_id": custom_id, "component_type": component_type}
        if values is not None:
            data["values"] = values
        return self.api("POST", "/interactions", token,
                        {"type": 3, "guild_id": guild, "channel_id": channel,
                         "message_id": message, "data": data})

    def invoke(self, token, app, guild, channel, command):
        return self.api("POST", "/interactions", token,
                        {"type": 2, "application_id": app["id"], "guild_id": guild,
                         "channel_id": channel,
                         "data": {"id": command["id"], "name": command["name"], "type": 1}})

    def callback(self, interaction, body):
        return self.api("POST", f"/interactions/{interaction['id']}/{interaction['token']}/callback",
                        None, body)

    def hook(self, app, interaction, suffix=""):
        return f"/webhooks/{app['id']}/{interaction['token']}{suffix}"

    def test_components_are_validated_kept_and_only_applications_send_live_ones(self):
        guild, channel, (owner, owner_token), _, app, bot, _, _ = self.setup_guild()
        r = self.bot_post(bot, channel, {"content": "choose", "components": [BUTTONS, FLAVOURS]})
        self.assertStatus(r, 200)
        sent = r.json()["components"]
        self.assertEqual([c["custom_id"] for c in sent[0]["components"][:2]], ["yes", "no"])
        self.assertEqual(sent[0]["components"][1]["disabled"], True)
        self.assertEqual(sent[0]["components"][2]["url"], "https://example.com/docs")
        self.assertEqual([o["value"] for o in sent[1]["components"][0]["options"]],
                         ["v", "m", "l"])
        got = self.api("GET", f"/channels/{channel}/messages/{r.json()['id']}", owner_token)
        self.assertEqual(got.json()["components"], sent)
        # Components alone make a message.
        self.assertStatus(self.bot_post(bot, channel, {"components": [WHO]}), 200)

        # A user's message starts no interaction: link buttons only.
        refused = self.api("POST", f"/channels/{channel}/messages", owner_token,
                           {"content": "press", "components": [BUTTONS]})
        self.assertStatus(refused, 400)
        self.assertIn("components", refused.json()["errors"])
        link = {"type": 1, "components": [BUTTONS["components"][2]]}
        self.assertStatus(self.api("POST", f"/channels/{channel}/messages", owner_token,
                                   {"content": "read", "components": [link]}), 200)

        # Webhooks: one a bot made sends live components (for its application), one a person
        # made only link buttons.
        people = self.api("POST", f"/channels/{channel}/webhooks", owner_token,
                          {"name": "people"}).json()
        r = self.req("POST", f"/api/v10/webhooks/{people['id']}/{people['token']}?wait=true",
                     {"content": "press", "components": [BUTTONS]})
        self.assertStatus(r, 400)
        hooks = self.api("POST", f"/guilds/{guild}/roles", owner_token,
                         {"name": "hooks", "permissions": str(1 << 29)}).json()
        self.assertStatus(self.api("PUT", f"/guilds/{guild}/members/{app['bot']['id']}/roles/"
                                   f"{hooks['id']}", owner_token), 204)
        made = self.req("POST", f"/api/v10/channels/{channel}/webhooks", {"name": "bots"},
                        headers={"Authorization": bot})
        self.assertStatus(made, 200)
        ours = made.json()
        r = self.req("POST", f"/api/v10/webhooks/{ours['id']}/{ours['token']}?wait=true",
                     {"content": "press", "components": [BUTTONS]})
        self.assertStatus(r, 200)
        self.assertEqual([c["custom_id"] for c in r.json()["components"][0]["components"][:2]],
                         ["yes", "no"])

        six = {"type": 1, "components": [{"type": 2, "style": 1, "label": str(i),
                                          "custom_id": f"b{i}"} for i in range(6)]}
        for bad, field in (
                ([six], "components"),
                ([BUTTONS, BUTTONS], "components"),  # custom ids repeat
                ([{"type": 1, "components": [BUTTONS["components"][0],
                                             FLAVOURS["components"][0]]}], "components"),
                ([{"type": 1, "components": [{"type": 2, "style": 5, "label": "x",
                                              "url": "https://a.b", "custom_id": "c"}]}],
                 "components"),
                ([{"type": 1, "components": [{"type": 2, "style": 1, "custom_id": "c"}]}],
                 "components"),  # neither label nor emoji
                ([{"type": 1, "components": [dict(FLAVOURS["components"][0], max_values=4)]}],
                 "components"),
                ([{"type": 1, "components": [{"type": 4, "custom_id": "t", "label": "t",
                                              "style": 1}]}], "components"),
                ({"type": 1}, "components")):
            r = self.bot_post(bot, channel, {"content": "bad", "components": bad})
            self.assertStatus(r, 400)
            self.assertEqual(r.json()["code"], 50035)
            self.assertIn(field, r.json()["errors"])

        # An edit replaces them, [] removes them.
        msg = self.bot_post(bot, channel, {"content": "edit me", "components": [BUTTONS]}).json()
        r = self.req("PATCH", f"/api/v10/channels/{channel}/messages/{msg['id']}",
                     {"components": [FLAVOURS]}, headers={"Authorization": bot})
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["components"][0]["components"][0]["custom_id"], "flavour")
        r = self.req("PATCH", f"/api/v10/channels/{channel}/messages/{msg['id']}",
                     {"components": []}, headers={"Authorization": bot})
        self.assertEqual((r.json()["components"], r.json()["content"]), ([], "edit me"))

    def test_a_button_press_reaches_the_bot_which_updates_the_message(self):
        guild, channel, (owner, owner_token), (member, member_token), app, bot, bot_ws, _ = \
            self.setup_guild()
        owner_ws, _ = self.session(owner_token, GUILDS | GUILD_MESSAGES | MESSAGE_CONTENT)
        msg = self.bot_post(bot, channel, {"content": "Deploy?", "components": [BUTTONS]}).json()
        self.assertEqual(self.next_dispatch(owner_ws, "MESSAGE_CREATE")["id"], msg["id"])

        self.assertStatus(self.use(member_token, guild, channel, msg["id"], "yes"), 204)
        it = self.next_dispatch(bot_ws, "INTERACTION_CREATE")
        self.assertEqual((it["type"], it["application_id"], it["channel_id"]),
                         (3, app["id"], channel))
        self.assertEqual(it["data"], {"custom_id": "yes", "component_type": 2})
        self.assertEqual((it["message"]["id"], it["member"]["user"]["id"]), (msg["id"], member))
        self.assertEqual(it["message"]["components"], msg["components"])

        # Updating the message it is on: everyone sees the edit.
        r = self.callback(it, {"type": 7, "data": {"content": "Deploying…", "components": []}})
        self.assertStatus(r, 204)
        updated = self.next_dispatch(owner_ws, "MESSAGE_UPDATE")
        self.assertEqual((updated["id"], updated["content"], updated["components"]),
                         (msg["id"], "Deploying…", []))
        self.assertEqual(self.callback(it, {"type": 6}).json()["code"], 40060)
        self.assertEqual(self.api("GET", self.hook(app, it, "/messages/@original")).json()["id"],
                         msg["id"])
        # The button is gone now; a disabled one, another message's or a wrong type never work.
        gone = self.use(member_token, guild, channel, msg["id"], "yes")
        self.assertStatus(gone, 400)
        self.assertIn("data", gone.json()["errors"])
        other = self.bot_post(bot, channel, {"content": "again", "components": [BUTTONS]}).json()
        self.assertStatus(self.use(member_token, guild, channel, other["id"], "no"), 400)
        self.assertStatus(self.use(member_token, guild, channel, other["id"], "yes", 3, ["v"]),
                          400)
        self.assertStatus(self.use(member_token, guild, channel, "1000000000000000001", "yes"),
                          404)
        # A timed-out member presses nothing; nobody presses in a locked thread but moderators.
        until = (datetime.datetime.now(datetime.timezone.utc) +
                 datetime.timedelta(days=1)).isoformat()
        self.assertStatus(self.api("PATCH", f"/guilds/{guild}/members/{member}", owner_token,
                                   {"communication_disabled_until": until}), 200)
        self.assertStatus(self.use(member_token, guild, channel, other["id"], "yes"), 403)
        self.assertStatus(self.api("PATCH", f"/guilds/{guild}/members/{member}", owner_token,
                                   {"communication_disabled_until": None}), 200)
        thread = self.api("POST", f"/channels/{channel}/threads", owner_token,
                          {"name": "locked", "type": 11}).json()
        in_thread = self.bot_post(bot, thread["id"], {"content": "t", "components": [BUTTONS]})
        self.assertStatus(in_thread, 200)
        self.assertStatus(self.api("PATCH", f"/channels/{thread['id']}", owner_token,
                                   {"locked": True}), 200)
        self.assertStatus(self.use(member_token, guild, thread["id"], in_thread.json()["id"],
                                   "yes"), 403)
        # A user's own message has no application to answer.
        mine = self.api("POST", f"/channels/{channel}/messages", member_token,
                        {"content": "mine"}).json()
        self.assertStatus(self.use(member_token, guild, channel, mine["id"], "yes"), 400)

        # A deferred update: nothing changes until the bot edits @original, the message itself.
        self.assertStatus(self.use(owner_token, guild, channel, other["id"], "yes"), 204)
        it = self.next_dispatch(bot_ws, "INTERACTION_CREATE")
        self.assertStatus(self.callback(it, {"type": 6}), 204)
        r = self.api("PATCH", self.hook(app, it, "/messages/@original"), None,
                     {"content": "done", "components": []})
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["id"], other["id"])
        self.assertEqual(self.next_dispatch(owner_ws, "MESSAGE_CREATE")["id"], other["id"])
        self.assertEqual(self.next_dispatch(owner_ws, "MESSAGE_UPDATE")["content"], "done")
        # Or a reply: a new message of the bot.
        third = self.bot_post(bot, channel, {"content": "third", "components": [BUTTONS]}).json()
        self.assertStatus(self.use(member_token, guild, channel, third["id"], "yes"), 204)
        it = self.next_dispatch(bot_ws, "INTERACTION_CREATE")
        self.assertStatus(self.callback(it, {"type": 4, "data": {"content": "noted"}}), 204)
        self.assertEqual(self.next_dispatch(owner_ws, "MESSAGE_CREATE")["id"], third["id"])
        reply = self.next_dispatch(owner_ws, "MESSAGE_CREATE")
        self.assertEqual((reply["content"], reply["type"], reply["author"]["id"]),
                         ("noted", 0, app["bot"]["id"]))

    def test_select_menus_take_only_what_they_offer(self):
        guild, channel, (owner, owner_token), (member, member_token), app, bot, bot_ws, _ = \
            self.setup_guild()
        msg = self.bot_post(bot, channel, {"content": "pick", "components": [FLAVOURS]}).json()
        for values in (["x"], [], ["v", "m", "l"], ["v", "v"], "v"):
            self.assertStatus(self.use(member_token, guild, channel, msg["id"], "flavour", 3,
                                       values), 400)
        self.assertStatus(self.use(member_token, guild, channel, msg["id"], "flavour", 3,
                                   ["m", "l"]), 204)
        it = self.next_dispatch(bot_ws, "INTERACTION_CREATE")
        self.assertEqual(it["data"], {"custom_id": "flavour", "component_type": 3,
                                      "values": ["m", "l"]})

        # A user select: the picked users come back resolved, with their membership.
        who = self.bot_post(bot, channel, {"content": "who", "components": [WHO]}).json()
        self.assertStatus(self.use(member_token, guild, channel, who["id"], "who", 5,
                                   [owner, member]), 204)
        it = self.next_dispatch(bot_ws, "INTERACTION_CREATE")
        self.assertEqual(it["data"]["values"], [owner, member])
        self.assertEqual(set(it["data"]["resolved"]["users"]), {owner, member})
        self.assertEqual(set(it["data"]["resolved"]["members"]), {owner, member})
        self.assertStatus(self.use(member_token, guild, channel, who["id"], "who", 5,
                                   ["123456789012345678"]), 400)

        # Role and mentionable selects: roles of the guild, or users and roles mixed.
        role = self.api("POST", f"/guilds/{guild}/roles", owner_token, {"name": "helpers"}).json()
        menus = self.bot_post(bot, channel, {"content": "roles", "components": [
            {"type": 1, "components": [{"type": 6, "custom_id": "role"}]},
            {"type": 1, "components": [{"type": 7, "custom_id": "any", "max_values": 2}]}]}).json()
        self.assertStatus(self.use(member_token, guild, channel, menus["id"], "role", 6,
                                   [role["id"]]), 204)
        it = self.next_dispatch(bot_ws, "INTERACTION_CREATE")
        self.assertEqual(it["data"]["values"], [role["id"]])
        self.assertEqual(it["data"]["resolved"]["roles"][role["id"]]["name"], "helpers")
        self.assertStatus(self.use(member_token, guild, channel, menus["id"], "role", 6,
                                   [member]), 400)  # a user is not a role
        self.assertStatus(self.use(member_token, guild, channel, menus["id"], "any", 7,
                                   [role["id"], owner]), 204)
        it = self.next_dispatch(bot_ws, "INTERACTION_CREATE")
        self.assertEqual(set(it["data"]["resolved"]["roles"]), {role["id"]})
        self.assertEqual(set(it["data"]["resolved"]["users"]), {owner})
        self.assertStatus(self.use(member_token, guild, channel, menus["id"], "any", 7,
                                   ["123456789012345678"]), 400)

        # The member must be able to read the message.
        hidden = self.api("POST", f"/guilds/{guild}/channels", owner_token,
                          {"name": "staff", "permission_overwrites": [
                              {"id": guild, "type": 0, "allow": "0", "deny": "1024"},
                              {"id": app["bot"]["id"], "type": 1, "allow": "1024",
                               "deny": "0"}]}).json()
        secret = self.bot_post(bot, hidden["id"], {"content": "s", "components": [FLAVOURS]})
        self.assertStatus(secret, 200)
        self.assertStatus(self.use(member_token, guild, hidden["id"], secret.json()["id"],
                                   "flavour", 3, ["v"]), 403)

    def test_ephemeral_answers_keep_working_components_for_their_member(self):
        guild, channel, (owner, owner_token), (member, member_token), app, bot, bot_ws, ask = \
            self.setup_guild()
        member_ws, _ = self.session(member_token, GUILDS | GUILD_MESSAGES | MESSAGE_CONTENT)
        self.assertStatus(self.invoke(member_token, app, guild, channel, ask), 204)
        it = self.next_dispatch(bot_ws, "INTERACTION_CREATE")
        self.assertStatus(self.callback(it, {"type": 4, "data": {
            "content": "sure?", "flags": EPHEMERAL, "components": [BUTTONS]}}), 204)
        shown = self.next_dispatch(member_ws, "MESSAGE_CREATE")
        self.assertEqual((shown["flags"] & EPHEMERAL, shown["components"][0]["components"][0]
                          ["custom_id"]), (EPHEMERAL, "yes"))
        # Only its member can press it.
        self.assertStatus(self.use(owner_token, guild, channel, shown["id"], "yes"), 404)
        self.assertStatus(self.use(member_token, guild, channel, shown["id"], "yes"), 204)
        pressed = self.next_dispatch(bot_ws, "INTERACTION_CREATE")
        self.assertEqual((pressed["message"]["id"], pressed["message"]["flags"] & EPHEMERAL),
                         (shown["id"], EPHEMERAL))
        self.assertStatus(self.callback(pressed, {"type": 7, "data": {"content": "confirmed",
                                                                      "components": []}}), 204)
        updated = self.next_dispatch(member_ws, "MESSAGE_UPDATE")
        self.assertEqual((updated["id"], updated["content"], updated["components"]),
                         (shown["id"], "confirmed", []))
        original = self.api("GET", self.hook(app, pressed, "/messages/@original"))
        self.assertStatus(original, 200)
        self.assertEqual(original.json()["content"], "confirmed")
        history = self.api("GET", f"/channels/{channel}/messages", owner_token).json()
        self.assertNotIn(shown["id"], [m["id"] for m in history])
        self.assertStatus(self.api("DELETE", self.hook(app, it, "/messages/@original")), 204)
        self.assertEqual(self.next_dispatch(member_ws, "MESSAGE_DELETE")["id"], shown["id"])
        self.assertStatus(self.use(member_token, guild, channel, shown["id"], "yes"), 404)

    def test_modals_reach_their_member_whose_submission_is_checked(self):
        guild, channel, (owner, owner_token), (member, member_token), app, bot, bot_ws, ask = \
            self.setup_guild()
        member_ws, _ = self.session(member_token, GUILDS | GUILD_MESSAGES | MESSAGE_CONTENT)
        self.assertStatus(self.invoke(member_token, app, guild, channel, ask), 204)
        it = self.next_dispatch(bot_ws, "INTERACTION_CREATE")
        bad = dict(FEEDBACK, components=[{"type": 1, "components": [
            {"type": 2, "style": 1, "label": "no", "custom_id": "b"}]}])
        self.assertStatus(self.callback(it, {"type": 9, "data": bad}), 400)
        self.assertStatus(self.callback(it, {"type": 9, "data": FEEDBACK}), 204)
        modal = self.next_dispatch(member_ws, "INTERACTION_MODAL_CREATE")
        self.assertEqual((modal["custom_id"], modal["title"], modal["application"]["id"]),
                         ("feedback", "Tell us", app["id"]))
        self.assertEqual([r["components"][0]["custom_id"] for r in modal["components"]],
                         ["name", "text"])

        def submit(token, fields, custom_id="feedback"):
            return self.api("POST", "/interactions", token, {
                "type": 5, "application_id": app["id"], "channel_id": channel, "guild_id": guild,
                "data": {"id": modal["id"], "custom_id": custom_id, "components": [
                    {"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]}
                    for k, v in fields.items()]}})

        self.assertStatus(submit(owner_token, {"name": "Ann"}), 404)  # not shown to them
        self.assertStatus(submit(member_token, {"text": "no name"}), 400)  # name is required
        self.assertStatus(submit(member_token, {"name": "x" * 21}), 400)  # past max_length
        self.assertStatus(submit(member_token, {"name": "Ann", "age": "3"}), 400)  # no such field
        self.assertStatus(submit(member_token, {"name": "Ann"}, "other"), 400)
        self.assertStatus(submit(member_token, {"name": "Ann", "text": "great"}), 204)
        sent = self.next_dispatch(bot_ws, "INTERACTION_CREATE")
        self.assertEqual((sent["type"], sent["data"]["custom_id"]), (5, "feedback"))
        self.assertEqual([(r["components"][0]["custom_id"], r["components"][0]["value"])
                          for r in sent["data"]["components"]], [("name", "Ann"), ("text", "great")])
        self.assertStatus(self.callback(sent, {"type": 9, "data": FEEDBACK}), 400)
        # The command answered with the modal has no message to edit.
        self.assertStatus(self.api("PATCH", self.hook(app, it, "/messages/@original"), None,
                                   {"content": "x"}), 404)
        self.assertStatus(self.callback(sent, {"type": 7, "data": {"content": "x"}}), 400)
        self.assertStatus(self.callback(sent, {"type": 4, "data": {"content": "thanks Ann"}}), 204)
        self.assertEqual(self.next_dispatch(member_ws, "MESSAGE_CREATE")["content"], "thanks Ann")

        # From a button: the submission updates the message the button is on.
        msg = self.bot_post(bot, channel, {"content": "rate us", "components": [BUTTONS]}).json()
        self.assertEqual(self.next_dispatch(member_ws, "MESSAGE_CREATE")["id"], msg["id"])
        self.assertStatus(self.use(member_token, guild, channel, msg["id"], "yes"), 204)
        pressed = self.next_dispatch(bot_ws, "INTERACTION_CREATE")
        self.assertStatus(self.callback(pressed, {"type": 9, "data": FEEDBACK}), 204)
        modal = self.next_dispatch(member_ws, "INTERACTION_MODAL_CREATE")
        self.assertStatus(submit(member_token, {"name": "Bo"}), 204)
        sent = self.next_dispatch(bot_ws, "INTERACTION_CREATE")
        self.assertEqual(sent["message"]["id"], msg["id"])
        self.assertStatus(self.callback(sent, {"type": 7, "data": {"content": "rated by Bo",
                                                                   "components": []}}), 204)
        self.assertEqual(self.next_dispatch(member_ws, "MESSAGE_UPDATE")["content"], "rated by Bo")


class SqliteComponents(ComponentSuite, ServerTestCase):
    BACKEND = "sqlite"


class PostgresComponents(ComponentSuite, ServerTestCase):
    BACKEND = "postgres"


if __name__ == "__main__":
    unittest.main()
