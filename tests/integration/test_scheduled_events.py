"""Guild scheduled events: made outside the guild (EXTERNAL, with a location and an end) or in a
voice channel, validated as Discord does; seen by the members who can see their channel; changed
through Discord's status transitions and finished for good; members say they are interested and
are listed; events are announced (intent GUILD_SCHEDULED_EVENTS), audited, carried by
GUILD_CREATE, capped at 100 open per guild, and go with their channel. A cover image (`image`, a
data URI) is kept, served at /guild-events/{id}/{hash}.png, replaced and removed. SQLite and
PostgreSQL."""
import base64
import struct
import unittest
from datetime import datetime, timedelta, timezone

from community_client import CommunityClient
from harness import ServerTestCase

SECRET = "integration-test-secret-0123456789abcdef"
GUILDS, GUILD_SCHEDULED_EVENTS = 1 << 0, 1 << 16
VIEW_CHANNEL, CONNECT = 1 << 10, 1 << 20
MANAGE_EVENTS, CREATE_EVENTS = 1 << 33, 1 << 44


PNG = (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">II", 4, 2) +
       b"\x08\x06\x00\x00\x00" + b"\x00" * 16)
GIF = b"GIF89a" + struct.pack("<HH", 3, 3) + b"\x00" * 20


def data_uri(kind, data):
    return f"data:image/{kind};base64," + base64.b64encode(data).decode()


def at(**delta):
    return (datetime.now(timezone.utc) + timedelta(**delta)).isoformat()


