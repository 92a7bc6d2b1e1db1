"""Guild stickers: members list and read them, holders of CREATE_GUILD_EXPRESSIONS make them from
an uploaded PNG, APNG or GIF (multipart: name, description, tags, file), managers and their
creator change and delete them; at most 5 per guild; the image is served back at
/stickers/{id}.{ext}; changes are audited (90-92) and announced as GUILD_STICKERS_UPDATE, and
guilds carry their stickers. Messages carry up to 3 of their guild's stickers (sticker_ids), shown
as sticker_items even after the sticker is gone. SQLite and PostgreSQL."""
import struct
import unittest
import uuid
import zlib

from community_client import CommunityClient
from harness import ServerTestCase

SECRET = "integration-test-secret-0123456789abcdef"
GUILDS, GUILD_EXPRESSIONS = 1 << 0, 1 << 3
CREATE_GUILD_EXPRESSIONS = 1 << 43


def chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data +
            struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))


def png(animated=False):
    """A real 1x1 PNG; with an acTL chunk before its image data, an APNG."""
    header = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    actl = chunk(b"acTL", struct.pack(">II", 1, 0)) if animated else b""
    return (b"\x89PNG\r\n\x1a\n" + header + actl +
            chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00"
       b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


def form(fields, file=None, filename="sticker.png"):
    """A multipart/form-data body as discord.js and discord.py send a sticker: (body, type)."""
    boundary = "----stickers" + uuid.uuid4().hex
    body = b""
    for name, value in (fields.items() if isinstance(fields, dict) else fields):
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                 f'{value}\r\n').encode()
    if file is not None:
        body += (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                 f'filename="{filename}"\r\nContent-Type: image/png\r\n\r\n').encode()
        body += file + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return body, "multipart/form-data; boundary=" + boundary


