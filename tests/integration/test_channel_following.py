"""Channel following (POST /channels/{id}/followers): a text channel following an announcement
channel gets a follower webhook (type 2, source_guild and source_channel, no token), and every
message published there (crossposted) arrives as a copy posted by that webhook: its content,
embeds and files, pinging no one, flag IS_CROSSPOST (1 << 1) and a message_reference naming the
original. The channel says it follows (CHANNEL_FOLLOW_ADD, type 12). Edits of the original reach
the copies; deleting it (alone, in bulk or by a ban's purge) leaves them saying so
(SOURCE_MESSAGE_DELETED, 1 << 3). A message is published once, and a copy is not published
again. SQLite and PostgreSQL."""
import json
import unittest
import uuid

from community_client import CommunityClient
from harness import ServerTestCase

SECRET = "integration-test-secret-0123456789abcdef"
GUILDS, GUILD_WEBHOOKS, GUILD_MESSAGES = 1 << 0, 1 << 5, 1 << 9
CROSSPOSTED, IS_CROSSPOST, SOURCE_MESSAGE_DELETED = 1 << 0, 1 << 1, 1 << 3
MANAGE_WEBHOOKS = 1 << 29
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00\x00\x00\x03\x00\x00\x00\x02" + \
    b"\x08\x06\x00\x00\x00" + b"\x00" * 16


def multipart(payload, filename, data):
    boundary = "----following" + uuid.uuid4().hex
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="payload_json"\r\n\r\n'
            f'{json.dumps(payload)}\r\n--{boundary}\r\nContent-Disposition: form-data; '
            f'name="files[0]"; filename="{filename}"\r\nContent-Type: image/png\r\n\r\n'
            ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, "multipart/form-data; boundary=" + boundary