class ScheduledEventSuite(CommunityClient):
    ENV = {"JWT_SECRET": SECRET}

    def community(self):
        """A guild with a member: (guild, owner, member)."""
        owner = self.user()
        g = self.api("POST", "/guilds", owner[1], {"name": "Events"}).json()
        general = next(c["id"] for c in self.api("GET", f"/guilds/{g['id']}/channels",
                                                 owner[1]).json() if c["type"] == 0)
        code = self.api("POST", f"/channels/{general}/invites", owner[1], {}).json()["code"]
        member = self.user()
        self.assertStatus(self.api("POST", f"/invites/{code}", member[1]), 200)
        return g["id"], owner, member

    def session(self, token, intents=GUILDS | GUILD_SCHEDULED_EVENTS):
        return CommunityClient.session(self, token, intents)

    def grant(self, guild, owner_token, user, permissions):
        role = self.api("POST", f"/guilds/{guild}/roles", owner_token,
                        {"name": "events", "permissions": str(permissions)}).json()
        self.assertStatus(self.api("PUT", f"/guilds/{guild}/members/{user}/roles/{role['id']}",
                                   owner_token), 204)

    def external(self, **extra):
        return {"name": "Meetup", "privacy_level": 2, "entity_type": 3,
                "scheduled_start_time": at(hours=1), "scheduled_end_time": at(hours=3),
                "entity_metadata": {"location": "The Park"}, **extra}

    def test_an_external_event_is_made_announced_and_carried(self):
        guild, (owner, owner_token), (member, member_token) = self.community()
        ws, _ = self.session(member_token)
        quiet, _ = self.session(member_token, GUILDS)
        path = f"/guilds/{guild}/scheduled-events"

        past = at(hours=-1)
        for bad, field in (({"entity_metadata": None}, "entity_metadata.location"),
                           ({"scheduled_end_time": None}, "scheduled_end_time"),
                           ({"scheduled_end_time": at(minutes=30)}, "scheduled_end_time"),
                           ({"scheduled_start_time": past}, "scheduled_start_time"),
                           ({"scheduled_start_time": "tomorrow"}, "scheduled_start_time"),
                           ({"name": ""}, "name"),
                           ({"privacy_level": 1}, "privacy_level"),
                           ({"entity_type": 9}, "entity_type"),
                           ({"image": "data:image/png;base64,AAAA"}, "image")):
            r = self.api("POST", path, owner_token, self.external(**bad))
            self.assertStatus(r, 400)
            self.assertEqual(r.json()["code"], 50035, bad)
            self.assertIn(field.split(".")[0], r.json()["errors"], bad)
        # An external event is held in no channel.
        general = next(c["id"] for c in self.api("GET", f"/guilds/{guild}/channels",
                                                 owner_token).json() if c["type"] == 0)
        self.assertStatus(self.api("POST", path, owner_token,
                                   self.external(channel_id=general)), 400)
        # @everyone holds neither CREATE_EVENTS nor MANAGE_EVENTS.
        self.assertStatus(self.api("POST", path, member_token, self.external()), 403)

        r = self.api("POST", path, owner_token,
                     self.external(description="Bring snacks"),
                     headers={"X-Audit-Log-Reason": "summer"})
        self.assertStatus(r, 200)
        event = r.json()
        self.assertEqual(event["guild_id"], guild)
        self.assertIsNone(event["channel_id"])
        self.assertEqual(event["creator_id"], owner)
        self.assertEqual(event["creator"]["id"], owner)
        self.assertEqual(event["name"], "Meetup")
        self.assertEqual(event["description"], "Bring snacks")
        self.assertEqual(event["status"], 1)
        self.assertEqual(event["entity_type"], 3)
        self.assertEqual(event["privacy_level"], 2)
        self.assertEqual(event["entity_metadata"], {"location": "The Park"})
        self.assertIsNotNone(event["scheduled_end_time"])

        created = self.next_dispatch(ws, "GUILD_SCHEDULED_EVENT_CREATE")
        self.assertEqual(created["id"], event["id"])
        self.assertEqual(created["entity_metadata"]["location"], "The Park")
        # Without the intent, the next dispatch is the channel made after the event.
        self.api("POST", f"/guilds/{guild}/channels", owner_token, {"name": "after"})
        self.assertEqual(quiet.recv()["t"], "CHANNEL_CREATE")

        listed = self.api("GET", f"{path}?with_user_count=true", member_token).json()
        self.assertEqual([(e["id"], e["user_count"]) for e in listed], [(event["id"], 0)])
        self.assertNotIn("user_count", self.api("GET", path, member_token).json()[0])
        got = self.api("GET", f"{path}/{event['id']}", member_token)
        self.assertStatus(got, 200)
        self.assertEqual(got.json()["name"], "Meetup")
        _, creates = self.session(member_token)
        self.assertEqual([e["id"] for e in creates[0]["d"]["guild_scheduled_events"]],
                         [event["id"]])

        entries = self.api("GET", f"/guilds/{guild}/audit-logs?action_type=100",
                           owner_token).json()["audit_log_entries"]
        self.assertEqual([(e["target_id"], e["reason"]) for e in entries],
                         [(event["id"], "summer")])
        keys = {c["key"]: c.get("new_value") for c in entries[0]["changes"]}
        self.assertEqual(keys["name"], "Meetup")
        self.assertEqual(keys["location"], "The Park")

        # Not through another guild, not for strangers.
        other = self.api("POST", "/guilds", member_token, {"name": "Other"}).json()
        missing = self.api("GET", f"/guilds/{other['id']}/scheduled-events/{event['id']}",
                           member_token)
        self.assertStatus(missing, 404)
        self.assertEqual(missing.json()["code"], 10070)
        stranger = self.user()
        self.assertStatus(self.api("GET", path, stranger[1]), 403)

    def test_a_cover_image_is_kept_served_replaced_and_removed(self):
        guild, (_, owner_token), (_, member_token) = self.community()
        ws, _ = self.session(member_token)
        path = f"/guilds/{guild}/scheduled-events"
        r = self.api("POST", path, owner_token, self.external(image=data_uri("png", PNG)))
        self.assertStatus(r, 200)
        event = r.json()
        cover = event["image"]
        self.assertRegex(cover, "^[0-9a-f]{32}$")
        self.assertEqual(self.next_dispatch(ws, "GUILD_SCHEDULED_EVENT_CREATE")["image"], cover)
        # Served without an account, whatever extension the client asks for.
        for ext in ("png", "webp"):
            served = self.req("GET", f"/guild-events/{event['id']}/{cover}.{ext}?size=1024")
            self.assertStatus(served, 200)
            self.assertEqual((served.body, served.headers["content-type"]), (PNG, "image/png"))
        self.assertStatus(self.req("GET", f"/guild-events/{event['id']}/{'0' * 32}.png"), 404)
        self.assertStatus(self.req("GET", f"/guild-events/{event['id']}/nothex.png"), 404)

        # Replaced: a new hash, the old URL gone; the change is announced and audited.
        one = f"{path}/{event['id']}"
        r = self.api("PATCH", one, owner_token, {"image": data_uri("gif", GIF)})
        self.assertStatus(r, 200)
        replaced = r.json()["image"]
        self.assertNotIn(replaced, (None, cover))
        self.assertEqual(self.next_dispatch(ws, "GUILD_SCHEDULED_EVENT_UPDATE")["image"], replaced)
        served = self.req("GET", f"/guild-events/{event['id']}/{replaced}.png")
        self.assertEqual((served.body, served.headers["content-type"]), (GIF, "image/gif"))
        self.assertStatus(self.req("GET", f"/guild-events/{event['id']}/{cover}.png"), 404)
        log = self.api("GET", f"/guilds/{guild}/audit-logs?action_type=101", owner_token).json()
        changes = {c["key"]: c for c in log["audit_log_entries"][0]["changes"]}
        self.assertEqual((changes["image_hash"]["old_value"], changes["image_hash"]["new_value"]),
                         (cover, replaced))
        # Other changes keep it; null removes it.
        r = self.api("PATCH", one, owner_token, {"name": "Renamed"})
        self.assertEqual(r.json()["image"], replaced)
        r = self.api("PATCH", one, owner_token, {"image": None})
        self.assertStatus(r, 200)
        self.assertIsNone(r.json()["image"])
        self.assertIsNone(self.api("GET", one, member_token).json()["image"])
        self.assertStatus(self.req("GET", f"/guild-events/{event['id']}/{replaced}.png"), 404)

        # Only images, of bounded size; a bad one changes nothing.
        for bad, status in ((data_uri("png", b"not an image"), 400), ("https://x/y.png", 400),
                            (42, 400), (data_uri("png", PNG + b"\x00" * (512 * 1024)), 413)):
            r = self.api("PATCH", one, owner_token, {"image": bad, "name": "Changed"})
            self.assertStatus(r, status)
            self.assertEqual(r.json()["code"], 50045 if status == 413 else 50035, bad)
        self.assertEqual(self.api("GET", one, member_token).json()["name"], "Renamed")

    def test_status_moves_forward_only_and_a_finished_event_stays_finished(self):
        guild, (owner, owner_token), (member, member_token) = self.community()
        ws, _ = self.session(member_token)
        path = f"/guilds/{guild}/scheduled-events"
        event = self.api("POST", path, owner_token, self.external()).json()
        one = f"{path}/{event['id']}"

        r = self.api("PATCH", one, owner_token, {"status": 3})  # SCHEDULED → COMPLETED
        self.assertStatus(r, 400)
        self.assertIn("status", r.json()["errors"])
        r = self.api("PATCH", one, owner_token,
                     {"name": "Meetup (moved)", "entity_metadata": {"location": "The Pier"},
                      "description": "Now by the sea"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json()["entity_metadata"], {"location": "The Pier"})
        update = self.next_dispatch(ws, "GUILD_SCHEDULED_EVENT_UPDATE")
        self.assertEqual((update["name"], update["description"]),
                         ("Meetup (moved)", "Now by the sea"))
        self.assertStatus(self.api("PATCH", one, member_token, {"name": "mine"}), 403)

        self.assertEqual(self.api("PATCH", one, owner_token, {"status": 2}).json()["status"], 2)
        self.assertEqual(self.next_dispatch(ws, "GUILD_SCHEDULED_EVENT_UPDATE")["status"], 2)
        self.assertStatus(self.api("PATCH", one, owner_token, {"status": 1}), 400)
        self.assertStatus(self.api("PATCH", one, owner_token, {"status": 4}), 400)
        self.assertEqual(self.api("PATCH", one, owner_token, {"status": 3}).json()["status"], 3)
        self.assertEqual(self.next_dispatch(ws, "GUILD_SCHEDULED_EVENT_UPDATE")["status"], 3)
        done = self.api("PATCH", one, owner_token, {"name": "again"})
        self.assertStatus(done, 400)
        self.assertEqual(done.json()["code"], 180000)
        # Finished events leave the list, and can still be read.
        self.assertEqual(self.api("GET", path, member_token).json(), [])
        self.assertEqual(self.api("GET", one, member_token).json()["status"], 3)

        second = self.api("POST", path, owner_token, self.external(name="Second")).json()
        r = self.api("PATCH", f"{path}/{second['id']}", owner_token, {"status": 4})
        self.assertEqual(r.json()["status"], 4)
        kinds = [e["action_type"] for e in self.api(
            "GET", f"/guilds/{guild}/audit-logs", owner_token).json()["audit_log_entries"]
            if e["action_type"] in (100, 101, 102)]
        self.assertEqual(sorted(kinds), [100, 100, 101, 101, 101, 101])

        self.assertStatus(self.api("DELETE", f"{path}/{second['id']}", member_token), 403)
        self.assertStatus(self.api("DELETE", f"{path}/{second['id']}", owner_token), 204)
        deleted = self.next_dispatch(ws, "GUILD_SCHEDULED_EVENT_DELETE")
        self.assertEqual(deleted["id"], second["id"])
        self.assertStatus(self.api("GET", f"{path}/{second['id']}", owner_token), 404)
        self.assertStatus(self.api("DELETE", f"{path}/{second['id']}", owner_token), 404)

    def test_interested_members_are_counted_listed_and_announced(self):
        guild, (owner, owner_token), (member, member_token) = self.community()
        ws, _ = self.session(owner_token)
        path = f"/guilds/{guild}/scheduled-events"
        event = self.api("POST", path, owner_token, self.external()).json()
        me = f"{path}/{event['id']}/users/@me"

        self.assertStatus(self.api("PUT", me, member_token), 204)
        added = self.next_dispatch(ws, "GUILD_SCHEDULED_EVENT_USER_ADD")
        self.assertEqual(added, {"guild_scheduled_event_id": event["id"], "user_id": member,
                                 "guild_id": guild})
        self.assertStatus(self.api("PUT", me, member_token), 204)  # already: nothing new
        self.assertStatus(self.api("PUT", me, owner_token), 204)
        self.assertEqual(self.next_dispatch(ws, "GUILD_SCHEDULED_EVENT_USER_ADD")["user_id"],
                         owner)

        got = self.api("GET", f"{path}/{event['id']}?with_user_count=true", member_token).json()
        self.assertEqual(got["user_count"], 2)
        users = self.api("GET", f"{path}/{event['id']}/users?with_member=true",
                         member_token).json()
        ids = sorted([owner, member], key=int)
        self.assertEqual([u["user"]["id"] for u in users], ids)
        self.assertEqual({u["guild_scheduled_event_id"] for u in users}, {event["id"]})
        self.assertIn("joined_at", users[0]["member"])
        self.assertNotIn("member", self.api("GET", f"{path}/{event['id']}/users",
                                            member_token).json()[0])
        page = self.api("GET", f"{path}/{event['id']}/users?limit=1", member_token).json()
        self.assertEqual([u["user"]["id"] for u in page], ids[:1])
        page = self.api("GET", f"{path}/{event['id']}/users?after={ids[0]}",
                        member_token).json()
        self.assertEqual([u["user"]["id"] for u in page], ids[1:])
        page = self.api("GET", f"{path}/{event['id']}/users?before={ids[1]}&after={ids[0]}",
                        member_token).json()
        self.assertEqual([u["user"]["id"] for u in page], ids[:1])
        self.assertStatus(self.api("GET", f"{path}/{event['id']}/users?limit=101",
                                   member_token), 400)

        self.assertStatus(self.api("DELETE", me, member_token), 204)
        removed = self.next_dispatch(ws, "GUILD_SCHEDULED_EVENT_USER_REMOVE")
        self.assertEqual(removed["user_id"], member)
        # A member who leaves is no longer listed.
        self.assertStatus(self.api("PUT", me, member_token), 204)
        self.assertStatus(self.api("DELETE", f"/users/@me/guilds/{guild}", member_token), 204)
        users = self.api("GET", f"{path}/{event['id']}/users", owner_token).json()
        self.assertEqual([u["user"]["id"] for u in users], [owner])

    def test_a_voice_event_is_seen_by_those_who_see_its_channel(self):
        guild, (owner, owner_token), (member, member_token) = self.community()
        ws, _ = self.session(member_token)
        path = f"/guilds/{guild}/scheduled-events"
        voice = self.api("POST", f"/guilds/{guild}/channels", owner_token,
                         {"name": "Stage Left", "type": 2}).json()
        hidden = self.api("POST", f"/guilds/{guild}/channels", owner_token,
                          {"name": "Back Room", "type": 2, "permission_overwrites": [
                              {"id": guild, "type": 0, "deny": str(VIEW_CHANNEL)}]}).json()
        text = next(c["id"] for c in self.api("GET", f"/guilds/{guild}/channels",
                                              owner_token).json() if c["type"] == 0)
        body = {"name": "Jam", "privacy_level": 2, "entity_type": 2,
                "scheduled_start_time": at(hours=2)}

        self.assertStatus(self.api("POST", path, owner_token, body), 400)  # no channel
        self.assertStatus(self.api("POST", path, owner_token, {**body, "channel_id": text}), 400)
        r = self.api("POST", path, owner_token,
                     {**body, "channel_id": voice["id"],
                      "entity_metadata": {"location": "ignored"}})
        self.assertStatus(r, 200)
        open_jam = r.json()
        self.assertEqual(open_jam["channel_id"], voice["id"])
        self.assertIsNone(open_jam["entity_metadata"])
        self.assertIsNone(open_jam["scheduled_end_time"])
        secret = self.api("POST", path, owner_token,
                          {**body, "name": "Secret", "channel_id": hidden["id"]}).json()

        # The member is told of the first only, and sees only it.
        self.assertEqual(self.next_dispatch(ws, "GUILD_SCHEDULED_EVENT_CREATE")["id"],
                         open_jam["id"])
        self.assertEqual([e["id"] for e in self.api("GET", path, member_token).json()],
                         [open_jam["id"]])
        self.assertEqual(sorted(e["id"] for e in self.api("GET", path, owner_token).json()),
                         sorted([open_jam["id"], secret["id"]]))
        self.assertStatus(self.api("GET", f"{path}/{secret['id']}", member_token), 404)
        self.assertStatus(self.api("PUT", f"{path}/{secret['id']}/users/@me", member_token), 404)
        _, creates = self.session(member_token)
        self.assertEqual([e["id"] for e in creates[0]["d"]["guild_scheduled_events"]],
                         [open_jam["id"]])

        # CREATE_EVENTS: the member makes their own, in a channel they can join, and manages
        # only theirs; MANAGE_EVENTS manages anyone's.
        self.grant(guild, owner_token, member, CREATE_EVENTS)
        self.assertStatus(self.api("POST", path, member_token,
                                   {**body, "channel_id": hidden["id"]}), 403)
        mine = self.api("POST", path, member_token, {**body, "name": "Mine",
                                                     "channel_id": voice["id"]})
        self.assertStatus(mine, 200)
        mine = mine.json()
        self.assertStatus(self.api("PATCH", f"{path}/{mine['id']}", member_token,
                                   {"status": 2}), 200)
        self.assertStatus(self.api("PATCH", f"{path}/{open_jam['id']}", member_token,
                                   {"name": "taken"}), 403)
        # Moving it somewhere they cannot connect is refused.
        self.assertStatus(self.api("PATCH", f"{path}/{mine['id']}", member_token,
                                   {"channel_id": hidden["id"]}), 403)
        # A channel's overwrites decide the event permissions there too.
        no_events = self.api("POST", f"/guilds/{guild}/channels", owner_token,
                             {"name": "No Events", "type": 2, "permission_overwrites": [
                                 {"id": guild, "type": 0, "deny": str(CREATE_EVENTS)}]}).json()
        self.assertStatus(self.api("POST", path, member_token,
                                   {**body, "channel_id": no_events["id"]}), 403)
        self.grant(guild, owner_token, member, MANAGE_EVENTS)
        self.assertStatus(self.api("PATCH", f"{path}/{open_jam['id']}", member_token,
                                   {"name": "Jam (managed)"}), 200)

        # Moved into a channel the member sees, the event reaches them as new; moved back out,
        # as gone.
        def next_about(event_id):
            while True:
                m = ws.recv()
                if m["op"] == 0 and m["t"].startswith("GUILD_SCHEDULED_EVENT_") and \
                        m["d"].get("id") == event_id:
                    return m["t"]
        self.assertStatus(self.api("PATCH", f"{path}/{secret['id']}", owner_token,
                                   {"channel_id": voice["id"]}), 200)
        self.assertEqual(next_about(secret["id"]), "GUILD_SCHEDULED_EVENT_CREATE")
        self.assertStatus(self.api("PATCH", f"{path}/{secret['id']}", owner_token,
                                   {"name": "Secret (renamed)"}), 200)
        self.assertEqual(next_about(secret["id"]), "GUILD_SCHEDULED_EVENT_UPDATE")
        self.assertStatus(self.api("PATCH", f"{path}/{secret['id']}", owner_token,
                                   {"channel_id": hidden["id"]}), 200)
        self.assertEqual(next_about(secret["id"]), "GUILD_SCHEDULED_EVENT_DELETE")

        # Becoming EXTERNAL needs a null channel, a location and an end.
        self.assertStatus(self.api("PATCH", f"{path}/{open_jam['id']}", owner_token,
                                   {"entity_type": 3, "entity_metadata": {"location": "Pub"},
                                    "scheduled_end_time": at(hours=4)}), 400)
        r = self.api("PATCH", f"{path}/{open_jam['id']}", owner_token,
                     {"entity_type": 3, "channel_id": None, "entity_metadata": {"location": "Pub"},
                      "scheduled_end_time": at(hours=4)})
        self.assertStatus(r, 200)
        self.assertEqual((r.json()["entity_type"], r.json()["channel_id"]), (3, None))

        # Deleting a channel deletes the events held in it.
        self.assertStatus(self.api("DELETE", f"/channels/{hidden['id']}", owner_token), 200)
        self.assertStatus(self.api("GET", f"{path}/{secret['id']}", owner_token), 404)

    def test_a_guild_holds_at_most_100_open_events(self):
        guild, (owner, owner_token), _ = self.community()
        path = f"/guilds/{guild}/scheduled-events"
        first = None
        for i in range(100):
            r = self.api("POST", path, owner_token, self.external(name=f"e{i}"))
            self.assertStatus(r, 200)
            first = first or r.json()["id"]
        full = self.api("POST", path, owner_token, self.external(name="one more"))
        self.assertStatus(full, 400)
        self.assertEqual(full.json()["code"], 30038)
        # A canceled event no longer counts.
        self.assertStatus(self.api("PATCH", f"{path}/{first}", owner_token, {"status": 4}), 200)
        self.assertStatus(self.api("POST", path, owner_token, self.external(name="one more")), 200)


class SqliteScheduledEvents(ScheduledEventSuite, ServerTestCase):
    pass


class PostgresScheduledEvents(ScheduledEventSuite, ServerTestCase):
    BACKEND = "postgres"


if __name__ == "__main__":
    unittest.main()
