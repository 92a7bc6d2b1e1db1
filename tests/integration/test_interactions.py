"""Interactions: a member runs an application's command (POST /interactions), its bot receives
INTERACTION_CREATE with the checked options and what they name, and answers with the token, once:
a message in the channel, an ephemeral one only the member sees, or "deferred" and the message
later; then it reads, edits and deletes its original response and sends followups through
/webhooks/{application_id}/{token}. Who may run what is checked (USE_APPLICATION_COMMANDS, the
command's default_member_permissions), and so are the options. SQLite and PostgreSQL."""
import unittest

from community_client import CommunityClient, unique
from harness import ServerTestCase

SECRET = "integration-test-secret-0123456789abcdef"
GUILDS, GUILD_MESSAGES, DIRECT_MESSAGES, MESSAGE_CONTENT = 1 << 0, 1 << 9, 1 << 12, 1 << 15
USE_APPLICATION_COMMANDS = 1 << 31
EVERYONE_DEFAULT = 563330162351681
EPHEMERAL = 1 << 6

ROLL = {"name": "roll", "description": "rolls dice", "options": [
    {"type": 3, "name": "label", "description": "what for", "required": True, "max_length": 10},
    {"type": 4, "name": "sides", "description": "how many", "min_value": 2, "max_value": 100},
    {"type": 6, "name": "for", "description": "who rolls"}]}


