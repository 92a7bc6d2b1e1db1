"""Custom emojis: members list and read them, holders of CREATE_GUILD_EXPRESSIONS make them from
a data URI (PNG, JPEG, GIF or WebP, checked by their bytes), managers and their creator rename
and delete them; the image is served back at /emojis/{id}.{ext}; changes are audited and
announced as GUILD_EMOJIS_UPDATE, and guilds carry their emojis. SQLite and PostgreSQL."""
import base64
import struct
import unittest
import zlib

from community_client import CommunityClient
from harness import ServerTestCase

SECRET = "integration-test-secret-0123456789abcdef"
GUILDS, GUILD_EXPRESSIONS = 1 << 0, 1 << 3
CREATE_GUILD_EXPRESSIONS = 1 << 43


def png(width=1, height=1):
    """A real PNG: white pixels."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    raw = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00"
       b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


def data_uri(data, mime="image/png"):
    return f"data:{mime};base64," + base64.b64encode(data).decode()



class EmojiSuite(CommunityClient):
    ENV = {"JWT_SECRET": SECRET}

    def community(self):
        owner = self.user()
        g = self.api("POST", "/guilds", owner[1], {"name": "Emojis"}).json()
        channels = self.api("GET", f"/guilds/{g['id']}/channels", owner[1]).json()
        channel = next(c["id"] for c in channels if c["type"] == 0)
        code = self.api("POST", f"/channels/{channel}/invites", owner[1], {}).json()["code"]
        member = self.user()
        self.assertStatus(self.api("POST", f"/invites/{code}", member[1]), 200)
        return g["id"], channel, owner, member

    def session(self, token, intents=GUILDS | GUILD_EXPRESSIONS):
        return CommunityClient.session(self, token, intents)

    def test_an_emoji_is_made_served_renamed_and_deleted(self):
        guild, channel, (owner, owner_token), (member, member_token) = self.community()
        ws, _ = self.session(member_token)
        image = png(2, 2)

        for bad in ({"name": "x", "image": data_uri(image)},
                    {"name": "has space", "image": data_uri(image)},
                    {"name": "ok_name", "image": "not a data uri"},
                    {"name": "ok_name", "image": "data:image/png;base64,@@@@"},
                    {"name": "ok_name", "image": data_uri(b"plain text, not an image")},
                    {"name": "ok_name"}):
            r = self.api("POST", f"/guilds/{guild}/emojis", owner_token, bad)
            self.assertStatus(r, 400)
        big = data_uri(b"\x89PNG\r\n\x1a\n" + b"\x00" * (256 * 1024))
        self.assertStatus(self.api("POST", f"/guilds/{guild}/emojis", owner_token,
                                   {"name": "too_big", "image": big}), 413)
        # @everyone cannot make emojis.
        self.assertStatus(self.api("POST", f"/guilds/{guild}/emojis", member_token,
                                   {"name": "nope", "image": data_uri(image)}), 403)

        r = self.api("POST", f"/guilds/{guild}/emojis", owner_token,
                     {"name": "party_blob", "image": data_uri(image)})
        self.assertStatus(r, 201)
        emoji = r.json()
        self.assertEqual(emoji["name"], "party_blob")
        self.assertFalse(emoji["animated"])
        self.assertTrue(emoji["require_colons"])
        self.assertEqual(emoji["roles"], [])
        self.assertEqual(emoji["user"]["id"], owner)
        update = self.next_dispatch(ws, "GUILD_EMOJIS_UPDATE")
        self.assertEqual(update["guild_id"], guild)
        self.assertEqual([e["id"] for e in update["emojis"]], [emoji["id"]])

        served = self.req("GET", f"/emojis/{emoji['id']}.png")
        self.assertStatus(served, 200)
        self.assertEqual(served.headers["content-type"], "image/png")
        self.assertEqual(served.body, image)
        self.assertStatus(self.req("GET", "/emojis/424242.png"), 404)
        cached = self.req("GET", f"/emojis/{emoji['id']}.webp",
                          headers={"If-None-Match": served.headers["etag"]})
        self.assertStatus(cached, 304)
        self.assertEqual(cached.body, b"")

        listed = self.api("GET", f"/guilds/{guild}/emojis", member_token).json()
        self.assertEqual([e["name"] for e in listed], ["party_blob"])
        self.assertNotIn("user", listed[0])  # only expression managers see who made it
        got = self.api("GET", f"/guilds/{guild}/emojis/{emoji['id']}", owner_token)
        self.assertStatus(got, 200)
        self.assertEqual(got.json()["user"]["id"], owner)
        self.assertEqual([e["id"] for e in self.api("GET", f"/guilds/{guild}",
                                                     member_token).json()["emojis"]],
                         [emoji["id"]])
        self.assertEqual([e["id"] for e in self.api("GET", f"/guilds/{guild}/preview",
                                                     member_token).json()["emojis"]],
                         [emoji["id"]])
        _, creates = self.session(member_token)
        self.assertEqual([e["name"] for e in creates[0]["d"]["emojis"]], ["party_blob"])

        # An emoji of another guild is not found through this one.
        other_guild = self.api("POST", "/guilds", member_token, {"name": "Other"}).json()
        self.assertStatus(self.api("GET", f"/guilds/{other_guild['id']}/emojis/{emoji['id']}",
                                   member_token), 404)

        # Reacting with it works like any emoji.
        message = self.api("POST", f"/channels/{channel}/messages", member_token,
                           {"content": "<:party_blob:%s>" % emoji["id"]}).json()
        r = self.api("PUT", f"/channels/{channel}/messages/{message['id']}/reactions/"
                     f"party_blob:{emoji['id']}/@me", member_token)
        self.assertStatus(r, 204)
        # The name sent with an id is not trusted: one emoji, one reaction, under its own name.
        r = self.api("PUT", f"/channels/{channel}/messages/{message['id']}/reactions/"
                     f"another_name:{emoji['id']}/@me", owner_token)
        self.assertStatus(r, 204)
        reactions = self.api("GET", f"/channels/{channel}/messages/{message['id']}",
                             member_token).json()["reactions"]
        self.assertEqual([(x["emoji"]["name"], x["count"]) for x in reactions],
                         [("party_blob", 2)])
        r = self.api("PUT", f"/channels/{channel}/messages/{message['id']}/reactions/"
                     "made_up:424242/@me", member_token)
        self.assertStatus(r, 400)
        self.assertEqual(r.json()["code"], 10014)

        self.assertStatus(self.api("PATCH", f"/guilds/{guild}/emojis/{emoji['id']}",
                                   member_token, {"name": "mine"}), 403)
        unchanged = self.api("PATCH", f"/guilds/{guild}/emojis/{emoji['id']}", owner_token,
                             {"roles": []})
        self.assertStatus(unchanged, 200)
        self.assertEqual(unchanged.json()["name"], "party_blob")
        r = self.api("PATCH", f"/guilds/{guild}/emojis/{emoji['id']}", owner_token,
                     {"name": "blob_party"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["name"], "blob_party")
        self.assertEqual(self.next_dispatch(ws, "GUILD_EMOJIS_UPDATE")["emojis"][0]["name"],
                         "blob_party")
        self.assertStatus(self.api("DELETE", f"/guilds/{guild}/emojis/{emoji['id']}",
                                   member_token), 403)
        self.assertStatus(self.api("DELETE", f"/guilds/{guild}/emojis/{emoji['id']}",
                                   owner_token), 204)
        self.assertEqual(self.next_dispatch(ws, "GUILD_EMOJIS_UPDATE")["emojis"], [])
        r = self.api("GET", f"/guilds/{guild}/emojis/{emoji['id']}", owner_token)
        self.assertStatus(r, 404)
        self.assertEqual(r.json()["code"], 10014)
        self.assertStatus(self.req("GET", f"/emojis/{emoji['id']}.png"), 404)

        actions = [e["action_type"] for e in self.api(
            "GET", f"/guilds/{guild}/audit-logs", owner_token).json()["audit_log_entries"]
            if e["action_type"] in (60, 61, 62)]
        self.assertEqual(actions, [62, 61, 60])

    def test_creators_manage_their_own_and_each_guild_has_fifty_of_each_kind(self):
        guild, _, (owner, owner_token), (member, member_token) = self.community()
        role = self.api("POST", f"/guilds/{guild}/roles", owner_token,
                        {"name": "artists", "permissions": str(CREATE_GUILD_EXPRESSIONS)}).json()
        self.assertStatus(self.api("PUT", f"/guilds/{guild}/members/{member}/roles/{role['id']}",
                                   owner_token), 204)
        mine = self.api("POST", f"/guilds/{guild}/emojis", member_token,
                        {"name": "dancing", "image": data_uri(GIF, "image/gif")})
        self.assertStatus(mine, 201)
        self.assertTrue(mine.json()["animated"])
        self.assertEqual(self.req("GET", f"/emojis/{mine.json()['id']}.gif")
                         .headers["content-type"], "image/gif")
        theirs = self.api("POST", f"/guilds/{guild}/emojis", owner_token,
                          {"name": "owners", "image": data_uri(png())}).json()
        # A creator renames and deletes their own, not others'.
        self.assertStatus(self.api("PATCH", f"/guilds/{guild}/emojis/{mine.json()['id']}",
                                   member_token, {"name": "still_dancing"}), 200)
        self.assertStatus(self.api("PATCH", f"/guilds/{guild}/emojis/{theirs['id']}",
                                   member_token, {"name": "taken"}), 403)
        self.assertStatus(self.api("DELETE", f"/guilds/{guild}/emojis/{mine.json()['id']}",
                                   member_token), 204)

        for i in range(49):
            self.assertStatus(self.api("POST", f"/guilds/{guild}/emojis", owner_token,
                                       {"name": f"e{i:02d}", "image": data_uri(png())}), 201)
        full = self.api("POST", f"/guilds/{guild}/emojis", owner_token,
                        {"name": "one_more", "image": data_uri(png())})
        self.assertStatus(full, 400)
        self.assertEqual(full.json()["code"], 30008)
        # Animated ones count apart.
        self.assertStatus(self.api("POST", f"/guilds/{guild}/emojis", owner_token,
                                   {"name": "moving", "image": data_uri(GIF, "image/gif")}), 201)
        self.assertEqual(len(self.api("GET", f"/guilds/{guild}/emojis", owner_token).json()), 51)


class SqliteEmojis(EmojiSuite, ServerTestCase):
    pass


class PostgresEmojis(EmojiSuite, ServerTestCase):
    BACKEND = "postgres"


if __name__ == "__main__":
    unittest.main()