class StickerSuite(CommunityClient):
    ENV = {"JWT_SECRET": SECRET}

    def assertError(self, resp, status, code):
        self.assertEqual(resp.status, status, f"{resp!r}")
        self.assertEqual(resp.json()["code"], code, resp.json())

    def community(self):
        owner = self.user()
        guild, channel = self.guild_with_channel(owner[1], "Stickers")
        member = self.user()
        self.join_through(owner[1], channel, member[1])
        return guild, channel, owner, member

    def upload(self, token, guild, fields, file=None, filename="sticker.png"):
        body, ctype = form(fields, file, filename)
        return self.req("POST", f"/api/v10/guilds/{guild}/stickers", body, token=token,
                        headers={"Content-Type": ctype})

    def test_a_sticker_is_made_served_changed_and_deleted(self):
        guild, channel, (owner, owner_token), (member, member_token) = self.community()
        ws, _ = self.session(member_token, GUILDS | GUILD_EXPRESSIONS)

        r = self.upload(owner_token, guild,
                        {"name": "wave", "description": "says hi", "tags": "wave"}, png())
        self.assertStatus(r, 201)
        sticker = r.json()
        self.assertEqual((sticker["name"], sticker["description"], sticker["tags"],
                          sticker["type"], sticker["format_type"], sticker["available"],
                          sticker["guild_id"], sticker["user"]["id"]),
                         ("wave", "says hi", "wave", 2, 1, True, guild, owner))
        update = self.next_dispatch(ws, "GUILD_STICKERS_UPDATE")
        self.assertEqual(update["guild_id"], guild)
        self.assertEqual([s["id"] for s in update["stickers"]], [sticker["id"]])

        # The image, without an account, under either extension.
        for ext in ("png", "gif"):
            got = self.req("GET", f"/stickers/{sticker['id']}.{ext}")
            self.assertStatus(got, 200)
            self.assertEqual((got.body, got.headers["content-type"]), (png(), "image/png"))
        # The sticker by id, and in its guild's list, get and GUILD_CREATE.
        found = self.api("GET", f"/stickers/{sticker['id']}", member_token).json()
        self.assertEqual((found["id"], found["name"]), (sticker["id"], "wave"))
        self.assertNotIn("user", found)
        listed = self.api("GET", f"/guilds/{guild}/stickers", member_token).json()
        self.assertEqual([s["id"] for s in listed], [sticker["id"]])
        self.assertNotIn("user", listed[0])  # shown to expression managers only
        self.assertIn("user", self.api("GET", f"/guilds/{guild}/stickers/{sticker['id']}",
                                       owner_token).json())
        self.assertEqual([s["id"] for s in self.api("GET", f"/guilds/{guild}",
                                                    member_token).json()["stickers"]],
                         [sticker["id"]])
        _, creates = self.session(member_token, GUILDS)
        self.assertEqual([s["id"] for s in creates[0]["d"]["stickers"]], [sticker["id"]])

        # An APNG and a GIF keep their format.
        apng = self.upload(owner_token, guild, {"name": "spin", "tags": "spin"}, png(True))
        self.assertEqual(apng.json()["format_type"], 2)
        gif = self.upload(owner_token, guild, {"name": "blink", "tags": "blink"}, GIF, "b.gif")
        self.assertEqual(gif.json()["format_type"], 4)
        self.assertIsNone(gif.json()["description"])

        # Members without CREATE_GUILD_EXPRESSIONS make none and change none.
        self.assertError(self.upload(member_token, guild, {"name": "mine", "tags": "x"}, png()),
                         403, 50013)
        path = f"/guilds/{guild}/stickers/{sticker['id']}"
        self.assertError(self.api("PATCH", path, member_token, {"name": "mine"}), 403, 50013)
        self.assertError(self.api("DELETE", path, member_token), 403, 50013)

        r = self.api("PATCH", path, owner_token, {"name": "hello", "description": None,
                                                  "tags": "hi"})
        self.assertStatus(r, 200)
        self.assertEqual((r.json()["name"], r.json()["description"], r.json()["tags"]),
                         ("hello", None, "hi"))
        changed = self.next_dispatch(ws, "GUILD_STICKERS_UPDATE")
        while "hello" not in [s["name"] for s in changed["stickers"]]:
            changed = self.next_dispatch(ws, "GUILD_STICKERS_UPDATE")

        # A message with the sticker alone carries it as sticker_items, live and in history.
        msg_ws, _ = self.session(member_token, GUILDS | (1 << 9) | (1 << 15))
        r = self.api("POST", f"/channels/{channel}/messages", member_token,
                     {"sticker_ids": [sticker["id"]]})
        self.assertStatus(r, 200)
        items = [{"id": sticker["id"], "name": "hello", "format_type": 1}]
        self.assertEqual((r.json()["content"], r.json()["sticker_items"]), ("", items))
        self.assertEqual(self.next_dispatch(msg_ws, "MESSAGE_CREATE")["sticker_items"], items)
        sent_id = r.json()["id"]
        # Still a message with nothing but its sticker: its flags change; a forward shows it.
        r = self.api("PATCH", f"/channels/{channel}/messages/{sent_id}", member_token,
                     {"flags": 4})
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["sticker_items"], items)
        r = self.api("POST", f"/channels/{channel}/messages", owner_token,
                     {"message_reference": {"type": 1, "message_id": sent_id,
                                            "channel_id": channel}})
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["message_snapshots"][0]["message"]["sticker_items"], items)
        # Webhooks and application answers send no stickers; nor do DMs.
        hook = self.api("POST", f"/channels/{channel}/webhooks", owner_token, {"name": "h"}).json()
        r = self.req("POST", f"/api/v10/webhooks/{hook['id']}/{hook['token']}?wait=true",
                     {"content": "x", "sticker_ids": [sticker["id"]]})
        self.assertError(r, 400, 50081)
        dm = self.api("POST", "/users/@me/channels", member_token, {"recipient_id": owner}).json()
        self.assertError(self.api("POST", f"/channels/{dm['id']}/messages", member_token,
                                  {"sticker_ids": [sticker["id"]]}), 400, 50081)

        self.assertStatus(self.api("DELETE", path, owner_token), 204)
        self.assertError(self.api("GET", path, owner_token), 404, 10060)
        # The message still shows what it was sent with.
        kept = self.api("GET", f"/channels/{channel}/messages/{sent_id}", member_token).json()
        self.assertEqual(kept["sticker_items"], items)
        # A deleted, unknown or other guild's sticker is refused; three at most.
        for ids, status, code in (([sticker["id"]], 400, 50081), (["99999999"], 400, 50081),
                                  ([apng.json()["id"]] * 4, 400, 50035)):
            self.assertError(self.api("POST", f"/channels/{channel}/messages", member_token,
                                      {"content": "x", "sticker_ids": ids}), status, code)
        other_guild, other_channel = self.guild_with_channel(member_token, "Elsewhere")
        self.assertError(self.api("POST", f"/channels/{other_channel}/messages", member_token,
                                  {"sticker_ids": [apng.json()["id"]]}), 400, 50081)
        plain = self.api("POST", f"/channels/{other_channel}/messages", member_token,
                         {"content": "plain"})
        self.assertStatus(plain, 200)
        self.assertNotIn("sticker_items", plain.json())
        self.assertStatus(self.req("GET", f"/stickers/{sticker['id']}.png"), 404)
        entries = self.api("GET", f"/guilds/{guild}/audit-logs", owner_token).json()
        actions = [e["action_type"] for e in entries["audit_log_entries"]
                   if e["target_id"] == sticker["id"]]
        self.assertEqual(sorted(actions), [90, 91, 92])

    def test_creators_limits_and_bad_uploads(self):
        guild, _, (owner, owner_token), (member, member_token) = self.community()
        # A creator (CREATE_GUILD_EXPRESSIONS) changes and deletes their own stickers only.
        role = self.api("POST", f"/guilds/{guild}/roles", owner_token,
                        {"name": "artists", "permissions": str(CREATE_GUILD_EXPRESSIONS)}).json()
        self.assertStatus(self.api("PUT", f"/guilds/{guild}/members/{member}/roles/{role['id']}",
                                   owner_token), 204)
        mine = self.upload(member_token, guild, {"name": "mine", "tags": "me"}, png())
        self.assertStatus(mine, 201)
        self.assertStatus(self.api("PATCH", f"/guilds/{guild}/stickers/{mine.json()['id']}",
                                   member_token, {"tags": "still me"}), 200)
        theirs = self.upload(owner_token, guild, {"name": "theirs", "tags": "them"}, png())
        self.assertError(self.api("DELETE", f"/guilds/{guild}/stickers/{theirs.json()['id']}",
                                  member_token), 403, 50013)

        # Bad names, tags, descriptions and files: refused, nothing stored.
        for fields, file, code in (({"name": "x", "tags": "t"}, png(), 50035),
                                   ({"name": "n" * 31, "tags": "t"}, png(), 50035),
                                   ({"name": "ok", "tags": "t", "description": "d"}, png(), 50035),
                                   ({"name": "ok"}, png(), 50035),
                                   ({"name": "ok", "tags": "t"}, None, 50035),
                                   ({"name": "ok", "tags": "t"}, b"not an image", 50035)):
            self.assertError(self.upload(owner_token, guild, fields, file), 400, code)
        # A field sent twice, or far too long, is refused before anything is read into it.
        for fields in ([("name", "one"), ("name", "two"), ("tags", "t")],
                       {"name": "n" * 5000, "tags": "t"}):
            self.assertError(self.upload(owner_token, guild, fields, png()), 400, 50035)
        big = png() + b"\x00" * (512 * 1024)
        self.assertError(self.upload(owner_token, guild, {"name": "big", "tags": "t"}, big),
                         413, 50045)
        r = self.req("POST", f"/api/v10/guilds/{guild}/stickers", {"name": "json"},
                     token=owner_token)
        self.assertEqual(r.status, 400)
        self.assertEqual(len(self.api("GET", f"/guilds/{guild}/stickers", owner_token).json()), 2)

        # Five per guild.
        for n in range(3):
            self.assertStatus(self.upload(owner_token, guild, {"name": f"s{n}x", "tags": "t"},
                                          png()), 201)
        self.assertError(self.upload(owner_token, guild, {"name": "sixth", "tags": "t"}, png()),
                         400, 30039)
        # Outsiders see no list; unknown ids are 10060.
        (_, outsider_token) = self.user()
        self.assertError(self.api("GET", f"/guilds/{guild}/stickers", outsider_token), 403, 50001)
        self.assertError(self.api("GET", "/stickers/99999999", owner_token), 404, 10060)
        self.assertError(self.api("GET", f"/guilds/{guild}/stickers/99999999", owner_token),
                         404, 10060)


class SqliteStickers(StickerSuite, ServerTestCase):
    pass


class PostgresStickers(StickerSuite, ServerTestCase):
    BACKEND = "postgres"


if __name__ == "__main__":
    unittest.main()
