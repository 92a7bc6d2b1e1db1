"""Forwarded messages (message_reference type 1): a message forwarded to another channel, guild or
DM shows a snapshot of the original as it was (message_snapshots, flag HAS_SNAPSHOT 1 << 14) and
a reference to it, whatever happens to the original afterwards; the sender must be able to read
the original; a forward carries nothing of its own; a forward of a forward passes the original on;
bots without MESSAGE_CONTENT see the snapshot emptied. Messages of announcement channels are
published (crossposted) once, by their author or a moderator. SQLite and PostgreSQL."""
import unittest

from community_client import CommunityClient, unique
from harness import ServerTestCase

SECRET = "integration-test-secret-0123456789abcdef"
GUILDS, GUILD_MESSAGES, DIRECT_MESSAGES = 1 << 0, 1 << 9, 1 << 12
MESSAGE_CONTENT = 1 << 15
HAS_SNAPSHOT = 1 << 14
VIEW_CHANNEL = 1 << 10


class ForwardSuite(CommunityClient):
    ENV = {"JWT_SECRET": SECRET}

    def forward(self, token, to, message, extra=None, **reference):
        ref = {"type": 1, "message_id": message["id"], "channel_id": message["channel_id"],
               **reference}
        return self.api("POST", f"/channels/{to}/messages", token,
                        {"message_reference": ref, **(extra or {})})

    def test_a_forward_shows_the_original_as_it_was(self):
        (owner, owner_token), (member, member_token) = self.user(), self.user()
        source_guild, source = self.guild_with_channel(owner_token, "Source")
        target_guild, target = self.guild_with_channel(owner_token, "Target")
        self.join_through(owner_token, source, member_token)
        self.join_through(owner_token, target, member_token)
        ws, _ = self.session(member_token, GUILDS | GUILD_MESSAGES)
        original = self.api("POST", f"/channels/{source}/messages", member_token,
                            {"content": f"hello <@{owner}>",
                             "embeds": [{"title": "an embed"}]}).json()
        self.next_dispatch(ws, "MESSAGE_CREATE")

        r = self.forward(owner_token, target, original, guild_id=source_guild)
        self.assertStatus(r, 200)
        fwd = r.json()
        self.assertEqual((fwd["content"], fwd["type"], fwd["flags"] & HAS_SNAPSHOT),
                         ("", 0, HAS_SNAPSHOT))
        self.assertEqual(fwd["message_reference"],
                         {"type": 1, "message_id": original["id"], "channel_id": source,
                          "guild_id": source_guild})
        self.assertNotIn("referenced_message", fwd)
        snap = fwd["message_snapshots"][0]["message"]
        self.assertEqual((snap["content"], snap["embeds"][0]["title"], snap["timestamp"]),
                         (original["content"], "an embed", original["timestamp"]))
        self.assertEqual([u["id"] for u in snap["mentions"]], [owner])
        self.assertNotIn("author", snap)
        # The forward pings nobody itself.
        self.assertEqual((fwd["mentions"], fwd["mention_everyone"]), ([], False))
        live = self.next_dispatch(ws, "MESSAGE_CREATE")
        self.assertEqual((live["id"], live["guild_id"]), (fwd["id"], target_guild))
        self.assertEqual(live["message_snapshots"][0]["message"]["content"], original["content"])

        # The original edited, then deleted: the forward still shows it as it was.
        self.assertStatus(self.api("PATCH", f"/channels/{source}/messages/{original['id']}",
                                   member_token, {"content": "changed my mind"}), 200)
        self.assertStatus(self.api("DELETE", f"/channels/{source}/messages/{original['id']}",
                                   member_token), 204)
        again = self.api("GET", f"/channels/{target}/messages/{fwd['id']}", member_token).json()
        self.assertEqual(again["message_snapshots"], fwd["message_snapshots"])
        self.assertEqual(again["message_reference"], fwd["message_reference"])

        # A forward is not edited into a message of its own; its flags still change.
        edit = f"/channels/{target}/messages/{fwd['id']}"
        for body in ({"content": "mine now"}, {"embeds": [{"title": "x"}]}):
            self.assertStatus(self.api("PATCH", edit, owner_token, body), 400)
        self.assertStatus(self.api("PATCH", edit, owner_token, {"flags": 4}), 200)
        # A forward of the forward passes on the original, not the forward.
        r = self.forward(member_token, source, fwd)
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["message_reference"], fwd["message_reference"])
        self.assertEqual(r.json()["message_snapshots"], fwd["message_snapshots"])

    def test_what_may_be_forwarded_and_by_whom(self):
        (owner, owner_token), (member, member_token) = self.user(), self.user()
        guild, channel = self.guild_with_channel(owner_token, "Rules")
        self.join_through(owner_token, channel, member_token)
        secret = self.api("POST", f"/guilds/{guild}/channels", owner_token, {
            "name": "staff", "permission_overwrites": [
                {"id": guild, "type": 0, "deny": str(VIEW_CHANNEL)}]}).json()
        hidden = self.api("POST", f"/channels/{secret['id']}/messages", owner_token,
                          {"content": "staff only"}).json()
        open_msg = self.api("POST", f"/channels/{channel}/messages", owner_token,
                            {"content": "for everyone"}).json()
        # Only what the sender can read.
        self.assertIn(self.forward(member_token, channel, hidden).status, (403, 404))
        # Nothing of its own, and a reference that names the message and its channel.
        for extra in ({"content": "look"}, {"embeds": [{"title": "x"}]},
                      {"poll": {"question": {"text": "?"},
                                "answers": [{"poll_media": {"text": "a"}}]}}):
            r = self.forward(member_token, channel, open_msg, extra)
            self.assertStatus(r, 400)
            self.assertEqual(r.json()["code"], 50035, extra)
        no_channel = self.api("POST", f"/channels/{channel}/messages", member_token,
                              {"message_reference": {"type": 1, "message_id": open_msg["id"]}})
        self.assertStatus(no_channel, 400)
        for bad_type in (2, "1", -1):
            r = self.api("POST", f"/channels/{channel}/messages", member_token,
                         {"message_reference": {"type": bad_type, "message_id": open_msg["id"],
                                                "channel_id": channel}})
            self.assertStatus(r, 400)
        # Polls and system messages are not forwarded.
        asked = self.api("POST", f"/channels/{channel}/messages", owner_token, {"poll": {
            "question": {"text": "?"}, "answers": [{"poll_media": {"text": "a"}}]}}).json()
        self.assertStatus(self.forward(member_token, channel, asked), 400)
        gone = self.forward(member_token, channel,
                            {"id": "123456789012345678", "channel_id": channel})
        self.assertStatus(gone, 400)
        # A DM: the member forwards the guild's message to the owner.
        dm = self.api("POST", "/users/@me/channels", member_token, {"recipient_id": owner}).json()
        owner_ws, _ = self.session(owner_token, DIRECT_MESSAGES)
        r = self.forward(member_token, dm["id"], open_msg)
        self.assertStatus(r, 200)
        seen = self.next_dispatch(owner_ws, "MESSAGE_CREATE")
        self.assertEqual(seen["message_snapshots"][0]["message"]["content"], "for everyone")
        self.assertEqual(seen["message_reference"]["guild_id"], guild)
        # A bot without MESSAGE_CONTENT sees the snapshot emptied, with it the text.
        app = self.api("POST", "/applications", owner_token, {"name": unique("app")}).json()
        bot = {"Authorization": "Bot " + app["bot"]["token"]}
        code = self.api("POST", f"/channels/{channel}/invites", owner_token, {}).json()["code"]
        self.assertStatus(self.req("POST", f"/api/v10/invites/{code}", headers=bot), 200)
        blind, _ = self.session(app["bot"]["token"], GUILDS | GUILD_MESSAGES)
        reading, _ = self.session(app["bot"]["token"], GUILDS | GUILD_MESSAGES | MESSAGE_CONTENT)
        self.assertStatus(self.forward(member_token, channel, open_msg), 200)
        self.assertEqual(self.next_dispatch(blind, "MESSAGE_CREATE")
                         ["message_snapshots"][0]["message"]["content"], "")
        self.assertEqual(self.next_dispatch(reading, "MESSAGE_CREATE")
                         ["message_snapshots"][0]["message"]["content"], "for everyone")
        # A message that mentions the bot reaches it whole too; others stay emptied.
        bot_id = app["bot"]["id"]
        self.api("POST", f"/channels/{channel}/messages", member_token,
                 {"content": f"<@{bot_id}> help"})
        self.assertEqual(self.next_dispatch(blind, "MESSAGE_CREATE")["content"],
                         f"<@{bot_id}> help")
        self.api("POST", f"/channels/{channel}/messages", member_token, {"content": "not you"})
        self.assertEqual(self.next_dispatch(blind, "MESSAGE_CREATE")["content"], "")
        # In a DM with the bot, it reads the text without MESSAGE_CONTENT, as on Discord.
        dm_blind, _ = self.session(app["bot"]["token"], DIRECT_MESSAGES)
        bot_dm = self.api("POST", "/users/@me/channels", member_token,
                          {"recipient_id": app["bot"]["id"]}).json()
        self.api("POST", f"/channels/{bot_dm['id']}/messages", member_token,
                 {"content": "psst, bot"})
        self.assertEqual(self.next_dispatch(dm_blind, "MESSAGE_CREATE")["content"], "psst, bot")
        # Webhooks do not forward.
        hook = self.api("POST", f"/channels/{channel}/webhooks", owner_token,
                        {"name": "hook"}).json()
        r = self.req("POST", f"/api/v10/webhooks/{hook['id']}/{hook['token']}", {
            "message_reference": {"type": 1, "message_id": open_msg["id"],
                                  "channel_id": channel}})
        self.assertStatus(r, 400)

    def test_an_announcement_is_published_once_by_its_author_or_a_moderator(self):
        (owner, owner_token), (member, member_token) = self.user(), self.user()
        guild, general = self.guild_with_channel(owner_token, "News")
        self.join_through(owner_token, general, member_token)
        news = self.api("POST", f"/guilds/{guild}/channels", owner_token,
                        {"name": "news", "type": 5}).json()
        ws, _ = self.session(member_token, GUILDS | GUILD_MESSAGES)
        post = self.api("POST", f"/channels/{news['id']}/messages", owner_token,
                        {"content": "v2 is out"}).json()
        self.assertEqual(post["flags"] & 1, 0)
        self.next_dispatch(ws, "MESSAGE_CREATE")
        path = f"/channels/{news['id']}/messages/{post['id']}/crosspost"
        self.assertStatus(self.api("POST", path, member_token), 403)
        r = self.api("POST", path, owner_token)
        self.assertStatus(r, 200)
        self.assertEqual((r.json()["id"], r.json()["flags"] & 1), (post["id"], 1))
        update = self.next_dispatch(ws, "MESSAGE_UPDATE")
        self.assertEqual((update["id"], update["flags"] & 1, update["content"]),
                         (post["id"], 1, "v2 is out"))
        again = self.api("POST", path, owner_token)
        self.assertStatus(again, 400)
        self.assertEqual(again.json()["code"], 40033)
        # Members publish their own announcements; nothing is published outside such channels.
        own = self.api("POST", f"/channels/{news['id']}/messages", member_token,
                       {"content": "mine"}).json()
        self.assertStatus(self.api("POST", f"/channels/{news['id']}/messages/{own['id']}"
                                           "/crosspost", member_token), 200)
        plain = self.api("POST", f"/channels/{general}/messages", owner_token,
                         {"content": "chat"}).json()
        r = self.api("POST", f"/channels/{general}/messages/{plain['id']}/crosspost", owner_token)
        self.assertStatus(r, 400)
        self.assertEqual(r.json()["code"], 50024)
        self.assertStatus(self.api("POST", f"/channels/{news['id']}/messages/1234/crosspost",
                                   owner_token), 404)


class SqliteForwards(ForwardSuite, ServerTestCase):
    pass


class PostgresForwards(ForwardSuite, ServerTestCase):
    BACKEND = "postgres"


if __name__ == "__main__":
    unittest.main()