class InteractionSuite(CommunityClient):
    ENV = {"JWT_SECRET": SECRET}

    def setup_guild(self):
        """A guild with a member and an application whose bot is in it, the bot's READY session,
        and its registered commands: (guild, channel, owner, member, app, bot, commands)."""
        owner = self.user()
        g = self.api("POST", "/guilds", owner[1], {"name": "Interactions"}).json()
        channel = next(c["id"] for c in self.api("GET", f"/guilds/{g['id']}/channels",
                                                 owner[1]).json() if c["type"] == 0)
        code = self.api("POST", f"/channels/{channel}/invites", owner[1], {}).json()["code"]
        member = self.user()
        self.assertStatus(self.api("POST", f"/invites/{code}", member[1]), 200)
        r = self.api("POST", "/applications", owner[1], {"name": unique("app")})
        self.assertStatus(r, 201)
        app = r.json()
        bot = "Bot " + app["bot"]["token"]
        self.assertStatus(self.req("POST", f"/api/v10/invites/{code}",
                                   headers={"Authorization": bot}), 200)
        commands = {}
        for body in (ROLL, {"name": "purge", "description": "admins only",
                            "default_member_permissions": "8"},
                     {"name": "admin", "description": "groups", "options": [
                         {"type": 2, "name": "user", "description": "users", "options": [
                             {"type": 1, "name": "kick", "description": "kicks", "options": [
                                 {"type": 6, "name": "who", "description": "who",
                                  "required": True}]}]}]}):
            r = self.req("POST", f"/api/v10/applications/{app['id']}/commands", body,
                         headers={"Authorization": bot})
            self.assertStatus(r, 201)
            commands[body["name"]] = r.json()
        ws, _ = self.session(app["bot"]["token"], GUILDS)
        return g["id"], channel, owner, member, app, ws, commands

    def invoke(self, token, app, guild, channel, command, options=None, name=None):
        data = {"id": command["id"], "name": name or command["name"], "type": 1}
        if options is not None:
            data["options"] = options
        return self.api("POST", "/interactions", token,
                        {"type": 2, "application_id": app["id"], "guild_id": guild,
                         "channel_id": channel, "data": data})

    def callback(self, interaction, body):
        return self.api("POST", f"/interactions/{interaction['id']}/{interaction['token']}/callback",
                        None, body)

    def hook(self, app, interaction, suffix=""):
        return f"/webhooks/{app['id']}/{interaction['token']}{suffix}"

    def test_a_command_is_run_answered_once_and_followed_up(self):
        guild, channel, owner, (member, member_token), app, bot_ws, commands = self.setup_guild()
        member_ws, _ = self.session(member_token, GUILDS | GUILD_MESSAGES | MESSAGE_CONTENT)
        options = [{"type": 3, "name": "label", "value": "damage"},
                   {"type": 4, "name": "sides", "value": 20},
                   {"type": 6, "name": "for", "value": owner[0]}]
        self.assertStatus(self.invoke(member_token, app, guild, channel, commands["roll"],
                                      options), 204)
        it = self.next_dispatch(bot_ws, "INTERACTION_CREATE")
        self.assertEqual((it["type"], it["guild_id"], it["channel_id"], it["application_id"]),
                         (2, guild, channel, app["id"]))
        self.assertEqual(it["data"]["name"], "roll")
        self.assertEqual(it["data"]["options"], options)
        self.assertEqual(it["data"]["resolved"]["users"][owner[0]]["id"], owner[0])
        self.assertIn(owner[0], it["data"]["resolved"]["members"])
        self.assertEqual(it["member"]["user"]["id"], member)
        self.assertTrue(int(it["member"]["permissions"]) & USE_APPLICATION_COMMANDS)
        self.assertTrue(it["token"].startswith("aW50ZXJhY3Rpb246"))

        wrong = dict(it, token=it["token"][:-4] + "AAAA")
        self.assertStatus(self.callback(wrong, {"type": 4, "data": {"content": "x"}}), 401)
        self.assertStatus(self.callback(it, {"type": 7, "data": {"content": "x"}}), 400)
        self.assertStatus(self.callback(it, {"type": 4, "data": {"content": "rolled a 17"}}),
                          204)
        answer = self.next_dispatch(member_ws, "MESSAGE_CREATE")
        self.assertEqual((answer["content"], answer["type"], answer["author"]["id"]),
                         ("rolled a 17", 20, app["bot"]["id"]))
        again = self.callback(it, {"type": 4, "data": {"content": "twice"}})
        self.assertStatus(again, 400)
        self.assertEqual(again.json()["code"], 40060)

        original = self.api("GET", self.hook(app, it, "/messages/@original"))
        self.assertStatus(original, 200)
        self.assertEqual(original.json()["id"], answer["id"])
        r = self.api("PATCH", self.hook(app, it, "/messages/@original"), None,
                     {"content": "rolled a 18"})
        self.assertStatus(r, 200)
        self.assertEqual(self.next_dispatch(member_ws, "MESSAGE_UPDATE")["content"], "rolled a 18")
        r = self.api("POST", self.hook(app, it, "?wait=true"), None, {"content": "critical!"})
        self.assertStatus(r, 200)
        followup = r.json()
        self.assertEqual(self.next_dispatch(member_ws, "MESSAGE_CREATE")["id"], followup["id"])
        self.assertEqual(self.api("GET", self.hook(app, it, f"/messages/{followup['id']}"))
                         .json()["content"], "critical!")
        self.assertStatus(self.api("DELETE", self.hook(app, it, "/messages/@original")), 204)
        self.assertEqual(self.next_dispatch(member_ws, "MESSAGE_DELETE")["id"], answer["id"])
        # The token reaches only the bot's own messages.
        mine = self.api("POST", f"/channels/{channel}/messages", member_token,
                        {"content": "not the bot's"}).json()
        self.assertStatus(self.api("DELETE", self.hook(app, it, f"/messages/{mine['id']}")), 404)
        self.assertStatus(self.api("GET", f"/webhooks/{app['id']}/aW50ZXJhY3Rpb2468.xyz"
                                          "/messages/@original"), 404)

    def test_a_global_command_runs_in_the_bots_dms(self):
        guild, channel, (owner, owner_token), (member, member_token), app, bot_ws, commands = \
            self.setup_guild()
        bot_id = app["bot"]["id"]
        member_ws, _ = self.session(member_token, DIRECT_MESSAGES)
        r = self.api("POST", "/users/@me/channels", member_token, {"recipient_id": bot_id})
        self.assertStatus(r, 200)
        dm = r.json()["id"]

        def run(command, options=None, **extra):
            data = {"id": command["id"], "name": command["name"], "type": 1}
            if options is not None:
                data["options"] = options
            return self.api("POST", "/interactions", member_token,
                            {"type": 2, "application_id": app["id"], "channel_id": dm,
                             "data": data, **extra})

        options = [{"type": 3, "name": "label", "value": "dm"},
                   {"type": 6, "name": "for", "value": owner}]
        self.assertStatus(run(commands["roll"], options), 204)
        it = self.next_dispatch(bot_ws, "INTERACTION_CREATE")
        self.assertEqual((it["channel_id"], it["context"], it["user"]["id"], it["channel"]["type"]),
                         (dm, 1, member, 1))
        self.assertNotIn("guild_id", it)
        self.assertNotIn("member", it)
        self.assertEqual(it["authorizing_integration_owners"], {"0": "0"})
        # Users resolve without members: a DM has none.
        self.assertEqual(list(it["data"]["resolved"]), ["users"])
        self.assertStatus(self.callback(it, {"type": 4, "data": {"content": "rolled in a DM"}}),
                          204)
        answer = self.next_dispatch(member_ws, "MESSAGE_CREATE")
        self.assertEqual((answer["channel_id"], answer["author"]["id"], answer["type"]),
                         (dm, bot_id, 20))
        self.assertEqual(answer["interaction_metadata"]["user"]["id"], member)

        # Naming a guild, or running a command not offered in DMs, is refused.
        self.assertStatus(run(commands["roll"], options, guild_id=guild), 403)
        self.assertStatus(self.invoke(member_token, app, guild, dm, commands["roll"], options),
                          403)
        bot = {"Authorization": "Bot " + app["bot"]["token"]}
        r = self.req("POST", f"/api/v10/applications/{app['id']}/commands",
                     {"name": "servers", "description": "guilds only", "contexts": [0]},
                     headers=bot)
        self.assertStatus(r, 201)
        guild_only = r.json()
        self.assertEqual((guild_only["contexts"], guild_only["dm_permission"]), ([0], False))
        self.assertStatus(run(guild_only), 403)
        r = self.req("PATCH", f"/api/v10/applications/{app['id']}/commands/{guild_only['id']}",
                     {"contexts": [0, 1, 2], "integration_types": [0, 1]}, headers=bot)
        self.assertStatus(r, 200)
        self.assertEqual((r.json()["contexts"], r.json()["integration_types"]),
                         ([0, 1, 2], [0, 1]))
        self.assertStatus(run(guild_only), 204)
        self.assertEqual(self.next_dispatch(bot_ws, "INTERACTION_CREATE")["data"]["name"],
                         "servers")
        # Offered in DMs only: not run in the guild, nor listed in its index.
        r = self.req("PATCH", f"/api/v10/applications/{app['id']}/commands/{guild_only['id']}",
                     {"contexts": [1]}, headers=bot)
        self.assertEqual(r.json()["contexts"], [1])
        self.assertStatus(self.invoke(member_token, app, guild, channel, r.json()), 403)
        index = self.api("GET", f"/guilds/{guild}/application-command-index", member_token)
        self.assertNotIn("servers", [c["name"] for c in index.json()["application_commands"]])
        self.assertStatus(run(r.json()), 204)
        self.next_dispatch(bot_ws, "INTERACTION_CREATE")
        for bad in ({"contexts": [3]}, {"contexts": "0"}, {"integration_types": [2]},
                    {"contexts": [0, 1, 2, 0]}):
            self.assertStatus(self.req(
                "PATCH", f"/api/v10/applications/{app['id']}/commands/{guild_only['id']}", bad,
                headers=bot), 400)
        # A guild command is not run in a DM, nor in a DM the bot is not part of.
        r = self.req("POST", f"/api/v10/applications/{app['id']}/guilds/{guild}/commands",
                     {"name": "local", "description": "this guild"}, headers=bot)
        self.assertStatus(r, 201)
        self.assertStatus(run(r.json()), 404)
        other = self.api("POST", "/users/@me/channels", member_token,
                         {"recipient_id": owner}).json()
        self.assertStatus(self.api("POST", "/interactions", member_token, {
            "type": 2, "application_id": app["id"], "channel_id": other["id"],
            "data": {"id": commands["roll"]["id"], "name": "roll", "type": 1,
                     "options": options}}), 403)

        # The bot's buttons in the DM: pressing one reaches the bot from the DM.
        r = self.req("POST", f"/api/v10/channels/{dm}/messages", {"content": "ok?", "components": [
            {"type": 1, "components": [{"type": 2, "style": 1, "label": "OK",
                                        "custom_id": "ok"}]}]}, headers=bot)
        self.assertStatus(r, 200)
        self.assertStatus(self.api("POST", "/interactions", member_token, {
            "type": 3, "channel_id": dm, "message_id": r.json()["id"],
            "data": {"custom_id": "ok", "component_type": 2}}), 204)
        pressed = self.next_dispatch(bot_ws, "INTERACTION_CREATE")
        self.assertEqual((pressed["type"], pressed["context"], pressed["user"]["id"]),
                         (3, 1, member))

    def test_ephemeral_and_deferred_answers(self):
        guild, channel, (owner, owner_token), (member, member_token), app, bot_ws, commands = \
            self.setup_guild()
        member_ws, _ = self.session(member_token, GUILDS | GUILD_MESSAGES | MESSAGE_CONTENT)
        owner_ws, _ = self.session(owner_token, GUILDS | GUILD_MESSAGES | MESSAGE_CONTENT)
        roll = commands["roll"]
        self.assertStatus(self.invoke(member_token, app, guild, channel, roll,
                                      [{"type": 3, "name": "label", "value": "secret"}]), 204)
        it = self.next_dispatch(bot_ws, "INTERACTION_CREATE")
        self.assertStatus(self.callback(it, {"type": 4, "data": {"content": "only you",
                                                                 "flags": EPHEMERAL}}), 204)
        shown = self.next_dispatch(member_ws, "MESSAGE_CREATE")
        self.assertEqual((shown["content"], shown["flags"] & EPHEMERAL), ("only you", EPHEMERAL))
        # Nobody else saw it, and the channel does not keep it.
        self.api("POST", f"/channels/{channel}/messages", owner_token, {"content": "public"})
        self.assertEqual(self.next_dispatch(owner_ws, "MESSAGE_CREATE")["content"], "public")
        self.assertEqual(self.next_dispatch(member_ws, "MESSAGE_CREATE")["content"], "public")
        history = self.api("GET", f"/channels/{channel}/messages", owner_token).json()
        self.assertNotIn("only you", [m["content"] for m in history])

        self.assertStatus(self.invoke(member_token, app, guild, channel, roll,
                                      [{"type": 3, "name": "label", "value": "later"}]), 204)
        it = self.next_dispatch(bot_ws, "INTERACTION_CREATE")
        # Before any answer there is nothing to follow up.
        self.assertStatus(self.api("POST", self.hook(app, it), None, {"content": "early"}), 404)
        self.assertStatus(self.callback(it, {"type": 5}), 204)
        missing = self.api("GET", self.hook(app, it, "/messages/@original"))
        self.assertStatus(missing, 404)
        self.assertEqual(missing.json()["code"], 10008)
        r = self.api("PATCH", self.hook(app, it, "/messages/@original"), None,
                     {"content": "done thinking"})
        self.assertStatus(r, 200)
        self.assertEqual(self.next_dispatch(member_ws, "MESSAGE_CREATE")["id"], r.json()["id"])
        self.assertEqual(self.api("GET", self.hook(app, it, "/messages/@original")).json()["id"],
                         r.json()["id"])

        # Deferred ephemerally: the first followup takes the deferral's place and stays private;
        # the original's edit and deletion reach only the member too. Later followups are public.
        self.assertStatus(self.invoke(member_token, app, guild, channel, roll,
                                      [{"type": 3, "name": "label", "value": "quiet"}]), 204)
        it = self.next_dispatch(bot_ws, "INTERACTION_CREATE")
        self.assertStatus(self.callback(it, {"type": 5, "data": {"flags": EPHEMERAL}}), 204)
        r = self.api("POST", self.hook(app, it), None, {"content": "just for you"})
        self.assertStatus(r, 200)
        shown = self.next_dispatch(member_ws, "MESSAGE_CREATE")
        self.assertEqual((shown["id"], shown["flags"] & EPHEMERAL), (r.json()["id"], EPHEMERAL))
        # Kept apart from the channel, the application reads it back.
        kept = self.api("GET", self.hook(app, it, "/messages/@original"))
        self.assertStatus(kept, 200)
        self.assertEqual((kept.json()["id"], kept.json()["content"]),
                         (shown["id"], "just for you"))
        self.assertStatus(self.api("PATCH", self.hook(app, it, "/messages/@original"), None,
                                   {"content": "still just for you"}), 200)
        updated = self.next_dispatch(member_ws, "MESSAGE_UPDATE")
        self.assertEqual((updated["id"], updated["content"]), (shown["id"], "still just for you"))
        self.assertStatus(self.api("POST", self.hook(app, it), None, {"content": "for all"}), 200)
        self.assertStatus(self.api("DELETE", self.hook(app, it, "/messages/@original")), 204)
        self.assertEqual(self.next_dispatch(member_ws, "MESSAGE_CREATE")["content"], "for all")
        self.assertEqual(self.next_dispatch(member_ws, "MESSAGE_DELETE")["id"], shown["id"])
        # The owner saw the public answers only: the deferred one, then the public followup.
        self.assertEqual(self.next_dispatch(owner_ws, "MESSAGE_CREATE")["content"], "done thinking")
        self.assertEqual(self.next_dispatch(owner_ws, "MESSAGE_CREATE")["content"], "for all")
        history = [m["content"] for m in
                   self.api("GET", f"/channels/{channel}/messages", owner_token).json()]
        self.assertNotIn("just for you", history)
        self.assertNotIn("still just for you", history)

    def test_answers_name_their_interaction_and_need_no_channel_permissions(self):
        guild, channel, (owner, owner_token), (member, member_token), app, bot_ws, commands = \
            self.setup_guild()
        bot = {"Authorization": "Bot " + app["bot"]["token"]}
        # The bot may not send here, and the channel has a slowmode: neither stops an answer.
        self.assertStatus(self.api("PATCH", f"/channels/{channel}", owner_token,
                                   {"rate_limit_per_user": 60}), 200)
        self.assertStatus(self.api("PUT", f"/channels/{channel}/permissions/{app['bot']['id']}",
                                   owner_token, {"type": 1, "allow": "0",
                                                 "deny": str(1 << 11)}), 204)
        self.assertStatus(self.req("POST", f"/api/v10/channels/{channel}/messages",
                                   {"content": "plain"}, headers=bot), 403)
        self.assertStatus(self.invoke(member_token, app, guild, channel, commands["roll"],
                                      [{"type": 3, "name": "label", "value": "x"}]), 204)
        it = self.next_dispatch(bot_ws, "INTERACTION_CREATE")
        self.assertStatus(self.callback(it, {"type": 4, "data": {"content": "answered"}}), 204)
        first = self.api("POST", self.hook(app, it, "?wait=true"), None, {"content": "one"})
        second = self.api("POST", self.hook(app, it, "?wait=true"), None, {"content": "two"})
        self.assertStatus(first, 200)
        self.assertStatus(second, 200)
        history = self.api("GET", f"/channels/{channel}/messages", owner_token).json()
        answer = next(m for m in history if m["content"] == "answered")
        meta = answer["interaction_metadata"]
        self.assertEqual((meta["id"], meta["type"], meta["user"]["id"]), (it["id"], 2, member))
        self.assertEqual(meta["authorizing_integration_owners"], {"0": guild})
        self.assertEqual((answer["interaction"]["name"], answer["interaction"]["user"]["id"]),
                         ("roll", member))
        self.assertEqual(second.json()["interaction_metadata"]["original_response_message_id"],
                         answer["id"])

    def test_autocomplete_offers_the_bots_choices_to_the_member_typing(self):
        guild, channel, (owner, owner_token), (member, member_token), app, bot_ws, _ = \
            self.setup_guild()
        bot = {"Authorization": "Bot " + app["bot"]["token"]}
        r = self.req("POST", f"/api/v10/applications/{app['id']}/commands", {
            "name": "fruit", "description": "picks a fruit", "options": [
                {"type": 3, "name": "kind", "description": "which", "required": True,
                 "autocomplete": True},
                {"type": 4, "name": "count", "description": "how many", "required": True}]},
            headers=bot)
        self.assertStatus(r, 201)
        fruit = r.json()
        member_ws, _ = self.session(member_token, GUILDS)

        def typing(options):
            return self.api("POST", "/interactions", member_token, {
                "type": 4, "application_id": app["id"], "guild_id": guild, "channel_id": channel,
                "data": {"id": fruit["id"], "name": "fruit", "type": 1, "options": options}})

        # The required count is not typed yet; "kind" is being typed.
        self.assertStatus(typing([{"type": 3, "name": "kind", "value": "ap", "focused": True}]),
                          204)
        it = self.next_dispatch(bot_ws, "INTERACTION_CREATE")
        self.assertEqual((it["type"], it["data"]["options"]),
                         (4, [{"type": 3, "name": "kind", "value": "ap", "focused": True}]))
        self.assertStatus(self.callback(it, {"type": 4, "data": {"content": "no"}}), 400)
        too_many = [{"name": str(i), "value": str(i)} for i in range(26)]
        self.assertStatus(self.callback(it, {"type": 8, "data": {"choices": too_many}}), 400)
        choices = [{"name": "Apple", "value": "apple"}, {"name": "Apricot", "value": "apricot"}]
        self.assertStatus(self.callback(it, {"type": 8, "data": {"choices": choices}}), 204)
        result = self.next_dispatch(member_ws, "APPLICATION_COMMAND_AUTOCOMPLETE_RESPONSE")
        self.assertEqual(result["choices"], choices)
        self.assertEqual(self.callback(it, {"type": 8, "data": {"choices": []}}).json()["code"],
                         40060)
        # It has no message to follow up or edit.
        self.assertStatus(self.api("POST", self.hook(app, it), None, {"content": "x"}), 404)
        self.assertStatus(self.api("PATCH", self.hook(app, it, "/messages/@original"), None,
                                   {"content": "x"}), 404)
        # One focused option, one that autocompletes; the others still checked.
        for options in ([], [{"type": 3, "name": "kind", "value": "a"}],
                        [{"type": 4, "name": "count", "value": "1", "focused": True}],
                        [{"type": 3, "name": "kind", "value": "a", "focused": True},
                         {"type": 4, "name": "count", "value": "many"}]):
            self.assertStatus(typing(options), 400)
        # A command's interaction takes no choices.
        self.assertStatus(self.api("POST", "/interactions", member_token, {
            "type": 2, "application_id": app["id"], "guild_id": guild, "channel_id": channel,
            "data": {"id": fruit["id"], "name": "fruit", "type": 1, "options": [
                {"type": 3, "name": "kind", "value": "apple"},
                {"type": 4, "name": "count", "value": 2}]}}), 204)
        run = self.next_dispatch(bot_ws, "INTERACTION_CREATE")
        self.assertStatus(self.callback(run, {"type": 8, "data": {"choices": choices}}), 400)

    def test_user_and_message_commands_run_on_their_target(self):
        guild, channel, (owner, owner_token), (member, member_token), app, bot_ws, _ = \
            self.setup_guild()
        bot = {"Authorization": "Bot " + app["bot"]["token"]}
        made = {}
        for body in ({"type": 2, "name": "Wave"}, {"type": 3, "name": "Quote"}):
            r = self.req("POST", f"/api/v10/applications/{app['id']}/commands", body, headers=bot)
            self.assertStatus(r, 201)
            made[body["name"]] = r.json()
        wave = self.api("POST", "/interactions", member_token, {
            "type": 2, "application_id": app["id"], "guild_id": guild, "channel_id": channel,
            "data": {"id": made["Wave"]["id"], "name": "Wave", "type": 2, "target_id": owner}})
        self.assertStatus(wave, 204)
        it = self.next_dispatch(bot_ws, "INTERACTION_CREATE")
        self.assertEqual(it["data"]["target_id"], owner)
        self.assertEqual(it["data"]["resolved"]["users"][owner]["id"], owner)
        self.assertStatus(self.callback(it, {"type": 4, "data": {"content": "waves"}}), 204)
        self.assertEqual(self.api("GET", self.hook(app, it, "/messages/@original")).json()["type"],
                         23)

        said = self.api("POST", f"/channels/{channel}/messages", owner_token,
                        {"content": "quote me"}).json()
        quote = {"type": 2, "application_id": app["id"], "guild_id": guild, "channel_id": channel,
                 "data": {"id": made["Quote"]["id"], "name": "Quote", "type": 3,
                          "target_id": said["id"]}}
        self.assertStatus(self.api("POST", "/interactions", member_token, quote), 204)
        it = self.next_dispatch(bot_ws, "INTERACTION_CREATE")
        self.assertEqual(it["data"]["resolved"]["messages"][said["id"]]["content"], "quote me")
        # A target is required, and must be a message of that channel.
        del quote["data"]["target_id"]
        self.assertStatus(self.api("POST", "/interactions", member_token, quote), 400)
        quote["data"]["target_id"] = "424242"
        self.assertStatus(self.api("POST", "/interactions", member_token, quote), 404)

    def test_a_guild_lists_what_its_members_may_run(self):
        guild, channel, (owner, owner_token), (member, member_token), app, _, commands = \
            self.setup_guild()
        index = self.api("GET", f"/guilds/{guild}/application-command-index", member_token)
        self.assertStatus(index, 200)
        self.assertEqual([a["id"] for a in index.json()["applications"]], [app["id"]])
        self.assertEqual(index.json()["applications"][0]["bot_id"], app["bot"]["id"])
        # /purge needs ADMINISTRATOR: the member is not offered it, the owner is.
        self.assertEqual(sorted(c["name"] for c in index.json()["application_commands"]),
                         ["admin", "roll"])
        owner_index = self.api("GET", f"/guilds/{guild}/application-command-index", owner_token)
        self.assertEqual(sorted(c["name"] for c in owner_index.json()["application_commands"]),
                         ["admin", "purge", "roll"])
        _, stranger = self.user()
        self.assertStatus(self.api("GET", f"/guilds/{guild}/application-command-index", stranger),
                          403)

    def test_guild_managers_set_who_may_run_a_command(self):
        guild, channel, (owner, owner_token), (member, member_token), app, bot_ws, commands = \
            self.setup_guild()
        bot = {"Authorization": "Bot " + app["bot"]["token"]}
        base = f"/api/v10/applications/{app['id']}/guilds/{guild}/commands"
        roll, purge = commands["roll"], commands["purge"]
        label = [{"type": 3, "name": "label", "value": "luck"}]
        self.assertEqual(self.req("GET", f"{base}/permissions", headers=bot).json(), [])
        missing = self.req("GET", f"{base}/{roll['id']}/permissions", headers=bot)
        self.assertStatus(missing, 404)
        self.assertEqual(missing.json()["code"], 10066)

        # Only a person who manages the guild sets them; the bot reads them.
        deny_member = {"permissions": [{"id": member, "type": 2, "permission": False}]}
        by_bot = self.req("PUT", f"{base}/{roll['id']}/permissions", deny_member, headers=bot)
        self.assertStatus(by_bot, 403)
        self.assertEqual(by_bot.json()["code"], 20001)
        self.assertStatus(self.req("PUT", f"{base}/{roll['id']}/permissions", deny_member,
                                   token=member_token), 403)
        for bad in ({"permissions": [{"id": "424242", "type": 1, "permission": True}]},
                    {"permissions": [{"id": "424242", "type": 3, "permission": True}]},
                    {"permissions": [{"id": member, "type": 4, "permission": True}]},
                    {"permissions": [{"id": member, "type": 2, "permission": "no"}]},
                    {"permissions": [{"id": member, "type": 2, "permission": True}] * 2},
                    {}):
            self.assertStatus(self.req("PUT", f"{base}/{roll['id']}/permissions", bad,
                                       token=owner_token), 400)
        self.assertStatus(self.req("PUT", f"{base}/424242/permissions", deny_member,
                                   token=owner_token), 404)

        r = self.req("PUT", f"{base}/{roll['id']}/permissions", deny_member, token=owner_token)
        self.assertStatus(r, 200)
        expected = {"id": roll["id"], "application_id": app["id"], "guild_id": guild,
                    "permissions": [{"id": member, "type": 2, "permission": False}]}
        self.assertEqual(r.json(), expected)
        self.assertEqual(self.next_dispatch(bot_ws, "APPLICATION_COMMAND_PERMISSIONS_UPDATE"),
                         expected)
        self.assertEqual(self.req("GET", f"{base}/{roll['id']}/permissions", headers=bot).json(),
                         expected)
        self.assertStatus(self.invoke(member_token, app, guild, channel, roll, label), 403)
        index = self.api("GET", f"/guilds/{guild}/application-command-index", member_token).json()
        self.assertEqual(sorted(c["name"] for c in index["application_commands"]), ["admin"])
        self.assertStatus(self.invoke(owner_token, app, guild, channel, roll, label), 204)
        # A manager changes the permissions only of commands they may run themselves.
        managers = self.api("POST", f"/guilds/{guild}/roles", owner_token,
                            {"name": "managers", "permissions": str((1 << 5) | (1 << 28))}).json()
        self.assertStatus(self.api("PUT", f"/guilds/{guild}/members/{member}/roles/"
                                   f"{managers['id']}", owner_token), 204)
        self.assertStatus(self.req("PUT", f"{base}/{roll['id']}/permissions", {"permissions": []},
                                   token=member_token), 403)

        # A role allowed outweighs default_member_permissions (/purge needs ADMINISTRATOR).
        role = self.api("POST", f"/guilds/{guild}/roles", owner_token, {"name": "janitors"}).json()
        self.assertStatus(self.api("PUT", f"/guilds/{guild}/members/{member}/roles/{role['id']}",
                                   owner_token), 204)
        self.assertStatus(self.invoke(member_token, app, guild, channel, purge), 403)
        self.assertStatus(self.req("PUT", f"{base}/{purge['id']}/permissions",
                                   {"permissions": [{"id": role["id"], "type": 1,
                                                     "permission": True}]},
                                   token=owner_token), 200)
        self.assertStatus(self.invoke(member_token, app, guild, channel, purge), 204)

        # For all of the application's commands: nowhere but this channel.
        other = self.api("POST", f"/guilds/{guild}/channels", owner_token,
                         {"name": "elsewhere"}).json()
        app_wide = {"permissions": [
            {"id": str(int(guild) - 1), "type": 3, "permission": False},
            {"id": channel, "type": 3, "permission": True}]}
        r = self.req("PUT", f"{base}/{app['id']}/permissions", app_wide, token=owner_token)
        self.assertStatus(r, 200)
        self.assertStatus(self.invoke(member_token, app, guild, other["id"], purge), 403)
        self.assertStatus(self.invoke(member_token, app, guild, channel, purge), 204)
        listed = self.req("GET", f"{base}/permissions", headers=bot).json()
        self.assertEqual(sorted(p["id"] for p in listed),
                         sorted([roll["id"], purge["id"], app["id"]]))
        entries = self.api("GET", f"/guilds/{guild}/audit-logs?action_type=121",
                           owner_token).json()["audit_log_entries"]
        self.assertEqual(sorted(e["target_id"] for e in entries),
                         sorted([roll["id"], purge["id"], app["id"]]))
        self.assertEqual(entries[-1]["options"]["application_id"], app["id"])

        # An empty list takes them away.
        self.assertStatus(self.req("PUT", f"{base}/{roll['id']}/permissions",
                                   {"permissions": []}, token=owner_token), 200)
        self.assertStatus(self.req("GET", f"{base}/{roll['id']}/permissions", headers=bot), 404)
        self.assertStatus(self.invoke(member_token, app, guild, channel, roll, label), 204)

    def test_channel_options_and_age_restricted_commands(self):
        guild, channel, (owner, owner_token), (member, member_token), app, bot_ws, _ = \
            self.setup_guild()
        bot = {"Authorization": "Bot " + app["bot"]["token"]}
        made = {}
        for body in ({"name": "join", "description": "joins a voice channel", "options": [
                         {"type": 7, "name": "where", "description": "where", "required": True,
                          "channel_types": [2]}]},
                     {"name": "spicy", "description": "age-restricted", "nsfw": True}):
            r = self.req("POST", f"/api/v10/applications/{app['id']}/commands", body, headers=bot)
            self.assertStatus(r, 201)
            made[body["name"]] = r.json()
        channels = self.api("GET", f"/guilds/{guild}/channels", owner_token).json()
        voice = next(c["id"] for c in channels if c["type"] == 2)
        where = lambda c: [{"type": 7, "name": "where", "value": c}]  # noqa: E731
        self.assertStatus(self.invoke(member_token, app, guild, channel, made["join"],
                                      where(channel)), 400)
        self.assertStatus(self.invoke(member_token, app, guild, channel, made["join"],
                                      where(voice)), 204)
        it = self.next_dispatch(bot_ws, "INTERACTION_CREATE")
        seen = it["data"]["resolved"]["channels"][voice]
        self.assertEqual((seen["id"], seen["type"]), (voice, 2))
        self.assertNotIn("permission_overwrites", seen)
        self.assertStatus(self.invoke(member_token, app, guild, channel, made["spicy"]), 403)
        self.assertStatus(self.api("PATCH", f"/channels/{channel}", owner_token, {"nsfw": True}),
                          200)
        self.assertStatus(self.invoke(member_token, app, guild, channel, made["spicy"]), 204)

    def test_who_may_run_what_and_with_which_options(self):
        guild, channel, (owner, owner_token), (member, member_token), app, bot_ws, commands = \
            self.setup_guild()
        roll = commands["roll"]
        bad_options = [
            None,  # `label` is required
            [{"type": 3, "name": "label", "value": "this is far too long"}],
            [{"type": 3, "name": "label", "value": "x"}, {"type": 4, "name": "sides", "value": 1}],
            [{"type": 3, "name": "label", "value": "x"}, {"type": 4, "name": "sides", "value": "6"}],
            [{"type": 3, "name": "label", "value": "x"}, {"type": 3, "name": "nope", "value": "y"}],
            [{"type": 3, "name": "label", "value": "x"}, {"type": 6, "name": "for",
                                                         "value": "424242"}],
        ]
        for options in bad_options:
            self.assertStatus(self.invoke(member_token, app, guild, channel, roll, options), 400)
        self.assertStatus(self.invoke(member_token, app, guild, channel, roll,
                                      [{"type": 3, "name": "label", "value": "x"}],
                                      name="renamed"), 400)
        unknown = self.invoke(member_token, app, guild, channel, dict(roll, id="424242"))
        self.assertStatus(unknown, 404)
        self.assertEqual(unknown.json()["code"], 10063)
        bot_run = self.req("POST", "/api/v10/interactions",
                           {"type": 2, "application_id": app["id"], "channel_id": channel,
                            "data": {"id": roll["id"], "name": "roll"}},
                           headers={"Authorization": "Bot " + app["bot"]["token"]})
        self.assertStatus(bot_run, 403)
        # Subcommands: exactly one, down to its options.
        admin = commands["admin"]
        ok = [{"type": 2, "name": "user", "options": [
            {"type": 1, "name": "kick", "options": [{"type": 6, "name": "who", "value": owner}]}]}]
        self.assertStatus(self.invoke(owner_token, app, guild, channel, admin, ok), 204)
        it = self.next_dispatch(bot_ws, "INTERACTION_CREATE")
        self.assertEqual(it["data"]["options"], ok)
        self.assertStatus(self.invoke(owner_token, app, guild, channel, admin,
                                      [{"type": 2, "name": "user", "options": []}]), 400)

        # default_member_permissions "8": administrators (and the owner) only.
        self.assertStatus(self.invoke(member_token, app, guild, channel, commands["purge"]), 403)
        self.assertStatus(self.invoke(owner_token, app, guild, channel, commands["purge"]), 204)
        # Without USE_APPLICATION_COMMANDS nobody but the owner runs anything.
        self.assertStatus(self.api("PATCH", f"/guilds/{guild}/roles/{guild}", owner_token,
                                   {"permissions": str(EVERYONE_DEFAULT &
                                                       ~USE_APPLICATION_COMMANDS)}), 200)
        denied = self.invoke(member_token, app, guild, channel, roll,
                             [{"type": 3, "name": "label", "value": "x"}])
        self.assertStatus(denied, 403)
        self.assertEqual(denied.json()["code"], 50013)


class SqliteInteractions(InteractionSuite, ServerTestCase):
    BACKEND = "sqlite"


class PostgresInteractions(InteractionSuite, ServerTestCase):
    BACKEND = "postgres"


if __name__ == "__main__":
    unittest.main()
