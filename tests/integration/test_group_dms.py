"""Group DMs (channel type 3): made with POST /users/@me/channels {recipients}, up to 10 users,
owned by who made them. Any recipient adds users (PUT /channels/{id}/recipients/{user}) and
renames the group or gives it an icon (PATCH); the owner removes users and hands the group on;
anyone leaves (DELETE /channels/{id}), the owner's role passing on, the last one taking the
channel. Each change reaches the gateway as Discord sends it (CHANNEL_CREATE / DELETE to the user
added / removed, CHANNEL_RECIPIENT_ADD / REMOVE and CHANNEL_UPDATE to the others) and shows in
the channel as a message of type 1, 2, 4 or 5. SQLite and PostgreSQL."""
import base64
import unittest

from community_client import CommunityClient
from harness import ServerTestCase
from test_gateway import WsClient

SECRET = "integration-test-secret-0123456789abcdef"
DIRECT_MESSAGES = 1 << 12
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00\x00\x00\x03\x00\x00\x00\x02" + \
    b"\x08\x06\x00\x00\x00" + b"\x00" * 16


class GroupDmSuite(CommunityClient):
    ENV = {"JWT_SECRET": SECRET}

    def assertError(self, resp, status, code):
        self.assertEqual(resp.status, status, f"{resp!r}")
        self.assertEqual(resp.json()["code"], code, resp.json())

    def group(self, token, *others):
        r = self.api("POST", "/users/@me/channels", token, {"recipients": list(others)})
        self.assertStatus(r, 200)
        return r.json()

    def ready(self, token):
        """A READY session listening to DMs: (the client, READY's `d`)."""
        ws = WsClient(self.server.port)
        self.addCleanup(ws.drop)
        ws.identify(token, DIRECT_MESSAGES)
        ready = ws.recv()
        self.assertEqual(ready["t"], "READY", ready)
        return ws, ready["d"]

    def messages(self, token, channel):
        r = self.api("GET", f"/channels/{channel}/messages", token)
        self.assertStatus(r, 200)
        return r.json()

    def test_a_group_is_made_shared_and_changed_with_every_member_told(self):
        (a, a_token), (b, b_token), (c, c_token), (d, d_token) = (self.user() for _ in range(4))
        (_, outsider_token) = self.user()
        b_ws, _ = self.ready(b_token)
        c_ws, _ = self.ready(c_token)
        d_ws, _ = self.ready(d_token)

        group = self.group(a_token, b, c, b)  # a repeat counts once
        gid = group["id"]
        self.assertEqual((group["type"], group["owner_id"], group["name"], group["icon"]),
                         (3, a, None, None))
        self.assertEqual(sorted(u["id"] for u in group["recipients"]), sorted([b, c]))
        # Each member hears of it, with the others as its recipients.
        created = self.next_dispatch(b_ws, "CHANNEL_CREATE")
        self.assertEqual((created["id"], created["type"], created["owner_id"]), (gid, 3, a))
        self.assertEqual(sorted(u["id"] for u in created["recipients"]), sorted([a, c]))
        self.assertEqual(self.next_dispatch(c_ws, "CHANNEL_CREATE")["id"], gid)
        # A later session has it in READY; the list and the channel itself show it.
        _, ready = self.ready(c_token)
        listed = [ch for ch in ready["private_channels"] if ch["id"] == gid]
        self.assertEqual(len(listed), 1)
        self.assertEqual((listed[0]["type"], listed[0]["owner_id"]), (3, a))
        self.assertIn(gid, [ch["id"] for ch in self.api("GET", "/users/@me/channels",
                                                         c_token).json()])
        got = self.api("GET", f"/channels/{gid}", b_token).json()
        self.assertEqual(sorted(u["id"] for u in got["recipients"]), sorted([a, c]))

        # Members talk; others cannot read or write.
        sent = self.api("POST", f"/channels/{gid}/messages", a_token, {"content": "hi all"})
        self.assertStatus(sent, 200)
        self.assertEqual(self.next_dispatch(b_ws, "MESSAGE_CREATE")["content"], "hi all")
        self.assertEqual(self.messages(c_token, gid)[0]["content"], "hi all")
        self.assertError(self.api("GET", f"/channels/{gid}/messages", outsider_token), 403, 50001)
        self.assertError(self.api("POST", f"/channels/{gid}/messages", outsider_token,
                                  {"content": "let me in"}), 403, 50001)
        self.assertError(self.api("PUT", f"/channels/{gid}/recipients/{d}", outsider_token),
                         403, 50001)

        # Any member adds a user: the user gets the channel, the others the new recipient and a
        # RECIPIENT_ADD message by who added them.
        self.assertStatus(self.api("PUT", f"/channels/{gid}/recipients/{d}", b_token), 204)
        added = self.next_dispatch(c_ws, "CHANNEL_RECIPIENT_ADD")
        self.assertEqual((added["channel_id"], added["user"]["id"]), (gid, d))
        notice = self.next_dispatch(c_ws, "MESSAGE_CREATE")
        self.assertEqual((notice["type"], notice["author"]["id"], notice["content"]), (1, b, ""))
        self.assertEqual([u["id"] for u in notice["mentions"]], [d])
        joined = self.next_dispatch(d_ws, "CHANNEL_CREATE")
        self.assertEqual(sorted(u["id"] for u in joined["recipients"]), sorted([a, b, c]))
        self.assertEqual(self.messages(d_token, gid)[0]["type"], 1)
        # Adding them again changes nothing.
        self.assertStatus(self.api("PUT", f"/channels/{gid}/recipients/{d}", a_token), 204)
        self.assertEqual([m["type"] for m in self.messages(a_token, gid)], [1, 0])

        # Only the owner removes others.
        self.assertError(self.api("DELETE", f"/channels/{gid}/recipients/{c}", b_token),
                         403, 50013)
        self.assertStatus(self.api("DELETE", f"/channels/{gid}/recipients/{c}", a_token), 204)
        self.assertEqual(self.next_dispatch(c_ws, "CHANNEL_DELETE")["id"], gid)
        removed = self.next_dispatch(b_ws, "CHANNEL_RECIPIENT_REMOVE")
        self.assertEqual((removed["channel_id"], removed["user"]["id"]), (gid, c))
        self.assertError(self.api("GET", f"/channels/{gid}/messages", c_token), 403, 50001)
        self.assertError(self.api("DELETE", f"/channels/{gid}/recipients/{c}", a_token),
                         404, 10013)
        notice = self.messages(a_token, gid)[0]
        self.assertEqual((notice["type"], notice["author"]["id"]), (2, a))
        self.assertEqual([u["id"] for u in notice["mentions"]], [c])

        # Any member renames it; the name shows as a CHANNEL_NAME_CHANGE message.
        r = self.api("PATCH", f"/channels/{gid}", b_token, {"name": "Trip planning"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["name"], "Trip planning")
        self.assertEqual(self.next_dispatch(d_ws, "CHANNEL_UPDATE")["name"], "Trip planning")
        notice = self.messages(d_token, gid)[0]
        self.assertEqual((notice["type"], notice["content"], notice["author"]["id"]),
                         (4, "Trip planning", b))
        # A notice stays as the server wrote it, even for its author.
        self.assertError(self.api("PATCH", f"/channels/{gid}/messages/{notice['id']}", b_token,
                                  {"content": "we named it something else"}), 400, 50021)
        self.assertError(self.api("DELETE", f"/channels/{gid}/messages/{notice['id']}", b_token),
                         400, 50021)
        self.assertError(self.api("PATCH", f"/channels/{gid}", b_token, {"name": "x" * 101}),
                         400, 50035)
        self.assertError(self.api("PATCH", f"/channels/{gid}", b_token, {"name": 7}), 400, 50035)

        # Only the owner hands it on, and only to a member.
        self.assertError(self.api("PATCH", f"/channels/{gid}", b_token, {"owner": b}), 403, 50013)
        self.assertError(self.api("PATCH", f"/channels/{gid}", a_token, {"owner": c}), 404, 10013)
        r = self.api("PATCH", f"/channels/{gid}", a_token, {"owner": b})
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["owner_id"], b)

        # The owner leaving hands the group to the member with the lowest id.
        r = self.api("DELETE", f"/channels/{gid}", b_token)
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["id"], gid)
        self.assertEqual(self.next_dispatch(b_ws, "CHANNEL_DELETE")["id"], gid)
        left = self.next_dispatch(d_ws, "CHANNEL_RECIPIENT_REMOVE")
        self.assertEqual(left["user"]["id"], b)
        self.assertEqual(self.next_dispatch(d_ws, "CHANNEL_UPDATE")["owner_id"], min(a, d, key=int))
        notice = self.messages(a_token, gid)[0]
        self.assertEqual((notice["type"], notice["author"]["id"]), (2, b))
        self.assertNotIn(gid, [ch["id"] for ch in self.api("GET", "/users/@me/channels",
                                                            b_token).json()])

        # The last one out takes the channel with them.
        self.assertStatus(self.api("DELETE", f"/channels/{gid}/recipients/{a}", a_token), 204)
        self.assertStatus(self.api("DELETE", f"/channels/{gid}", d_token), 200)
        self.assertEqual(self.next_dispatch(d_ws, "CHANNEL_DELETE")["id"], gid)
        self.assertError(self.api("GET", f"/channels/{gid}", d_token), 404, 10003)

    def test_limits_and_bad_requests(self):
        (a, a_token), (b, b_token) = self.user(), self.user()
        others = [self.user()[0] for _ in range(9)]
        # Ten users in all is the limit, whether made so or added to.
        self.assertError(self.api("POST", "/users/@me/channels", a_token,
                                  {"recipients": others + [b]}), 400, 30004)
        full = self.group(a_token, *others)
        self.assertEqual(len(full["recipients"]), 9)
        self.assertError(self.api("PUT", f"/channels/{full['id']}/recipients/{b}", a_token),
                         400, 30004)
        self.assertNotIn(full["id"], [ch["id"] for ch in self.api("GET", "/users/@me/channels",
                                                                   b_token).json()])
        # Unknown and malformed users; a single id opens the DM, no group.
        self.assertError(self.api("POST", "/users/@me/channels", a_token,
                                  {"recipients": [b, "99999999"]}), 404, 10013)
        self.assertError(self.api("POST", "/users/@me/channels", a_token,
                                  {"recipients": [b, "zz"]}), 400, 50035)
        self.assertError(self.api("POST", "/users/@me/channels", a_token, {"recipients": b}),
                         400, 50035)
        dm = self.group(a_token, b)
        self.assertEqual(dm["type"], 1)
        # Repeats and one's own id aside, one other user is still the DM.
        self.assertEqual(self.group(a_token, b, b)["id"], dm["id"])
        self.assertEqual(self.group(a_token, a, b)["id"], dm["id"])
        # A bot makes groups only through OAuth2, which is not carried.
        app = self.api("POST", "/applications", a_token, {"name": "grouper"})
        self.assertStatus(app, 201)
        bot = {"Authorization": "Bot " + app.json()["bot"]["token"]}
        self.assertError(self.req("POST", "/api/v10/users/@me/channels",
                                  {"recipients": [a, b]}, headers=bot), 403, 20001)
        self.assertEqual(self.api("POST", "/users/@me/channels", a_token,
                                  {"recipient_id": b}).json()["id"], dm["id"])
        # A group of one is allowed; recipients are changed only in group DMs.
        alone = self.group(a_token)
        self.assertEqual((alone["type"], alone["recipients"]), (3, []))
        self.assertError(self.api("PUT", f"/channels/{dm['id']}/recipients/{others[0]}", a_token),
                         400, 50024)
        guild, general = self.guild_with_channel(a_token, "Club")
        self.assertError(self.api("PUT", f"/channels/{general}/recipients/{b}", a_token),
                         400, 50024)
        self.assertError(self.api("PUT", f"/channels/{alone['id']}/recipients/99999999",
                                  a_token), 404, 10013)
        self.assertError(self.api("PUT", f"/channels/{alone['id']}/recipients/zz", a_token),
                         404, 10013)

    def test_an_icon_is_kept_served_and_replaced(self):
        (a, a_token), (b, b_token), (c, _) = (self.user() for _ in range(3))
        gid = self.group(a_token, b, c)["id"]
        uri = "data:image/png;base64," + base64.b64encode(PNG).decode()
        r = self.api("PATCH", f"/channels/{gid}", b_token, {"icon": uri})
        self.assertStatus(r, 200)
        icon = r.json()["icon"]
        self.assertRegex(icon, "^[0-9a-f]{32}$")
        # Served without an account, as Discord's CDN serves it, under any extension.
        for ext in ("png", "webp"):
            got = self.req("GET", f"/channel-icons/{gid}/{icon}.{ext}")
            self.assertStatus(got, 200)
            self.assertEqual((got.body, got.headers.get("content-type")), (PNG, "image/png"))
        notice = self.messages(a_token, gid)[0]
        self.assertEqual((notice["type"], notice["author"]["id"]), (5, b))
        # Not an image, or not a data URI: refused, nothing changed.
        for bad in ("data:image/png;base64," + base64.b64encode(b"plain text").decode(),
                    "https://example.com/icon.png", 12):
            self.assertError(self.api("PATCH", f"/channels/{gid}", a_token, {"icon": bad}),
                             400, 50035)
        self.assertEqual(self.api("GET", f"/channels/{gid}", a_token).json()["icon"], icon)
        # Removed: the old URL is gone.
        r = self.api("PATCH", f"/channels/{gid}", a_token, {"icon": None})
        self.assertIsNone(r.json()["icon"])
        self.assertStatus(self.req("GET", f"/channel-icons/{gid}/{icon}.png"), 404)


class SqliteGroupDms(GroupDmSuite, ServerTestCase):
    pass


class PostgresGroupDms(GroupDmSuite, ServerTestCase):
    BACKEND = "postgres"


if __name__ == "__main__":
    unittest.main()
