"""Communities through the real server (issue 6): guilds, channels, roles, members, invites and
bans, with the permission rules Discord applies, on SQLite and on PostgreSQL."""
import threading
import unittest
import uuid

from harness import ServerTestCase
from test_gateway import WsClient

SECRET = "integration-test-secret-0123456789abcdef"
VIEW_CHANNEL = 1 << 10
MANAGE_CHANNELS = 1 << 4
MANAGE_ROLES = 1 << 28
KICK_MEMBERS = 1 << 1
BAN_MEMBERS = 1 << 2
MANAGE_GUILD = 1 << 5
SEND_MESSAGES = 1 << 11


def unique(prefix="c"):
    return prefix + uuid.uuid4().hex[:10]


class CommunitySuite:
    ENV = {"JWT_SECRET": SECRET}

    # -- helpers ----------------------------------------------------------------------------
    def user(self):
        name = unique()
        r = self.req("POST", "/api/v10/auth/register",
                     {"username": name, "email": name + "@example.com",
                      "password": "StrongP@ss123"})
        self.assertStatus(r, 201)
        uid = r.json()["id"]
        r = self.req("POST", "/api/v10/auth/login",
                     {"username": name, "password": "StrongP@ss123"})
        self.assertStatus(r, 200)
        return uid, r.json()["token"]

    def api(self, method, path, token, body=None):
        return self.req(method, "/api/v10" + path, body, token=token)

    def guild(self, token, name="My Community"):
        r = self.api("POST", "/guilds", token, {"name": name})
        self.assertStatus(r, 201)
        return r.json()

    def text_channel(self, token, guild_id, name="general"):
        channels = self.api("GET", f"/guilds/{guild_id}/channels", token).json()
        return next(c for c in channels if c["type"] == 0 and c["name"] == name)

    def join(self, owner_token, guild_id, token):
        channel = self.text_channel(owner_token, guild_id)
        r = self.api("POST", f"/channels/{channel['id']}/invites", owner_token, {"max_age": 0})
        self.assertStatus(r, 200)
        code = r.json()["code"]
        r = self.api("POST", f"/invites/{code}", token)
        self.assertStatus(r, 200)
        return code

    def community(self):
        """An owner's guild with one joined member."""
        owner, owner_token = self.user()
        g = self.guild(owner_token)
        member, member_token = self.user()
        self.join(owner_token, g["id"], member_token)
        return g, (owner, owner_token), (member, member_token)

    def role(self, token, guild_id, permissions=0, name="role"):
        r = self.api("POST", f"/guilds/{guild_id}/roles", token,
                     {"name": name, "permissions": str(permissions)})
        self.assertStatus(r, 200)
        return r.json()

    def grant(self, owner_token, guild_id, user_id, permissions):
        role = self.role(owner_token, guild_id, permissions)
        r = self.api("PUT", f"/guilds/{guild_id}/members/{user_id}/roles/{role['id']}",
                     owner_token)
        self.assertStatus(r, 204)
        return role

    # -- guilds -----------------------------------------------------------------------------
    def test_create_guild_has_everyone_role_and_default_channels(self):
        owner, token = self.user()
        g = self.guild(token)
        self.assertEqual(g["owner_id"], owner)
        everyone = next(r for r in g["roles"] if r["id"] == g["id"])
        self.assertEqual(everyone["name"], "@everyone")
        self.assertEqual(everyone["permissions"], "563330162351681")
        channels = self.api("GET", f"/guilds/{g['id']}/channels", token).json()
        by_name = {(c["type"], c["name"]): c for c in channels}
        self.assertIn((4, "Text Channels"), by_name)
        self.assertIn((4, "Voice Channels"), by_name)
        self.assertEqual(by_name[(0, "general")]["parent_id"], by_name[(4, "Text Channels")]["id"])
        self.assertEqual(by_name[(2, "General")]["parent_id"],
                         by_name[(4, "Voice Channels")]["id"])
        mine = self.api("GET", "/users/@me/guilds", token).json()
        entry = next(x for x in mine if x["id"] == g["id"])
        self.assertTrue(entry["owner"])
        r = self.api("GET", f"/guilds/{g['id']}?with_counts=true", token)
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["approximate_member_count"], 1)

    def test_guild_modify_and_delete_are_guarded(self):
        g, (owner, owner_token), (member, member_token) = self.community()
        self.assertStatus(self.api("PATCH", f"/guilds/{g['id']}", member_token, {"name": "x2"}),
                          403)
        r = self.api("PATCH", f"/guilds/{g['id']}", owner_token, {"name": "Renamed"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["name"], "Renamed")
        # Notices go to a text channel, AFK to a voice channel, nothing else.
        channels = self.api("GET", f"/guilds/{g['id']}/channels", owner_token).json()
        text = next(c["id"] for c in channels if c["type"] == 0)
        voice = next(c["id"] for c in channels if c["type"] == 2)
        for body in ({"system_channel_id": voice}, {"afk_channel_id": text}):
            self.assertStatus(self.api("PATCH", f"/guilds/{g['id']}", owner_token, body), 400)
        r = self.api("PATCH", f"/guilds/{g['id']}", owner_token,
                     {"system_channel_id": text, "afk_channel_id": voice})
        self.assertStatus(r, 200)
        self.assertEqual((r.json()["system_channel_id"], r.json()["afk_channel_id"]), (text, voice))
        # MANAGE_GUILD lets the member rename, not transfer ownership or delete.
        self.grant(owner_token, g["id"], member, MANAGE_GUILD)
        self.assertStatus(self.api("PATCH", f"/guilds/{g['id']}", member_token,
                                   {"name": "ByMember"}), 200)
        self.assertStatus(self.api("PATCH", f"/guilds/{g['id']}", member_token,
                                   {"owner_id": member}), 403)
        self.assertStatus(self.api("DELETE", f"/guilds/{g['id']}", member_token), 403)
        self.assertStatus(self.api("DELETE", f"/users/@me/guilds/{g['id']}", owner_token), 400)
        self.assertStatus(self.api("DELETE", f"/guilds/{g['id']}", owner_token), 204)
        self.assertStatus(self.api("GET", f"/guilds/{g['id']}", owner_token), 404)

    def test_member_leaves(self):
        g, _, (member, member_token) = self.community()
        self.assertStatus(self.api("DELETE", f"/users/@me/guilds/{g['id']}", member_token), 204)
        self.assertStatus(self.api("GET", f"/guilds/{g['id']}", member_token), 403)
        ids = [x["id"] for x in self.api("GET", "/users/@me/guilds", member_token).json()]
        self.assertNotIn(g["id"], ids)

    # -- invites ----------------------------------------------------------------------------
    def test_invite_without_auth_and_join(self):
        owner, owner_token = self.user()
        g = self.guild(owner_token)
        channel = self.text_channel(owner_token, g["id"])
        r = self.api("POST", f"/channels/{channel['id']}/invites", owner_token,
                     {"max_uses": 1, "unique": True})
        self.assertStatus(r, 200)
        code = r.json()["code"]
        r = self.req("GET", f"/api/v10/invites/{code}?with_counts=true")
        self.assertStatus(r, 200)
        body = r.json()
        self.assertEqual(body["guild"]["id"], g["id"])
        self.assertEqual(body["channel"]["id"], channel["id"])
        self.assertEqual(body["approximate_member_count"], 1)
        user, token = self.user()
        self.assertStatus(self.api("POST", f"/invites/{code}", token), 200)
        # Joining again is no error and spends nothing.
        self.assertStatus(self.api("POST", f"/invites/{code}", token), 200)
        r = self.api("GET", f"/guilds/{g['id']}/members/{user}", token)
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["user"]["id"], user)
        # Used up: unknown for everyone else.
        _, late = self.user()
        r = self.api("POST", f"/invites/{code}", late)
        self.assertStatus(r, 404)
        self.assertEqual(r.json()["code"], 10006)
        self.assertStatus(self.req("GET", f"/api/v10/invites/{code}"), 404)
        self.assertStatus(self.req("GET", "/api/v10/invites/no%20such"), 404)

    def test_concurrent_joins_never_overspend_an_invite(self):
        _, owner_token = self.user()
        g = self.guild(owner_token)
        channel = self.text_channel(owner_token, g["id"])
        code = self.api("POST", f"/channels/{channel['id']}/invites", owner_token,
                        {"max_uses": 3, "unique": True}).json()["code"]
        tokens = [self.user()[1] for _ in range(8)]
        results = []

        def go(t):
            results.append(self.api("POST", f"/invites/{code}", t).status)

        threads = [threading.Thread(target=go, args=(t,)) for t in tokens]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(results), [200] * 3 + [404] * 5)
        r = self.api("GET", f"/guilds/{g['id']}?with_counts=true", owner_token)
        self.assertEqual(r.json()["approximate_member_count"], 4)

    def test_invite_lists_and_delete_need_permissions(self):
        g, (owner, owner_token), (member, member_token) = self.community()
        channel = self.text_channel(owner_token, g["id"])
        self.assertStatus(self.api("GET", f"/guilds/{g['id']}/invites", member_token), 403)
        self.assertStatus(self.api("GET", f"/channels/{channel['id']}/invites", member_token),
                          403)
        r = self.api("GET", f"/guilds/{g['id']}/invites", owner_token)
        self.assertStatus(r, 200)
        code = r.json()[0]["code"]
        self.assertStatus(self.api("DELETE", f"/invites/{code}", member_token), 403)
        self.assertStatus(self.api("DELETE", f"/invites/{code}", owner_token), 200)
        self.assertStatus(self.req("GET", f"/api/v10/invites/{code}"), 404)

    # -- private channels and overwrites -------------------------------------------------------
    def test_private_channel_is_hidden_from_members_without_the_role(self):
        g, (owner, owner_token), (member, member_token) = self.community()
        staff = self.role(owner_token, g["id"], 0, "staff")
        r = self.api("POST", f"/guilds/{g['id']}/channels", owner_token, {
            "name": "Staff Room", "type": 0,
            "permission_overwrites": [
                {"id": g["id"], "type": 0, "allow": "0", "deny": str(VIEW_CHANNEL)},
                {"id": staff["id"], "type": 0, "allow": str(VIEW_CHANNEL), "deny": "0"}]})
        self.assertStatus(r, 201)
        private = r.json()
        self.assertEqual(private["name"], "staff-room")
        r = self.api("GET", f"/channels/{private['id']}", member_token)
        self.assertStatus(r, 403)
        self.assertEqual(r.json()["code"], 50001)
        ids = [c["id"] for c in self.api("GET", f"/guilds/{g['id']}/channels",
                                         member_token).json()]
        self.assertNotIn(private["id"], ids)
        self.assertStatus(self.api("PUT", f"/guilds/{g['id']}/members/{member}/roles/"
                                          f"{staff['id']}", owner_token), 204)
        self.assertStatus(self.api("GET", f"/channels/{private['id']}", member_token), 200)
        ids = [c["id"] for c in self.api("GET", f"/guilds/{g['id']}/channels",
                                         member_token).json()]
        self.assertIn(private["id"], ids)
        # A member overwrite denying VIEW_CHANNEL beats the role's allow.
        self.assertStatus(self.api("PUT", f"/channels/{private['id']}/permissions/{member}",
                                   owner_token, {"type": 1, "allow": "0",
                                                 "deny": str(VIEW_CHANNEL)}), 204)
        self.assertStatus(self.api("GET", f"/channels/{private['id']}", member_token), 403)
        self.assertStatus(self.api("DELETE", f"/channels/{private['id']}/permissions/{member}",
                                   owner_token), 204)
        self.assertStatus(self.api("GET", f"/channels/{private['id']}", member_token), 200)

    def test_manage_channels_granted_by_role_or_by_overwrite(self):
        g, (owner, owner_token), (member, member_token) = self.community()
        channel = self.text_channel(owner_token, g["id"])
        path = f"/channels/{channel['id']}"
        self.assertStatus(self.api("PATCH", path, member_token, {"topic": "x"}), 403)
        self.assertStatus(self.api("POST", f"/guilds/{g['id']}/channels", member_token,
                                   {"name": "nope"}), 403)
        # By overwrite on this channel only.
        self.assertStatus(self.api("PUT", f"{path}/permissions/{member}", owner_token,
                                   {"type": 1, "allow": str(MANAGE_CHANNELS), "deny": "0"}), 204)
        r = self.api("PATCH", path, member_token, {"topic": "hello"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["topic"], "hello")
        self.assertStatus(self.api("POST", f"/guilds/{g['id']}/channels", member_token,
                                   {"name": "nope"}), 403)
        # By role: guild-wide.
        self.grant(owner_token, g["id"], member, MANAGE_CHANNELS)
        r = self.api("POST", f"/guilds/{g['id']}/channels", member_token,
                     {"name": "Voice Room", "type": 2, "bitrate": 96000, "user_limit": 5})
        self.assertStatus(r, 201)
        voice = r.json()
        self.assertEqual((voice["name"], voice["bitrate"], voice["user_limit"]),
                         ("Voice Room", 96000, 5))
        self.assertStatus(self.api("DELETE", f"/channels/{voice['id']}", member_token), 200)
        self.assertStatus(self.api("GET", f"/channels/{voice['id']}", member_token), 404)

    def test_a_patch_replaces_the_permission_overwrites(self):
        g, (owner, owner_token), (member, member_token) = self.community()
        channel = self.text_channel(owner_token, g["id"])
        path = f"/channels/{channel['id']}"
        hide = {"id": member, "type": 1, "allow": "0", "deny": str(VIEW_CHANNEL)}
        ws = self.gateway_session(member_token)
        r = self.api("PATCH", path, owner_token, {"topic": "t", "permission_overwrites": [hide]})
        self.assertStatus(r, 200)
        # The member's sessions are told the channel is gone from their view, as by PUT.
        self.assertEqual(self.next_channel_event(ws, channel["id"]), "CHANNEL_DELETE")
        self.assertEqual([(o["id"], o["deny"]) for o in r.json()["permission_overwrites"]],
                         [(member, str(VIEW_CHANNEL))])
        self.assertStatus(self.api("GET", path, member_token), 403)
        # Each change is audited, as PUT and DELETE do.
        log = self.api("GET", f"/guilds/{g['id']}/audit-logs?action_type=13", owner_token).json()
        self.assertEqual([e["target_id"] for e in log["audit_log_entries"]], [channel["id"]])
        # A PATCH without the field keeps them; an empty list removes them all.
        self.assertStatus(self.api("PATCH", path, owner_token, {"topic": "u"}), 200)
        self.assertStatus(self.api("GET", path, member_token), 403)
        r = self.api("PATCH", path, owner_token, {"permission_overwrites": []})
        self.assertEqual(r.json()["permission_overwrites"], [])
        self.assertStatus(self.api("GET", path, member_token), 200)
        self.assertEqual(self.next_channel_event(ws, channel["id"]), "CHANNEL_CREATE")
        for bad, status in (([hide, hide], 400), ([{"id": "1", "type": 0, "allow": "0"}], 404),
                            ([{"id": member, "type": 3}], 400)):
            self.assertStatus(self.api("PATCH", path, owner_token,
                                       {"permission_overwrites": bad}), status)
        # MANAGE_CHANNELS edits the channel; its overwrites need MANAGE_ROLES too.
        self.grant(owner_token, g["id"], member, MANAGE_CHANNELS)
        self.assertStatus(self.api("PATCH", path, member_token, {"topic": "mine"}), 200)
        self.assertStatus(self.api("PATCH", path, member_token,
                                   {"permission_overwrites": [hide]}), 403)

    def test_channel_field_rules(self):
        _, token = self.user()
        g = self.guild(token)
        base = f"/guilds/{g['id']}/channels"
        for body in ({"name": ""}, {"name": "x" * 101}, {"name": "ok", "type": 1},
                     {"name": "ok", "rate_limit_per_user": 21601}, {"name": "ok", "topic": "t" * 1025},
                     {"name": "ok", "parent_id": "zz"}, {"name": "ok", "type": 2, "bitrate": 10}):
            r = self.api("POST", base, token, body)
            self.assertEqual(r.status, 400, f"{body}: {r!r}")
        r = self.api("POST", base, token, {"name": "Hello World", "rate_limit_per_user": 30})
        self.assertStatus(r, 201)
        self.assertEqual(r.json()["name"], "hello-world")
        self.assertEqual(r.json()["rate_limit_per_user"], 30)

    # -- roles --------------------------------------------------------------------------------
    def test_role_hierarchy(self):
        g, (owner, owner_token), (member, member_token) = self.community()
        self.assertStatus(self.api("POST", f"/guilds/{g['id']}/roles", member_token, {}), 403)
        manager = self.grant(owner_token, g["id"], member, MANAGE_ROLES)
        # The member's own role is the highest they have: they cannot edit it or above.
        self.assertStatus(self.api("PATCH", f"/guilds/{g['id']}/roles/{manager['id']}",
                                   member_token, {"name": "boss"}), 403)
        # A new role lands below theirs and is theirs to manage.
        r = self.api("POST", f"/guilds/{g['id']}/roles", member_token, {"name": "helper"})
        self.assertStatus(r, 200)
        helper = r.json()
        self.assertStatus(self.api("PATCH", f"/guilds/{g['id']}/roles/{helper['id']}",
                                   member_token, {"color": 0xFF0000, "hoist": True}), 200)
        # Granting a permission they lack is refused.
        self.assertStatus(self.api("PATCH", f"/guilds/{g['id']}/roles/{helper['id']}",
                                   member_token, {"permissions": str(BAN_MEMBERS)}), 403)
        self.assertStatus(self.api("DELETE", f"/guilds/{g['id']}/roles/{g['id']}",
                                   owner_token), 400)
        self.assertStatus(self.api("DELETE", f"/guilds/{g['id']}/roles/{helper['id']}",
                                   member_token), 204)
        roles = self.api("GET", f"/guilds/{g['id']}/roles", member_token).json()
        self.assertNotIn(helper["id"], [x["id"] for x in roles])

    def test_reorder_channels_and_roles(self):
        g, (owner, owner_token), (member, member_token) = self.community()
        a = self.role(owner_token, g["id"], 0, "a")
        b = self.role(owner_token, g["id"], 0, "b")
        body = [{"id": a["id"], "position": 2}, {"id": b["id"], "position": 1}]
        self.assertStatus(self.api("PATCH", f"/guilds/{g['id']}/roles", member_token, body), 403)
        r = self.api("PATCH", f"/guilds/{g['id']}/roles", owner_token, body)
        self.assertStatus(r, 200)
        positions = {x["id"]: x["position"] for x in r.json()}
        self.assertGreater(positions[a["id"]], positions[b["id"]])
        self.assertStatus(self.api("PATCH", f"/guilds/{g['id']}/roles", owner_token,
                                   [{"id": g["id"], "position": 3}]), 400)
        channel = self.text_channel(owner_token, g["id"])
        body = [{"id": channel["id"], "position": 7, "parent_id": None}]
        self.assertStatus(self.api("PATCH", f"/guilds/{g['id']}/channels", member_token, body),
                          403)
        self.assertStatus(self.api("PATCH", f"/guilds/{g['id']}/channels", owner_token, body),
                          204)
        moved = self.api("GET", f"/channels/{channel['id']}", owner_token).json()
        self.assertEqual((moved["position"], moved["parent_id"]), (7, None))

    def test_a_whole_role_list_reorders_what_lies_below_the_actor(self):
        """discord.js's setPosition sends every role numbered as it counts them, @everyone at
        0: what keeps its place is only renumbered, and only a role that moves needs managing."""
        g, (owner, owner_token), (member, member_token) = self.community()
        low, mid, mod, top = (self.role(owner_token, g["id"], MANAGE_ROLES if n == "mod" else 0, n)
                              for n in ("low", "mid", "mod", "top"))
        ids = [low["id"], mid["id"], mod["id"], top["id"]]
        self.assertStatus(self.api("PATCH", f"/guilds/{g['id']}/roles", owner_token,
                                   [{"id": i, "position": 10 * (n + 1)} for n, i in enumerate(ids)]),
                          200)
        self.assertStatus(self.api("PUT", f"/guilds/{g['id']}/members/{member}/roles/{mod['id']}",
                                   owner_token), 204)

        def order(token, listed):
            body = [{"id": g["id"], "position": 0}] + [
                {"id": i, "position": n + 1} for n, i in enumerate(listed)]
            return self.api("PATCH", f"/guilds/{g['id']}/roles", token, body)

        r = order(member_token, [mid["id"], low["id"], mod["id"], top["id"]])
        self.assertStatus(r, 200)
        placed = sorted((x for x in r.json() if x["id"] != g["id"]), key=lambda x: x["position"])
        self.assertEqual([x["name"] for x in placed], ["mid", "low", "mod", "top"])
        self.assertEqual([x["position"] for x in placed], [1, 2, 3, 4])
        # Moving a role past the member's own highest, or one above it, is not theirs to do.
        self.assertStatus(order(member_token, [mid["id"], mod["id"], low["id"], top["id"]]), 403)
        self.assertStatus(order(member_token, [mid["id"], low["id"], top["id"], mod["id"]]), 403)
        self.assertStatus(order(owner_token, [top["id"], mid["id"], low["id"], mod["id"]]), 200)

    def test_timeout_needs_moderate_members(self):
        g, (owner, owner_token), (member, member_token) = self.community()
        until = "2099-01-01T00:00:00.000000+00:00"
        path = f"/guilds/{g['id']}/members/{member}"
        self.assertStatus(self.api("PATCH", f"/guilds/{g['id']}/members/{owner}", member_token,
                                   {"communication_disabled_until": until}), 403)
        # More than 28 days ahead is refused even for the owner.
        self.assertStatus(self.api("PATCH", path, owner_token,
                                   {"communication_disabled_until": until}), 400)
        self.assertStatus(self.api("PATCH", path, owner_token,
                                   {"communication_disabled_until": "not a date"}), 400)
        r = self.api("PATCH", path, owner_token, {"communication_disabled_until": None})
        self.assertStatus(r, 200)
        self.assertIsNone(r.json()["communication_disabled_until"])

    # -- members, kicks, bans ---------------------------------------------------------------
    def test_members_list_search_and_nick(self):
        g, (owner, owner_token), (member, member_token) = self.community()
        r = self.api("GET", f"/guilds/{g['id']}/members?limit=1000", member_token)
        self.assertStatus(r, 200)
        self.assertEqual({m["user"]["id"] for m in r.json()}, {owner, member})
        for bad in ("limit=abc", "limit=0", "limit=1001", "after=zz"):
            self.assertStatus(self.api("GET", f"/guilds/{g['id']}/members?{bad}", member_token),
                              400)
        r = self.api("PATCH", f"/guilds/{g['id']}/members/@me", member_token, {"nick": "Neo"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["nick"], "Neo")
        r = self.api("GET", f"/guilds/{g['id']}/members/search?query=ne&limit=5", owner_token)
        self.assertEqual([m["user"]["id"] for m in r.json()], [member])
        self.assertStatus(self.api("PATCH", f"/guilds/{g['id']}/members/{owner}", member_token,
                                   {"nick": "x"}), 403)

    def test_kick_and_ban_hold(self):
        g, (owner, owner_token), (member, member_token) = self.community()
        other, other_token = self.user()
        code = self.join(owner_token, g["id"], other_token)
        self.assertStatus(self.api("DELETE", f"/guilds/{g['id']}/members/{other}",
                                   member_token), 403)
        # A kicker cannot act on someone at or above their own highest role.
        self.grant(owner_token, g["id"], member, KICK_MEMBERS | BAN_MEMBERS)
        self.assertStatus(self.api("DELETE", f"/guilds/{g['id']}/members/{owner}",
                                   member_token), 403)
        self.assertStatus(self.api("DELETE", f"/guilds/{g['id']}/members/{other}",
                                   member_token), 204)
        self.assertStatus(self.api("GET", f"/guilds/{g['id']}/channels", other_token), 403)
        # Kicked users may come back; banned ones may not, by any invite.
        self.assertStatus(self.api("POST", f"/invites/{code}", other_token), 200)
        self.assertStatus(self.api("PUT", f"/guilds/{g['id']}/bans/{other}", member_token,
                                   {"delete_message_seconds": 0}), 204)
        self.assertStatus(self.api("GET", f"/guilds/{g['id']}", other_token), 403)
        r = self.api("POST", f"/invites/{code}", other_token)
        self.assertStatus(r, 403)
        bans = self.api("GET", f"/guilds/{g['id']}/bans", owner_token).json()
        self.assertEqual([b["user"]["id"] for b in bans], [other])
        self.assertStatus(self.api("GET", f"/guilds/{g['id']}/bans/{other}", owner_token), 200)
        self.assertStatus(self.api("DELETE", f"/guilds/{g['id']}/bans/{other}", owner_token), 204)
        self.assertStatus(self.api("POST", f"/invites/{code}", other_token), 200)

    def test_ban_deletes_recent_messages_when_asked(self):
        g, (owner, owner_token), (member, member_token) = self.community()
        channel = self.text_channel(owner_token, g["id"])
        path = f"/channels/{channel['id']}/messages"
        self.assertStatus(self.api("POST", path, owner_token, {"content": "welcome"}), 200)
        self.assertStatus(self.api("POST", path, member_token, {"content": "spam"}), 200)
        self.assertStatus(self.api("PUT", f"/guilds/{g['id']}/bans/{member}", owner_token,
                                   {"delete_message_seconds": 3600}), 204)
        r = self.api("GET", path + "?limit=50", owner_token)
        self.assertStatus(r, 200)
        self.assertEqual([m["content"] for m in r.json()], ["welcome"])

    def test_bulk_ban_bans_whom_it_may_and_reports_the_rest(self):
        g, (owner, owner_token), (member, member_token) = self.community()
        a, a_token = self.user()
        b, _ = self.user()  # never joined: a ban of a non-member holds too
        self.join(owner_token, g["id"], a_token)
        path = f"/guilds/{g['id']}/bulk-ban"
        # BAN_MEMBERS alone is not enough: Discord also wants MANAGE_GUILD.
        self.grant(owner_token, g["id"], member, BAN_MEMBERS)
        self.assertStatus(self.api("POST", path, member_token, {"user_ids": [a]}), 403)
        for body in ({}, {"user_ids": []}, {"user_ids": ["x"]},
                     {"user_ids": [str(i + 1) for i in range(201)]}):
            self.assertStatus(self.api("POST", path, owner_token, body), 400)

        self.assertStatus(self.api("PUT", f"/guilds/{g['id']}/bans/{b}", owner_token), 204)
        r = self.api("POST", path, owner_token,
                     {"user_ids": [a, b, owner, "424242"], "delete_message_seconds": 60})
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["banned_users"], [a])
        self.assertEqual(sorted(r.json()["failed_users"]), sorted([b, owner, "424242"]))
        bans = self.api("GET", f"/guilds/{g['id']}/bans", owner_token).json()
        self.assertEqual(sorted(x["user"]["id"] for x in bans), sorted([a, b]))
        self.assertStatus(self.api("GET", f"/guilds/{g['id']}", a_token), 403)
        # Nobody left to ban: Discord's 500000.
        r = self.api("POST", path, owner_token, {"user_ids": [a, b]})
        self.assertStatus(r, 400)
        self.assertEqual(r.json()["code"], 500000)

    def test_a_single_role_and_ones_own_member_object(self):
        g, (owner, owner_token), (member, member_token) = self.community()
        role = self.role(owner_token, g["id"], SEND_MESSAGES, name="helpers")
        r = self.api("GET", f"/guilds/{g['id']}/roles/{role['id']}", member_token)
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["name"], "helpers")
        self.assertEqual(r.json()["permissions"], str(SEND_MESSAGES))
        everyone = self.api("GET", f"/guilds/{g['id']}/roles/{g['id']}", member_token)
        self.assertStatus(everyone, 200)
        self.assertEqual(everyone.json()["name"], "@everyone")
        missing = self.api("GET", f"/guilds/{g['id']}/roles/424242", member_token)
        self.assertStatus(missing, 404)
        self.assertEqual(missing.json()["code"], 10011)
        outsider, outsider_token = self.user()
        self.assertStatus(self.api("GET", f"/guilds/{g['id']}/roles/{role['id']}",
                                   outsider_token), 403)

        # How many members hold each role (not @everyone).
        self.assertStatus(self.api("PUT", f"/guilds/{g['id']}/members/{member}/roles/{role['id']}",
                                   owner_token), 204)
        empty = self.role(owner_token, g["id"], 0, name="nobody")
        r = self.api("GET", f"/guilds/{g['id']}/roles/member-counts", member_token)
        self.assertStatus(r, 200)
        self.assertEqual(r.json(), {role["id"]: 1, empty["id"]: 0})
        self.assertStatus(self.api("GET", f"/guilds/{g['id']}/roles/member-counts",
                                   outsider_token), 403)
        # The guild's preview, with its counts.
        r = self.api("GET", f"/guilds/{g['id']}/preview", member_token)
        self.assertStatus(r, 200)
        self.assertEqual((r.json()["id"], r.json()["name"]), (g["id"], g["name"]))
        self.assertEqual(r.json()["approximate_member_count"], 2)
        self.assertEqual(r.json()["emojis"], [])

        r = self.api("GET", f"/users/@me/guilds/{g['id']}/member", member_token)
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["user"]["id"], member)
        self.assertStatus(self.api("GET", f"/users/@me/guilds/{g['id']}/member",
                                   outsider_token), 403)

    # -- outsiders and bad input ---------------------------------------------------------------
    def test_outsider_gets_nothing_on_any_route(self):
        g, (owner, owner_token), (member, member_token) = self.community()
        channel = self.text_channel(owner_token, g["id"])
        role = self.role(owner_token, g["id"])
        _, stranger = self.user()
        gid, cid, rid = g["id"], channel["id"], role["id"]
        routes = [
            ("GET", f"/guilds/{gid}"), ("PATCH", f"/guilds/{gid}"), ("DELETE", f"/guilds/{gid}"),
            ("GET", f"/guilds/{gid}/channels"), ("POST", f"/guilds/{gid}/channels"),
            ("GET", f"/channels/{cid}"), ("PATCH", f"/channels/{cid}"),
            ("DELETE", f"/channels/{cid}"), ("PUT", f"/channels/{cid}/permissions/{rid}"),
            ("GET", f"/guilds/{gid}/roles"), ("POST", f"/guilds/{gid}/roles"),
            ("PATCH", f"/guilds/{gid}/roles/{rid}"), ("DELETE", f"/guilds/{gid}/roles/{rid}"),
            ("GET", f"/guilds/{gid}/members"), ("GET", f"/guilds/{gid}/members/{owner}"),
            ("GET", f"/guilds/{gid}/members/search?query=a"),
            ("DELETE", f"/guilds/{gid}/members/{member}"),
            ("PUT", f"/guilds/{gid}/members/{member}/roles/{rid}"),
            ("GET", f"/guilds/{gid}/invites"), ("GET", f"/channels/{cid}/invites"),
            ("POST", f"/channels/{cid}/invites"), ("GET", f"/guilds/{gid}/bans"),
            ("PUT", f"/guilds/{gid}/bans/{member}"), ("DELETE", f"/users/@me/guilds/{gid}"),
        ]
        for method, path in routes:
            body = {"type": 0, "allow": "0", "deny": "0", "name": "x"} \
                if method in ("PUT", "POST", "PATCH") else None
            r = self.api(method, path, stranger, body)
            self.assertIn(r.status, (403, 404), f"{method} {path}: {r!r}")
            self.assertNotIn(g["name"], r.body.decode(), f"{method} {path}")
        self.assertNotIn(gid, [x["id"] for x in self.api("GET", "/users/@me/guilds",
                                                         stranger).json()])
        self.assertStatus(self.api("GET", f"/guilds/{gid}", owner_token), 200)

    def test_bad_ids_and_bodies_are_4xx(self):
        owner, token = self.user()
        g = self.guild(token)
        for method, path in (("GET", "/guilds/zz"), ("GET", "/channels/zz"),
                             ("PATCH", f"/guilds/{g['id']}/roles/zz"),
                             ("GET", f"/guilds/{g['id']}/members/zz"),
                             ("GET", "/guilds/99999999999999999999999")):
            r = self.api(method, path, token, {} if method == "PATCH" else None)
            self.assertEqual(r.status, 404, f"{method} {path}: {r!r}")
        for body in ({"name": "x" * 200}, {"name": "a"}, {}, {"name": 5}):
            self.assertEqual(self.api("POST", "/guilds", token, body).status, 400, body)
        r = self.req("POST", "/api/v10/guilds", "{not json", token=token)
        self.assertStatus(r, 400)
        self.assertStatus(self.api("POST", f"/guilds/{g['id']}/roles", token,
                                   {"permissions": "abc"}), 400)
        self.assertStatus(self.req("POST", "/api/v10/guilds", {"name": "ok"}), 401)

    def test_unknown_role_in_member_roles_is_an_invalid_form_body(self):
        # Issue 6: a roles list naming no role of the guild is Discord's 400 50035, not 404.
        g, (owner, owner_token), (member, member_token) = self.community()
        helper = self.role(owner_token, g["id"], 0, "helper")
        r = self.api("PATCH", f"/guilds/{g['id']}/members/{member}", owner_token,
                     {"roles": [helper["id"], "123456789012345678"]})
        self.assertStatus(r, 400)
        self.assertEqual(r.json()["code"], 50035)
        self.assertIn("roles", r.json()["errors"])
        got = self.api("GET", f"/guilds/{g['id']}/members/{member}", owner_token).json()
        self.assertEqual(got["roles"], [])
        # The one-role route keeps Discord's 404 Unknown Role.
        r = self.api("PUT", f"/guilds/{g['id']}/members/{member}/roles/123456789012345678",
                     owner_token)
        self.assertStatus(r, 404)
        self.assertEqual(r.json()["code"], 10011)

    # -- what a member's sessions are told when their view changes ---------------------------
    def gateway_session(self, token):
        ws = WsClient(self.server.port)
        self.addCleanup(ws.drop)
        self.assertEqual(ws.recv()["op"], 10)
        ws.send({"op": 2, "d": {"token": token, "intents": 1,
                                "properties": {"os": "linux", "browser": "t", "device": "t"}}})
        ready = ws.recv()
        self.assertEqual(ready["t"], "READY", ready)
        for _ in ready["d"]["guilds"]:
            ws.recv()
        return ws

    def next_channel_event(self, ws, channel_id):
        """The next CHANNEL_CREATE/DELETE about `channel_id` (CHANNEL_UPDATEs skipped)."""
        while True:
            m = ws.recv()
            if (m["op"] == 0 and m["t"] in ("CHANNEL_CREATE", "CHANNEL_DELETE")
                    and m["d"]["id"] == channel_id):
                return m["t"]

    def test_sessions_get_channel_create_and_delete_when_view_changes(self):
        g, (owner, owner_token), (member, member_token) = self.community()
        gid = g["id"]
        staff = self.role(owner_token, gid, 0, "staff")
        r = self.api("POST", f"/guilds/{gid}/channels", owner_token, {
            "name": "staff", "permission_overwrites": [
                {"id": gid, "type": 0, "allow": "0", "deny": str(VIEW_CHANNEL)},
                {"id": staff["id"], "type": 0, "allow": str(VIEW_CHANNEL), "deny": "0"}]})
        self.assertStatus(r, 201)
        private = r.json()["id"]
        general = self.text_channel(owner_token, gid)["id"]
        ws = self.gateway_session(member_token)
        role_path = f"/guilds/{gid}/members/{member}/roles/{staff['id']}"
        # A role given and taken away.
        self.assertStatus(self.api("PUT", role_path, owner_token), 204)
        self.assertEqual(self.next_channel_event(ws, private), "CHANNEL_CREATE")
        self.assertStatus(self.api("DELETE", role_path, owner_token), 204)
        self.assertEqual(self.next_channel_event(ws, private), "CHANNEL_DELETE")
        self.assertStatus(self.api("PATCH", f"/guilds/{gid}/members/{member}", owner_token,
                                   {"roles": [staff["id"]]}), 200)
        self.assertEqual(self.next_channel_event(ws, private), "CHANNEL_CREATE")
        # A member overwrite hiding the channel, then removed.
        ow = f"/channels/{private}/permissions/{member}"
        self.assertStatus(self.api("PUT", ow, owner_token,
                                   {"type": 1, "allow": "0", "deny": str(VIEW_CHANNEL)}), 204)
        self.assertEqual(self.next_channel_event(ws, private), "CHANNEL_DELETE")
        self.assertStatus(self.api("DELETE", ow, owner_token), 204)
        self.assertEqual(self.next_channel_event(ws, private), "CHANNEL_CREATE")
        # @everyone losing VIEW_CHANNEL hides #general; the staff channel stays (its overwrite).
        everyone = f"/guilds/{gid}/roles/{gid}"
        base = 563330162351681
        self.assertStatus(self.api("PATCH", everyone, owner_token,
                                   {"permissions": str(base & ~VIEW_CHANNEL)}), 200)
        self.assertEqual(self.next_channel_event(ws, general), "CHANNEL_DELETE")
        self.assertStatus(self.api("PATCH", everyone, owner_token,
                                   {"permissions": str(base)}), 200)
        self.assertEqual(self.next_channel_event(ws, general), "CHANNEL_CREATE")
        # Deleting the role that showed the channel hides it again.
        self.assertStatus(self.api("DELETE", f"/guilds/{gid}/roles/{staff['id']}", owner_token),
                          204)
        self.assertEqual(self.next_channel_event(ws, private), "CHANNEL_DELETE")
        ws.close()


class SqliteCommunities(CommunitySuite, ServerTestCase):
    BACKEND = "sqlite"


class PostgresCommunities(CommunitySuite, ServerTestCase):
    BACKEND = "postgres"


if __name__ == "__main__":
    unittest.main()