class FollowingSuite(CommunityClient):
    ENV = {"JWT_SECRET": SECRET}

    def announcements(self, token, guild, name="news"):
        return self.api("POST", f"/guilds/{guild}/channels", token,
                        {"name": name, "type": 5}).json()["id"]

    def follow(self, token, source, target):
        return self.api("POST", f"/channels/{source}/followers", token,
                        {"webhook_channel_id": target})

    def publish(self, token, channel, message_id):
        r = self.api("POST", f"/channels/{channel}/messages/{message_id}/crosspost", token)
        self.assertStatus(r, 200)
        return r.json()

    def test_published_messages_reach_following_channels_and_follow_the_original(self):
        (_, news_token), (follower, follower_token) = self.user(), self.user()
        (reader, reader_token) = self.user()
        source_guild, source_general = self.guild_with_channel(news_token, "Source")
        news = self.announcements(news_token, source_guild)
        self.join_through(news_token, source_general, follower_token)
        target_guild, target = self.guild_with_channel(follower_token, "Target")
        self.join_through(follower_token, target, reader_token)

        r = self.follow(follower_token, news, target)
        self.assertStatus(r, 200)
        followed = r.json()
        self.assertEqual(followed["channel_id"], news)
        # The channel says it now follows (CHANNEL_FOLLOW_ADD), once.
        self.assertEqual(self.follow(follower_token, news, target).json(), followed)
        said = [m for m in self.api("GET", f"/channels/{target}/messages", follower_token).json()
                if m["type"] == 12]
        self.assertEqual(len(said), 1)
        self.assertEqual((said[0]["content"], said[0]["author"]["id"], said[0]["mentions"]),
                         ("Source #news", follower, []))
        hooks = self.api("GET", f"/channels/{target}/webhooks", follower_token).json()
        self.assertEqual(len(hooks), 1)
        hook = hooks[0]
        self.assertEqual((hook["id"], hook["type"], hook["name"], hook["channel_id"]),
                         (followed["webhook_id"], 2, "Source #news", target))
        self.assertEqual(hook["source_guild"]["id"], source_guild)
        self.assertEqual(hook["source_guild"]["name"], "Source")
        self.assertEqual(hook["source_channel"], {"id": news, "name": "news"})
        self.assertNotIn("token", hook)
        self.assertNotIn("url", hook)
        # A follower has no token to execute it with.
        r = self.req("GET", f"/api/v10/webhooks/{hook['id']}/{'x' * 68}")
        self.assertStatus(r, 401)
        self.assertEqual(r.json()["code"], 50027)

        ws, _ = self.session(reader_token, GUILDS | GUILD_MESSAGES)
        body, ctype = multipart({"content": f"v2 is out <@{reader}> @everyone",
                                 "embeds": [{"title": "changelog"}]}, "shot.png", PNG)
        r = self.req("POST", f"/api/v10/channels/{news}/messages", body, token=news_token,
                     headers={"Content-Type": ctype})
        self.assertStatus(r, 200)
        original = r.json()
        published = self.publish(news_token, news, original["id"])
        self.assertEqual(published["flags"] & CROSSPOSTED, CROSSPOSTED)

        copy = self.next_dispatch(ws, "MESSAGE_CREATE")
        self.assertEqual((copy["channel_id"], copy["guild_id"]), (target, target_guild))
        self.assertEqual((copy["content"], copy["embeds"][0]["title"]),
                         (original["content"], "changelog"))
        self.assertEqual((copy["author"]["id"], copy["author"]["username"], copy["webhook_id"]),
                         (hook["id"], "Source #news", hook["id"]))
        self.assertEqual(copy["flags"] & IS_CROSSPOST, IS_CROSSPOST)
        self.assertEqual(copy["message_reference"],
                         {"type": 0, "message_id": original["id"], "channel_id": news,
                          "guild_id": source_guild})
        self.assertNotIn("referenced_message", copy)
        # It pings no one where it lands.
        self.assertEqual((copy["mentions"], copy["mention_everyone"]), ([], False))
        # The file is the copy's own, with the same bytes.
        self.assertEqual([a["filename"] for a in copy["attachments"]], ["shot.png"])
        self.assertNotEqual(copy["attachments"][0]["id"], original["attachments"][0]["id"])
        url = copy["attachments"][0]["url"]
        got = self.req("GET", url[url.index("/attachments/"):])
        self.assertStatus(got, 200)
        self.assertEqual(got.body, PNG)

        # An edit of the original reaches the copy.
        self.assertStatus(self.api("PATCH", f"/channels/{news}/messages/{original['id']}",
                                   news_token, {"content": "v2.0.1 is out"}), 200)
        edited = self.next_dispatch(ws, "MESSAGE_UPDATE")
        self.assertEqual((edited["id"], edited["content"]), (copy["id"], "v2.0.1 is out"))
        self.assertIsNotNone(edited["edited_timestamp"])
        self.assertEqual(edited["embeds"][0]["title"], "changelog")

        # Its files follow too: removed, then a new one, each copy's own.
        r = self.api("PATCH", f"/channels/{news}/messages/{original['id']}", news_token,
                     {"attachments": []})
        self.assertStatus(r, 200)
        emptied = self.next_dispatch(ws, "MESSAGE_UPDATE")
        self.assertEqual((emptied["id"], emptied["attachments"]), (copy["id"], []))
        self.assertStatus(self.req("GET", url[url.index("/attachments/"):]), 404)
        body, ctype = multipart({"attachments": []}, "again.png", PNG)
        r = self.req("PATCH", f"/api/v10/channels/{news}/messages/{original['id']}", body,
                     token=news_token, headers={"Content-Type": ctype})
        self.assertStatus(r, 200)
        refilled = self.next_dispatch(ws, "MESSAGE_UPDATE")
        self.assertEqual([a["filename"] for a in refilled["attachments"]], ["again.png"])
        self.assertNotEqual(refilled["attachments"][0]["id"], r.json()["attachments"][0]["id"])
        url = refilled["attachments"][0]["url"]
        self.assertEqual(self.req("GET", url[url.index("/attachments/"):]).body, PNG)

        # Deleting the original leaves the copy saying so, without its files.
        self.assertStatus(self.api("DELETE", f"/channels/{news}/messages/{original['id']}",
                                   news_token), 204)
        gone = self.next_dispatch(ws, "MESSAGE_UPDATE")
        self.assertEqual((gone["id"], gone["content"], gone["embeds"], gone["attachments"]),
                         (copy["id"], "[Original Message Deleted]", [], []))
        self.assertEqual(gone["flags"] & SOURCE_MESSAGE_DELETED, SOURCE_MESSAGE_DELETED)
        self.assertStatus(self.req("GET", url[url.index("/attachments/"):]), 404)
        stored = self.api("GET", f"/channels/{target}/messages/{copy['id']}", reader_token).json()
        self.assertEqual((stored["content"], stored["flags"] & (IS_CROSSPOST | SOURCE_MESSAGE_DELETED),
                          stored["message_reference"]["message_id"]),
                         ("[Original Message Deleted]", IS_CROSSPOST | SOURCE_MESSAGE_DELETED,
                          original["id"]))

        # A bulk delete of published messages reaches their copies too.
        ids, copies = [], set()
        for text in ("one", "two"):
            m = self.api("POST", f"/channels/{news}/messages", news_token,
                         {"content": text}).json()
            self.publish(news_token, news, m["id"])
            ids.append(m["id"])
            made = self.next_dispatch(ws, "MESSAGE_CREATE")
            self.assertEqual(made["content"], text)
            copies.add(made["id"])
        self.assertStatus(self.api("POST", f"/channels/{news}/messages/bulk-delete", news_token,
                                   {"messages": ids}), 204)
        marked = [self.next_dispatch(ws, "MESSAGE_UPDATE") for _ in ids]
        self.assertEqual({m["id"] for m in marked}, copies)
        self.assertEqual({m["content"] for m in marked}, {"[Original Message Deleted]"})

        # Without its follower, the channel hears nothing more.
        self.assertStatus(self.api("DELETE", f"/webhooks/{hook['id']}", follower_token), 204)
        m = self.api("POST", f"/channels/{news}/messages", news_token, {"content": "v3"}).json()
        self.publish(news_token, news, m["id"])
        marker = self.api("POST", f"/channels/{target}/messages", follower_token,
                          {"content": "marker"}).json()
        self.assertEqual(self.next_dispatch(ws, "MESSAGE_CREATE")["id"], marker["id"])

        # Deleting the followed channel's guild removes its followers too, and says so.
        news2 = self.announcements(news_token, source_guild, "news2")
        self.assertStatus(self.follow(follower_token, news2, target), 200)
        hooks_ws, _ = self.session(follower_token, GUILDS | GUILD_WEBHOOKS)
        self.assertStatus(self.api("DELETE", f"/guilds/{source_guild}", news_token), 204)
        self.assertEqual(self.next_dispatch(hooks_ws, "WEBHOOKS_UPDATE")["channel_id"], target)
        self.assertEqual(self.api("GET", f"/channels/{target}/webhooks", follower_token).json(), [])

    def test_who_may_follow_what(self):
        (_, owner_token), (member, member_token) = self.user(), self.user()
        guild, general = self.guild_with_channel(owner_token, "Hub")
        news = self.announcements(owner_token, guild)
        self.join_through(owner_token, general, member_token)
        member_guild, member_channel = self.guild_with_channel(member_token, "Elsewhere")

        # Only announcement channels are followed.
        r = self.follow(owner_token, general, general)
        self.assertStatus(r, 400)
        self.assertEqual(r.json()["code"], 50024)
        # The target must be a text channel, other than the source, where the user manages
        # webhooks.
        voice = self.api("POST", f"/guilds/{guild}/channels", owner_token,
                         {"name": "talk", "type": 2}).json()["id"]
        for target in (voice, news):
            r = self.follow(owner_token, news, target)
            self.assertStatus(r, 400)
            self.assertIn("webhook_channel_id", r.json()["errors"])
        self.assertStatus(self.follow(member_token, news, general), 403)
        r = self.api("POST", f"/channels/{news}/followers", owner_token, {})
        self.assertStatus(r, 400)
        self.assertIn("webhook_channel_id", r.json()["errors"])
        # Someone outside the source's guild cannot follow it.
        (_, stranger_token) = self.user()
        _, stranger_channel = self.guild_with_channel(stranger_token, "Stranger")
        self.assertStatus(self.follow(stranger_token, news, stranger_channel), 403)

        # A member following into their own guild: allowed, audited there.
        r = self.follow(member_token, news, member_channel)
        self.assertStatus(r, 200)
        log = self.api("GET", f"/guilds/{member_guild}/audit-logs?action_type=50",
                       member_token).json()
        self.assertEqual([e["target_id"] for e in log["audit_log_entries"]],
                         [r.json()["webhook_id"]])
        followed = r.json()["webhook_id"]
        self.assertEqual(log["webhooks"][0]["type"], 2)

        # A follower may itself be an announcement channel: a message is published once, even by
        # requests that race, and the copy it gets is not published again.
        relay = self.announcements(member_token, member_guild, "relay")
        self.assertStatus(self.follow(member_token, news, relay), 200)
        post = self.api("POST", f"/channels/{news}/messages", owner_token,
                        {"content": "once"}).json()
        answers = self.server.race("POST", f"/api/v10/channels/{news}/messages/{post['id']}"
                                   "/crosspost", b"", {"Authorization": "Bearer " + owner_token}, 4)
        self.assertEqual(sorted(a.status for a in answers), [200, 400, 400, 400])
        self.assertEqual({a.json()["code"] for a in answers if a.status == 400}, {40033})
        copies = [m for m in self.api("GET", f"/channels/{relay}/messages", member_token).json()
                  if m.get("message_reference", {}).get("message_id") == post["id"]]
        self.assertEqual(len(copies), 1)
        r = self.api("POST", f"/channels/{relay}/messages/{copies[0]['id']}/crosspost",
                     member_token)
        self.assertStatus(r, 400)
        self.assertEqual(r.json()["code"], 40033)

        # A follower does not move into the channel it follows.
        hook = self.follow(owner_token, news, general).json()["webhook_id"]
        r = self.api("PATCH", f"/webhooks/{hook}", owner_token, {"channel_id": news})
        self.assertStatus(r, 400)
        self.assertIn("channel_id", r.json()["errors"])

        # A ban's purge of published messages reaches their copies too.
        theirs = self.api("POST", f"/channels/{news}/messages", member_token,
                          {"content": "mine"}).json()
        self.publish(member_token, news, theirs["id"])
        self.assertStatus(self.api("PUT", f"/guilds/{guild}/bans/{member}", owner_token,
                                   {"delete_message_seconds": 3600}), 204)
        copy = next(m for m in self.api("GET", f"/channels/{relay}/messages", member_token).json()
                    if m.get("message_reference", {}).get("message_id") == theirs["id"])
        self.assertEqual(copy["content"], "[Original Message Deleted]")

        # Deleting the followed channel takes its followers with it, and says so where they were.
        ws, _ = self.session(member_token, GUILDS | GUILD_WEBHOOKS)
        self.assertStatus(self.api("DELETE", f"/channels/{news}", owner_token), 200)
        told = {self.next_dispatch(ws, "WEBHOOKS_UPDATE")["channel_id"] for _ in range(2)}
        self.assertEqual(told, {member_channel, relay})
        for channel in (member_channel, relay):
            self.assertEqual(self.api("GET", f"/channels/{channel}/webhooks",
                                      member_token).json(), [])
        self.assertStatus(self.api("GET", f"/webhooks/{followed}", member_token), 404)


class SqliteFollowing(FollowingSuite, ServerTestCase):
    pass


class PostgresFollowing(FollowingSuite, ServerTestCase):
    BACKEND = "postgres"


if __name__ == "__main__":
    unittest.main()
